// Print-file downloads through the shipped engine (`presslink serve`, one sync) against
// curl fetching the same files from the same Infigo sandbox with the same parallelism.
// GelatoConnect's own file fetching is switched off here (allowHosts names no real host)
// so that only the download path is measured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startRelSandbox, writeConfig } from '../reliability/lib';
import { importConfig, isBuilt, startServe, syncUntilIdle } from './serve';
import { startLinkProxy } from './link-proxy';
import { run, watchPeakRss } from './util';

export interface DownloadFigures {
  label: string;
  files: number;
  bytesEach: number;
  parallel: number;
  engineMs: number;
  curlMs: number;
  engineMBps: number;
  curlMBps: number;
  /** Engine throughput as a share of curl's (goal ≥ 0.9). */
  ratio: number;
  enginePeakRssMb: number | null;
  /** The engine's downloader alone (no sync around it), same files, same parallelism. */
  downloaderMs: number;
  downloaderMBps: number;
  downloaderRatio: number;
  downloaderPeakRssMb: number | null;
  /** CPU seconds (user + system) spent by each side, and by the sandbox serving it: on a
   *  two-CPU machine the client's CPU per byte decides how much is left for the server. */
  cpu: { curlS: number | null; curlServerS: number; downloaderS: number | null; downloaderServerS: number };
}

function cpuSeconds(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1e6;
}

/** bash's `times` prints the shell's, then its children's, user and system time. */
function parseTimes(out: string): number | null {
  const lines = out.trim().split('\n').filter((l) => /^\d+m[\d.]+s \d+m[\d.]+s$/.test(l.trim()));
  const last = lines[lines.length - 1];
  if (!last) return null;
  return last
    .trim()
    .split(' ')
    .reduce((n, t) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(t)!;
      return n + Number(m[1]) * 60 + Number(m[2]);
    }, 0);
}

const ADDRESS = { FirstName: 'Ada', LastName: 'Lovelace', CompanyName: '', AddressLine1: '1 Main St', AddressLine2: '', Town: 'London', ZipPostalCode: 'SW1A 1AA', StateProvince: '', Country: 'GB', Telephone: '', FaxNumber: '', Email: 'a@example.com' };

/** A sandbox holding `files` print files of `bytesEach`, its job ids and checksums warmed. */
async function downloadSandbox(files: number, bytesEach: number) {
  const sb = await startRelSandbox({ orders: 0, pdfBytes: bytesEach, seed: 31, fileRetries: 0, allowHosts: ['nowhere.invalid'] });
  const jobs: string[] = [];
  for (let i = 0; i < files; i++) {
    const v = sb.infigo.addOrder(sb.storeId, { orderStatus: 'Pending', shippingMethod: 'First Class', shippingAddress: ADDRESS, lines: [{ sku: 'POSTER-A2', quantity: 1, pdfBytes: bytesEach }] });
    jobs.push(v.lines[0]!.jobId);
  }
  const store = sb.infigo.stores[0]!;
  // Warm the sandbox's checksum cache so neither side pays for the server hashing the file.
  for (const j of jobs) await fetch(`${store.baseUrl}/services/api/orderlineitem/download/${j}`, { method: 'HEAD', headers: { authorization: `Basic ${store.token}` } });
  return { sb, store, jobs };
}

/** curl fetching every job from `baseUrl`, `parallel` at a time; its wall and CPU time. */
async function curlFetch(baseUrl: string, token: string, jobs: string[], parallel: number, expectBytes: number) {
  const curlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-bench-curl-'));
  try {
    const cfgFile = path.join(curlDir, 'curl.cfg');
    fs.writeFileSync(
      cfgFile,
      [`header = "authorization: Basic ${token}"`, 'silent', 'fail', ...jobs.flatMap((j) => [`url = "${baseUrl}/services/api/orderlineitem/download/${j}"`, `output = "${path.join(curlDir, `${j}.pdf`)}"`])].join('\n'),
    );
    const t0 = performance.now();
    const serverCpu0 = process.cpuUsage();
    // Through bash only to read curl's CPU time with `times` afterwards.
    const c = run('bash', ['-c', 'curl --parallel --parallel-max "$1" -K "$2"; rc=$?; times; exit $rc', 'bench', String(parallel), cfgFile]);
    const code = await c.exited;
    const ms = performance.now() - t0;
    const serverS = cpuSeconds(process.cpuUsage(serverCpu0));
    if (code !== 0) throw new Error(`curl failed (${code}): ${c.output()}`);
    const got = jobs.reduce((n, j) => n + fs.statSync(path.join(curlDir, `${j}.pdf`)).size, 0);
    if (got !== expectBytes) throw new Error(`curl fetched ${got} bytes, expected ${expectBytes}`);
    return { ms, cpuS: parseTimes(c.output()), serverS };
  } finally {
    fs.rmSync(curlDir, { recursive: true, force: true });
  }
}

/** The engine's downloader alone (download-child.ts), same jobs, same parallelism. */
async function downloaderFetch(baseUrl: string, token: string, jobs: string[], parallel: number) {
  const dlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-bench-dlonly-'));
  try {
    const serverCpu0 = process.cpuUsage();
    const d = run(process.execPath, ['--import', 'tsx', path.join(path.dirname(new URL(import.meta.url).pathname), 'download-child.ts'), JSON.stringify({ baseUrl, token, jobs, dir: dlDir, parallel })]);
    const code = await d.exited;
    const serverS = cpuSeconds(process.cpuUsage(serverCpu0));
    const out = d.lines()[0];
    if (code !== 0 || !out) throw new Error(`download-child failed: ${d.output()}`);
    return {
      ms: out.ms as number,
      peakRssMb: out.vmHwmKb ? Math.round((out.vmHwmKb as number) / 1024) : null,
      cpuS: typeof out.cpuS === 'number' ? out.cpuS : null,
      serverS,
    };
  } finally {
    fs.rmSync(dlDir, { recursive: true, force: true });
  }
}

