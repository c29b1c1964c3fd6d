import { describe, expect, it, vi } from 'vitest';
import type { CheckResult } from '../../shared/contract';
import type { Cfg } from '../../renderer/src/api/config';
import { dedupeRepeats } from '../../renderer/src/components/checkText';
import en from '../../renderer/src/i18n/en.json';
import itRes from '../../renderer/src/i18n/it.json';
import { gelatoRules } from '../../renderer/src/pages/setup/gelato.rules';
import { infigoRules } from '../../renderer/src/pages/setup/infigo.rules';
import { isDirty, ownerOf, planSave, rebase } from '../../renderer/src/pages/setup/plan';
import { compactGcl, rowErrors, rowsToMethods, scriptConfigsPerStore, shippingRules } from '../../renderer/src/pages/setup/shipping.rules';
import { statusUpdatesRules, triggerText } from '../../renderer/src/pages/setup/statusUpdates.rules';
import { coalescer, nextAction } from '../../renderer/src/setup/checklist';
import { failureReasons, fingerprint, verdict } from '../../renderer/src/setup/connection';
import { issuesToErrors, problemToError } from '../../renderer/src/setup/fieldErrors';
import { addressNeededFor, addressReach, unreachable } from '../../renderer/src/setup/address';
import { olderOrderWarnings } from '../../renderer/src/orders/older';
import { landingPage } from '../../renderer/src/router';
import { ACTIVATE_STEP, firstNotDone, normaliseDone, setDone, STEP_COUNT, STEPS, withActivation } from '../../renderer/src/setup/steps';

// The wizard's rules without a browser: what each step validates, when the configuration is
// saved, where the wizard opens, how check messages are shown.

const store = (p: Partial<NonNullable<Cfg['stores']>[number]> = {}) => ({
  id: 'acme',
  name: 'Acme',
  infigo: { baseUrl: 'https://acme.infigo.net', apiToken: 'tok' },
  gelatoCustomerReferenceId: '',
  ...p,
});
const endpoints = {
  submitOrder: 'https://api.gelato.example/order',
  getOrder: 'https://api.gelato.example/order',
  searchOrders: 'https://api.gelato.example/order/search',
  cancelOrder: 'https://api.gelato.example/order',
  updateShipment: 'https://api.gelato.example/order',
};

function lookup(res: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined), res);
}

