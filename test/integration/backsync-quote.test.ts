import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness';

// POST /shipping/quote — the endpoint behind the Infigo checkout MegaScript (contract:
// reference infigo-api.md §9.2) — over real HTTP, with the rate table and with the
// GelatoConnect sandbox's logistics quote (cached, and replaced by the rate table when slow or down).

let h: Harness;
let url: string;
const TOKEN = 'quote-test-token-abcdefghijklmnop';

const cart = (over: Record<string, unknown> = {}) => ({
  storefront: 'acme',
  currency: 'GBP',
  customerId: 42,
  shippingAddress: { FirstName: 'Ann', LastName: 'Lee', AddressLine1: '1 High St', Town: 'Crawley', ZipPostalCode: 'RH10 1HU', Country: 'GB' },
  items: [{ productId: 501, sku: 'BC-85x55-400', quantity: 500, productType: 30, attributes: { Paper: '400gsm Silk' }, weightGrams: 2300, deliveryType: ['print'] }],
  ...over,
});
type Answer = { shippingOptions: { name: string; description: string; price: number; currency: string; code: string }[]; errors: string[] };
const quote = async (body: unknown, token: string | null = TOKEN) => {
  const started = performance.now();
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: r.status, source: r.headers.get('x-presslink-quote-source'), body: (await r.json()) as Answer, ms: performance.now() - started };
};

async function useSource(source: 'rate-table' | 'gelato') {
  await h.configure((cfg) => {
    cfg.server = { publicBaseUrl: h.server.url };
    cfg.shippingQuotes = {
      // The sandbox's GelatoConnect Logistics address, key and method map (shippingQuotes.gcl).
      ...cfg.shippingQuotes,
      enabled: true,
      token: TOKEN,
      currency: 'GBP',
      exchangeRates: { EUR: 1.17 },
      source,
      rateTable: [
        { method: 'First Class', country: 'GB', maxWeightGrams: 1000, price: 3.2 },
        { method: 'First Class', country: 'GB', maxWeightGrams: 5000, price: 6.95 },
        { method: 'First Class', country: '*', maxWeightGrams: 5000, price: 12 },
        { method: 'Express', country: '*', maxWeightGrams: 20000, price: 14.5 },
      ],
    };
  });
}

beforeAll(async () => {
  h = await startHarness({ ordersPerStore: 1 });
  await useSource('rate-table');
  url = `${h.server.url}/shipping/quote`;
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('quote endpoint, rate table', () => {
  it('refuses a missing or wrong token with 401', async () => {
    expect((await quote(cart(), null)).status).toBe(401);
    const wrong = await quote(cart(), 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.body.errors[0]).toMatch(/Bearer/);
  });

  it('answers malformed JSON and incomplete carts with 400 naming the fields', async () => {
    const bad = await quote('{"currency":');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatch(/not valid JSON/);
    const r = await quote({ currency: 'GBP', shippingAddress: {}, items: [{ quantity: 0 }] });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^shippingAddress\.Country: /), expect.stringMatching(/^items\.0\.quantity: must be at least 1/)]));
  });

  it('refuses an unknown currency with a message naming the supported ones', async () => {
    const r = await quote(cart({ currency: 'JPY' }));
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatch(/"JPY" is not supported.*supported: GBP, EUR/);
  });

  it('prices a cart from the smallest weight band that fits, in the configured currency, with Infigo method names', async () => {
    const r = await quote(cart());
    expect(r.status).toBe(200);
    expect(r.source).toBe('rate-table');
    expect(r.body.errors).toEqual([]);
    expect(r.body.shippingOptions.map((o) => [o.name, o.price, o.currency, o.code])).toEqual([
      ['First Class', 6.95, 'GBP', 'normal'],
      ['Express', 14.5, 'GBP', 'express'],
    ]);
    // Another country uses the "*" rows; a convertible currency is converted.
    const fr = await quote(cart({ currency: 'EUR', shippingAddress: { ...cart().shippingAddress, Country: 'France' } }));
    expect(fr.body.shippingOptions.map((o) => [o.name, o.price, o.currency])).toEqual([
      ['First Class', 14.04, 'EUR'],
      ['Express', 16.97, 'EUR'],
    ]);
    // Too heavy for every First Class band: only Express is offered.
    const heavy = await quote(cart({ items: [{ quantity: 1, weightGrams: 9000 }] }));
    expect(heavy.body.shippingOptions.map((o) => o.name)).toEqual(['Express']);
  });
});

