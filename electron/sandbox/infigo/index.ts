/**
 * Simulated Infigo storefront(s) over real HTTP, following /work/shared/reference/infigo-api.md.
 * See docs/sandbox-infigo.md for what is simulated, what is assumed and which routes exist only
 * in the simulator.
 */
import Fastify from 'fastify';
import { FaultController, type FaultConfig } from '../faults';
import { rngFor } from '../random';
import { OutputFiles } from './files';
import { registerInspectionRoutes, registerMegaScriptRoutes, registerStorefrontRoutes, type RouteContext } from './routes';
import { fullJobId, SandboxStore, type LineRecord, type OrderRecord } from './store';
import type { LineFileKind, RequestRecord, SandboxMegaScriptRunner, SandboxOrderSpec, SandboxOrderView, StatusWrite, StatusWriteChanges, StatusWriteVia } from './types';

export type {
  InfigoAddressJson,
  InfigoOrderDetailJson,
  InfigoOrderLineJson,
  InfigoProductAttributeJson,
  LineFileKind,
  OutputState,
  RequestRecord,
  SandboxLineSpec,
  SandboxLineView,
  SandboxOrderKind,
  SandboxOrderSpec,
  SandboxOrderView,
  StatusWrite,
  StatusWriteChanges,
  StatusWriteVia,
  SandboxMegaScriptRunner,
} from './types';
export { CATALOGUE } from './catalogue';
export { SHIPPING_METHODS, UNKNOWN_SHIPPING_METHOD } from './seed';

export interface InfigoSandboxStoreOptions {
  id: string;
  name?: string;
  token?: string;
  orders?: number;
}

export interface InfigoSandboxOptions {
  host?: string;
  port?: number;
  seed?: number;
  stores?: InfigoSandboxStoreOptions[];
  pdfBytes?: number;
  outputDelayMs?: number;
  faults?: FaultConfig;
  /**
   * Behave like a real store where it differs from this simulator's defaults (each off by default,
   * because older tests rely on the defaults): lines leave out fields public REST samples lack
   * (e.g. ["Quantity"]); `download/{id}` knows jobs by number only; no status route at all.
   */
  realism?: { omitLineFields?: string[]; downloadNumericIdsOnly?: boolean; statusRoute?: boolean };
  /** Runs API-triggered MegaScripts installed with `installMegaScript` (the sandbox has no engine of its own). */
  megaScriptRunner?: SandboxMegaScriptRunner;
}

export interface InfigoSandboxStoreInfo {
  id: string;
  name: string;
  /** e.g. http://127.0.0.1:PORT/s/acme — the client appends /services/api. */
  baseUrl: string;
  token: string;
  /** Token for the simulated "TriggerViaApi" MegaScript (header X-Presslink-Token). */
  megascriptToken: string;
  /** URL of the simulated MegaScript status endpoint. */
  megascriptUrl: string;
}

export interface InfigoSandbox {
  url: string;
  stores: InfigoSandboxStoreInfo[];
  addOrder(storeId: string, overrides?: Partial<SandboxOrderSpec>): SandboxOrderView;
  setOrderStatus(storeId: string, orderId: number, status: string): void;
  order(storeId: string, orderId: number): SandboxOrderView | undefined;
  statusWrites(storeId?: string): StatusWrite[];
  requests(): RequestRecord[];
  setLineFile(storeId: string, jobId: string, kind: LineFileKind, bytes?: number): void;
  /** As an admin pastes a script into Infigo and enables "Trigger via API"; returns the address it answers at. */
  installMegaScript(storeId: string, name: string, script: { source: string; config: unknown }): string;
  faults: FaultController;
  close(): Promise<void>;
}

const DEFAULT_STORES: InfigoSandboxStoreOptions[] = [{ id: 'demo', orders: 20 }];
const REQUEST_LOG_LIMIT = 10_000;
const CALLBACK_TIMEOUT_MS = 5_000;

