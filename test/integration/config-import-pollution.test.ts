import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealExport } from '../../electron/core/config/export-file';
import { startHarness, type Harness } from '../helpers/harness';

// Issue 13, item 3: an export whose secrets (or configuration) hold a key such as
// "__proto__.hold" must never reach an object path. Before the fix, config.import ran
// setAt(cfg, ['__proto__', 'hold'], …) before anything was checked: Object.prototype.hold was
// set in the running engine, every strict call then failed ("Unrecognized key: hold") and
// every status push was held until a restart. The import is refused, and the engine works on.

const POISON = ['hold', 'polluted', 'pwned'] as const;

/** An export in today's format (1), made the way anyone can make one: the format is public. */
function v1Export(config: unknown, secrets: Record<string, unknown>, passphrase: string): string {
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(12);
  const key = crypto.scryptSync(passphrase, salt, 32);
  const c = crypto.createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([c.update(JSON.stringify(secrets), 'utf8'), c.final()]);
  const blob = { alg: 'aes-256-gcm', kdf: 'scrypt', salt: salt.toString('base64'), iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
  return JSON.stringify({ presslinkExport: 1, config, encryptedSecrets: blob });
}

let h: Harness;
type Row = { id: number; state: string; infigoOrderId: number; orderReferenceId: string };
const rows = async () => ((await h.engine.call('orders.list', { limit: 1000 })) as unknown as { rows: Row[] }).rows;

beforeAll(async () => {
  h = await startHarness({ ordersPerStore: 4, seed: 7, progression: 'manual' });
  await h.configure((cfg) => {
    cfg.statusUpdates = { mode: 'polling' };
  });
  await h.sync();
}, 60_000);

afterAll(async () => {
  // Never leave a polluted prototype behind for the next test file in this worker.
  for (const k of POISON) delete (Object.prototype as Record<string, unknown>)[k];
  await h?.close();
});

describe('config.import never lets __proto__, constructor or prototype reach an object path', () => {
  it('refuses an export whose encrypted secrets name __proto__, and the engine keeps working', async () => {
    const { config } = await h.engine.call('config.get', {});
    const before = JSON.stringify(config);
    const passphrase = 'a passphrase the sender chose';
    const poisoned: Record<string, string>[] = [{ '__proto__.hold': 'yes' }, { 'constructor.prototype.polluted': 'yes' }, { 'stores.0.__proto__.pwned': 'yes' }];
    for (const secrets of poisoned) {
      // Today's format is sealed, but by a passphrase the sender chose: the seal proves nothing about the content.
      for (const json of [v1Export(config, secrets, passphrase), JSON.stringify(sealExport(config, secrets, passphrase, 'test'))]) {
        const r = await h.engine.call('config.import', { json, passphrase, acceptFormat1: true });
        expect(r.ok).toBe(false);
        expect(r.problems.map((p) => p.message).join(' ')).toMatch(/__proto__|constructor|prototype/);
      }
    }
    for (const k of POISON) expect(k in {}, `Object.prototype.${k} was set`).toBe(false);
    expect(JSON.stringify((await h.engine.call('config.get', {})).config)).toBe(before);

    // Strict calls still pass, and a status change still reaches Infigo (nothing is held).
    const submitted = (await rows()).filter((o) => o.state === 'submitted');
    expect(submitted.length).toBeGreaterThan(0);
    const o = submitted[0]!;
    await h.sandbox.gelato.waitForFilesSettled(o.orderReferenceId);
    await h.sandbox.gelato.advance(o.orderReferenceId, 'in_production');
    await h.sync();
    const d = (await h.engine.call('orders.get', { id: o.id })) as unknown as { state: string };
    expect(d.state).toBe('in_production');
    expect(h.sandbox.infigo.order('acme', o.infigoOrderId)!.detail.OrderStatus).toBe('Processing');
  }, 60_000);

  it('refuses a plain configuration or an export whose configuration holds such a key, naming its path', async () => {
    const { config } = await h.engine.call('config.get', {});
    const passphrase = 'a passphrase the sender chose';
    const plain = JSON.stringify(config).replace('"sync":{', '"sync":{"__proto__":{"hold":"yes"},');
    expect(plain).toContain('__proto__');
    const cases = [
      plain,
      v1Export(JSON.parse(plain), {}, passphrase),
      JSON.stringify(sealExport(JSON.parse(plain), {}, passphrase, 'test')),
      JSON.stringify(config).replace('"shipping":{', '"shipping":{"constructor":{"prototype":{"pwned":1}},'),
    ];
    for (const json of cases) {
      const r = await h.engine.call('config.import', { json, passphrase, acceptFormat1: true });
      expect(r.ok).toBe(false);
      expect(r.problems.some((p) => /^(sync\.__proto__|shipping\.constructor)$/.test(p.path))).toBe(true);
    }
    for (const k of POISON) expect(k in {}).toBe(false);
  });
});
