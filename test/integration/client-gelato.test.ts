import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GelatoOrderPayload } from '../../shared/domain/gelato';
import { GelatoClient, GELATO_KEY_REFUSED } from '../../electron/core/gelato';
import { HttpError, type RetryInfo } from '../../electron/core/http';
import { startGelatoSandbox, type GelatoSandbox } from '../../electron/sandbox/gelato';

const KEY = 'gk_test_0001:gs_secret_abcdefabcdef';
let sb: GelatoSandbox;
let local: FastifyInstance;
let localUrl: string;
let localMode: 'ok' | 'reset' | 'error500' | 'slow' | 'dup-message' | 'errors-map' | '401' | 'no-id' | 'html400' = 'ok';
let localSubmits = 0;
const localSeen: { url: string; headers: Record<string, unknown>; at: number }[] = [];

function payload(ref: string, overrides: Partial<GelatoOrderPayload> = {}): GelatoOrderPayload {
  return {
    orderReferenceId: ref,
    orderType: 'order',
    preventDuplicate: true,
    currency: 'GBP',
    shipmentMethodUid: 'standard',
    shippingAddress: { country: 'GB', firstName: 'Jane', lastName: 'Smith', addressLine1: '11 London Rd', city: 'Brighton', postCode: 'BN1 8YQ', email: 'jane@example.com' },
    items: [
      { itemReferenceId: `${ref}-1`, productUid: 'flat_product_pf_a4_pt_200-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_hor', quantity: 10, files: [{ type: 'default', url: `${localUrl}/files/a.pdf` }] },
    ],
    ...overrides,
  };
}

beforeAll(async () => {
  local = Fastify();
  local.get('/files/a.pdf', async (_req, reply) => reply.type('application/pdf').send(Buffer.from('%PDF-1.4\n%%EOF\n')));
  local.post('/order', async (req, reply) => {
    localSubmits++;
    localSeen.push({ url: req.url, headers: req.headers, at: Date.now() });
    const ref = (req.body as { orderReferenceId: string }).orderReferenceId;
    switch (localMode) {
      case 'reset':
        reply.hijack();
        req.raw.socket.destroy();
        return reply;
      case 'error500':
        return reply.code(500).send({ message: 'internal' });
      case 'slow':
        await new Promise((r) => setTimeout(r, 500));
        return { id: 'late', orderReferenceId: ref };
      case 'dup-message':
        return reply.code(400).send({ message: `Duplicate orderReferenceId ${ref}: order 0f8fad5b-d9cb-469f-a165-70867728950e exists` });
      case 'errors-map':
        return reply.code(422).send({ errors: { 'shippingAddress.postCode': ['is not valid for GB'], 'items[0].productUid': ['unknown product'] } });
      case '401':
        return reply.code(401).send({ status: 'Unauthorized.' });
      case 'no-id':
        return { ok: true };
      case 'html400':
        return reply.code(400).type('text/html').send('<html><body>Bad Request</body></html>');
      default:
        return { id: 'g-1', orderReferenceId: ref, createdAt: '2026-01-01T00:00:00Z' };
    }
  });
  await local.listen({ host: '127.0.0.1', port: 0 });
  localUrl = `http://127.0.0.1:${(local.server.address() as { port: number }).port}`;
  sb = await startGelatoSandbox({ apiKey: KEY, customerAgnostic: true, customers: ['acme-ltd', 'beta-co'], progression: 'manual', fileFetch: { allowHosts: [new URL(localUrl).host] } });
});

afterAll(async () => {
  await sb?.close();
  await local?.close();
});

afterEach(() => {
  localMode = 'ok';
  localSubmits = 0;
  localSeen.length = 0;
  sb.faults.set({ rules: [] });
});

const client = (extra: Partial<ConstructorParameters<typeof GelatoClient>[0]> = {}) =>
  new GelatoClient({ endpoints: sb.endpoints, apiKey: KEY, customerReferenceId: 'acme-ltd', retry: { baseDelayMs: 10, maxDelayMs: 50 }, ...extra });

