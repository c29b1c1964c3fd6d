import crypto from 'node:crypto';
import { CallError, type SyncSummary } from '../../../shared/contract';
import { list, msg, type Msg, type MsgParam } from '../../../shared/messages/index';
import type { EngineContext } from '../context';
import { activate } from '../golive/activation';
import { errorWith, paramText, reasonOf, textOf } from '../i18n';
import type { SandboxSession, SandboxTestLine } from '../sandbox-port';

// "Try it with the sandbox": a simulated Infigo store and GelatoConnect tenant
// running beside this engine until it stops (started through the launcher the
// shell handed the engine, sandbox-port.ts), and the checklist's test orders
// placed in it and driven from Infigo all the way to delivered.

export type TestOrderKind = 'printable' | 'mixed' | 'multi';

export interface TestOrderRef {
  storeId: string;
  infigoOrderId: number;
  kind: TestOrderKind;
  placedAt: string;
}

/** Where the automatic test run is, so the checklist can say "still running" instead of "failed". */
export interface TestRunState {
  state: 'running' | 'done' | 'failed';
  /** Where it is, in English; `stepMsg` says the same as a message (absent in rows of older versions). */
  step: string;
  stepMsg?: Msg;
  at: string;
  problems: string[];
  problemMsgs?: MsgParam[];
}

export const SETTINGS = {
  testOrders: 'checklist.testOrders',
  testRun: 'checklist.testRun',
  waived: 'checklist.waived',
  sandbox: 'sandbox.active',
} as const;

interface Running {
  sandbox: SandboxSession;
  driver: Promise<void> | null;
  /** Presslink store id → the sandbox storefront it points at. */
  stores: Map<string, string>;
  busy: boolean;
}

const running = new WeakMap<EngineContext, Running>();

export function runningSandbox(ctx: EngineContext): SandboxSession | null {
  return running.get(ctx)?.sandbox ?? null;
}

/** The sandbox storefront behind a Presslink store, when that store is the running sandbox's. */
export function sandboxStoreOf(ctx: EngineContext, storeId: string): string | null {
  return running.get(ctx)?.stores.get(storeId) ?? null;
}

/**
 * The sandbox numbers its orders the same way every time it starts, so a second sandbox in
 * the same data directory would present order ids Presslink already imported (and never
 * import them). Such a run gets store ids with a suffix ("acme-2"): its orders are new.
 */
function freshStoreIds(ctx: EngineContext, ids: string[]): Map<string, string> {
  const used = (id: string) => ctx.repo.countInStore(id) > 0;
  for (let n = 1; ; n++) {
    const map = new Map(ids.map((id) => [n === 1 ? id : `${id}-${n}`, id]));
    if (![...map.keys()].some(used)) return map;
  }
}

/** For tests and the UI: resolves when the automatic test run started by placeTestOrders has finished. */
export function testRunSettled(ctx: EngineContext): Promise<void> {
  return running.get(ctx)?.driver ?? Promise.resolve();
}

export const SANDBOX_UNAVAILABLE = msg('sandbox.unavailable');

/** A refusal a person reads, in English and as a message. */
const refuse = (code: 'unavailable' | 'conflict' | 'failed', m: Msg) => new CallError(code, textOf(m), undefined, m);

