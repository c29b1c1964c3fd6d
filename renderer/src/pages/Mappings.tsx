import { Alert, Badge, Button, Card, Code, FileButton, Group, List, Modal, ScrollArea, SegmentedControl, Select, Stack, Table, Text, Textarea, TextInput, Title, UnstyledButton, VisuallyHidden } from '@mantine/core';
import Papa from 'papaparse';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MutableRefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../../shared/contract';
import { useConfig } from '../api/config';
import { downloadText, useAction, useCall } from '../api/hooks';
import { CallErrorAlert, ProblemList, UnsavedChoices } from '../components/common';
import { fmtDateTime, fmtNumber } from '../format';
import { setLeaveGuard } from '../router';
import { problemText } from '../i18n/engine-text';
import {
  applyImport,
  CSV_COLUMNS,
  diffRows,
  formatPairs,
  fromCsvRecords,
  fromProducts,
  hasErrors,
  newRowId,
  problemRow,
  toCsvRecords,
  toProducts,
  validateRows,
  type EditRow,
  type ImportMode,
  type RowErrors,
} from '../mappings/model';

type SortKey = 'sku' | 'product';
type Field = keyof RowErrors;

interface PendingImport {
  rows: EditRow[];
  errors: RowErrors[];
  parseErrors: string[];
}

/** A product UID has no spaces and no line breaks: Enter leaves the field instead of breaking it. */
const noNewline = (e: KeyboardEvent<HTMLTextAreaElement>) => {
  if (e.key === 'Enter') e.preventDefault();
};
const oneLine = (v: string) => v.replace(/[\r\n]+/g, '');

/**
 * What the setup wizard needs of the editor to guard step 5 like its other steps: the editor
 * saves by itself, so leaving the step with rows typed and not saved asks first.
 */
export interface EditorGuard {
  isDirty(): boolean;
  /** Saves the rows; false when they could not be saved (the reasons are shown in the editor). */
  save(): Promise<boolean>;
  discard(): void;
}

