import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGelatoSandbox, type GelatoSandbox, type GelatoSandboxOptions } from '../../electron/sandbox/gelato';

// ---------------------------------------------------------------------------------------------
// Local helpers: a print-file server and a postback receiver, both real HTTP on loopback.

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(40_000, 0x20), Buffer.from('\n%%EOF\n')]);
const PDF_SHA = createHash('sha256').update(PDF).digest('hex');

interface Served {
  url: string;
  close: () => Promise<void>;
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
}

async function listen(handler: http.RequestListener): Promise<Served> {
  const requests: Served['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      handler(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let files: Served;
let deadUrl: string;

beforeAll(async () => {
  files = await listen((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/good.pdf' || path === '/good2.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': PDF.length });
      res.end(PDF);
    } else if (path === '/empty.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': 0 });
      res.end();
    } else if (path === '/page.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Sign in</body></html>');
    } else {
      res.writeHead(404);
      res.end('not found');
    }
  });
  // A port that was just free: connections to it are refused.
  const tmp = await listen(() => undefined);
  deadUrl = `${tmp.url}/gone.pdf`;
  await tmp.close();
});

afterAll(async () => {
  await files.close();
});

const sandboxes: GelatoSandbox[] = [];
const extra: Served[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((s) => s.close()));
  await Promise.all(extra.splice(0).map((s) => s.close()));
});

async function sandbox(opts: GelatoSandboxOptions = {}): Promise<GelatoSandbox> {
  const sb = await startGelatoSandbox({ fileFetch: { timeoutMs: 3000, retries: 0 }, ...opts });
  sandboxes.push(sb);
  return sb;
}

function order(ref: string, over: Record<string, unknown> = {}, fileUrls: string[] = [`${files.url}/good.pdf`]): Record<string, unknown> {
  return {
    orderReferenceId: ref,
    orderType: 'order',
    preventDuplicate: true,
    currency: 'GBP',
    shipmentMethodUid: 'standard,normal',
    shippingAddress: {
      country: 'GB',
      firstName: 'Jane',
      lastName: 'Smith',
      addressLine1: '11 London Rd',
      city: 'Brighton',
      postCode: 'BN1 8YQ',
      email: 'jane@example.com',
    },
    items: [
      {
        itemReferenceId: `${ref}-1`,
        productUid: 'flat_product_pf_a4_pt_200-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_hor',
        quantity: 250,
        retailPriceInclVat: 49,
        files: fileUrls.map((url) => ({ type: 'default', url })),
      },
      {
        itemReferenceId: `${ref}-2`,
        productName: 'Business Card',
        productVariant: { Size: 'Standard', Paper: 'Premium Matte' },
        quantity: 100,
        files: [{ type: 'front', url: `${files.url}/good2.pdf` }],
      },
    ],
    ...over,
  };
}

async function api(sb: GelatoSandbox, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method,
    headers: { 'x-api-key': sb.apiKey, 'content-type': 'application/json', 'customer-reference-id': 'acme-ltd', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // Replies are asserted field by field below; a loose type keeps those assertions readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

const submit = (sb: GelatoSandbox, body: unknown, headers?: Record<string, string>) => api(sb, 'POST', sb.endpoints.submitOrder, body, headers);

// ---------------------------------------------------------------------------------------------

describe('GelatoConnect sandbox: authentication and customers', () => {
  it('answers 401 without a key, with a wrong secret, or a key without its secret', async () => {
    const sb = await sandbox({ apiKey: 'k1:s3cret' });
    for (const key of [undefined, 'k1:wrong', 'k1', 'K1:s3cret', 's3cret']) {
      const res = await fetch(sb.endpoints.submitOrder, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'customer-reference-id': 'acme-ltd', ...(key === undefined ? {} : { 'x-api-key': key }) },
        body: JSON.stringify(order('A-1')),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ status: 'Unauthorized.' });
    }
    expect(sb.orders()).toHaveLength(0);
    const ok = await submit(sb, order('A-1'));
    expect(ok.status).toBe(200);
    // header names are case-insensitive; public clients write X-API-Key
    const get = await fetch(`${sb.endpoints.getOrder}/A-1`, { headers: { 'X-API-Key': 'k1:s3cret', 'Customer-Reference-ID': 'acme-ltd' } });
    expect(get.status).toBe(200);
  });

  it('requires Customer-Reference-ID on a customer-agnostic connector and tags the order with it', async () => {
    const sb = await sandbox();
    const missing = await submit(sb, order('C-1'), { 'customer-reference-id': '' });
    expect(missing.status).toBe(400);
    expect(missing.json.message).toMatch(/Customer-Reference-ID/);
    const ok = await submit(sb, order('C-1'), { 'customer-reference-id': 'globex' });
    expect(ok.status).toBe(200);
    expect(sb.order(ok.json.id)?.customerReferenceId).toBe('globex');
  });

  it('takes the customer from the body on a per-customer connector', async () => {
    const sb = await sandbox({ customerAgnostic: false });
    const res = await submit(sb, order('PC-1', { customerReferenceId: 'wayne-ent' }), { 'customer-reference-id': '' });
    expect(res.status).toBe(200);
    expect(sb.order('PC-1')?.customerReferenceId).toBe('wayne-ent');
  });

  it('rejects customers the tenant does not know when a customer list is given', async () => {
    const sb = await sandbox({ customers: ['acme-ltd'] });
    const res = await submit(sb, order('C-2'), { 'customer-reference-id': 'initech' });
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/Unknown customer.*initech/);
  });
});

