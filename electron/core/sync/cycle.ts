import type { StoreConfig } from '../../../shared/config';
import type { SyncSummary } from '../../../shared/contract';
import { orderReferenceId } from '../../../shared/domain/reference';
import { backsyncCycle } from '../backsync/index';
import { connections, type Connections } from '../connections';
import type { EngineContext } from '../context';
import { cutoverFrom, recordCutover, storeCutover } from '../golive/activation';
import { GOLIVE_MSG } from '../golive/messages';
import { msg, type Msg } from '../../../shared/messages/index';
import { describeError, describeMsg } from '../http';
import { durationMsg } from '../http/body';
import { asMsg, errorWith, paramText, reasonOf, syncError } from '../i18n';
import { limiter, mapLimit } from '../limit';
import { processOrder, type PipelineDeps, type StepTally } from './pipeline';

const ORDER_CONCURRENCY = 8;
const ACTIVE = ['discovered', 'classified', 'files', 'submitting'] as const;

/**
 * When a cycle must let go: the engine is stopping (SIGTERM, quitting the app) or the cycle
 * has run for `sync.cycleDeadlineMinutes`. `work` ends discovery, steps and transfers in
 * flight (parts kept); `stop` only the engine stop, so back-sync still runs after a deadline.
 * The engine marks a stop with the `ctx.stopping` flag, looked at every 100 ms meanwhile.
 */
function cycleStop(ctx: EngineContext, deadlineMs: number, limit: Msg) {
  const stop = new AbortController();
  const work = new AbortController();
  const watch = setInterval(() => {
    if (!ctx.stopping.value) return;
    const why = errorWith(msg('pipeline.why.stopping'));
    stop.abort(why);
    work.abort(why);
  }, 100);
  const timer = setTimeout(() => work.abort(errorWith(msg('pipeline.why.deadline', { limit }))), deadlineMs);
  watch.unref?.();
  timer.unref?.();
  return {
    work: work.signal,
    stop: stop.signal,
    done() {
      clearInterval(watch);
      clearTimeout(timer);
    },
  };
}

/**
 * One sync cycle, in three parts: for every enabled store, **discover** new Infigo orders and
 * **process** every unfinished order (new ones and any left over from an interrupted run) as
 * far as it can go; then **back-sync**: learn GelatoConnect's status of submitted orders and
 * carry it to Infigo. A store that cannot be reached is reported and the other stores carry on.
 */
export async function runSyncCycle(ctx: EngineContext, trigger: SyncSummary['trigger']): Promise<SyncSummary> {
  const runId = ctx.repos.runs.start(trigger);
  const cycleStartedAt = new Date().toISOString();
  ctx.bus.emit('sync.started', { runId, trigger, at: new Date().toISOString() });
  const tally: StepTally = { submitted: 0, needsAttention: 0, skipped: 0, failed: 0, errors: [] };
  let discovered = 0;
  let cycleFailed = false;
  const cfg = ctx.config.get();
  const deadlineMs = Math.round(cfg.sync.cycleDeadlineMinutes * 60_000);
  const limit = durationMsg(deadlineMs);
  const halt = cycleStop(ctx, deadlineMs, limit);
  try {
    const conns = connections(ctx, { signal: halt.work });
    const deps: PipelineDeps = { ctx, conns, outbox: ctx.repos.outbox, downloads: limiter(cfg.sync.downloadConcurrency), tally, signal: halt.work };
    for (const store of cfg.stores.filter((s) => s.enabled)) {
      if (ctx.stopping.value || halt.work.aborted) break;
      discovered += await discover(ctx, conns, store, tally, halt.work);
      await processUnfinished(deps, store);
    }
    if (halt.work.aborted) {
      const counts = ctx.repo.counts();
      const left = ACTIVE.reduce((n, st) => n + (counts[st] ?? 0), 0);
      const why = halt.work.reason instanceof Error ? reasonOf(halt.work.reason) : msg('pipeline.why.stopped');
      tally.errors.push(syncError(msg('pipeline.stoppedEarly', { why, count: left })));
      ctx.log.warn({ why: paramText(why), left }, 'sync cycle stopped early');
    }
    if (!ctx.stopping.value && !halt.stop.aborted && cfg.gelato) {
      const before = ctx.repo.counts().failed ?? 0;
      // "Sync now" asks about every open order; scheduled cycles only about those due.
      // After a cycle deadline the status updates still go out: only an engine stop ends them.
      await backsyncCycle(ctx, connections(ctx, { signal: halt.stop }), tally.errors, { freshSince: cycleStartedAt, forcePoll: trigger === 'manual' });
      tally.failed += Math.max(0, (ctx.repo.counts().failed ?? 0) - before);
    }
  } catch (e) {
    cycleFailed = true;
    tally.errors.unshift(syncError(asMsg(reasonOf(e))));
    ctx.log.error({ err: (e as Error).message }, 'sync cycle could not run');
  } finally {
    halt.done();
  }
  const summary = ctx.repos.runs.finish(runId, {
    ok: !cycleFailed && tally.errors.length === 0,
    discovered,
    submitted: tally.submitted,
    needsAttention: tally.needsAttention,
    skipped: tally.skipped,
    failed: tally.failed,
    errors: tally.errors.slice(0, 200),
  });
  ctx.bus.emit('sync.finished', summary);
  ctx.bus.emit('attention.count', { count: ctx.repo.attentionCount() });
  ctx.log.info({ runId, discovered, submitted: tally.submitted, needsAttention: tally.needsAttention, errors: tally.errors.length }, 'sync finished');
  return summary;
}

