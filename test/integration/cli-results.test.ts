import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index';
import { presslink, presslinkAsync, serve } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

// What the command line says after a sync, and when it says it failed: one store with a bad
// token beside a good one is a result (exit 0) listed with its reason, orders held for a
// person are listed with theirs, sentences never run together; every store unreadable is a
// failure (exit 1). A mistyped --data-dir, a busy sandbox port and the next sync of a running
// `presslink serve` are each stated plainly.

let sandbox: Sandbox;
const t = tempDir('presslink-cli-results-');

/** A data directory set up on the sandbox and activated (gone live) while every store answers. */
async function liveDataDir(name: string): Promise<string> {
  const data = path.join(t.dir, name);
  expect(presslink(['config', 'import', configFile(`${name}-good`, []), '--data-dir', data]).code).toBe(0);
  const r = await presslinkAsync(['activate', '--data-dir', data]);
  expect(r.code, r.stderr).toBe(0);
  return data;
}

function configFile(name: string, badStores: string[]): string {
  const { config } = sandbox.connection();
  for (const s of config.stores) if (badStores.includes(s.id)) s.infigo.apiToken = 'not-the-token-0000';
  const file = path.join(t.dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

beforeAll(async () => {
  sandbox = await startSandbox({ storeCount: 2, ordersPerStore: 6, seed: 3, pdfBytes: 4000 });
});

afterAll(async () => {
  await sandbox?.close();
  t.cleanup();
});

describe('presslink sync --once', () => {
  it('one store refusing its token beside a good one: exit 0, the store and every held order listed with a reason', async () => {
    const data = await liveDataDir('one-bad');
    // Orders placed after go-live: one goes through, one waits for a person (a SKU nobody mapped).
    sandbox.infigo.addOrder('acme', { lines: [{ sku: 'BC-85x55-400', quantity: 100 }] });
    sandbox.infigo.addOrder('acme', { lines: [{ sku: 'NOBODY-MAPPED-THIS', quantity: 5 }] });
    expect(presslink(['config', 'import', configFile('one-bad', ['bellaprint']), '--data-dir', data]).code).toBe(0);
    const r = await presslinkAsync(['sync', '--once', '--json', '--data-dir', data]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { needsAttention: number; errors: { storeId?: string; orderId?: number; reason: string }[] };
    expect(s.errors.some((e) => e.storeId === 'bellaprint' && !e.orderId && /token was refused/.test(e.reason))).toBe(true);
    expect(s.needsAttention).toBeGreaterThan(0);
    const held = s.errors.filter((e) => e.orderId);
    expect(held.length).toBeGreaterThanOrEqual(s.needsAttention);
    for (const e of held) expect(e.reason.length).toBeGreaterThan(10);

    const text = await presslinkAsync(['sync', '--once', '--data-dir', data]);
    expect(text.code).toBe(0);
    // "…enable API access) Paste the storefront's…" ran two sentences together.
    expect(text.stdout).not.toMatch(/[a-z)] [A-Z][a-z]+ the storefront/);
    expect(text.stdout).toMatch(/API access\)\. Paste/);
  });

  it('every store unreadable: exit 1', async () => {
    const data = await liveDataDir('all-bad');
    expect(presslink(['config', 'import', configFile('all-bad', ['acme', 'bellaprint']), '--data-dir', data]).code).toBe(0);
    expect((await presslinkAsync(['sync', '--once', '--data-dir', data])).code).toBe(1);
  });
});

describe('presslink status and sandbox', () => {
  it('refuses a data directory that does not exist instead of creating it', () => {
    const typo = path.join(t.dir, 'no-such-dir');
    const r = presslink(['status', '--data-dir', typo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no Presslink data directory at .*no-such-dir/);
    expect(fs.existsSync(typo)).toBe(false);
  });

  it('shows the next sync of a presslink serve running on the same data directory', async () => {
    const data = await liveDataDir('scheduled');
    const running = await serve(['--data-dir', data]);
    try {
      const s = JSON.parse(presslink(['status', '--json', '--data-dir', data]).stdout) as { nextSyncAt: string | null };
      expect(s.nextSyncAt).not.toBeNull();
      expect(Date.parse(s.nextSyncAt!)).toBeGreaterThan(Date.now());
      // Read as a person reads it, in the output's language, with the stored form after it for scripts.
      const iso = s.nextSyncAt!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(presslink(['status', '--data-dir', data, '--lang', 'en']).stdout).toMatch(new RegExp(`Next sync: \\d{1,2} [A-Z][a-z]{2,3} \\d{4}, \\d{2}:\\d{2} \\(${iso}\\)`));
      expect(presslink(['status', '--data-dir', data, '--lang', 'it']).stdout).toMatch(/: \d{1,2} (gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic) \d{4}, \d{2}:\d{2} \(\d{4}-/);
    } finally {
      await running.stop();
    }
    expect(presslink(['status', '--data-dir', data]).stdout).toMatch(/Next sync: not scheduled: no Presslink is running/);
  });

  it('a busy sandbox port is named, with what to do', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = presslink(['sandbox', '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`Port ${port} or ${port + 1} is already in use`));
      expect(r.stderr).toMatch(/--port/);
    } finally {
      blocker.close();
    }
  });
});
