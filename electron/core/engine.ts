import type { Logger } from 'pino';
import {
  CallError,
  parseCallInput,
  type CallName,
  type CallOutput,
  type CallOutputs,
  type EngineStatus,
  type Health,
  type ParsedCallInput,
  type SyncSummary,
} from '../../shared/contract';
import { ConfigStore } from './config/store';
import { OrdersRepo, toRow } from './db/orders-repo';
import { closeDatabase, openDatabase, type DB } from './db/open';
import type { Engine, EngineOptions } from './engine-types';
import { EventBus } from './events';
import { createLogger, scrubSecrets } from './log';
import { dataFiles, preparePrivateDataDir } from './paths';
import { FileSecretStore } from './secrets/file-store';
import { ensureGeneratedSecrets } from './secrets/generated';
import type { SecretStore } from './secrets/types';
import { SyncScheduler } from './sync/scheduler';
import { runSyncCycle } from './sync/cycle';
import { StatusPoller } from './backsync/status-poller';
import { buildDiagnostics } from './diagnostics';
import { VERSION } from './version';
import { orderHandlers } from './handlers/orders';
import { mappingHandlers } from './handlers/mappings';
import { backsyncHandlers } from './handlers/backsync';
import { checkHandlers } from './handlers/checks';
import { configHandlers } from './handlers/config';
import { attentionMarkers } from './backsync/push';

export type { Engine, EngineOptions };

/** Everything a handler may need; built once by startEngine. */
export interface EngineContext {
  opts: EngineOptions;
  db: DB;
  repo: OrdersRepo;
  config: ConfigStore;
  secrets: SecretStore;
  bus: EventBus;
  log: Logger;
  files: ReturnType<typeof dataFiles>;
  /** Set while the engine shuts down so long loops stop between orders. */
  stopping: { value: boolean };
  /** Runs a sync soon (after the one in flight, if any), e.g. after a retry. */
  requestSync: () => void;
  /** Calls another contract handler, so one feature can re-use another's result (e.g. checks use shipping.selfTest). */
  call: <N extends CallName>(name: N, input: unknown) => Promise<CallOutput<N>>;
  /** Work to finish when the engine stops, before the database closes (e.g. an in-process sandbox). */
  onStop: (fn: () => Promise<void> | void) => void;
}

type Handler<N extends CallName> = (ctx: EngineContext, input: ParsedCallInput<N>) => Promise<CallOutput<N>> | CallOutput<N>;
export type HandlerMap = { [N in CallName]?: Handler<N> };

