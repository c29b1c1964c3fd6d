import { afterEach, describe, expect, it } from 'vitest';
import { runApiMegaScript } from '../../electron/core/shipping/megascript-host';
import type { SandboxMegaScriptRunner, SandboxOrderSpec } from '../../electron/sandbox/infigo/index';
import { orderReferenceId } from '../../shared/domain/reference';
import { startHarness, type Harness } from '../helpers/harness';

// Issue 14, parts 2 and 5, against a sandbox storefront that behaves like a real Infigo where
// it differs from the simulator's defaults: no REST route for status updates (Infigo publishes
// none), order lines without Quantity/Sku/ProductName (public REST samples lack them), and a
// download route that knows jobs by number. The sandbox plays Infigo for API-triggered
// MegaScripts with Presslink's MegaScript host (the one the self-tests use).

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const runner: SandboxMegaScriptRunner = (script, request, findOrder) => {
  const r = runApiMegaScript(script.source, { config: script.config, request, findOrder });
  if (r.violations.length) throw new Error(`undeclared MegaScript members used: ${r.violations.join(', ')}`);
  return { status: r.status ?? 204, contentType: r.contentType ?? 'text/plain', body: r.body ?? '' };
};

const PAID: Partial<SandboxOrderSpec> = { orderStatus: 'Processing', paymentStatus: 'Paid', shippingStatus: 'NotYetShipped', shippingMethod: 'First Class' };
const CARDS = { sku: 'BC-85x55-400', quantity: 250, attributes: { Paper: '400gsm Silk' } };

async function row(id: number) {
  return (await h!.engine.call('orders.list', { q: orderReferenceId('acme', id) })).rows[0]!;
}

describe('reading orders the way a real store sends them', () => {
  it('a line without Quantity holds its order with the field named; the other orders go through', async () => {
    h = await startHarness({ ordersPerStore: 0, infigo: { realism: { omitLineFields: ['Quantity'] } } });
    await h.configure();
    const a = h.sandbox.infigo.addOrder('acme', { ...PAID, lines: [CARDS] }).id;
    await h.sync();
    const held = await row(a);
    expect(held.state).toBe('needs_attention');
    expect(held.attentionReason).toMatch(new RegExp(`Line [a-z]?\\d+ of order ${a} has no Quantity in Infigo's answer`));
    const d = await h.engine.call('orders.get', { id: held.id });
    expect(d.timeline.at(-1)).toMatchObject({ kind: 'needs_attention', detail: { problems: [{ code: 'line_fields_missing' }] } });
  }, 60_000);

  it('a line without Sku or ProductName takes the product\u2019s from the catalogue and is submitted', async () => {
    h = await startHarness({ ordersPerStore: 0, infigo: { realism: { omitLineFields: ['Sku', 'ProductName', 'Name'] } } });
    await h.configure();
    const a = h.sandbox.infigo.addOrder('acme', { ...PAID, lines: [CARDS] }).id;
    await h.sync();
    const r = await row(a);
    expect(r.state).toBe('submitted');
    const d = await h.engine.call('orders.get', { id: r.id });
    expect(d.lines[0]).toMatchObject({ sku: 'BC-85x55-400', name: 'Business Cards 85x55' });
    expect(d.timeline.map((e) => e.message).join('\n')).toMatch(/SKU "BC-85x55-400" and name "Business Cards 85x55" taken from the product in the Infigo catalogue/);
  }, 60_000);

  it('downloads a print file by its number when Infigo answers 404 for the lettered job id', async () => {
    h = await startHarness({ ordersPerStore: 0, infigo: { realism: { downloadNumericIdsOnly: true } } });
    await h.configure();
    const a = h.sandbox.infigo.addOrder('acme', { ...PAID, lines: [CARDS] }).id;
    await h.sync();
    expect((await row(a)).state).toBe('submitted');
    const downloads = h.sandbox.infigo.requests().filter((q) => /orderlineitem\/download/i.test(q.path));
    expect(downloads.map((q) => q.status)).toEqual([404, 200]);
    expect(downloads[1]!.path).toMatch(/download\/\d+$/);
  }, 60_000);

  it('the setup check "read one order" lists the fields found and the fields missing', async () => {
    h = await startHarness({ ordersPerStore: 2, infigo: { realism: { omitLineFields: ['Quantity', 'Sku'] } } });
    h.sandbox.infigo.addOrder('acme', { ...PAID, lines: [CARDS] });
    const store = h.sandbox.infigo.stores[0]!;
    const rs = await h.engine.call('setup.checkInfigo', { baseUrl: store.baseUrl, apiToken: store.token });
    const read = rs.find((r) => r.id === 'infigo-read-order')!;
    expect(read.status).toBe('warn');
    expect(read.message).toMatch(/has no Quantity, Sku\. The SKU "BC-85x55-400" can be taken from the product in the catalogue/);
    const ev = read.evidence as { line: { found: string[]; missing: string[] }; order: { found: string[]; missing: string[] } };
    expect(ev.line.missing).toEqual(['Quantity', 'Sku']);
    expect(ev.line.found).toEqual(expect.arrayContaining(['Id', 'Type', 'ProductName', 'ProductId', 'ProductAttributes']));
    expect(ev.order.found).toEqual(expect.arrayContaining(['Id', 'CreatedOnUtc', 'OrderLineItems']));
  }, 30_000);
});