export interface LinkDownloadFigures {
  label: string;
  linkMBps: number;
  curlMBps: number;
  downloaderMBps: number;
  /** Downloader throughput as a share of curl's over the same link. */
  ratio: number;
}

/** Both clients through one paced link of `linkMBps` (see link-proxy.ts). */
export async function benchDownloadsOnLink(label: string, files: number, bytesEach: number, linkMBps: number, parallel = 4, log = console.log): Promise<LinkDownloadFigures> {
  const { sb, store, jobs } = await downloadSandbox(files, bytesEach);
  const proxy = await startLinkProxy({ host: '127.0.0.1', port: Number(new URL(store.baseUrl).port) }, linkMBps * 1048576);
  try {
    const base = new URL(store.baseUrl);
    base.port = String(proxy.port);
    const linked = base.toString().replace(/\/$/, '');
    const total = files * bytesEach;
    const c = await curlFetch(linked, store.token, jobs, parallel, total);
    const d = await downloaderFetch(linked, store.token, jobs, parallel);
    const curlMBps = total / 1048576 / (c.ms / 1000);
    const downloaderMBps = total / 1048576 / (d.ms / 1000);
    log(`  ${label} over a ${linkMBps} MB/s link: downloader ${downloaderMBps.toFixed(0)} MB/s, curl ${curlMBps.toFixed(0)} MB/s`);
    return { label, linkMBps, curlMBps, downloaderMBps, ratio: downloaderMBps / curlMBps };
  } finally {
    await proxy.close();
    await sb.close();
  }
}

export async function benchDownloads(label: string, files: number, bytesEach: number, parallel = 4, log = console.log): Promise<DownloadFigures> {
  if (!isBuilt()) throw new Error('not built: run `node scripts/build-node.mjs` first');
  const { sb, store, jobs } = await downloadSandbox(files, bytesEach);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-bench-dl-'));
  try {
    // curl first; then the engine (the page cache holds neither side's output files).
    const c = await curlFetch(store.baseUrl, store.token, jobs, parallel, files * bytesEach);
    const { ms: curlMs, cpuS: curlS, serverS: curlServerS } = c;
    const dl = await downloaderFetch(store.baseUrl, store.token, jobs, parallel);
    const { ms: downloaderMs, peakRssMb: downloaderPeakRssMb, cpuS: downloaderS, serverS: downloaderServerS } = dl;

    const port = await freePort();
    const cfg = writeConfig(dataDir, sb.config(`http://127.0.0.1:${port}`, (c) => {
      c.sync = { downloadConcurrency: parallel };
    }));
    await importConfig(dataDir, cfg);
    const s = await startServe(dataDir, port);
    const rss = watchPeakRss(s.proc.child.pid!, 50);
    const engineMs = await syncUntilIdle(s);
    const enginePeakRssMb = rss.stop();
    const downloaded = (await s.call<{ rows: { state: string }[] }>('orders.list', { limit: 1000 })).rows;
    await s.stop();
    const filesDir = path.join(dataDir, 'files');
    let bytes = 0;
    for (const e of fs.readdirSync(filesDir, { recursive: true, withFileTypes: true })) if (e.isFile() && e.name.endsWith('.pdf')) bytes += fs.statSync(path.join(e.parentPath, e.name)).size;
    if (bytes !== files * bytesEach) throw new Error(`engine wrote ${bytes} bytes, expected ${files * bytesEach} (states: ${JSON.stringify(downloaded.map((r) => r.state).slice(0, 5))})`);
    const total = files * bytesEach;
    const engineMBps = total / 1048576 / (engineMs / 1000);
    const curlMBps = total / 1048576 / (curlMs / 1000);
    const downloaderMBps = total / 1048576 / (downloaderMs / 1000);
    log(`  ${label}: downloader alone ${(downloaderMs / 1000).toFixed(1)} s (${downloaderMBps.toFixed(0)} MB/s, peak RSS ${downloaderPeakRssMb} MB incl. tsx)`);
    log(`  ${label}: CPU for the transfer — curl ${curlS?.toFixed(2) ?? '?'} s + sandbox ${curlServerS.toFixed(2)} s; downloader ${downloaderS?.toFixed(2) ?? '?'} s + sandbox ${downloaderServerS.toFixed(2)} s`);
    log(`  ${label}: engine ${(engineMs / 1000).toFixed(1)} s (${engineMBps.toFixed(0)} MB/s, peak RSS ${enginePeakRssMb} MB), curl ${(curlMs / 1000).toFixed(1)} s (${curlMBps.toFixed(0)} MB/s)`);
    return { label, files, bytesEach, parallel, engineMs, curlMs, engineMBps, curlMBps, ratio: engineMBps / curlMBps, enginePeakRssMb, downloaderMs, downloaderMBps, downloaderRatio: downloaderMBps / curlMBps, downloaderPeakRssMb, cpu: { curlS, curlServerS, downloaderS, downloaderServerS } };
  } finally {
    await sb.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