export async function useSandbox(ctx: EngineContext, input: { orders: number }): Promise<{ ok: boolean; message: string; msg?: Msg }> {
  if (!ctx.sandbox) throw refuse('unavailable', SANDBOX_UNAVAILABLE);
  const prev = running.get(ctx);
  if (prev) {
    running.delete(ctx);
    await prev.driver?.catch(() => undefined);
    await prev.sandbox.close();
  }
  const sandbox = await ctx.sandbox.start({ stores: 2, ordersPerStore: input.orders });
  const storeIds = freshStoreIds(ctx, sandbox.storeIds);
  const entry: Running = { sandbox, driver: null, stores: storeIds, busy: false };
  running.set(ctx, entry);
  if (!prev) {
    ctx.onStop(async () => {
      const cur = running.get(ctx);
      running.delete(ctx);
      if (!cur) return;
      await Promise.race([cur.driver?.catch(() => undefined), new Promise((r) => setTimeout(r, 2_000))]);
      await cur.sandbox.close();
    });
  }
  const own = ctx.serverUrl();
  const publicBaseUrl = own ?? ctx.config.get().server.publicBaseUrl ?? 'http://127.0.0.1:4780';
  const config = sandbox.connection(publicBaseUrl);
  const presslinkId = new Map([...storeIds].map(([mine, theirs]) => [theirs, mine]));
  config.stores = config.stores.map((st) => ({ ...st, id: presslinkId.get(st.id) ?? st.id }));
  // Checkout shipping is on in the sandbox so the checklist can test the MegaScript against the tenant's quotes.
  const shippingQuotes = { ...config.shippingQuotes, enabled: true, source: 'gelato' as const, currency: 'GBP', token: crypto.randomBytes(18).toString('base64url') };
  const r = await ctx.call('config.import', { json: JSON.stringify({ ...config, server: { publicBaseUrl }, shippingQuotes }) });
  if (!r.ok) {
    running.delete(ctx);
    await sandbox.close();
    const m = msg('sandbox.configRefused', { problems: list(r.problems.map((p) => msg('common.about', { subject: p.path, text: p.msg ?? p.message })), 'clauses') });
    return { ok: false, message: textOf(m), msg: m };
  }
  ctx.repos.settings.set(SETTINGS.sandbox, { startedAt: new Date().toISOString(), infigo: sandbox.infigoUrl, gelato: sandbox.gelatoUrl, stores: [...storeIds.keys()] } satisfies SandboxRecord);
  // The sandbox goes live at once and its simulated orders count as new, so the demo shows
  // orders flowing straight away; a real store goes live only with the Activate step.
  const live = await activate(ctx, { by: 'sandbox', cutover: 'none' });
  ctx.repos.settings.set(SETTINGS.testOrders, []);
  ctx.repos.settings.set(SETTINGS.testRun, null);
  const started = msg('sandbox.running', { infigo: sandbox.infigoUrl, gelato: sandbox.gelatoUrl, stores: list([...storeIds.keys()]), count: input.orders });
  const startedHere = own ? started : msg('sandbox.runningNoServer', { running: started, url: publicBaseUrl });
  // The sandbox goes live at once (its orders count as new): say so after what started.
  const m = msg('common.sentences', { items: list([startedHere, live.message], 'sentences') });
  return { ok: true, message: textOf(m), msg: m };
}

const TEST_ORDERS: { kind: TestOrderKind; lines: SandboxTestLine[] }[] = [
  { kind: 'printable', lines: [{ sku: 'BC-85x55-400', quantity: 250, attributes: { Paper: '400gsm Silk' } }] },
  {
    kind: 'mixed',
    lines: [
      { sku: 'FLYER-A5', quantity: 500, attributes: { Paper: '170gsm Silk', Sides: 'Double sided' } },
      { sku: 'PEN-BLUE', quantity: 25 },
    ],
  },
  {
    kind: 'multi',
    lines: [
      { sku: 'POSTER-A2', quantity: 2, attributes: { Paper: '200gsm Satin' } },
      { sku: 'BROCHURE-A4-8PP', quantity: 50, attributes: { Paper: '130gsm Silk' } },
      { sku: 'LETTERHEAD-A4', quantity: 250, attributes: { Paper: '100gsm Bond' } },
    ],
  },
];

export const PLACE_IN_REAL_STORE = msg('sandbox.placeInRealStore');

interface SandboxRecord {
  startedAt: string;
  infigo: string;
  gelato: string;
  stores: string[];
}

/**
 * The sandbox's services live only as long as the Presslink that started them. After a
 * restart the configuration still points at them: this says so at once (the health names it,
 * with a button to start the sandbox again) instead of letting syncs fail against dead ports.
 */
export function sandboxStopped(ctx: EngineContext): boolean {
  if (running.has(ctx)) return false;
  const rec = ctx.repos.settings.get<SandboxRecord | null>(SETTINGS.sandbox);
  if (!rec) return false;
  // Still in sandbox mode only while the config points at the sandbox's storefront.
  return ctx.config.get().stores.some((s) => s.infigo.baseUrl.startsWith(rec.infigo));
}

export function placeTestOrders(ctx: EngineContext): { placed: number[] } {
  const entry = running.get(ctx);
  if (!entry && sandboxStopped(ctx)) {
    throw refuse('unavailable', msg('sandbox.stoppedPlace'));
  }
  if (!entry) throw refuse('unavailable', PLACE_IN_REAL_STORE);
  if (entry.busy) throw refuse('conflict', msg('sandbox.busy'));
  const [storeId, sandboxStore] = [...entry.stores][0] ?? [];
  if (!storeId || !sandboxStore) throw refuse('failed', msg('sandbox.noStore'));
  const placedAt = new Date().toISOString();
  const refs: TestOrderRef[] = TEST_ORDERS.map((t) => {
    const id = entry.sandbox.placeOrder(sandboxStore, { lines: t.lines, orderStatus: 'Processing', paymentStatus: 'Paid', shippingStatus: 'NotYetShipped', shippingMethod: 'First Class' });
    return { storeId, infigoOrderId: id, kind: t.kind, placedAt };
  });
  ctx.repos.settings.set(SETTINGS.testOrders, refs);
  setRun(ctx, 'running', msg('sandbox.run.importing'));
  entry.busy = true;
  const driver = driveTestOrders(ctx, entry.sandbox, refs)
    .catch((e: unknown) => {
      if (ctx.stopping.value) return;
      try {
        setRun(ctx, 'failed', msg('sandbox.run.stopped', { reason: reasonOf(e) }), [reasonOf(e)]);
      } catch {
        // the database is closing; nothing left to record
      }
    })
    .finally(() => {
      entry.busy = false;
    });
  entry.driver = driver;
  return { placed: refs.map((r) => r.infigoOrderId) };
}

