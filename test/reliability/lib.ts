// Shared by the reliability suites (and their short versions in test/integration):
// a sandbox whose GelatoConnect tenant keeps retrying file fetches while the engine
// restarts, the engine in a killable child process, and the end-of-run checks.
import { jsonLines } from '../helpers/fixtures';
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { ConfigInput } from '../../shared/config';
import { orderReferenceId } from '../../shared/domain/reference';
import type { FaultConfig } from '../../electron/sandbox/faults';
import { startGelatoSandbox, type GelatoSandbox } from '../../electron/sandbox/gelato/index';
import { startInfigoSandbox, type InfigoSandbox } from '../../electron/sandbox/infigo/index';
import { SANDBOX_PRODUCT_MAPPINGS, SANDBOX_SHIPPING, SANDBOX_STATUS_PATH } from '../../electron/sandbox/index';
import type { SandboxOrderView } from '../../electron/sandbox/infigo/types';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ENGINE_CHILD = path.join(ROOT, 'test/reliability/engine-child.ts');
export const ACTIVE_STATES = ['discovered', 'classified', 'files', 'submitting'];

/** Small seeded generator (mulberry32): kill moments are reproducible from the printed seed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RelSandbox {
  infigo: InfigoSandbox;
  gelato: GelatoSandbox;
  storeId: string;
  config(publicBaseUrl: string, edit?: (c: ConfigInput) => void): ConfigInput;
  close(): Promise<void>;
}

export interface RelSandboxOptions {
  orders: number;
  pdfBytes?: number;
  seed?: number;
  faults?: FaultConfig;
  gelatoFaults?: FaultConfig;
  /** Extra attempts GelatoConnect makes per file (the engine's server may be restarting). */
  fileRetries?: number;
  allowHosts?: string[];
}

/** One Infigo store + a GelatoConnect tenant, in this (test) process so they outlive engine kills. */
export async function startRelSandbox(o: RelSandboxOptions): Promise<RelSandbox> {
  const seed = o.seed ?? 1;
  const infigo = await startInfigoSandbox({ seed, stores: [{ id: 'acme', orders: o.orders }], pdfBytes: o.pdfBytes ?? 32_000, faults: o.faults });
  const gelato = await startGelatoSandbox({
    seed,
    customerAgnostic: true,
    progression: 'manual',
    faults: o.gelatoFaults ?? o.faults,
    fileFetch: { retries: o.fileRetries ?? 30, concurrency: 8, allowHosts: o.allowHosts },
    // The faults suite measures the engine's resilience, not the tenant's own rate limit.
    rateLimitPerSecond: 10_000,
  });
  const store = infigo.stores[0]!;
  return {
    infigo,
    gelato,
    storeId: store.id,
    config(publicBaseUrl, edit) {
      const c: ConfigInput = {
        stores: [{ id: store.id, name: store.name, infigo: { baseUrl: store.baseUrl, apiToken: store.token, statusWriter: { kind: 'rest', pathTemplate: SANDBOX_STATUS_PATH } }, gelatoCustomerReferenceId: `${store.id}-ltd`, currency: 'GBP' }],
        gelato: { apiKey: gelato.apiKey, endpoints: { ...gelato.endpoints }, customerAgnostic: true },
        products: SANDBOX_PRODUCT_MAPPINGS,
        shipping: SANDBOX_SHIPPING,
        orderTypes: { stockPolicy: 'exclude' },
        files: { delivery: { kind: 'signed-url', publicBaseUrl } },
      };
      edit?.(c);
      return c;
    },
    close: async () => {
      await Promise.allSettled([infigo.close(), gelato.close()]);
    },
  };
}

