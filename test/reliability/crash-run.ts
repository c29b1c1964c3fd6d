// The crash-safety run: the engine in a child process, SIGKILLed and restarted again and
// again, against a sandbox living in the test process.
//
// Why kills follow the engine's progress and not the clock: a kill "0.3–1 s after ready"
// lands mid-work on one machine and after the work is done on a faster one (a clean-clone
// CI run once had only 2 of 5 kills interrupt anything). Here each kill is aimed at a
// point of the work itself, read from the engine's own database by a read-only connection
// beside it: "just after the 23rd submission began" (an outbox entry is written before
// the request leaves, so the kill usually catches a submission in flight) or "just after
// the 31st print file was downloaded". The points are seeded and spread over the first
// ~80 % of the work, so every kill interrupts real work on any machine, fast or slow.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ACTIVE_STATES, expectedWork, finalReport, freePort, ProgressWatch, seededRandom, spawnEngineChild, startRelSandbox, storeOrderIds, waitFor, writeConfig, type EngineChild, type EngineProgress, type FinalReport } from './lib';

export interface CrashRunOptions {
  orders: number;
  kills: number;
  seed?: number;
  pdfBytes?: number;
  /** A life whose kill point is not reached within this time is killed anyway (and says so). */
  lifeTimeoutMs?: number;
  /** Bound on the final clean run, files fetched by GelatoConnect included. */
  finalTimeoutMs?: number;
  log?: (line: string) => void;
}

/** Where a kill is aimed: the moment a progress count of the engine reaches `target`. */
export interface KillPoint {
  metric: keyof EngineProgress;
  target: number;
}

export interface KillRecord extends KillPoint {
  life: number;
  /** The count when the kill was sent (≥ target unless the life stalled). */
  atKill: number;
  msAfterReady: number;
  /** The kill point was never reached and the life was killed by its timeout. */
  stalled: boolean;
  /** Orders in an active state after the kill: the work the kill interrupted. */
  activeAfter: number;
  /** Submissions whose outcome the engine had not recorded (outbox entries in flight). */
  inFlightSubmissions: number;
}

export interface CrashRunResult {
  seed: number;
  plan: KillPoint[];
  kills: KillRecord[];
  killedLives: number;
  /** Kills after which orders were still active: the ones that interrupted real work. */
  killsMidWork: number;
  report: FinalReport;
  finalCycles: number;
  restarts: number;
}

/**
 * Seeded kill points, one per life, in rising segments of the expected work: kill k of K
 * aims within (k + 0.15)/(K + 1) … (k + 0.85)/(K + 1) of its count's total, so the last
 * one still leaves about a fifth of the work undone, and successive kills do not bunch up.
 */
export function planKills(rand: () => number, kills: number, total: EngineProgress): KillPoint[] {
  const plan: KillPoint[] = [];
  for (let k = 0; k < kills; k++) {
    const metric: keyof EngineProgress = rand() < 0.5 ? 'submissions' : 'downloads';
    const lo = Math.floor((total[metric] * (k + 0.15)) / (kills + 1));
    const hi = Math.floor((total[metric] * (k + 0.85)) / (kills + 1));
    plan.push({ metric, target: Math.max(1, lo + Math.floor(rand() * (hi - lo + 1))) });
  }
  return plan;
}

