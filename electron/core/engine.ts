import { CallError, parseCallInput, type CallName, type CallOutput } from '../../shared/contract';
import { Probes } from './checks/probe-route';
import { ConfigStore } from './config/store';
import type { EngineContext, Handler } from './context';
import { closeDatabase, openDatabase } from './db/open';
import { OrdersRepo } from './db/orders-repo';
import { openRepositories } from './db/repositories';
import type { Engine, EngineOptions, Served } from './engine-types';
import { EventBus } from './events';
import { handlers } from './handlers/index';
import { createLogger, scrubSecrets } from './log';
import { dataFiles, preparePrivateDataDir } from './paths';
import { FileSecretStore } from './secrets/file-store';
import { ensureGeneratedSecrets } from './secrets/generated';
import { engineRoutes, publicHosts } from './server/engine-routes';
import { startServer } from './server/index';
import { engineStatus } from './status';
import { createSyncRuntime, type SyncRuntime } from './sync/controller';
import { VERSION } from './version';
import { mapMsgText } from '../../shared/messages/index';
import { asMsg, reasonOf } from './i18n';
import { worded } from './config/problems';

export type { Engine, EngineOptions };

// The composition root: opens the stores, builds the context every part of the
// engine is handed, wires the schedule and the handlers, and serves. Nothing
// else lives here; the calls themselves are in handlers/<namespace>.ts.

export async function startEngine(opts: EngineOptions): Promise<Engine & { ctx: EngineContext }> {
  preparePrivateDataDir(opts.dataDir);
  const files = dataFiles(opts.dataDir);
  const log = createLogger({ dataDir: opts.dataDir, level: opts.logLevel });
  const db = openDatabase(files.db);
  const secrets = opts.secrets ?? new FileSecretStore(files.secrets);
  // Made once, at the first start on this data directory, so every process uses the same ones.
  const generatedProblem = ensureGeneratedSecrets(secrets);
  if (generatedProblem) log.warn(generatedProblem);
  const config = new ConfigStore(files.config, secrets);
  config.onWarning((m) => log.warn(m));
  const repo = new OrdersRepo(db);
  const repos = openRepositories(db);
  repos.runs.closeInterrupted();
  const bus = new EventBus();
  const stopHooks: (() => Promise<void> | void)[] = [];
  let server: Served | null = null;
  // Built right below: the schedule needs the context, the context's controls need the schedule.
  let runtime: SyncRuntime | null = null;
  const sync = () => runtime!;
  const ctx: EngineContext = {
    opts, db, repo, repos, config, secrets, bus, log, files,
    stopping: { value: false },
    sync: {
      now: () => sync().control.now(),
      pause: () => sync().control.pause(),
      resume: () => sync().control.resume(),
      isPaused: () => sync().control.isPaused(),
      isRunning: () => sync().control.isRunning(),
      nextRunAt: () => sync().control.nextRunAt(),
    },
    requestSync: () => sync().requestSync(),
    status: () => engineStatus(ctx),
    configChanged: () => {
      for (const s of config.get().stores) repo.ensureStore(s.id, s.name);
      sync().configure();
      bus.emit('status', engineStatus(ctx));
    },
    serverUrl: () => server?.url ?? opts.serverBaseUrl ?? null,
    sandbox: opts.sandbox ?? null,
    probes: new Probes(),
    call: (name, input) => callHandler(name, input),
    onStop: (fn) => void stopHooks.push(fn),
  };
  runtime = createSyncRuntime(ctx, { schedule: opts.schedule !== false });
  for (const s of config.get().stores) repo.ensureStore(s.id, s.name);
  // A configuration imported by another process (the CLI beside serve) applies at once.
  ctx.onStop(config.onChange(() => void (ctx.stopping.value || ctx.configChanged())));
  runtime.start();
  log.info({ dataDir: opts.dataDir, mode: opts.mode, version: VERSION }, 'engine started');

  async function callHandler<N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>> {
    let parsed;
    try {
      parsed = parseCallInput(name, input);
    } catch (e) {
      // The input's problems in the engine's words (their English from their messages).
      if (e instanceof CallError && e.problems) throw new CallError(e.code, e.message, worded(e.problems), e.msg);
      throw e;
    }
    const h = handlers[name] as unknown as Handler<N>;
    try {
      return await h(ctx, parsed);
    } catch (e) {
      if (e instanceof CallError) throw e;
      log.error({ err: e, call: name }, 'call failed');
      // Unexpected errors reach the UI in their own words (paths help a shop fix a full disk), never with a secret.
      const said = mapMsgText(asMsg(reasonOf(e)), (t) => scrubSecrets(t));
      throw new CallError('failed', scrubSecrets((e as Error).message), undefined, said);
    }
  }

  let stopped = false;
  const engine: Engine & { ctx: EngineContext } = {
    ctx,
    call: callHandler,
    on: (event, listener) => bus.on(event, listener),
    status: () => engineStatus(ctx),
    async serve(o = {}) {
      if (server) throw new Error(`This engine already serves at ${server.url}.`);
      server = await startServer({
        engine,
        host: o.host,
        port: o.port,
        rendererDir: o.rendererDir,
        tokenFile: files.serverToken,
        resetToken: o.resetToken,
        authFile: files.serverAuth,
        infoFile: files.serverInfo,
        allowHosts: o.allowHosts,
        publicHosts: () => publicHosts(ctx),
        onError: (err, where) => log.error({ err: scrubSecrets((err as Error)?.message ?? String(err)), where }, 'request failed'),
        plugins: [...(o.routes ?? []), ...engineRoutes(ctx)],
      });
      return server;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      ctx.stopping.value = true;
      await server?.close();
      await sync().stop();
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
  return engine;
}