describe('GelatoConnect sandbox: submit', () => {
  it('accepts a valid order synchronously with {id, orderReferenceId, createdAt}', async () => {
    const sb = await sandbox();
    const res = await submit(sb, order('INF-100245'));
    expect(res.status).toBe(200);
    expect(res.json.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.json.orderReferenceId).toBe('INF-100245');
    expect(res.json.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    const inspected = sb.order('INF-100245');
    expect(inspected?.payload).toMatchObject({ orderReferenceId: 'INF-100245', currency: 'GBP' });
  });

  it('lists every problem of an invalid payload with its field', async () => {
    const sb = await sandbox();
    const bad = order('BAD-1', {
      currency: 'XYZ',
      shipmentMethodUid: '',
      shippingAddress: { country: 'gb', firstName: 'Jane', lastName: 'Smith', addressLine1: '1 Road', city: 'Town', postcode: 'BN1 1AA' },
      items: [
        { itemReferenceId: 'L1', quantity: 0, productUid: 'flat_a4', files: [{ type: 'default', url: 'ftp://files/x.pdf' }] },
        { itemReferenceId: 'L1', quantity: 1 },
        { itemReferenceId: 'L3', quantity: 2, productName: 'Business Card' },
      ],
    });
    const res = await submit(sb, bad);
    expect(res.status).toBe(400);
    const fields = (res.json.errors as { field: string; message: string }[]).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'currency',
        'shipmentMethodUid',
        'shippingAddress.country',
        'shippingAddress.postCode',
        'items[0].quantity',
        'items[0].files[0].url',
        'items[1].itemReferenceId',
        'items[1].productUid',
        'items[2].productVariant',
      ]),
    );
    expect(res.json.message).toMatch(/postcode.*postCode/);
    expect(sb.orders()).toHaveLength(0);

    const notJson = await fetch(sb.endpoints.submitOrder, {
      method: 'POST',
      headers: { 'x-api-key': sb.apiKey, 'content-type': 'application/json', 'customer-reference-id': 'acme-ltd' },
      body: '{"orderReferenceId": ',
    });
    expect(notJson.status).toBe(400);
    const noItems = await submit(sb, order('BAD-2', { items: [] }));
    expect(noItems.json.errors).toEqual([{ field: 'items', message: 'must be a non-empty array' }]);
  });

  it('rejects a duplicate reference with preventDuplicate, counting both attempts', async () => {
    const sb = await sandbox();
    const first = await submit(sb, order('DUP-1'));
    const second = await submit(sb, order('DUP-1'));
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.json.id).toBe(first.json.id);
    expect(second.json.message).toMatch(/DUP-1.*already exists/);
    expect(sb.submitCount('DUP-1')).toBe(2);
    expect(sb.orders().filter((o) => o.orderReferenceId === 'DUP-1')).toHaveLength(1);
  });

  it('creates a second order for the same reference without preventDuplicate', async () => {
    const sb = await sandbox();
    await submit(sb, order('DUP-2', { preventDuplicate: false }));
    const again = await submit(sb, order('DUP-2', { preventDuplicate: false }));
    expect(again.status).toBe(200);
    expect(sb.orders().filter((o) => o.orderReferenceId === 'DUP-2')).toHaveLength(2);
  });

  it('allows the same reference for a different customer', async () => {
    const sb = await sandbox();
    const a = await submit(sb, order('SHARED-1'), { 'customer-reference-id': 'acme-ltd' });
    const b = await submit(sb, order('SHARED-1'), { 'customer-reference-id': 'globex' });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.json.id).not.toBe(b.json.id);
    expect(sb.orders({ customerReferenceId: 'globex' })).toHaveLength(1);
    // each customer's Get by reference finds its own order
    const getB = await api(sb, 'GET', `${sb.endpoints.getOrder}/SHARED-1`, undefined, { 'customer-reference-id': 'globex' });
    expect(getB.json.id).toBe(b.json.id);
  });
});

