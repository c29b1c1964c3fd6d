import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../shared/contract';
import { startEngine } from '../../electron/core/engine';
import { runningSandbox, testRunSettled } from '../../electron/core/checks/index';
import type { Served } from '../../electron/core/engine-types';
import type { Sandbox } from '../../electron/sandbox/index';
import { createSandboxLauncher } from '../../electron/sandbox/launcher';
import { tempDir } from '../helpers/tmp';

// Sandbox mode end to end: the engine starts its own sandbox, places the test
// orders, drives them to delivered, and the checklist turns green from evidence.

let engine: Awaited<ReturnType<typeof startEngine>>;
let server: Served;
/** The sandboxes the engine started, newest last (their simulators, for the test to reach into). */
const started: Sandbox[] = [];
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  tmp = tempDir('presslink-checklist-');
  engine = await startEngine({ dataDir: tmp.dir, mode: 'headless', schedule: false, sandbox: createSandboxLauncher({ onStart: (s) => started.push(s) }) });
  server = await engine.serve({ port: 0 });
});

afterAll(async () => {
  await server?.close();
  await engine?.stop();
  tmp?.cleanup();
});

const byId = (rs: CheckResult[], id: string) => rs.find((r) => r.id === id)!;

describe('checklist in sandbox mode', () => {
  it('says what to place while there is no evidence, and that test orders need sandbox mode', async () => {
    const rs = await engine.call('checklist.run', {});
    expect(rs.map((r) => r.id)).toEqual(['test-orders-placed', 'order-appears', 'files-transferred', 'order-to-delivery', 'shipping-tracking-in-infigo', 'status-writer', 'postbacks-tested', 'mixed-orders', 'checkout-shipping', 'product-types']);
    const placed = byId(rs, 'test-orders-placed');
    expect(placed.status).toBe('fail');
    expect(placed.fix).toMatch(/Place a test order in your Infigo store/);
    expect(byId(rs, 'mixed-orders').fix).toMatch(/printable product and one stock/);
    await expect(engine.call('checklist.placeTestOrders', {})).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/real Infigo store/) });
  });

  it('useSandbox imports a working configuration: a sync submits its orders', async () => {
    const r = await engine.call('setup.useSandbox', { orders: 3 });
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(/Sandbox running/);
    const cfg = await engine.call('config.get', {});
    expect(cfg.configured).toBe(true);
    const sb = started.at(-1)!;
    expect((cfg.config as { stores: { infigo: { baseUrl: string } }[] }).stores[0]!.infigo.baseUrl).toContain(sb.infigo.url);
    const s = await engine.call('sync.now', {});
    expect(s.summary!.discovered).toBe(6);
    expect(s.summary!.submitted).toBeGreaterThan(0);
    expect(sb.gelato.orders().length).toBe(s.summary!.submitted);
  });

  it('turns green after placeTestOrders has taken the orders to delivered', async () => {
    const { placed } = await engine.call('checklist.placeTestOrders', {});
    expect(placed).toHaveLength(3);
    await expect(engine.call('checklist.placeTestOrders', {})).rejects.toMatchObject({ code: 'conflict' });
    const during = await engine.call('checklist.run', {});
    expect(byId(during, 'order-to-delivery')).toMatchObject({ status: 'fail', message: expect.stringMatching(/still going/) });
    await testRunSettled(engine.ctx);
    const rs = await engine.call('checklist.run', {});
    const failing = rs.filter((r) => r.status === 'fail');
    expect(failing, JSON.stringify(failing, null, 2)).toEqual([]);
    for (const r of rs) expect(r.status, `${r.id}: ${r.message}`).toBe('pass');
    const tracking = byId(rs, 'shipping-tracking-in-infigo').evidence as { tracking: { code: string }[]; infigoNow: { ShippingStatus: string; TrackingNumber: string | null } }[];
    for (const t of tracking) {
      expect(t.tracking.length).toBeGreaterThan(0);
      expect(t.infigoNow.ShippingStatus).toBe('Delivered');
      expect(t.tracking.map((c) => c.code)).toContain(t.infigoNow.TrackingNumber);
    }
    expect(byId(rs, 'checkout-shipping').message).toMatch(/option/);
    expect(byId(rs, 'test-orders-placed').message).toContain(String(placed[0]));
    const files = byId(rs, 'files-transferred').evidence as { infigoOrderId: number; sha256: string; bytes: number; gelato?: { sameBytes: boolean } }[];
    expect(files).toHaveLength(1 + 1 + 3); // printable lines of the three test orders
    for (const f of files) {
      expect(placed).toContain(f.infigoOrderId);
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(f.gelato?.sameBytes).toBe(true);
    }
    const delivery = byId(rs, 'order-to-delivery').evidence as { timeline: { kind: string }[] }[];
    expect(delivery).toHaveLength(3);
    const kinds = delivery[0]!.timeline.map((e) => e.kind);
    expect(kinds.indexOf('discovered')).toBeLessThan(kinds.indexOf('submitted'));
    expect(kinds.some((k) => /delivered/.test(k))).toBe(true);
    const mixed = byId(rs, 'mixed-orders').evidence as { policy: string; stockLines: { sku: string; handled: string }[] }[];
    expect(mixed[0]!.policy).toBe('exclude');
    expect(mixed[0]!.stockLines[0]).toMatchObject({ sku: 'PEN-BLUE', handled: 'left out of the GelatoConnect order' });
    const types = byId(rs, 'product-types').evidence as { productType: number; kind: string }[];
    expect(types.some((t) => t.kind === 'stock' && t.productType === 10)).toBe(true);
    expect(types.some((t) => t.kind === 'printable')).toBe(true);
  });

  it('stores waivers, shows them as waived, and refuses unknown steps', async () => {
    const rs = await engine.call('checklist.waive', { id: 'checkout-shipping', waived: true });
    expect(byId(rs, 'checkout-shipping')).toMatchObject({ status: 'waived', ok: true });
    const again = await engine.call('checklist.run', {});
    expect(byId(again, 'checkout-shipping').status).toBe('waived');
    const back = await engine.call('checklist.waive', { id: 'checkout-shipping', waived: false });
    expect(byId(back, 'checkout-shipping').status).not.toBe('waived');
    await expect(engine.call('checklist.waive', { id: 'no-such-step', waived: true })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('a second sandbox in the same data directory gets fresh store ids, so its test orders are imported', async () => {
    const first = runningSandbox(engine.ctx)!;
    expect((await engine.call('setup.useSandbox', { orders: 1 })).ok).toBe(true);
    expect(runningSandbox(engine.ctx)).not.toBe(first);
    const cfg = (await engine.call('config.get', {})).config as { stores: { id: string }[] };
    expect(cfg.stores.map((s) => s.id)).toEqual(['acme-2', 'bellaprint-2']);
    const { placed } = await engine.call('checklist.placeTestOrders', {});
    await testRunSettled(engine.ctx);
    const rs = await engine.call('checklist.run', {});
    expect(byId(rs, 'test-orders-placed').status).toBe('pass');
    expect(byId(rs, 'order-to-delivery').message).toContain(String(placed[0]));
    const orders = await engine.call('orders.list', { storeId: 'acme-2' });
    expect(orders.rows.filter((o) => placed.includes(o.infigoOrderId)).map((o) => o.state)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('closes the sandbox when the engine stops', async () => {
    const url = started.at(-1)!.infigo.url;
    await server.close();
    await engine.stop();
    await expect(fetch(`${url}/s/acme/services/api/Order/List`)).rejects.toThrow();
  });
});