/** The product mapping table; also used inside the setup wizard (step 5), which passes `guard`. */
export function MappingsEditor({ compact = false, guard }: { compact?: boolean; guard?: MutableRefObject<EditorGuard | null> }) {
  const { t } = useTranslation();
  const cfg = useConfig();
  const unmapped = useCall('mappings.unmapped', {});
  const [rows, setRows] = useState<EditRow[]>([]);
  const [dirty, setDirty] = useState(false);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'sku', dir: 1 });
  const [serverProblems, setServerProblems] = useState<Problem[]>([]);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState<PendingImport | null>(null);
  const [importMode, setImportMode] = useState<ImportMode>('merge');
  // A row added here starts with empty fields, which are errors only once the person has left
  // them (or tried to save): red text under a field nobody has typed in yet reads as a fault.
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [revealAll, setRevealAll] = useState(false);

  useEffect(() => {
    if (cfg.config && !dirty) setRows(fromProducts(cfg.config.products));
    // Only the loaded config should reset the editor, not each keystroke.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cfg.config]);

  const errors = useMemo(() => validateRows(rows, t), [rows, t]);
  const invalid = hasErrors(errors);
  /** The errors shown for row `i`: all of a row loaded from the config, a new row's once each field was left. */
  const shown = (i: number): RowErrors => {
    const e = errors[i] ?? {};
    const r = rows[i];
    if (!r || revealAll || !fresh.has(r.rowId)) return e;
    return Object.fromEntries(Object.entries(e).filter(([f]) => touched.has(`${r.rowId}:${f}`)));
  };
  const shownInvalid = rows.some((_, i) => Object.keys(shown(i)).length > 0);
  const touch = (rowId: string, field: Field) => {
    const k = `${rowId}:${field}`;
    if (fresh.has(rowId) && !touched.has(k)) setTouched((s) => new Set(s).add(k));
  };
  const byRow = useMemo(() => {
    const m = new Map<number, Problem[]>();
    for (const p of serverProblems) {
      const i = problemRow(p.path);
      if (i !== null) m.set(i, [...(m.get(i) ?? []), p]);
    }
    return m;
  }, [serverProblems]);
  const otherProblems = serverProblems.filter((p) => problemRow(p.path) === null);

  const visible = useMemo(() => {
    const q = search.trim().toLowerCase();
    const idx = rows.map((r, i) => ({ r, i }));
    const filtered = q
      ? idx.filter(({ r }) => [r.sku, r.attributes, r.productUid, r.productName, r.productVariant].some((v) => v.toLowerCase().includes(q)))
      : idx;
    const val = (r: EditRow) => (sort.key === 'sku' ? r.sku : r.mode === 'uid' ? r.productUid : r.productName).toLowerCase();
    return [...filtered].sort((a, b) => val(a.r).localeCompare(val(b.r)) * sort.dir);
  }, [rows, search, sort]);

  const update = (rowId: string, patch: Partial<EditRow>) => {
    setRows((rs) => rs.map((r) => (r.rowId === rowId ? { ...r, ...patch } : r)));
    setDirty(true);
    setSaved(false);
  };
  const addRow = (init: Partial<EditRow> = {}) => {
    const row: EditRow = { rowId: newRowId(), sku: '', attributes: '', mode: 'uid', productUid: '', productName: '', productVariant: '', attributeMap: '', ...init };
    setRows((rs) => [...rs, row]);
    setFresh((s) => new Set(s).add(row.rowId));
    setDirty(true);
    setSaved(false);
    setSearch('');
    // Focus the new row's first empty field so keyboard users land where they need to type.
    setTimeout(() => document.getElementById(`${row.rowId}-${row.sku ? 'productUid' : 'sku'}`)?.focus(), 50);
  };

  const save = async (): Promise<boolean> => {
    if (!cfg.config) return false;
    if (invalid) {
      // Show every error now, and take the person to the first one. (Save is not disabled by
      // errors: a button that disabled itself when a field is left would swallow the click that
      // left it, and a keyboard user could not reach it to learn what is wrong.)
      setRevealAll(true);
      const i = errors.findIndex((e) => Object.keys(e).length > 0);
      const r = rows[i];
      const field = r && (Object.keys(errors[i]!)[0] as Field);
      if (r && field) setTimeout(() => document.getElementById(`${r.rowId}-${field === 'productName' ? 'productUid' : field}`)?.focus(), 0);
      return false;
    }
    setSaving(true);
    setSaveError(null);
    const r = await cfg.save({ ...cfg.config, products: toProducts(rows) as never });
    setSaving(false);
    setServerProblems(r.problems);
    if (r.ok) {
      setDirty(false);
      setSaved(true);
      setFresh(new Set());
      setTouched(new Set());
      setRevealAll(false);
      void unmapped.reload();
    } else if (r.error && r.problems.length === 0) setSaveError(r.error);
    return r.ok;
  };
  const discard = () => {
    if (cfg.config) setRows(fromProducts(cfg.config.products));
    setDirty(false);
    setFresh(new Set());
    setTouched(new Set());
    setRevealAll(false);
    setServerProblems([]);
  };
  const dirtyNow = useRef(dirty);
  dirtyNow.current = dirty;
  // Fresh closures every render; cleared when the editor leaves the page.
  useEffect(() => {
    if (guard) guard.current = { isDirty: () => dirtyNow.current, save, discard };
  });
  // Leaving for another page (the navigation, a link) with rows not saved asks first.
  const [leaving, setLeaving] = useState<(() => void) | null>(null);
  useEffect(() => setLeaveGuard({ dirty: () => dirtyNow.current, ask: (proceed) => setLeaving(() => proceed) }), []);
  const leave = async (choice: 'stay' | 'discard' | 'save') => {
    const proceed = leaving;
    setLeaving(null);
    if (!proceed || choice === 'stay') return;
    if (choice === 'save' && !(await save())) return;
    if (choice === 'discard') discard();
    proceed();
  };
  useEffect(
    () => () => {
      if (guard) guard.current = null;
    },
    [guard],
  );

  const importCsv = (file: File | null) => {
    if (!file) return;
    Papa.parse<Record<string, string>>(file, {
      header: true,
      skipEmptyLines: 'greedy',
      transformHeader: (h) => h.trim(),
      complete: (res) => {
        const parseErrors = res.errors.map((e) => t('mappings.csv.parseError', { row: (e.row ?? 0) + 2, message: e.message }));
        const missing = CSV_COLUMNS.filter((c) => c !== 'attributes' && c !== 'productVariant' && !res.meta.fields?.includes(c));
        if (missing.length === CSV_COLUMNS.length - 2 || !res.meta.fields?.includes('sku')) parseErrors.push(t('mappings.csv.missingColumns', { columns: CSV_COLUMNS.join(', ') }));
        const incoming = fromCsvRecords(res.data);
        setPending({ rows: incoming, errors: validateRows(incoming, t), parseErrors });
      },
    });
  };

  const exportCsv = () => {
    downloadText('presslink-mappings.csv', Papa.unparse(toCsvRecords(rows), { columns: [...CSV_COLUMNS] }), 'text/csv');
  };

  const sortHeader = (key: SortKey, label: string, w?: number) => (
    <Table.Th w={w} aria-sort={sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => setSort((s) => ({ key, dir: s.key === key ? ((-s.dir) as 1 | -1) : 1 }))} fw={600} fz="sm">
        {label} {sort.key === key ? (sort.dir === 1 ? '▲' : '▼') : ''}
      </UnstyledButton>
    </Table.Th>
  );

  const pendingInvalid = pending ? pending.parseErrors.length > 0 || hasErrors(pending.errors) : true;
  const diff = useMemo(() => (pending ? diffRows(rows, pending.rows, importMode) : null), [rows, pending, importMode]);

  return (
    <Stack>
      <CallErrorAlert error={cfg.error} onRetry={() => void cfg.reload()} />
      <Group justify="space-between" align="end">
        <TextInput label={t('mappings.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={260} data-testid="mappings-search" />
        <Group gap="xs">
          <Button variant="default" onClick={() => addRow()}>
            {t('mappings.add')}
          </Button>
          <FileButton onChange={importCsv} accept=".csv,text/csv">
            {(props) => (
              <Button variant="default" {...props} data-testid="mappings-import">
                {t('mappings.csv.import')}
              </Button>
            )}
          </FileButton>
          <Button variant="default" onClick={exportCsv} disabled={rows.length === 0}>
            {t('mappings.csv.export')}
          </Button>
          <Button onClick={() => void save()} loading={saving} disabled={!dirty || !cfg.config} data-testid="mappings-save">
            {t('common.save')}
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed" data-testid="uid-check-note">
        {t('mappings.uidCheckNote')}
      </Text>
      {shownInvalid && (
        <Text size="sm" c="var(--mantine-color-red-light-color)" role="status">
          {t('mappings.fixErrors')}
        </Text>
      )}
      {saved && (
        <Text size="sm" c="var(--mantine-color-green-light-color)" role="status">
          {t('common.saved')}
        </Text>
      )}
      {otherProblems.length > 0 && (
        <Alert color="red" title={t('common.problems')}>
          <ProblemList problems={otherProblems} />
        </Alert>
      )}
      <CallErrorAlert error={saveError} />

      <ScrollArea.Autosize mah={compact ? 420 : 560} type="auto">
        {/* Wide enough for real product UIDs (52 characters and more), which wrap rather than being cut. */}
        <Table stickyHeader striped aria-label={t('mappings.tableLabel')} data-testid="mappings-table" miw={1100} style={{ tableLayout: 'fixed' }}>
          <Table.Thead>
            <Table.Tr>
              {sortHeader('sku', t('mappings.col.sku'), 150)}
              <Table.Th w={170}>{t('mappings.col.attributes')}</Table.Th>
              <Table.Th w={225}>{t('mappings.col.kind')}</Table.Th>
              {sortHeader('product', t('mappings.col.product'))}
              <Table.Th w={190}>{t('mappings.col.variant')}</Table.Th>
              <Table.Th w={90}>
                <VisuallyHidden>{t('mappings.col.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {visible.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  <Text c="dimmed">{rows.length === 0 ? t('mappings.empty') : t('mappings.noMatch')}</Text>
                </Table.Td>
              </Table.Tr>
            )}
            {visible.map(({ r, i }) => {
              const e = shown(i);
              const sp = byRow.get(i);
              const n = i + 1;
              return (
                <Table.Tr key={r.rowId} data-testid={`mapping-row-${i}`}>
                  <Table.Td>
                    <TextInput
                      id={`${r.rowId}-sku`}
                      size="xs"
                      aria-label={t('mappings.aria.sku', { n })}
                      value={r.sku}
                      error={e.sku}
                      onChange={(ev) => update(r.rowId, { sku: ev.currentTarget.value })}
                      onBlur={() => touch(r.rowId, 'sku')}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput
                      size="xs"
                      aria-label={t('mappings.aria.attributes', { n })}
                      placeholder="Paper=Silk; Size=A4"
                      id={`${r.rowId}-attributes`}
                      value={r.attributes}
                      error={e.attributes}
                      onChange={(ev) => update(r.rowId, { attributes: ev.currentTarget.value })}
                      onBlur={() => touch(r.rowId, 'attributes')}
                    />
                  </Table.Td>
                  <Table.Td>
                    <SegmentedControl
                      size="xs"
                      aria-label={t('mappings.aria.kind', { n })}
                      value={r.mode}
                      onChange={(v) => update(r.rowId, { mode: v === 'name' ? 'name' : 'uid' })}
                      data={[
                        { value: 'uid', label: t('mappings.kindUid') },
                        { value: 'name', label: t('mappings.kindName') },
                      ]}
                    />
                  </Table.Td>
                  <Table.Td>
                    {r.mode === 'uid' ? (
                      <Textarea
                        id={`${r.rowId}-productUid`}
                        size="xs"
                        autosize
                        minRows={1}
                        aria-label={t('mappings.aria.uid', { n })}
                        placeholder="flat_product_pf_a4_pt_…"
                        value={r.productUid}
                        error={e.productUid}
                        onKeyDown={noNewline}
                        onChange={(ev) => update(r.rowId, { productUid: oneLine(ev.currentTarget.value) })}
                        onBlur={() => touch(r.rowId, 'productUid')}
                        styles={{ input: { wordBreak: 'break-all', fontFamily: 'var(--mantine-font-family-monospace)' } }}
                        data-testid={`mapping-uid-${i}`}
                      />
                    ) : (
                      <TextInput
                        id={`${r.rowId}-productUid`}
                        size="xs"
                        aria-label={t('mappings.aria.name', { n })}
                        value={r.productName}
                        error={e.productName}
                        onChange={(ev) => update(r.rowId, { productName: ev.currentTarget.value })}
                        onBlur={() => touch(r.rowId, 'productName')}
                      />
                    )}
                    {sp && (
                      <Text size="xs" c="var(--mantine-color-red-light-color)">
                        {sp.map((p) => problemText(p)).join('; ')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {r.mode === 'name' ? (
                      <Stack gap={4}>
                        <TextInput
                          size="xs"
                          aria-label={t('mappings.aria.variant', { n })}
                          placeholder="Paper=Silk 170gsm"
                          value={r.productVariant}
                          error={e.productVariant}
                          onChange={(ev) => update(r.rowId, { productVariant: ev.currentTarget.value })}
                          onBlur={() => touch(r.rowId, 'productVariant')}
                        />
                        <TextInput
                          size="xs"
                          aria-label={t('mappings.aria.attributeMap', { n })}
                          placeholder={t('mappings.attributeMapPlaceholder')}
                          value={r.attributeMap}
                          error={e.attributeMap}
                          onChange={(ev) => update(r.rowId, { attributeMap: ev.currentTarget.value })}
                          onBlur={() => touch(r.rowId, 'attributeMap')}
                        />
                      </Stack>
                    ) : (
                      <Text size="xs" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={t('mappings.aria.remove', { n })}
                      onClick={() => {
                        setRows((rs) => rs.filter((x) => x.rowId !== r.rowId));
                        setDirty(true);
                      }}
                    >
                      {t('mappings.remove')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </ScrollArea.Autosize>

      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          {t('mappings.unmappedTitle')}
        </Title>
        <CallErrorAlert error={unmapped.error} />
        {unmapped.data && unmapped.data.length === 0 && <Text c="dimmed">{t('mappings.unmappedNone')}</Text>}
        {unmapped.data && unmapped.data.length > 0 && (
          <Table aria-label={t('mappings.unmappedTitle')} data-testid="unmapped-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('mappings.col.sku')}</Table.Th>
                <Table.Th>{t('mappings.col.attributes')}</Table.Th>
                <Table.Th>{t('mappings.col.count')}</Table.Th>
                <Table.Th>{t('mappings.col.lastSeen')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('mappings.col.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {unmapped.data.map((u) => (
                <Table.Tr key={`${u.sku}|${formatPairs(u.attributes)}`}>
                  <Table.Td>{u.sku}</Table.Td>
                  <Table.Td>{formatPairs(u.attributes) || '—'}</Table.Td>
                  <Table.Td>{fmtNumber(u.count)}</Table.Td>
                  <Table.Td>{fmtDateTime(u.lastSeen)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => addRow({ sku: u.sku, attributes: formatPairs(u.attributes) })} aria-label={t('mappings.mapSku', { sku: u.sku })}>
                      {t('mappings.map')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={leaving !== null} onClose={() => void leave('stay')} title={t('setup.unsaved.title')} centered>
        <UnsavedChoices text={t('mappings.leaveText')} testId="mappings-leave" buttonTestId="mappings-leave" onAnswer={(a) => void leave(a)} />
      </Modal>
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={pending !== null} onClose={() => setPending(null)} title={t('mappings.csv.previewTitle')} size="xl">
        {pending && diff && (
          <Stack data-testid="csv-preview">
            <SegmentedControl
              value={importMode}
              onChange={(v) => setImportMode(v === 'replace' ? 'replace' : 'merge')}
              aria-label={t('mappings.csv.mode')}
              data-testid="csv-mode"
              data={[
                { value: 'merge', label: t('mappings.csv.merge') },
                { value: 'replace', label: t('mappings.csv.replace') },
              ]}
            />
            <Text size="sm">{importMode === 'merge' ? t('mappings.csv.mergeExplain') : t('mappings.csv.replaceExplain')}</Text>
            <Group gap="xs" data-testid="csv-diff-counts">
              <Badge color="green" variant="light" autoContrast>
                {t('mappings.csv.added', { count: diff.added.length })}
              </Badge>
              <Badge color="blue" variant="light" autoContrast>
                {t('mappings.csv.changed', { count: diff.changed.length })}
              </Badge>
              {importMode === 'replace' ? (
                <Badge color="red" variant="light" autoContrast>
                  {t('mappings.csv.removed', { count: diff.removed.length })}
                </Badge>
              ) : (
                <Badge color="gray" variant="light" autoContrast>
                  {t('mappings.csv.kept', { count: diff.kept.length })}
                </Badge>
              )}
              <Badge color="gray" variant="light" autoContrast>
                {t('mappings.csv.unchanged', { count: diff.unchanged })}
              </Badge>
            </Group>
            {pending.parseErrors.length > 0 && (
              <Alert color="red" title={t('mappings.csv.fileErrors')}>
                <List size="sm">
                  {pending.parseErrors.map((e) => (
                    <List.Item key={e}>{e}</List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {hasErrors(pending.errors) && (
              <Alert color="red" title={t('mappings.csv.rowErrors')} data-testid="csv-row-errors">
                <List size="sm">
                  {pending.errors.map((e, i) =>
                    Object.keys(e).length ? (
                      <List.Item key={i}>
                        {t('mappings.csv.row', { row: i + 2 })}: {Object.values(e).join('; ')}
                      </List.Item>
                    ) : null,
                  )}
                </List>
              </Alert>
            )}
            <ScrollArea.Autosize mah={300}>
              <Stack gap={4}>
                {diff.added.map((r) => (
                  <Text key={`a${r.rowId}`} size="sm" data-diff="added">
                    <Code color="green.1">+</Code> {r.sku} {r.attributes && `(${r.attributes})`} → {r.mode === 'uid' ? r.productUid : `${r.productName} ${r.productVariant}`}
                  </Text>
                ))}
                {diff.changed.map(({ before, after }) => (
                  <Text key={`c${after.rowId}`} size="sm" data-diff="changed">
                    <Code color="blue.1">~</Code> {after.sku}: {before.mode === 'uid' ? before.productUid : before.productName} → {after.mode === 'uid' ? after.productUid : after.productName}
                  </Text>
                ))}
                {diff.removed.map((r) => (
                  <Text key={`r${r.rowId}`} size="sm" data-diff="removed">
                    <Code color="red.1">−</Code> {r.sku} {r.attributes && `(${r.attributes})`}
                  </Text>
                ))}
              </Stack>
            </ScrollArea.Autosize>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPending(null)}>
                {t('common.cancel')}
              </Button>
              <Button
                disabled={pendingInvalid}
                data-testid="csv-apply"
                onClick={() => {
                  setRows(applyImport(rows, pending.rows, importMode));
                  setDirty(true);
                  setSaved(false);
                  setPending(null);
                }}
              >
                {t('mappings.csv.apply')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

function PayloadPreview() {
  const { t } = useTranslation();
  const recent = useCall('orders.list', { limit: 50, sort: 'newest' });
  const [orderId, setOrderId] = useState<string | null>(null);
  const preview = useAction('mappings.preview');
  useEffect(() => {
    if (orderId) void preview.run({ orderId: Number(orderId) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [orderId]);
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">
        {t('mappings.previewTitle')}
      </Title>
      <Text size="sm" mb="xs">
        {t('mappings.previewIntro')}
      </Text>
      <CallErrorAlert error={recent.error} />
      <Group align="end">
        <Select
          label={t('mappings.previewOrder')}
          data={(recent.data?.rows ?? []).map((r) => ({ value: String(r.id), label: `#${r.infigoOrderId} · ${r.storeId} · ${t(`state.${r.state}`)}` }))}
          value={orderId}
          onChange={setOrderId}
          searchable
          w={340}
          nothingFoundMessage={t('mappings.previewNoOrders')}
        />
        <Button variant="default" disabled={!orderId} loading={preview.busy} onClick={() => orderId && void preview.run({ orderId: Number(orderId) })}>
          {t('mappings.previewRefresh')}
        </Button>
      </Group>
      <CallErrorAlert error={preview.error} />
      {preview.result && (
        <Stack mt="sm" gap="xs">
          {preview.result.problems.length > 0 && (
            <Alert color="orange" title={t('common.problems')}>
              <ProblemList problems={preview.result.problems} />
            </Alert>
          )}
          <Code block tabIndex={0} aria-label={t('mappings.previewTitle')} style={{ maxHeight: 400, overflow: 'auto' }} data-testid="payload-preview">
            {JSON.stringify(preview.result.payload, null, 2)}
          </Code>
        </Stack>
      )}
    </Card>
  );
}

export function MappingsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('mappings.title')}</Title>
      <Text>{t('mappings.intro')}</Text>
      <MappingsEditor />
      <PayloadPreview />
    </Stack>
  );
}
