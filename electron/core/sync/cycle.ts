import type { StoreConfig } from '../../../shared/config';
import type { SyncSummary } from '../../../shared/contract';
import { orderReferenceId } from '../../../shared/domain/reference';
import { backsyncCycle } from '../backsync/index';
import { connections, type Connections } from '../connections';
import type { EngineContext } from '../context';
import { cutoverFrom, recordCutover, storeCutover } from '../golive/activation';
import { GOLIVE_MSG } from '../golive/messages';
import { isHttpError } from '../http';
import { limiter, mapLimit } from '../limit';
import { processOrder, type PipelineDeps, type StepTally } from './pipeline';

const ORDER_CONCURRENCY = 8;

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
  try {
    const cfg = ctx.config.get();
    const conns = connections(ctx);
    const deps: PipelineDeps = { ctx, conns, outbox: ctx.repos.outbox, downloads: limiter(cfg.sync.downloadConcurrency), tally };
    for (const store of cfg.stores.filter((s) => s.enabled)) {
      if (ctx.stopping.value) break;
      discovered += await discover(ctx, conns, store, tally);
      await processUnfinished(deps, store);
    }
    if (!ctx.stopping.value && cfg.gelato) {
      const before = ctx.repo.counts().failed ?? 0;
      // "Sync now" asks about every open order; scheduled cycles only about those due.
      await backsyncCycle(ctx, conns, tally.errors, { freshSince: cycleStartedAt, forcePoll: trigger === 'manual' });
      tally.failed += Math.max(0, (ctx.repo.counts().failed ?? 0) - before);
    }
  } catch (e) {
    cycleFailed = true;
    tally.errors.unshift({ reason: (e as Error).message });
    ctx.log.error({ err: (e as Error).message }, 'sync cycle could not run');
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
async function discover(ctx: EngineContext, conns: Connections, store: StoreConfig, tally: StepTally): Promise<number> {
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
    const reason = isHttpError(e) ? `${e.userMessage} ${e.hint}` : (e as Error).message;
    tally.errors.push({ storeId: store.id, reason: `Could not list the orders of store "${store.name}": ${reason}` });
    ctx.log.warn({ store: store.id, err: reason }, 'order listing failed');
  }
  return found;
}

/** Moves every unfinished order of the store as far as it can go, a few at a time. */
async function processUnfinished(deps: PipelineDeps, store: StoreConfig): Promise<void> {
  const work = deps.ctx.repo.inStates(['discovered', 'classified', 'files', 'submitting'], store.id);
  await mapLimit(work, ORDER_CONCURRENCY, (o) => processOrder(deps, store, o.id));
}
