// The built `presslink serve` (dist/cli.mjs, as shipped: no transpiler in the process)
// driven over HTTP, for figures where the process's own memory and start-up matter.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dataFiles } from '../../electron/core/paths';
import { apiKeyFromFile } from '../../electron/core/server/credentials';
import { startEngine } from '../../electron/core/engine';
import { activate } from '../../electron/core/golive/activation';
import { ROOT } from '../reliability/lib';
import { run, type Proc } from './util';

export const CLI = path.join(ROOT, 'bin/presslink.mjs');

export function isBuilt(): boolean {
  return fs.existsSync(path.join(ROOT, 'dist/cli.mjs'));
}

export interface Serve {
  proc: Proc;
  url: string;
  call<T = unknown>(name: string, body?: unknown): Promise<T>;
  /** A one-time link that signs a browser in to the web UI (as `presslink open-link` gets one). */
  signInUrl(hash?: string): Promise<string>;
  stop(): Promise<void>;
}

/** `presslink config import` only (no activation: nothing will sync). */
export function importConfigOnly(dataDir: string, configFile: string): void {
  const r = spawnSync(process.execPath, [CLI, 'config', 'import', configFile, '--data-dir', dataDir], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`config import failed (${r.status}): ${r.stdout}${r.stderr}`);
}

export async function importConfig(dataDir: string, configFile: string): Promise<void> {
  importConfigOnly(dataDir, configFile);
  // The benchmark's sandbox orders are the work to measure: activate with no cut-over, as
  // "Try with the sandbox" does (a real store's history would be recorded as before go-live).
  const engine = await startEngine({ dataDir, mode: 'headless', schedule: false });
  try {
    await activate(engine.ctx, { by: 'sandbox', cutover: 'none' });
  } finally {
    await engine.stop();
  }
}

export async function startServe(dataDir: string, port: number): Promise<Serve> {
  const proc = run(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', String(port), '--no-schedule']);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, proc, 60_000);
  // Every /api call needs a credential; this machine's tools use the data directory's API key.
  const auth = { authorization: `Bearer ${apiKeyFromFile(dataFiles(dataDir).serverAuth)}` };
  const call = async <T>(name: string, body: unknown = {}): Promise<T> => {
    const res = await fetch(`${url}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
    const j = (await res.json()) as { ok: boolean; result: T; error?: { message: string } };
    if (!j.ok) throw new Error(`${name}: ${j.error?.message}`);
    return j.result;
  };
  return {
    proc,
    url,
    call,
    async signInUrl(hash = '') {
      const res = await fetch(`${url}/api/auth/link`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{}' });
      const j = (await res.json()) as { ok: boolean; result?: { url: string }; error?: { message: string } };
      if (!j.ok || !j.result) throw new Error(`no sign-in link: ${j.error?.message}`);
      return `${j.result.url}${hash}`;
    },
    async stop() {
      if (proc.child.exitCode === null) {
        proc.child.kill('SIGTERM');
        await proc.exited;
      }
    },
  };
}

export async function waitHealthy(url: string, proc: Proc | null, timeoutMs: number, everyMs = 5): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (proc && proc.child.exitCode !== null) throw new Error(`serve exited: ${proc.output()}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > end) throw new Error(`no healthy answer from ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs sync.now until no order is active; returns the wall time. */
export async function syncUntilIdle(s: Serve, maxCycles = 5): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < maxCycles; i++) {
    await s.call('sync.now');
    const counts = await s.call<Record<string, number>>('orders.counts');
    if (!['discovered', 'classified', 'files', 'submitting'].some((k) => counts[k])) break;
  }
  return performance.now() - t0;
}
