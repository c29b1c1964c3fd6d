// Sync throughput: N orders × 2 printable lines × 1 MB files, Infigo sandbox → engine →
// GelatoConnect sandbox, against the stateless baseline script doing the same transfers.
import { GOOD_ADDRESS } from '../helpers/fixtures';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SANDBOX_PRODUCT_MAPPINGS } from '../../electron/sandbox/index';
import { ENGINE_CHILD, freePort, startRelSandbox, writeConfig, type RelSandbox } from '../reliability/lib';
import { importConfig, isBuilt, startServe, syncUntilIdle } from './serve';
import { run, until, watchPeakRss } from './util';

export interface SyncFigures {
  orders: number;
  files: number;
  bytes: number;
  engineMs: number;
  baselineMs: number;
  ratio: number;
  engineOrdersPerSec: number;
  baselineOrdersPerSec: number;
  enginePeakRssMb: number | null;
  baselinePeakRssMb: number | null;
  engineSubmitted: number;
  baselineSubmitted: number;
}

const LINES = [
  { sku: 'POSTER-A2', quantity: 1 },
  { sku: 'LETTERHEAD-A4', quantity: 250 },
];

async function sandboxWith(n: number, pdfBytes: number): Promise<RelSandbox> {
  const sb = await startRelSandbox({ orders: 0, pdfBytes, seed: 21, fileRetries: 3 });
  for (let i = 0; i < n; i++) sb.infigo.addOrder(sb.storeId, { orderStatus: 'Pending', paymentStatus: 'Paid', shippingMethod: 'First Class', shippingAddress: GOOD_ADDRESS, lines: LINES });
  return sb;
}

async function settle(sb: RelSandbox, prefix: string): Promise<void> {
  for (const g of sb.gelato.orders().filter((o) => o.orderReferenceId.startsWith(prefix))) await sb.gelato.waitForFilesSettled(g.id, 300_000).catch(() => undefined);
}

export async function benchSync(n: number, pdfBytes = 1_000_000, log = console.log): Promise<SyncFigures> {
  // Engine: a fresh sandbox so no cache is warm from the other run.
  let engineMs = 0;
  let enginePeak: number | null = null;
  let engineSubmitted = 0;
  {
    const sb = await sandboxWith(n, pdfBytes);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-bench-sync-'));
    try {
      const port = await freePort();
      const cfg = writeConfig(dataDir, sb.config(`http://127.0.0.1:${port}`));
      if (isBuilt()) {
        // The shipped build: `presslink serve`, syncs started over HTTP.
        await importConfig(dataDir, cfg);
        const s = await startServe(dataDir, port);
        const rss = watchPeakRss(s.proc.child.pid!);
        engineMs = await syncUntilIdle(s);
        enginePeak = rss.stop();
        engineSubmitted = sb.gelato.orders().length;
        log(`  engine (presslink serve): ${n} orders in ${(engineMs / 1000).toFixed(1)} s (${engineSubmitted} in GelatoConnect), peak RSS ${enginePeak} MB`);
        await settle(sb, 'PL-');
        await s.stop();
      } else {
        const p = run(process.execPath, ['--import', 'tsx', ENGINE_CHILD, dataDir, String(port), cfg], { env: { PRESSLINK_CHILD_HOLD: '1', PRESSLINK_CHILD_MAX_CYCLES: '3' } });
        const rss = watchPeakRss(p.child.pid!);
        const ready = await until('engine ready', () => p.lines().find((l) => l.event === 'ready') ?? (p.child.exitCode !== null && { failed: true }), 60_000);
        if ('failed' in ready) throw new Error(p.output());
        const idle = await until('engine idle', () => p.lines().find((l) => l.event === 'idle') ?? (p.child.exitCode !== null && { failed: true }), 3_600_000, 50);
        if ('failed' in idle) throw new Error(p.output());
        engineMs = (idle.at as number) - (ready.at as number);
        enginePeak = rss.stop();
        engineSubmitted = sb.gelato.orders().length;
        log(`  engine (tsx child; not built): ${n} orders in ${(engineMs / 1000).toFixed(1)} s (${engineSubmitted} in GelatoConnect), peak RSS ${enginePeak} MB`);
        await settle(sb, 'PL-');
        p.child.kill('SIGTERM');
        await p.exited;
      }
    } finally {
      await sb.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  // Baseline.
  let baselineMs = 0;
  let baselinePeak: number | null = null;
  let baselineSubmitted = 0;
  {
    const sb = await sandboxWith(n, pdfBytes);
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-bench-base-'));
    try {
      const store = sb.infigo.stores[0]!;
      const productUids = Object.fromEntries(SANDBOX_PRODUCT_MAPPINGS.flatMap((m) => ('productUid' in m ? [[m.sku, m.productUid]] : [])));
      const args = {
        infigoBase: store.baseUrl,
        token: store.token,
        submitUrl: sb.gelato.endpoints.submitOrder,
        apiKey: sb.gelato.apiKey,
        customer: `${store.id}-ltd`,
        outDir,
        port: await freePort(),
        productUids,
        orderConcurrency: 8,
        downloadConcurrency: 4,
      };
      const p = run(process.execPath, ['--import', 'tsx', path.join(path.dirname(ENGINE_CHILD), '../bench/sync-baseline.ts'), JSON.stringify(args)]);
      const rss = watchPeakRss(p.child.pid!);
      const idle = await until('baseline idle', () => p.lines().find((l) => l.event === 'idle') ?? (p.child.exitCode !== null && { failed: true }), 3_600_000, 50);
      if ('failed' in idle) throw new Error(p.output());
      baselineMs = idle.ms as number;
      baselinePeak = rss.stop();
      baselineSubmitted = sb.gelato.orders().length;
      log(`  baseline: ${n} orders in ${(baselineMs / 1000).toFixed(1)} s (${baselineSubmitted} in GelatoConnect), peak RSS ${baselinePeak} MB`);
      await settle(sb, 'BASE-');
      const failed = sb.gelato.orders().filter((o) => o.status === 'failed');
      if (failed.length) log(`  baseline: ${failed.length} orders failed in GelatoConnect (${failed[0]!.failureReason})`);
      p.child.kill('SIGTERM');
      await p.exited;
    } finally {
      await sb.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  }
  return {
    orders: n,
    files: n * LINES.length,
    bytes: n * LINES.length * pdfBytes,
    engineMs,
    baselineMs,
    ratio: engineMs / baselineMs,
    engineOrdersPerSec: n / (engineMs / 1000),
    baselineOrdersPerSec: n / (baselineMs / 1000),
    enginePeakRssMb: enginePeak,
    baselinePeakRssMb: baselinePeak,
    engineSubmitted,
    baselineSubmitted,
  };
}
