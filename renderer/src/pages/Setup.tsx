import {
  Alert,
  Autocomplete,
  Button,
  Card,
  Group,
  Loader,
  MultiSelect,
  NumberInput,
  PasswordInput,
  Progress,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Stepper,
  Switch,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../../shared/contract';
import { INFIGO_PRODUCT_TYPES } from '../../../shared/domain/infigo';
import { useConfig, type Cfg } from '../api/config';
import { useAction } from '../api/hooks';
import { CallErrorAlert, CheckResults, CopyBlock, CopyValue, ProblemList } from '../components/common';
import { fmtDateTime } from '../format';
import { isSecretReference } from '../../../shared/config';
import { parseConnectorUrls, type ParsedConnectorUrls } from '../../../shared/domain/connector-urls';
import { ENDPOINT_KEYS, slugify, type EndpointKey } from '../setup/endpoints';
import { api, useEngine } from '../store/engine';
import { ChecklistPanel } from './Checklist';
import { MappingsEditor } from './Mappings';

const STEPS = ['welcome', 'infigo', 'gelato', 'orderTypes', 'products', 'shipping', 'statusUpdates', 'testOrders', 'activate'] as const;
type StepName = (typeof STEPS)[number];
/** Steps whose edits live in the draft config and are saved on "Next". */
const SAVES_CONFIG: ReadonlySet<StepName> = new Set(['infigo', 'gelato', 'orderTypes', 'shipping', 'statusUpdates']);

type Store = NonNullable<Cfg['stores']>[number];
type Gelato = NonNullable<Cfg['gelato']>;
type StepProps = { draft: Cfg; setDraft: (f: (d: Cfg) => Cfg) => void };

/**
 * A saved secret comes back from the engine as a reference ("secret:…" or "env:…"), never
 * the value. Show it as "saved" with an empty field; typing replaces it, clearing the field
 * keeps the saved one.
 */
function SecretInput({ label, description, value, onChange, testId }: { label: string; description?: string; value: string; onChange: (v: string) => void; testId?: string }) {
  const { t } = useTranslation();
  const saved = useRef<string | null>(isSecretReference(value) ? value : null);
  if (isSecretReference(value)) saved.current = value;
  const showingSaved = saved.current !== null && value === saved.current;
  return (
    <PasswordInput
      label={label}
      description={showingSaved ? t('setup.secretStored') : description}
      placeholder={showingSaved ? '••••••••' : undefined}
      value={showingSaved ? '' : value}
      required
      onChange={(e) => {
        const v = e.currentTarget.value.trim();
        onChange(v === '' && saved.current ? saved.current : v);
      }}
      data-testid={testId}
    />
  );
}

const emptyEndpoints = (): Gelato['endpoints'] => ({ submitOrder: '', getOrder: '', searchOrders: '', cancelOrder: '', updateShipment: '' });

function WelcomeStep({ onReal, onSandbox }: { onReal: () => void; onSandbox: (msg: string) => void }) {
  const { t } = useTranslation();
  const sandbox = useAction('setup.useSandbox');
  return (
    <Stack>
      <Text>{t('setup.welcome.intro')}</Text>
      <Text size="sm">{t('setup.welcome.need')}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={3} size="h5">
            {t('setup.welcome.realTitle')}
          </Title>
          <Text size="sm" my="xs">
            {t('setup.welcome.realText')}
          </Text>
          <Button onClick={onReal} data-testid="setup-real">
            {t('setup.welcome.realButton')}
          </Button>
        </Card>
        <Card withBorder>
          <Title order={3} size="h5">
            {t('setup.welcome.sandboxTitle')}
          </Title>
          <Text size="sm" my="xs">
            {t('setup.welcome.sandboxText')}
          </Text>
          <Button
            variant="light"
            loading={sandbox.busy}
            data-testid="setup-sandbox"
            onClick={async () => {
              const r = await sandbox.run({ orders: 20 });
              if (r?.ok) onSandbox(r.message);
            }}
          >
            {t('setup.welcome.sandboxButton')}
          </Button>
          {sandbox.result && !sandbox.result.ok && (
            <Alert color="orange" mt="xs">
              {sandbox.result.message}
            </Alert>
          )}
        </Card>
      </SimpleGrid>
      <CallErrorAlert error={sandbox.error} />
    </Stack>
  );
}

function InfigoStep({ draft, setDraft }: StepProps) {
  const { t } = useTranslation();
  const stores = draft.stores ?? [];
  const [idx, setIdx] = useState(0);
  const check = useAction('setup.checkInfigo');
  const store = stores[idx];
  const setStore = (patch: Omit<Partial<Store>, 'infigo'> & { infigo?: Partial<Store['infigo']> }) =>
    setDraft((d) => {
      const list = [...(d.stores ?? [])];
      const cur = list[idx];
      if (!cur) return d;
      list[idx] = { ...cur, ...patch, infigo: { ...cur.infigo, ...(patch.infigo ?? {}) } };
      return { ...d, stores: list };
    });
  const addStore = () => {
    setDraft((d) => ({
      ...d,
      stores: [...(d.stores ?? []), { id: '', name: '', infigo: { baseUrl: '', apiToken: '' }, gelatoCustomerReferenceId: '' }],
    }));
    setIdx(stores.length);
    check.setResult(null);
  };

  useEffect(() => {
    if (stores.length === 0) addStore();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (!store) return <Loader aria-label={t('common.loading')} />;
  return (
    <Stack>
      <Text>{t('setup.infigo.intro')}</Text>
      {stores.length > 1 && (
        <SegmentedControl
          aria-label={t('setup.infigo.whichStore')}
          value={String(idx)}
          onChange={(v) => {
            setIdx(Number(v));
            check.setResult(null);
          }}
          data={stores.map((s, i) => ({ value: String(i), label: s.name || t('setup.infigo.storeN', { n: i + 1 }) }))}
        />
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TextInput
          label={t('setup.infigo.name')}
          value={store.name}
          required
          onChange={(e) => {
            const name = e.currentTarget.value;
            // The id follows the name until the person edits it, so the common case is one field.
            setStore({ name, ...(store.id === '' || store.id === slugify(store.name) ? { id: slugify(name) } : {}) });
          }}
        />
        <TextInput label={t('setup.infigo.id')} description={t('setup.infigo.idHint')} value={store.id} required onChange={(e) => setStore({ id: e.currentTarget.value })} />
        <TextInput
          label={t('setup.infigo.baseUrl')}
          placeholder="https://yourcompany.infigo.net"
          value={store.infigo.baseUrl}
          required
          onChange={(e) => setStore({ infigo: { baseUrl: e.currentTarget.value.trim() } })}
          data-testid="infigo-baseurl"
        />
        <SecretInput
          label={t('setup.infigo.token')}
          description={t('setup.infigo.tokenHint')}
          value={store.infigo.apiToken}
          onChange={(v) => setStore({ infigo: { apiToken: v } })}
          testId="infigo-token"
        />
      </SimpleGrid>
      <Group>
        <Button
          variant="light"
          loading={check.busy}
          disabled={!store.infigo.baseUrl || !store.infigo.apiToken}
          onClick={() => void check.run({ baseUrl: store.infigo.baseUrl, apiToken: store.infigo.apiToken })}
          data-testid="infigo-check"
        >
          {t('setup.checkConnection')}
        </Button>
        <Button variant="subtle" onClick={addStore}>
          {t('setup.infigo.addStore')}
        </Button>
      </Group>
      <CallErrorAlert error={check.error} />
      {check.result && <CheckResults results={check.result} />}
    </Stack>
  );
}

function GelatoStep({ draft, setDraft }: StepProps) {
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

function OrderTypesStep({ draft, setDraft, save }: StepProps & { save: () => Promise<boolean> }) {
  const { t } = useTranslation();
  const ot = draft.orderTypes ?? {};
  const printable = ot.printable?.productTypes ?? [20, 30, 40, 50, 80];
  const stock = ot.stock?.productTypes ?? [10];
  const preview = useAction('mappings.classifyPreview');
  const typeData = INFIGO_PRODUCT_TYPES.map((p) => ({ value: String(p.type), label: `${p.type} · ${p.name}` }));
  const setOt = (patch: Partial<NonNullable<Cfg['orderTypes']>>) => setDraft((d) => ({ ...d, orderTypes: { ...(d.orderTypes ?? {}), ...patch } }));

  return (
    <Stack>
      <Text>{t('setup.orderTypes.intro')}</Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <MultiSelect
          label={t('setup.orderTypes.printable')}
          data={typeData}
          value={printable.map(String)}
          onChange={(v) => setOt({ printable: { ...(ot.printable ?? {}), productTypes: v.map(Number) } })}
        />
        <MultiSelect label={t('setup.orderTypes.stock')} data={typeData} value={stock.map(String)} onChange={(v) => setOt({ stock: { ...(ot.stock ?? {}), productTypes: v.map(Number) } })} />
        <TagsInput
          label={t('setup.orderTypes.printableTags')}
          description={t('setup.orderTypes.tagsHint')}
          value={ot.printable?.tags ?? []}
          onChange={(v) => setOt({ printable: { ...(ot.printable ?? {}), tags: v } })}
        />
        <TagsInput label={t('setup.orderTypes.stockTags')} value={ot.stock?.tags ?? []} onChange={(v) => setOt({ stock: { ...(ot.stock ?? {}), tags: v } })} />
      </SimpleGrid>
      <Radio.Group label={t('setup.orderTypes.policy')} value={ot.stockPolicy ?? 'exclude'} onChange={(v) => setOt({ stockPolicy: v as 'exclude' | 'send-as-stock' | 'hold' })}>
        <Stack gap={6} mt={6}>
          <Radio value="exclude" label={t('setup.orderTypes.policyExclude')} />
          <Radio value="send-as-stock" label={t('setup.orderTypes.policySend')} />
          <Radio value="hold" label={t('setup.orderTypes.policyHold')} />
        </Stack>
      </Radio.Group>
      <Group>
        <Button
          variant="light"
          loading={preview.busy}
          onClick={async () => {
            if (await save()) void preview.run({ limit: 25 });
          }}
        >
          {t('setup.orderTypes.preview')}
        </Button>
      </Group>
      <CallErrorAlert error={preview.error} />
      {preview.result && preview.result.length === 0 && <Text c="dimmed">{t('setup.orderTypes.noOrders')}</Text>}
      {preview.result && preview.result.length > 0 && (
        <Table aria-label={t('setup.orderTypes.preview')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('orders.col.store')}</Table.Th>
              <Table.Th>{t('orders.col.infigo')}</Table.Th>
              <Table.Th>{t('order.line.sku')}</Table.Th>
              <Table.Th>{t('setup.orderTypes.productType')}</Table.Th>
              <Table.Th>{t('order.line.kind')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.result.flatMap((o) =>
              o.lines.map((l) => (
                <Table.Tr key={`${o.orderId}-${l.jobId}`}>
                  <Table.Td>{o.storeId}</Table.Td>
                  <Table.Td>{o.orderId}</Table.Td>
                  <Table.Td>{l.sku ?? l.name ?? '—'}</Table.Td>
                  <Table.Td>{l.productType ?? '—'}</Table.Td>
                  <Table.Td>{t(`kind.${l.kind}`)}</Table.Td>
                </Table.Tr>
              )),
            )}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

const GELATO_SHIPPING = ['normal', 'standard', 'express', 'pallet'];

function ShippingStep({ draft, setDraft }: StepProps) {
  const { t } = useTranslation();
  const methods = Object.entries(draft.shipping?.methods ?? {});
  const [rows, setRows] = useState<[string, string][]>(methods.length ? methods : [['', '']]);
  const mega = useAction('shipping.megascript');
  const selfTest = useAction('shipping.selfTest');

  const commit = (next: [string, string][]) => {
    setRows(next);
    setDraft((d) => ({
      ...d,
      shipping: { ...(d.shipping ?? {}), methods: Object.fromEntries(next.filter(([k, v]) => k.trim() && v.trim()).map(([k, v]) => [k.trim(), v.trim()])) },
    }));
  };
  useEffect(() => {
    void mega.run({});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

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
                <TextInput size="xs" aria-label={t('setup.shipping.infigoMethodN', { n: i + 1 })} value={k} onChange={(e) => commit(rows.map((r, j) => (j === i ? [e.currentTarget.value, r[1]] : r)))} />
              </Table.Td>
              <Table.Td>
                <Autocomplete size="xs" aria-label={t('setup.shipping.gelatoMethodN', { n: i + 1 })} data={GELATO_SHIPPING} value={v} onChange={(val) => commit(rows.map((r, j) => (j === i ? [r[0], val] : r)))} />
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
        onChange={(e) => {
          const v = e.currentTarget.value.trim();
          setDraft((d) => ({ ...d, server: { ...(d.server ?? {}), publicBaseUrl: v || undefined } }));
        }}
      />
      <Title order={3} size="h5">
        {t('setup.shipping.megascript')}
      </Title>
      <Text size="sm">{t('setup.shipping.megascriptHint')}</Text>
      <CallErrorAlert error={mega.error} onRetry={() => void mega.run({})} />
      {mega.result && (
        <>
          <CopyBlock label={t('setup.shipping.megascriptSource')} value={mega.result.source} />
          <CopyBlock label={t('setup.shipping.megascriptConfig')} value={mega.result.config} />
        </>
      )}
      <Group>
        <Button variant="light" loading={selfTest.busy} onClick={() => void selfTest.run({})}>
          {t('setup.shipping.selfTest')}
        </Button>
      </Group>
      <CallErrorAlert error={selfTest.error} />
      {selfTest.result && <CheckResults results={[selfTest.result]} />}
    </Stack>
  );
}

function StatusStep({ draft, setDraft }: StepProps) {
  const { t } = useTranslation();
  const su = draft.statusUpdates ?? {};
  const mode = su.mode ?? 'polling';
  const triggers = useAction('postbacks.triggers');
  useEffect(() => {
    if (mode === 'postback') void triggers.run({});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode]);
  const setSu = (patch: Partial<NonNullable<Cfg['statusUpdates']>>) => setDraft((d) => ({ ...d, statusUpdates: { ...(d.statusUpdates ?? {}), ...patch } }));

  return (
    <Stack>
      <Text>{t('setup.status.intro')}</Text>
      <Radio.Group label={t('setup.status.mode')} value={mode} onChange={(v) => setSu({ mode: v === 'postback' ? 'postback' : 'polling' })}>
        <Stack gap={6} mt={6}>
          <Radio value="postback" label={t('setup.status.postbackLabel')} description={t('setup.status.postbackHint')} />
          <Radio value="polling" label={t('setup.status.pollingLabel')} description={t('setup.status.pollingHint')} />
        </Stack>
      </Radio.Group>
      {mode === 'polling' && (
        <NumberInput label={t('setup.status.pollMinutes')} min={1} max={1440} value={su.pollMinutes ?? 10} onChange={(v) => setSu({ pollMinutes: Number(v) || 10 })} w={220} />
      )}
      {mode === 'postback' && (
        <>
          <TextInput
            label={t('setup.publicBaseUrl')}
            description={t('setup.publicBaseUrlHint')}
            value={draft.server?.publicBaseUrl ?? ''}
            onChange={(e) => {
              const v = e.currentTarget.value.trim();
              setDraft((d) => ({ ...d, server: { ...(d.server ?? {}), publicBaseUrl: v || undefined } }));
            }}
          />
          <Text size="sm">{t('setup.status.triggersHint')}</Text>
          <CallErrorAlert error={triggers.error} onRetry={() => void triggers.run({})} />
          {triggers.result?.map((tr) => (
            <Card withBorder key={tr.event} data-testid={`trigger-${tr.event}`}>
              <Group justify="space-between">
                <Title order={4} size="h6">
                  {tr.name} ({tr.event})
                </Title>
              </Group>
              <Stack gap={6} mt="xs">
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" fw={600}>
                    {tr.method}
                  </Text>
                  <Text size="sm" style={{ wordBreak: 'break-all', flex: 1 }}>
                    {tr.url}
                  </Text>
                  <CopyValue value={tr.url} label={`${tr.name} URL`} />
                </Group>
                <Text size="sm">
                  {t('setup.status.format')}: {tr.format}
                </Text>
                {Object.keys(tr.headers).length > 0 && <CopyBlock label={t('setup.status.headers')} value={Object.entries(tr.headers).map(([k, v]) => `${k}: ${v}`).join('\n')} />}
                <CopyBlock label={t('setup.status.template')} value={tr.template} maxHeight={180} />
              </Stack>
            </Card>
          ))}
        </>
      )}
    </Stack>
  );
}

function ActivateStep({ draft, save }: { draft: Cfg; save: () => Promise<boolean> }) {
  const { t } = useTranslation();
  const status = useEngine((s) => s.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const activate = async () => {
    setBusy(true);
    setError(null);
    try {
      if (!(await save())) return;
      const s = await api.call('sync.resume', {});
      useEngine.getState().setStatus(s);
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack>
      <Text>{t('setup.activate.intro')}</Text>
      <Table aria-label={t('setup.activate.summary')}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th scope="row">{t('settings.stores')}</Table.Th>
            <Table.Td>{(draft.stores ?? []).map((s) => s.name || s.id).join(', ') || '—'}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('nav.mappings')}</Table.Th>
            <Table.Td>{(draft.products ?? []).length}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('setup.shipping.methods')}</Table.Th>
            <Table.Td>{Object.keys(draft.shipping?.methods ?? {}).length}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('setup.status.mode')}</Table.Th>
            <Table.Td>{t(`setup.status.${draft.statusUpdates?.mode ?? 'polling'}`)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th scope="row">{t('settings.interval')}</Table.Th>
            <Table.Td>{draft.sync?.intervalMinutes ?? 15}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <Group>
        <Button color="green" loading={busy} onClick={() => void activate()} data-testid="setup-activate">
          {t('setup.activate.button')}
        </Button>
      </Group>
      <CallErrorAlert error={error} />
      {(done || (status && !status.paused && status.configured)) && (
        <Alert color="green" role="status" data-testid="setup-active">
          {t('setup.activate.active', { next: status?.nextSyncAt ? fmtDateTime(status.nextSyncAt) : '—', minutes: draft.sync?.intervalMinutes ?? 15 })}
        </Alert>
      )}
    </Stack>
  );
}

export function SetupPage() {
  const { t } = useTranslation();
  const cfg = useConfig();
  const [draft, setDraftState] = useState<Cfg | null>(null);
  const [dirty, setDirty] = useState(false);
  const [step, setStep] = useState(1);
  const [completed, setCompleted] = useState<number[]>([]);
  const [progressError, setProgressError] = useState<unknown>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('setup.progress', {})
      .then((p) => {
        setStep(Math.min(9, Math.max(1, p.step)));
        setCompleted(p.completed);
      })
      .catch(setProgressError);
  }, []);
  useEffect(() => {
    if (cfg.config && !dirty) setDraftState(cfg.config);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cfg.config]);

  const setDraft = (f: (d: Cfg) => Cfg) => {
    setDraftState((d) => f(d ?? {}));
    setDirty(true);
  };

  const saveDraft = async (): Promise<boolean> => {
    if (!draft) return false;
    if (!dirty) return true;
    setSaving(true);
    setSaveError(null);
    const r = await cfg.save(draft);
    setSaving(false);
    setProblems(r.problems);
    if (r.ok) setDirty(false);
    else if (r.error && r.problems.length === 0) setSaveError(r.error);
    return r.ok;
  };

  const goTo = async (next: number, markDone: boolean) => {
    const name = STEPS[step - 1];
    if (markDone && name && SAVES_CONFIG.has(name) && !(await saveDraft())) return;
    const done = markDone && !completed.includes(step) ? [...completed, step].sort((a, b) => a - b) : completed;
    setCompleted(done);
    setStep(next);
    setProblems([]);
    try {
      await api.call('setup.saveProgress', { step: next, completed: done });
    } catch (e) {
      // Progress is a convenience; losing it must not block the wizard.
      setProgressError(e);
    }
  };

  const name = STEPS[step - 1] ?? 'welcome';
  const pct = Math.round((completed.length / STEPS.length) * 100);

  return (
    <Stack>
      <Title order={2}>{t('setup.title')}</Title>
      <Group gap="sm">
        <Progress value={pct} w={240} aria-label={t('setup.progress')} />
        <Text size="sm">{t('setup.progressText', { done: completed.length, total: STEPS.length })}</Text>
      </Group>
      {progressError ? <CallErrorAlert error={progressError} /> : null}
      <CallErrorAlert error={cfg.error} onRetry={() => void cfg.reload()} />
      <Stepper active={step - 1} onStepClick={(i) => void goTo(i + 1, false)} size="sm" wrap allowNextStepsSelect>
        {STEPS.map((s, i) => (
          <Stepper.Step key={s} label={t(`setup.steps.${s}`)} completedIcon={completed.includes(i + 1) ? undefined : i + 1} aria-label={t('setup.stepN', { n: i + 1, name: t(`setup.steps.${s}`) })} />
        ))}
      </Stepper>
      <Card withBorder data-testid={`setup-step-${name}`}>
        <Title order={3} size="h4" mb="sm">
          {t('setup.stepN', { n: step, name: t(`setup.steps.${name}`) })}
        </Title>
        {note && (
          <Alert color="green" mb="sm" role="status">
            {note}
          </Alert>
        )}
        {!draft && !cfg.error && <Loader aria-label={t('common.loading')} />}
        {draft && (
          <>
            {name === 'welcome' && (
              <WelcomeStep
                onReal={() => void goTo(2, true)}
                onSandbox={(msg) => {
                  setNote(msg);
                  setDirty(false);
                  void cfg.reload().then(() => goTo(2, true));
                }}
              />
            )}
            {name === 'infigo' && <InfigoStep draft={draft} setDraft={setDraft} />}
            {name === 'gelato' && <GelatoStep draft={draft} setDraft={setDraft} />}
            {name === 'orderTypes' && <OrderTypesStep draft={draft} setDraft={setDraft} save={saveDraft} />}
            {name === 'products' && <MappingsEditor compact />}
            {name === 'shipping' && <ShippingStep draft={draft} setDraft={setDraft} />}
            {name === 'statusUpdates' && <StatusStep draft={draft} setDraft={setDraft} />}
            {name === 'testOrders' && <ChecklistPanel sandbox />}
            {name === 'activate' && <ActivateStep draft={draft} save={saveDraft} />}
          </>
        )}
        {problems.length > 0 && (
          <Alert color="red" title={t('setup.saveProblems')} mt="md" data-testid="setup-problems">
            <ProblemList problems={problems} />
          </Alert>
        )}
        <CallErrorAlert error={saveError} />
      </Card>
      <Group justify="space-between">
        <Button variant="default" disabled={step === 1} onClick={() => void goTo(step - 1, false)}>
          {t('common.back')}
        </Button>
        {step < STEPS.length && (
          <Button onClick={() => void goTo(step + 1, true)} loading={saving} data-testid="setup-next">
            {SAVES_CONFIG.has(name) ? t('setup.saveNext') : t('setup.next')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
