import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { orderReferenceId } from '../../shared/domain/reference';
import { finalReport, freePort, spawnEngineChild, startRelSandbox, storeOrderIds, waitFor, writeConfig, type EngineChild, type RelSandbox } from '../reliability/lib';

// The engine process is killed mid-submission and mid-download, then restarted:
// every order still reaches GelatoConnect exactly once, and the interrupted
// download resumes from where it stopped instead of starting again.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(orders: number, pdfBytes: number): Promise<{ sb: RelSandbox; dataDir: string; port: number; configFile: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-sync-crash-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const sb = await startRelSandbox({ orders, pdfBytes, seed: 3 });
  cleanups.push(() => sb.close());
  const port = await freePort();
  const configFile = writeConfig(dataDir, sb.config(`http://127.0.0.1:${port}`));
  return { sb, dataDir, port, configFile };
}

function track(c: EngineChild): EngineChild {
  cleanups.push(async () => {
    if (c.child.exitCode === null && c.child.signalCode === null) {
      c.child.kill('SIGKILL');
      await c.exited;
    }
  });
  return c;
}

/** Runs a fresh engine child until it is idle and GelatoConnect has fetched every file. */
async function runToIdle(dataDir: string, port: number, configFile: string, sb: RelSandbox): Promise<EngineChild> {
  const c = track(spawnEngineChild(dataDir, port, configFile, { PRESSLINK_CHILD_HOLD: '1' }));
  await waitFor('the restarted engine to finish', () => c.events().some((e) => e.event === 'idle') || c.child.exitCode !== null, 120_000, 50);
  expect(c.child.exitCode, c.output()).toBeNull();
  for (const g of sb.gelato.orders()) await sb.gelato.waitForFilesSettled(g.id, 60_000);
  c.child.kill('SIGTERM');
  await c.exited;
  return c;
}

function findPart(dir: string): { file: string; bytes: number } | undefined {
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.part')) {
      const file = path.join(e.parentPath, e.name);
      return { file, bytes: fs.statSync(file).size };
    }
  }
  return undefined;
}

describe('engine killed during a sync', () => {
  it('mid-submission: orders already received by GelatoConnect are looked up, not sent again', async () => {
    const { sb, dataDir, port, configFile } = await setup(12, 8_000);
    // GelatoConnect accepts the order at once but drips its answer, so the engine is
    // killed after the order exists there and before it has recorded the outcome.
    sb.gelato.faults.set({ rules: [{ route: '/\\/order$/', method: 'POST', dripRate: 1, dripBytesPerSecond: 8 }] });
    const ids = storeOrderIds(sb, 12);
    const refs = ids.map((id) => orderReferenceId(sb.storeId, id));
    const c = track(spawnEngineChild(dataDir, port, configFile));
    await waitFor('a submission to reach GelatoConnect', () => refs.some((r) => sb.gelato.submitCount(r) > 0), 60_000, 5);
    await new Promise((r) => setTimeout(r, 300));
    c.child.kill('SIGKILL');
    expect((await c.exited).signal).toBe('SIGKILL');
    const inFlight = refs.filter((r) => sb.gelato.submitCount(r) > 0);
    expect(inFlight.length).toBeGreaterThan(0);
    {
      const db = new Database(path.join(dataDir, 'presslink.db'), { readonly: true });
      const unrecorded = db.prepare("SELECT count(*) FROM orders WHERE state = 'submitting'").pluck().get() as number;
      db.close();
      // The point of the test: some order is in GelatoConnect but not yet recorded as submitted.
      expect(unrecorded).toBeGreaterThan(0);
    }

    sb.gelato.faults.clear();
    await runToIdle(dataDir, port, configFile, sb);

    const report = await finalReport(sb, dataDir, ids);
    expect(report.duplicates).toEqual([]);
    expect(report.missing).toEqual([]);
    expect(report.stuck).toEqual([]);
    expect(report.fileProblems).toEqual([]);
    expect(report.integrity).toBe('ok');
    for (const r of inFlight) expect(sb.gelato.submitCount(r), r).toBe(1);
    const db = new Database(path.join(dataDir, 'presslink.db'), { readonly: true });
    const recovered = db.prepare("SELECT count(*) FROM events WHERE kind = 'submitted' AND detail_json LIKE '%\"recovered\":true%'").pluck().get() as number;
    db.close();
    expect(recovered).toBeGreaterThan(0);
  });

  it('mid-download: the restarted download resumes with a Range request', async () => {
    const size = 40_000_000;
    const { sb, dataDir, port, configFile } = await setup(0, 8_000);
    const big = sb.infigo.addOrder(sb.storeId, { lines: [{ sku: 'POSTER-A2', quantity: 1, pdfBytes: size }] });
    const small = sb.infigo.addOrder(sb.storeId, { lines: [{ sku: 'POSTER-A2', quantity: 2 }] });
    const jobId = big.lines[0]!.jobId;
    sb.infigo.faults.set({ rules: [{ route: 'orderlineitem/download', method: 'GET', dripRate: 1, dripBytesPerSecond: 4_000_000 }] });
    const c = track(spawnEngineChild(dataDir, port, configFile));
    const part = await waitFor('a partly downloaded file', () => {
      const p = fs.existsSync(dataDir) ? findPart(dataDir) : undefined;
      return p && p.bytes > 2_000_000 ? p : undefined;
    }, 60_000, 20);
    c.child.kill('SIGKILL');
    await c.exited;
    const partBytes = fs.statSync(part.file).size;
    expect(partBytes).toBeLessThan(size);
    // The sandbox logs a request when its socket closes, which can come after the child's exit:
    // wait for the cut-off download to be logged, so it is not mistaken for the resumed one.
    const isDownload = (r: { method: string; path: string }) => r.method === 'GET' && r.path.toLowerCase().endsWith(`/orderlineitem/download/${jobId}`.toLowerCase());
    await waitFor('the cut-off download to be logged', () => sb.infigo.requests().find((r) => isDownload(r) && !r.completed), 10_000, 20);
    const seqAtKill = Math.max(0, ...sb.infigo.requests().map((r) => r.seq));

    sb.infigo.faults.clear();
    await runToIdle(dataDir, port, configFile, sb);

    const downloads = sb.infigo.requests().filter(isDownload);
    const after = downloads.filter((r) => r.seq > seqAtKill);
    expect(after.length).toBeGreaterThan(0);
    const resumed = /^bytes=(\d+)-$/.exec(after[0]!.range ?? '');
    expect(resumed, `first download after restart sent Range ${after[0]!.range}`).not.toBeNull();
    expect(Number(resumed![1])).toBeGreaterThan(0);
    const sent = downloads.reduce((n, r) => n + r.bytesSent, 0);
    expect(sent).toBeLessThan(1.5 * size);

    const report = await finalReport(sb, dataDir, [big.id, small.id]);
    expect(report.missing).toEqual([]);
    expect(report.duplicates).toEqual([]);
    expect(report.fileProblems).toEqual([]);
    expect(report.filesChecked).toBe(2);
  });
});
