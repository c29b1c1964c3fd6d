import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type ConfigProblem } from '../../shared/config';
import { ConfigStore } from '../../electron/core/config/store';
import { FileSecretStore } from '../../electron/core/secrets/file-store';
import { SANDBOX_PRODUCT_MAPPINGS, SANDBOX_SHIPPING, SANDBOX_STATUS_PATH } from '../../electron/sandbox/index';
import { tempDir } from '../helpers/tmp';
import { validConfig } from '../helpers/config';

// Issue 13, item 6: an import of unknown keys was accepted and, since zod dropped what it did
// not know, put stores, the GelatoConnect connection and the mappings back to their defaults.
// Unknown or misspelled keys are now refused at every level, with their paths and a hint.

const problems = (input: unknown): ConfigProblem[] => {
  const r = parseConfig(input);
  return r.ok ? [] : r.problems;
};
const byPath = (ps: ConfigProblem[]) => Object.fromEntries(ps.map((p) => [p.path, p.message]));

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('unknown keys in a configuration', () => {
  it('refuses the issue’s file, names every unknown key, and keeps the stores, connection and mappings', () => {
    const store = new ConfigStore(path.join(t.dir, 'config.json'), new FileSecretStore(path.join(t.dir, 'secrets.json')));
    expect(store.save(validConfig()).ok).toBe(true);
    const before = store.get();
    const r = store.import(JSON.stringify({ statusUpdate: { mode: 'postback' }, bogusTopLevel: {}, sync: { unknownKey: true } }));
    expect(r.ok).toBe(false);
    const m = byPath(r.ok ? [] : r.problems);
    expect(Object.keys(m).sort()).toEqual(['bogusTopLevel', 'statusUpdate', 'sync.unknownKey']);
    expect(m.statusUpdate).toMatch(/did you mean "statusUpdates"\?/);
    expect(m.bogusTopLevel).toMatch(/unknown setting/);
    expect(store.get()).toEqual(before);
    expect(store.get().stores.map((s) => s.id)).toEqual(['acme']);
    // And from disk too: a new process sees the same configuration.
    expect(new ConfigStore(path.join(t.dir, 'config.json'), new FileSecretStore(path.join(t.dir, 'secrets.json'))).get()).toEqual(before);
  });

  it('finds misspellings deep in the tree, in lists and in either kind of product row or file delivery', () => {
    const cfg = validConfig({
      products: [{ sku: 'A', productUID: 'flat_a4' }],
      files: { delivery: { kind: 'signed-url', publicBaseURL: 'https://x.example' } },
      statusUpdates: { mapping: { shiped: { shippingStatus: 'Shipped' } } },
      shippingQuotes: { enabled: true, rateTable: [{ method: 'First', country: 'GB', maxWeightGrams: 10, price: 1, currency: 'GBP' }] },
    });
    (cfg.stores[0]!.infigo as Record<string, unknown>).apiTokn = 'x';
    (cfg.gelato.endpoints as Record<string, unknown>).submitorder = 'https://x.example/o';
    const m = byPath(problems(cfg));
    expect(m['stores[0].infigo.apiTokn']).toMatch(/did you mean "apiToken"\?/);
    expect(m['gelato.endpoints.submitorder']).toMatch(/did you mean "submitOrder"\?/);
    expect(m['products[0].productUID']).toMatch(/did you mean "productUid"\?/);
    expect(m['files.delivery.publicBaseURL']).toMatch(/did you mean "publicBaseUrl"\?/);
    expect(m['shippingQuotes.rateTable[0].currency']).toMatch(/unknown setting/);
    expect(m['statusUpdates.mapping.shiped']).toMatch(/did you mean "shipped"\?/);
  });

  it('still accepts everything Presslink itself writes or documents', () => {
    // The documented example is checked in config-schema-doc.test.ts; these are the others.
    const sandboxLike = {
      stores: [{ id: 'acme', name: 'Acme', infigo: { baseUrl: 'http://127.0.0.1:1', apiToken: 't', statusWriter: { kind: 'rest', pathTemplate: SANDBOX_STATUS_PATH } }, gelatoCustomerReferenceId: 'acme-ltd', currency: 'GBP' }],
      gelato: { apiKey: 'k:s', endpoints: validConfig().gelato.endpoints, customerAgnostic: true },
      products: SANDBOX_PRODUCT_MAPPINGS,
      shipping: SANDBOX_SHIPPING,
      orderTypes: { stockPolicy: 'exclude' },
      files: { delivery: { kind: 'signed-url', publicBaseUrl: 'http://127.0.0.1:4780' } },
    };
    expect(problems(sandboxLike)).toEqual([]);
    // What config.get hands the UI (every default filled in) is saved back as it is.
    const full = parseConfig({ ...validConfig(), $schema: './config.schema.json', statusUpdates: { mode: 'postback', mapping: { failed: { hold: true } } } });
    expect(full.ok).toBe(true);
    if (full.ok) expect(problems(JSON.parse(JSON.stringify(full.config)))).toEqual([]);
    // An export made by this version before the change: {presslinkExport: 1, config, …}, config as stored.
    const s3 = parseConfig(validConfig({ files: { delivery: { kind: 's3', bucket: 'prints', accessKeyId: 'a', secretAccessKey: 'b' } } }));
    expect(s3.ok).toBe(true);
    if (s3.ok) expect(problems(JSON.parse(JSON.stringify(s3.config)))).toEqual([]);
  });
});