export interface EngineChild {
  child: ChildProcess;
  output(): string;
  /** Parsed JSON lines the child printed. */
  events(): Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnEngineChild(dataDir: string, port: number, configFile: string, env: NodeJS.ProcessEnv = {}): EngineChild {
  const child = spawn(process.execPath, ['--import', 'tsx', ENGINE_CHILD, dataDir, String(port), configFile], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => out,
    events: () => jsonLines(out),
    exited,
  };
}

/** Runs the child to its natural end (bounded) and returns its output. */
export async function runChildToEnd(dataDir: string, port: number, configFile: string, timeoutMs = 300_000, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  const c = spawnEngineChild(dataDir, port, configFile, env);
  const timer = setTimeout(() => c.child.kill('SIGKILL'), timeoutMs);
  const r = await c.exited;
  clearTimeout(timer);
  return { code: r.code, output: c.output() };
}

export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function writeConfig(dir: string, cfg: ConfigInput): string {
  const p = path.join(dir, 'sandbox-config.json');
  fs.writeFileSync(p, JSON.stringify(cfg));
  return p;
}

export async function sha256File(p: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(p)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** What the Infigo sandbox serves for a job: size and sha256 (HEAD carries both). */
export async function infigoFileFacts(sb: RelSandbox, jobId: string): Promise<{ bytes: number; sha256: string } | null> {
  const store = sb.infigo.stores[0]!;
  const res = await fetch(`${store.baseUrl}/services/api/orderlineitem/download/${jobId}`, { method: 'HEAD', headers: { authorization: `Basic ${store.token}` } });
  if (res.status !== 200) return null;
  return { bytes: Number(res.headers.get('content-length')), sha256: res.headers.get('x-content-sha256') ?? '' };
}

export interface FinalReport {
  eligible: string[];
  states: Record<string, number>;
  duplicates: string[];
  missing: string[];
  unexpected: string[];
  stuck: { ref: string; state: string }[];
  submittedNotInGelato: string[];
  fileProblems: string[];
  filesChecked: number;
  integrity: string;
  maxSubmitCount: number;
}

/**
 * The end-of-run checks: every eligible order (printable or mixed, not cancelled in
 * Infigo) is in GelatoConnect exactly once, nothing else is, no order sits in an
 * active state, every downloaded file matches Infigo's bytes, and SQLite is intact.
 */
export async function finalReport(sb: RelSandbox, dataDir: string, storeOrderIds: number[]): Promise<FinalReport> {
  const eligible = eligibleOrders(sb, storeOrderIds).map((v) => orderReferenceId(sb.storeId, v.id));
  const byRef = new Map<string, number>();
  for (const g of sb.gelato.orders()) byRef.set(g.orderReferenceId, (byRef.get(g.orderReferenceId) ?? 0) + 1);
  const duplicates = [...byRef].filter(([, n]) => n > 1).map(([r]) => r);
  const missing = eligible.filter((r) => !byRef.has(r));
  const allRefs = new Set(storeOrderIds.map((id) => orderReferenceId(sb.storeId, id)));
  const unexpected = [...byRef.keys()].filter((r) => !allRefs.has(r));
  const maxSubmitCount = Math.max(0, ...[...byRef.keys()].map((r) => sb.gelato.submitCount(r)));

  const db = new Database(path.join(dataDir, 'presslink.db'), { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true }) as string;
    const rows = db.prepare('SELECT id, order_reference_id AS ref, state FROM orders').all() as { id: number; ref: string; state: string }[];
    const states: Record<string, number> = {};
    for (const r of rows) states[r.state] = (states[r.state] ?? 0) + 1;
    const stuck = rows.filter((r) => ACTIVE_STATES.includes(r.state)).map((r) => ({ ref: r.ref, state: r.state }));
    const submittedNotInGelato = rows.filter((r) => r.state === 'submitted' && !byRef.has(r.ref)).map((r) => r.ref);
    const files = db.prepare("SELECT f.job_id AS jobId, f.path, f.bytes, f.sha256, o.order_reference_id AS ref FROM files f JOIN orders o ON o.id = f.order_id WHERE o.state = 'submitted'").all() as {
      jobId: string;
      path: string;
      bytes: number;
      sha256: string;
      ref: string;
    }[];
    const fileProblems: string[] = [];
    for (const f of files) {
      const facts = await infigoFileFacts(sb, f.jobId);
      if (!facts) {
        fileProblems.push(`${f.ref}/${f.jobId}: Infigo serves no file`);
        continue;
      }
      if (!fs.existsSync(f.path)) {
        fileProblems.push(`${f.ref}/${f.jobId}: not on disk`);
        continue;
      }
      const size = fs.statSync(f.path).size;
      const sha = await sha256File(f.path);
      if (size !== facts.bytes || f.bytes !== facts.bytes) fileProblems.push(`${f.ref}/${f.jobId}: ${size} bytes on disk, ${f.bytes} recorded, Infigo has ${facts.bytes}`);
      if (sha !== facts.sha256 || f.sha256 !== facts.sha256) fileProblems.push(`${f.ref}/${f.jobId}: sha256 differs from Infigo's`);
      if (fs.existsSync(`${f.path}.part`)) fileProblems.push(`${f.ref}/${f.jobId}: a .part file is left beside the complete file`);
    }
    // Every file GelatoConnect fetched must be the same bytes as Infigo's.
    for (const g of sb.gelato.orders()) {
      for (const gf of g.files) {
        if (gf.status !== 'ok') fileProblems.push(`${g.orderReferenceId}: GelatoConnect file check ${gf.status}: ${gf.problem ?? ''}`);
      }
    }
    return { eligible, states, duplicates, missing, unexpected, stuck, submittedNotInGelato, fileProblems, filesChecked: files.length, integrity, maxSubmitCount };
  } finally {
    db.close();
  }
}

/** The orders that must end up in GelatoConnect: printable or mixed, not cancelled in Infigo. */
export function eligibleOrders(sb: RelSandbox, storeOrderIds: number[]): SandboxOrderView[] {
  return storeOrderIds
    .map((id) => sb.infigo.order(sb.storeId, id)!)
    .filter((v) => {
      const cancelled = /cancel/i.test(v.detail.OrderStatus);
      // Fulfilled already in Infigo: skipped by default (sync.skipOrderStatuses / skipShippingStatuses).
      const done = v.detail.OrderStatus === 'Complete' || ['Shipped', 'Delivered'].includes(v.detail.ShippingStatus);
      const printable = v.kind === 'printable' || v.kind === 'mixed' || (v.kind === 'added' && v.lines.some((l) => l.printable));
      return printable && !cancelled && !done;
    });
}

/**
 * The work the engine will do, counted the way {@link EngineProgress} counts it: one
 * submission per eligible order and one download per print file of those orders.
 * Orders with deliberately odd data (quirks) are left out, since they may stop in
 * Needs attention before either, so the figures are a floor, never an overestimate.
 */
export function expectedWork(sb: RelSandbox, storeOrderIds: number[]): EngineProgress {
  const sure = eligibleOrders(sb, storeOrderIds).filter((v) => v.quirks.length === 0);
  return { submissions: sure.length, downloads: sure.reduce((n, v) => n + v.lines.filter((l) => l.printable).length, 0) };
}

/** How far the engine has got, as its own database records it (both counts only grow). */
export interface EngineProgress {
  /** Print files downloaded and verified (`files.state = 'downloaded'`). */
  downloads: number;
  /** Submissions begun: the outbox entry is written before the request leaves. */
  submissions: number;
}

/**
 * Reads an engine's progress from its SQLite file while the engine runs in another
 * process: a read-only connection beside the engine's (WAL lets a reader in without
 * blocking the writer), so nothing is added to the engine for the test's sake.
 */
export class ProgressWatch {
  private db: Database.Database | null = null;
  private last: EngineProgress = { downloads: 0, submissions: 0 };

  constructor(private readonly file: string) {}

  read(): EngineProgress {
    try {
      if (!this.db) {
        if (!fs.existsSync(this.file)) return this.last;
        this.db = new Database(this.file, { readonly: true, fileMustExist: true });
      }
      const r = this.db
        .prepare("SELECT (SELECT count(*) FROM files WHERE state = 'downloaded') AS downloads, (SELECT count(*) FROM outbox WHERE kind = 'submit') AS submissions")
        .get() as EngineProgress;
      this.last = r;
    } catch {
      // Tables not created yet, or a moment of SQLITE_BUSY: the last reading stands.
    }
    return this.last;
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }
}

export function storeOrderIds(sb: RelSandbox, n: number): number[] {
  return Array.from({ length: n }, (_, i) => 10001 + i).filter((id) => sb.infigo.order(sb.storeId, id));
}
