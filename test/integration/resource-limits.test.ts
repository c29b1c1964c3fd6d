import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../shared/config';
import { startEngine } from '../../electron/core/engine';
import { activate } from '../../electron/core/golive/activation';
import { CLI } from '../helpers/cli';
import { jsonLines } from '../helpers/fixtures';
import { tempDir } from '../helpers/tmp';
import { freePort, runChildToEnd, startRelSandbox, waitFor, writeConfig, type RelSandbox } from '../reliability/lib';
import { dataFiles } from '../../electron/core/paths';
import { apiKeyFromFile } from '../../electron/core/server/credentials';

// Resource limits (issue 13, item 7): a print file over the size cap, an oversized JSON
// answer, a file dripped a byte at a time, and SIGTERM in the middle of a stalled download.
// Each must end in a clear, bounded way with nothing else harmed and nothing lost.

const MB = 1024 * 1024;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sandbox(orders = 0): Promise<RelSandbox> {
  const sb = await startRelSandbox({ orders, pdfBytes: 8_000, seed: 5 });
  cleanups.push(() => sb.close());
  return sb;
}

/** An order that must go to production (not cancelled: the sandbox otherwise picks a status at random). */
function addPrintOrder(sb: RelSandbox, pdfBytes?: number) {
  return sb.infigo.addOrder(sb.storeId, { orderStatus: 'Pending', paymentStatus: 'Paid', lines: [{ sku: 'POSTER-A2', quantity: 1, ...(pdfBytes ? { pdfBytes } : {}) }] });
}

/** The engine in this process with its file server, configured for the sandbox. */
async function engineFor(sb: RelSandbox, edit?: (c: ConfigInput) => void) {
  const t = tempDir('presslink-limits-');
  cleanups.push(t.cleanup);
  const engine = await startEngine({ dataDir: t.dir, mode: 'headless', schedule: false });
  const server = await engine.serve({ port: 0 });
  cleanups.push(() => engine.stop());
  const r = await engine.call('config.import', { json: JSON.stringify(sb.config(server.url, edit)) });
  if (!r.ok) throw new Error(`config rejected: ${JSON.stringify(r.problems)}`);
  // Live at once, every sandbox order counting as new (as in sandbox mode).
  await activate(engine.ctx, { by: 'sandbox', cutover: 'none' });
  const sync = async () => {
    const s = await engine.call('sync.now', {});
    if (!s.summary) throw new Error(`sync did not run: ${s.reason}`);
    return s.summary;
  };
  const order = (infigoOrderId: number) =>
    engine.ctx.db.prepare('SELECT id, state, attention_reason AS reason FROM orders WHERE infigo_order_id = ?').get(infigoOrderId) as { id: number; state: string; reason: string | null };
  const timeline = (infigoOrderId: number) =>
    (engine.ctx.db.prepare('SELECT e.kind, e.message FROM events e JOIN orders o ON o.id = e.order_id WHERE o.infigo_order_id = ? ORDER BY e.id').all(infigoOrderId) as { kind: string; message: string }[]);
  return { engine, dataDir: t.dir, sync, order, timeline };
}

/** Every file under `dir` whose name ends with `suffix`, with its size. */
function filesEnding(dir: string, suffix: string): { file: string; bytes: number }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => {
      const file = path.join(e.parentPath, e.name);
      return { file, bytes: fs.statSync(file).size };
    });
}

/** The print file of a job and its part, wherever the files folder puts them. */
function jobFiles(dir: string, jobId: string) {
  return filesEnding(dir, '').filter((f) => path.basename(f.file).startsWith(`${jobId}_`));
}