export async function crashRun(o: CrashRunOptions): Promise<CrashRunResult> {
  const seed = o.seed ?? (Number(process.env.RELIABILITY_SEED) || Math.floor(Math.random() * 1e9));
  const log = o.log ?? ((l: string) => console.log(l));
  const rand = seededRandom(seed);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-crash-'));
  const dbFile = path.join(dataDir, 'presslink.db');
  const sb = await startRelSandbox({ orders: o.orders, pdfBytes: o.pdfBytes ?? 48_000, seed: 7 });
  try {
    const port = await freePort();
    const configFile = writeConfig(dataDir, sb.config(`http://127.0.0.1:${port}`));
    const ids = storeOrderIds(sb, o.orders);
    const total = expectedWork(sb, ids);
    const plan = planKills(rand, o.kills, total);
    log(`crash run: seed=${seed} orders=${o.orders} kills=${o.kills} (repeat with RELIABILITY_SEED=${seed}); expected work ${JSON.stringify(total)}; kill points ${plan.map((p) => `${p.metric}≥${p.target}`).join(', ')}`);
    const kills: KillRecord[] = [];
    let killsMidWork = 0;
    let live: EngineChild | null = null;
    try {
      for (let k = 0; k < o.kills; k++) {
        const c = spawnEngineChild(dataDir, port, configFile);
        live = c;
        await waitFor('the engine child to start', () => c.events().some((e) => e.event === 'ready') || c.child.exitCode !== null, 60_000, 10);
        const readyAt = Date.now();
        const watch = new ProgressWatch(dbFile);
        const point = plan[k]!;
        // Each life does at least one step of its own before it is killed, even when the
        // previous life overshot this life's point.
        const target = Math.max(point.target, watch.read()[point.metric] + 1);
        let reached = false;
        try {
          await waitFor(
            `${point.metric} to reach ${target}`,
            () => (reached = watch.read()[point.metric] >= target) || c.child.exitCode !== null,
            o.lifeTimeoutMs ?? 120_000,
            2,
          );
        } catch {
          // Stalled: killed below all the same, and reported as such.
        }
        const stalled = !reached && c.child.exitCode === null;
        const atKill = watch.read()[point.metric];
        watch.close();
        c.child.kill('SIGKILL');
        const r = await c.exited;
        const msAfterReady = Date.now() - readyAt;
        const cycles = c.events().filter((e) => e.event === 'cycle');
        if (r.signal === 'SIGKILL') {
          const after = dbSnapshot(dbFile);
          const activeAfter = ACTIVE_STATES.reduce((n, st) => n + (after.states[st] ?? 0), 0);
          if (activeAfter > 0) killsMidWork++;
          kills.push({ life: k + 1, metric: point.metric, target, atKill, msAfterReady, stalled, activeAfter, inFlightSubmissions: after.inFlight });
          log(
            `kill ${k + 1}/${o.kills} ${stalled ? `STALLED: ${point.metric} stayed at ${atKill} < ${target}` : `at ${point.metric} ${atKill} (aimed ≥ ${target})`}, ${msAfterReady} ms after ready; ` +
              `cycles completed ${cycles.length}; states now ${JSON.stringify(after.states)}; submissions in flight ${after.inFlight}; in GelatoConnect ${sb.gelato.orders().length}`,
          );
        } else {
          log(`life ${k + 1} ended by itself (code ${r.code}) before reaching ${point.metric} ${target}`);
          if (r.code !== 0) throw new Error(`engine child failed:\n${c.output()}`);
        }
      }
    } finally {
      // A run that fails half-way leaves no engine behind.
      if (live && live.child.exitCode === null && live.child.signalCode === null) {
        live.child.kill('SIGKILL');
        await live.exited;
      }
    }
    // A final clean run to completion, kept up until GelatoConnect has fetched every file.
    const fin = spawnEngineChild(dataDir, port, configFile, { PRESSLINK_CHILD_HOLD: '1' });
    const finalStart = Date.now();
    try {
      try {
        await waitFor('the final run to finish', () => fin.events().some((e) => e.event === 'idle') || fin.child.exitCode !== null, o.finalTimeoutMs ?? 600_000, 100);
      } catch (e) {
        throw new Error(`${(e as Error).message}; states ${JSON.stringify(dbSnapshot(dbFile))}; its output:\n${fin.output().slice(-4000)}`);
      }
      if (fin.child.exitCode !== null) throw new Error(`final engine run exited early:\n${fin.output()}`);
      const left = () => Math.max(1000, (o.finalTimeoutMs ?? 600_000) - (Date.now() - finalStart));
      for (const g of sb.gelato.orders()) {
        try {
          await sb.gelato.waitForFilesSettled(g.id, Math.min(120_000, left()));
        } catch (e) {
          const files = sb.gelato.orders().find((x) => x.id === g.id)?.files.map((f) => ({ status: f.status, attempts: f.attempts, problem: f.problem })) ?? [];
          throw new Error(`${(e as Error).message}; its files ${JSON.stringify(files)}; ${sb.gelato.orders().filter((x) => x.files.some((f) => f.status === 'pending')).length} order(s) with files still pending`);
        }
      }
    } finally {
      fin.child.kill('SIGTERM');
      await fin.exited;
    }
    const finalCycles = fin.events().filter((e) => e.event === 'cycle').length;
    const report = await finalReport(sb, dataDir, ids);
    log(`final: states ${JSON.stringify(report.states)}; eligible ${report.eligible.length}; in GelatoConnect ${sb.gelato.orders().length}; files checked ${report.filesChecked}; final run cycles ${finalCycles}`);
    log(`${kills.length} kills, ${killsMidWork} of them with orders still active, ${kills.filter((x) => x.inFlightSubmissions > 0).length} with a submission in flight`);
    return { seed, plan, kills, killedLives: kills.length, killsMidWork, report, finalCycles, restarts: o.kills };
  } finally {
    await sb.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function dbSnapshot(file: string): { states: Record<string, number>; inFlight: number } {
  if (!fs.existsSync(file)) return { states: {}, inFlight: 0 };
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT state, count(*) AS n FROM orders GROUP BY state').all() as { state: string; n: number }[];
    const inFlight = db.prepare("SELECT count(*) FROM outbox WHERE kind = 'submit' AND state = 'in_flight'").pluck().get() as number;
    return { states: Object.fromEntries(rows.map((r) => [r.state, r.n])), inFlight };
  } catch {
    return { states: {}, inFlight: 0 };
  } finally {
    db.close();
  }
}
