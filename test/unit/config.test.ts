import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config';
import { ConfigStore } from '../../electron/core/config/store';
import { FileSecretStore } from '../../electron/core/secrets/file-store';
import { tempDir } from '../helpers/tmp';

const TOKEN = 'infigo-token-5f1d2c9a7e';
const KEY = 'gck_live_9x8y7z:sekret-77aa';

export function validConfig(overrides: Record<string, unknown> = {}) {
  return {
    stores: [
      { id: 'acme', name: 'Acme storefront', infigo: { baseUrl: 'https://acme.infigo.net', apiToken: TOKEN }, gelatoCustomerReferenceId: 'acme-ltd' },
    ],
    gelato: {
      apiKey: KEY,
      endpoints: {
        submitOrder: 'https://api.partner-connect.io/api/psp/order',
        getOrder: 'https://api.partner-connect.io/api/psp/order',
        searchOrders: 'https://api.partner-connect.io/api/psp/order/search',
        cancelOrder: 'https://api.partner-connect.io/api/psp/order',
        updateShipment: 'https://api.partner-connect.io/api/psp/order/shipment',
      },
    },
    products: [{ sku: 'BC-85x55-400', productUid: 'flat_product_pf_a4' }],
    ...overrides,
  };
}

let t: ReturnType<typeof tempDir>;
let store: ConfigStore;
let secrets: FileSecretStore;
beforeEach(() => {
  t = tempDir();
  secrets = new FileSecretStore(path.join(t.dir, 'secrets.json'));
  store = new ConfigStore(path.join(t.dir, 'config.json'), secrets, { ACME_TOKEN: 'from-env-token-123' });
});
afterEach(() => t.cleanup());

describe('config validation', () => {
  it('lists every problem by path, not just the first', () => {
    const r = parseConfig({
      stores: [{ id: 'Bad Id!', name: '', infigo: { baseUrl: 'acme.infigo.net', apiToken: '' } }],
      gelato: { apiKey: 'k:s', endpoints: { submitOrder: 'nope' } },
      sync: { intervalMinutes: 0 },
      products: [{ sku: 'A', productUid: 'x' }, { sku: 'a', productUid: 'y' }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'stores[0].id',
        'stores[0].name',
        'stores[0].infigo.baseUrl',
        'stores[0].infigo.apiToken',
        'stores[0].gelatoCustomerReferenceId',
        'gelato.endpoints.submitOrder',
        'gelato.endpoints.getOrder',
        'sync.intervalMinutes',
      ]),
    );
    expect(r.problems.find((p) => p.path === 'stores[0].infigo.baseUrl')?.message).toMatch(/full URL/);
  });

  it('reports a SKU mapped twice', () => {
    const r = parseConfig(validConfig({ products: [{ sku: 'A', productUid: 'x' }, { sku: 'a', productUid: 'y' }] }));
    expect(r.ok).toBe(false);
    // The English as before, and the message it comes from (shown in the person's language).
    if (!r.ok) expect(r.problems).toContainEqual({ path: 'products[1].sku', message: 'SKU "a" with these attributes is mapped twice', msg: { key: 'config.skuTwice', params: { sku: 'a' } } });
  });

  it('defaults the sync interval to 15 minutes', () => {
    const r = parseConfig(validConfig());
    expect(r.ok && r.config.sync.intervalMinutes).toBe(15);
  });
});

