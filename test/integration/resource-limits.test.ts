import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../shared/config';
import { startEngine } from '../../electron/core/engine';
import { engineRoutes } from '../../electron/core/server/engine-routes';
import { startServer } from '../../electron/core/server/index';
import { jsonLines } from '../helpers/fixtures';
import { tempDir } from '../helpers/tmp';
import { freePort, runChildToEnd, startRelSandbox, writeConfig, type RelSandbox } from '../reliability/lib';

// Resource limits (issue 13, item 7): a print file over the size cap, an oversized JSON
// answer, a file dripped a byte at a time.
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
  const server = await startServer({ engine, port: 0, plugins: engineRoutes(engine.ctx) });
  cleanups.push(async () => {
    await server.close();
    await engine.stop();
  });
  const r = await engine.call('config.import', { json: JSON.stringify(sb.config(server.url, edit)) });
  if (!r.ok) throw new Error(`config rejected: ${JSON.stringify(r.problems)}`);
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

    expect(first.errors.map((x) => x.reason).join('\n')).toMatch(/The sync stopped early because the sync reached its 6 s limit \(sync\.cycleDeadlineMinutes\); 1 unfinished order\(s\) continue/);
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
