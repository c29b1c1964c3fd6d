// Contract tests: the Infigo client against the simulated storefront (electron/sandbox/infigo).
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatusWriter, InfigoClient, INFIGO_FILE_MISSING, INFIGO_TOKEN_REFUSED } from '../../electron/core/infigo';
import { startInfigoSandbox, type InfigoSandbox } from '../../electron/sandbox/infigo';
import { SANDBOX_STATUS_PATH } from '../../electron/sandbox/index';

let sb: InfigoSandbox;
let tmp: string;
const PDF_BYTES = 1_500_000;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'presslink-infigo-sb-'));
  sb = await startInfigoSandbox({ seed: 7, stores: [{ id: 'acme', orders: 12 }, { id: 'beta', orders: 3 }], pdfBytes: PDF_BYTES, outputDelayMs: 20 });
});

afterAll(async () => {
  await sb?.close();
  await rm(tmp, { recursive: true, force: true });
});

const store = () => sb.stores[0]!;
const client = (token = store().token) => new InfigoClient({ baseUrl: store().baseUrl, token, retry: { baseDelayMs: 10, maxDelayMs: 50 } });

async function waitFor(pred: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Infigo client ↔ sandbox storefront', () => {
  it('checks the token and names the storefront; a wrong token gets the plain-language refusal', async () => {
    const ok = await client().checkToken();
    expect(ok).toMatchObject({ ok: true, storefrontName: store().name });
    const bad = await client('d3Jvbmctd3Jvbmctd3Jvbmc=').checkToken();
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.userMessage).toBe(INFIGO_TOKEN_REFUSED);
    // The other store's token does not open this one.
    const err = await client(sb.stores[1]!.token).listOrderIds().catch((e) => e);
    expect(err.status).toBe(401);
    expect(err.userMessage).toBe(INFIGO_TOKEN_REFUSED);
  });

  it('reads every seeded order and line, including the deliberately odd ones', async () => {
    const c = client();
    const ids = await c.listOrderIds();
    expect(ids.length).toBe(12);
    const kinds = new Set<string>();
    for (const id of ids) {
      const o = await c.getOrder(id);
      expect(o.Id).toBe(id);
      expect(o.OrderStatus).toMatch(/^(Pending|Processing|Complete|Cancelled)$/);
      for (const jobId of o.OrderLineItems) {
        const line = await c.getOrderLine(jobId);
        kinds.add(line.Kind);
        const view = sb.order('acme', id)!.lines.find((l) => l.jobId === line.Id || String(l.jobNumber) === jobId);
        expect(view, `line ${jobId} of order ${id}`).toBeDefined();
        expect(line.Kind === 'printable').toBe(view!.printable);
      }
    }
    expect(kinds.has('printable')).toBe(true);
    expect(kinds.has('stock')).toBe(true);
    expect((await c.getOrderLine('s999999').catch((e) => e)).code).toBe('not_found');
    expect((await c.getOrder(987654).catch((e) => e)).code).toBe('not_found');
  });

  it('lists and reads catalogue products', async () => {
    const c = client();
    const ids = await c.listProducts();
    expect(ids.length).toBeGreaterThan(0);
    const p = await c.getProduct(ids[0]!);
    expect(p.Id).toBe(ids[0]);
    expect(['stock', 'printable', 'unsupported']).toContain(p.Kind);
  });

  it('creates output, then downloads the verified PDF; a stock line says the output is not produced', async () => {
    const c = client();
    const view = sb.addOrder('acme', {});
    const printable = view.lines.find((l) => l.printable);
    expect(printable).toBeDefined();
    if (printable!.output !== 'ready') {
      await c.createOutput(printable!.jobId);
      await waitFor(() => sb.order('acme', view.id)!.lines.find((l) => l.jobId === printable!.jobId)!.output === 'ready');
    }
    const dest = join(tmp, `${printable!.jobId}.pdf`);
    const r = await c.downloadOutput(printable!.jobId, dest);
    expect(r.bytes).toBe((await stat(dest)).size);
    expect(r.bytes).toBe(sb.order('acme', view.id)!.lines.find((l) => l.jobId === printable!.jobId)!.file.bytes);

    const all = await Promise.all((await c.listOrderIds()).map((id) => c.getOrder(id)));
    let stockJob: string | undefined;
    for (const o of all) {
      for (const j of o.OrderLineItems) {
        if (!stockJob && (await c.getOrderLine(j)).Kind === 'stock') stockJob = j;
      }
    }
    const refused = await c.createOutput(stockJob!).catch((e) => e);
    expect(refused.code).toBe('client_error');
    expect(refused.userMessage).toMatch(/^Infigo refused the request: .*no print output/);
    const err = await c.downloadOutput(stockJob!, join(tmp, 'stock.pdf')).catch((e) => e);
    expect(err.code).toBe('not_found');
    expect(err.userMessage).toBe(INFIGO_FILE_MISSING);
  });

  it('resumes a download the sandbox cut midway, asking for Range: bytes=N-', async () => {
    const c = new InfigoClient({ baseUrl: store().baseUrl, token: store().token, retry: { maxAttempts: 1 } });
    const view = sb.addOrder('acme', {});
    const line = view.lines.find((l) => l.printable)!;
    if (line.output !== 'ready') {
      await c.createOutput(line.jobId);
      await waitFor(() => sb.order('acme', view.id)!.lines.find((l) => l.jobId === line.jobId)!.output === 'ready');
    }
    const dest = join(tmp, 'cut.pdf');
    sb.faults.set({ seed: 1, rules: [{ route: '/orderlineitem/download/', truncateRate: 1 }] });
    const first = await c.downloadOutput(line.jobId, dest).catch((e) => e);
    sb.faults.set({ rules: [] });
    expect(first.code).toBe('download_incomplete');
    const part = (await stat(`${dest}.part`)).size;
    expect(part).toBeGreaterThan(0);

    const r = await client().downloadOutput(line.jobId, dest);
    const downloads = sb.requests().filter((q) => q.path.toLowerCase().includes(`/download/${line.jobId.toLowerCase()}`));
    expect(downloads.at(-1)?.range).toBe(`bytes=${part}-`);
    expect(downloads.at(-1)?.status).toBe(206);
    expect(r.resumedFrom).toBe(part);
    expect(r.bytes).toBe(line.file.bytes);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('survives injected 5xx and resets on reads', async () => {
    sb.faults.set({ seed: 3, rules: [{ route: '/order/detail/', errorRate: 0.3, resetRate: 0.2 }] });
    try {
      const c = new InfigoClient({ baseUrl: store().baseUrl, token: store().token, retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 20 } });
      const ids = await c.listOrderIds();
      for (const id of ids) expect((await c.getOrder(id)).Id).toBe(id);
      expect(sb.faults.stats().errors + sb.faults.stats().resets).toBeGreaterThan(0);
    } finally {
      sb.faults.set({ rules: [] });
    }
  });

  it('writes status and tracking through the simulator REST route and the MegaScript stand-in', async () => {
    const c = client();
    const [orderId] = await c.listOrderIds();
    const rest = createStatusWriter({ kind: 'rest', pathTemplate: SANDBOX_STATUS_PATH }, { infigo: c });
    await rest.push({ orderId: orderId!, shippingStatus: 'Shipped', trackingNumber: 'JD0146', trackingUrl: 'https://track.example/JD0146', carrier: 'DHL' });
    const ms = createStatusWriter({ kind: 'megascript', url: store().megascriptUrl, token: store().megascriptToken }, { infigo: c });
    await ms.push({ orderId: orderId!, orderStatus: 'Complete', note: 'delivered' });
    const writes = sb.statusWrites('acme').filter((w) => w.orderId === orderId);
    expect(writes.map((w) => w.via)).toEqual(['rest-sim', 'megascript-sim']);
    expect(writes[0]?.changes).toMatchObject({ ShippingStatus: 'Shipped', TrackingNumber: 'JD0146', Carrier: 'DHL' });
    expect((await c.getOrder(orderId!)).TrackingNumber).toBe('JD0146');
    expect((await c.getOrder(orderId!)).OrderStatus).toBe('Complete');

    const wrong = createStatusWriter({ kind: 'megascript', url: store().megascriptUrl, token: 'not-the-token-000' }, { infigo: c });
    const err = await wrong.push({ orderId: orderId!, orderStatus: 'Complete' }).catch((e) => e);
    expect(err.code).toBe('unauthorized');
  });
});