describe('print file size cap', () => {
  it('a file larger than files.maxFileSizeMB holds its order in Needs attention naming the size; the next order goes through', async () => {
    const sb = await sandbox();
    const big = addPrintOrder(sb, 3 * MB);
    const good = addPrintOrder(sb);
    const e = await engineFor(sb, (c) => {
      c.files = { ...c.files, maxFileSizeMB: 1 };
    });
    await e.sync();

    const held = e.order(big.id);
    expect(held.state).toBe('needs_attention');
    expect(held.reason).toMatch(/The print file is 3\.0 MB, larger than the 1 MB limit for one print file/);
    expect(held.reason).toMatch(/files\.maxFileSizeMB/);
    expect(e.order(good.id).state).toBe('submitted');
    // Nothing of the refused file is kept on disk.
    expect(jobFiles(e.dataDir, big.lines[0]!.jobId)).toEqual([]);
  });

  it('a file that does not announce its size is cut off at the cap, not downloaded whole', async () => {
    const sb = await sandbox();
    const big = addPrintOrder(sb);
    const good = addPrintOrder(sb);
    // A body that never ends and has no Content-Length (dripped at 4 MB/s so that, without a
    // cap, the test's disk use stays bounded until the test times out).
    sb.infigo.faults.set({ rules: [{ route: `/download/${big.lines[0]!.jobId}`, method: 'GET', oversizeRate: 1, dripRate: 1, dripBytesPerSecond: 4 * MB }] });
    const e = await engineFor(sb, (c) => {
      c.files = { ...c.files, maxFileSizeMB: 1 };
    });
    await e.sync();

    const held = e.order(big.id);
    expect(held.state).toBe('needs_attention');
    expect(held.reason).toMatch(/larger than the 1 MB limit for one print file \(Infigo did not say its size; Presslink stopped at 1 MB\)/);
    expect(e.order(good.id).state).toBe('submitted');
    expect(jobFiles(e.dataDir, big.lines[0]!.jobId)).toEqual([]);
  });
});

describe('JSON answer size cap', () => {
  it('an Order/List of 400 MB is refused with a clear error, memory grows by far less than the answer, and the next sync imports normally', async () => {
    const sb = await startRelSandbox({ orders: 3, pdfBytes: 8_000, seed: 5 });
    cleanups.push(() => sb.close());
    const t = tempDir('presslink-limits-json-');
    cleanups.push(t.cleanup);
    const port = await freePort();
    const configFile = writeConfig(t.dir, sb.config(`http://127.0.0.1:${port}`));
    sb.infigo.faults.set({ rules: [{ route: 'Order/List', method: 'GET', oversizeRate: 1, oversizeBytes: 400 * MB }] });

    // The engine in a child process of its own, so its peak memory (VmHWM) can be read.
    const refused = await runChildToEnd(t.dir, port, configFile, 100_000);
    expect(refused.code, refused.output).toBe(0);
    const cycle = jsonLines(refused.output).find((x) => x.event === 'cycle')!;
    expect(cycle.discovered).toBe(0);
    expect(String(cycle.firstError)).toMatch(/Could not list the orders of store .*Infigo sent an answer larger than the 50 MB limit for one answer; Presslink stopped reading it at 50 MB\./);
    expect(String(cycle.firstError)).toMatch(/sync\.maxResponseMB/);
    const peakRefused = jsonLines(refused.output).find((x) => x.event === 'idle')!.vmHwmKb as number;

    sb.infigo.faults.clear();
    const normal = await runChildToEnd(t.dir, port, configFile, 100_000);
    expect(normal.code, normal.output).toBe(0);
    const after = jsonLines(normal.output).find((x) => x.event === 'cycle')!;
    expect(after.discovered).toBe(3);
    const peakNormal = jsonLines(normal.output).find((x) => x.event === 'idle')!.vmHwmKb as number;

    // Reading the 400 MB answer whole takes well over 800 MB (bytes, joined copy, string); capped
    // at 50 MB, the engine's peak stays within a few times the cap of an ordinary sync's.
    expect(peakRefused - peakNormal).toBeLessThan((6 * 50 * MB) / 1024);
  });
});

