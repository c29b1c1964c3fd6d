import { Button, Checkbox, Group, Loader, MultiSelect, Select, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import '@mantine/dates/styles.css';
import { useVirtualizer } from '@tanstack/react-virtual';
import 'dayjs/locale/it';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderRow } from '../../../shared/contract';
import { bulkVerdict } from '../../../shared/domain/order-actions';
import { ORDER_STATES, type OrderState } from '../../../shared/domain/order-state';
import { CallErrorAlert, StateBadge } from '../components/common';
import { fmtAge, fmtDateTime, fmtNumber } from '../format';
import type { OrderFilters } from '../orders/order-window';
import { useOrderWindow } from '../orders/use-order-window';
import { useRoute } from '../router';
import { api, useEngine } from '../store/engine';
import { OrderDrawer } from './OrderDrawer';
import { OlderOrdersModal } from './OlderOrders';
import { engineText } from '../i18n/engine-text';
import { mayBeOlder } from '../orders/older';

const ROW_H = 42;
const COLS = '44px minmax(90px,1fr) 110px minmax(120px,1.4fr) 150px 80px minmax(160px,2.4fr)';

// A stable empty list: a zustand selector that returns a fresh [] re-renders forever.
const NO_STORES: { id: string; name: string }[] = [];

type Filters = OrderFilters;

/** The filters as the user set them in the filter bar. */
interface FilterChoice {
  states: string[];
  storeId: string | null;
  from: string;
  to: string;
  q: string;
  sort: 'newest' | 'oldest';
}

const NO_CHOICE: FilterChoice = { states: [], storeId: null, from: '', to: '', q: '', sort: 'newest' };

function toFilters(c: FilterChoice, attentionOnly: boolean): Filters {
  const q = c.q.trim();
  return {
    ...(attentionOnly ? { attention: true } : {}),
    ...(c.states.length ? { states: c.states as OrderState[] } : {}),
    ...(c.storeId ? { storeId: c.storeId } : {}),
    ...(toIso(c.from, false) ? { from: toIso(c.from, false) } : {}),
    ...(toIso(c.to, true) ? { to: toIso(c.to, true) } : {}),
    ...(q ? { q } : {}),
    sort: c.sort,
  };
}

