// The engine in a process of its own, so a test can SIGKILL it at any moment.
//
//   node --import tsx test/reliability/engine-child.ts <dataDir> <port> [configFile]
//
// Starts the engine and its HTTP server (signed file URLs) on a FIXED port, so links
// handed to GelatoConnect before a kill still answer after the restart; imports the
// configuration on first start; runs `sync.now` until no order is left in an active
// state (bounded), printing one JSON line per cycle; then exits 0 (with
// PRESSLINK_CHILD_HOLD=1 it keeps serving files until SIGTERM).
import fs from 'node:fs';
import { startEngine } from '../../electron/core/engine';
import { activate } from '../../electron/core/golive/activation';

const ACTIVE = ['discovered', 'classified', 'files', 'submitting'] as const;
const MAX_CYCLES = Number(process.env.PRESSLINK_CHILD_MAX_CYCLES ?? 30);

async function main(): Promise<void> {
  const [dataDir, portArg, configFile] = process.argv.slice(2);
  if (!dataDir || !portArg) throw new Error('usage: engine-child.ts <dataDir> <port> [configFile]');
  const engine = await startEngine({ dataDir, mode: 'headless', schedule: false });
  const server = await engine.serve({ port: Number(portArg) });
  if (!engine.ctx.config.isConfigured() && configFile) {
    const r = await engine.call('config.import', { json: fs.readFileSync(configFile, 'utf8') });
    if (!r.ok) throw new Error(`config rejected: ${JSON.stringify(r.problems)}`);
    // The sandbox's simulated orders count as new, as with "Try with the sandbox".
    await activate(engine.ctx, { by: 'sandbox', cutover: 'none' });
  }
  print({ event: 'ready', pid: process.pid, url: server.url });
  for (let cycle = 1; cycle <= MAX_CYCLES; cycle++) {
    const r = await engine.call('sync.now', {});
    const counts = engine.ctx.repo.counts();
    const active = ACTIVE.reduce((n, s) => n + (counts[s] ?? 0), 0);
    const s = r.summary;
    print({ event: 'cycle', cycle, active, counts, discovered: s?.discovered, submitted: s?.submitted, errors: s?.errors.length ?? 0, firstError: s?.errors[0]?.reason });
    if (active === 0) break;
  }
  print({ event: 'idle', vmHwmKb: vmHwmKb() });
  // GelatoConnect fetches files after submission: a test may keep the file server up until it has.
  if (process.env.PRESSLINK_CHILD_HOLD === '1') await new Promise((r) => process.once('SIGTERM', r));
  await server.close();
  await engine.stop();
  print({ event: 'done' });
}

/** Peak resident set size of this process so far (Linux), for the benchmarks. */
function vmHwmKb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function print(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ at: Date.now(), ...o })}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`engine-child failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
