import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPdf } from '../../electron/sandbox/pdf';
import { startInfigoSandbox, type InfigoOrderDetailJson, type InfigoOrderLineJson, type InfigoSandbox } from '../../electron/sandbox/infigo';

const PDF_BYTES = 60_000;

let sb: InfigoSandbox;
const extra: InfigoSandbox[] = [];

beforeAll(async () => {
  sb = await startInfigoSandbox({
    seed: 11,
    pdfBytes: PDF_BYTES,
    outputDelayMs: 30,
    stores: [{ id: 'acme', orders: 40 }, { id: 'globex', name: 'Globex Print', orders: 5, token: 'R2xvYmV4LXRva2Vu' }],
  });
});
afterAll(async () => {
  await sb.close();
});
afterEach(async () => {
  sb.faults.clear();
  while (extra.length) await extra.pop()!.close();
});

function store(id = 'acme') {
  const s = sb.stores.find((x) => x.id === id);
  if (!s) throw new Error(`no store ${id}`);
  return s;
}
const api = (id = 'acme') => `${store(id).baseUrl}/services/api`;
const auth = (id = 'acme') => ({ authorization: `Basic ${store(id).token}` });

async function getJson<T>(path: string, id = 'acme'): Promise<T> {
  const r = await fetch(`${api(id)}/${path}`, { headers: { ...auth(id), accept: 'application/json' } });
  expect(r.status, `${path} status`).toBe(200);
  return (await r.json()) as T;
}

async function allLines(id = 'acme') {
  const ids = await getJson<number[]>('Order/List', id);
  const out: { order: InfigoOrderDetailJson; line: InfigoOrderLineJson }[] = [];
  for (const oid of ids) {
    const order = await getJson<InfigoOrderDetailJson>(`order/detail/${oid}`, id);
    for (const jid of order.OrderLineItems) out.push({ order, line: await getJson<InfigoOrderLineJson>(`orderlineitem/get?id=${jid}`, id) });
  }
  return out;
}