/**
 * Records the store's Infigo orders Presslink has not seen yet; returns how many. Orders up to
 * the store's cut-over (docs/go-live.md) are recorded as before go-live in one step, without
 * reading each from Infigo; a store synced for the first time since activation takes its
 * cut-over now, so its existing orders are history too.
 */
async function discover(ctx: EngineContext, conns: Connections, store: StoreConfig, tally: StepTally, signal: AbortSignal): Promise<number> {
  ctx.repo.ensureStore(store.id, store.name);
  let found = 0;
  try {
    const infigo = conns.infigo(store);
    const ids = [...new Set(await infigo.listOrderIds())].sort((a, b) => a - b);
    const cut =
      storeCutover(ctx, store.id) ??
      recordCutover(ctx, store.id, await cutoverFrom(ids, async (id) => (await infigo.getOrder(id)).CreatedOnUtc, 'first-sync'));
    const known = ctx.repo.knownInfigoIds(store.id);
    const fresh = ids.filter((id) => !known.has(id));
    const before = fresh.filter((id) => id <= cut.newestInfigoOrderId);
    if (before.length) {
      const n = ctx.repo.insertBeforeGoLive(
        store.id,
        before.map((id) => ({ infigoOrderId: id, orderReferenceId: orderReferenceId(store.id, id), reason: GOLIVE_MSG.beforeGoLiveById(id, cut.newestInfigoOrderId, cut.newestCreatedOnUtc) })),
      );
      found += n;
      tally.skipped += n;
    }
    // Oldest first, so orders reach production in the order they were placed.
    for (const id of fresh.filter((x) => x > cut.newestInfigoOrderId)) {
      if (ctx.repo.insertDiscovered({ storeId: store.id, infigoOrderId: id, orderReferenceId: orderReferenceId(store.id, id) })) found++;
    }
  } catch (e) {
    if (signal.aborted) return found; // the cycle says once why it stopped early
    tally.errors.push(syncError(msg('pipeline.listFailed', { store: store.name, reason: describeMsg(e) }), { storeId: store.id }));
    ctx.log.warn({ store: store.id, err: describeError(e) }, 'order listing failed');
  }
  return found;
}

/** Moves every unfinished order of the store as far as it can go, a few at a time. */
async function processUnfinished(deps: PipelineDeps, store: StoreConfig): Promise<void> {
  const work = deps.ctx.repo.inStates(ACTIVE, store.id);
  await mapLimit(work, ORDER_CONCURRENCY, (o) => processOrder(deps, store, o.id));
}
