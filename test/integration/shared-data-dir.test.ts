import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../electron/sandbox/index';
import { spawn } from 'node:child_process';
import { CLI, serve } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

// Issue 13, item 5: `presslink serve` and the CLI on ONE fresh data directory, the way an
// admin uses them (npm run build first; the test runs bin/presslink.mjs). Before the fix each
// process read secrets.json once and rewrote it whole from its stale copy:
//  - `sync --once` beside serve signed file links with a key serve never saw → every link 403;
//  - `config import` of a corrected token beside serve was undone the next time serve saved a
//    secret → the next sync got 401;
//  - the first `doctor` beside a fresh serve failed on the postback secret.
// And serve never noticed a configuration imported beside it.

type CheckResult = { id: string; status: string; ok: boolean; message: string };
type Summary = { ok: boolean; submitted: number; errors: { reason: string }[] };

let sandbox: Sandbox;
let t: ReturnType<typeof tempDir>;
let data: string;
let server: Awaited<ReturnType<typeof serve>>;

/** The built CLI, run without blocking this process (the sandbox answers it from here). */
function presslink(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function waitFor<T>(what: string, fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last = await fn();
  while (!ok(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await fn();
  }
  return last;
}

async function importConfig(token: string): Promise<void> {
  const { config } = sandbox.connection({ publicBaseUrl: server.url });
  config.stores[0]!.infigo.apiToken = token;
  config.statusUpdates = { mode: 'postback' };
  const file = path.join(t.dir, `import-${token.slice(0, 6)}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const r = await presslink(['config', 'import', file, '--data-dir', data]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

beforeAll(async () => {
  t = tempDir('presslink-shared-');
  data = path.join(t.dir, 'data');
  sandbox = await startSandbox({ storeCount: 1, ordersPerStore: 3, pdfBytes: 4_000, seed: 3, progression: 'manual' });
  server = await serve(['--data-dir', data, '--no-schedule']);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await sandbox?.close();
  t?.cleanup();
});

describe('presslink serve and the CLI side by side on one fresh data directory', () => {
  const token = () => sandbox.infigo.stores[0]!.token;

  it('the first doctor beside a fresh serve passes the postback-secret check', async () => {
    await importConfig('a-wrong-token-typed-by-hand');
    const r = await presslink(['doctor', '--json', '--data-dir', data]);
    const checks = JSON.parse(r.stdout) as CheckResult[];
    const status = checks.find((c) => c.id === 'status-updates')!;
    expect(status.message).not.toMatch(/HTTP 40[13]/);
    expect(status.status).not.toBe('fail');
  });

  it('a corrected token imported beside serve is not undone when serve next writes a secret', async () => {
    await importConfig(token());
    // Live from now: the orders placed after activation are the ones to produce.
    const activated = await presslink(['activate', '--data-dir', data]);
    expect(activated.code, activated.stderr).toBe(0);
    for (const sku of ['POSTER-A2', 'BC-85x55-400']) sandbox.infigo.addOrder('acme', { orderStatus: 'Pending', paymentStatus: 'Paid', shippingStatus: 'NotYetShipped', lines: [{ sku, quantity: 2 }] });
    // Each of these made serve create (and so rewrite secrets.json with) a secret of its own.
    await fetch(`${server.url}/hooks/gelato`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-presslink-secret': 'guess' }, body: '{}' });
    await fetch(`${server.url}/files/1/x.pdf?exp=9999999999&sig=00`);
    const r = await presslink(['sync', '--once', '--json', '--data-dir', data]);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.errors.map((e) => e.reason)).toEqual([]);
    expect(s.submitted).toBeGreaterThan(0);
  });

  it('file links signed by sync --once verify at serve (GelatoConnect fetches every file, no 403)', async () => {
    const orders = sandbox.gelato.orders();
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) {
      const settled = await sandbox.gelato.waitForFilesSettled(o.orderReferenceId, 20_000);
      expect(settled.files.map((f) => [f.status, f.httpStatus])).toEqual(settled.files.map(() => ['ok', 200]));
    }
  });

  it('serve follows the configuration and the secrets written beside it: a postback is accepted and pushed to Infigo with the corrected token', async () => {
    const secrets = JSON.parse(fs.readFileSync(path.join(data, 'secrets.json'), 'utf8')) as Record<string, string>;
    const secret = secrets['backsync.postbackSecret'];
    expect(secret).toBeDefined();
    const o = sandbox.gelato.orders()[0]!;
    const res = await fetch(`${server.url}/hooks/gelato`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-presslink-secret': secret! },
      body: JSON.stringify({ presslink: 1, event: 'order.shipped', orderId: o.id, orderReferenceId: o.orderReferenceId, customerReferenceId: null, status: null, packageId: null, shippingMethod: null, trackingCode: 'TRK-SHARED-1', trackingUrl: null }),
    });
    expect(res.status).toBe(200);
    const infigoId = Number(/(\d+)$/.exec(o.orderReferenceId)![1]);
    const detail = await waitFor('Infigo to show the order shipped', () => sandbox.infigo.order('acme', infigoId)?.detail, (d) => d?.ShippingStatus === 'Shipped');
    expect(detail!.TrackingNumber).toBe('TRK-SHARED-1');
  });
});
