// The crash-safety run: the engine in a child process, SIGKILLed at seeded random
// moments and restarted each time, against a sandbox living in the test process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ACTIVE_STATES, finalReport, freePort, seededRandom, spawnEngineChild, startRelSandbox, storeOrderIds, waitFor, writeConfig, type FinalReport } from './lib';

export interface CrashRunOptions {
  orders: number;
  kills: number;
  seed?: number;
  /** Kill moments are drawn from [minMs, maxMs] after the engine reports ready. */
  minMs?: number;
  maxMs?: number;
  pdfBytes?: number;
  log?: (line: string) => void;
}

export interface CrashRunResult {
  seed: number;
  killTimesMs: number[];
  killedLives: number;
  /** Kills after which orders were still active: the ones that interrupted real work. */
  killsMidWork: number;
  report: FinalReport;
  finalCycles: number;
  restarts: number;
}

export async function crashRun(o: CrashRunOptions): Promise<CrashRunResult> {
  const seed = o.seed ?? (Number(process.env.RELIABILITY_SEED) || Math.floor(Math.random() * 1e9));
  const log = o.log ?? ((l: string) => console.log(l));
  log(`crash run: seed=${seed} orders=${o.orders} kills=${o.kills} (repeat with RELIABILITY_SEED=${seed})`);
  const rand = seededRandom(seed);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-crash-'));
  const sb = await startRelSandbox({ orders: o.orders, pdfBytes: o.pdfBytes ?? 48_000, seed: 7 });
  try {
    const port = await freePort();
    const configFile = writeConfig(dataDir, sb.config(`http://127.0.0.1:${port}`));
    const ids = storeOrderIds(sb, o.orders);
    const killTimesMs: number[] = [];
    const min = o.minMs ?? 0;
    const max = o.maxMs ?? 2500;
    let killedLives = 0;
    let killsMidWork = 0;
    for (let k = 0; k < o.kills; k++) {
      const at = Math.round(min + rand() * (max - min));
      const c = spawnEngineChild(dataDir, port, configFile);
      // Timed from "ready" so start-up time (tsx compiling) does not eat the budget.
      await waitFor('the engine child to start', () => c.events().some((e) => e.event === 'ready') || c.child.exitCode !== null, 60_000, 10);
      const timer = setTimeout(() => c.child.kill('SIGKILL'), at);
      const r = await c.exited;
      clearTimeout(timer);
      const cycles = c.events().filter((e) => e.event === 'cycle');
      if (r.signal === 'SIGKILL') {
        killedLives++;
        killTimesMs.push(at);
        const ready = c.events().find((e) => e.event === 'ready');
        const states = dbStates(dataDir);
        if (ACTIVE_STATES.some((st) => states[st])) killsMidWork++;
        log(`kill ${k + 1}/${o.kills} at ${at} ms after ready${ready ? '' : ' (never got ready)'}; cycles completed ${cycles.length}; states now ${JSON.stringify(states)}; in GelatoConnect ${sb.gelato.orders().length}`);
      } else {
        log(`life ${k + 1} ended by itself (code ${r.code}) before its kill at ${at} ms`);
        if (r.code !== 0) throw new Error(`engine child failed:\n${c.output()}`);
      }
    }
    // A final clean run to completion, kept up until GelatoConnect has fetched every file.
    const fin = spawnEngineChild(dataDir, port, configFile, { PRESSLINK_CHILD_HOLD: '1' });
    try {
      await waitFor('the final run to finish', () => fin.events().some((e) => e.event === 'idle') || fin.child.exitCode !== null, 600_000, 100);
      if (fin.child.exitCode !== null) throw new Error(`final engine run exited early:\n${fin.output()}`);
      for (const g of sb.gelato.orders()) await sb.gelato.waitForFilesSettled(g.id, 120_000);
    } finally {
      fin.child.kill('SIGTERM');
      await fin.exited;
    }
    const finalCycles = fin.events().filter((e) => e.event === 'cycle').length;
    const report = await finalReport(sb, dataDir, ids);
    log(`final: states ${JSON.stringify(report.states)}; eligible ${report.eligible.length}; in GelatoConnect ${sb.gelato.orders().length}; files checked ${report.filesChecked}; final run cycles ${finalCycles}`);
    log(`${killedLives} kills, ${killsMidWork} of them with orders still active`);
    return { seed, killTimesMs, killedLives, killsMidWork, report, finalCycles, restarts: o.kills };
  } finally {
    await sb.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function dbStates(dataDir: string): Record<string, number> {
  const file = path.join(dataDir, 'presslink.db');
  if (!fs.existsSync(file)) return {};
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT state, count(*) AS n FROM orders GROUP BY state').all() as { state: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } catch {
    return {};
  } finally {
    db.close();
  }
}
