// The engine's downloader alone (InfigoClient.downloadOutput: streamed, resumable,
// sha256-verified), N jobs with P in parallel, in a process of its own.
//   node --import tsx test/bench/download-child.ts <json {baseUrl, token, jobs, dir, parallel}>
import fs from 'node:fs';
import path from 'node:path';
import { InfigoClient } from '../../electron/core/infigo/client';

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2]!) as { baseUrl: string; token: string; jobs: string[]; dir: string; parallel: number };
  const client = new InfigoClient({ baseUrl: a.baseUrl, token: a.token });
  const queue = [...a.jobs];
  let bytes = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: a.parallel }, async () => {
      for (let j = queue.shift(); j !== undefined; j = queue.shift()) {
        // As the engine downloads: no fsync per file (the engine syncs an order's files before delivering them).
        const r = await client.downloadOutput(j, path.join(a.dir, `${j}.pdf`), { fsync: false });
        bytes += r.bytes;
      }
    }),
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  process.stdout.write(`${JSON.stringify({ ms, bytes, vmHwmKb: m ? Number(m[1]) : null, cpuS: (cpu.user + cpu.system) / 1e6 })}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`download-child failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