const localClient = (extra: Partial<ConstructorParameters<typeof GelatoClient>[0]> = {}) =>
  new GelatoClient({
    endpoints: { submitOrder: `${localUrl}/order`, getOrder: `${localUrl}/o`, searchOrders: `${localUrl}/s`, cancelOrder: `${localUrl}/o`, updateShipment: `${localUrl}/o` },
    apiKey: KEY,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...extra,
  });

describe('GelatoClient ↔ sandbox tenant', () => {
  it('submits with X-API-KEY and Customer-Reference-ID and gets {id, orderReferenceId, createdAt}', async () => {
    const r = await client().submitOrder(payload('INF-acme-1001'));
    expect(r.outcome).toBe('created');
    if (r.outcome !== 'created') return;
    expect(r.orderReferenceId).toBe('INF-acme-1001');
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sb.order('INF-acme-1001')?.customerReferenceId).toBe('acme-ltd');
    expect(sb.submitCount('INF-acme-1001')).toBe(1);
  });

  it('reports a duplicate reference with the existing order id', async () => {
    const first = await client().submitOrder(payload('INF-acme-1002'));
    const again = await client().submitOrder(payload('INF-acme-1002'));
    expect(again.outcome).toBe('duplicate');
    expect(again.id).toBe(first.id);
    expect(sb.orders({ customerReferenceId: 'acme-ltd' }).filter((o) => o.orderReferenceId === 'INF-acme-1002')).toHaveLength(1);
  });

  it('uses a per-call customer override (one connector, several stores)', async () => {
    await client().submitOrder(payload('INF-beta-1'), { customerReferenceId: 'beta-co' });
    expect(sb.order('INF-beta-1')?.customerReferenceId).toBe('beta-co');
    expect(await client().findByReference('INF-beta-1')).toBeNull();
    expect((await client().findByReference('INF-beta-1', { customerReferenceId: 'beta-co' }))?.orderReferenceId).toBe('INF-beta-1');
  });

  it('turns server-side validation failures into field messages', async () => {
    const err = await client().submitOrder(payload('INF-acme-1003', { currency: 'XYZ' })).catch((e) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err.code).toBe('validation_failed');
    expect(err.status).toBe(400);
    expect(err.fieldErrors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'currency' })]));
    expect(err.userMessage).toMatch(/currency/);
    const unknownCustomer = await client().submitOrder(payload('INF-x-1'), { customerReferenceId: 'nobody' }).catch((e) => e);
    expect(unknownCustomer.code).toBe('validation_failed');
    expect(unknownCustomer.userMessage).toMatch(/Unknown customer/);
  });

  it('catches an incomplete payload before sending it', async () => {
    const bad = payload('INF-acme-1004');
    (bad.shippingAddress as Record<string, unknown>).country = 'United Kingdom';
    const err = await client().submitOrder(bad).catch((e) => e);
    expect(err.code).toBe('validation_failed');
    expect(err.fieldErrors[0].field).toBe('shippingAddress.country');
    expect(sb.submitCount('INF-acme-1004')).toBe(0);
  });

  it('gets an order by id and by reference, with status and tracking normalised', async () => {
    const c = client();
    const r = await c.submitOrder(payload('INF-acme-1005'));
    const byId = await c.getOrder(r.id!);
    const byRef = await c.getOrder('INF-acme-1005');
    expect(byId.id).toBe(byRef.id);
    expect(['received', 'passed']).toContain(byId.status); // file checks run asynchronously
    await sb.waitForFilesSettled('INF-acme-1005');
    await sb.advance('INF-acme-1005', 'shipped');
    const shipped = await c.getOrder('INF-acme-1005');
    expect(shipped.status).toBe('shipped');
    expect(shipped.tracking[0]?.code).toBeTruthy();
    expect((await c.getOrder('no-such-ref').catch((e) => e)).code).toBe('not_found');
  });

  it('finds by reference, or returns null', async () => {
    const c = client();
    await c.submitOrder(payload('INF-acme-1006'));
    expect((await c.findByReference('INF-acme-1006'))?.orderReferenceId).toBe('INF-acme-1006');
    expect(await c.findByReference('INF-acme-never')).toBeNull();
  });

  it('searches orders', async () => {
    const c = client();
    await c.submitOrder(payload('INF-acme-1007'));
    const hits = await c.searchOrders({ orderReferenceIds: ['INF-acme-1007'] });
    expect(hits.map((h) => h.orderReferenceId)).toEqual(['INF-acme-1007']);
    expect(['received', 'passed']).toContain(hits[0]?.status);
  });

  it('cancels before shipping, treats a repeated cancel as done, and refuses after shipping', async () => {
    const c = client();
    await c.submitOrder(payload('INF-acme-1008'));
    expect(await c.cancelOrder('INF-acme-1008')).toMatchObject({ canceled: true });
    expect((await c.getOrder('INF-acme-1008')).status).toBe('canceled');
    expect(await c.cancelOrder('INF-acme-1008')).toMatchObject({ canceled: true }); // the sandbox answers a repeat with OK

    await c.submitOrder(payload('INF-acme-1009'));
    await sb.waitForFilesSettled('INF-acme-1009');
    await sb.advance('INF-acme-1009', 'shipped');
    const late = await c.cancelOrder('INF-acme-1009').catch((e) => e);
    expect(late.code).toBe('conflict');
    expect(late.userMessage).toMatch(/can no longer cancel/);
  });

  it('updates the shipment method', async () => {
    const c = client();
    await c.submitOrder(payload('INF-acme-1010'));
    await c.updateShipment('INF-acme-1010', { shipmentMethodUid: 'express' });
    expect((await c.getOrder('INF-acme-1010')).shipmentMethodUid).toBe('express');
  });

  it('a wrong key gets the plain-language refusal and never shows the key', async () => {
    const wrong = 'gk_wrong_999:gs_wrong_secret_777';
    const err = await new GelatoClient({ endpoints: sb.endpoints, apiKey: wrong, customerReferenceId: 'acme-ltd' }).getOrder('x').catch((e) => e);
    expect(err.code).toBe('unauthorized');
    expect(err.userMessage).toBe(GELATO_KEY_REFUSED);
    expect(err.hint).toMatch(/key:secret/);
    expect([err.message, err.detail, JSON.stringify(err)].join()).not.toMatch(/gs_wrong_secret_777|gk_wrong_999/);
  });

  it('retries a submit answered 429 after the Retry-After wait, once', async () => {
    sb.faults.set({ seed: 1, rules: [{ route: '/order', method: 'POST', rateLimitRate: 1, retryAfterSeconds: 1 }] });
    const retries: RetryInfo[] = [];
    const started = Date.now();
    const r = await client({ onRetry: (i) => {
      retries.push(i);
      sb.faults.set({ rules: [] }); // the next attempt goes through
    } }).submitOrder(payload('INF-acme-1011'));
    expect(r.outcome).toBe('created');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(retries).toEqual([expect.objectContaining({ status: 429, delayMs: 1000 })]);
    expect(sb.submitCount('INF-acme-1011')).toBe(1); // the 429 was answered before the order handler
    expect(sb.orders().filter((o) => o.orderReferenceId === 'INF-acme-1011')).toHaveLength(1);
  });

  it('never repeats a submit that hit a 5xx from the sandbox: unknown outcome instead', async () => {
    sb.faults.set({ seed: 1, rules: [{ route: '/order', method: 'POST', errorRate: 1, errorStatus: 502 }] });
    const err = await client().submitOrder(payload('INF-acme-1012')).catch((e) => e);
    expect(err.code).toBe('unknown_outcome');
    expect(err.attempts).toBe(1);
  });

  it('survives injected faults on reads (get/search retried)', async () => {
    const c = client({ retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 20 } });
    await c.submitOrder(payload('INF-acme-1013'));
    sb.faults.set({ seed: 9, rules: [{ method: 'GET', errorRate: 0.3, resetRate: 0.2 }] });
    for (let i = 0; i < 10; i++) expect((await c.getOrder('INF-acme-1013')).orderReferenceId).toBe('INF-acme-1013');
    expect(sb.faults.stats().errors + sb.faults.stats().resets).toBeGreaterThan(0);
  });
});