describe('status and tracking reach a store that has no status route', () => {
  it('by default nothing is assumed: updates wait, the setup check fails, and nothing is sent to a route only the sandbox has', async () => {
    h = await startHarness({ ordersPerStore: 0, infigo: { realism: { statusRoute: false } } });
    await h.configure((cfg) => {
      delete (cfg.stores[0]!.infigo as { statusWriter?: unknown }).statusWriter;
    });
    const a = h.sandbox.infigo.addOrder('acme', { ...PAID, lines: [CARDS] }).id;
    await h.sync();
    const ref = orderReferenceId('acme', a);
    await h.sandbox.gelato.waitForFilesSettled(ref);
    await h.sandbox.gelato.advance(ref, 'shipped');
    await h.sync();
    await h.sync();
    const r = await row(a);
    expect(r.state).toBe('shipped');
    const d = await h.engine.call('orders.get', { id: r.id });
    expect(d.timeline.find((e) => e.kind === 'infigo_push_waiting')?.message).toMatch(/waits in Presslink: no way to write to Infigo is chosen/);
    expect(h.sandbox.infigo.requests().filter((q) => /presslink-sim/.test(q.path))).toEqual([]);
    expect(h.engine.ctx.repo.attentionCount()).toBe(0);
    const check = await h.engine.call('setup.checkStatusWriter', {});
    expect(check[0]).toMatchObject({ id: 'status-writer-chosen', status: 'fail', message: expect.stringMatching(/No way to write status and tracking to Infigo is chosen/) });
    expect((await h.engine.call('statusWriter.choices', {})).stores[0]).toMatchObject({ kind: 'none' });
  }, 60_000);

  it('the generated status MegaScript, installed in the storefront, sets status and tracking; the check writes a test note and reads it back', async () => {
    h = await startHarness({ ordersPerStore: 0, infigo: { realism: { statusRoute: false }, megaScriptRunner: runner } });
    await h.configure();
    const script = await h.engine.call('statusWriter.megascript', { storeId: 'acme' });
    const url = h.sandbox.infigo.installMegaScript('acme', 'presslink-status', { source: script.source, config: JSON.parse(script.config) });
    await h.configure((cfg) => {
      cfg.stores[0]!.infigo.statusWriter = { kind: 'megascript', url };
    });
    const self = await h.engine.call('statusWriter.selfTest', { storeId: 'acme' });
    expect(self, self.message).toMatchObject({ status: 'pass' });

    const a = h.sandbox.infigo.addOrder('acme', { ...PAID, lines: [CARDS] }).id;
    await h.sync();
    const ref = orderReferenceId('acme', a);
    await h.sandbox.gelato.waitForFilesSettled(ref);
    await h.sandbox.gelato.advance(ref, 'shipped');
    await h.sync();
    const pk = h.sandbox.gelato.order(ref)!.packages;
    const infigo = h.sandbox.infigo.order('acme', a)!.detail;
    expect([infigo.ShippingStatus, infigo.TrackingNumber]).toEqual(['Shipped', pk[0]!.trackingCode]);
    expect(infigo.OrderNotes.map((n) => n.Note).join('\n')).toContain(pk[0]!.trackingUrl);
    expect(h.sandbox.infigo.statusWrites('acme').every((w) => w.via === 'megascript')).toBe(true);

    const check = await h.engine.call('setup.checkStatusWriter', { storeId: 'acme', infigoOrderId: a });
    expect(check.map((c) => [c.id, c.status])).toEqual([
      ['status-writer-chosen', 'pass'],
      ['status-writer-script', 'pass'],
      ['status-writer-push', 'pass'],
    ]);
    expect(check[2]!.message).toMatch(new RegExp(`A test note was written to order ${a} and read back`));
    const after = h.sandbox.infigo.order('acme', a)!.detail;
    expect(after.OrderNotes.at(-1)!.Note).toMatch(/^Presslink status test/);
    expect([after.ShippingStatus, after.TrackingNumber]).toEqual(['Shipped', pk[0]!.trackingCode]);
    expect((await h.engine.call('statusWriter.choices', {})).stores[0]!.lastTest).toMatchObject({ status: 'pass', infigoOrderId: a });
  }, 60_000);

  it('a REST route a store does not have fails the check with what to do', async () => {
    h = await startHarness({ ordersPerStore: 1, infigo: { realism: { statusRoute: false } } });
    await h.configure();
    const check = await h.engine.call('setup.checkStatusWriter', {});
    expect(check.map((c) => [c.id, c.status])).toEqual([
      ['status-writer-chosen', 'pass'],
      ['status-writer-push', 'fail'],
    ]);
    expect(check[1]!.message).toMatch(/Infigo does not accept status updates at "presslink-sim\/order\/\{orderId\}\/status"/);
    expect(check[1]!.fix).toMatch(/MegaScript/);
  }, 30_000);
});
