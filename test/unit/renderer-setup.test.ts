import { describe, expect, it, vi } from 'vitest';
import type { CheckResult } from '../../shared/contract';
import type { Cfg } from '../../renderer/src/api/config';
import { dedupeRepeats } from '../../renderer/src/components/checkText';
import en from '../../renderer/src/i18n/en.json';
import itRes from '../../renderer/src/i18n/it.json';
import { gelatoRules } from '../../renderer/src/pages/setup/gelato.rules';
import { infigoRules } from '../../renderer/src/pages/setup/infigo.rules';
import { isDirty, ownerOf, planSave, rebase } from '../../renderer/src/pages/setup/plan';
import { rowErrors, rowsToMethods, scriptConfigsPerStore } from '../../renderer/src/pages/setup/shipping.rules';
import { statusUpdatesRules, triggerText } from '../../renderer/src/pages/setup/statusUpdates.rules';
import { coalescer, nextAction } from '../../renderer/src/setup/checklist';
import { failureReasons, fingerprint, verdict } from '../../renderer/src/setup/connection';
import { issuesToErrors, problemToError } from '../../renderer/src/setup/fieldErrors';
import { firstNotDone, normaliseDone, setDone, STEP_COUNT } from '../../renderer/src/setup/steps';

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
    expect(statusUpdatesRules.validate({ statusUpdates: { mode: 'postback' } })).toEqual({ 'server.publicBaseUrl': { key: 'setup.errors.publicBaseUrlForPostbacks' } });
    expect(statusUpdatesRules.validate({ statusUpdates: { mode: 'polling' } })).toEqual({});
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
    expect(problemToError({ path: 'gelato.apiKey', message: 'this secret is not in the secret store; enter the value again' })).toEqual({ key: 'setup.errors.secretMissing' });
    expect(problemToError({ path: 'gelato.apiKey', message: 'the environment variable GELATO_KEY is not set' })).toEqual({ key: 'setup.errors.envMissing', values: { name: 'GELATO_KEY' } });
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
    expect(ownerOf('files.delivery.publicBaseUrl')).toBeNull();
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