describe('config store', () => {
  it('keeps the previous config when a new one is invalid', () => {
    expect(store.save(validConfig()).ok).toBe(true);
    const r = store.save(validConfig({ sync: { intervalMinutes: -3 } }));
    expect(r.ok).toBe(false);
    expect(store.get().sync.intervalMinutes).toBe(15);
    const reread = new ConfigStore(path.join(t.dir, 'config.json'), secrets);
    expect(reread.get().stores[0]?.id).toBe('acme');
  });

  it('moves inline secrets into the secret store and writes only references', () => {
    store.save(validConfig());
    const onDisk = fs.readFileSync(path.join(t.dir, 'config.json'), 'utf8');
    expect(onDisk).not.toContain(TOKEN);
    expect(onDisk).not.toContain(KEY);
    expect(store.get().stores[0]?.infigo.apiToken).toBe('secret:stores.acme.infigo.apiToken');
    expect(store.resolveSecret(store.get().stores[0]!.infigo.apiToken)).toBe(TOKEN);
    const mode = fs.statSync(path.join(t.dir, 'secrets.json')).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('accepts env: references and says when the variable is missing', () => {
    const cfg = validConfig();
    cfg.stores[0]!.infigo.apiToken = 'env:ACME_TOKEN';
    expect(store.save(cfg).ok).toBe(true);
    expect(store.resolveSecret('env:ACME_TOKEN')).toBe('from-env-token-123');
    cfg.stores[0]!.infigo.apiToken = 'env:MISSING_VAR';
    const r = store.save(cfg);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toEqual({ path: 'stores.0.infigo.apiToken', message: 'the environment variable MISSING_VAR is not set', msg: { key: 'config.envNotSet', params: { name: 'MISSING_VAR' } } });
  });

  it('exports without secret values unless asked, and then only encrypted', () => {
    store.save(validConfig());
    const plain = store.export();
    expect(plain).not.toContain(TOKEN);
    expect(plain).not.toContain(KEY);
    expect(plain).toContain('secret:stores.acme.infigo.apiToken');

    const withSecrets = store.export({ includeSecrets: true, passphrase: 'correct horse' });
    expect(withSecrets).not.toContain(TOKEN);
    expect(withSecrets).not.toContain(KEY);

    const t2 = tempDir();
    try {
      const other = new ConfigStore(path.join(t2.dir, 'config.json'), new FileSecretStore(path.join(t2.dir, 'secrets.json')));
      const wrong = other.import(withSecrets, 'wrong passphrase');
      expect(wrong.ok).toBe(false);
      expect(other.import(withSecrets, 'correct horse').ok).toBe(true);
      expect(other.resolveSecret(other.get().gelato!.apiKey)).toBe(KEY);
    } finally {
      t2.cleanup();
    }
  });

  it('refuses to export secrets without a passphrase', () => {
    store.save(validConfig());
    expect(() => store.export({ includeSecrets: true })).toThrow(/passphrase/);
  });
});

describe('status mapping', () => {
  it('overrides single statuses: a mapping need not list every GelatoConnect status', () => {
    const r = parseConfig(validConfig({ statusUpdates: { mode: 'polling', mapping: { failed: { hold: true }, shipped: { shippingStatus: 'Dispatched' } } } }));
    expect(r.ok ? [] : r.problems).toEqual([]);
    if (r.ok) expect(Object.keys(r.config.statusUpdates.mapping ?? {}).sort()).toEqual(['failed', 'shipped']);
    const bad = parseConfig(validConfig({ statusUpdates: { mapping: { shiped: { shippingStatus: 'Shipped' } } } }));
    expect(bad.ok).toBe(false);
  });
});

describe('status writer and go-live settings', () => {
  const withWriter = (statusWriter: unknown) => parseConfig(validConfig({ stores: [{ ...validConfig().stores[0], infigo: { ...validConfig().stores[0]!.infigo, statusWriter } }] }));

  it('assumes no way to write status to Infigo: a store without a writer is "not configured yet", never a route only the sandbox answers', () => {
    const r = parseConfig(validConfig());
    expect(r.ok && r.config.stores[0]!.infigo.statusWriter).toEqual({ kind: 'none' });
  });

  it('a REST writer needs its path (with {orderId}); method and every body field name come from the configuration', () => {
    const missing = withWriter({ kind: 'rest' });
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.problems).toEqual([expect.objectContaining({ path: 'stores[0].infigo.statusWriter.pathTemplate', message: expect.stringMatching(/Infigo publishes none.*MegaScript/) })]);
    expect(withWriter({ kind: 'rest', pathTemplate: 'order/status' }).ok).toBe(false);
    const ok = withWriter({ kind: 'rest', pathTemplate: 'order/{orderId}/status', method: 'PATCH', fieldNames: { trackingNumber: 'TrackingCode', lineJobId: 'JobNumber' } });
    expect(ok.ok && ok.config.stores[0]!.infigo.statusWriter).toEqual({ kind: 'rest', pathTemplate: 'order/{orderId}/status', method: 'PATCH', fieldNames: { trackingNumber: 'TrackingCode', lineJobId: 'JobNumber' } });
    const typo = withWriter({ kind: 'rest', pathTemplate: 'order/{orderId}/status', fieldNames: { tracking: 'X' } });
    expect(typo.ok).toBe(false);
  });

  it('skips orders already complete, shipped or delivered in Infigo by default (nopCommerce status names)', () => {
    const r = parseConfig(validConfig());
    expect(r.ok && [r.config.sync.skipOrderStatuses, r.config.sync.skipShippingStatuses]).toEqual([['Cancelled', 'Complete'], ['Shipped', 'Delivered']]);
  });
});
