import { Alert, Button, Group, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseConnectorUrls, type ParsedConnectorUrls } from '../../../../shared/domain/connector-urls';
import { fingerprint } from '../../setup/connection';
import { ENDPOINT_KEYS, type EndpointKey } from '../../setup/endpoints';
import { ConnectionCheck } from './ConnectionCheck';
import { SecretInput, useFieldError } from './fields';
import { emptyEndpoints, gelatoRules } from './gelato.rules';
import { runCheck, useWizard } from './state';
import type { Gelato, StepProps } from './types';

// Step 3: the GelatoConnect connector and each store's customer. Validation and this step's
// part of the config are in gelato.rules.ts.

export function GelatoStep({ draft, setDraft, errors }: StepProps) {
  const { t } = useTranslation();
  const err = useFieldError(errors);
  const gelato: Gelato = draft.gelato ?? { apiKey: '', endpoints: emptyEndpoints() };
  const [paste, setPaste] = useState('');
  const [parsed, setParsed] = useState<ParsedConnectorUrls | null>(null);
  const setGelato = (g: Partial<Gelato>) => setDraft((d) => ({ ...d, gelato: { ...(d.gelato ?? { apiKey: '', endpoints: emptyEndpoints() }), ...g } }));
  const setEndpoint = (k: EndpointKey, v: string) => {
    const next: Record<string, string> = { ...gelato.endpoints };
    // An optional address left empty is "none", not an empty address.
    if (v === '' && k === 'shippingQuote') delete next[k];
    else next[k] = v;
    setGelato({ endpoints: next as Gelato['endpoints'] });
  };
  const stores = draft.stores ?? [];
  const specs = gelatoRules.connections!(draft);
  const running = useWizard((s) => specs.some((sp) => s.runs[fingerprint(sp)]?.state === 'running'));

  return (
    <Stack>
      <Text>{t('setup.gelato.intro')}</Text>
      <SecretInput
        label={t('setup.gelato.apiKey')}
        description={t('setup.gelato.apiKeyHint')}
        value={gelato.apiKey ?? ''}
        error={err('gelato.apiKey')}
        onChange={(v) => setGelato({ apiKey: v })}
        testId="gelato-apikey"
      />
      <Textarea
        label={t('setup.gelato.paste')}
        description={t('setup.gelato.pasteHint')}
        minRows={3}
        autosize
        value={paste}
        onChange={(e) => setPaste(e.currentTarget.value)}
        data-testid="gelato-paste"
      />
      <Group>
        <Button
          variant="default"
          disabled={!paste.trim()}
          onClick={() => {
            const found = parseConnectorUrls(paste);
            setGelato({ endpoints: { ...gelato.endpoints, ...found.endpoints } as Gelato['endpoints'] });
            setParsed(found);
          }}
          data-testid="gelato-autofill"
        >
          {t('setup.gelato.autofill')}
        </Button>
        {parsed && (
          <Text size="sm" role="status" data-testid="gelato-filled">
            {t('setup.gelato.filled', { count: Object.keys(parsed.endpoints).length })}
          </Text>
        )}
      </Group>
      {parsed && (parsed.derived.length > 0 || parsed.missing.length > 0 || parsed.problems.length > 0) && (
        <Alert color="yellow" title={t('setup.gelato.checkThese')}>
          <Stack gap={4}>
            {parsed.derived.length > 0 && <Text size="sm">{t('setup.gelato.derived', { names: parsed.derived.map((k) => t(`setup.gelato.endpoint.${k}`)).join(', ') })}</Text>}
            {parsed.missing.length > 0 && <Text size="sm">{t('setup.gelato.missing', { names: parsed.missing.map((k) => t(`setup.gelato.endpoint.${k}`)).join(', ') })}</Text>}
            {parsed.problems.map((p) => (
              <Text size="sm" key={p}>
                {p}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {ENDPOINT_KEYS.map((k) => (
          <TextInput
            key={k}
            label={t(`setup.gelato.endpoint.${k}`)}
            required={k !== 'shippingQuote'}
            value={(gelato.endpoints as Record<string, string | undefined>)[k] ?? ''}
            error={err(`gelato.endpoints.${k}`)}
            onChange={(e) => setEndpoint(k, e.currentTarget.value.trim())}
            data-testid={`endpoint-${k}`}
          />
        ))}
      </SimpleGrid>
      <Title order={3} size="h5">
        {t('setup.gelato.customers')}
      </Title>
      <Text size="sm">{t('setup.gelato.customersHint')}</Text>
      {stores.length === 0 && <Text size="sm" c="dimmed">{t('setup.gelato.noStores')}</Text>}
      {stores.map((s, i) => (
        <TextInput
          key={i}
          label={t('setup.gelato.customerFor', { name: s.name || s.id || t('setup.infigo.storeN', { n: i + 1 }) })}
          value={s.gelatoCustomerReferenceId ?? ''}
          required
          error={err(`stores[${i}].gelatoCustomerReferenceId`)}
          data-testid={`gelato-customer-${i}`}
          onChange={(e) => {
            const v = e.currentTarget.value;
            setDraft((d) => {
              const list = [...(d.stores ?? [])];
              const cur = list[i];
              if (cur) list[i] = { ...cur, gelatoCustomerReferenceId: v };
              return { ...d, stores: list };
            });
          }}
        />
      ))}
      <Group>
        <Button variant="light" loading={running} disabled={!gelato.apiKey} onClick={() => void Promise.all(specs.map((sp) => runCheck('gelato', sp)))} data-testid="gelato-check">
          {t('setup.checkConnection')}
        </Button>
      </Group>
      {specs.map((sp) => (
        <ConnectionCheck key={sp.id} step="gelato" spec={sp} title={specs.length > 1 ? t('setup.gelato.checkFor', { name: sp.label }) : undefined} />
      ))}
    </Stack>
  );
}