function setRun(ctx: EngineContext, state: TestRunState['state'], step: Msg, problems: MsgParam[] = []): void {
  ctx.repos.settings.set(SETTINGS.testRun, { state, step: textOf(step), stepMsg: step, at: new Date().toISOString(), problems: problems.map((p) => paramText(p)), problemMsgs: problems } satisfies TestRunState);
}

export function testRunState(ctx: EngineContext): TestRunState | null {
  return ctx.repos.settings.get<TestRunState | null>(SETTINGS.testRun) ?? null;
}

const IMPORT_TIMEOUT_MS = 90_000;
const SETTLED = ['submitted', 'in_production', 'shipped', 'delivered', 'needs_attention', 'skipped', 'failed', 'canceled'];

/** Asks for a sync and resolves when a cycle that started after the request has finished. */
export function syncAndWait(ctx: EngineContext, timeoutMs = 60_000): Promise<SyncSummary | null> {
  const before = ctx.repos.runs.latestId();
  return new Promise((resolve) => {
    const off = ctx.bus.on('sync.finished', (s) => {
      if (s.runId <= before) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
    const timer = setTimeout(() => {
      off();
      resolve(null);
    }, timeoutMs);
    // A wait cut short by shutdown must not keep the process alive.
    timer.unref();
    ctx.requestSync();
  });
}

async function driveTestOrders(ctx: EngineContext, sandbox: SandboxSession, refs: TestOrderRef[]): Promise<void> {
  const alive = () => !ctx.stopping.value && running.get(ctx)?.sandbox === sandbox;
  const records = () => refs.map((r) => ctx.repo.byInfigoId(r.storeId, r.infigoOrderId));
  const deadline = Date.now() + IMPORT_TIMEOUT_MS;
  while (alive()) {
    await syncAndWait(ctx);
    if (!alive()) return;
    if (records().every((o) => o && SETTLED.includes(o.state))) break;
    if (Date.now() > deadline) throw errorWith(msg('sandbox.run.timeout', { seconds: IMPORT_TIMEOUT_MS / 1000 }));
  }
  if (!alive()) return;
  const problems: Msg[] = [];
  const submitted = records().filter((o) => o?.gelatoOrderId) as NonNullable<ReturnType<typeof records>[number]>[];
  for (const o of records()) {
    if (o && !o.gelatoOrderId) {
      const state = msg(`state.${o.state}`);
      const reason = o.attentionMsg ?? o.attentionReason;
      problems.push(reason ? msg('sandbox.problem.notSubmittedBecause', { order: o.infigoOrderId, state, reason }) : msg('sandbox.problem.notSubmitted', { order: o.infigoOrderId, state }));
    }
  }
  setRun(ctx, 'running', msg('sandbox.run.checkingFiles'));
  const live: string[] = [];
  for (const o of submitted) {
    try {
      const g = await sandbox.waitForFilesSettled(o.gelatoOrderId!, 30_000);
      if (g.status === 'failed') problems.push(msg('sandbox.problem.gelatoFailed', { order: o.infigoOrderId, reason: g.failureReason ?? msg('check.noReasonGiven') }));
      else live.push(o.gelatoOrderId!);
    } catch (e) {
      problems.push(msg('sandbox.problem.order', { order: o.infigoOrderId, reason: reasonOf(e) }));
    }
  }
  // One stage at a time with a sync in between, so each status (and the tracking) reaches
  // Presslink and Infigo the way it would in production, not as a single jump.
  for (const stage of ['in_production', 'shipped', 'delivered'] as const) {
    if (!alive()) return;
    setRun(ctx, 'running', msg('sandbox.run.moving', { stage: msg(`state.${stage}`) }));
    for (const id of live) {
      try {
        if (sandbox.gelatoOrder(id)?.status !== stage) await sandbox.advance(id, stage);
      } catch (e) {
        problems.push(msg('sandbox.problem.couldNotMove', { id, stage: msg(`state.${stage}`), reason: reasonOf(e) }));
      }
    }
    await syncAndWait(ctx);
  }
  if (!alive()) return;
  setRun(ctx, problems.length ? 'failed' : 'done', problems.length ? msg('sandbox.run.finishedProblems') : msg('sandbox.run.delivered'), problems);
}
