import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SANDBOX_GCL_CARRIER_METHODS } from '../../electron/sandbox/index';
import { startHarness, type Harness } from '../helpers/harness';

// Issue 14, part 3: checkout quotes from GelatoConnect Logistics as it really is, against a
// sandbox whose GCL runs on its own host with its own key (no key:secret form) and quotes
// carrier method uids, not order-intake method tokens.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TOKEN = 'gcl-test-quote-token-0123456789';
const cart = { storefront: 'acme', currency: 'GBP', customerId: 42, shippingAddress: { FirstName: 'Ann', LastName: 'Lee', AddressLine1: '1 High St', Town: 'Crawley', ZipPostalCode: 'RH10 1HU', Country: 'GB' }, items: [{ quantity: 250, weightGrams: 1200, deliveryType: ['print'] }] };
type Answer = { shippingOptions: { name: string; price: number; currency: string; code: string }[]; errors: string[] };

async function quote(): Promise<{ status: number; source: string | null; body: Answer }> {
  const r = await fetch(`${h!.server.url}/shipping/quote`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(cart) });
  return { status: r.status, source: r.headers.get('x-presslink-quote-source'), body: (await r.json()) as Answer };
}

async function useGcl(edit: (gcl: Record<string, unknown>) => Record<string, unknown> | undefined = (g) => g) {
  await h!.configure((cfg) => {
    const gcl = edit({ ...(cfg.shippingQuotes!.gcl as Record<string, unknown>) });
    cfg.server = { publicBaseUrl: h!.server.url };
    cfg.shippingQuotes = {
      enabled: true,
      token: TOKEN,
      currency: 'GBP',
      source: 'gelato',
      rateTable: [{ method: 'First Class', country: '*', maxWeightGrams: 30_000, price: 5 }],
      ...(gcl ? { gcl: gcl as never } : {}),
    };
  });
}

describe('checkout quotes from GelatoConnect Logistics on its own host', () => {
  it('asks GCL at its own address with its own key and no Customer-Reference-ID, sends the sender, and maps carrier uids to Infigo methods', async () => {
    h = await startHarness({ ordersPerStore: 0, gelato: { gcl: { ownHost: true } } });
    expect(h.sandbox.gelato.gcl.url).not.toBe(h.sandbox.gelato.url);
    await useGcl();
    const r = await quote();
    expect(r.status).toBe(200);
    expect(r.source).toBe('gelato');
    expect(r.body.shippingOptions.map((o) => [o.name, o.code])).toEqual(Object.entries(SANDBOX_GCL_CARRIER_METHODS));
    const [req] = h.sandbox.gelato.gcl.requests();
    expect(req!.headers['x-api-key']).toBeDefined();
    expect(req!.headers['customer-reference-id']).toBeUndefined();
    expect(req!.body).toMatchObject({ currency: 'GBP', receiver: { address: { country: 'GB' } }, sender: { address: { country: 'GB', city: 'Crawley', postcode: 'RH10 1HU' } }, packages: [{ grossWeight: 1200 }] });
    expect(h.engine.status().quoteFallback).toBeNull();

    const checks = await h.engine.call('shipping.checkGcl', {});
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['gcl-configured', 'pass'],
      ['gcl-sender', 'pass'],
      ['gcl-quote', 'pass'],
      ['gcl-methods', 'pass'],
      ['gcl-fallback', 'pass'],
    ]);
  }, 60_000);

  it('without its own key and address every quote falls back to the rate table, visibly: status, log and the setup check', async () => {
    h = await startHarness({ ordersPerStore: 0, gelato: { gcl: { ownHost: true } } });
    await useGcl(() => undefined);
    const r = await quote();
    expect([r.status, r.source]).toEqual([200, 'rate-table-fallback']);
    expect(r.body.shippingOptions.map((o) => o.name)).toEqual(['First Class']);
    await quote();
    const f = h.engine.status().quoteFallback;
    expect(f).toMatchObject({ count: expect.any(Number), reason: expect.stringMatching(/no key and address yet/) });
    const checks = await h.engine.call('shipping.checkGcl', {});
    expect(checks[0]).toMatchObject({ id: 'gcl-configured', status: 'fail', fix: expect.stringMatching(/separate API from order intake with its own key/) });
    expect(checks.at(-1)).toMatchObject({ id: 'gcl-fallback', status: 'warn', message: expect.stringMatching(/fell back to the rate table/) });
    const log = fs.readFileSync(path.join(h.dataDir, 'logs', 'presslink.log'), 'utf8');
    expect(log).toMatch(/the rate table answered: GelatoConnect Logistics is chosen for checkout quotes but has no key/);
  }, 60_000);

  it('the order-intake connector key is refused by GCL, and the check says GCL needs its own key', async () => {
    h = await startHarness({ ordersPerStore: 0, gelato: { gcl: { ownHost: true } } });
    const connectorKey = h.sandbox.gelato.apiKey;
    await useGcl((g) => ({ ...g, apiKey: connectorKey }));
    const r = await quote();
    expect(r.source).toBe('rate-table-fallback');
    expect(h.engine.status().quoteFallback!.reason).toMatch(/refused the key/);
    const checks = await h.engine.call('shipping.checkGcl', {});
    const q = checks.find((c) => c.id === 'gcl-quote')!;
    expect(q.status).toBe('fail');
    expect(q.message).toMatch(/GelatoConnect Logistics \(GCL\) refused the key for its test address/);
    expect(q.fix).toMatch(/separate from the order-intake connector key/);
    expect(JSON.stringify(checks)).not.toContain(connectorKey);
  }, 60_000);

  it('order-intake method tokens in the map match nothing GCL quotes: the check lists what GCL does quote, and quotes fall back', async () => {
    h = await startHarness({ ordersPerStore: 0, gelato: { gcl: { ownHost: true } } });
    await useGcl((g) => ({ ...g, methods: { 'First Class': 'normal', Express: 'express' } }));
    const r = await quote();
    expect(r.source).toBe('rate-table-fallback');
    expect(h.engine.status().quoteFallback!.reason).toMatch(/quoted dhl_global_parcel, .* none of which is mapped/);
    const m = (await h.engine.call('shipping.checkGcl', {})).find((c) => c.id === 'gcl-methods')!;
    expect(m.status).toBe('warn');
    expect(m.message).toMatch(/did not quote First Class → normal, Express → express.*GCL quoted: dhl_global_parcel/);
  }, 60_000);
});
