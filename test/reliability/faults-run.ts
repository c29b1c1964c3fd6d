// The faults run: both sandboxes inject the issue's fault mix (10 % 5xx, 5 % resets,
// 429 with Retry-After, 2 s latency spikes, truncated and dripped bodies) while the
// engine syncs in this process; cycles run until no order is left active.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEngine } from '../../electron/core/engine';
import { activate } from '../../electron/core/golive/activation';
import { FAULTS_ISSUE_PRESET, type FaultConfig } from '../../electron/sandbox/faults';
import type { RequestRecord } from '../../electron/sandbox/infigo/index';
import { ACTIVE_STATES, finalReport, startRelSandbox, storeOrderIds, type FinalReport } from './lib';

export interface FaultsRunResult {
  report: FinalReport;
  cycles: number;
  retryEvents: number;
  ordersWithRetries: number;
  infigoFaults: ReturnType<import('../../electron/sandbox/faults').FaultController['stats']>;
  gelatoFaults: ReturnType<import('../../electron/sandbox/faults').FaultController['stats']>;
  /** For each 429 the Infigo sandbox sent: the gap until the same request came again. */
  retryAfterGaps: { path: string; retryAfterMs: number; gapMs: number }[];
  durationMs: number;
}

export async function faultsRun(o: { orders: number; maxCycles?: number; faults?: FaultConfig; log?: (l: string) => void }): Promise<FaultsRunResult> {
  const log = o.log ?? ((l: string) => console.log(l));
  const faults = o.faults ?? FAULTS_ISSUE_PRESET;
  const t0 = Date.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-faults-'));
  const sb = await startRelSandbox({ orders: o.orders, pdfBytes: 40_000, seed: 5, faults, fileRetries: 5 });
  const engine = await startEngine({ dataDir, mode: 'headless', schedule: false });
  const server = await engine.serve({ port: 0 });
  try {
    const imported = await engine.call('config.import', { json: JSON.stringify(sb.config(server.url)) });
    if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
    await activate(engine.ctx, { by: 'sandbox', cutover: 'none' });
    let cycles = 0;
    for (; cycles < (o.maxCycles ?? 40); ) {
      cycles++;
      const r = await engine.call('sync.now', {});
      const counts = engine.ctx.repo.counts();
      const active = ACTIVE_STATES.reduce((n, s) => n + (counts[s as keyof typeof counts] ?? 0), 0);
      log(`cycle ${cycles}: ${JSON.stringify(counts)}; errors this cycle ${r.summary?.errors.length ?? '?'}${r.summary?.errors[0] ? ` (e.g. ${r.summary.errors[0].reason.slice(0, 140)})` : ''}`);
      if (active === 0) break;
    }
    for (const g of sb.gelato.orders()) await sb.gelato.waitForFilesSettled(g.id, 120_000);
    const infigoFaults = sb.infigo.faults.stats();
    const gelatoFaults = sb.gelato.faults.stats();
    sb.infigo.faults.clear();
    sb.gelato.faults.clear();
    const report = await finalReport(sb, dataDir, storeOrderIds(sb, o.orders));
    const retryEvents = engine.ctx.db.prepare("SELECT count(*) FROM events WHERE kind = 'retry'").pluck().get() as number;
    const ordersWithRetries = engine.ctx.db.prepare("SELECT count(DISTINCT order_id) FROM events WHERE kind = 'retry' AND order_id IS NOT NULL").pluck().get() as number;
    const retryAfterMs = (faults.rules.find((r) => r.rateLimitRate)?.retryAfterSeconds ?? 1) * 1000;
    const retryAfterGaps = gapsAfter429(sb.infigo.requests(), retryAfterMs);
    log(`faults: Infigo ${summary(infigoFaults)}; GelatoConnect ${summary(gelatoFaults)}; retry events ${retryEvents} on ${ordersWithRetries} orders`);
    return { report, cycles, retryEvents, ordersWithRetries, infigoFaults, gelatoFaults, retryAfterGaps, durationMs: Date.now() - t0 };
  } finally {
    await server.close();
    await engine.stop();
    await sb.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function summary(s: { total: number; errors: number; resets: number; rateLimited: number; delayed: number; truncated: number; dripped: number }): string {
  return `${s.total} requests: ${s.errors} 5xx, ${s.resets} resets, ${s.rateLimited} 429, ${s.delayed} delayed, ${s.truncated} truncated, ${s.dripped} dripped`;
}

function gapsAfter429(reqs: RequestRecord[], retryAfterMs: number): { path: string; retryAfterMs: number; gapMs: number }[] {
  const out: { path: string; retryAfterMs: number; gapMs: number }[] = [];
  for (const r of reqs) {
    if (r.status !== 429) continue;
    const next = reqs.find((n) => n.seq > r.seq && n.method === r.method && n.path.toLowerCase() === r.path.toLowerCase() && n.query === r.query);
    if (!next) continue;
    const answeredAt = Date.parse(r.at) + r.durationMs;
    out.push({ path: r.query ? `${r.path}?${r.query}` : r.path, retryAfterMs, gapMs: Date.parse(next.at) - answeredAt });
  }
  return out;
}