describe('GelatoConnect sandbox: file checks', () => {
  it('fetches every file, records size and sha256, and passes the order', async () => {
    const sb = await sandbox();
    const res = await submit(sb, order('F-OK'));
    expect(sb.order('F-OK')?.status).toBe('received');
    const settled = await sb.waitForFilesSettled(res.json.id);
    expect(settled.files).toHaveLength(2);
    for (const f of settled.files) {
      expect(f.status).toBe('ok');
      expect(f.bytes).toBe(PDF.length);
      expect(f.sha256).toBe(PDF_SHA);
    }
    expect(settled.status).toBe('passed');
    expect(settled.history.map((h) => h.status)).toEqual(['received', 'passed']);
    expect(files.requests.filter((r) => r.url === '/good.pdf').length).toBeGreaterThan(0);
  });

  const failures: [string, () => string, RegExp][] = [
    ['unreachable', () => deadUrl, /could not be downloaded \(ECONNREFUSED\)/],
    ['missing (404)', () => `${files.url}/missing.pdf`, /HTTP 404/],
    ['not a PDF', () => `${files.url}/page.html`, /is not a PDF/],
    ['empty', () => `${files.url}/empty.pdf`, /is empty/],
  ];
  for (const [name, url, why] of failures) {
    it(`fails the order when a file is ${name}, naming the item and URL`, async () => {
      const sb = await sandbox();
      const fileUrl = url();
      const res = await submit(sb, order(`F-${name}`, {}, [`${files.url}/good.pdf`, fileUrl]));
      expect(res.status).toBe(200);
      const settled = await sb.waitForFilesSettled(res.json.id);
      expect(settled.status).toBe('failed');
      expect(settled.failureReason).toContain(`Item F-${name}-1`);
      expect(settled.failureReason).toContain(fileUrl);
      expect(settled.failureReason).toMatch(why);
      const get = await api(sb, 'GET', `${sb.endpoints.getOrder}/${res.json.id}`);
      expect(get.json.fulfillmentStatus).toBe('failed');
      expect(JSON.stringify(get.json.items[0].eventLog)).toMatch(why);
    });
  }

  it('keeps signed query strings out of the failure reason', async () => {
    const sb = await sandbox();
    const res = await submit(sb, order('F-SIGNED', {}, [`${files.url}/missing.pdf?signature=SECRET123`]));
    const settled = await sb.waitForFilesSettled(res.json.id);
    expect(settled.failureReason).toContain(`${files.url}/missing.pdf?…`);
    expect(settled.failureReason).not.toContain('SECRET123');
  });

  it('fails an order whose shipping method the tenant does not offer', async () => {
    const sb = await sandbox();
    const res = await submit(sb, order('F-SHIP', { shipmentMethodUid: 'pigeon' }));
    const settled = await sb.waitForFilesSettled(res.json.id);
    expect(settled.status).toBe('failed');
    expect(settled.failureReason).toMatch(/pigeon/);
  });
});