describe('deadlines', () => {
  it('a file dripped at 1 byte every 2 s stops at files.downloadDeadlineMinutes; the cycle finishes and the next one resumes it', async () => {
    const sb = await sandbox();
    const slow = addPrintOrder(sb);
    const good = addPrintOrder(sb);
    const jobId = slow.lines[0]!.jobId;
    sb.infigo.faults.set({ rules: [{ route: `/download/${jobId}`, method: 'GET', dripRate: 1, dripBytesPerSecond: 0.5 }] });
    const e = await engineFor(sb, (c) => {
      c.files = { ...c.files, downloadDeadlineMinutes: 0.1 }; // 6 s
    });
    const first = await e.sync();

    expect(e.order(good.id).state).toBe('submitted');
    expect(e.order(slow.id).state).toBe('files');
    const failed = e.timeline(slow.id).filter((x) => x.kind === 'step_failed');
    expect(failed.at(-1)?.message).toMatch(/The print file did not arrive within the 6 s limit for one file \(\d+ B of [\d.]+ KB received\); the part is kept/);
    expect(first.errors.map((x) => x.reason).join('\n')).toMatch(/6 s limit/);
    const part = filesEnding(e.dataDir, '.part');
    expect(part).toHaveLength(1);
    expect(part[0]!.bytes).toBeGreaterThan(0);

    sb.infigo.faults.clear();
    await e.sync();
    expect(e.order(slow.id).state).toBe('submitted');
    expect(e.timeline(slow.id).find((x) => x.kind === 'file_downloaded')?.message).toMatch(/resumed from \d+ B/);
    expect(filesEnding(e.dataDir, '.part')).toEqual([]);
  });

  it('a cycle stops at sync.cycleDeadlineMinutes: transfers in flight are interrupted, not failed, and resume next time', async () => {
    const sb = await sandbox();
    const slow = addPrintOrder(sb);
    sb.infigo.faults.set({ rules: [{ route: `/download/${slow.lines[0]!.jobId}`, method: 'GET', dripRate: 1, dripBytesPerSecond: 20 }] });
    const e = await engineFor(sb, (c) => {
      c.sync = { ...c.sync, cycleDeadlineMinutes: 0.1 }; // 6 s; the file's own deadline stays 15 min
    });
    const first = await e.sync();

    expect(first.errors.map((x) => x.reason).join('\n')).toMatch(/The sync stopped early because the sync reached its 6 s limit \(sync\.cycleDeadlineMinutes\); 1 unfinished order continues/);
    expect(e.order(slow.id).state).toBe('files');
    const tl = e.timeline(slow.id);
    expect(tl.at(-1)?.kind).toBe('interrupted');
    expect(tl.some((x) => x.kind === 'step_failed')).toBe(false); // not counted against the order
    expect(filesEnding(e.dataDir, '.part')[0]?.bytes ?? 0).toBeGreaterThan(0);

    sb.infigo.faults.clear();
    await e.sync();
    expect(e.order(slow.id).state).toBe('submitted');
    expect(e.timeline(slow.id).find((x) => x.kind === 'file_downloaded')?.message).toMatch(/resumed from/);
  });
});

// ---- SIGTERM during a stalled download (the built CLI, as an operator runs it) ----

function cliAvailable(): boolean {
  return fs.existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli.mjs'));
}

interface Running {
  child: ChildProcess;
  output: () => string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, output: () => out, stdout: () => stdout, exited };
}

/** Resolves with the exit once the process has ended; rejects if it is still running after `ms`. */
async function exitWithin(r: Running, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running ${ms} ms after SIGTERM:\n${r.output()}`)), ms);
  });
  try {
    return await Promise.race([r.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function serveOn(dataDir: string, port: number): Promise<Running & { url: string; dataDir: string }> {
  const s = run(['serve', '--data-dir', dataDir, '--port', String(port)]);
  await waitFor('presslink serve to start', () => /running at http/.test(s.output()) || s.child.exitCode !== null, 60_000, 50);
  if (s.child.exitCode !== null) throw new Error(`serve exited: ${s.output()}`);
  return { ...s, url: `http://127.0.0.1:${port}`, dataDir };
}

/** "Sync now" on a running serve, as a script on this machine calls it (with the data directory's API key). */
function syncNow(srv: { url: string; dataDir: string }): Promise<Response> {
  const authorization = `Bearer ${apiKeyFromFile(dataFiles(srv.dataDir).serverAuth)}`;
  return fetch(`${srv.url}/api/call/sync.now`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: '{}' });
}

