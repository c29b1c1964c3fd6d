import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStatusUpdates } from '../../electron/core/backsync/check';
import { PUSH_POLICY } from '../../electron/core/backsync/push';
import { startHarness, type Harness } from '../helpers/harness';

// Status back-sync without postbacks (polling Get Order each sync), the 6-hour safety net in
// postback mode, failures and cancellations in both directions — against the sandbox.

let h: Harness;

type Detail = { state: string; attentionReason: string | null; tracking: { code: string; url: string | null; carrier: string | null }[]; timeline: { kind: string; outcome: string; message: string }[] };
type Row = { id: number; state: string; infigoOrderId: number; orderReferenceId: string };

const detail = async (id: number) => (await h.engine.call('orders.get', { id })) as unknown as Detail;
const rows = async () => ((await h.engine.call('orders.list', { limit: 1000 })) as unknown as { rows: Row[] }).rows;
const infigo = (id: number) => h.sandbox.infigo.order('acme', id)!.detail;
const writesFor = (id: number) => h.sandbox.infigo.statusWrites('acme').filter((w) => w.orderId === id);
const attention = (id: number) => h.engine.ctx.db.prepare('SELECT state, attention_code AS code, attention_reason AS reason FROM orders WHERE id = ?').get(id) as { state: string; code: string | null; reason: string | null };
let pool: Row[] = [];
const take = () => {
  const r = pool.shift();
  if (!r) throw new Error('no submitted order left for this test');
  return r;
};