describe('GelatoConnect sandbox: progression, cancel, shipment', () => {
  it('advances manually through the flow to shipped with tracked packages, then delivered', async () => {
    const sb = await sandbox({ progression: 'manual' });
    const res = await submit(sb, order('P-1'));
    await sb.waitForFilesSettled('P-1');
    await new Promise((r) => setTimeout(r, 50));
    expect(sb.order('P-1')?.status).toBe('passed'); // manual: nothing moves on its own
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      await sb.advance('P-1');
      seen.push(sb.order('P-1')!.status);
    }
    expect(seen).toEqual(['created', 'in_production', 'printed', 'packaged', 'shipped']);
    const shipped = sb.order(res.json.id)!;
    expect(shipped.packages.length).toBeGreaterThanOrEqual(1);
    expect(shipped.packages.length).toBeLessThanOrEqual(2);
    for (const p of shipped.packages) {
      expect(p.trackingCode).toMatch(/^JD/);
      expect(p.trackingUrl).toContain(p.trackingCode);
      expect(p.carrier.name).toBe('DHL');
    }
    const get = await api(sb, 'GET', `${sb.endpoints.getOrder}/P-1`);
    expect(get.json.fulfillmentStatus).toBe('shipped');
    expect(get.json.shipment.packages.map((p: { trackingCode: string }) => p.trackingCode)).toEqual(shipped.packages.map((p) => p.trackingCode));
    await sb.advance('P-1', 'delivered');
    expect(sb.order('P-1')?.status).toBe('delivered');
    await expect(sb.advance('P-1', 'printed')).rejects.toThrow(/delivered/);
  });

  it('keeps a draft order as draft until it is advanced', async () => {
    const sb = await sandbox();
    await submit(sb, order('D-1', { orderType: 'draft' }));
    await new Promise((r) => setTimeout(r, 50));
    expect(sb.order('D-1')?.status).toBe('draft');
    expect(sb.order('D-1')?.files.every((f) => f.status === 'pending')).toBe(true); // not fetched yet
    await sb.advance('D-1');
    expect(sb.order('D-1')?.status).toBe('received');
    await sb.advance('D-1');
    expect(sb.order('D-1')?.status).toBe('passed');
  });

  it('advances on a clock', async () => {
    const sb = await sandbox({ progression: { stepMs: 20 } });
    await submit(sb, order('CLK-1'));
    const deadline = Date.now() + 5000;
    while (sb.order('CLK-1')?.status !== 'delivered' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const o = sb.order('CLK-1')!;
    expect(o.status).toBe('delivered');
    expect(o.history.map((h) => h.status)).toEqual(['received', 'passed', 'created', 'in_production', 'printed', 'packaged', 'shipped', 'in_transit', 'delivered']);
  });

  it('cancels until shipped, answers {code:200,message:"OK"}, then refuses', async () => {
    const sb = await sandbox();
    await submit(sb, order('X-1'));
    await submit(sb, order('X-2'));
    const ok = await api(sb, 'POST', `${sb.endpoints.cancelOrder}/X-1/cancel`);
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ code: 200, message: 'OK' });
    expect(sb.order('X-1')?.status).toBe('canceled');
    await sb.waitForFilesSettled('X-1');
    expect(sb.order('X-1')?.status).toBe('canceled'); // the file check does not revive it
    await sb.waitForFilesSettled('X-2');
    await sb.advance('X-2', 'shipped');
    const late = await api(sb, 'POST', `${sb.endpoints.cancelOrder}/X-2/cancel`);
    expect(late.status).toBe(409);
    expect(late.json.message).toMatch(/shipped/);
    const missing = await api(sb, 'POST', `${sb.endpoints.cancelOrder}/NOPE/cancel`);
    expect(missing.status).toBe(404);
  });

  it('updates the shipment method and address until shipped', async () => {
    const sb = await sandbox();
    await submit(sb, order('U-1'));
    const upd = await api(sb, 'PUT', `${sb.endpoints.updateShipment}/U-1`, { shipmentMethodUid: 'express', shippingAddress: { city: 'Hove', postCode: 'BN3 1AA' } });
    expect(upd.status).toBe(200);
    expect(upd.json.shipment).toMatchObject({ shipmentMethodUid: 'express', shipmentMethodName: 'DHL Express Worldwide', serviceType: 'express', fulfillmentCountry: 'GB' });
    expect(upd.json.shippingAddress).toMatchObject({ city: 'Hove', postCode: 'BN3 1AA', firstName: 'Jane', orderId: sb.order('U-1')?.id });
    const empty = await api(sb, 'PUT', `${sb.endpoints.updateShipment}/U-1`, {});
    expect(empty.status).toBe(400);
    await sb.waitForFilesSettled('U-1');
    await sb.advance('U-1', 'shipped');
    expect(sb.order('U-1')?.packages[0]?.trackingCode).toMatch(/^JD/); // express ships with DHL
    const late = await api(sb, 'PUT', `${sb.endpoints.updateShipment}/U-1/shipment`, { shipmentMethodUid: 'normal' });
    expect(late.status).toBe(409);
  });
});

