import { Autocomplete, Button, Group, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../api/hooks';
import { CallErrorAlert, CheckResults, CopyBlock } from '../../components/common';
import { useFieldError } from './fields';
import { rowErrors, rowsToMethods, scriptConfigsPerStore, type MethodRow } from './shipping.rules';
import { hasUnsavedChanges, useWizard } from './state';
import type { StepProps } from './types';

// Step 6: shipping methods, checkout quotes and the checkout MegaScript (one configuration
// per store). Validation and this step's part of the config are in shipping.rules.ts.

const GELATO_SHIPPING = ['normal', 'standard', 'express', 'pallet'];

export function ShippingStep({ draft, setDraft, errors, setLocalErrors }: StepProps) {
  const { t } = useTranslation();
  const err = useFieldError(errors);
  const methods = Object.entries(draft.shipping?.methods ?? {});
  const [rows, setRows] = useState<MethodRow[]>(methods.length ? methods : [['', '']]);
  const mega = useAction('shipping.megascript');
  const selfTest = useAction('shipping.selfTest');
  const changed = useWizard((s) => hasUnsavedChanges('shipping', s));
  const saved = useWizard((s) => s.saved);

  const commit = (next: MethodRow[]) => {
    setRows(next);
    setDraft((d) => ({ ...d, shipping: { ...(d.shipping ?? {}), methods: rowsToMethods(next) } }));
  };
  useEffect(() => {
    setLocalErrors(rowErrors(rows));
  }, [rows, setLocalErrors]);
  useEffect(() => {
    void mega.run({});
    return () => setLocalErrors({});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const perStore = mega.result ? scriptConfigsPerStore(mega.result, saved?.stores ?? []) : [];

  return (
    <Stack>
      <Text>{t('setup.shipping.intro')}</Text>
      <Table aria-label={t('setup.shipping.methods')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('setup.shipping.infigoMethod')}</Table.Th>
            <Table.Th>{t('setup.shipping.gelatoMethod')}</Table.Th>
            <Table.Th>{t('mappings.col.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(([k, v], i) => (
            <Table.Tr key={i}>
              <Table.Td>
                <TextInput
                  size="xs"
                  aria-label={t('setup.shipping.infigoMethodN', { n: i + 1 })}
                  value={k}
                  error={err(`shipping.row[${i}].infigo`)}
                  onChange={(e) => commit(rows.map((r, j): MethodRow => (j === i ? [e.currentTarget.value, r[1]] : r)))}
                />
              </Table.Td>
              <Table.Td>
                <Autocomplete
                  size="xs"
                  aria-label={t('setup.shipping.gelatoMethodN', { n: i + 1 })}
                  data={GELATO_SHIPPING}
                  value={v}
                  error={err(`shipping.row[${i}].gelato`)}
                  onChange={(val) => commit(rows.map((r, j): MethodRow => (j === i ? [r[0], val] : r)))}
                />
              </Table.Td>
              <Table.Td>
                <Button size="xs" variant="subtle" color="red" aria-label={t('mappings.aria.remove', { n: i + 1 })} onClick={() => commit(rows.filter((_, j) => j !== i))}>
                  {t('mappings.remove')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="end">
        <Button size="xs" variant="default" onClick={() => setRows([...rows, ['', '']])}>
          {t('setup.shipping.addMethod')}
        </Button>
        <Autocomplete
          label={t('setup.shipping.default')}
          description={t('setup.shipping.defaultHint')}
          data={GELATO_SHIPPING}
          value={draft.shipping?.default ?? ''}
          onChange={(v) => setDraft((d) => ({ ...d, shipping: { ...(d.shipping ?? {}), default: v || undefined } }))}
          w={260}
        />
      </Group>
      <Switch
        label={t('setup.shipping.quotes')}
        checked={draft.shippingQuotes?.enabled ?? false}
        onChange={(e) => {
          const enabled = e.currentTarget.checked;
          setDraft((d) => ({ ...d, shippingQuotes: { ...(d.shippingQuotes ?? {}), enabled } }));
        }}
      />
      <TextInput
        label={t('setup.publicBaseUrl')}
        description={t('setup.publicBaseUrlHint')}
        value={draft.server?.publicBaseUrl ?? ''}
        error={err('server.publicBaseUrl')}
        onChange={(e) => {
          const v = e.currentTarget.value.trim();
          setDraft((d) => ({ ...d, server: { ...(d.server ?? {}), publicBaseUrl: v || undefined } }));
        }}
        data-testid="shipping-public-url"
      />
      <Title order={3} size="h5">
        {t('setup.shipping.megascript')}
      </Title>
      <Text size="sm">{t('setup.shipping.megascriptHint')}</Text>
      {changed && (
        <Text size="sm" c="dimmed" role="status">
          {t('setup.shipping.scriptAfterSave')}
        </Text>
      )}
      <CallErrorAlert error={mega.error} onRetry={() => void mega.run({})} />
      {mega.result && (
        <>
          <CopyBlock label={t('setup.shipping.megascriptSource')} value={mega.result.source} />
          {perStore.length > 1 && <Text size="sm">{t('setup.shipping.perStoreHint', { count: perStore.length })}</Text>}
          {perStore.map((p) => (
            <div key={p.storeId} data-testid={`megascript-config-${p.storeId}`}>
              <CopyBlock label={perStore.length > 1 ? t('setup.shipping.megascriptConfigFor', { name: p.name }) : t('setup.shipping.megascriptConfig')} value={p.config} />
            </div>
          ))}
        </>
      )}
      <Group>
        <Button variant="light" loading={selfTest.busy} onClick={() => {
            selfTest.setResult(null);
            void selfTest.run({});
          }}
        >
          {t('setup.shipping.selfTest')}
        </Button>
      </Group>
      <CallErrorAlert error={selfTest.error} />
      {selfTest.result && !selfTest.error && <CheckResults results={[selfTest.result]} />}
    </Stack>
  );
}