beforeAll(async () => {
  h = await startHarness({ ordersPerStore: 16, seed: 5, progression: 'manual' });
  await h.configure((cfg) => {
    cfg.statusUpdates = { mode: 'polling' };
  });
  await h.sync();
  pool = (await rows()).filter((r) => r.state === 'submitted');
  expect(pool.length).toBeGreaterThanOrEqual(9);
  await Promise.all(pool.map((r) => h.sandbox.gelato.waitForFilesSettled(r.orderReferenceId)));
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('polling (postbacks off)', () => {
  it('follows an order received → in production → shipped → delivered; Infigo ends Complete/Delivered with the tracking code and URL', async () => {
    expect(h.engine.status().statusMode).toBe('polling');
    const o = take();
    const g = h.sandbox.gelato;
    expect(g.postbacks()).toEqual([]);
    await g.advance(o.orderReferenceId, 'in_production');
    await h.sync();
    expect((await detail(o.id)).state).toBe('in_production');
    expect(infigo(o.infigoOrderId).OrderStatus).toBe('Processing');

    await g.advance(o.orderReferenceId, 'shipped');
    await h.sync();
    const pk = g.order(o.orderReferenceId)!.packages;
    const d = await detail(o.id);
    expect(d.state).toBe('shipped');
    expect(d.tracking.map((t) => t.code).sort()).toEqual(pk.map((p) => p.trackingCode).sort());
    expect(d.tracking.every((t) => t.carrier)).toBe(true);
    const shipped = infigo(o.infigoOrderId);
    expect(shipped.ShippingStatus).toBe('Shipped');
    expect(shipped.TrackingNumber).toBe(pk[0]!.trackingCode);
    expect((shipped.ExtraData as Record<string, string>).TrackingUrl).toBe(pk[0]!.trackingUrl);

    await g.advance(o.orderReferenceId, 'delivered');
    await h.sync();
    expect((await detail(o.id)).state).toBe('delivered');
    const fin = infigo(o.infigoOrderId);
    expect([fin.OrderStatus, fin.ShippingStatus, fin.TrackingNumber]).toEqual(['Complete', 'Delivered', pk[0]!.trackingCode]);
    // One push per mapped change, none repeated by later polls.
    await h.sync();
    expect(writesFor(o.infigoOrderId).map((w) => [w.changes.OrderStatus ?? null, w.changes.ShippingStatus ?? null])).toEqual([
      ['Processing', null],
      [null, 'Shipped'],
      ['Complete', 'Delivered'],
    ]);
  }, 30_000);

  it('holds a failed order for attention and never pushes it to Infigo as cancelled', async () => {
    const o = take();
    await h.sandbox.gelato.fail(o.orderReferenceId, 'Item 1: file is 2 mm too small');
    await h.sync();
    const a = attention(o.id);
    expect(a.state).toBe('failed');
    expect(a.reason).toMatch(/GelatoConnect failed the order/);
    expect(h.engine.status().attentionCount).toBeGreaterThan(0);
    expect(writesFor(o.infigoOrderId)).toEqual([]);
    expect(infigo(o.infigoOrderId).OrderStatus).not.toBe('Cancelled');
  });

  it('pushes OrderStatus Cancelled to Infigo when GelatoConnect cancels an order', async () => {
    const o = take();
    await h.sandbox.gelato.advance(o.orderReferenceId, 'canceled');
    await h.sync();
    expect((await detail(o.id)).state).toBe('canceled');
    expect(infigo(o.infigoOrderId).OrderStatus).toBe('Cancelled');
  });

  it('cancels in GelatoConnect an order cancelled in Infigo before it shipped; after shipping it only marks it for attention', async () => {
    const early = take();
    const late = take();
    await h.sandbox.gelato.advance(late.orderReferenceId, 'shipped');
    await h.sync();
    expect((await detail(late.id)).state).toBe('shipped');

    h.sandbox.infigo.setOrderStatus('acme', early.infigoOrderId, 'Cancelled');
    h.sandbox.infigo.setOrderStatus('acme', late.infigoOrderId, 'Cancelled');
    await h.sync();
    expect(h.sandbox.gelato.order(early.orderReferenceId)!.status).toBe('canceled');
    const e = await detail(early.id);
    expect(e.state).toBe('canceled');
    expect(e.timeline.some((t) => t.kind === 'canceled_in_infigo')).toBe(true);

    expect(h.sandbox.gelato.order(late.orderReferenceId)!.status).toBe('shipped');
    const l = attention(late.id);
    expect(l.state).toBe('shipped');
    expect(l.code).toBe('canceled_in_infigo_after_shipping');
    expect(l.reason).toMatch(/Cancelled in Infigo after shipping/);
    // Once: a second sync neither cancels again nor repeats the marker.
    const events = (await detail(late.id)).timeline.length;
    await h.sync();
    // Compared as events, not a count, so a failure names the event that was added.
    expect((await detail(late.id)).timeline.slice(events)).toEqual([]);
  });

  it('a push Infigo keeps refusing is retried across syncs, then marks the order (state unchanged) with the Infigo error', async () => {
    const o = take();
    const saved = { ...PUSH_POLICY };
    PUSH_POLICY.baseDelayMs = 0;
    try {
      await h.configure((cfg) => {
        cfg.statusUpdates = { mode: 'polling' };
        cfg.stores[0]!.infigo.statusWriter = { kind: 'rest', pathTemplate: 'no-such/order/{orderId}/status', method: 'POST' };
      });
      await h.sandbox.gelato.advance(o.orderReferenceId, 'shipped');
      for (let i = 1; i <= PUSH_POLICY.maxAttempts; i++) {
        const s = await h.sync();
        expect(s.errors.some((e) => /Status update to Infigo failed/.test(e.reason))).toBe(true);
        if (i < PUSH_POLICY.maxAttempts) expect(attention(o.id).code).toBeNull();
      }
      const a = attention(o.id);
      expect(a.state).toBe('shipped');
      expect(a.code).toBe('status_push_failed');
      expect(a.reason).toMatch(/does not accept status updates at "no-such\/order\/\{orderId\}\/status"/);
      const tl = (await detail(o.id)).timeline;
      expect(tl.filter((t) => t.kind === 'infigo_push' && t.outcome === 'retry').length).toBe(PUSH_POLICY.maxAttempts - 1);
      expect(tl.at(-1)!.outcome).toBe('error');
      expect(infigo(o.infigoOrderId).ShippingStatus).not.toBe('Shipped');
      // No sixth attempt.
      const s = await h.sync();
      expect(s.errors.some((e) => /Status update to Infigo failed/.test(e.reason))).toBe(false);
    } finally {
      Object.assign(PUSH_POLICY, saved);
      await h.configure((cfg) => {
        cfg.statusUpdates = { mode: 'polling' };
      });
    }
  }, 30_000);
});

describe('Infigo unreachable during the cancellation check', () => {
  it('reports one line per store, not one per order, and changes no order', async () => {
    const open = (await rows()).filter((r) => ['submitted', 'in_production', 'shipped'].includes(r.state));
    expect(open.length).toBeGreaterThan(3);
    h.sandbox.infigo.faults.set({ rules: [{ route: 'order/detail', errorRate: 1, errorStatus: 404 }] });
    try {
      const s = await h.sync();
      const lines = s.errors.filter((e) => /cancellation in Infigo/.test(e.reason));
      expect(lines.length).toBe(1);
      expect(lines[0]!.storeId).toBe('acme');
      expect(lines[0]!.reason).toMatch(/Could not check \d+ orders? of store "acme"/);
    } finally {
      h.sandbox.infigo.faults.set({ rules: [] });
    }
    const after = await rows();
    for (const o of open) expect(after.find((r) => r.id === o.id)!.state).toBe(o.state);
  });
});

describe('status-update check', () => {
  it('says polling is the active mode and that GelatoConnect answers a status request', async () => {
    const c = await checkStatusUpdates(h.engine.ctx);
    expect(c.status).toBe('pass');
    expect(c.title).toMatch(/polling/);
    expect(c.evidence).toMatchObject({ mode: 'polling' });
    h.sandbox.gelato.faults.set({ rules: [{ route: '/order/', errorRate: 1, errorStatus: 401 }] });
    try {
      const bad = await checkStatusUpdates(h.engine.ctx);
      expect(bad.status).toBe('fail');
      expect(bad.fix).toMatch(/API key/);
    } finally {
      h.sandbox.gelato.faults.set({ rules: [] });
    }
  });
});

describe('retried pushes never move Infigo backwards', () => {
  it('a "shipped" push still waiting for a retry is superseded by "delivered": Infigo gets Delivered once, with the tracking', async () => {
    const o = take();
    const saved = { ...PUSH_POLICY };
    PUSH_POLICY.baseDelayMs = 0;
    try {
      await h.configure((cfg) => {
        cfg.statusUpdates = { mode: 'polling' };
        cfg.stores[0]!.infigo.statusWriter = { kind: 'rest', pathTemplate: 'no-such/order/{orderId}/status', method: 'POST' };
      });
      await h.sandbox.gelato.advance(o.orderReferenceId, 'shipped');
      await h.sync(); // the Shipped push fails once
      expect(writesFor(o.infigoOrderId)).toEqual([]);
      await h.configure((cfg) => {
        cfg.statusUpdates = { mode: 'polling' };
      });
      await h.sandbox.gelato.advance(o.orderReferenceId, 'delivered');
      await h.sync();
      const w = writesFor(o.infigoOrderId);
      expect(w.length).toBe(1);
      expect(w[0]!.changes).toMatchObject({ ShippingStatus: 'Delivered', OrderStatus: 'Complete', TrackingNumber: h.sandbox.gelato.order(o.orderReferenceId)!.packages[0]!.trackingCode });
      await h.sync();
      expect(writesFor(o.infigoOrderId).length).toBe(1);
      expect(attention(o.id).code).toBeNull();
    } finally {
      Object.assign(PUSH_POLICY, saved);
    }
  });
});

describe('postback mode safety net', () => {
  it('polls only orders not heard of for 6 hours', async () => {
    const fresh = take();
    const quiet = take();
    await h.configure((cfg) => {
      cfg.statusUpdates = { mode: 'postback' };
    });
    // Postbacks take over only once one has arrived (until then every open order is polled).
    expect(h.engine.status().statusMode).toBe('polling');
    h.engine.ctx.repos.postbacks.insert({ key: 'first-postback', orderReferenceId: 'PL-acme-0', status: 'received', body: {} });
    expect(h.engine.status().statusMode).toBe('postback');
    await h.sandbox.gelato.advance(fresh.orderReferenceId, 'in_production');
    await h.sandbox.gelato.advance(quiet.orderReferenceId, 'in_production');
    const sevenHoursAgo = new Date(Date.now() - 7 * 3600_000).toISOString();
    h.engine.ctx.db.prepare('UPDATE orders SET updated_at = ? WHERE id = ?').run(sevenHoursAgo, quiet.id);
    await h.sync();
    expect((await detail(fresh.id)).state).toBe('submitted');
    expect((await detail(quiet.id)).state).toBe('in_production');
  });
});