describe('GelatoConnect sandbox: search, quote, rate limit', () => {
  it('searches by references and statuses with limit/offset, within the customer', async () => {
    const sb = await sandbox();
    for (let i = 1; i <= 5; i++) await submit(sb, order(`S-${i}`));
    await submit(sb, order('S-other'), { 'customer-reference-id': 'globex' });
    for (let i = 1; i <= 5; i++) await sb.waitForFilesSettled(`S-${i}`);
    await sb.advance('S-2', 'shipped');
    await sb.advance('S-4', 'shipped');

    const byRef = await api(sb, 'POST', sb.endpoints.searchOrders, { orderReferenceIds: ['S-1', 'S-3', 'S-other'] });
    expect(byRef.json.orders.map((o: { orderReferenceId: string }) => o.orderReferenceId).sort()).toEqual(['S-1', 'S-3']);
    const shipped = await api(sb, 'POST', sb.endpoints.searchOrders, { fulfillmentStatuses: ['shipped'] });
    expect(shipped.json.orders.map((o: { orderReferenceId: string }) => o.orderReferenceId).sort()).toEqual(['S-2', 'S-4']);
    expect(shipped.json.orders[0]).toMatchObject({ customerReferenceId: 'acme-ltd', currency: 'GBP', itemsCount: 2, country: 'GB' });

    const page1 = await api(sb, 'POST', sb.endpoints.searchOrders, { limit: 2, offset: 0 });
    const page3 = await api(sb, 'POST', sb.endpoints.searchOrders, { limit: 2, offset: 4 });
    expect(page1.json.orders).toHaveLength(2);
    expect(page3.json.orders).toHaveLength(1);
    const all = await api(sb, 'POST', sb.endpoints.searchOrders, {});
    expect(all.json.orders).toHaveLength(5);
    const bad = await api(sb, 'POST', sb.endpoints.searchOrders, { limit: 0, fulfillmentStatuses: ['cancelled'] });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/limit/);
    expect(bad.json.message).toMatch(/cancelled/);
  });

  it('quotes shipping in the requested currency and refuses unknown currencies', async () => {
    const sb = await sandbox();
    const body = (currency: string) => ({
      orderReferenceId: 'Q-1',
      currency,
      receiver: { address: { country: 'DE', city: 'Berlin', postcode: '10115' } },
      packages: [{ packageReferenceId: 'p1', grossWeight: 800 }],
    });
    const eur = await api(sb, 'POST', sb.endpoints.shippingQuote, body('EUR'));
    const gbp = await api(sb, 'POST', sb.endpoints.shippingQuote, body('GBP'));
    expect(eur.status).toBe(200);
    const std = (r: typeof eur) => r.json.items.find((i: { method: { uid: string } }) => i.method.uid === 'standard').method;
    expect(std(eur)).toMatchObject({ name: 'DHL Global Parcel', minShipmentDays: expect.any(Number), maxShipmentDays: expect.any(Number) });
    expect(eur.json.items[0].carrier).toHaveProperty('uid');
    expect(std(gbp).price).toBeCloseTo(std(eur).price * 0.85, 1);
    const heavy = await api(sb, 'POST', sb.endpoints.shippingQuote, { ...body('EUR'), packages: [{ grossWeight: 5000 }] });
    expect(std(heavy).price).toBeGreaterThan(std(eur).price);
    const bad = await api(sb, 'POST', sb.endpoints.shippingQuote, body('XYZ'));
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/"XYZ" is not supported/);
  });

  it('answers 429 with Retry-After beyond 100 requests per second per key', async () => {
    const sb = await sandbox();
    const hit = () => fetch(`${sb.endpoints.getOrder}/none`, { headers: { 'x-api-key': sb.apiKey, 'customer-reference-id': 'acme-ltd' } });
    const results = await Promise.all(Array.from({ length: 130 }, hit));
    const limited = results.filter((r) => r.status === 429);
    const served = results.filter((r) => r.status === 404).length;
    // the first 100 within the second pass; the rest are refused unless a second has gone by
    expect(served).toBeGreaterThanOrEqual(100);
    expect(limited.length).toBeGreaterThan(0);
    expect(served + limited.length).toBe(130);
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await Promise.all(results.map((r) => r.arrayBuffer()));
    await new Promise((r) => setTimeout(r, 1050));
    expect((await hit()).status).toBe(404);
  });
});