describe('submitOrder outcomes (local server)', () => {
  it('a connection reset after sending is an unknown outcome, and the submit is not repeated', async () => {
    localMode = 'reset';
    const err = await localClient().submitOrder(payload('L-1')).catch((e) => e);
    expect(err.code).toBe('unknown_outcome');
    expect(err.hint).toMatch(/looks the order up/);
    expect(localSubmits).toBe(1);
  });

  it('a 500 is an unknown outcome too (the order may exist)', async () => {
    localMode = 'error500';
    const err = await localClient().submitOrder(payload('L-2')).catch((e) => e);
    expect(err.code).toBe('unknown_outcome');
    expect(localSubmits).toBe(1);
  });

  it('a timeout after sending is an unknown outcome, not a retry', async () => {
    localMode = 'slow';
    const err = await localClient({ timeoutMs: 100 }).submitOrder(payload('L-3')).catch((e) => e);
    expect(err.code).toBe('unknown_outcome');
    expect(localSubmits).toBe(1);
  });

  it('a refused connection is retried (nothing was sent) and then reported as unreachable', async () => {
    const s = Fastify();
    await s.listen({ host: '127.0.0.1', port: 0 });
    const port = (s.server.address() as { port: number }).port;
    await s.close();
    const retries: RetryInfo[] = [];
    const c = new GelatoClient({
      endpoints: { submitOrder: `http://127.0.0.1:${port}/order`, getOrder: `http://127.0.0.1:${port}/o`, searchOrders: `http://127.0.0.1:${port}/s`, cancelOrder: `http://127.0.0.1:${port}/o`, updateShipment: `http://127.0.0.1:${port}/o` },
      apiKey: KEY,
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 },
      onRetry: (i) => retries.push(i),
    });
    const err = await c.submitOrder(payload('L-4')).catch((e) => e);
    expect(err.code).toBe('unreachable');
    expect(err.retryable).toBe(true);
    expect(err.attempts).toBe(3);
    expect(retries).toHaveLength(2);
    expect(err.userMessage).toMatch(/^Cannot reach 127\.0\.0\.1:\d+: check the GelatoConnect endpoint URLs$/);
  });

  it('recognises a duplicate from the message and extracts the id from it', async () => {
    localMode = 'dup-message';
    const r = await localClient().submitOrder(payload('L-5'));
    expect(r).toMatchObject({ outcome: 'duplicate', id: '0f8fad5b-d9cb-469f-a165-70867728950e' });
  });

  it('reads validation errors given as a field map', async () => {
    localMode = 'errors-map';
    const err = await localClient().submitOrder(payload('L-6')).catch((e) => e);
    expect(err.code).toBe('validation_failed');
    expect(err.fieldErrors).toEqual([
      { field: 'shippingAddress.postCode', message: 'is not valid for GB' },
      { field: 'items[0].productUid', message: 'unknown product' },
    ]);
  });

  it('a 400 with an HTML body is still a rejection, not an unknown outcome', async () => {
    localMode = 'html400';
    const err = await localClient().submitOrder(payload('L-9')).catch((e) => e);
    expect(err.code).toBe('validation_failed');
    expect(err.status).toBe(400);
    expect(localSubmits).toBe(1);
  });

  it('an accepted submit without an id is an unknown outcome', async () => {
    localMode = 'no-id';
    const err = await localClient().submitOrder(payload('L-7')).catch((e) => e);
    expect(err.code).toBe('unknown_outcome');
  });

  it('401 with the captured body gets the key message; the key never appears', async () => {
    localMode = '401';
    const err = await localClient().submitOrder(payload('L-8')).catch((e) => e);
    expect(err.code).toBe('unauthorized');
    expect(JSON.stringify(err)).not.toContain('gs_secret_abcdefabcdef');
    expect(localSeen[0]?.headers['x-api-key']).toBe(KEY);
    expect(localSeen[0]?.headers['customer-reference-id']).toBeUndefined();
  });

  it('refuses a key without a secret part and plain-http endpoints off this machine', () => {
    expect(() => localClient({ apiKey: 'justakey' })).toThrow(/key:secret/);
    expect(() => new GelatoClient({ endpoints: { ...sb.endpoints, submitOrder: 'http://gelato.example/order' }, apiKey: KEY })).toThrow(/https/);
  });
});
