import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine } from '../../electron/core/engine';
import { renderMsg } from '../../electron/core/i18n';
import { startHarness, type Harness } from '../helpers/harness';
import { SANDBOX_PRODUCT_MAPPINGS } from '../../electron/sandbox/index';

// Issue 4's must-shows against the sandbox: real HTTP, real SQLite, real files.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function allOrders(hh: Harness) {
  return (await hh.engine.call('orders.list', { limit: 1000 })).rows;
}

describe('order sync against the sandbox', () => {
  it('after one cycle over 200 mixed orders, each printable order is in GelatoConnect exactly once with the right details', async () => {
    h = await startHarness({ ordersPerStore: 200, seed: 7 });
    await h.configure();
    const summary = await h.sync();
    expect(summary.discovered).toBe(200);
    expect(summary.ok).toBe(true);

    const rows = await allOrders(h);
    const gelato = h.sandbox.gelato;
    const infigo = h.sandbox.infigo;
    let printableOrders = 0;
    for (const row of rows) {
      const view = infigo.order('acme', row.infigoOrderId)!;
      const printable = view.lines.filter((l) => l.printable && l.type !== 60);
      const unsupported = view.lines.some((l) => l.type === 60 || l.type === 70);
      // Cancelled orders are never produced; Complete ones were fulfilled already (the default skip list).
      if (view.detail.OrderStatus === 'Cancelled' || view.detail.OrderStatus === 'Complete') {
        expect(row.state).toBe('skipped');
        expect(row.attentionReason).toContain(view.detail.OrderStatus);
        continue;
      }
      const addressGap = view.quirks.find((q) => q.startsWith('shipping address lacks'));
      // Infigo's known gap: a line without its attributes cannot be matched to an attribute-specific product.
      const attributeGap = view.lines.some((l) => l.printable && l.json.ProductAttributes.length === 0 && ['BC-85x55-400', 'FLYER-A5'].includes(l.sku));
      if (attributeGap && !unsupported && !addressGap) {
        expect(row.state).toBe('needs_attention');
        expect(row.attentionReason).toMatch(/has no (value for it|"Paper")/);
        continue;
      }
      if (unsupported || addressGap) {
        expect(row.state).toBe('needs_attention');
        if (unsupported) expect(row.attentionReason).toMatch(/type 60.*neither printable nor a stock item/);
        if (addressGap) expect(row.attentionReason).toMatch(/The shipping address is missing: .+\. Correct the shipping address in Infigo/);
        continue;
      }
      if (printable.length === 0) {
        expect(row.state).toBe('skipped');
        expect(row.attentionReason).toMatch(/only stock items/);
        expect(gelato.order(row.orderReferenceId)).toBeUndefined();
        continue;
      }
      printableOrders++;
      expect(row.state, `${row.infigoOrderId}: ${row.attentionReason}`).toBe('submitted');
      expect(gelato.submitCount(row.orderReferenceId)).toBe(1);
      const g = gelato.order(row.orderReferenceId)!;
      expect(g.id).toBe(row.gelatoOrderId);
      expect(g.customerReferenceId).toBe('acme-ltd');
      const p = g.payload as { shipmentMethodUid: string; shippingAddress: Record<string, string>; items: Record<string, unknown>[] };
      // Items: exactly the printable lines, each with its mapped product and a print file.
      expect(p.items.map((i) => i.itemReferenceId).sort()).toEqual(printable.map((l) => l.jobId).sort());
      for (const item of p.items) {
        const line = printable.find((l) => l.jobId === item.itemReferenceId)!;
        expect(item.quantity).toBe(line.json.Quantity);
        const mapping = SANDBOX_PRODUCT_MAPPINGS.filter((m) => m.sku === line.sku);
        expect(mapping.length).toBeGreaterThan(0);
        if ('productUid' in item) expect(mapping.some((m) => 'productUid' in m && m.productUid === item.productUid)).toBe(true);
        else expect(mapping.some((m) => 'productName' in m && m.productName === item.productName)).toBe(true);
        if (line.sku === 'FLYER-A5' && !line.json.ProductAttributes.length) throw new Error('flyer without attributes should not be submitted');
        if (line.sku === 'FLYER-A5') expect((item.productVariant as Record<string, string>).Paper).toBe(line.json.ProductAttributes.find((a) => a.Name === 'Paper')!.Values[0]!.Content);
        expect((item.files as { url: string }[])[0]!.url).toMatch(/\/files\/\d+\/.+\.pdf\?exp=\d+&sig=/);
      }
      const expectedMethod = { 'First Class': 'normal', 'Second Class': 'standard', Express: 'express', Collect: 'normal' }[view.detail.ShippingMethod] ?? 'normal';
      expect(p.shipmentMethodUid).toBe(expectedMethod);
      expect(p.shippingAddress.addressLine1).toBe(view.detail.ShippingAddress.AddressLine1.trim());
      expect(p.shippingAddress.postCode).toBe((view.detail.ShippingAddress.ZipPostalCode ?? '').trim());
    }
    expect(printableOrders).toBeGreaterThan(120);
    // GelatoConnect fetched every file Presslink delivered and found a PDF.
    const settled = await Promise.all(rows.filter((r) => r.state === 'submitted').slice(0, 20).map((r) => gelato.waitForFilesSettled(r.orderReferenceId, 20_000)));
    for (const g of settled) expect(g.status, g.failureReason ?? '').not.toBe('failed');
  });

  it('tags each order with its own store’s GelatoConnect customer', async () => {
    h = await startHarness({ storeCount: 2, ordersPerStore: 15, seed: 3 });
    await h.configure();
    await h.sync();
    const byCustomer = new Map<string, string[]>();
    for (const g of h.sandbox.gelato.orders()) byCustomer.set(g.customerReferenceId, [...(byCustomer.get(g.customerReferenceId) ?? []), g.orderReferenceId]);
    expect([...byCustomer.keys()].sort()).toEqual(['acme-ltd', 'bellaprint-ltd']);
    for (const [customer, refs] of byCustomer) {
      const store = customer.replace(/-ltd$/, '');
      for (const ref of refs) expect(ref.startsWith(`PL-${store}-`)).toBe(true);
    }
  });

  it('never submits an order twice across cycles and an engine restart', async () => {
    h = await startHarness({ ordersPerStore: 25, seed: 11 });
    await h.configure();
    const first = await h.sync();
    const second = await h.sync();
    expect(second.discovered).toBe(0);
    expect(second.submitted).toBe(0);
    // Restart the engine (and its file server, on the same port) on the same data directory.
    const port = h.server.port;
    await h.server.close();
    await h.engine.stop();
    const again = await startEngine({ dataDir: h.dataDir, mode: 'headless', schedule: false });
    h.server = await again.serve({ port });
    try {
      const third = (await again.call('sync.now', {})).summary!;
      expect(third.discovered).toBe(0);
      expect(third.submitted).toBe(0);
      // Infigo listing an order again (and a new one appearing) imports only the new one.
      h.sandbox.infigo.addOrder('acme', { lines: [{ sku: 'POSTER-A2', quantity: 2 }] });
      const fourth = (await again.call('sync.now', {})).summary!;
      expect(fourth.discovered).toBe(1);
      expect(fourth.submitted).toBe(1);
    } finally {
      await again.stop();
      h.engine = again; // already stopped; close() stops it again harmlessly
    }
    expect(first.submitted).toBeGreaterThan(10);
    const refs = h.sandbox.gelato.orders().map((o) => o.orderReferenceId);
    expect(new Set(refs).size).toBe(refs.length);
    for (const ref of refs) expect(h.sandbox.gelato.submitCount(ref)).toBe(1);
  });

  it('holds an unmapped SKU with the SKU named; after adding the mapping, Retry submits it', async () => {
    h = await startHarness({ ordersPerStore: 0 });
    await h.configure((cfg) => {
      cfg.products = (cfg.products ?? []).filter((p) => p.sku !== 'POSTER-A2');
    });
    const added = h.sandbox.infigo.addOrder('acme', { lines: [{ sku: 'POSTER-A2', quantity: 3 }] });
    await h.sync();
    const [row] = await allOrders(h);
    expect(row!.infigoOrderId).toBe(added.id);
    expect(row!.state).toBe('needs_attention');
    expect(row!.attentionReason).toMatch(/No GelatoConnect product is mapped for SKU "POSTER-A2"/);
    expect(row!.attentionReason).toMatch(/Add a mapping .* then press Retry/);
    const unmapped = await h.engine.call('mappings.unmapped', {});
    expect(unmapped).toEqual([expect.objectContaining({ sku: 'POSTER-A2', count: 1 })]);

    const { config } = (await h.engine.call('config.get', {})) as { config: { products: unknown[] } };
    config.products.push({ sku: 'POSTER-A2', productUid: 'large-posters_pf_a2_pt_200-gsm-coated-silk_cl_4-0_ver' });
    expect((await h.engine.call('config.save', { config })).ok).toBe(true);
    expect((await h.engine.call('orders.retry', { ids: [row!.id] })).changed).toBe(1);
    // Retry starts a sync by itself; wait for the order to move on.
    await waitFor(async () => (await allOrders(h!))[0]!.state === 'submitted');
    const g = h.sandbox.gelato.order(row!.orderReferenceId)!;
    expect((g.payload as { items: { productUid: string }[] }).items[0]!.productUid).toBe('large-posters_pf_a2_pt_200-gsm-coated-silk_cl_4-0_ver');
    const detail = await h.engine.call('orders.get', { id: row!.id });
    expect(detail.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['discovered', 'needs_attention', 'retry', 'submitted']));
  });

  it('marks an order failed with GelatoConnect’s reason when GelatoConnect cannot fetch its file', async () => {
    h = await startHarness({ ordersPerStore: 0, gelato: { fileFetch: { allowHosts: ['files.example.com'] } } });
    await h.configure();
    h.sandbox.infigo.addOrder('acme', { lines: [{ sku: 'POSTER-A2', quantity: 1 }] });
    await h.sync();
    const [row] = await allOrders(h);
    expect(row!.gelatoOrderId).toBeTruthy();
    await h.sandbox.gelato.waitForFilesSettled(row!.orderReferenceId, 20_000);
    await h.sync(); // the status check picks up GelatoConnect's verdict
    const detail = await h.engine.call('orders.get', { id: row!.id });
    expect(detail.state).toBe('failed');
    const failedEvent = detail.timeline.find((e) => e.kind === 'gelato_failed');
    expect(failedEvent?.message).toMatch(/GelatoConnect failed the order.*host this tenant does not fetch from/);
    expect(detail.attentionReason).toMatch(/host this tenant does not fetch from/);
    expect((await h.engine.call('engine.status', {})).attentionCount).toBe(1);
    const attention = await h.engine.call('orders.list', { attention: true });
    expect(attention.rows.map((r) => r.id)).toEqual([row!.id]);
  });

  it('verifies print files on disk and names them safely in a per-store, per-order folder', async () => {
    h = await startHarness({ ordersPerStore: 0, pdfBytes: 300_000 });
    await h.configure();
    const o = h.sandbox.infigo.addOrder('acme', { lines: [{ sku: 'BROCHURE-A4-8PP', quantity: 50 }, { sku: 'PEN-BLUE', quantity: 10 }] });
    await h.sync();
    const [row] = await allOrders(h);
    const detail = await h.engine.call('orders.get', { id: row!.id });
    expect(detail.files).toHaveLength(1);
    const f = detail.files[0]!;
    expect(f.state).toBe('downloaded');
    expect(f.bytes).toBe(300_000);
    const p = `${h.dataDir}/files/acme/${o.id}/${f.name}`;
    expect(fs.statSync(p).size).toBe(300_000);
    expect(fs.readFileSync(p).subarray(0, 5).toString()).toBe('%PDF-');
    expect(detail.lines.find((l) => l.sku === 'PEN-BLUE')?.kind).toBe('stock');
    // A real plural ("1 stock line", not "1 stock line(s)"), and the message beside it in Italian too.
    const leftOut = detail.timeline.find((e) => /1 stock line left out/.test(e.message));
    expect(leftOut).toBeDefined();
    expect(renderMsg(leftOut!.msg!, 'it')).toContain('1 riga a magazzino esclusa');
  });
  it('does not submit an order that was cancelled in Infigo while it waited to be submitted', async () => {
    h = await startHarness({ ordersPerStore: 0 });
    await h.configure();
    const o = h.sandbox.infigo.addOrder('acme', { lines: [{ sku: 'POSTER-A2', quantity: 1 }] });
    // GelatoConnect is down: the order waits in "submitting" with its files ready.
    h.sandbox.gelato.faults.set({ rules: [{ route: '/order', method: 'POST', errorRate: 1, errorStatus: 503 }] });
    await h.sync();
    const [row] = await allOrders(h);
    expect(row!.state).toBe('submitting');
    // Meanwhile it is cancelled in Infigo, and some time has passed since Presslink read it.
    h.sandbox.infigo.setOrderStatus('acme', o.id, 'Cancelled');
    h.engine.ctx.db.prepare("UPDATE events SET at = ? WHERE order_id = ? AND kind = 'classified'").run(new Date(Date.now() - 5 * 60_000).toISOString(), row!.id);
    h.sandbox.gelato.faults.clear();
    await h.sync();
    const detail = await h.engine.call('orders.get', { id: row!.id });
    expect(detail.state).toBe('canceled');
    expect(detail.timeline.at(-1)?.message).toMatch(/Not submitted: the order was cancelled in Infigo/);
    expect(h.sandbox.gelato.order(row!.orderReferenceId)).toBeUndefined();
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('condition not met in time');
}
