import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyGelatoStatus } from '../../electron/core/backsync/apply';
import { checkStatusUpdates } from '../../electron/core/backsync/check';
import { intake } from '../../electron/core/backsync/intake';
import { parsePostback } from '../../electron/core/backsync/postback-format';
import { startHarness, type Harness } from '../helpers/harness';

// Status back-sync by postback, against the sandbox: GelatoConnect (sandbox) renders the
// triggers Presslink generated and posts them to Presslink's real HTTP server; Presslink
// applies them to its SQLite database and pushes the mapped statuses to Infigo (sandbox).

let h: Harness;
let hookUrl: string;
let secret: string;

type Detail = { state: string; attentionReason: string | null; tracking: { code: string; url: string | null; carrier: string | null }[]; timeline: { kind: string; outcome: string; message: string }[] };
type Row = { id: number; state: string; infigoOrderId: number; orderReferenceId: string };

async function waitFor<T>(what: string, fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 8_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await fn();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 25));
    last = await fn();
  }
  return last;
}

const detail = async (id: number) => (await h.engine.call('orders.get', { id })) as unknown as Detail;
const rows = async () => ((await h.engine.call('orders.list', { limit: 1000 })) as unknown as { rows: Row[] }).rows;
const post = (body: unknown, headers: Record<string, string> = { 'x-presslink-secret': secret }, method = 'POST') =>
  fetch(hookUrl, { method, headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  h = await startHarness({ ordersPerStore: 12, seed: 11, progression: 'manual' });
  await h.configure((cfg) => {
    // The header form (the default carries the secret in the path: postback-auth.test.ts).
    cfg.statusUpdates = { mode: 'postback', postbackAuth: 'header' };
  });
  const triggers = await h.engine.call('postbacks.triggers', {});
  hookUrl = triggers[0]!.url;
  secret = triggers[0]!.headers['X-Presslink-Secret']!;
  h.sandbox.gelato.setTriggers(triggers.map((t) => ({ event: t.event, name: t.name, url: t.url, method: t.method as 'POST', format: 'json', headers: t.headers, template: t.template })));
  const summary = await h.sync();
  expect(summary.submitted).toBeGreaterThan(2);
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('postback triggers', () => {
  it('cover every event Presslink follows, post JSON with the secret header to /hooks/gelato, and the secret is strong and stable', async () => {
    const triggers = await h.engine.call('postbacks.triggers', {});
    expect(triggers.map((t) => t.event)).toEqual(
      expect.arrayContaining(['Order received', 'Order failed', 'Order canceled', 'Order produced', 'Order shipped', 'Order in transit', 'Order delivered', 'Order returned']),
    );
    for (const t of triggers) {
      expect(t.url).toBe(`${h.server.url}/hooks/gelato`);
      expect(t.method).toBe('POST');
      expect(t.format).toBe('JSON');
      expect(t.headers['X-Presslink-Secret']).toBe(secret);
      expect(t.template).toContain('|tojson');
    }
    expect(secret.length).toBeGreaterThanOrEqual(40);
    const again = await h.engine.call('postbacks.triggers', {});
    expect(again[0]!.headers['X-Presslink-Secret']).toBe(secret);
  });
});

describe('an order followed by postbacks', () => {
  it('moves received → in production → shipped → delivered, and Infigo ends Complete/Delivered with the tracking code and URL', async () => {
    const all = await rows();
    // The order with the most lines, so a multi-parcel shipment is likely.
    const candidates = all.filter((r) => r.state === 'submitted');
    const target = candidates.sort((a, b) => (h.sandbox.infigo.order('acme', b.infigoOrderId)!.lines.length - h.sandbox.infigo.order('acme', a.infigoOrderId)!.lines.length))[0]!;
    const ref = target.orderReferenceId;
    const g = h.sandbox.gelato;
    await g.waitForFilesSettled(ref);
    expect(g.order(ref)!.status).toBe('passed');

    await g.advance(ref); // created
    await g.advance(ref); // in_production
    // "in production" has no trigger of its own; it arrives as a Package Status Updated postback.
    await waitFor('in production', () => detail(target.id), (d) => d.state === 'in_production');
    await waitFor('Infigo Processing', () => h.sandbox.infigo.order('acme', target.infigoOrderId)!.detail.OrderStatus, (s) => s === 'Processing');

    await g.advance(ref); // printed
    await g.advance(ref); // packaged
    await g.advance(ref); // shipped
    const packages = g.order(ref)!.packages;
    // Seed 11 ships this order in two parcels: both must reach Presslink and Infigo.
    expect(packages.length).toBe(2);
    const shipped = await waitFor('shipped with every parcel', () => detail(target.id), (d) => d.state === 'shipped' && d.tracking.length === packages.length);
    expect(shipped.tracking.map((t) => t.code).sort()).toEqual(packages.map((p) => p.trackingCode).sort());
    const inf = await waitFor('Infigo Shipped', () => h.sandbox.infigo.order('acme', target.infigoOrderId)!.detail, (d) => d.ShippingStatus === 'Shipped' && !!d.TrackingNumber);
    expect(inf.TrackingNumber).toBe(packages[0]!.trackingCode);
    expect((inf.ExtraData as Record<string, string>).TrackingUrl).toBe(packages[0]!.trackingUrl);
    expect((inf.ExtraData as Record<string, string>).Carrier).toBeTruthy();
    await waitFor('a note listing the second parcel', () => h.sandbox.infigo.order('acme', target.infigoOrderId)!.detail.OrderNotes as { Note: string }[], (n) => n.some((x) => x.Note.includes(packages[1]!.trackingCode)));

    await g.advance(ref); // in_transit
    await g.advance(ref); // delivered
    await waitFor('delivered', () => detail(target.id), (d) => d.state === 'delivered');
    const final = await waitFor('Infigo Complete', () => h.sandbox.infigo.order('acme', target.infigoOrderId)!.detail, (d) => d.OrderStatus === 'Complete');
    expect(final.ShippingStatus).toBe('Delivered');
    expect(final.TrackingNumber).toBe(packages[0]!.trackingCode);

    const writes = h.sandbox.infigo.statusWrites('acme').filter((w) => w.orderId === target.infigoOrderId);
    // Mapped statuses in order: Processing, then Shipped (+tracking), then Delivered + Complete; never backwards.
    const order = writes.map((w) => w.after.ShippingStatus === 'Delivered' ? 3 : w.after.ShippingStatus === 'Shipped' ? 2 : w.after.OrderStatus === 'Processing' ? 1 : 0);
    expect(order).toEqual([...order].sort());
    expect(writes.some((w) => w.changes.OrderStatus === 'Processing')).toBe(true);
    expect(writes.some((w) => w.changes.ShippingStatus === 'Shipped' && w.changes.TrackingNumber === packages[0]!.trackingCode && w.changes.TrackingUrl === packages[0]!.trackingUrl)).toBe(true);
    expect(writes.some((w) => w.changes.ShippingStatus === 'Delivered' && w.changes.OrderStatus === 'Complete')).toBe(true);
    // Repeated news (in transit after shipped; the same parcel by order and package trigger) was not pushed again.
    expect(writes.filter((w) => w.changes.ShippingStatus === 'Shipped').length).toBe(1);
    // Every postback GelatoConnect sent was answered 2xx, so its retries stopped.
    const sent = g.postbacks().filter((p) => p.orderReferenceId === ref);
    expect(sent.length).toBeGreaterThan(5);
    expect(sent.every((p) => p.delivered)).toBe(true);
  }, 30_000);
});

describe('bad, repeated and late postbacks', () => {
  const body = (ref: string, over: Record<string, unknown> = {}) => ({ presslink: 1, event: 'order.shipped', orderId: 'x', orderReferenceId: ref, customerReferenceId: 'acme-ltd', status: 'shipped', packageId: 'pkg-1', shippingMethod: 'DHL Parcel', trackingCode: 'TRK-1', trackingUrl: 'https://track.example/TRK-1', ...over });

  it('refuses a missing or wrong secret with 401 and changes nothing', async () => {
    const r0 = (await rows()).find((r) => r.state === 'submitted')!;
    const before = await detail(r0.id);
    const none = await post(body(r0.orderReferenceId), {});
    expect(none.status).toBe(401);
    const wrong = await post(body(r0.orderReferenceId), { 'x-presslink-secret': `${secret.slice(0, -1)}x` });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toMatch(/X-Presslink-Secret/);
    const after = await detail(r0.id);
    expect(after.state).toBe(before.state);
    expect(after.tracking).toEqual(before.tracking);
  });

  it('answers malformed JSON and an unknown status with 400 and a clear message', async () => {
    const bad = await post('{"event": "order.shipped", "orderReferenceId": ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not valid JSON/);
    // A postback naming no order is answered 200 and recorded as ignored (postback-auth.test.ts):
    // with "Retry on Failure" on, a 400 would be retried forever.
    const missing = await post({ presslink: 1, event: 'order.shipped', status: 'shipped' });
    expect(missing.status).toBe(200);
    expect(await missing.json()).toMatchObject({ ignored: 'no order reference' });
    const unknown = await post({ presslink: 1, event: 'order.exploded', orderReferenceId: 'x', status: 'exploded' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/not a GelatoConnect status/);
  });

  it('answers 200 for an order it does not know (so GelatoConnect stops retrying) and records it', async () => {
    const r = await post(body('NOT-OURS-1'));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ignored: 'unknown order' });
    const row = h.engine.ctx.db.prepare("SELECT result FROM postbacks WHERE order_reference_id = 'NOT-OURS-1'").get() as { result: string };
    expect(row.result).toMatch(/unknown order/);
  });

  it('applies a postback once: a duplicate is answered {duplicate:true} and pushes nothing more; a late "in production" never undoes "shipped"', async () => {
    const r0 = (await rows()).filter((r) => r.state === 'submitted').at(-1)!;
    const writesFor = () => h.sandbox.infigo.statusWrites('acme').filter((w) => w.orderId === r0.infigoOrderId);
    const first = await post(body(r0.orderReferenceId), { 'x-presslink-secret': secret }, 'PUT');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true });
    await waitFor('shipped', () => detail(r0.id), (d) => d.state === 'shipped');
    await waitFor('the Shipped push', writesFor, (w) => w.length === 1);

    const dup = await post(body(r0.orderReferenceId));
    expect(dup.status).toBe(200);
    expect(await dup.json()).toEqual({ ok: true, duplicate: true });

    const late = await post(body(r0.orderReferenceId, { event: 'order.produced', status: 'printed', packageId: null, trackingCode: null, trackingUrl: null }));
    expect(late.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    const d = await detail(r0.id);
    expect(d.state).toBe('shipped');
    expect(d.tracking.map((t) => t.code)).toEqual(['TRK-1']);
    expect(writesFor().length).toBe(1);
    expect(h.sandbox.infigo.order('acme', r0.infigoOrderId)!.detail.ShippingStatus).toBe('Shipped');

    // A second parcel reported late is kept and sent to Infigo as a note, without moving anything back.
    const second = await post(body(r0.orderReferenceId, { event: 'package.status_updated', packageId: 'pkg-2', trackingCode: 'TRK-2', trackingUrl: 'https://track.example/TRK-2' }));
    expect(second.status).toBe(200);
    await waitFor('both parcels', () => detail(r0.id), (x) => x.tracking.length === 2);
    const w = await waitFor('the note push', writesFor, (x) => x.length === 2);
    expect(w[1]!.changes.Note).toMatch(/TRK-2/);
    expect(w[1]!.after.ShippingStatus).toBe('Shipped');
    expect(w[1]!.after.TrackingNumber).toBe('TRK-1');
  });
});

describe('side exits after the goods left', () => {
  const body = (ref: string, over: Record<string, unknown>) => ({ presslink: 1, orderId: 'x', orderReferenceId: ref, customerReferenceId: 'acme-ltd', ...over });
  const appliedPostbacks = (ref: string) =>
    (h.engine.ctx.db.prepare('SELECT COUNT(*) FROM postbacks WHERE order_reference_id = ? AND applied_at IS NOT NULL').pluck().get(ref) as number);
  const outboxStatuses = (orderId: number) =>
    (h.engine.ctx.db.prepare("SELECT payload_json FROM outbox WHERE order_id = ? AND kind = 'infigo_status'").pluck().all(orderId) as string[]).map((j) => (JSON.parse(j) as { status?: string }).status);

  it('a "canceled" after "shipped" does not tell Infigo the shipped order is Cancelled, and says so on the timeline', async () => {
    const r0 = (await rows()).filter((r) => r.state === 'submitted')[0]!;
    const ref = r0.orderReferenceId;
    const writesFor = () => h.sandbox.infigo.statusWrites('acme').filter((w) => w.orderId === r0.infigoOrderId);
    const base = appliedPostbacks(ref);
    expect((await post(body(ref, { event: 'order.shipped', status: 'shipped', packageId: 'pkg-c1', trackingCode: 'TRK-C1', trackingUrl: 'https://track.example/TRK-C1' }))).status).toBe(200);
    await waitFor('shipped', () => detail(r0.id), (d) => d.state === 'shipped');
    await waitFor('the Shipped push', writesFor, (w) => w.length === 1);

    expect((await post(body(ref, { event: 'order.canceled', status: 'canceled' }))).status).toBe(200);
    await waitFor('the canceled postback applied', () => appliedPostbacks(ref), (n) => n === base + 2);
    await h.sync(); // delivers any push the postback queued
    const d = await detail(r0.id);
    expect(d.state).toBe('shipped');
    expect(outboxStatuses(r0.id)).not.toContain('canceled');
    expect(writesFor().some((w) => w.changes.OrderStatus === 'Cancelled')).toBe(false);
    expect(h.sandbox.infigo.order('acme', r0.infigoOrderId)!.detail.OrderStatus).not.toBe('Cancelled');
    expect(h.sandbox.infigo.order('acme', r0.infigoOrderId)!.detail.ShippingStatus).toBe('Shipped');
    const note = d.timeline.filter((e) => /canceled after it had shipped/.test(e.message));
    expect(note).toHaveLength(1);
    // The status check finding "canceled" again at every cycle adds no second note.
    expect(applyGelatoStatus(h.engine.ctx, h.engine.ctx.repo.byId(r0.id)!, { status: 'canceled', source: 'poll' })).toBe('stale');
    expect((await detail(r0.id)).timeline.filter((e) => /canceled after it had shipped/.test(e.message))).toHaveLength(1);
  });

  it('a "failed" after "delivered" leaves the order delivered: no Retry advice, no attention, nothing sent to Infigo', async () => {
    const r0 = (await rows()).filter((r) => r.state === 'submitted')[0]!;
    const ref = r0.orderReferenceId;
    const attentionBefore = h.engine.status().attentionCount;
    const base = appliedPostbacks(ref);
    await post(body(ref, { event: 'order.shipped', status: 'shipped', packageId: 'pkg-d1', trackingCode: 'TRK-D1', trackingUrl: 'https://track.example/TRK-D1' }));
    await post(body(ref, { event: 'order.delivered', status: 'delivered' }));
    await waitFor('delivered', () => detail(r0.id), (d) => d.state === 'delivered');
    await waitFor('both applied', () => appliedPostbacks(ref), (n) => n === base + 2);
    await h.sync();
    const writesBefore = h.sandbox.infigo.statusWrites('acme').filter((w) => w.orderId === r0.infigoOrderId).length;

    expect((await post(body(ref, { event: 'order.failed', status: 'failed', reason: 'Printer jam' }))).status).toBe(200);
    await waitFor('the failed postback applied', () => appliedPostbacks(ref), (n) => n === base + 3);
    await h.sync();
    const d = await detail(r0.id);
    expect(d.state).toBe('delivered');
    expect(d.attentionReason).toBeNull();
    expect(h.engine.ctx.repo.byId(r0.id)!.gelatoStatus).toBe('delivered');
    expect(h.engine.status().attentionCount).toBe(attentionBefore);
    expect(d.timeline.some((e) => /press Retry/.test(e.message))).toBe(false);
    expect(d.timeline.filter((e) => /failed after it was delivered/.test(e.message))).toHaveLength(1);
    expect(h.sandbox.infigo.statusWrites('acme').filter((w) => w.orderId === r0.infigoOrderId).length).toBe(writesBefore);
    expect(h.sandbox.infigo.order('acme', r0.infigoOrderId)!.detail.OrderStatus).toBe('Complete');
  });
});

describe('status-update check', () => {
  it('says postbacks are the active mode, that the webhook answers at the public address, and when the last postback arrived', async () => {
    const c = await checkStatusUpdates(h.engine.ctx);
    expect(c.status).toBe('pass');
    expect(c.title).toMatch(/postback/);
    expect(c.evidence).toMatchObject({ mode: 'postback', url: hookUrl, status: 200 });
    expect((c.evidence as { lastPostbackAt: string | null }).lastPostbackAt).toBeTruthy();
  });
});

describe('durability', () => {
  it('a postback stored but not applied (Presslink stopped right after answering) is applied by the next sync', async () => {
    const r0 = (await rows()).find((r) => r.state === 'submitted')!;
    const raw = { presslink: 1, event: 'order.produced', orderReferenceId: r0.orderReferenceId, status: 'printed' };
    const parsed = parsePostback(raw);
    if (!parsed.ok || !('value' in parsed)) throw new Error('unparsable');
    // What the route does before it answers: store, nothing else.
    const stored = intake(h.engine.ctx, parsed.value, raw);
    expect(stored.apply).toBeGreaterThan(0);
    expect((await detail(r0.id)).state).toBe('submitted');
    await h.sync();
    expect((await detail(r0.id)).state).toBe('in_production');
    const row = h.engine.ctx.db.prepare('SELECT applied_at, result FROM postbacks WHERE id = ?').get(stored.apply) as { applied_at: string | null; result: string };
    expect(row.applied_at).toBeTruthy();
    expect(row.result).toBe('applied');
    expect(h.sandbox.infigo.order('acme', r0.infigoOrderId)!.detail.OrderStatus).toBe('Processing');
  });
});
