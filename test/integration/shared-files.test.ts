import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../electron/core/config/shared-file';
import { ConfigStore } from '../../electron/core/config/store';
import { FileSecretStore } from '../../electron/core/secrets/file-store';
import { GENERATED_SECRETS } from '../../electron/core/secrets/generated';
import { ROOT } from '../helpers/cli';
import { validConfig } from '../helpers/config';
import { tempDir } from '../helpers/tmp';

// Issue 13, item 5, at the level of the secret store: several processes writing secrets.json
// at the same moment lose nothing (each write re-reads and merges under the lock), and the
// generated secrets come out the same in every process. Before the fix each process rewrote
// the whole file from its own copy, so most keys were lost and each process made its own key.

const CHILD = path.join(ROOT, 'test/helpers/secret-writer-child.ts');

function startWriter(dir: string, name: string, count: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, name, String(count)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ problem: string | null; generated: Record<string, string> }>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as { problem: string | null; generated: Record<string, string> }) : reject(new Error(`writer ${name} exited ${code}: ${err}`)))),
  );
  return { go: () => child.stdin.write('go\n'), done };
}

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir('presslink-secrets-race-');
});
afterEach(() => t.cleanup());

describe('secrets.json shared by several processes', () => {
  it('four processes writing at once lose no key and agree on every generated secret', async () => {
    const writers = ['a', 'b', 'c', 'd'].map((n) => startWriter(t.dir, n, 40));
    // Give every child time to load before they all start together.
    await new Promise((r) => setTimeout(r, 3_000));
    writers.forEach((w) => w.go());
    const results = await Promise.all(writers.map((w) => w.done));
    expect(results.map((r) => r.problem)).toEqual([null, null, null, null]);
    const onDisk = new FileSecretStore(path.join(t.dir, 'secrets.json'));
    for (const n of ['a', 'b', 'c', 'd']) for (let i = 0; i < 40; i++) expect(onDisk.get(`${n}.${i}`)).toBe(`value-${n}-${i}`);
    for (const key of Object.values(GENERATED_SECRETS)) {
      const seen = new Set(results.map((r) => r.generated[key]));
      expect(seen.size, `${key} differs between processes`).toBe(1);
      expect([...seen][0]).toBe(onDisk.get(key));
    }
    expect(fs.readdirSync(t.dir).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('a process reading the store sees a value another process wrote after it started', () => {
    const file = path.join(t.dir, 'secrets.json');
    const first = new FileSecretStore(file);
    const second = new FileSecretStore(file);
    first.set('stores.acme.infigo.apiToken', 'old-token-1234');
    expect(second.get('stores.acme.infigo.apiToken')).toBe('old-token-1234');
    second.set('stores.acme.infigo.apiToken', 'corrected-token-5678');
    // The first one saving another secret must not bring the old token back.
    first.set('backsync.postbackSecret', 'generated-abc');
    expect(new FileSecretStore(file).get('stores.acme.infigo.apiToken')).toBe('corrected-token-5678');
    expect(first.get('stores.acme.infigo.apiToken')).toBe('corrected-token-5678');
  });

  it('takes over a lock left by a process that died, and waits for one that is alive', () => {
    const file = path.join(t.dir, 'secrets.json');
    const store = new FileSecretStore(file);
    // A pid that cannot be running: the lock of a crashed process.
    fs.writeFileSync(`${file}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), token: 'dead', at: new Date().toISOString() }));
    store.set('k', 'v');
    expect(store.get('k')).toBe('v');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
    // Held by this (live) process: a nested write would wait; here the lock is simply held and released.
    withFileLock(file, () => expect(fs.existsSync(`${file}.lock`)).toBe(true));
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('a configuration saved by another process is loaded on the next read, and announced to a running engine without one', async () => {
    const running = new ConfigStore(path.join(t.dir, 'config.json'), new FileSecretStore(path.join(t.dir, 'secrets.json')), {});
    const seen: string[][] = [];
    const stop = running.onChange((cfg) => seen.push(cfg.stores.map((s) => s.id)));
    const cli = new ConfigStore(path.join(t.dir, 'config.json'), new FileSecretStore(path.join(t.dir, 'secrets.json')), {});
    expect(cli.save(validConfig()).ok).toBe(true);
    const end = Date.now() + 5_000;
    while (seen.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([['acme']]);
    expect(running.get().stores.map((s) => s.id)).toEqual(['acme']);
    // The token it stored is the one the running engine resolves.
    expect(running.resolveSecret(running.get().stores[0]!.infigo.apiToken)).toBe('infigo-token-5f1d2c9a7e');
    // A hand edit that breaks the file is reported, and the configuration in force stays.
    const warnings: string[] = [];
    running.onWarning((m) => warnings.push(m));
    fs.writeFileSync(path.join(t.dir, 'config.json'), '{"stores": [');
    expect(running.get().stores.map((s) => s.id)).toEqual(['acme']);
    expect(warnings.join('\n')).toMatch(/not valid JSON[\s\S]*keeps using the configuration it had loaded/);
    stop();
  });
});