function toIso(day: string, endOfDay: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T${endOfDay ? '23:59:59.999' : '00:00:00'}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function OrdersPage({ attentionOnly = false }: { attentionOnly?: boolean }) {
  const { t } = useTranslation();
  const route = useRoute();
  // Needs attention: held and failed orders, and orders marked by back-sync (e.g. Infigo refusing an update).
  // "#/orders/before_go_live" opens the log filtered by that state; "#/orders/42" opens order 42.
  const [choice, setChoice] = useState<FilterChoice>(() =>
    route.param && (ORDER_STATES as readonly string[]).includes(route.param) && !attentionOnly ? { ...NO_CHOICE, states: [route.param] } : NO_CHOICE,
  );
  const [openId, setOpenId] = useState<number | null>(route.param && /^\d+$/.test(route.param) ? Number(route.param) : null);
  const [olderIds, setOlderIds] = useState<number[] | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [bulkBusy, setBulkBusy] = useState<null | 'retry' | 'skip'>(null);
  const [bulkNote, setBulkNote] = useState<string | null>(null);
  const [bulkError, setBulkError] = useState<unknown>(null);

  const filters: Filters = useMemo(() => toFilters(choice, attentionOnly), [choice, attentionOnly]);
  const win = useOrderWindow(filters);
  // The handlers below are stable (the filter bar is memoised) yet need the latest of these.
  const current = useRef({ choice, attentionOnly, win });
  current.current = { choice, attentionOnly, win };
  /**
   * Sends the new filters from the event itself, before React re-renders anything for it, so the
   * engine works while the page renders the keystroke; the effect in useOrderWindow then finds
   * them already sent. Sent as typed: late answers to earlier text are dropped, no debounce.
   */
  const change = useCallback(<K extends keyof FilterChoice>(name: K, value: FilterChoice[K]) => {
    const { choice: c, attentionOnly: a, win: w } = current.current;
    const next = { ...c, [name]: value };
    current.current.choice = next;
    w.request(toFilters(next, a));
    setChoice(next);
    // New filters, new rows: the selection goes. Here rather than in an effect on the filters,
    // which cost the page a second render per keystroke; the same set when nothing is selected.
    setSelected((s) => (s.size ? new Set() : s));
  }, []);
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: win.total ?? 0,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_H,
    // Rows past the viewport's edges, drawn ahead of scrolling; every one is rendered again when a
    // filter's answer arrives, so no more than hides the next few rows' mounting while scrolling.
    overscan: 5,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (win.total) win.ensure(first, last);
  });

  // A new filter's rows start at the top; a refetch of the same filter keeps the place. Asks the
  // virtualiser, not the element: reading or setting scrollTop forces a layout in the middle of
  // the commit, which cost ~15 ms per filter change even when the list was already at the top.
  useLayoutEffect(() => {
    if (virtualizer.scrollOffset) virtualizer.scrollToOffset(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [win.shownKey]);


  // Live updates: patch loaded rows in place; anything new means the windows shifted.
  const rangeRef = useRef({ first, last });
  rangeRef.current = { first, last };
  const winRef = useRef(win);
  winRef.current = win;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = api.on('order.changed', (row) => {
      if (winRef.current.patch(row)) return;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        winRef.current.refetch(rangeRef.current.first, rangeRef.current.last);
      }, 1000);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, []);

  // The last row seen for each selected order, for one that a refetch has since moved out of the
  // loaded windows: the bulk bar still knows its state.
  const known = useRef(new Map<number, OrderRow>());
  // Stable, so typing in the filters does not re-render the rows (see OrderLine).
  const toggle = useCallback(
    (row: OrderRow) =>
      setSelected((s) => {
        const id = row.id;
        known.current.set(id, row);
        const n = new Set(s);
        if (n.has(id)) n.delete(id);
        else n.add(id);
        return n;
      }),
    [],
  );

  const closeDrawer = useCallback(() => setOpenId(null), []);
  const sendOne = useCallback((id: number) => setOlderIds([id]), []);

  const selectedOrders = selectedRows(selected, () => win.loadedRows(), known.current);
  const bulkRetry = bulkVerdict('retry', selectedOrders);
  const bulkSkip = bulkVerdict('skip', selectedOrders);
  const leftOut = (action: 'retry' | 'skip', v: ReturnType<typeof bulkVerdict>) => {
    const count = selectedOrders.length - v.ids.length;
    if (count === 0) return '';
    // One sentence: the reasons joined by semicolons, the last one keeping its full stop.
    const reasons = [...v.refused.keys()].map((code) => t(`order.why.${code}`).replace(/\.$/, '')).join('; ') + '.';
    return t('orders.bulkLeftOut', { count, action: t(action === 'retry' ? 'orders.bulkRetry' : 'orders.bulkSkip'), reasons });
  };

  const bulk = async (kind: 'retry' | 'skip') => {
    setBulkBusy(kind);
    setBulkError(null);
    setBulkNote(null);
    try {
      // Only the orders whose state allows the action; the bar says why the others are left out.
      const ids = (kind === 'retry' ? bulkRetry : bulkSkip).ids;
      const r = kind === 'retry' ? await api.call('orders.retry', { ids }) : await api.call('orders.skip', { ids });
      setBulkNote(t(kind === 'retry' ? 'order.retried' : 'order.skipped', { count: r.changed }));
      setSelected(new Set());
      win.refetch(first, last);
    } catch (e) {
      setBulkError(e);
    } finally {
      setBulkBusy(null);
    }
  };

  const loadedVisible = items.map((it) => win.rowAt(it.index)).filter((r): r is OrderRow => !!r);
  const allVisibleSelected = loadedVisible.length > 0 && loadedVisible.every((r) => selected.has(r.id));
  const someVisibleSelected = !allVisibleSelected && loadedVisible.some((r) => selected.has(r.id));

  // Stable handlers for the memoised heading, bulk bar and table head, which then re-render only
  // when what they show changes, not for every keystroke and every answer.
  const latestRef = useRef({ bulk, loadedVisible, allVisibleSelected });
  latestRef.current = { bulk, loadedVisible, allVisibleSelected };
  const onBulk = useCallback((kind: 'retry' | 'skip') => void latestRef.current.bulk(kind), []);
  const olderOffered = mayBeOlder(selectedOrders);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const onOlder = useCallback(() => setOlderIds([...selectedRef.current]), []);
  const toggleVisible = useCallback(() => {
    const { loadedVisible: rows, allVisibleSelected: all } = latestRef.current;
    setSelected((s) => {
      const n = new Set(s);
      for (const r of rows) {
        if (all) n.delete(r.id);
        else {
          n.add(r.id);
          known.current.set(r.id, r);
        }
      }
      return n;
    });
  }, []);

  return (
    <Stack>
      <PageHeading attentionOnly={attentionOnly} />
      <FilterBar choice={choice} onChange={change} attentionOnly={attentionOnly} />

      <Group justify="space-between">
        <Text size="sm" role="status" data-testid="orders-total">
          {win.total === null ? t('orders.loading') : t('orders.total', { count: win.total, formatted: fmtNumber(win.total) })}
        </Text>
        <BulkBar count={selected.size} retryCount={bulkRetry.ids.length} skipCount={bulkSkip.ids.length} busy={bulkBusy} onBulk={onBulk} older={olderOffered} onOlder={onOlder} />
      </Group>
      {choice.states.includes('before_go_live') && !attentionOnly && (
        <Text size="sm" data-testid="before-go-live-hint">
          {t('older.hint')}
        </Text>
      )}
      <BulkLeftOut retry={leftOut('retry', bulkRetry)} skip={leftOut('skip', bulkSkip)} />
      {bulkNote && (
        <Text size="sm" role="status">
          {bulkNote}
        </Text>
      )}
      <CallErrorAlert error={bulkError} />
      <CallErrorAlert error={win.error} onRetry={win.retry} />

      {win.total === 0 && (
        <Text c="dimmed" role="status">
          {attentionOnly ? t('attention.empty') : t('orders.empty')}
        </Text>
      )}
      {win.total === null && !win.error && <Loader size="sm" aria-label={t('orders.loading')} />}
      <div role="table" aria-label={attentionOnly ? t('attention.title') : t('orders.title')} aria-rowcount={(win.total ?? 0) + 1} aria-busy={win.pending} data-testid="orders-table">
        <TableHead allSelected={allVisibleSelected} someSelected={someVisibleSelected} onToggleAll={toggleVisible} />
        <div ref={parentRef} role="rowgroup" aria-label={t('orders.rows')} tabIndex={0} data-testid="orders-scroll" style={{ height: 'calc(100vh - 330px)', minHeight: 260, overflow: 'auto', position: 'relative' }}>
          <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const row = win.rowAt(it.index);
              return <OrderLine key={it.key} index={it.index} start={it.start} row={row} failed={!row && win.failedAt(it.index)} selected={!!row && selected.has(row.id)} onToggle={toggle} onOpen={setOpenId} />;
            })}
          </div>
        </div>
      </div>
      <Drawer id={openId} onClose={closeDrawer} onSendOlder={sendOne} />
      <OlderOrdersModal
        ids={olderIds}
        onClose={() => setOlderIds(null)}
        onSent={() => {
          setSelected(new Set());
          win.refetch(first, last);
        }}
      />
    </Stack>
  );
}