describe('setup progress: one list of steps done', () => {
  it('opens on the first step not done, whatever step was visited last', () => {
    expect(firstNotDone([])).toBe(1);
    expect(firstNotDone([1, 2, 3])).toBe(4);
    expect(firstNotDone([1, 2, 4, 5, 6])).toBe(3);
    expect(firstNotDone([1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(STEP_COUNT);
  });

  it('marking one step done or not done leaves every other step as it was', () => {
    expect(setDone([1, 2, 3, 4], 2, false)).toEqual([1, 3, 4]);
    expect(setDone([1, 3], 2, true)).toEqual([1, 2, 3]);
    expect(setDone([1, 2], 2, true)).toEqual([1, 2]);
  });

  it('test orders come after Activate: nothing is imported before activation', () => {
    expect(STEPS.indexOf('activate')).toBeLessThan(STEPS.indexOf('testOrders'));
    expect([ACTIVATE_STEP, STEP_COUNT]).toEqual([8, 9]);
  });

  it('"Activate" is done exactly when the engine is live, whatever the stored list says', () => {
    expect(withActivation([1, 2, 3], true)).toEqual([1, 2, 3, 8]);
    expect(withActivation([1, 2, 3, 8, 9], false)).toEqual([1, 2, 3, 9]);
    expect(withActivation([1, 2, 8], null)).toEqual([1, 2, 8]);
    // Steps 1–7 done, not live: the wizard opens on Activate.
    expect(firstNotDone(withActivation([1, 2, 3, 4, 5, 6, 7], false))).toBe(8);
  });

  it('the app lands on the wizard until it is set up and live, then on the dashboard', () => {
    expect(landingPage(false, false)).toBe('setup');
    expect(landingPage(true, false)).toBe('setup');
    expect(landingPage(true, true)).toBe('dashboard');
  });

  it('cleans up what the engine stored (duplicates, unknown steps)', () => {
    expect(normaliseDone([3, 1, 3, 0, 12, 2.5, 2])).toEqual([1, 2, 3]);
    expect(normaliseDone(undefined)).toEqual([]);
  });
});

describe('each step validates only its own fields', () => {
  it('step 2 accepts a store without its GelatoConnect customer (asked in step 3)', () => {
    expect(infigoRules.validate({ stores: [store()] })).toEqual({});
    expect(gelatoRules.validate({ stores: [store()], gelato: { apiKey: 'k:s', endpoints } })).toEqual({
      'stores[0].gelatoCustomerReferenceId': { key: 'setup.errors.customerRequired' },
    });
  });

  it('step 2 names each missing field of each store in plain words', () => {
    const errs = infigoRules.validate({ stores: [store(), store({ id: 'Bad Id!', name: '', infigo: { baseUrl: 'acme.infigo.net', apiToken: '' } })] });
    expect(errs).toEqual({
      'stores[1].name': { key: 'setup.errors.storeNameRequired' },
      'stores[1].id': { key: 'setup.errors.storeIdInvalid' },
      'stores[1].infigo.baseUrl': { key: 'setup.errors.baseUrlInvalid' },
      'stores[1].infigo.apiToken': { key: 'setup.errors.tokenRequired' },
    });
    expect(infigoRules.validate({ stores: [store(), store({ name: 'Other' })] })).toEqual({ 'stores[1].id': { key: 'setup.errors.storeIdDuplicate', values: { id: 'acme' } } });
    expect(infigoRules.validate({ stores: [] })).toEqual({ stores: { key: 'setup.errors.storesRequired' } });
  });

  it('every message a step can show exists in English and Italian, and none is schema text', () => {
    const errs = {
      ...infigoRules.validate({ stores: [store({ id: '', name: '', infigo: { baseUrl: '', apiToken: '' } })] }),
      ...gelatoRules.validate({ stores: [store()], gelato: { apiKey: '', endpoints: { ...endpoints, getOrder: 'not a url', searchOrders: '' } } }),
      ...statusUpdatesRules.validate({ statusUpdates: { mode: 'postback', pollMinutes: 0 } }),
    };
    expect(Object.keys(errs).length).toBeGreaterThanOrEqual(8);
    for (const e of Object.values(errs)) {
      for (const res of [en, itRes]) {
        const text = lookup(res, e.key);
        expect(typeof text, e.key).toBe('string');
        expect(String(text)).not.toMatch(/Too small|expected string|Invalid input|stores\[/);
      }
    }
  });

  it('a missing address is reported as missing, not also as "not a URL"', () => {
    const errs = gelatoRules.validate({ gelato: { apiKey: 'k:s', endpoints: { ...endpoints, cancelOrder: '' } } });
    expect(errs).toEqual({ 'gelato.endpoints.cancelOrder': { key: 'setup.errors.endpointRequired' } });
  });

  it('postbacks need the public address; polling does not', () => {
    const s3: Cfg['files'] = { delivery: { kind: 's3', bucket: 'prints', accessKeyId: 'AK', secretAccessKey: 'SK' } };
    expect(statusUpdatesRules.validate({ files: s3, statusUpdates: { mode: 'postback' } })).toEqual({ 'server.publicBaseUrl': { key: 'setup.errors.publicBaseUrlForPostbacks' } });
    expect(statusUpdatesRules.validate({ files: s3, statusUpdates: { mode: 'polling' } })).toEqual({});
  });

  it('print files need a way to GelatoConnect: the public address for signed links, or a complete bucket', () => {
    // Nothing chosen means signed links, which need the address.
    expect(statusUpdatesRules.validate({})).toEqual({ 'server.publicBaseUrl': { key: 'setup.errors.publicBaseUrlForFiles' } });
    expect(statusUpdatesRules.validate({ server: { publicBaseUrl: 'https://pl.example.com' } })).toEqual({});
    // A signed-URL delivery saved with its own address counts as the public address.
    expect(statusUpdatesRules.validate({ files: { delivery: { kind: 'signed-url', publicBaseUrl: 'https://pl.example.com' } } })).toEqual({});
    expect(statusUpdatesRules.validate({ files: { delivery: { kind: 's3', bucket: '', accessKeyId: '', secretAccessKey: '' } } })).toEqual({
      'files.delivery.bucket': { key: 'setup.errors.bucketRequired' },
      'files.delivery.accessKeyId': { key: 'setup.errors.s3KeyRequired' },
      'files.delivery.secretAccessKey': { key: 'setup.errors.s3KeyRequired' },
    });
    expect(statusUpdatesRules.validate({ files: { delivery: { kind: 's3', bucket: 'prints', endpoint: 'not a url', accessKeyId: 'a', secretAccessKey: 'b' } } })).toEqual({
      'files.delivery.endpoint': { key: 'setup.errors.s3EndpointInvalid' },
    });
  });

  it("each store's status writer is checked in plain words, next to its own fields", () => {
    const cfg: Cfg = {
      server: { publicBaseUrl: 'https://pl.example.com' },
      stores: [
        store({ infigo: { baseUrl: 'https://acme.infigo.net', apiToken: 't', statusWriter: { kind: 'megascript', url: '' } } }),
        store({ id: 'b', infigo: { baseUrl: 'https://b.infigo.net', apiToken: 't', statusWriter: { kind: 'rest', pathTemplate: 'order/status' } } }),
        store({ id: 'c', infigo: { baseUrl: 'https://c.infigo.net', apiToken: 't', statusWriter: { kind: 'none' } } }),
      ],
    };
    expect(statusUpdatesRules.validate(cfg)).toEqual({
      'stores[0].infigo.statusWriter.url': { key: 'setup.errors.writerUrlRequired' },
      'stores[1].infigo.statusWriter.pathTemplate': { key: 'setup.errors.writerPathInvalid' },
    });
  });

  it('the status step writes its own parts only: the address into the signed links, each writer into its store', () => {
    const saved: Cfg = { stores: [store({ name: 'Kept', gelatoCustomerReferenceId: 'cust' })], files: { maxFileSizeMB: 10 } };
    const draft: Cfg = {
      ...saved,
      server: { publicBaseUrl: 'https://pl.example.com' },
      stores: [store({ name: 'Renamed elsewhere', infigo: { baseUrl: 'https://acme.infigo.net', apiToken: 'tok', statusWriter: { kind: 'megascript', url: 'https://acme.infigo.net/ms/1' } } })],
    };
    const out = statusUpdatesRules.put(saved, statusUpdatesRules.pick(draft));
    expect(out.files).toEqual({ maxFileSizeMB: 10, delivery: { kind: 'signed-url', publicBaseUrl: 'https://pl.example.com' } });
    expect(out.stores?.[0]).toMatchObject({ name: 'Kept', gelatoCustomerReferenceId: 'cust', infigo: { statusWriter: { kind: 'megascript', url: 'https://acme.infigo.net/ms/1' } } });
    // A config without a writer is "not chosen", not a change.
    expect(isDirty('statusUpdates', { ...saved, stores: [store({ infigo: { baseUrl: 'https://acme.infigo.net', apiToken: 'tok', statusWriter: { kind: 'none' } } })] }, saved)).toBe(false);
  });

  it('the chosen address and bucket are tested before the step counts as done', () => {
    const bucket = { kind: 's3' as const, bucket: 'prints', accessKeyId: 'a', secretAccessKey: 'b' };
    expect(statusUpdatesRules.connections!({ server: { publicBaseUrl: 'https://pl.example.com' } }).map((c) => [c.call, c.input])).toEqual([['setup.checkDelivery', { publicBaseUrl: 'https://pl.example.com' }]]);
    // A bucket and polling need no address: only the bucket is tested.
    expect(statusUpdatesRules.connections!({ files: { delivery: bucket } }).map((c) => c.id)).toEqual(['bucket']);
    // ... unless postbacks or checkout quotes use it.
    expect(statusUpdatesRules.connections!({ files: { delivery: bucket }, server: { publicBaseUrl: 'https://pl.example.com' }, statusUpdates: { mode: 'postback' } }).map((c) => c.id)).toEqual(['bucket', 'address']);
  });

  it('checkout prices from GelatoConnect Logistics ask for its key; the rate table does not', () => {
    expect(shippingRules.validate({ shippingQuotes: { enabled: true, source: 'rate-table' } })).toEqual({});
    expect(shippingRules.validate({ shippingQuotes: { enabled: true, source: 'gelato' } })).toEqual({ 'shippingQuotes.gcl.apiKey': { key: 'setup.errors.gclKeyRequired' } });
    expect(shippingRules.validate({ shippingQuotes: { enabled: true, source: 'gelato', gcl: { apiKey: 'k', sender: { addressLine1: '1 Lane', city: 'Crawley', postcode: 'RH10', country: 'uk' } } } })).toEqual({
      'shippingQuotes.gcl.sender.country': { key: 'setup.errors.countryInvalid' },
    });
    // Empty optional fields are left out, an empty sender is no sender.
    expect(compactGcl({ apiKey: 'k', baseUrl: '', sender: { addressLine1: '', city: '', postcode: '', country: '' } })).toEqual({ apiKey: 'k' });
    expect(rowErrors([['First Class', '']], 'shippingQuotes.gcl.row', 'setup.errors.gclMethodRequired')).toEqual({
      'shippingQuotes.gcl.row[0].gelato': { key: 'setup.errors.gclMethodRequired', values: { name: 'First Class' } },
    });
  });

  it('half-filled and repeated shipping rows are errors; complete rows become the mapping', () => {
    const rows: [string, string][] = [
      ['First Class', 'normal'],
      ['Express', ''],
      ['', 'pallet'],
      ['first class', 'express'],
      ['', ''],
    ];
    expect(rowErrors(rows)).toEqual({
      'shipping.row[1].gelato': { key: 'setup.errors.methodTargetRequired', values: { name: 'Express' } },
      'shipping.row[2].infigo': { key: 'setup.errors.methodNameRequired' },
      'shipping.row[3].infigo': { key: 'setup.errors.methodTwice', values: { name: 'first class' } },
    });
    expect(rowsToMethods(rows)).toEqual({ 'First Class': 'normal', 'first class': 'express' });
  });

  it('engine problems get translated messages where the engine words them for people', () => {
    expect(problemToError({ path: 'gelato.apiKey', message: 'this secret is not in the secret store; enter the value again', msg: { key: 'config.secretNotStored' } })).toEqual({ key: 'setup.errors.secretMissing' });
    expect(problemToError({ path: 'gelato.apiKey', message: 'the environment variable GELATO_KEY is not set', msg: { key: 'config.envNotSet', params: { name: 'GELATO_KEY' } } })).toEqual({ key: 'setup.errors.envMissing', values: { name: 'GELATO_KEY' } });
    expect(problemToError({ path: 'x', message: 'something new' })).toEqual({ key: 'setup.errors.engine', values: { message: 'something new' } });
    expect(issuesToErrors([{ path: ['name'], message: 'Too small' }], { name: '' }, ['stores', 3])).toEqual({ 'stores[3].name': { key: 'setup.errors.storeNameRequired' } });
  });
});

describe('saving: the config is saved once complete, onto the latest saved config', () => {
  const empty: Cfg = {};

  it('step 2 of a new install waits for step 3 instead of failing on the customer', () => {
    const draft: Cfg = { stores: [store()] };
    expect(planSave(empty, draft, 'infigo', [])).toEqual({ kind: 'wait', waitingFor: ['gelato'] });
    const full: Cfg = { stores: [store({ gelatoCustomerReferenceId: 'acme-ltd' })], gelato: { apiKey: 'k:s', endpoints } };
    const plan = planSave(empty, full, 'gelato', ['infigo']);
    expect(plan.kind).toBe('save');
    if (plan.kind === 'save') {
      expect(plan.steps).toEqual(['infigo', 'gelato']);
      expect(plan.config.stores?.[0]).toMatchObject({ id: 'acme', gelatoCustomerReferenceId: 'acme-ltd', infigo: { baseUrl: 'https://acme.infigo.net' } });
    }
  });

  it('a problem in the current or an earlier step blocks the save and is attributed to its step', () => {
    const draft: Cfg = { stores: [store({ gelatoCustomerReferenceId: 'c' })], gelato: { apiKey: 'k:s', endpoints: { ...endpoints, submitOrder: 'nope' } } };
    expect(planSave(empty, draft, 'gelato', [])).toEqual({ kind: 'blocked', errors: { gelato: { 'gelato.endpoints.submitOrder': { key: 'setup.errors.endpointInvalid' } } } });
  });

  it('writes only the steps being saved: what was saved elsewhere meanwhile is kept', () => {
    const latest: Cfg = { stores: [store({ gelatoCustomerReferenceId: 'c' })], gelato: { apiKey: 'secret:gelato.apiKey', endpoints }, products: [{ sku: 'NEW', productUid: 'x_y' }] };
    const staleDraft: Cfg = { ...latest, products: [], shipping: { methods: { Express: 'express' } } };
    const plan = planSave(latest, staleDraft, 'shipping', []);
    expect(plan.kind).toBe('save');
    if (plan.kind === 'save') {
      expect(plan.config.products).toEqual([{ sku: 'NEW', productUid: 'x_y' }]);
      expect(plan.config.shipping?.methods).toEqual({ Express: 'express' });
    }
  });

  it('unsaved changes are the step part differing from the reference, not key order or defaults left undefined', () => {
    const saved: Cfg = { shipping: { methods: { A: 'normal' } }, shippingQuotes: { enabled: false } };
    expect(isDirty('shipping', { shippingQuotes: { enabled: false }, shipping: { methods: { A: 'normal' }, default: undefined } }, saved)).toBe(false);
    expect(isDirty('shipping', { ...saved, shipping: { methods: { A: 'express' } } }, saved)).toBe(true);
    expect(isDirty('infigo', saved, saved)).toBe(false);
    // The blank store step 2 adds to a new install is not a change to ask about.
    expect(isDirty('infigo', { stores: [{ id: '', name: '', infigo: { baseUrl: '', apiToken: '' }, gelatoCustomerReferenceId: '' }] }, {})).toBe(false);
    expect(isDirty('infigo', { stores: [store()] }, {})).toBe(true);
  });

  it('each config path belongs to the step that edits it', () => {
    expect(ownerOf('stores[0].infigo.apiToken')).toBe('infigo');
    expect(ownerOf('stores[1].gelatoCustomerReferenceId')).toBe('gelato');
    expect(ownerOf('gelato.endpoints.getOrder')).toBe('gelato');
    expect(ownerOf('statusUpdates.pollMinutes')).toBe('statusUpdates');
    expect(ownerOf('shippingQuotes.enabled')).toBe('shipping');
    expect(ownerOf('files.delivery.publicBaseUrl')).toBe('statusUpdates');
    expect(ownerOf('stores[1].infigo.statusWriter.url')).toBe('statusUpdates');
    expect(ownerOf('stores[1].infigo.baseUrl')).toBe('infigo');
    expect(ownerOf('shippingQuotes.gcl.sender.country')).toBe('shipping');
    expect(ownerOf('sync.intervalMinutes')).toBeNull();
  });

  it('discarding a step puts back only that step', () => {
    const saved: Cfg = { stores: [store({ gelatoCustomerReferenceId: 'c' })] };
    const edited: Cfg = { stores: [store({ name: 'Renamed', gelatoCustomerReferenceId: 'changed' })] };
    const back = rebase(edited, saved, ['infigo']);
    expect(back.stores?.[0]).toMatchObject({ name: 'Acme', gelatoCustomerReferenceId: 'changed' });
  });
});

describe('connection checks', () => {
  const pass = (id: string): CheckResult => ({ id, ok: true, status: 'pass', title: id, message: 'fine' });
  const fail = (id: string, message: string): CheckResult => ({ id, ok: false, status: 'fail', title: 'Store reachable', message, fix: 'fix it' });

  it('results belong to exact inputs, whatever the key order', () => {
    const a = fingerprint({ call: 'setup.checkInfigo', input: { baseUrl: 'https://a', apiToken: 't' } });
    expect(fingerprint({ call: 'setup.checkInfigo', input: { apiToken: 't', baseUrl: 'https://a' } })).toBe(a);
    expect(fingerprint({ call: 'setup.checkInfigo', input: { apiToken: 't2', baseUrl: 'https://a' } })).not.toBe(a);
  });

  it('a warning or a skipped line passes; a failed line or a failed call does not', () => {
    expect(verdict(undefined)).toBe('unchecked');
    expect(verdict({ state: 'running' })).toBe('running');
    expect(verdict({ state: 'done', results: [pass('a'), { ...pass('b'), status: 'warn' }, { ...pass('c'), status: 'skip' }] })).toBe('pass');
    expect(verdict({ state: 'done', results: [pass('a'), fail('b', 'no')] })).toBe('fail');
    expect(verdict({ state: 'error', message: 'The address changed' })).toBe('fail');
    expect(failureReasons({ state: 'done', results: [pass('a'), fail('b', 'Cannot reach x')] })).toEqual(['Store reachable: Cannot reach x']);
  });

  it('a part of a message that repeats the one before it is shown once', () => {
    expect(dedupeRepeats("Cannot reach 127.0.0.1:1: Cannot reach 127.0.0.1:1: check the store's base URL (BAD_PORT)")).toBe("Cannot reach 127.0.0.1:1: check the store's base URL (BAD_PORT)");
    expect(dedupeRepeats('Cannot reach GelatoConnect at 127.0.0.1:1: Cannot reach 127.0.0.1:1: check the GelatoConnect endpoint URLs')).toBe(
      'Cannot reach GelatoConnect at 127.0.0.1:1: check the GelatoConnect endpoint URLs',
    );
    // Different sentences stay as they are.
    const held = 'No test order has reached GelatoConnect yet. Held: order 12 (acme): SKU X is not mapped';
    expect(dedupeRepeats(held)).toBe(held);
    expect(dedupeRepeats('Cannot reach acme.example: the name does not resolve (ENOTFOUND).')).toBe('Cannot reach acme.example: the name does not resolve (ENOTFOUND).');
  });
});

describe('shipping and status updates: what is copied', () => {
  it('every store gets its own MegaScript configuration', () => {
    const stores = [
      { id: 'acme', name: 'Acme', infigo: { baseUrl: 'https://acme.infigo.net' } },
      { id: 'bella', name: 'Bella', infigo: { baseUrl: 'https://bella.infigo.net' } },
    ];
    const config = JSON.stringify({ url: 'https://pl.example/quote', currency: 'GBP', token: 't', weightUnitGrams: 1000, storefront: 'https://acme.infigo.net' });
    const per = scriptConfigsPerStore({ config }, stores);
    expect(per.map((p) => p.storeId)).toEqual(['acme', 'bella']);
    expect(JSON.parse(per[1]!.config)).toEqual({ url: 'https://pl.example/quote', currency: 'GBP', token: 't', weightUnitGrams: 1000, storefront: 'https://bella.infigo.net' });
    // When the engine answers per store, that answer is used as it is.
    expect(scriptConfigsPerStore({ config, perStore: [{ storeId: 'bella', config: '{"x":1}' }] }, stores)).toEqual([{ storeId: 'bella', name: 'Bella', config: '{"x":1}' }]);
  });

  it('a whole trigger copies as labelled text with every field', () => {
    const text = triggerText(
      { event: 'order_status_updated', name: 'Order status updated', url: 'https://pl.example/postback', method: 'POST', format: 'json', headers: { 'X-Presslink-Secret': 's3' }, template: '{"a":1}' },
      (k) => k.split('.').pop()!,
    );
    expect(text).toBe(
      ['triggerName: Order status updated', 'triggerEvent: order_status_updated', 'method: POST', 'URL: https://pl.example/postback', 'format: json', 'headers:', 'X-Presslink-Secret: s3', 'template:', '{"a":1}'].join('\n'),
    );
  });
});

describe('checklist: the next thing to do', () => {
  const r = (id: string, status: CheckResult['status']): CheckResult => ({ id, ok: status !== 'fail', status, title: id, message: id });

  it('a real store not activated yet is activated first: its test orders could not flow before', () => {
    expect(nextAction([r('test-orders-placed', 'fail')], false)).toEqual({ kind: 'activate' });
    expect(nextAction(null, false)).toEqual({ kind: 'activate' });
    expect(nextAction([r('test-orders-placed', 'fail')], true)).toEqual({ kind: 'place' });
  });

  it('places test orders first, then the first point still open, then done', () => {
    expect(nextAction(null)).toEqual({ kind: 'loading' });
    expect(nextAction([r('test-orders-placed', 'fail'), r('order-appears', 'fail')])).toEqual({ kind: 'place' });
    expect(nextAction([r('test-orders-placed', 'pass'), r('order-appears', 'pass'), r('files-transferred', 'skip'), r('mixed-orders', 'fail')])).toMatchObject({ kind: 'fix', result: { id: 'files-transferred' } });
    expect(nextAction([r('test-orders-placed', 'pass'), r('order-appears', 'waived'), r('checkout-shipping', 'warn')])).toEqual({ kind: 'done' });
  });

  it('folds a burst of order events into one run, and runs once more for events during a run', async () => {
    vi.useFakeTimers();
    try {
      let runs = 0;
      let release: () => void = () => undefined;
      const c = coalescer(
        () =>
          new Promise<void>((res) => {
            runs++;
            release = res;
          }),
        1000,
      );
      for (let i = 0; i < 30; i++) c.poke();
      await vi.advanceTimersByTimeAsync(1000);
      expect(runs).toBe(1);
      c.poke();
      c.poke();
      release();
      await vi.advanceTimersByTimeAsync(1000);
      expect(runs).toBe(2);
      release();
      await vi.advanceTimersByTimeAsync(5000);
      expect(runs).toBe(2);
      c.stop();
      c.poke();
      await vi.advanceTimersByTimeAsync(5000);
      expect(runs).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the public address, judged before any test', () => {
  it('names the addresses GelatoConnect and Infigo cannot reach', () => {
    expect(addressReach('')).toBe('empty');
    expect(addressReach('http://127.0.0.1:4780')).toBe('loopback');
    expect(addressReach('http://localhost:4780')).toBe('loopback');
    expect(addressReach('https://192.168.1.20:4780')).toBe('private');
    expect(addressReach('http://10.0.0.5')).toBe('private');
    expect(addressReach('http://prepress-pc:4780')).toBe('private');
    expect(addressReach('not a url')).toBe('invalid');
    expect(addressReach('http://presslink.example.com')).toBe('http');
    expect(addressReach('https://presslink.example.com')).toBe('ok');
    expect(['empty', 'loopback', 'private', 'invalid'].every((r) => unreachable(r as never))).toBe(true);
    expect(unreachable('http')).toBe(false);
  });

  it('says what needs the address: signed file links, postbacks, checkout prices', () => {
    expect(addressNeededFor({})).toEqual(['files']);
    expect(addressNeededFor({ files: { delivery: { kind: 's3', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's' } } })).toEqual([]);
    expect(addressNeededFor({ statusUpdates: { mode: 'postback' }, shippingQuotes: { enabled: true } })).toEqual(['files', 'postbacks', 'checkout']);
  });
});

describe('sending older orders: what to know first', () => {
  const base = { id: 1, storeId: 'acme', infigoOrderId: 100, customerName: null, lines: 1, notes: [] };
  it('warns about cancelled, completed and shipped orders, and says why one cannot go', () => {
    expect(olderOrderWarnings({ ...base, state: 'before_go_live', placedAt: '2026-01-01T00:00:00Z', orderStatus: 'Cancelled', shippingStatus: null, willSend: false })).toEqual([{ key: 'cancelled' }]);
    expect(olderOrderWarnings({ ...base, state: 'before_go_live', placedAt: '2026-01-01T00:00:00Z', orderStatus: 'Complete', shippingStatus: 'Shipped', willSend: true })).toEqual([{ key: 'complete' }]);
    expect(olderOrderWarnings({ ...base, state: 'before_go_live', placedAt: '2026-01-01T00:00:00Z', orderStatus: 'Processing', shippingStatus: 'Delivered', willSend: true })).toEqual([{ key: 'shipped', values: { status: 'Delivered' } }]);
    expect(olderOrderWarnings({ ...base, state: 'before_go_live', placedAt: null, orderStatus: null, shippingStatus: null, willSend: true })).toEqual([{ key: 'unreadable' }]);
    expect(olderOrderWarnings({ ...base, state: 'submitted', placedAt: null, orderStatus: null, shippingStatus: null, willSend: false })).toEqual([{ key: 'notSendable' }]);
    expect(olderOrderWarnings({ ...base, state: 'needs_attention', placedAt: null, orderStatus: null, shippingStatus: null, willSend: false })).toEqual([{ key: 'notSendable' }]);
    expect(olderOrderWarnings({ ...base, state: 'before_go_live', placedAt: '2026-01-01T00:00:00Z', orderStatus: 'Processing', shippingStatus: 'NotYetShipped', willSend: true })).toEqual([]);
  });

  it('every warning, older-orders text and status-writer choice has words in both languages', () => {
    for (const res of [en, itRes]) {
      for (const k of ['notSendable', 'cancelled', 'complete', 'shipped', 'unreadable']) expect(lookup(res, `older.warn.${k}`), k).toEqual(expect.any(String));
      for (const kind of ['megascript', 'rest', 'none']) for (const f of ['title', 'summary', 'when']) expect(lookup(res, `setup.writer.kind.${kind}.${f}`)).toEqual(expect.any(String));
      for (const r of ['empty', 'loopback', 'private']) expect([lookup(res, `setup.delivery.reach.${r}`), lookup(res, `setup.delivery.reach.${r}Title`)]).toEqual([expect.any(String), expect.any(String)]);
      for (const r of ['save', 'import', 'restore']) expect(lookup(res, `settings.backups.reason.${r}`)).toEqual(expect.any(String));
    }
  });
});
