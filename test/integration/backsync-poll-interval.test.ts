import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersToPoll } from '../../electron/core/backsync/poll';
import { StatusPoller } from '../../electron/core/backsync/status-poller';
import { runSyncCycle } from '../../electron/core/sync/cycle';
import { startHarness, type Harness } from '../helpers/harness';

// Polling mode asks GelatoConnect about open orders every `statusUpdates.pollMinutes`: between
// sync cycles through the status poller, and not again on every scheduled cycle. "Sync now"
// asks about all of them at once.

let h: Harness;
type Row = { id: number; state: string; infigoOrderId: number; orderReferenceId: string };
let pool: Row[] = [];
const take = () => {
  const r = pool.shift();
  if (!r) throw new Error('no submitted order left for this test');
  return r;
};
const state = async (id: number) => ((await h.engine.call('orders.get', { id })) as unknown as { state: string }).state;
const TEN_MINUTES = 10 * 60_000;

beforeAll(async () => {
  h = await startHarness({ ordersPerStore: 8, seed: 9, progression: 'manual' });
  await h.configure((cfg) => {
    cfg.statusUpdates = { mode: 'polling', pollMinutes: 10 };
  });
  await h.sync();
  pool = ((await h.engine.call('orders.list', { limit: 1000 })) as unknown as { rows: Row[] }).rows.filter((r) => r.state === 'submitted');
  expect(pool.length).toBeGreaterThanOrEqual(3);
  await Promise.all(pool.map((r) => h.sandbox.gelato.waitForFilesSettled(r.orderReferenceId)));
  // Every open order has now been asked about once ("Sync now" asks about all of them).
  await h.sync();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('poll interval (polling mode)', () => {
  it('a scheduled cycle does not ask again about an order asked about less than pollMinutes ago; "Sync now" does', async () => {
    const o = take();
    await h.sandbox.gelato.advance(o.orderReferenceId, 'in_production');
    await runSyncCycle(h.engine.ctx, 'schedule');
    expect(await state(o.id)).toBe('submitted');
    expect(ordersToPoll(h.engine.ctx).map((r) => r.id)).not.toContain(o.id);
    expect(ordersToPoll(h.engine.ctx, Date.now() + TEN_MINUTES).map((r) => r.id)).toContain(o.id);

    await h.sync();
    expect(await state(o.id)).toBe('in_production');
  });

  it('the status poller brings a change in and pushes it to Infigo between sync cycles, once', async () => {
    const o = take();
    await h.sandbox.gelato.advance(o.orderReferenceId, 'shipped');
    const writes = () => h.sandbox.infigo.statusWrites('acme').filter((w) => w.orderId === o.infigoOrderId);
    const before = writes().length;

    // Not yet due: nothing asked, nothing changed.
    await new StatusPoller(h.engine.ctx, () => true).tick();
    expect(await state(o.id)).toBe('submitted');

    // pollMinutes later.
    const later = new StatusPoller(h.engine.ctx, () => true, () => Date.now() + TEN_MINUTES);
    await later.tick();
    expect(await state(o.id)).toBe('shipped');
    expect(writes().length).toBe(before + 1);
    expect(writes().at(-1)!.changes).toMatchObject({ ShippingStatus: 'Shipped' });

    // The next tick (and a cycle) learn nothing new and push nothing again.
    await later.tick();
    await runSyncCycle(h.engine.ctx, 'schedule');
    expect(writes().length).toBe(before + 1);
  });

  it('does not run while a sync cycle runs (or the engine is paused)', async () => {
    const o = take();
    await h.sandbox.gelato.advance(o.orderReferenceId, 'in_production');
    const blocked = new StatusPoller(h.engine.ctx, () => false, () => Date.now() + TEN_MINUTES);
    await blocked.tick();
    expect(await state(o.id)).toBe('submitted');
  });

  it('a cycle that starts while a tick runs waits until the tick has finished its work', async () => {
    const o = take();
    await h.sandbox.gelato.advance(o.orderReferenceId, 'in_production');
    const poller = new StatusPoller(h.engine.ctx, () => true, () => Date.now() + TEN_MINUTES);
    const tick = poller.tick();
    let seenAtCycleStart = '';
    const cycle = poller.idle().then(async () => {
      seenAtCycleStart = await state(o.id);
      await runSyncCycle(h.engine.ctx, 'schedule');
    });
    await Promise.all([tick, cycle]);
    expect(seenAtCycleStart).toBe('in_production');
  });
});
