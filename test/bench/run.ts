// npm run bench [-- --quick] [-- --only=sync,downloads,orderlog,coldstart,postbacks,quotes]
// Prints a table of figures, each beside a baseline measured in the same run, and writes
// them as JSON under bench/results/. Figures, not pass/fail: nothing here is a test.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, freePort } from '../reliability/lib';
import { benchDownloads, benchDownloadsOnLink } from './downloads';
import { isBuilt, startServe } from './serve';
import { benchColdStart, benchOrderLog, benchPostbacks, benchQuotes, makeBigDataDir } from './server-benches';
import { benchSync } from './sync';
import { round } from './util';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (name: string) => !only || only.includes(name);

interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  goal: string;
}
const rows: Row[] = [];
const results: Record<string, unknown> = {};
const row = (figure: string, value: string, baseline: string, ratio: number | null, goal: string) => rows.push({ figure, value, baseline, ratio: ratio === null ? '' : `${round(ratio, 2)}×`, goal });

function machine() {
  const sh = (c: string) => {
    try {
      return execSync(c, { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  };
  return {
    cpus: sh('nproc'),
    cpuModel: os.cpus()[0]?.model ?? '?',
    memory: sh("free -h | awk '/Mem:/ {print $2}'"),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    load: os.loadavg().map((l) => round(l, 2)),
    distBuiltAt: isBuilt() ? fs.statSync(path.join(ROOT, 'dist/cli.mjs')).mtime.toISOString() : null,
  };
}

async function section(name: string, f: () => Promise<void>): Promise<void> {
  if (!want(name)) return;
  console.log(`\n== ${name}${quick ? ' (quick)' : ''}`);
  const t0 = Date.now();
  try {
    await f();
  } catch (e) {
    console.log(`  not measured: ${(e as Error).message.split('\n')[0]}`);
    results[name] = { notMeasured: (e as Error).message.split('\n')[0] };
    row(name, 'not measured', '', null, '');
  }
  console.log(`  (${Math.round((Date.now() - t0) / 1000)} s)`);
}

async function main(): Promise<void> {
  const m = machine();
  console.log(`Presslink benchmarks — ${m.cpus} CPUs (${m.cpuModel}), ${m.memory} RAM, Node ${m.node}, load ${m.load.join(' ')}`);
  if (!isBuilt()) console.log('dist/cli.mjs is missing: figures that need the built `presslink serve` will say "not measured". Run `node scripts/build-node.mjs`.');

  await section('sync', async () => {
    const n = quick ? 150 : 2000;
    const s = await benchSync(n);
    results.sync = s;
    row(`sync ${n} orders × 2 files × 1 MB`, `${round(s.engineMs / 1000, 1)} s (${round(s.engineOrdersPerSec, 1)} orders/s)`, `${round(s.baselineMs / 1000, 1)} s stateless script`, s.ratio, '≤ 1.3×');
    row('  engine peak RSS during sync', `${s.enginePeakRssMb} MB`, `${s.baselinePeakRssMb} MB`, null, '(none; the 200 MB goal is for downloads)');
  });

  await section('downloads', async () => {
    const cases: [string, number, number][] = quick
      ? [['1 × 200 MB', 1, 200_000_000], ['40 × 5 MB', 40, 5_000_000]]
      : [['1 × 1 GB', 1, 1_000_000_000], ['200 × 5 MB', 200, 5_000_000]];
    const out = [];
    for (const [label, files, bytes] of cases) {
      const d = await benchDownloads(label, files, bytes, 4);
      out.push(d);
      row(`download ${label} (engine sync)`, `${round(d.engineMBps, 0)} MB/s`, `curl ${round(d.curlMBps, 0)} MB/s`, d.ratio, '≥ 0.9× curl');
      row(`download ${label} (downloader alone)`, `${round(d.downloaderMBps, 0)} MB/s`, `curl ${round(d.curlMBps, 0)} MB/s`, d.downloaderRatio, '≥ 0.9× curl');
      row(`  peak RSS, ${label}`, `${d.enginePeakRssMb} MB (presslink serve)`, '', null, '< 200 MB');
      const perGb = (x: number | null) => (x === null ? '?' : `${round((x * 1e9) / (files * bytes), 2)} s`);
      row(`  CPU per GB, ${label}`, `downloader ${perGb(d.cpu.downloaderS)} + sandbox ${perGb(d.cpu.downloaderServerS)}`, `curl ${perGb(d.cpu.curlS)} + sandbox ${perGb(d.cpu.curlServerS)}`, null, '(what limits it)');
    }
    results.downloads = out;
    // The same transfers over a paced link of a fast shop connection: what a shop sees.
    const LINK_MBPS = 100;
    const linked = [];
    for (const [label, files, bytes] of cases) {
      const l = await benchDownloadsOnLink(label, files, bytes, LINK_MBPS, 4);
      linked.push(l);
      row(`download ${label} over a ${LINK_MBPS} MB/s link (downloader)`, `${round(l.downloaderMBps, 0)} MB/s`, `curl ${round(l.curlMBps, 0)} MB/s`, l.ratio, '≥ 0.9× curl');
    }
    results.downloadsOnLink = linked;
  });

  const needServer = ['coldstart', 'orderlog', 'quotes', 'postbacks'].some(want);
  if (needServer) {
    const n = quick ? 20_000 : 100_000;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-bench-big-'));
    try {
      if (!isBuilt()) throw new Error('not built');
      const t0 = Date.now();
      makeBigDataDir(dataDir, n);
      console.log(`\n(database with ${n.toLocaleString('en')} orders made in ${Math.round((Date.now() - t0) / 1000)} s)`);
      await section('coldstart', async () => {
        const c = await benchColdStart(dataDir, quick ? 3 : 5);
        results.coldstart = c;
        row(`cold start, ${n.toLocaleString('en')} orders`, `${Math.round(c.serveMedianMs)} ms (median of ${c.serveMs.length})`, `bare node http ${Math.round(c.bareMedianMs)} ms`, c.ratio, '< 1500 ms');
        row('  cold start after an unclean end (full integrity check)', `${Math.round(c.afterCrashMs)} ms`, '', null, '(no goal)');
      });
      const port = await freePort();
      const s = await startServe(dataDir, port);
      try {
        await section('orderlog', async () => {
          const o = await benchOrderLog(s, n);
          results.orderlog = o;
          for (const [k, v] of Object.entries(o.http)) row(`orders.list over HTTP: ${k}`, `${round(v.medianMs, 1)} ms (p95 ${round(v.p95Ms, 1)})`, '', null, '');
          if ('notMeasured' in o.ui) row('order log in Chromium', `not measured: ${o.ui.notMeasured}`, '', null, '');
          else {
            const first = o.http['first page (100 newest)']!.medianMs;
            const search = o.http['text search ("hopper")']!.medianMs;
            const state = o.http['state filter (needs attention)']!.medianMs;
            row('order log in Chromium: first rows', `${o.ui.firstRowsMs} ms`, `HTTP ${round(first, 1)} ms`, o.ui.firstRowsMs / first, '< 1 s');
            // Input event (or click) → the new filter's total and newest row in the DOM, median of 10.
            row('order log in Chromium: text search → rows', `${o.ui.filterMs} ms (painted ${o.ui.filterFrameMs} ms)`, `HTTP ${round(search, 1)} ms`, o.ui.filterMs / search, '< 100 ms');
            row('order log in Chromium: state filter → rows', `${o.ui.stateFilterMs} ms (painted ${o.ui.stateFilterFrameMs} ms)`, `HTTP ${round(state, 1)} ms`, o.ui.stateFilterMs / state, '< 100 ms');
          }
        });
        await section('quotes', async () => {
          const q = await benchQuotes(s, quick ? 5 : 15, 200);
          results.quotes = q;
          if ('notMeasured' in q) row('shipping quotes @200 req/s', `not measured: ${q.notMeasured}`, '', null, '');
          else row('shipping quotes @200 req/s: p99', `${q.p99Ms} ms (p50 ${q.p50Ms}, ${round(q.rps, 0)} req/s, non-2xx ${q.non2xx})`, `bare server p99 ${q.baseline.p99Ms} ms`, q.p99Ms / Math.max(1, q.baseline.p99Ms), '< 50 ms');
        });
        await section('postbacks', async () => {
          const p = await benchPostbacks(s, quick ? 5 : 15);
          results.postbacks = p;
          if ('notMeasured' in p) row('postback intake', `not measured: ${p.notMeasured}`, '', null, '');
          else {
            row('postback intake: throughput', `${round(p.rps, 0)} req/s (non-2xx ${p.non2xx}, errors ${p.errors})`, `bare server ${round(p.baseline.rps, 0)} req/s`, p.rps / p.baseline.rps, '');
            row('postback intake: p99 ack', `${p.p99Ms} ms (p50 ${p.p50Ms})`, `bare server ${p.baseline.p99Ms} ms`, p.p99Ms / Math.max(1, p.baseline.p99Ms), '');
          }
        });
      } finally {
        await s.stop();
      }
    } catch (e) {
      console.log(`server benchmarks not measured: ${(e as Error).message}`);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }

  const widths = (['figure', 'value', 'baseline', 'ratio', 'goal'] as const).map((k) => Math.max(k.length, ...rows.map((r) => r[k].length)));
  const line = (r: Row) => (['figure', 'value', 'baseline', 'ratio', 'goal'] as const).map((k, i) => r[k].padEnd(widths[i]!)).join(' | ');
  console.log(`\n${line({ figure: 'figure', value: 'value', baseline: 'baseline', ratio: 'ratio', goal: 'goal' })}`);
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));

  const dir = path.join(ROOT, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`);
  fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), quick, machine: m, rows, results }, null, 2));
  console.log(`\nwritten to ${path.relative(ROOT, file)}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