/** A data directory set up for the sandbox, one order whose print file is dripped very slowly. */
async function stalledSetup() {
  const sb = await sandbox();
  const t = tempDir('presslink-limits-term-');
  cleanups.push(t.cleanup);
  const port = await freePort();
  const file = writeConfig(t.dir, sb.config(`http://127.0.0.1:${port}`));
  const imported = spawnSync(process.execPath, [CLI, 'config', 'import', file, '--data-dir', t.dir], { encoding: 'utf8', timeout: 60_000 });
  expect(imported.status, imported.stderr).toBe(0);
  // Live from now (the CLI reads the in-process sandbox, so it must not block this process).
  const activated = run(['activate', '--data-dir', t.dir]);
  expect((await activated.exited).code, activated.output()).toBe(0);
  // Placed after go-live: its print file is dripped very slowly.
  const slow = addPrintOrder(sb, 40_000);
  sb.infigo.faults.set({ rules: [{ route: `/download/${slow.lines[0]!.jobId}`, method: 'GET', dripRate: 1, dripBytesPerSecond: 5 }] });
  return { sb, slow, dataDir: t.dir, port };
}

/** After the interrupted run: a fresh `presslink serve` syncs, resuming the part with a Range request. */
async function expectResumed(s: Awaited<ReturnType<typeof stalledSetup>>, partBytes: number) {
  s.sb.infigo.faults.clear();
  const srv = await serveOn(s.dataDir, s.port);
  const r = (await (await syncNow(srv)).json()) as { ok: boolean; result: { summary?: { submitted: number } } };
  srv.child.kill('SIGTERM');
  expect((await exitWithin(srv, 5_000)).code).toBe(0);
  expect(r.result.summary?.submitted).toBe(1);
  const jobId = s.slow.lines[0]!.jobId;
  const downloads = s.sb.infigo.requests().filter((q) => q.method === 'GET' && q.path.toLowerCase().endsWith(`/orderlineitem/download/${jobId}`.toLowerCase()));
  expect(downloads.at(-1)?.range ?? '').toMatch(new RegExp(`^bytes=${partBytes}-`));
  const db = new Database(path.join(s.dataDir, 'presslink.db'), { readonly: true });
  try {
    const detail = db.prepare("SELECT detail_json FROM events WHERE kind = 'file_downloaded'").pluck().get() as string;
    expect(JSON.parse(detail).resumedFrom).toBe(partBytes);
  } finally {
    db.close();
  }
  expect(filesEnding(s.dataDir, '.part')).toEqual([]);
}

describe.skipIf(!cliAvailable())('SIGTERM during a stalled download', () => {
  it('presslink serve exits cleanly within 5 s, keeps the part, and the next run resumes it', async () => {
    const s = await stalledSetup();
    const srv = await serveOn(s.dataDir, s.port);
    void syncNow(srv).catch(() => undefined); // answered (or cut off) when serve stops
    const part = await waitFor('the print file to start arriving', () => filesEnding(s.dataDir, '.part').find((p) => p.bytes > 0), 60_000, 50);

    srv.child.kill('SIGTERM');
    const end = await exitWithin(srv, 5_000);
    expect(end.code, srv.output()).toBe(0);
    const kept = filesEnding(s.dataDir, '.part');
    expect(kept).toHaveLength(1);
    expect(kept[0]!.bytes).toBeGreaterThanOrEqual(part.bytes);
    await expectResumed(s, kept[0]!.bytes);
  });

  it('presslink sync --once exits within 5 s with 143, says it was stopped, keeps the part, and the next run resumes it', async () => {
    const s = await stalledSetup();
    const sync = run(['sync', '--once', '--json', '--data-dir', s.dataDir]);
    const part = await waitFor('the print file to start arriving', () => filesEnding(s.dataDir, '.part').find((p) => p.bytes > 0), 60_000, 50);

    sync.child.kill('SIGTERM');
    const end = await exitWithin(sync, 5_000);
    expect(end.code, sync.output()).toBe(143);
    expect(sync.output()).toMatch(/stopping \(SIGTERM\)/);
    // The summary of the interrupted cycle is still printed, saying why it ended early.
    const summary = JSON.parse(sync.stdout()) as { errors: { reason: string }[] };
    expect(summary.errors.map((x) => x.reason).join('\n')).toMatch(/The sync stopped early because Presslink is stopping/);
    const kept = filesEnding(s.dataDir, '.part');
    expect(kept).toHaveLength(1);
    expect(kept[0]!.bytes).toBeGreaterThanOrEqual(part.bytes);
    await expectResumed(s, kept[0]!.bytes);
  });
});
