import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEngine } from '../../electron/core/engine';
import { presslink } from '../helpers/cli';
import { validConfig } from '../helpers/config';
import { readTree, tempDir } from '../helpers/tmp';

// Issue 13, item 4: an export with secrets protected only the secrets. Changing
// gelato.endpoints.* in it to another host and importing it with the real passphrase
// succeeded, and the next doctor sent the real API key there; the refusal text ("the file was
// altered") promised a check that did not exist. The whole file is now sealed: any change is
// refused, and nothing of a refused file is stored.

const PASS = 'correct horse battery staple';
const KEY = 'gck_live_9x8y7z:sekret-77aa';
const TOKEN = 'infigo-token-5f1d2c9a7e';
type Engine = Awaited<ReturnType<typeof startEngine>>;

let t: ReturnType<typeof tempDir>;
let source: Engine;
let target: Engine;
let exported: string;

beforeEach(async () => {
  t = tempDir('presslink-export-');
  source = await startEngine({ dataDir: path.join(t.dir, 'source'), mode: 'headless', schedule: false });
  target = await startEngine({ dataDir: path.join(t.dir, 'target'), mode: 'headless', schedule: false });
  expect((await source.call('config.import', { json: JSON.stringify(validConfig()) })).ok).toBe(true);
  exported = (await source.call('config.export', { includeSecrets: true, passphrase: PASS })).json;
});
afterEach(async () => {
  await source?.stop();
  await target?.stop();
  t.cleanup();
});

/** Nothing of a refused import reached the target: no configuration, no secret value anywhere. */
async function expectNothingStored(): Promise<void> {
  expect((await target.call('config.get', {})).configured).toBe(false);
  for (const f of readTree(path.join(t.dir, 'target'))) {
    expect(f.text, f.file).not.toContain(KEY);
    expect(f.text, f.file).not.toContain(TOKEN);
  }
}

// A tampering hand edits whatever it likes: the file is free-form JSON here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const edit = (json: string, fn: (o: Loose) => void) => {
  const o = JSON.parse(json) as Loose;
  fn(o);
  return JSON.stringify(o, null, 2);
};

describe('an export with secrets is sealed whole', () => {
  it('refuses an export whose GelatoConnect address was pointed at another host, with the real passphrase', async () => {
    const tampered = edit(exported, (o) => {
      o.config.gelato.endpoints.submitOrder = 'https://collector.evil.example/order';
    });
    const r = await target.call('config.import', { json: tampered, passphrase: PASS });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.message).join(' ')).toMatch(/changed after it was exported/);
    await expectNothingStored();
  });

  it('refuses every other change too, and accepts the file as exported (re-indented too)', async () => {
    const changes: ((o: Loose) => void)[] = [
      (o) => (o.config.stores[0].name = 'Renamed'),
      (o) => (o.config.stores[0].infigo.baseUrl = 'https://acme.infigo.net.evil.example'),
      (o) => (o.config.sync = { intervalMinutes: 1 }),
      (o) => delete o.config.products,
      (o) => (o.exportedAt = new Date(0).toISOString()),
      (o) => (o.encryptedSecrets.tag = Buffer.from(o.encryptedSecrets.tag, 'base64').subarray(0, 4).toString('base64')),
      (o) => (o.encryptedSecrets.data = Buffer.from(crypto.randomBytes(40)).toString('base64')),
    ];
    for (const change of changes) {
      const r = await target.call('config.import', { json: edit(exported, change), passphrase: PASS });
      expect(r.ok, change.toString()).toBe(false);
    }
    await expectNothingStored();
    const wrong = await target.call('config.import', { json: exported, passphrase: 'not the passphrase' });
    expect(wrong.ok).toBe(false);
    expect(wrong.problems[0]!.message).toMatch(/passphrase is wrong/);
    const reindented = JSON.stringify(JSON.parse(exported));
    expect((await target.call('config.import', { json: reindented, passphrase: PASS })).ok).toBe(true);
    expect(target.ctx.config.resolveSecret(target.ctx.config.get().gelato!.apiKey)).toBe(KEY);
    // The configuration is readable in the file; the secret values are not.
    expect(exported).toContain('https://api.partner-connect.io/api/psp/order');
    expect(exported).not.toContain(KEY);
    expect(exported).not.toContain(TOKEN);
  });

  it('imports an export of the earlier format only when asked explicitly, after saying where its secrets go', async () => {
    const v1 = v1Export(JSON.parse(exported).config, { 'gelato.apiKey': KEY, 'stores.0.infigo.apiToken': TOKEN }, PASS);
    const r = await target.call('config.import', { json: v1, passphrase: PASS });
    expect(r.ok).toBe(false);
    const message = r.problems.map((p) => p.message).join(' ');
    expect(message).toMatch(/earlier Presslink/);
    expect(message).toContain('api.partner-connect.io');
    expect(message).toContain('acme.infigo.net');
    expect(message).toMatch(/--accept-format-1/);
    await expectNothingStored();
    const accepted = await target.call('config.import', { json: v1, passphrase: PASS, acceptFormat1: true });
    expect(accepted.problems).toEqual([]);
    expect(target.ctx.config.resolveSecret(target.ctx.config.get().gelato!.apiKey)).toBe(KEY);
  });

  it('the CLI says the same, and takes --accept-format-1', async () => {
    await target.stop();
    const file = path.join(t.dir, 'old-export.json');
    fs.writeFileSync(file, v1Export(JSON.parse(exported).config, { 'gelato.apiKey': KEY, 'stores.0.infigo.apiToken': TOKEN }, PASS));
    const dir = path.join(t.dir, 'cli-target');
    const refused = presslink(['config', 'import', file, '--passphrase', PASS, '--data-dir', dir]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toMatch(/earlier Presslink[\s\S]*--accept-format-1/);
    const ok = presslink(['config', 'import', file, '--passphrase', PASS, '--accept-format-1', '--data-dir', dir]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    target = await startEngine({ dataDir: dir, mode: 'headless', schedule: false });
    expect(target.ctx.config.resolveSecret(target.ctx.config.get().gelato!.apiKey)).toBe(KEY);
  });
});

/** An export as earlier versions made it: format 1, only the secrets encrypted. */
function v1Export(config: unknown, secrets: Record<string, string>, passphrase: string): string {
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', crypto.scryptSync(passphrase, salt, 32), iv);
  const data = Buffer.concat([c.update(JSON.stringify(secrets), 'utf8'), c.final()]);
  const blob = { alg: 'aes-256-gcm', kdf: 'scrypt', salt: salt.toString('base64'), iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
  return JSON.stringify({ presslinkExport: 1, config, encryptedSecrets: blob }, null, 2);
}