export async function startEngine(opts: EngineOptions): Promise<Engine & { ctx: EngineContext; register(handlers: HandlerMap): void }> {
  preparePrivateDataDir(opts.dataDir);
  const files = dataFiles(opts.dataDir);
  const log = createLogger({ dataDir: opts.dataDir, level: opts.logLevel });
  const db = openDatabase(files.db);
  const secrets = opts.secrets ?? new FileSecretStore(files.secrets);
  const generatedProblem = ensureGeneratedSecrets(secrets);
  if (generatedProblem) log.warn(generatedProblem);
  const config = new ConfigStore(files.config, secrets);
  config.onWarning((m) => log.warn(m));
  const repo = new OrdersRepo(db);
  repo.closeInterruptedRuns();
  const bus = new EventBus();
  let rerun = false;
  const stopHooks: (() => Promise<void> | void)[] = [];
  const ctx: EngineContext = {
    opts, db, repo, config, secrets, bus, log, files,
    stopping: { value: false },
    requestSync: () => {
      if (!config.isConfigured() || ctx.stopping.value) return;
      if (scheduler.isRunning()) rerun = true;
      else void scheduler.trigger('manual');
    },
    call: (name, input) => callHandler(name, input),
    onStop: (fn) => void stopHooks.push(fn),
  };

  let lastError: string | null = null;
  const scheduler = new SyncScheduler<SyncSummary>(
    async (trigger) => {
      await poller.idle();
      let summary = await runSyncCycle(ctx, trigger);
      // A retry pressed during a cycle runs right after it rather than waiting 15 minutes.
      while (rerun && !ctx.stopping.value) {
        rerun = false;
        summary = await runSyncCycle(ctx, 'manual');
      }
      lastError = summary.ok ? null : summary.errors[0]?.reason ?? 'The sync did not complete.';
      return summary;
    },
    config.get().sync.intervalMinutes,
    () => bus.emit('status', status()),
  );
  if (settingsGet<boolean>(db, 'paused') === true) scheduler.pause();
  const poller = new StatusPoller(ctx, () => opts.schedule !== false && config.isConfigured() && !scheduler.isPaused() && !scheduler.isRunning());

  function status(): EngineStatus {
    const cfg = config.get();
    const counts = repo.counts();
    // Held orders, plus shipped ones whose update to Infigo keeps failing (they keep their state).
    const attentionCount = attentionMarkers(ctx);
    const configured = config.isConfigured();
    let health: Health = 'healthy';
    if (!configured) health = 'unconfigured';
    else if (scheduler.isPaused()) health = 'paused';
    else if (scheduler.isRunning()) health = 'syncing';
    else if (lastError) health = 'error';
    else if (attentionCount > 0) health = 'attention';
    return {
      version: VERSION,
      mode: opts.mode,
      dataDir: opts.dataDir,
      configured,
      health,
      paused: scheduler.isPaused(),
      syncing: scheduler.isRunning(),
      lastSync: repo.lastRun(),
      // Nothing is scheduled in any useful sense until there is something to sync.
      nextSyncAt: configured ? scheduler.nextRunAt()?.toISOString() ?? null : null,
      attentionCount,
      counts,
      stores: cfg.stores.map((s) => ({ id: s.id, name: s.name })),
      statusMode: cfg.statusUpdates.mode,
    };
  }

  const handlers: HandlerMap = {
    'engine.status': () => status(),
    'sync.now': async () => {
      if (!config.isConfigured()) {
        return { started: false, reason: 'Presslink is not set up yet: add a store and the GelatoConnect connection first.' };
      }
      const r = await scheduler.trigger('manual');
      return r.started ? { started: true, summary: r.result } : { started: false, reason: 'A sync is already running; it was not started twice.' };
    },
    'sync.pause': () => {
      scheduler.pause();
      settingsSet(db, 'paused', true);
      return status();
    },
    'sync.resume': () => {
      scheduler.resume();
      settingsSet(db, 'paused', false);
      return status();
    },
    'orders.list': (c, input) => c.repo.list(input),
    'orders.counts': (c) => c.repo.counts(),
    'orders.get': (c, { id }) => {
      const o = c.repo.byId(id);
      if (!o) throw new CallError('not_found', `There is no order ${id}.`);
      const store = c.config.get().stores.find((s) => s.id === o.storeId);
      return {
        ...toRow(o),
        lines: c.repo.lines(id),
        files: c.repo.files(id).map(({ path: _p, deliveredUrl: _d, ...f }) => f),
        timeline: c.repo.timeline(id),
        payload: o.payloadJson ? JSON.parse(o.payloadJson) : null,
        infigo: o.infigoJson ? JSON.parse(o.infigoJson) : null,
        tracking: c.repo.tracking(id),
        infigoUrl: store ? `${store.infigo.baseUrl.replace(/\/+$/, '')}/Admin/Order/Edit/${o.infigoOrderId}` : null,
      };
    },
    'config.get': (c) => ({ config: c.config.get(), configured: c.config.isConfigured() }),
    'config.validate': (c, { config: cfg }) => c.config.validate(cfg),
    'config.save': (c, { config: cfg }) => applyConfig(c.config.save(cfg)),
    'config.export': (c, input) => {
      try {
        return { json: c.config.export(input) };
      } catch (e) {
        throw new CallError('failed', (e as Error).message);
      }
    },
    'config.import': (c, { json, passphrase, acceptFormat1 }) => applyConfig(c.config.import(json, passphrase, { acceptFormat1 })),
    'setup.progress': (c) => settingsGet<{ step: number; completed: number[] }>(c.db, 'setup') ?? { step: 1, completed: [] },
    'setup.saveProgress': (c, input) => {
      const prev = settingsGet<{ step: number; completed: number[] }>(c.db, 'setup') ?? { step: 1, completed: [] };
      const next = { step: input.step, completed: input.completed ?? prev.completed };
      settingsSet(c.db, 'setup', next);
      return next;
    },
    'diagnostics.bundle': async (c) => {
      // The checklist makes outside calls; a bundle must still come out when they fail.
      const checklist = await c.call('checklist.run', {}).catch((e: Error) => ({ unavailable: e.message }));
      return { json: JSON.stringify(buildDiagnostics(c, status(), checklist), null, 2) };
    },
    'stats.daily': (c, { days }) => dailyStats(c.db, days),
    ...orderHandlers(() => ctx.requestSync()),
    ...mappingHandlers,
    ...backsyncHandlers,
    ...checkHandlers,
    ...configHandlers,
  };

  function applyConfig(r: ReturnType<ConfigStore['save']>): CallOutputs['config.save'] {
    if (!r.ok) return { ok: false, problems: r.problems };
    for (const s of r.config.stores) repo.ensureStore(s.id, s.name);
    scheduler.setInterval(r.config.sync.intervalMinutes);
    poller.configure();
    bus.emit('status', status());
    return { ok: true, problems: [] };
  }

  for (const s of config.get().stores) repo.ensureStore(s.id, s.name);
  // A configuration imported by another process (the CLI beside serve) applies at once.
  ctx.onStop(config.onChange((cfg) => void (ctx.stopping.value || applyConfig({ ok: true, config: cfg }))));
  if (opts.schedule !== false) scheduler.start();
  poller.configure();
  log.info({ dataDir: opts.dataDir, mode: opts.mode, version: VERSION }, 'engine started');

  async function callHandler<N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>> {
    const parsed = parseCallInput(name, input);
    const h = handlers[name] as Handler<N> | undefined;
    if (!h) throw new CallError('unavailable', `"${name}" is not available in this version of Presslink yet.`);
    try {
      return await h(ctx, parsed);
    } catch (e) {
      if (e instanceof CallError) throw e;
      log.error({ err: e, call: name }, 'call failed');
      // Unexpected errors reach the UI in their own words (paths help a shop fix a full disk), never with a secret.
      throw new CallError('failed', scrubSecrets((e as Error).message));
    }
  }

  let stopped = false;
  return {
    ctx,
    register(extra: HandlerMap) {
      Object.assign(handlers, extra);
    },
    call: callHandler,
    on: (event, listener) => bus.on(event, listener),
    status,
    async stop() {
      if (stopped) return;
      stopped = true;
      ctx.stopping.value = true;
      await poller.stop();
      await scheduler.stop();
      for (const fn of stopHooks.splice(0)) {
        try {
          await fn();
        } catch (e) {
          log.warn({ err: (e as Error).message }, 'a shutdown step failed');
        }
      }
      closeDatabase(db, files.db);
      log.info('engine stopped');
      log.flush?.();
    },
  };
}

