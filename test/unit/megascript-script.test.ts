import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../electron/core/engine';
import type { Served } from '../../electron/core/engine-types';
import { megaScriptSource, type MegaScriptConfig } from '../../electron/core/shipping/megascript';
import { runMegaScript, type HostScenario } from '../../electron/core/shipping/megascript-host';
import { quoteRequestSchema } from '../../electron/core/shipping/quote';
import { tempDir } from '../helpers/tmp';

// The generated checkout MegaScript, run in Node's vm against stand-ins for Infigo's host
// objects that declare exactly the members of Infigo's typings (types-for-megascript v1) and
// throw on anything else, calling Presslink's real quote endpoint over HTTP.

let engine: Awaited<ReturnType<typeof startEngine>>;
let server: Served;
let cleanup: () => void;
let config: MegaScriptConfig;

beforeAll(async () => {
  const t = tempDir('presslink-megascript-');
  cleanup = t.cleanup;
  engine = await startEngine({ dataDir: t.dir, mode: 'headless', schedule: false });
  server = await engine.serve({ port: 0 });
  const r = await engine.call('config.import', {
    json: JSON.stringify({
      server: { publicBaseUrl: server.url },
      shipping: { methods: { 'First Class': 'normal', Express: 'express' } },
      shippingQuotes: {
        enabled: true,
        token: 'megascript-test-token-0123456789',
        currency: 'GBP',
        exchangeRates: { EUR: 1.2 },
        source: 'rate-table',
        rateTable: [
          { method: 'First Class', country: 'GB', maxWeightGrams: 2000, price: 4.5 },
          { method: 'First Class', country: 'GB', maxWeightGrams: 10000, price: 9 },
          { method: 'Express', country: '*', maxWeightGrams: 30000, price: 19.99 },
        ],
      },
    }),
  });
  expect(r.ok).toBe(true);
  const out = await engine.call('shipping.megascript', {});
  config = JSON.parse(out.config) as MegaScriptConfig;
}, 30_000);

afterAll(async () => {
  await server?.close();
  await engine?.stop();
  cleanup?.();
});

const scenario = (over: Partial<HostScenario> = {}): HostScenario => ({
  config,
  customer: { id: 42, email: 'ann@example.com', address: { FirstName: 'Ann', LastName: 'Lee', AddressLine1: '1 High St', Town: 'Crawley', ZipPostalCode: 'RH10 1HU', Country: 'United Kingdom' } },
  cart: [
    { productId: 501, quantity: 500, attributes: { Paper: '400gsm Silk' } },
    { productId: 777, quantity: 2, deliveryType: ['digital'] },
  ],
  products: [
    { id: 501, sku: 'BC-85x55-400', weight: 0.004, type: 7, attributes: [{ name: 'Paper', values: [{ name: '400gsm Silk', weightAdjustment: 0.0006 }, { name: '350gsm Matt', weightAdjustment: 0 }] }] },
    { id: 777, sku: 'PDF-GUIDE', weight: 0, type: 0 },
  ],
  ...over,
});

describe('generated shipping MegaScript', () => {
  it('uses only declared MegaScript members, sends the contract request, and hands back the options in the checkout currency', async () => {
    expect(config).toMatchObject({ url: `${server.url}/shipping/quote`, currency: 'GBP', token: 'megascript-test-token-0123456789' });
    const run = await runMegaScript(megaScriptSource(), scenario());
    expect(run.violations).toEqual([]);
    expect(run.touched).toEqual(expect.arrayContaining(['Configuration.ScriptConfig', 'Run.CartManagement', 'CartManagement.GetItemsFromBasket', 'Run.Products', 'Run.ExternalApi', 'ExternalApi.Execute', 'Customer.ShippingAddress']));

    expect(run.request!.url).toBe(config.url);
    expect(run.request!.headers.Authorization).toBe(`Bearer ${config.token}`);
    const body = quoteRequestSchema.parse(run.request!.body);
    expect(body.currency).toBe('GBP');
    expect(body.shippingAddress.Country).toBe('United Kingdom');
    // 500 × (4 g + 0.6 g for the chosen paper) = 2300 g; the digital line weighs nothing.
    expect(body.items[0]).toMatchObject({ sku: 'BC-85x55-400', quantity: 500, productType: 30, weightGrams: 2300, attributes: { Paper: '400gsm Silk' } });
    expect(body.items[1]).toMatchObject({ sku: 'PDF-GUIDE', productType: 10, deliveryType: ['digital'] });

    // 2300 g to GB: the 10 kg First Class band (not the 2 kg one), Express from the "*" row.
    expect(run.returned).toEqual({
      shippingOptions: [
        { name: 'First Class', description: expect.any(String), price: 9, currency: 'GBP', code: 'normal' },
        { name: 'Express', description: expect.any(String), price: 19.99, currency: 'GBP', code: 'express' },
      ],
      errors: [],
    });
    expect(run.eventResult.ShippingOptions).toEqual([
      expect.objectContaining({ Name: 'First Class', Rate: 9 }),
      expect.objectContaining({ Name: 'Express', Rate: 19.99 }),
    ]);
    expect(run.setResult).toEqual({ isSuccess: true, message: '' });
  });

  it('works when the hook passes no customer id (script called as an endpoint), and in a convertible currency', async () => {
    const run = await runMegaScript(megaScriptSource(), scenario({ mode: 'request', config: { ...config, currency: 'EUR' } }));
    expect(run.violations).toEqual([]);
    expect(run.returned!.shippingOptions.map((o) => [o.name, o.price, o.currency])).toEqual([
      ['First Class', 10.8, 'EUR'],
      ['Express', 23.99, 'EUR'],
    ]);
  });

  it('reports the endpoint\'s error instead of options when the token is wrong', async () => {
    const run = await runMegaScript(megaScriptSource(), scenario({ config: { ...config, token: 'wrong' } }));
    expect(run.returned!.shippingOptions).toEqual([]);
    expect(run.returned!.errors.join(' ')).toMatch(/token/i);
    expect(run.setResult!.isSuccess).toBe(false);
  });

  it('the stand-ins catch a script that uses a member Infigo does not declare', async () => {
    const bad = megaScriptSource().replace('Run.ExternalApi.Execute(', 'Run.ExternalApi.Fetch(');
    const run = await runMegaScript(bad, scenario());
    expect(run.violations).toEqual(['ExternalApi.Fetch']);
    const worse = await runMegaScript(megaScriptSource().replace('var config = readConfig();', 'var config = readConfig(); Run.Console.log(1);'), scenario());
    expect(worse.violations).toContain('Run.Console');
  });

  it('runs on an older Infigo whose MegaScript engine has no CurrentContextObject.SetResult (1.0.x typings): it checks before calling it', async () => {
    const run = await runMegaScript(megaScriptSource(), scenario({ typings: 'older' }));
    expect(run.violations).toEqual([]);
    expect(run.probed).toEqual(['CurrentContextObject.SetResult']);
    expect(run.setResult).toBeNull();
    expect(run.returned!.shippingOptions.map((o) => o.name)).toEqual(['First Class', 'Express']);
    expect(run.eventResult.ShippingOptions).toHaveLength(2);
    // The older host really lacks it: the call without the check fails there.
    const unguarded = megaScriptSource().replace("if (context && typeof context.SetResult === 'function') context.SetResult(", 'if (context) context.SetResult(');
    expect(unguarded).not.toBe(megaScriptSource());
    await expect(runMegaScript(unguarded, scenario({ typings: 'older', timeoutMs: 1_000 }))).rejects.toThrow(/SetResult is not a function|did not hand back/);
  });
});