/**
 * One table row. Memoised: a keystroke in the filters re-renders the page, but the rows on screen
 * stay the same objects until the new answer replaces them, and formatting dates for every
 * visible row on every keystroke would hold up handling that answer.
 */
const OrderLine = memo(function OrderLine({
  index,
  start,
  row,
  failed = false,
  selected,
  onToggle,
  onOpen,
}: {
  index: number;
  start: number;
  row: OrderRow | undefined;
  failed?: boolean;
  selected: boolean;
  onToggle: (row: OrderRow) => void;
  onOpen: (id: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-testid={row ? `order-row-${row.id}` : undefined}
      data-state={row?.state}
      style={{
        position: 'absolute',
        top: 0,
        left: 0,
        right: 0,
        height: ROW_H,
        transform: `translateY(${start}px)`,
        display: 'grid',
        gridTemplateColumns: COLS,
        alignItems: 'center',
        borderBottom: '1px solid var(--mantine-color-gray-2)',
        fontSize: 14,
        background: selected ? 'var(--mantine-color-indigo-0)' : undefined,
      }}
    >
      {row ? (
        <>
          <div role="cell" style={{ paddingLeft: 8 }}>
            <Checkbox aria-label={t('orders.selectRow', { id: row.infigoOrderId })} checked={selected} onChange={() => onToggle(row)} />
          </div>
          <div role="cell" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            {row.storeId}
          </div>
          <div role="cell">
            <UnstyledButton onClick={() => onOpen(row.id)} aria-label={t('orders.open', { id: row.infigoOrderId })} style={{ color: 'var(--mantine-color-indigo-8)', textDecoration: 'underline', fontSize: 14 }}>
              {row.infigoOrderId}
            </UnstyledButton>
          </div>
          <div role="cell" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={row.gelatoOrderId ?? undefined}>
            {row.gelatoOrderId ?? '—'}
          </div>
          <div role="cell">
            <StateBadge state={row.state} />
          </div>
          <div role="cell" title={fmtDateTime(row.createdAt)}>
            {fmtAge(row.createdAt, Date.now())}
          </div>
          <div role="cell" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', paddingRight: 8 }} title={engineText(row.attentionReason, row.attentionMsg) || undefined}>
            {engineText(row.attentionReason, row.attentionMsg)}
          </div>
        </>
      ) : (
        <div role="cell" style={{ gridColumn: '1 / -1', paddingLeft: 8, color: 'var(--mantine-color-gray-7)' }}>
          {failed ? t('orders.failedRow') : t('orders.loadingRow')}
        </div>
      )}
    </div>
  );
});

type ChangeFilter = <K extends keyof FilterChoice>(name: K, value: FilterChoice[K]) => void;

/**
 * The filter bar. Each control is memoised on its own value, so a keystroke in the search box
 * re-renders the search box only, not the state, store, date and sort pickers: that render
 * came before the request in every filter change.
 */
function FilterBar({ choice, onChange, attentionOnly }: { choice: FilterChoice; onChange: ChangeFilter; attentionOnly: boolean }) {
  const { t } = useTranslation();
  return (
    <Group align="end" gap="sm" role="search" aria-label={t('orders.filters')}>
      <SearchFilter value={choice.q} onChange={onChange} />
      {!attentionOnly && <StateFilter value={choice.states} onChange={onChange} />}
      <StoreFilter value={choice.storeId} onChange={onChange} />
      <DayFilter name="from" value={choice.from} onChange={onChange} />
      <DayFilter name="to" value={choice.to} onChange={onChange} />
      <SortFilter value={choice.sort} onChange={onChange} />
    </Group>
  );
}

const SearchFilter = memo(function SearchFilter({ value, onChange }: { value: string; onChange: ChangeFilter }) {
  const { t } = useTranslation();
  return <TextInput label={t('orders.search')} placeholder={t('orders.searchPlaceholder')} value={value} onChange={(e) => onChange('q', e.currentTarget.value)} w={220} data-testid="orders-search" />;
});

const StateFilter = memo(function StateFilter({ value, onChange }: { value: string[]; onChange: ChangeFilter }) {
  const { t } = useTranslation();
  const data = useMemo(() => ORDER_STATES.map((s) => ({ value: s, label: t(`state.${s}`) })), [t]);
  return (
    <MultiSelect
      label={t('orders.state')}
      data={data}
      value={value}
      onChange={(v) => onChange('states', v)}
      clearable
      w={260}
      data-testid="orders-state-filter"
      placeholder={value.length ? undefined : t('orders.allStates')}
    />
  );
});

const StoreFilter = memo(function StoreFilter({ value, onChange }: { value: string | null; onChange: ChangeFilter }) {
  const { t } = useTranslation();
  const stores = useEngine((s) => s.status?.stores ?? NO_STORES);
  const data = useMemo(() => stores.map((s) => ({ value: s.id, label: s.name })), [stores]);
  return <Select label={t('orders.store')} data={data} value={value} onChange={(v) => onChange('storeId', v)} clearable placeholder={t('orders.allStores')} w={180} />;
});

/**
 * A day picker in the UI's language ("4 dic 2026", Monday first in Italian): the browser's own
 * date input follows the browser's locale, not the page's, and showed mm/dd/yyyy in Italian.
 * Its value stays the ISO day (YYYY-MM-DD) the filters send.
 */
const DayFilter = memo(function DayFilter({ name, value, onChange }: { name: 'from' | 'to'; value: string; onChange: ChangeFilter }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'it' ? 'it' : 'en';
  return (
    <DatesProvider settings={{ locale, firstDayOfWeek: locale === 'it' ? 1 : 0 }}>
      <DatePickerInput
        label={t(`orders.${name}`)}
        placeholder={t('orders.anyDay')}
        value={value || null}
        onChange={(v) => onChange(name, v ?? '')}
        valueFormat="D MMM YYYY"
        clearable
        clearButtonProps={{ 'aria-label': t('orders.clearDay', { name: t(`orders.${name}`) }) }}
        ariaLabels={{
          previousMonth: t('orders.calendar.previousMonth'),
          nextMonth: t('orders.calendar.nextMonth'),
          previousYear: t('orders.calendar.previousYear'),
          nextYear: t('orders.calendar.nextYear'),
          previousDecade: t('orders.calendar.previousDecade'),
          nextDecade: t('orders.calendar.nextDecade'),
          monthLevelControl: t('orders.calendar.chooseMonth'),
          yearLevelControl: t('orders.calendar.chooseYear'),
        }}
        w={160}
        // Mantine's placeholder grey is a span here (not an input's placeholder) and below AA contrast.
        styles={{ placeholder: { color: 'var(--mantine-color-dimmed)' } }}
        data-testid={`orders-${name}`}
      />
    </DatesProvider>
  );
});

const SortFilter = memo(function SortFilter({ value, onChange }: { value: 'newest' | 'oldest'; onChange: ChangeFilter }) {
  const { t } = useTranslation();
  const data = useMemo(
    () => [
      { value: 'newest', label: t('orders.newest') },
      { value: 'oldest', label: t('orders.oldest') },
    ],
    [t],
  );
  return <Select label={t('orders.sort')} data={data} value={value} onChange={(v) => onChange('sort', v === 'oldest' ? 'oldest' : 'newest')} allowDeselect={false} w={190} data-testid="orders-sort" />;
});

const PageHeading = memo(function PageHeading({ attentionOnly }: { attentionOnly: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <Title order={2}>{attentionOnly ? t('attention.title') : t('orders.title')}</Title>
      {attentionOnly && <Text>{t('attention.intro')}</Text>}
    </>
  );
});

/**
 * The selected orders as the bulk bar judges them: the row as loaded now (its state may have
 * changed since it was ticked), else the row as it was when ticked.
 */
function selectedRows(selected: ReadonlySet<number>, loadedRows: () => OrderRow[], known: ReadonlyMap<number, OrderRow>): OrderRow[] {
  if (selected.size === 0) return [];
  const loaded = new Map<number, OrderRow>();
  for (const r of loadedRows()) if (selected.has(r.id)) loaded.set(r.id, r);
  return [...selected].flatMap((id) => {
    const r = loaded.get(id) ?? known.get(id);
    return r ? [r] : [];
  });
}

/** Bulk actions are offered for the selected orders whose state allows them (shared/domain/order-actions.ts). */
const BulkBar = memo(function BulkBar({
  count,
  retryCount,
  skipCount,
  busy,
  onBulk,
  older,
  onOlder,
}: {
  count: number;
  retryCount: number;
  skipCount: number;
  busy: null | 'retry' | 'skip';
  onBulk: (kind: 'retry' | 'skip') => void;
  /** Whether "Send older orders…" has anything to look at among the selected. */
  older: boolean;
  onOlder: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      <Text size="sm">{t('orders.selected', { count })}</Text>
      <Button size="xs" disabled={retryCount === 0} loading={busy === 'retry'} onClick={() => onBulk('retry')}>
        {t('orders.bulkRetry')}
      </Button>
      <Button size="xs" variant="default" disabled={skipCount === 0} loading={busy === 'skip'} onClick={() => onBulk('skip')}>
        {t('orders.bulkSkip')}
      </Button>
      <Button size="xs" variant="default" disabled={!older} onClick={onOlder} data-testid="orders-send-older">
        {t('older.button')}
      </Button>
    </Group>
  );
});

/** Why some selected orders are left out of a bulk action; nothing when all can take it. */
const BulkLeftOut = memo(function BulkLeftOut({ retry, skip }: { retry: string; skip: string }) {
  if (!retry && !skip) return null;
  return (
    <Stack gap={0} data-testid="bulk-left-out">
      {[retry, skip].filter(Boolean).map((line) => (
        <Text key={line} size="xs" c="dimmed">
          {line}
        </Text>
      ))}
    </Stack>
  );
});

const TableHead = memo(function TableHead({ allSelected, someSelected, onToggleAll }: { allSelected: boolean; someSelected: boolean; onToggleAll: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="rowgroup">
      <div
        role="row"
        aria-rowindex={1}
        style={{ display: 'grid', gridTemplateColumns: COLS, alignItems: 'center', fontWeight: 600, fontSize: 14, borderBottom: '2px solid var(--mantine-color-gray-3)', padding: '6px 0' }}
      >
        <div role="columnheader" style={{ paddingLeft: 8 }}>
          <Checkbox aria-label={t('orders.selectVisible')} checked={allSelected} indeterminate={someSelected} onChange={onToggleAll} />
        </div>
        <div role="columnheader">{t('orders.col.store')}</div>
        <div role="columnheader">{t('orders.col.infigo')}</div>
        <div role="columnheader">{t('orders.col.gelato')}</div>
        <div role="columnheader">{t('orders.col.state')}</div>
        <div role="columnheader">{t('orders.col.age')}</div>
        <div role="columnheader">{t('orders.col.reason')}</div>
      </div>
    </div>
  );
});

/** The drawer is closed nearly always; memoised so that filter changes do not re-render it. */
const Drawer = memo(OrderDrawer);
