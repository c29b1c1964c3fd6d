import { describe, expect, it } from 'vitest';
import type { OrderRow, SyncSummary } from '../../shared/contract';
import { NotificationGrouper, cycleFailure, notificationsEnabled, routeFor } from '../../electron/main/notifications';

function row(id: number, state: OrderRow['state'], reason: string | null = null): OrderRow {
  return {
    id,
    storeId: 'acme',
    infigoOrderId: 1000 + id,
    gelatoOrderId: null,
    orderReferenceId: `acme-${1000 + id}`,
    state,
    attentionReason: reason,
    customerName: null,
    country: 'GB',
    createdAt: '2026-03-02T09:00:00Z',
    updatedAt: '2026-03-02T09:00:00Z',
  };
}

function summary(over: Partial<SyncSummary> = {}): SyncSummary {
  return {
    runId: 1,
    startedAt: '2026-03-02T09:00:00Z',
    finishedAt: '2026-03-02T09:01:00Z',
    trigger: 'schedule',
    ok: true,
    discovered: 0,
    submitted: 0,
    needsAttention: 0,
    skipped: 0,
    failed: 0,
    durationMs: 1000,
    errors: [],
    ...over,
  };
}

function cycle(g: NotificationGrouper, rows: OrderRow[], s: Partial<SyncSummary> = {}) {
  g.onSyncStarted();
  rows.forEach((r) => g.onOrderChanged(r));
  return g.onSyncFinished(summary(s));
}

describe('notification grouping', () => {
  it('sums up a cycle with many held orders in one notice that opens Needs attention', () => {
    const g = new NotificationGrouper();
    const rows = [1, 2, 3, 4, 5].map((i) => row(i, 'needs_attention', `SKU S-${i} is not mapped`));
    const out = cycle(g, rows, { needsAttention: 5 });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'attention', title: '5 orders need attention', target: { page: 'order-log', state: 'needs_attention' } });
    expect(out[0]!.body.split('\n')).toEqual(['acme #1001: SKU S-1 is not mapped', 'acme #1002: SKU S-2 is not mapped', 'acme #1003: SKU S-3 is not mapped', '…and 2 more']);
    expect(routeFor(out[0]!.target)).toBe('#/attention');
  });

  it('names a single held order and opens it', () => {
    const out = cycle(new NotificationGrouper(), [row(9, 'needs_attention', 'The print file is not a PDF')]);
    expect(out).toEqual([
      { kind: 'attention', title: 'Order acme #1009 needs attention', body: 'The print file is not a PDF', target: { page: 'order', id: 9 }, urgency: 'normal' },
    ]);
    expect(routeFor(out[0]!.target)).toBe('#/orders/9');
  });

  it('stays quiet for a cycle where nothing needs anyone', () => {
    expect(cycle(new NotificationGrouper(), [row(1, 'submitted'), row(2, 'shipped')], { submitted: 2 })).toEqual([]);
  });

  it('does not announce the same held order again next cycle', () => {
    const g = new NotificationGrouper();
    expect(cycle(g, [row(1, 'needs_attention', 'x')])).toHaveLength(1);
    expect(cycle(g, [row(1, 'needs_attention', 'x')])).toEqual([]);
  });

  it('announces an order again if it comes back after being fixed', () => {
    const g = new NotificationGrouper();
    cycle(g, [row(1, 'needs_attention', 'x')]);
    cycle(g, [row(1, 'submitted')]);
    expect(cycle(g, [row(1, 'needs_attention', 'y')])[0]).toMatchObject({ title: 'Order acme #1001 needs attention', body: 'y' });
  });

  it('drops an order that was fixed within the same cycle', () => {
    const g = new NotificationGrouper();
    g.onSyncStarted();
    g.onOrderChanged(row(1, 'needs_attention', 'x'));
    g.onOrderChanged(row(1, 'submitted'));
    expect(g.onSyncFinished(summary())).toEqual([]);
  });

  it('falls back to the summary count when no order events arrived', () => {
    const out = cycle(new NotificationGrouper(), [], { needsAttention: 3 });
    expect(out).toEqual([expect.objectContaining({ title: '3 orders need attention', target: { page: 'order-log', state: 'needs_attention' } })]);
  });

  it('announces a failing sync once per streak, then its recovery', () => {
    const g = new NotificationGrouper();
    const fail = { ok: false, errors: [{ storeId: 'acme', reason: 'Infigo refused the API token (401).' }] };
    const first = cycle(g, [], fail);
    expect(first).toEqual([expect.objectContaining({ kind: 'sync-failed', urgency: 'critical', target: { page: 'troubleshooting' } })]);
    expect(first[0]!.body).toContain('Infigo refused the API token (401).');
    expect(cycle(g, [], fail)).toEqual([]);
    expect(cycle(g, [], fail)).toEqual([]);
    const other = cycle(g, [], { ok: false, errors: [{ reason: 'GelatoConnect did not answer.' }] });
    expect(other).toEqual([expect.objectContaining({ kind: 'sync-failed' })]);
    expect(cycle(g, [])).toEqual([expect.objectContaining({ kind: 'sync-recovered' })]);
    expect(cycle(g, [])).toEqual([]);
  });

  it('reports a failure and held orders from the same cycle as two notices, not one per order', () => {
    const out = cycle(new NotificationGrouper(), [row(1, 'needs_attention'), row(2, 'needs_attention')], { ok: false, errors: [{ reason: 'Network down' }] });
    expect(out.map((n) => n.kind)).toEqual(['sync-failed', 'attention']);
  });

  it('gathers changes between cycles (postbacks) into one notice on flush', () => {
    const g = new NotificationGrouper();
    expect(g.hasPendingOutsideCycle()).toBe(false);
    g.onOrderChanged(row(1, 'needs_attention', 'GelatoConnect failed the order'));
    g.onOrderChanged(row(2, 'needs_attention', 'GelatoConnect failed the order'));
    expect(g.hasPendingOutsideCycle()).toBe(true);
    const out = g.flush();
    expect(out).toHaveLength(1);
    expect(out[0]!.title).toBe('2 orders need attention');
    expect(g.flush()).toEqual([]);
  });

  it('holds changes during a cycle for the cycle summary instead of flushing', () => {
    const g = new NotificationGrouper();
    g.onSyncStarted();
    g.onOrderChanged(row(1, 'needs_attention'));
    expect(g.hasPendingOutsideCycle()).toBe(false);
    expect(g.flush()).toEqual([]);
    expect(g.onSyncFinished(summary())).toHaveLength(1);
  });
});

describe('cycle failure', () => {
  it('treats a store-level error as a failure even when the run completed', () => {
    expect(cycleFailure(summary({ errors: [{ storeId: 'acme', reason: 'timeout' }] }))).toBe('acme: timeout');
    expect(cycleFailure(summary({ errors: [{ orderId: 3, reason: 'SKU missing' }] }))).toBeNull();
    expect(cycleFailure(summary({ ok: false }))).toBe('The sync did not complete.');
  });
});

describe('notification setting', () => {
  it('follows config.notifications.enabled and defaults to on', () => {
    expect(notificationsEnabled({ config: { notifications: { enabled: false } } })).toBe(false);
    expect(notificationsEnabled({ config: { notifications: { enabled: true } } })).toBe(true);
    expect(notificationsEnabled({ config: {} })).toBe(true);
    expect(notificationsEnabled(null)).toBe(true);
  });
});