describe('quote endpoint, GelatoConnect logistics quote', () => {
  beforeAll(async () => {
    await useSource('gelato');
  });

  it('maps GelatoConnect methods back to Infigo delivery methods and caches the answer', async () => {
    const first = await quote(cart());
    expect(first.status).toBe(200);
    expect(first.source).toBe('gelato');
    const names = first.body.shippingOptions.map((o) => o.name).sort();
    // shippingQuotes.gcl.methods of the sandbox config: First Class/Collect → normal, Second Class → standard, Express → express.
    expect(names).toEqual(['Collect', 'Express', 'First Class', 'Second Class']);
    for (const o of first.body.shippingOptions) {
      expect(o.currency).toBe('GBP');
      expect(o.price).toBeGreaterThan(0);
      expect(o.description).toMatch(/working days/);
    }
    const second = await quote(cart());
    expect(second.source).toBe('gelato-cache');
    expect(second.body).toEqual(first.body);
  });

  it('answers from the rate table within the 1.5 s budget when GelatoConnect is slow, and when it is down', async () => {
    h.sandbox.gelato.faults.set({ rules: [{ route: 'shipping-methods', latencyMs: 2_500 }] });
    const slowCart = cart({ items: [{ quantity: 1, weightGrams: 777 }] });
    const slow = await quote(slowCart);
    expect(slow.status).toBe(200);
    expect(slow.source).toBe('rate-table-fallback');
    expect(slow.ms).toBeLessThan(2_300);
    expect(slow.body.shippingOptions.map((o) => [o.name, o.price])).toEqual([
      ['First Class', 3.2],
      ['Express', 14.5],
    ]);
    // The slow answer still arrives and fills the cache, so the next checkout gets GelatoConnect's prices at once.
    await expect.poll(async () => (await quote(slowCart)).source, { timeout: 5_000, interval: 200 }).toBe('gelato-cache');
    h.sandbox.gelato.faults.set({ rules: [{ route: 'shipping-methods', errorRate: 1, errorStatus: 503 }] });
    const down = await quote(cart({ items: [{ quantity: 1, weightGrams: 778 }] }));
    expect(down.source).toBe('rate-table-fallback');
    expect(down.body.shippingOptions.length).toBe(2);
    h.sandbox.gelato.faults.set({ rules: [] });
  });

  it('self-test runs the generated MegaScript against the endpoint and reports the options and latency', async () => {
    const r = await h.engine.call('shipping.selfTest', {});
    expect(r.status).toBe('pass');
    const ev = r.evidence as { options: unknown[]; latencyMs: number; request: { headers: string[] }; undeclaredMembers: string[] };
    expect(ev.options.length).toBeGreaterThan(0);
    expect(ev.latencyMs).toBeGreaterThan(0);
    expect(ev.request.headers).toContain('Authorization');
    expect(ev.undeclaredMembers).toEqual([]);
    // With the wrong public address the self-test fails and says where it looked.
    await h.configure((cfg) => {
      cfg.server = { publicBaseUrl: 'http://127.0.0.1:1' };
      cfg.shippingQuotes = { enabled: true, token: TOKEN };
    });
    const bad = await h.engine.call('shipping.selfTest', {});
    expect(bad.status).toBe('fail');
    expect(bad.message).toMatch(/127\.0\.0\.1:1\/shipping\/quote/);
  });
});