export function settingsGet<T>(db: DB, key: string): T | undefined {
  const v = db.prepare('SELECT value_json FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
  return v === undefined ? undefined : (JSON.parse(v) as T);
}

export function settingsSet(db: DB, key: string, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json').run(
    key,
    JSON.stringify(value),
  );
}

function dailyStats(db: DB, days: number): CallOutputs['stats.daily'] {
  const since = new Date(Date.now() - days * 86_400_000).toISOString();
  const orders = db
    .prepare(
      `SELECT substr(created_at, 1, 10) AS day, count(*) AS orders,
              sum(CASE WHEN state IN ('needs_attention', 'failed') THEN 1 ELSE 0 END) AS failures
       FROM orders WHERE created_at >= ? GROUP BY day`,
    )
    .all(since) as { day: string; orders: number; failures: number }[];
  const runs = db
    .prepare(
      `SELECT substr(started_at, 1, 10) AS day, count(*) AS n,
              avg((julianday(finished_at) - julianday(started_at)) * 86400000.0) AS avgMs
       FROM sync_runs WHERE started_at >= ? AND finished_at IS NOT NULL GROUP BY day`,
    )
    .all(since) as { day: string; n: number; avgMs: number | null }[];
  const byDay = new Map<string, CallOutputs['stats.daily'][number]>();
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10);
    byDay.set(day, { day, orders: 0, failures: 0, syncRuns: 0, avgSyncMs: null });
  }
  for (const o of orders) Object.assign(byDay.get(o.day) ?? {}, { orders: o.orders, failures: o.failures });
  for (const r of runs) Object.assign(byDay.get(r.day) ?? {}, { syncRuns: r.n, avgSyncMs: r.avgMs === null ? null : Math.round(r.avgMs) });
  return [...byDay.values()];
}