describe('authentication', () => {
  it('accepts the raw token and base64(token:), rejects wrong or missing tokens with a JSON 401', async () => {
    const token = store().token;
    const raw = await fetch(`${api()}/Order/List`, { headers: { authorization: `Basic ${token}` } });
    expect(raw.status).toBe(200);
    const b64 = await fetch(`${api()}/Order/List`, { headers: { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` } });
    expect(b64.status).toBe(200);
    expect(await b64.json()).toEqual(await raw.json());

    for (const headers of [{}, { authorization: 'Basic nope' }, { authorization: `Bearer ${token}` }, auth('globex')]) {
      const r = await fetch(`${api()}/Order/List`, { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toMatch(/json/);
      const body = (await r.json()) as { Success: boolean; ContextInfo: { ErrorList: { ErrorMessage: string }[] } };
      expect(body.Success).toBe(false);
      expect(body.ContextInfo.ErrorList[0]?.ErrorMessage).toMatch(/Authorization/);
      expect(JSON.stringify(body)).not.toContain(token);
    }
  });

  it('auth/{token} answers storefront details for a good token and 401 otherwise', async () => {
    const ok = await fetch(`${api('globex')}/auth/${encodeURIComponent(store('globex').token)}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ Name: 'Globex Print', StorefrontId: 'globex' });
    expect((await fetch(`${api('globex')}/auth/${store().token}`)).status).toBe(401);
  });

  it('generates a distinct base64-GUID-looking token per store when none is given', () => {
    const t = store().token;
    expect(Buffer.from(t, 'base64').toString()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store('globex').token).toBe('R2xvYmV4LXRva2Vu');
  });
});

describe('orders', () => {
  it('routes case-insensitively', async () => {
    const a = await getJson<number[]>('Order/List');
    expect(await getJson<number[]>('order/list')).toEqual(a);
    expect(await getJson<number[]>('ORDER/LIST')).toEqual(a);
    const d1 = await getJson<InfigoOrderDetailJson>(`order/detail/${a[0]}`);
    const d2 = await getJson<InfigoOrderDetailJson>(`Order/Detail/${a[0]}`);
    expect(d2).toEqual(d1);
    const jid = d1.OrderLineItems[0]!;
    expect(await getJson(`OrderlineItem/Get/${jid}`)).toEqual(await getJson(`orderlineitem/get?id=${jid}`));
  });

  it('chains list → detail → lines consistently, with the documented type letters', async () => {
    const ids = await getJson<number[]>('Order/List');
    expect(ids).toHaveLength(40);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const rows = await allLines();
    const jobIds = new Set<string>();
    for (const { order, line } of rows) {
      expect(line.OrderId).toBe(order.Id);
      expect(order.OrderLineItems).toContain(line.JobId);
      expect(jobIds.has(line.Id)).toBe(false);
      jobIds.add(line.Id);
      const letter = { 10: '', 30: 's', 50: 'd', 40: 'm', 80: 'm', 60: '' }[line.Type as 10];
      expect(letter, `type ${line.Type}`).not.toBeUndefined();
      expect(line.Id).toBe(`${letter}${line.JobId}`);
      expect(line.Sku).not.toBe('');
    }
    for (const { order } of rows) {
      expect(['Pending', 'Processing', 'Complete', 'Cancelled']).toContain(order.OrderStatus);
      expect(['Pending', 'Authorized', 'Paid', 'Voided']).toContain(order.PaymentStatus);
      expect(Object.keys(order.ShippingAddress)).toEqual(expect.arrayContaining(['FirstName', 'LastName', 'CompanyName', 'AddressLine1', 'AddressLine2', 'Town', 'ZipPostalCode', 'StateProvince', 'Country', 'Email', 'Telephone']));
    }
    expect(rows.some((r) => r.line.Type === 10)).toBe(true);
    expect(rows.some((r) => r.line.Type !== 10)).toBe(true);
  });

  it('answers 404 for an unknown order and a null body for an unknown line', async () => {
    const r = await fetch(`${api()}/order/detail/999`, { headers: auth() });
    expect(r.status).toBe(404);
    const l = await fetch(`${api()}/orderlineitem/get?id=1`, { headers: auth() });
    expect(l.status).toBe(200);
    expect(await l.text()).toBe('null');
  });

  it('gives the same orders for the same seed and different ones for another seed', async () => {
    const a = await startInfigoSandbox({ seed: 5, stores: [{ id: 'x', orders: 15 }] });
    const b = await startInfigoSandbox({ seed: 5, stores: [{ id: 'x', orders: 15 }] });
    const c = await startInfigoSandbox({ seed: 6, stores: [{ id: 'x', orders: 15 }] });
    extra.push(a, b, c);
    const dump = (s: InfigoSandbox) => Array.from({ length: 15 }, (_, i) => s.order('x', 10001 + i));
    expect(a.stores[0]!.token).toBe(b.stores[0]!.token);
    expect(dump(a)).toEqual(dump(b));
    expect(JSON.stringify(dump(a))).not.toBe(JSON.stringify(dump(c)));
    // Over HTTP too, including the file bytes.
    const s = a.stores[0]!;
    const t = b.stores[0]!;
    const jid = dump(a).flatMap((o) => o!.lines).find((l) => l.printable)!.jobId;
    const fa = await fetch(`${s.baseUrl}/services/api/orderlineitem/download/${jid}`, { headers: { authorization: `Basic ${s.token}` } });
    const fb = await fetch(`${t.baseUrl}/services/api/orderlineitem/download/${jid}`, { headers: { authorization: `Basic ${t.token}` } });
    expect(Buffer.from(await fa.arrayBuffer()).equals(Buffer.from(await fb.arrayBuffer()))).toBe(true);
  });

  it('seeds 2000 orders quickly with the intended mix', async () => {
    const started = Date.now();
    const big = await startInfigoSandbox({ seed: 3, stores: [{ id: 'big', orders: 2000 }] });
    extra.push(big);
    const s = big.stores[0]!;
    const r = await fetch(`${s.baseUrl}/services/api/Order/List`, { headers: { authorization: `Basic ${s.token}` } });
    const ids = (await r.json()) as number[];
    expect(ids).toHaveLength(2000);
    const kinds: Record<string, number> = {};
    let pigeon = 0;
    let sms = 0;
    let unicode = 0;
    for (const id of ids) {
      const o = big.order('big', id)!;
      kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
      if (o.detail.ShippingMethod === 'Pigeon Post') pigeon++;
      if (o.lines.some((l) => l.type === 60)) sms++;
      if (/[^ -~]/.test(o.detail.ShippingAddress.FirstName + o.detail.ShippingAddress.LastName)) unicode++;
      expect(o.lines.length).toBeGreaterThanOrEqual(1);
      expect(o.lines.length).toBeLessThanOrEqual(3);
    }
    expect(Date.now() - started).toBeLessThan(5000);
    expect(kinds.printable! / 2000).toBeGreaterThan(0.6);
    expect(kinds.printable! / 2000).toBeLessThan(0.8);
    expect(kinds.mixed! / 2000).toBeGreaterThan(0.1);
    expect(kinds.stock! / 2000).toBeGreaterThan(0.06);
    expect(kinds.odd! / 2000).toBeGreaterThan(0.02);
    expect(pigeon).toBeGreaterThan(0);
    expect(sms).toBeGreaterThan(0);
    expect(unicode).toBeGreaterThan(0);
  });

  it('filters Order/List with the simulator-only status and paging parameters', async () => {
    const all = await getJson<number[]>('Order/List');
    expect(await getJson<number[]>('Order/List?pageIndex=1&pageSize=10')).toEqual(all.slice(10, 20));
    const pending = await getJson<number[]>('Order/List?status=Pending');
    expect(pending.length).toBeGreaterThan(0);
    for (const id of pending) expect(sb.order('acme', id)!.detail.OrderStatus).toBe('Pending');
  });
});

describe('print files', () => {
  async function printableJob() {
    const rows = await allLines();
    const row = rows.find((r) => [30, 40, 50, 80].includes(r.line.Type) && r.line.OrderProductStatus === 'OutputCreated');
    if (!row) throw new Error('no printable line');
    return row.line.Id;
  }

  it('downloads a valid PDF of the configured size whose sha256 header matches', async () => {
    const jid = await printableJob();
    const r = await fetch(`${api()}/orderlineitem/download/${jid}`, { headers: auth() });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('accept-ranges')).toBe('bytes');
    expect(r.headers.get('etag')).toMatch(/^"[^"]+"$/);
    const body = Buffer.from(await r.arrayBuffer());
    expect(body.length).toBe(PDF_BYTES);
    expect(Number(r.headers.get('content-length'))).toBe(PDF_BYTES);
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(body.subarray(-6).toString()).toBe('%%EOF\n');
    expect(createHash('sha256').update(body).digest('hex')).toBe(r.headers.get('x-content-sha256'));
    const text = body.toString('latin1');
    // The cross-reference table is where startxref says, and the page names the job.
    const xref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    expect(text.startsWith('xref', xref)).toBe(true);
    expect(text).toContain(`(Job ${jid}) Tj`);
    expect(text).toMatch(/\/Type \/Page /);
  });

  it('serves byte ranges with 206 and answers 416 past the end', async () => {
    const jid = await printableJob();
    const full = Buffer.from(await (await fetch(`${api()}/orderlineitem/download/${jid}`, { headers: auth() })).arrayBuffer());
    const r = await fetch(`${api()}/orderlineitem/download/${jid}`, { headers: { ...auth(), range: 'bytes=1000-40999' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe(`bytes 1000-40999/${PDF_BYTES}`);
    expect(Buffer.from(await r.arrayBuffer()).equals(full.subarray(1000, 41000))).toBe(true);
    const tail = await fetch(`${api()}/orderlineitem/download/${jid}`, { headers: { ...auth(), range: 'bytes=-100' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(full.subarray(-100))).toBe(true);
    const open = await fetch(`${api()}/orderlineitem/download/${jid}`, { headers: { ...auth(), range: `bytes=${PDF_BYTES - 10}-` } });
    expect(Buffer.from(await open.arrayBuffer()).equals(full.subarray(-10))).toBe(true);
    const bad = await fetch(`${api()}/orderlineitem/download/${jid}`, { headers: { ...auth(), range: `bytes=${PDF_BYTES}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${PDF_BYTES}`);
    const head = await fetch(`${api()}/orderlineitem/download/${jid}`, { method: 'HEAD', headers: auth() });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(PDF_BYTES);
    expect(head.headers.get('x-content-sha256')).toBe(createHash('sha256').update(full).digest('hex'));
    const etag = head.headers.get('etag')!;
    expect((await fetch(`${api()}/orderlineitem/download/${jid}`, { headers: { ...auth(), 'if-none-match': etag } })).status).toBe(304);
    // A stale If-Range validator means "send it all".
    const stale = await fetch(`${api()}/orderlineitem/download/${jid}`, { headers: { ...auth(), range: 'bytes=0-9', 'if-range': '"old"' } });
    expect(stale.status).toBe(200);
    expect((await stale.arrayBuffer()).byteLength).toBe(PDF_BYTES);
    const log = sb.requests().filter((q) => q.range === 'bytes=1000-40999');
    expect(log.at(-1)).toMatchObject({ status: 206, bytesSent: 40000, storeId: 'acme', completed: true });
  });

  it('streams a 500 MB file: its last bytes come by range without building the file in memory', async () => {
    const view = sb.addOrder('acme', { lines: [{ sku: 'POSTER-A2', quantity: 1, pdfBytes: 500_000_000 }] });
    const jid = view.lines[0]!.jobId;
    const rssBefore = process.memoryUsage().rss;
    const r = await fetch(`${api()}/orderlineitem/download/${jid}`, { headers: { ...auth(), range: 'bytes=-4096' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe(`bytes 499995904-499999999/500000000`);
    const tail = Buffer.from(await r.arrayBuffer());
    expect(tail.subarray(-6).toString()).toBe('%%EOF\n');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200_000_000);
  });

  it('answers 404 for stock lines and refuses to create output for them', async () => {
    const rows = await allLines();
    const stock = rows.find((r) => r.line.Type === 10)!.line;
    expect(stock.Id).toBe(String(stock.JobId));
    const r = await fetch(`${api()}/orderlineitem/download/${stock.Id}`, { headers: auth() });
    expect(r.status).toBe(404);
    expect(((await r.json()) as { Message: string }).Message).toMatch(/stock/);
    const c = await fetch(`${api()}/orderlineitem/createoutputfor/${stock.Id}`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{}' });
    expect(c.status).toBe(400);
  });

  it('createoutputfor makes a needsOutput line downloadable and calls the CallbackUrl', async () => {
    const received: unknown[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const view = sb.addOrder('acme', { lines: [{ sku: 'FLYER-A5', quantity: 500, needsOutput: true }, { sku: 'MUG-WHITE', quantity: 6 }] });
      const jid = view.lines[0]!.jobId;
      expect(jid).toMatch(/^m\d+$/);
      const before = await fetch(`${api()}/orderlineitem/download/${jid}`, { headers: auth() });
      expect(before.status).toBe(404);
      expect(((await before.json()) as { Message: string }).Message).toMatch(/createoutputfor/);

      const cb = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb/1`;
      const r = await fetch(`${api()}/orderlineitem/createoutputfor/${jid}`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ CallbackUrl: cb, DirectDownload: true }),
      });
      expect(r.status).toBe(200);
      const deadline = Date.now() + 3000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
      expect(received).toEqual([expect.objectContaining({ JobId: jid, OrderId: view.id, Success: true })]);
      const after = await fetch(`${api()}/orderlineitem/download/${jid}`, { headers: auth() });
      expect(after.status).toBe(200);
      expect((await after.arrayBuffer()).byteLength).toBe(PDF_BYTES);
      expect(sb.order('acme', view.id)!.lines[0]!.json.OrderProductStatus).toBe('OutputCreated');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('serves bad files set with setLineFile', async () => {
    const view = sb.addOrder('acme', { lines: [{ sku: 'POSTER-A2' }, { sku: 'LETTERHEAD-A4' }, { sku: 'BC-85x55-400' }] });
    const [a, b, c] = view.lines.map((l) => l.jobId);
    sb.setLineFile('acme', a!, 'not-pdf', 3000);
    sb.setLineFile('acme', b!, 'empty');
    sb.setLineFile('acme', c!, 'missing');
    const ra = await fetch(`${api()}/orderlineitem/download/${a}`, { headers: auth() });
    const bodyA = Buffer.from(await ra.arrayBuffer());
    expect(bodyA.length).toBe(3000);
    expect(bodyA.subarray(0, 5).toString()).not.toBe('%PDF-');
    expect(createHash('sha256').update(bodyA).digest('hex')).toBe(ra.headers.get('x-content-sha256'));
    const rb = await fetch(`${api()}/orderlineitem/download/${b}`, { headers: auth() });
    expect(rb.status).toBe(200);
    expect((await rb.arrayBuffer()).byteLength).toBe(0);
    expect((await fetch(`${api()}/orderlineitem/download/${c}`, { headers: auth() })).status).toBe(404);
  });
});

describe('adding orders and writing statuses', () => {
  it('addOrder (API and HTTP) appears in Order/List', async () => {
    const before = await getJson<number[]>('Order/List', 'globex');
    const view = sb.addOrder('globex', { shippingMethod: 'Express', lines: [{ sku: 'BC-85x55-400', quantity: 250, attributes: { Paper: '400gsm Matt' } }] });
    const r = await fetch(`${sb.url}/__sandbox/infigo/globex/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lines: [{ sku: 'PEN-BLUE', quantity: 10 }] }) });
    expect(r.status).toBe(201);
    const viaHttp = (await r.json()) as { id: number };
    const after = await getJson<number[]>('Order/List', 'globex');
    expect(after).toEqual([...before, view.id, viaHttp.id]);
    const detail = await getJson<InfigoOrderDetailJson>(`order/detail/${view.id}`, 'globex');
    expect(detail.ShippingMethod).toBe('Express');
    const line = await getJson<InfigoOrderLineJson>(`orderlineitem/get?id=${detail.OrderLineItems[0]}`, 'globex');
    expect(line).toMatchObject({ Sku: 'BC-85x55-400', Quantity: 250, Type: 50 });
    expect(line.ProductAttributes).toEqual([{ Id: expect.any(Number), Name: 'Paper', Values: [{ Id: expect.any(String), Content: '400gsm Matt' }] }]);
  });

  it('RecordOrder creates an order that Order/List and order/detail then show', async () => {
    const body = {
      ExternalOrderId: 'EXT-1',
      CatfishCustomerId: 77,
      CatfishDeliveryMethod: 'Second Class',
      IsPaymentPaid: true,
      DeliveryAddress: { FirstName: 'Zoë', LastName: 'Müller', AddressLine1: 'Hauptstraße 5', Town: 'Berlin', ZipPostalCode: '10115', Country: 'DE' },
      CheckoutAttributes: [{ Key: 'Cost Center', Value: '12' }],
      OrderLineItems: [{ NopProductId: 502, Quantity: 250, ProductVariantAttributes: [{ Key: 'Sides', Value: 'Double sided' }] }],
    };
    const post = (b: unknown) => fetch(`${api('globex')}/order/RecordOrder`, { method: 'POST', headers: { ...auth('globex'), 'content-type': 'application/json' }, body: JSON.stringify(b) });
    const r = await post(body);
    expect(r.status).toBe(200);
    const res = (await r.json()) as { Success: boolean; CatfishOrderId: number };
    expect(res.Success).toBe(true);
    expect(await getJson<number[]>('Order/List', 'globex')).toContain(res.CatfishOrderId);
    const d = await getJson<InfigoOrderDetailJson>(`order/detail/${res.CatfishOrderId}`, 'globex');
    expect(d).toMatchObject({ ExternalOrderId: 'EXT-1', ShippingMethod: 'Second Class', PaymentStatus: 'Paid', CustomerId: 77, ShippingAddress: { FirstName: 'Zoë', Country: 'DE' } });
    const line = await getJson<InfigoOrderLineJson>(`orderlineitem/get?id=${d.OrderLineItems[0]}`, 'globex');
    expect(line).toMatchObject({ Sku: 'FLYER-A5', Quantity: 250, AttributeSummary: expect.stringContaining('Sides: Double sided') });
    const dup = await post(body);
    expect(dup.status).toBe(400);
    expect(await dup.json()).toMatchObject({ Success: false, ContextInfo: { ErrorList: [{ ErrorMessage: expect.stringMatching(/already exists/) }] } });
    expect((await post({ ...body, ExternalOrderId: 'EXT-2', OrderLineItems: [{ NopProductId: 12345 }] })).status).toBe(400);
  });

  it('records a REST-sim status write and shows it in order/detail', async () => {
    const view = sb.addOrder('acme', { orderStatus: 'Processing', paymentStatus: 'Paid', lines: [{ sku: 'POSTER-A2' }] });
    const r = await fetch(`${api()}/presslink-sim/order/${view.id}/status`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ ShippingStatus: 'shipped', TrackingNumber: '1Z999', TrackingUrl: 'https://track.example/1Z999', Carrier: 'UPS', Note: 'Shipped by Presslink', LineStatuses: [{ JobId: view.lines[0]!.jobId, Status: 'Printed' }] }),
    });
    expect(r.status).toBe(200);
    const d = await getJson<InfigoOrderDetailJson>(`order/detail/${view.id}`);
    expect(d).toMatchObject({ ShippingStatus: 'Shipped', TrackingNumber: '1Z999', ExtraData: expect.objectContaining({ TrackingUrl: 'https://track.example/1Z999', Carrier: 'UPS' }) });
    expect(d.OrderNotes.map((n) => n.Note)).toEqual(['Shipped by Presslink']);
    const line = await getJson<InfigoOrderLineJson>(`orderlineitem/get?id=${view.lines[0]!.jobNumber}`);
    expect(line.CustomStatus).toBe('Printed');
    const w = sb.statusWrites('acme').filter((x) => x.orderId === view.id);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ via: 'rest-sim', changes: { ShippingStatus: 'Shipped', TrackingNumber: '1Z999' }, after: { ShippingStatus: 'Shipped' } });

    // A bad status changes nothing and is not recorded.
    const bad = await fetch(`${api()}/presslink-sim/order/${view.id}/status`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ OrderStatus: 'Teleported', TrackingNumber: 'X' }) });
    expect(bad.status).toBe(400);
    expect((await getJson<InfigoOrderDetailJson>(`order/detail/${view.id}`)).TrackingNumber).toBe('1Z999');
    expect(sb.statusWrites('acme').filter((x) => x.orderId === view.id)).toHaveLength(1);
    const noAuth = await fetch(`${api()}/presslink-sim/order/${view.id}/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"OrderStatus":"Complete"}' });
    expect(noAuth.status).toBe(401);
  });

  it('records a MegaScript-sim status write, guarded by the per-store MegaScript token', async () => {
    const s = store();
    const view = sb.addOrder('acme', { orderStatus: 'Pending', paymentStatus: 'Paid', lines: [{ sku: 'FLYER-A5' }] });
    const url = `${s.baseUrl}/megascript/presslink-status`;
    const body = JSON.stringify({ orderId: view.id, orderStatus: 'Complete', shippingStatus: 'Delivered', trackingNumber: 'RM123GB' });
    const denied = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-presslink-token': 'wrong' }, body });
    expect(denied.status).toBe(401);
    expect(sb.order('acme', view.id)!.detail.OrderStatus).toBe('Pending');
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-presslink-token': s.megascriptToken }, body });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ success: true, orderId: view.id, orderStatus: 'Complete' });
    const d = await getJson<InfigoOrderDetailJson>(`order/detail/${view.id}`);
    expect(d).toMatchObject({ OrderStatus: 'Complete', ShippingStatus: 'Delivered', TrackingNumber: 'RM123GB' });
    const all = await (await fetch(`${sb.url}/__sandbox/infigo/status-writes?storeId=acme`)).json();
    expect(all).toEqual(sb.statusWrites('acme'));
    expect(sb.statusWrites().at(-1)).toMatchObject({ via: 'megascript-sim', storeId: 'acme', orderId: view.id, changes: { OrderStatus: 'Complete', ShippingStatus: 'Delivered' } });
  });

  it('setOrderStatus changes what order/detail shows without counting as a status write', async () => {
    const id = (await getJson<number[]>('Order/List'))[2]!;
    const writes = sb.statusWrites().length;
    sb.setOrderStatus('acme', id, 'Cancelled');
    expect((await getJson<InfigoOrderDetailJson>(`order/detail/${id}`)).OrderStatus).toBe('Cancelled');
    expect(sb.statusWrites()).toHaveLength(writes);
  });
});

describe('catalogue and faults', () => {
  it('lists products and their details', async () => {
    const ids = await getJson<number[]>('catalog/productlist');
    expect(ids.length).toBeGreaterThanOrEqual(8);
    const details = await Promise.all(ids.map((id) => getJson<{ Sku: string; Type: number; ProductAttributes: { Name: string }[] }>(`catalog/ProductDetails?id=${id}`)));
    const bc = details.find((d) => d.Sku === 'BC-85x55-400')!;
    expect(bc.ProductAttributes.map((a) => a.Name)).toEqual(['Paper']);
    expect(details.filter((d) => d.Type === 10).map((d) => d.Sku).sort()).toEqual(['LANYARD', 'MUG-WHITE', 'PEN-BLUE']);
  });

  it('injects faults on storefront routes but never on /__sandbox', async () => {
    sb.faults.set({ seed: 1, rules: [{ route: 'order/list', errorRate: 1, errorStatus: 503 }] });
    expect((await fetch(`${api()}/Order/List`, { headers: auth() })).status).toBe(503);
    expect((await fetch(`${api()}/order/detail/10001`, { headers: auth() })).status).toBe(200);
    sb.faults.set({ seed: 1, rules: [{ errorRate: 1 }] });
    expect((await fetch(`${sb.url}/__sandbox/infigo/stores`)).status).toBe(200);
    sb.faults.clear();
    expect((await fetch(`${api()}/Order/List`, { headers: auth() })).status).toBe(200);
  });
});

describe('pdf generator', () => {
  it('hits the requested size exactly, including where offsets gain a digit', async () => {
    const sizes = [1500, 9_998, 9_999, 10_000, 10_001, 10_354, 99_999, 100_000, 100_001, 1_000_003];
    for (const bytes of sizes) {
      const pdf = createPdf({ seed: 'sizes', bytes, title: 'Job s1', lines: ['Zoë Müller'], widthMm: 85, heightMm: 55, pages: 2 });
      expect(pdf.size, `size ${bytes}`).toBe(bytes);
      const whole = pdf.slice(0, pdf.size);
      const text = whole.toString('latin1');
      expect(text.startsWith('%PDF-1.')).toBe(true);
      expect(text.endsWith('%%EOF\n')).toBe(true);
      const xref = Number(/startxref\n(\d+)\n/.exec(text)?.[1]);
      const offsets = text.slice(xref).split('\n').filter((l) => / 00000 n $/.test(l)).map((l) => Number(l.slice(0, 10)));
      offsets.forEach((off, i) => expect(text.startsWith(`${i + 1} 0 obj`, off), `object ${i + 1} of ${bytes}`).toBe(true));
      const chunks: Buffer[] = [];
      for await (const c of pdf.stream(bytes - 5000, bytes - 1)) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(whole.subarray(bytes - 5000))).toBe(true);
    }
  });
});