describe('GelatoConnect sandbox: postbacks', () => {
  const TEMPLATE = `{"event":"order.shipped","orderId":"{{ order.id }}","orderReferenceId":"{{ order.referenceId }}",
 "customerReferenceId":"{{ customer.referenceId }}","status":"{{ package.status }}",
 "shippingMethod":"{{ shipment.method.name }}","trackingCode":"{{ shipment.tracking.code }}",
 "trackingUrl":"{{ shipment.tracking.url }}"}`;

  it('renders the trigger template with nunjucks and sends it with the trigger headers', async () => {
    const receiver = await listen((_req, res) => res.writeHead(204).end());
    extra.push(receiver);
    const sb = await sandbox();
    sb.setTriggers([
      { event: 'Order shipped', url: `${receiver.url}/hooks/gelato`, method: 'POST', format: 'json', headers: { 'x-presslink-token': 'tok-1' }, template: TEMPLATE },
      { event: 'received', url: `${receiver.url}/hooks/received`, method: 'PUT', format: 'json', headers: {}, template: '{"s":"{{ package.status }}","items":{{ package.items | length }}}' },
    ]);
    const res = await submit(sb, order('PB-1'));
    await sb.waitForFilesSettled('PB-1');
    await sb.advance('PB-1', 'shipped');
    const shipped = receiver.requests.find((r) => r.url === '/hooks/gelato')!;
    expect(shipped.method).toBe('POST');
    expect(shipped.headers['x-presslink-token']).toBe('tok-1');
    expect(shipped.headers['content-type']).toBe('application/json');
    const body = JSON.parse(shipped.body) as Record<string, string>;
    const o = sb.order('PB-1')!;
    expect(body).toEqual({
      event: 'order.shipped',
      orderId: res.json.id,
      orderReferenceId: 'PB-1',
      customerReferenceId: 'acme-ltd',
      status: 'shipped',
      shippingMethod: 'DHL Global Parcel',
      trackingCode: o.packages[0]!.trackingCode,
      trackingUrl: o.packages[0]!.trackingUrl,
    });
    const received = receiver.requests.find((r) => r.url === '/hooks/received')!;
    expect(received.method).toBe('PUT');
    expect(JSON.parse(received.body)).toEqual({ s: 'received', items: 2 });
    const records = sb.postbacks();
    expect(records.map((r) => r.status)).toEqual(['received', 'shipped']);
    expect(records.every((r) => r.delivered && r.responseStatus === 204 && r.attempts.length === 1)).toBe(true);
    expect(records[1]!.context.package.status).toBe('shipped');
  });

  it('retries a failing receiver with back-off and records every attempt', async () => {
    let calls = 0;
    const receiver = await listen((_req, res) => {
      calls++;
      res.writeHead(calls < 3 ? 500 : 200).end();
    });
    extra.push(receiver);
    const sb = await sandbox({ postbackRetry: { backoffMs: 20 } });
    sb.setTriggers([{ event: 'Order failed', url: `${receiver.url}/f`, method: 'POST', format: 'json', headers: {}, template: '{"reason":{{ sandbox.reason | tojson }}}' }]);
    await submit(sb, order('PB-2'));
    await sb.waitForFilesSettled('PB-2');
    await sb.fail('PB-2', 'Press broke "badly"');
    const [rec] = sb.postbacks();
    expect(rec!.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(rec!.delivered).toBe(true);
    expect(JSON.parse(receiver.requests[2]!.body)).toEqual({ reason: 'Press broke "badly"' });
  });

  it('sends Package Status Updated once per package with that package\'s tracking', async () => {
    const receiver = await listen((_req, res) => res.writeHead(200).end());
    extra.push(receiver);
    const sb = await sandbox({ seed: 7 });
    sb.setTriggers([{ event: 'Package Status Updated', url: `${receiver.url}/pkg`, template: '{"p":"{{ package.id }}","t":"{{ shipment.tracking.code }}","s":"{{ package.status }}","n":{{ package.items | length }}}' }]);
    await submit(sb, order('PB-3'));
    await sb.waitForFilesSettled('PB-3');
    await sb.advance('PB-3', 'shipped');
    const o = sb.order('PB-3')!;
    const shippedBodies = receiver.requests.map((r) => JSON.parse(r.body) as { p: string; t: string; s: string; n: number }).filter((b) => b.s === 'shipped');
    expect(shippedBodies.map((b) => b.t).sort()).toEqual(o.packages.map((p) => p.trackingCode).sort());
    expect(o.packages).toHaveLength(2); // seed 7 splits this order in two
    expect(shippedBodies.reduce((n, b) => n + b.n, 0)).toBe(2); // every item is in exactly one package
  });

  it('refuses a trigger whose template does not compile', async () => {
    const sb = await sandbox();
    expect(() => sb.setTriggers([{ event: 'Order shipped', url: 'http://127.0.0.1:1/x', method: 'POST', format: 'json', headers: {}, template: '{{ order.id ' }])).toThrow(/template does not compile/);
  });
});

describe('GelatoConnect sandbox: simulator-only control routes and faults', () => {
  it('exposes orders, advance, fail, triggers, postbacks and faults over HTTP without auth', async () => {
    const receiver = await listen((_req, res) => res.writeHead(200).end());
    extra.push(receiver);
    const sb = await sandbox();
    await submit(sb, order('H-1'));
    await submit(sb, order('H-2'));
    await sb.waitForFilesSettled('H-1');
    const list = (await (await fetch(`${sb.url}/__sandbox/gelato/orders`)).json()) as { orders: { orderReferenceId: string }[] };
    expect(list.orders.map((o) => o.orderReferenceId)).toEqual(['H-1', 'H-2']);
    const trig = await fetch(`${sb.url}/__sandbox/gelato/triggers`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ event: '*', url: `${receiver.url}/all`, method: 'POST', format: 'json', headers: { authorization: 'Bearer x' }, template: '{"s":"{{ package.status }}"}' }]),
    });
    expect(trig.status).toBe(200);
    const adv = await fetch(`${sb.url}/__sandbox/gelato/orders/H-1/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: 'printed' }) });
    expect(adv.status).toBe(200);
    expect(((await adv.json()) as { status: string }).status).toBe('printed');
    const fail = await fetch(`${sb.url}/__sandbox/gelato/orders/H-2/fail`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'paper jam' }) });
    expect(((await fail.json()) as { failureReason: string }).failureReason).toBe('paper jam');
    const one = (await (await fetch(`${sb.url}/__sandbox/gelato/orders/H-2`)).json()) as { status: string; submitCount: number };
    expect(one).toMatchObject({ status: 'failed', submitCount: 1 });
    const pbs = (await (await fetch(`${sb.url}/__sandbox/gelato/postbacks`)).json()) as { postbacks: { status: string; headers: Record<string, string> }[] };
    expect(pbs.postbacks.map((p) => p.status)).toEqual(['printed', 'failed']);
    expect(pbs.postbacks[0]!.headers.authorization).toBe('***');
    const badAdvance = await fetch(`${sb.url}/__sandbox/gelato/orders/H-2/advance`, { method: 'POST' });
    expect(badAdvance.status).toBe(409);

    const put = await fetch(`${sb.url}/__sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seed: 1, rules: [{ errorRate: 1 }] }) });
    expect(put.status).toBe(200);
    expect((await api(sb, 'GET', `${sb.endpoints.getOrder}/H-1`)).status).toBe(503);
    expect((await fetch(`${sb.url}/__sandbox/gelato/orders/H-1`)).status).toBe(200);
    const badFaults = await fetch(`${sb.url}/__sandbox/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules: [{ errorRate: 3 }] }) });
    expect(badFaults.status).toBe(400);
    sb.faults.clear();
    expect((await api(sb, 'GET', `${sb.endpoints.getOrder}/H-1`)).status).toBe(200);
  });

  it('applies faults given at start-up to the API', async () => {
    const sb = await sandbox({ faults: { seed: 3, rules: [{ rateLimitRate: 1, retryAfterSeconds: 2, route: '/order' }] } });
    const res = await submit(sb, order('FLT-1'));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(sb.submitCount('FLT-1')).toBe(0);
  });
});
