import { Alert, Button, Group, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseConnectorUrls, type ParsedConnectorUrls } from '../../../../shared/domain/connector-urls';
import { useAction } from '../../api/hooks';
import { CallErrorAlert, CheckResults } from '../../components/common';
import { ENDPOINT_KEYS, type EndpointKey } from '../../setup/endpoints';
import { emptyEndpoints, SecretInput } from './fields';
import type { Gelato, StepProps } from './types';

export function GelatoStep({ draft, setDraft }: StepProps) {
  const { t } = useTranslation();
  const gelato: Gelato = draft.gelato ?? { apiKey: '', endpoints: emptyEndpoints() };
  const [paste, setPaste] = useState('');
  const [parsed, setParsed] = useState<ParsedConnectorUrls | null>(null);
  const check = useAction('setup.checkGelato');
  const setGelato = (g: Partial<Gelato>) => setDraft((d) => ({ ...d, gelato: { ...(d.gelato ?? { apiKey: '', endpoints: emptyEndpoints() }), ...g } }));
  const setEndpoint = (k: EndpointKey, v: string) => setGelato({ endpoints: { ...gelato.endpoints, [k]: v } as Gelato['endpoints'] });
  const stores = draft.stores ?? [];

  const endpointsForCheck = useMemo(
    () => Object.fromEntries(Object.entries(gelato.endpoints).filter(([, v]) => typeof v === 'string' && v)) as Record<string, string>,
    [gelato.endpoints],
  );

  return (
    <Stack>
      <Text>{t('setup.gelato.intro')}</Text>
      <SecretInput
        label={t('setup.gelato.apiKey')}
        description={t('setup.gelato.apiKeyHint')}
        value={gelato.apiKey}
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
            onChange={(e) => setEndpoint(k, e.currentTarget.value.trim())}
            data-testid={`endpoint-${k}`}
          />
        ))}
      </SimpleGrid>
      <Title order={3} size="h5">
        {t('setup.gelato.customers')}
      </Title>
      <Text size="sm">{t('setup.gelato.customersHint')}</Text>
      {stores.map((s, i) => (
        <TextInput
          key={`${s.id}-${i}`}
          label={t('setup.gelato.customerFor', { name: s.name || s.id })}
          value={s.gelatoCustomerReferenceId}
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
        <Button
          variant="light"
          loading={check.busy}
          disabled={!gelato.apiKey}
          onClick={() => void check.run({ apiKey: gelato.apiKey, endpoints: endpointsForCheck, ...(stores[0]?.gelatoCustomerReferenceId ? { customerReferenceId: stores[0].gelatoCustomerReferenceId } : {}) })}
          data-testid="gelato-check"
        >
          {t('setup.checkConnection')}
        </Button>
      </Group>
      <CallErrorAlert error={check.error} />
      {check.result && <CheckResults results={check.result} />}
    </Stack>
  );
}

