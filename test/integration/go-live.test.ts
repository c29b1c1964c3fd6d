import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxOrderSpec } from '../../electron/sandbox/infigo/index';
import { orderReferenceId } from '../../shared/domain/reference';
import { syncAndWait } from '../../electron/core/checks/index';
import { openDatabase } from '../../electron/core/db/open';
import { dataFiles } from '../../electron/core/paths';
import { startHarness, type Harness } from '../helpers/harness';
import { tempDir } from '../helpers/tmp';

// Day one on a real shop (issue 14, part 1): Order/List returns the store's whole history, so
// nothing may be imported before the admin activates, and at activation everything already in
// the store is recorded as "before go-live" and never submitted unless a person sends it.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const NEW_ORDER: Partial<SandboxOrderSpec> = {
  lines: [{ sku: 'BC-85x55-400', quantity: 250, attributes: { Paper: '400gsm Silk' } }],
  orderStatus: 'Processing',
  paymentStatus: 'Paid',
  shippingStatus: 'NotYetShipped',
  shippingMethod: 'First Class',
};

describe('going live on a store with history', () => {
  it('a store with 500 historical orders (mixed states): 0 submitted before activation, exactly the 3 placed after it', async () => {
    h = await startHarness({ ordersPerStore: 500 });
    const { infigo, gelato } = h.sandbox;
    const states = new Set(infigo.order('acme', 10001) ? Array.from({ length: 500 }, (_, i) => infigo.order('acme', 10001 + i)!.detail.OrderStatus) : []);
    expect([...states].sort()).toEqual(['Cancelled', 'Complete', 'Pending', 'Processing']);

    await h.configure(undefined, { activate: false });
    expect(h.engine.status().activatedAt).toBeNull();
    expect(h.engine.status().nextSyncAt).toBeNull();
    // Saving the wizard's steps asks for a sync; before activation none starts.
    h.engine.ctx.requestSync();
    expect(h.engine.ctx.sync.isRunning()).toBe(false);
    const refused = await h.engine.call('sync.now', {});
    expect(refused).toMatchObject({ started: false, reason: expect.stringMatching(/not activated/) });
    expect(gelato.orders()).toHaveLength(0);
    expect((await h.engine.call('orders.list', {})).total).toBe(0);

    const a = await h.engine.call('setup.activate', {});
    expect(a.alreadyActive).toBe(false);
    expect(a.stores).toEqual([expect.objectContaining({ storeId: 'acme', newestInfigoOrderId: 10500, newestCreatedOnUtc: infigo.order('acme', 10500)!.detail.CreatedOnUtc.replace('Z', '.000Z') })]);
    expect(h.engine.status().activatedAt).toBe(a.activatedAt);
    // Idempotent: pressing Activate again records nothing new.
    const again = await h.engine.call('setup.activate', {});
    expect(again).toMatchObject({ alreadyActive: true, activatedAt: a.activatedAt });

    const first = await h.sync();
    expect(first.submitted).toBe(0);
    expect(gelato.orders()).toHaveLength(0);
    const history = await h.engine.call('orders.list', { states: ['before_go_live'], limit: 1 });
    expect(history.total).toBe(500);
    expect(history.rows[0]!.attentionReason).toMatch(/Placed before go-live/);

    const placed = [1, 2, 3].map(() => infigo.addOrder('acme', NEW_ORDER).id);
    const second = await h.sync();
    expect(second.submitted).toBe(3);
    expect(gelato.orders().map((g) => g.orderReferenceId).sort()).toEqual(placed.map((id) => orderReferenceId('acme', id)).sort());
    const counts = await h.engine.call('orders.counts', {});
    expect(counts).toEqual({ before_go_live: 500, submitted: 3 });
  }, 120_000);

  it('holds an order whose date cannot be read, treats one numbered after the cut-over but placed before it as history, and skips one already shipped', async () => {
    h = await startHarness({ ordersPerStore: 5 });
    await h.configure(undefined, { activate: false });
    await h.engine.call('setup.activate', {});
    const { infigo, gelato } = h.sandbox;
    const noDate = infigo.addOrder('acme', { ...NEW_ORDER, createdOnUtc: 'sometime last week' }).id;
    const backdated = infigo.addOrder('acme', { ...NEW_ORDER, createdOnUtc: '2020-01-02T03:04:05Z' }).id;
    const shipped = infigo.addOrder('acme', { ...NEW_ORDER, shippingStatus: 'Shipped' }).id;
    const fresh = infigo.addOrder('acme', NEW_ORDER).id;
    await h.sync();
    const row = async (id: number) => (await h!.engine.call('orders.list', { q: orderReferenceId('acme', id) })).rows[0]!;
    expect(await row(noDate)).toMatchObject({ state: 'needs_attention', attentionReason: expect.stringMatching(/could not read when order \d+ was placed.*"sometime last week"/) });
    expect(await row(backdated)).toMatchObject({ state: 'before_go_live', attentionReason: expect.stringMatching(/placed on 2020-01-02, before the newest order at activation/) });
    expect(await row(shipped)).toMatchObject({ state: 'skipped', attentionReason: expect.stringMatching(/Shipped/) });
    expect(await row(fresh)).toMatchObject({ state: 'submitted' });
    expect(gelato.orders().map((g) => g.orderReferenceId)).toEqual([orderReferenceId('acme', fresh)]);

    // The held order and the backdated one go only when a person sends them.
    const ids = [(await row(noDate)).id, (await row(backdated)).id, (await row(fresh)).id];
    const preview = await h.engine.call('orders.olderPreview', { ids });
    expect(preview.willSend).toBe(2);
    expect(preview.orders.map((o) => o.willSend)).toEqual([true, true, false]);
    expect(preview.orders[1]).toMatchObject({ placedAt: '2020-01-02T03:04:05Z', orderStatus: 'Processing', lines: 1 });
    expect(preview.orders[2]!.notes[0]).toMatch(/is submitted; only orders recorded as before go-live/);
    expect(gelato.orders()).toHaveLength(1);

    const sent = await h.engine.call('orders.sendOlder', { ids });
    expect(sent.changed).toBe(2);
    expect(sent.refused).toEqual([{ id: ids[2], reason: expect.stringMatching(/is submitted/), msg: expect.objectContaining({ key: 'golive.sendRefusedState' }) }]);
    await syncAndWait(h.engine.ctx);
    expect((await row(noDate)).state).toBe('submitted');
    expect((await row(backdated)).state).toBe('submitted');
    expect(gelato.orders()).toHaveLength(3);
  }, 60_000);

  it('a sent older order that was cancelled in Infigo is still not produced', async () => {
    h = await startHarness({ ordersPerStore: 3 });
    await h.configure(undefined, { activate: false });
    h.sandbox.infigo.setOrderStatus('acme', 10002, 'Cancelled');
    await h.engine.call('setup.activate', {});
    await h.sync();
    const rows = (await h.engine.call('orders.list', { states: ['before_go_live'], sort: 'oldest' })).rows;
    expect(rows.map((r) => r.infigoOrderId)).toEqual([10001, 10002, 10003]);
    const preview = await h.engine.call('orders.olderPreview', { ids: [rows[1]!.id] });
    expect(preview.orders[0]).toMatchObject({ willSend: false, orderStatus: 'Cancelled', notes: expect.arrayContaining([expect.stringMatching(/cancelled in Infigo/)]) });
    await h.engine.call('orders.sendOlder', { ids: [rows[1]!.id] });
    await syncAndWait(h.engine.ctx);
    expect((await h.engine.call('orders.get', { id: rows[1]!.id })).state).toBe('skipped');
    expect(h.sandbox.gelato.orders()).toHaveLength(0);
  }, 60_000);

  it('refuses to activate when a store cannot be read, and activates nothing', async () => {
    h = await startHarness({ ordersPerStore: 2 });
    await h.configure((cfg) => {
      cfg.stores[0]!.infigo.apiToken = 'not-the-token';
    }, { activate: false });
    await expect(h.engine.call('setup.activate', {})).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/could not read the order list of store .*Nothing was activated/) });
    expect(h.engine.status().activatedAt).toBeNull();
  }, 30_000);

  it('a store added after activation gets its cut-over at its first sync', async () => {
    h = await startHarness({ ordersPerStore: 4, storeCount: 2 });
    await h.configure((cfg) => {
      cfg.stores = cfg.stores.slice(0, 1);
    }, { activate: false });
    await h.engine.call('setup.activate', {});
    await h.configure(undefined, { activate: false });
    const s = await h.sync();
    expect(s.submitted).toBe(0);
    const counts = await h.engine.call('orders.counts', {});
    expect(counts).toEqual({ before_go_live: 8 });
    const newcomer = h.sandbox.infigo.addOrder('bellaprint', NEW_ORDER).id;
    await h.sync();
    expect(h.sandbox.gelato.orders().map((g) => g.orderReferenceId)).toEqual([orderReferenceId('bellaprint', newcomer)]);
  }, 60_000);

  it('an install that was syncing before activation existed keeps syncing after the upgrade', async () => {
    const t = tempDir('presslink-upgrade-');
    // What an earlier Presslink left: a version 4 database that had already imported order 10001.
    const old = openDatabase(dataFiles(t.dir).db, { targetVersion: 4 });
    old.prepare("INSERT INTO orders (store_id, infigo_order_id, order_reference_id, state, created_at, updated_at, search_text) VALUES ('acme', 10001, 'PL-acme-10001', 'submitted', '2026-10-01T09:00:00.000Z', '2026-10-01T09:00:00.000Z', '')").run();
    old.close();
    h = await startHarness({ ordersPerStore: 3, dataDir: t.dir });
    await h.configure(undefined, { activate: false });
    expect(h.engine.status().activatedAt).toBe('2026-10-01T09:00:00.000Z');
    const s = await h.sync();
    expect(s.discovered).toBe(2);
    expect(await h.engine.call('orders.counts', {})).not.toHaveProperty('before_go_live');
    await h.close();
    h = undefined;
    t.cleanup();
  }, 60_000);
});