function titleCase(id: string): string {
  return id.replace(/[-_]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
}

export async function startInfigoSandbox(opts: InfigoSandboxOptions = {}): Promise<InfigoSandbox> {
  const seed = opts.seed ?? 1;
  const pdfBytes = opts.pdfBytes ?? 200_000;
  const outputDelayMs = opts.outputDelayMs ?? 50;
  const storeOpts = opts.stores && opts.stores.length > 0 ? opts.stores : DEFAULT_STORES;

  const stores = new Map<string, SandboxStore>();
  for (const s of storeOpts) {
    if (!/^[A-Za-z0-9_-]+$/.test(s.id)) throw new Error(`store id "${s.id}" must use letters, digits, "-" or "_"`);
    if (stores.has(s.id.toLowerCase())) throw new Error(`store id "${s.id}" is given twice`);
    const rng = rngFor(seed, s.id, 'tokens');
    // Real storefront tokens look like base64 of a GUID (reference §1.2).
    const token = s.token ?? Buffer.from(rng.guid()).toString('base64');
    const megascriptToken = rng.hex(32);
    const count = Math.max(0, Math.floor(s.orders ?? 20));
    stores.set(s.id.toLowerCase(), new SandboxStore(s.id, s.name ?? `${titleCase(s.id)} storefront`, token, megascriptToken, seed, count, pdfBytes));
  }
  const getStore = (id: string) => stores.get(id.toLowerCase());
  const mustStore = (id: string) => {
    const s = getStore(id);
    if (!s) throw new Error(`no store "${id}" in this sandbox`);
    return s;
  };

  const faults = new FaultController(opts.faults);
  const files = new OutputFiles();
  const writes: StatusWrite[] = [];
  const requests: RequestRecord[] = [];
  let requestSeq = 0;
  const timers = new Set<NodeJS.Timeout>();
  const callbacks = new Set<AbortController>();
  let url = '';

  const app = Fastify({ logger: false, routerOptions: { caseSensitive: false }, bodyLimit: 10 * 1024 * 1024, forceCloseConnections: true });

  // Request log: body bytes are counted at res.write/res.end so streamed and faulted responses
  // report what actually left the process.
  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0] ?? req.url;
    if (path.toLowerCase().startsWith('/__sandbox')) return;
    const started = Date.now();
    const res = reply.raw;
    let bytes = 0;
    const count = (chunk: unknown, encoding?: unknown) => {
      if (typeof chunk === 'string') bytes += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      else if (chunk instanceof Uint8Array) bytes += chunk.length;
    };
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      count(chunk, rest[0]);
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && typeof chunk !== 'function') count(chunk, rest[0]);
      return (end as (...a: unknown[]) => typeof res)(chunk, ...rest);
    }) as typeof res.end;
    const storeMatch = /^\/s\/([^/]+)\//i.exec(path);
    const storeId = storeMatch ? (getStore(decodeURIComponent(storeMatch[1]!))?.id ?? decodeURIComponent(storeMatch[1]!)) : null;
    res.once('close', () => {
      const q = req.url.indexOf('?');
      requests.push({
        seq: ++requestSeq,
        at: new Date(started).toISOString(),
        method: req.method,
        path,
        query: q === -1 ? '' : req.url.slice(q + 1),
        storeId,
        range: typeof req.headers.range === 'string' ? req.headers.range : null,
        status: res.headersSent ? res.statusCode : 0,
        bytesSent: bytes,
        durationMs: Date.now() - started,
        completed: res.writableFinished,
      });
      if (requests.length > REQUEST_LOG_LIMIT) requests.splice(0, requests.length - REQUEST_LOG_LIMIT);
    });
  });

  faults.install(app);

  const storeBaseUrl = (s: SandboxStore) => `${url}/s/${s.id}`;

  const addOrder = (storeId: string, overrides: Partial<SandboxOrderSpec> = {}): SandboxOrderView => {
    const store = mustStore(storeId);
    return store.view(store.addOrder(overrides));
  };

  const startOutput = (store: SandboxStore, order: OrderRecord, line: LineRecord, callbackUrl: string | undefined) => {
    if (line.output !== 'ready') line.output = 'creating';
    const timer = setTimeout(() => {
      timers.delete(timer);
      line.output = 'ready';
      if (!callbackUrl) return;
      const ac = new AbortController();
      callbacks.add(ac);
      const t = setTimeout(() => ac.abort(), CALLBACK_TIMEOUT_MS);
      const jobId = fullJobId(line);
      // The callback payload is unknown (reference §5); this one is a project decision.
      fetch(callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ JobId: jobId, OrderId: order.id, Success: true, Status: 'OutputCreated', DownloadUrl: `${storeBaseUrl(store)}/services/api/orderlineitem/download/${jobId}` }),
        signal: ac.signal,
      })
        .then((r) => r.body?.cancel())
        .catch(() => undefined)
        .finally(() => {
          clearTimeout(t);
          callbacks.delete(ac);
        });
    }, outputDelayMs);
    timers.add(timer);
  };

  const recordWrite = (store: SandboxStore, order: OrderRecord, via: StatusWriteVia, changes: StatusWriteChanges) => {
    writes.push({
      seq: writes.length + 1,
      at: new Date().toISOString(),
      storeId: store.id,
      orderId: order.id,
      via,
      changes,
      after: { OrderStatus: order.orderStatus, ShippingStatus: order.shippingStatus, PaymentStatus: order.paymentStatus, TrackingNumber: order.trackingNumber },
    });
  };

  const statusWrites = (storeId?: string): StatusWrite[] => {
    const sid = storeId === undefined ? undefined : (getStore(storeId)?.id ?? storeId);
    return structuredClone(sid === undefined ? writes : writes.filter((w) => w.storeId === sid));
  };

  const ctx: RouteContext = {
    store: getStore,
    stores: () => [...stores.values()],
    storeBaseUrl,
    files,
    faults,
    recordWrite,
    startOutput,
    statusWritesJson: statusWrites,
    requestsJson: () => requests,
    addOrder,
    realism: {
      omitLineFields: new Set(opts.realism?.omitLineFields ?? []),
      downloadNumericIdsOnly: opts.realism?.downloadNumericIdsOnly ?? false,
      statusRoute: opts.realism?.statusRoute ?? true,
    },
    megaScripts: new Map(),
    megaScriptRunner: opts.megaScriptRunner,
  };
  registerInspectionRoutes(app, ctx);
  registerStorefrontRoutes(app, ctx);
  registerMegaScriptRoutes(app, ctx);

  const address = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  url = address.replace('://localhost', '://127.0.0.1');

  const storeInfo = (s: SandboxStore): InfigoSandboxStoreInfo => ({
    id: s.id,
    name: s.name,
    baseUrl: storeBaseUrl(s),
    token: s.token,
    megascriptToken: s.megascriptToken,
    megascriptUrl: `${storeBaseUrl(s)}/megascript/presslink-status`,
  });

  return {
    url,
    stores: [...stores.values()].map(storeInfo),
    addOrder,
    setOrderStatus(storeId, orderId, status) {
      mustStore(storeId).setOrderStatus(orderId, status);
    },
    order(storeId, orderId) {
      const store = mustStore(storeId);
      const o = store.order(orderId);
      return o ? store.view(o) : undefined;
    },
    statusWrites,
    requests: () => requests.map((r) => ({ ...r })),
    setLineFile(storeId, jobId, kind, bytes) {
      mustStore(storeId).setLineFile(jobId, kind, bytes);
    },
    installMegaScript(storeId, name, script) {
      const store = mustStore(storeId);
      ctx.megaScripts.set(`${store.id.toLowerCase()}/${name.toLowerCase()}`, script);
      return `${storeBaseUrl(store)}/megascripts/${encodeURIComponent(name)}`;
    },
    faults,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const ac of callbacks) ac.abort();
      await app.close();
    },
  };
}
