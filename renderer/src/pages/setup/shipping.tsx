import { Alert, Anchor, Autocomplete, Button, Group, Radio, SegmentedControl, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Cfg } from '../../api/config';
import { useAction } from '../../api/hooks';
import { CallErrorAlert, CheckResults, CopyBlock } from '../../components/common';
import { addressReach, unreachable } from '../../setup/address';
import { mergeErrors } from '../../setup/fieldErrors';
import { stepNumber } from '../../setup/steps';
import { SecretInput, useFieldError } from './fields';
import { rowErrors, rowsToMethods, scriptConfigsPerStore, type GclDraft, type MethodRow } from './shipping.rules';
import { hasUnsavedChanges, useWizard } from './state';
import { publicAddressOf } from './statusUpdates.rules';
import type { StepProps } from './types';

// Step 6: shipping methods, checkout quotes and the checkout MegaScript (one configuration per
// store, as the engine gives them: shipping.megascript().perStore). Checkout prices come from
// the rate table or from GelatoConnect Logistics (GCL), a separate API with its own address
// (live or test), its own key, its own method uids (mapped here from Infigo's delivery
// methods) and the address parcels leave from; "Check GelatoConnect Logistics" saves the step
// and runs shipping.checkGcl. The public address the checkout calls is set in step 7.
// Validation and this step's part of the config are in shipping.rules.ts.

const GELATO_SHIPPING = ['normal', 'standard', 'express', 'pallet'];
const SENDER_FIELDS = ['companyName', 'addressLine1', 'addressLine2', 'city', 'postcode', 'state', 'country', 'email', 'phone'] as const;

function gclOf(d: Cfg): GclDraft {
  return d.shippingQuotes?.gcl ?? { environment: 'live', apiKey: '', methods: {} };
}

