import { Alert, Anchor, Badge, Button, Code, Drawer, Group, List, Loader, Modal, Progress, Stack, Table, Tabs, Text, TextInput, Timeline } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderDetail, OrderFile, TimelineEvent } from '../../../shared/contract';
import { ORDER_ACTIONS, orderActions, type OrderAction, type RefusalCode } from '../../../shared/domain/order-actions';
import { CallErrorAlert, StateBadge } from '../components/common';
import { fmtBytes, fmtDateTime, fmtList } from '../format';
import { Coalescer } from '../orders/coalesce';
import { api } from '../store/engine';
import { engineText, eventHeading, fileErrorText } from '../i18n/engine-text';

const OUTCOME_COLORS: Record<TimelineEvent['outcome'], string> = { ok: 'green', error: 'red', info: 'blue', retry: 'orange' };

function FileRow({ f }: { f: OrderFile }) {
  const { t } = useTranslation();
  const pct = f.totalBytes && f.bytes !== null ? Math.min(100, (f.bytes / f.totalBytes) * 100) : f.state === 'downloaded' ? 100 : 0;
  return (
    <Table.Tr data-testid={`file-${f.id}`}>
      <Table.Td>{f.name}</Table.Td>
      <Table.Td>{t(`files.state.${f.state}`)}</Table.Td>
      <Table.Td w={180}>
        <Progress
          value={pct}
          color={f.state === 'failed' ? 'red' : f.state === 'downloaded' ? 'green' : 'blue'}
          animated={f.state === 'downloading'}
          aria-label={t('files.progressLabel', { name: f.name })}
        />
        <Text size="xs" c="dimmed">
          {fmtBytes(f.bytes)} / {fmtBytes(f.totalBytes)}
        </Text>
      </Table.Td>
      <Table.Td>
        {f.error && (
          <Text size="xs" c="var(--mantine-color-red-light-color)">
            {fileErrorText(f)}
          </Text>
        )}
        {f.sha256 && (
          <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
            sha256 {f.sha256.slice(0, 16)}…
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/**
 * The actions an order's state allows (shared/domain/order-actions.ts), the first of them as the
 * primary button, and one line for each action not offered saying why, so a delivered order
 * offers nothing to press by mistake and says so instead of answering "0 retried".
 */
function OrderActionBar({
  detail,
  busy,
  onRetry,
  onSkip,
  onRedownload,
  onCancel,
  onSendOlder,
}: {
  detail: OrderDetail;
  busy: string | null;
  onRetry: () => void;
  onSkip: () => void;
  onRedownload: () => void;
  onCancel: () => void;
  /** An order placed before go-live is produced only when a person sends it (preview first). */
  onSendOlder?: () => void;
}) {
  const { t } = useTranslation();
  const verdicts = orderActions(detail.state);
  const offered = ORDER_ACTIONS.filter((a) => verdicts[a].allowed);
  // One line per reason, naming every action it rules out: a delivered order says it once.
  const refused = new Map<RefusalCode, OrderAction[]>();
  for (const a of ORDER_ACTIONS) {
    const v = verdicts[a];
    if (!v.allowed) refused.set(v.reason, [...(refused.get(v.reason) ?? []), a]);
  }
  const handlers: Record<OrderAction, () => void> = { retry: onRetry, skip: onSkip, redownload: onRedownload, cancel: onCancel };
  return (
    <Stack gap={4}>
      <Group gap="xs" data-testid="order-actions">
        {offered.map((a, i) => (
          <Button
            key={a}
            size="xs"
            variant={i === 0 ? 'filled' : 'default'}
            // Shade 9: white on the default red is below AA contrast.
            color={a === 'cancel' && i === 0 ? 'red.9' : undefined}
            loading={busy === a}
            onClick={handlers[a]}
          >
            {t(`order.${a}`)}
          </Button>
        ))}
        {detail.state === 'before_go_live' && onSendOlder && (
          <Button size="xs" variant={offered.length ? 'default' : 'filled'} onClick={onSendOlder} data-testid="order-send-older">
            {t('older.button')}
          </Button>
        )}
        {detail.infigoUrl && (
          <Anchor href={detail.infigoUrl} target="_blank" rel="noopener noreferrer" size="sm">
            {t('order.openInfigo')}
          </Anchor>
        )}
      </Group>
      {refused.size > 0 && (
        <List size="xs" c="dimmed" spacing={0} data-testid="order-actions-refused">
          {[...refused].map(([reason, actions]) => (
            <List.Item key={reason} data-reason={reason}>
              {t('order.notOffered', { count: actions.length, actions: fmtList(actions.map((a) => `“${t(`order.${a}`)}”`)), reason: t(`order.why.${reason}`) })}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

export function OrderDrawer({ id, onClose, onSendOlder }: { id: number | null; onClose: () => void; onSendOlder?: (id: number) => void }) {
  const { t } = useTranslation();
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<null | 'skip' | 'cancel'>(null);
  const [reason, setReason] = useState('');

  // The detail fetch of the open order, at most one in flight and one queued (see Coalescer).
  const refresh = useRef<Coalescer | null>(null);

  useEffect(() => {
    setDetail(null);
    setNote(null);
    setActionError(null);
    if (id === null) return;
    let live = true;
    const load = async () => {
      try {
        const d = await api.call('orders.get', { id });
        if (!live) return;
        setDetail(d);
        setError(null);
      } catch (e) {
        if (live) setError(e);
      } finally {
        if (live) setLoading(false);
      }
    };
    const fetcher = new Coalescer(load);
    refresh.current = fetcher;
    setLoading(true);
    void fetcher.run();
    const offChanged = api.on('order.changed', (row) => {
      if (row.id !== id) return;
      // The row in the event is the order's new state: shown at once. The timeline and files
      // it does not carry come with one coalesced fetch, however many events a retry sends.
      setDetail((d) => (d && d.id === row.id ? { ...d, ...row } : d));
      void fetcher.run();
    });
    const offProgress = api.on('download.progress', (p) => {
      if (p.orderId !== id) return;
      setDetail((d) =>
        d
          ? {
              ...d,
              files: d.files.map((f) =>
                f.id === p.fileId
                  ? { ...f, bytes: p.bytes, totalBytes: p.totalBytes ?? f.totalBytes, state: f.state === 'pending' ? 'downloading' : f.state }
                  : f,
              ),
            }
          : d,
      );
    });
    return () => {
      live = false;
      fetcher.dispose();
      if (refresh.current === fetcher) refresh.current = null;
      offChanged();
      offProgress();
    };
  }, [id]);

  const act = async (kind: string, fn: () => Promise<string>) => {
    if (id === null) return;
    setBusy(kind);
    setActionError(null);
    setNote(null);
    try {
      setNote(await fn());
      await refresh.current?.run();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(null);
    }
  };

  const d = detail;
  return (
    <Drawer
      opened={id !== null}
      onClose={onClose}
      position="right"
      size="xl"
      title={d ? t('order.title', { id: d.infigoOrderId }) : t('order.loading')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
      data-testid="order-drawer"
    >
      {loading && !d && <Loader aria-label={t('order.loading')} />}
      <CallErrorAlert error={error} />
      {d && (
        <Stack>
          <Group gap="xs">
            <StateBadge state={d.state} />
            <Badge variant="outline" color="gray">
              {d.storeId}
            </Badge>
            <Text size="sm" c="dimmed">
              {t('order.reference')}: <Code>{d.orderReferenceId}</Code>
            </Text>
          </Group>
          <Text size="sm">
            {t('orders.col.gelato')}: {d.gelatoOrderId ?? '—'} · {t('order.customer')}: {d.customerName ?? '—'} ({d.country ?? '—'}) ·{' '}
            {t('order.created')}: {fmtDateTime(d.createdAt)}
          </Text>
          {d.attentionReason && (
            <Alert color={d.state === 'needs_attention' ? 'orange' : 'gray'} title={d.state === 'needs_attention' ? t('order.attention') : t('order.reason')} data-testid="attention-reason">
              {engineText(d.attentionReason, d.attentionMsg)}
            </Alert>
          )}
          <OrderActionBar
            detail={d}
            busy={busy}
            onRetry={() => void act('retry', async () => t('order.retried', { count: (await api.call('orders.retry', { ids: [d.id] })).changed }))}
            onSkip={() => setConfirm('skip')}
            onRedownload={() => void act('redownload', async () => ((await api.call('orders.redownload', { id: d.id })).ok ? t('order.redownloadStarted') : t('order.redownloadRefused')))}
            onCancel={() => setConfirm('cancel')}
            onSendOlder={onSendOlder ? () => onSendOlder(d.id) : undefined}
          />
          {note && (
            <Text size="sm" role="status">
              {note}
            </Text>
          )}
          <CallErrorAlert error={actionError} />

          <Tabs defaultValue="timeline" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="timeline">{t('order.tabs.timeline')}</Tabs.Tab>
              <Tabs.Tab value="lines">{t('order.tabs.lines')}</Tabs.Tab>
              <Tabs.Tab value="files">{t('order.tabs.files')}</Tabs.Tab>
              <Tabs.Tab value="payload">{t('order.tabs.payload')}</Tabs.Tab>
              <Tabs.Tab value="tracking">{t('order.tabs.tracking')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="timeline" pt="md">
              {d.timeline.length === 0 ? (
                <Text c="dimmed">{t('order.noTimeline')}</Text>
              ) : (
                <Timeline bulletSize={14} lineWidth={2}>
                  {d.timeline.map((ev) => (
                    <Timeline.Item key={ev.id} color={OUTCOME_COLORS[ev.outcome]} title={eventHeading(ev.kind)} data-kind={ev.kind}>
                      <Text size="sm">{engineText(ev.message, ev.msg)}</Text>
                      <Text size="xs" c="dimmed">
                        {fmtDateTime(ev.at)} · {t(`order.outcome.${ev.outcome}`)}
                      </Text>
                    </Timeline.Item>
                  ))}
                </Timeline>
              )}
            </Tabs.Panel>
            <Tabs.Panel value="lines" pt="md">
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('order.line.sku')}</Table.Th>
                    <Table.Th>{t('order.line.name')}</Table.Th>
                    <Table.Th>{t('order.line.qty')}</Table.Th>
                    <Table.Th>{t('order.line.kind')}</Table.Th>
                    <Table.Th>{t('order.line.attributes')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.lines.map((l) => (
                    <Table.Tr key={l.jobId}>
                      <Table.Td>{l.sku ?? '—'}</Table.Td>
                      <Table.Td>{l.name ?? '—'}</Table.Td>
                      <Table.Td>{l.quantity}</Table.Td>
                      <Table.Td>{t(`kind.${l.kind}`)}</Table.Td>
                      <Table.Td>
                        {Object.entries(l.attributes)
                          .map(([k, v]) => `${k}: ${v}`)
                          .join(', ')}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Tabs.Panel>
            <Tabs.Panel value="files" pt="md">
              {d.files.length === 0 ? (
                <Text c="dimmed">{t('order.noFiles')}</Text>
              ) : (
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('files.name')}</Table.Th>
                      <Table.Th>{t('files.stateCol')}</Table.Th>
                      <Table.Th>{t('files.progress')}</Table.Th>
                      <Table.Th>{t('files.detail')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {d.files.map((f) => (
                      <FileRow key={f.id} f={f} />
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Tabs.Panel>
            <Tabs.Panel value="payload" pt="md">
              {d.payload ? (
                <Code block tabIndex={0} aria-label={t('order.tabs.payload')} style={{ maxHeight: 480, overflow: 'auto' }}>
                  {JSON.stringify(d.payload, null, 2)}
                </Code>
              ) : (
                <Text c="dimmed">{t('order.noPayload')}</Text>
              )}
            </Tabs.Panel>
            <Tabs.Panel value="tracking" pt="md">
              {d.tracking.length === 0 ? (
                <Text c="dimmed">{t('order.noTracking')}</Text>
              ) : (
                <Stack gap="xs">
                  {d.tracking.map((tr) => (
                    <Text key={tr.code} size="sm">
                      {tr.carrier ?? '—'}: <Code>{tr.code}</Code>{' '}
                      {tr.url && (
                        <Anchor href={tr.url} target="_blank" rel="noopener noreferrer">
                          {t('order.trackingLink')}
                        </Anchor>
                      )}
                    </Text>
                  ))}
                </Stack>
              )}
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}

      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={confirm !== null} onClose={() => setConfirm(null)} title={confirm === 'skip' ? t('order.skipTitle') : t('order.cancelTitle')}>
        <Stack>
          <Text size="sm" data-testid="confirm-explain">
            {confirm === 'cancel' ? t('order.cancelExplain') : d?.gelatoOrderId ? t('order.skipExplainInGelato', { gelatoId: d.gelatoOrderId }) : t('order.skipExplain')}
          </Text>
          {confirm === 'skip' && <TextInput label={t('order.skipReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t('common.back')}
            </Button>
            <Button
              color={confirm === 'cancel' ? 'red' : undefined}
              onClick={() => {
                const kind = confirm;
                setConfirm(null);
                if (!d) return;
                if (kind === 'skip')
                  void act('skip', async () => t('order.skipped', { count: (await api.call('orders.skip', { ids: [d.id], ...(reason ? { reason } : {}) })).changed }));
                else
                  void act('cancel', async () => {
                    const r = await api.call('orders.cancel', { id: d.id });
                    return engineText(r.message, r.msg);
                  });
              }}
            >
              {confirm === 'skip' ? t('order.skip') : t('order.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Drawer>
  );
}
