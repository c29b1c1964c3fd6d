import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { CLI, presslink, serve } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { startSandbox } from '../../electron/sandbox/index';

const TOKEN = 'cli-test-infigo-token-8c1e';
const KEY = 'cli-key:cli-secret-33f0';

/** `presslink` without blocking this process (a sandbox running here must keep answering the child). */
function presslinkAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function writeConfig(dir: string, cfg: unknown): string {
  const file = path.join(dir, 'import.json');
  fs.writeFileSync(file, JSON.stringify(cfg));
  return file;
}

const good = {
  stores: [{ id: 'acme', name: 'Acme', infigo: { baseUrl: 'https://acme.infigo.net', apiToken: TOKEN }, gelatoCustomerReferenceId: 'acme-ltd' }],
  gelato: {
    apiKey: KEY,
    endpoints: { submitOrder: 'https://g.example/o', getOrder: 'https://g.example/o', searchOrders: 'https://g.example/s', cancelOrder: 'https://g.example/o', updateShipment: 'https://g.example/o' },
  },
};

let t: ReturnType<typeof tempDir>;
let data: string;
beforeEach(() => {
  t = tempDir();
  data = path.join(t.dir, 'data');
});
afterEach(() => t.cleanup());

describe('presslink CLI', () => {
  it('imports a valid config, and rejects an invalid one listing every problem by path while keeping the old one', () => {
    const ok = presslink(['config', 'import', writeConfig(t.dir, good), '--data-dir', data]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/imported: 1 store/);

    const bad = presslink(['config', 'import', writeConfig(t.dir, { stores: [{ id: 'X Y', infigo: {} }], sync: { intervalMinutes: 0 } }), '--data-dir', data, '--json']);
    expect(bad.code).toBe(3);
    const r = JSON.parse(bad.stdout);
    expect(r.ok).toBe(false);
    const paths = r.problems.map((p: { path: string }) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['stores[0].id', 'stores[0].name', 'stores[0].infigo.baseUrl', 'stores[0].infigo.apiToken', 'sync.intervalMinutes']));

    const status = JSON.parse(presslink(['status', '--json', '--data-dir', data]).stdout);
    expect(status.stores).toEqual([{ id: 'acme', name: 'Acme' }]);
  });

  it('config export never prints secrets unless explicitly asked, and then encrypted', () => {
    presslink(['config', 'import', writeConfig(t.dir, good), '--data-dir', data]);
    const plain = presslink(['config', 'export', '--data-dir', data]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain(TOKEN);
    expect(plain.stdout).not.toContain(KEY);
    expect(JSON.parse(plain.stdout).stores[0].infigo.apiToken).toBe('secret:stores.acme.infigo.apiToken');

    const noPass = presslink(['config', 'export', '--include-secrets', '--data-dir', data]);
    expect(noPass.code).toBe(2);
    expect(noPass.stderr).toMatch(/passphrase/);

    const enc = presslink(['config', 'export', '--include-secrets', '--passphrase', 'long enough pass', '--data-dir', data]);
    expect(enc.code).toBe(0);
    expect(enc.stdout).not.toContain(TOKEN);
    expect(enc.stdout).toContain('encryptedSecrets');

    // Neither the database nor the config file holds a secret in plain text.
    for (const f of ['config.json', 'presslink.db']) {
      const bytes = fs.readFileSync(path.join(data, f)).toString('latin1');
      expect(bytes).not.toContain(TOKEN);
      expect(bytes).not.toContain(KEY);
    }
  });

  it('sync --once says clearly that nothing is configured, with a config exit code', () => {
    const r = presslink(['sync', '--once', '--json', '--data-dir', data]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not set up/);
  });

  it('sync --once refuses before activation (exit 3); activate records the cut-over, after which sync imports the history as before go-live', async () => {
    const sb = await startSandbox({ storeCount: 1, ordersPerStore: 6 });
    try {
      const imp = await presslinkAsync(['config', 'import', writeConfig(t.dir, sb.connection().config), '--data-dir', data]);
      expect(imp.code).toBe(0);
      const early = await presslinkAsync(['sync', '--once', '--json', '--data-dir', data]);
      expect(early.code).toBe(3);
      expect(early.stderr).toMatch(/not activated yet.*presslink activate/s);
      expect(sb.gelato.orders()).toHaveLength(0);

      const a = await presslinkAsync(['activate', '--json', '--data-dir', data]);
      expect(a.code).toBe(0);
      const out = JSON.parse(a.stdout) as { alreadyActive: boolean; stores: { storeId: string; newestInfigoOrderId: number }[] };
      expect(out).toMatchObject({ alreadyActive: false, stores: [{ storeId: 'acme', newestInfigoOrderId: 10006 }] });
      expect(JSON.parse((await presslinkAsync(['activate', '--json', '--data-dir', data])).stdout)).toMatchObject({ alreadyActive: true });

      const sync = await presslinkAsync(['sync', '--once', '--json', '--data-dir', data]);
      expect(sync.code).toBe(0);
      expect(JSON.parse(sync.stdout)).toMatchObject({ discovered: 6, submitted: 0 });
      expect(sb.gelato.orders()).toHaveLength(0);
      const st = JSON.parse((await presslinkAsync(['status', '--json', '--data-dir', data])).stdout) as { activatedAt: string | null; counts: Record<string, number> };
      expect(st.activatedAt).toEqual(expect.any(String));
      expect(st.counts).toEqual({ before_go_live: 6 });
    } finally {
      await sb.close();
    }
  }, 120_000);

  it('activate refuses when a store cannot be read, activating nothing (exit 1)', () => {
    const unreachable = { ...good, stores: [{ ...good.stores[0], infigo: { baseUrl: 'http://127.0.0.1:9', apiToken: TOKEN } }] };
    expect(presslink(['config', 'import', writeConfig(t.dir, unreachable), '--data-dir', data]).code).toBe(0);
    const a = presslink(['activate', '--data-dir', data]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/could not read the order list of store "Acme".*Nothing was activated/s);
    expect(a.stderr).not.toContain(TOKEN);
    expect(JSON.parse(presslink(['status', '--json', '--data-dir', data]).stdout)).toMatchObject({ activatedAt: null });
  }, 120_000);

  it('refuses a database from a newer version with exit code 4', async () => {
    fs.mkdirSync(data, { recursive: true });
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(data, 'presslink.db'));
    db.pragma('user_version = 999');
    db.close();
    const r = presslink(['status', '--data-dir', data]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/newer Presslink/);
  });

  it('serve answers health, serves the UI, and stops cleanly on SIGTERM', async () => {
    const s = await serve(['--data-dir', data]);
    try {
      const health = await (await fetch(`${s.url}/api/health`)).json();
      expect(health.ok).toBe(true);
      const page = await fetch(`${s.url}/`);
      expect(page.status).toBe(200);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('serve prints a one-time sign-in link; open-link prints a fresh one for the running serve; each works once', async () => {
    const s = await serve(['--data-dir', data]);
    try {
      const printed = /(http:\/\/127\.0\.0\.1:\d+\/\?auth=\S+)/.exec(s.output())?.[1];
      expect(printed, s.output()).toBeTruthy();
      expect(s.output()).toMatch(/presslink open-link --data-dir/);
      // Without signing in, the API refuses even on loopback.
      expect((await fetch(`${s.url}/api/call/engine.status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
      const first = await fetch(printed!, { redirect: 'manual' });
      expect(first.status).toBe(303);
      expect(first.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
      expect((await fetch(printed!, { redirect: 'manual' })).headers.get('location')).toBe('/?signin=expired');

      const r = presslink(['open-link', '--data-dir', data, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const fresh = (JSON.parse(r.stdout) as { url: string }).url;
      expect(fresh).toMatch(new RegExp(`^${s.url}/\\?auth=`));
      expect(fresh).not.toBe(printed);
      const used = await fetch(fresh, { redirect: 'manual' });
      expect(used.headers.get('set-cookie')).toMatch(/^presslink_session_\d+=/);
    } finally {
      expect(await s.stop()).toBe(0);
    }
    // Once serve has stopped there is nothing to ask.
    const after = presslink(['open-link', '--data-dir', data]);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/not serving from/);
  });

  it('serve on another loopback address (127.0.0.2) does not claim an access token is needed, and needs the sign-in like any bind', async () => {
    const s = await serve(['--data-dir', data, '--host', '127.0.0.2']);
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.2:/);
      expect(s.output()).not.toMatch(/access token/i);
      expect(s.output()).toMatch(/\?auth=/);
      expect((await fetch(`${s.url}/api/call/engine.status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    } finally {
      expect(await s.stop()).toBe(0);
    }
  });

  it('usage errors exit with 2', () => {
    expect(presslink(['serve', '--port', 'abc']).code).toBe(2);
    expect(presslink(['no-such-command']).code).toBe(2);
  });

  it('sandbox --orders 50 prints what to paste into Presslink and keeps running until stopped', async () => {
    const child = spawn(process.execPath, [CLI, 'sandbox', '--orders', '50', '--stores', '1', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    try {
      const conn = await new Promise<{ config: { stores: { infigo: { baseUrl: string; apiToken: string } }[]; gelato: { apiKey: string; endpoints: Record<string, string> } } }>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no connection details printed: ${out}`)), 20_000);
        child.stdout.on('data', () => {
          try {
            resolve(JSON.parse(out));
            clearTimeout(t);
          } catch {
            // not complete yet
          }
        });
      });
      const store = conn.config.stores[0]!;
      expect(conn.config.gelato.apiKey).toMatch(/^[^:]+:.+$/);
      expect(Object.keys(conn.config.gelato.endpoints)).toEqual(expect.arrayContaining(['submitOrder', 'getOrder', 'searchOrders', 'cancelOrder', 'updateShipment']));
      // The printed credentials work, and the store has the 50 seeded orders.
      const ids = await (await fetch(`${store.infigo.baseUrl}/services/api/Order/List`, { headers: { authorization: `Basic ${store.infigo.apiToken}` } })).json();
      expect(ids).toHaveLength(50);
      await new Promise((r) => setTimeout(r, 500));
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