export function ShippingStep({ draft, setDraft, errors, setLocalErrors, saveNow, goTo }: StepProps) {
  const { t } = useTranslation();
  const err = useFieldError(errors);
  const methods = Object.entries(draft.shipping?.methods ?? {});
  const [rows, setRows] = useState<MethodRow[]>(methods.length ? methods : [['', '']]);
  const gcl = gclOf(draft);
  const gclMethods = Object.entries(gcl.methods ?? {});
  const [gclRows, setGclRows] = useState<MethodRow[]>(gclMethods.length ? gclMethods : [['', '']]);
  const mega = useAction('shipping.megascript');
  const selfTest = useAction('shipping.selfTest');
  const check = useAction('shipping.checkGcl');
  const [checkNote, setCheckNote] = useState<string | null>(null);
  const changed = useWizard((s) => hasUnsavedChanges('shipping', s));
  const saved = useWizard((s) => s.saved);
  const quotes = draft.shippingQuotes?.enabled ?? false;
  const source = draft.shippingQuotes?.source ?? 'rate-table';
  const useGcl = quotes && source === 'gelato';
  const address = publicAddressOf(draft) ?? '';
  const reach = addressReach(address);

  const commit = (next: MethodRow[]) => {
    setRows(next);
    setDraft((d) => ({ ...d, shipping: { ...(d.shipping ?? {}), methods: rowsToMethods(next) } }));
  };
  const setGcl = (patch: Partial<GclDraft>) => setDraft((d) => ({ ...d, shippingQuotes: { ...(d.shippingQuotes ?? {}), gcl: { ...gclOf(d), ...patch } } }));
  const commitGcl = (next: MethodRow[]) => {
    setGclRows(next);
    setGcl({ methods: rowsToMethods(next) });
  };
  const setSender = (key: (typeof SENDER_FIELDS)[number], v: string) =>
    setDraft((d) => {
      const g = gclOf(d);
      const sender = { ...(g.sender ?? { addressLine1: '', city: '', postcode: '', country: '' }), [key]: key === 'country' ? v.toUpperCase() : v };
      return { ...d, shippingQuotes: { ...(d.shippingQuotes ?? {}), gcl: { ...g, sender } } };
    });
  useEffect(() => {
    setLocalErrors(mergeErrors(rowErrors(rows), useGcl ? rowErrors(gclRows, 'shippingQuotes.gcl.row', 'setup.errors.gclMethodRequired') : {}));
  }, [rows, gclRows, useGcl, setLocalErrors]);
  useEffect(() => {
    void mega.run({});
    return () => setLocalErrors({});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const perStore = mega.result ? scriptConfigsPerStore(mega.result, saved?.stores ?? []) : [];

  const runGclCheck = async () => {
    setCheckNote(null);
    check.setResult(null);
    if (!(await saveNow())) {
      setCheckNote(t('setup.writer.saveFirst'));
      return;
    }
    await check.run({});
  };

  return (
    <Stack>
      <Text>{t('setup.shipping.intro')}</Text>
      <PairRows
        label={t('setup.shipping.methods')}
        rows={rows}
        onChange={commit}
        columns={[
          { title: t('setup.shipping.infigoMethod'), inputLabel: (n) => t('setup.shipping.infigoMethodN', { n }), error: (i) => err(`shipping.row[${i}].infigo`) },
          { title: t('setup.shipping.gelatoMethod'), inputLabel: (n) => t('setup.shipping.gelatoMethodN', { n }), error: (i) => err(`shipping.row[${i}].gelato`), choices: GELATO_SHIPPING },
        ]}
        removeLabel={(n) => t('mappings.aria.remove', { n })}
      />
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

      <Title order={3} size="h5">
        {t('setup.shipping.checkoutTitle')}
      </Title>
      <Switch
        label={t('setup.shipping.quotes')}
        checked={quotes}
        onChange={(e) => {
          const enabled = e.currentTarget.checked;
          setDraft((d) => ({ ...d, shippingQuotes: { ...(d.shippingQuotes ?? {}), enabled } }));
        }}
        data-testid="shipping-quotes"
      />
      {quotes && (
        <Radio.Group
          label={t('setup.shipping.source')}
          value={source}
          onChange={(v) => setDraft((d) => ({ ...d, shippingQuotes: { ...(d.shippingQuotes ?? {}), source: v === 'gelato' ? 'gelato' : 'rate-table' } }))}
        >
          <Stack gap={6} mt={6}>
            <Radio value="rate-table" label={t('setup.shipping.sourceRates')} description={t('setup.shipping.sourceRatesHint')} data-testid="source-rate-table" />
            <Radio value="gelato" label={t('setup.shipping.sourceGcl')} description={t('setup.shipping.sourceGclHint')} data-testid="source-gcl" />
          </Stack>
        </Radio.Group>
      )}
      {useGcl && (
        <Stack gap="sm" data-testid="gcl-settings">
          <Title order={4} size="h6">
            {t('setup.gcl.title')}
          </Title>
          <Text size="sm">{t('setup.gcl.intro')}</Text>
          <Group align="end">
            <Stack gap={4}>
              <Text size="sm" fw={500} id="gcl-env-label">
                {t('setup.gcl.environment')}
              </Text>
              <SegmentedControl
                aria-labelledby="gcl-env-label"
                value={gcl.environment ?? 'live'}
                onChange={(v) => setGcl({ environment: v === 'test' ? 'test' : 'live' })}
                data={[
                  { value: 'live', label: t('setup.gcl.live') },
                  { value: 'test', label: t('setup.gcl.test') },
                ]}
                data-testid="gcl-environment"
              />
            </Stack>
            <TextInput
              label={t('setup.gcl.baseUrl')}
              description={t('setup.gcl.baseUrlHint')}
              value={gcl.baseUrl ?? ''}
              error={err('shippingQuotes.gcl.baseUrl')}
              onChange={(e) => setGcl({ baseUrl: e.currentTarget.value.trim() || undefined })}
              style={{ flex: 1 }}
              data-testid="gcl-baseurl"
            />
          </Group>
          <SecretInput label={t('setup.gcl.apiKey')} description={t('setup.gcl.apiKeyHint')} value={gcl.apiKey ?? ''} error={err('shippingQuotes.gcl.apiKey')} onChange={(v) => setGcl({ apiKey: v })} testId="gcl-apikey" />
          <PairRows
            label={t('setup.gcl.methods')}
            rows={gclRows}
            onChange={commitGcl}
            columns={[
              {
                title: t('setup.shipping.infigoMethod'),
                inputLabel: (n) => t('setup.gcl.infigoMethodN', { n }),
                error: (i) => err(`shippingQuotes.gcl.row[${i}].infigo`),
                choices: rows.map((r) => r[0]).filter(Boolean),
              },
              { title: t('setup.gcl.methodUid'), inputLabel: (n) => t('setup.gcl.uidN', { n }), error: (i) => err(`shippingQuotes.gcl.row[${i}].gelato`), placeholder: 'dhl_global_parcel' },
            ]}
            removeLabel={(n) => t('setup.gcl.removeN', { n })}
          />
          <Group>
            <Button size="xs" variant="default" onClick={() => setGclRows([...gclRows, ['', '']])}>
              {t('setup.shipping.addMethod')}
            </Button>
          </Group>
          <Text size="sm" fw={600}>
            {t('setup.gcl.sender')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('setup.gcl.senderHint')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            {SENDER_FIELDS.map((f) => (
              <TextInput
                key={f}
                size="xs"
                label={t(`setup.gcl.senderField.${f}`)}
                value={gcl.sender?.[f] ?? ''}
                error={err(`shippingQuotes.gcl.sender.${f}`)}
                onChange={(e) => setSender(f, e.currentTarget.value)}
                data-testid={`gcl-sender-${f}`}
              />
            ))}
          </SimpleGrid>
          <Group>
            <Button variant="light" loading={check.busy} onClick={() => void runGclCheck()} data-testid="gcl-check">
              {t('setup.gcl.check')}
            </Button>
          </Group>
          {checkNote && (
            <Text size="sm" c="var(--mantine-color-red-light-color)" role="alert">
              {checkNote}
            </Text>
          )}
          <CallErrorAlert error={check.error} />
          {check.result && (
            <div data-testid="gcl-results">
              <CheckResults results={check.result} />
            </div>
          )}
        </Stack>
      )}

      <Title order={3} size="h5">
        {t('setup.shipping.megascript')}
      </Title>
      <Text size="sm">{t('setup.shipping.megascriptHint')}</Text>
      <Text size="sm" data-testid="shipping-address">
        {t('setup.shipping.addressIs', { url: address || '—' })}{' '}
        <Anchor component="button" type="button" underline="always" onClick={() => goTo(stepNumber('statusUpdates'))} data-testid="shipping-address-link">
          {t('setup.shipping.addressLink', { n: stepNumber('statusUpdates') })}
        </Anchor>
      </Text>
      {quotes && unreachable(reach) && (
        <Alert color="orange" role="status" data-testid="shipping-address-warning">
          {t('setup.shipping.addressUnreachable')}
        </Alert>
      )}
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
        <Button
          variant="light"
          loading={selfTest.busy}
          onClick={() => {
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

interface PairColumn {
  title: string;
  /** The accessible name of row n's input (1-based). */
  inputLabel: (n: number) => string;
  error: (i: number) => string | undefined;
  /** Suggestions: the input offers them as it is typed (any text is still allowed). */
  choices?: string[];
  placeholder?: string;
}

/** An editable table of name → name pairs (Infigo method → GelatoConnect method or GCL uid), a Remove per row. */
function PairRows({ label, rows, onChange, columns, removeLabel }: { label: string; rows: MethodRow[]; onChange: (rows: MethodRow[]) => void; columns: [PairColumn, PairColumn]; removeLabel: (n: number) => string }) {
  const { t } = useTranslation();
  const set = (i: number, side: 0 | 1, value: string) => onChange(rows.map((r, j): MethodRow => (j !== i ? r : side === 0 ? [value, r[1]] : [r[0], value])));
  return (
    <Table aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{columns[0].title}</Table.Th>
          <Table.Th>{columns[1].title}</Table.Th>
          <Table.Th>{t('mappings.col.actions')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row, i) => (
          <Table.Tr key={i}>
            {columns.map((c, side) => (
              <Table.Td key={side}>
                {c.choices ? (
                  <Autocomplete size="xs" aria-label={c.inputLabel(i + 1)} data={c.choices} placeholder={c.placeholder} value={row[side]} error={c.error(i)} onChange={(v) => set(i, side as 0 | 1, v)} />
                ) : (
                  <TextInput size="xs" aria-label={c.inputLabel(i + 1)} placeholder={c.placeholder} value={row[side]} error={c.error(i)} onChange={(e) => set(i, side as 0 | 1, e.currentTarget.value)} />
                )}
              </Table.Td>
            ))}
            <Table.Td>
              <Button size="xs" variant="subtle" color="red" aria-label={removeLabel(i + 1)} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                {t('mappings.remove')}
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
