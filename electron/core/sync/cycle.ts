import type { SyncSummary } from '../../../shared/contract';
import { orderReferenceId } from '../../../shared/domain/reference';
import type { EngineContext } from '../engine';
import { isHttpError } from '../http';
import { backsyncCycle } from '../backsync/index';
import { attentionMarkers } from '../backsync/push';
import { connections } from './connections';
import { limiter, mapLimit } from './limit';
import { Outbox } from './outbox';
import { processOrder, type StepTally } from './pipeline';

const ORDER_CONCURRENCY = 8;

/**
 * One sync cycle: for every enabled store, find new Infigo orders, then move
 * every unfinished order (new ones and any left over from an interrupted run)
 * as far as it can go; finally check the status of submitted orders. A store
 * that cannot be reached is reported and the other stores carry on.
 */
export async function runSyncCycle(ctx: EngineContext, trigger: SyncSummary['trigger']): Promise<SyncSummary> {
  const runId = ctx.repo.startRun(trigger);
  const cycleStartedAt = new Date().toISOString();
  ctx.bus.emit('sync.started', { runId, trigger, at: new Date().toISOString() });
  const tally: StepTally = { submitted: 0, needsAttention: 0, skipped: 0, failed: 0, errors: [] };
  let discovered = 0;
  let cycleFailed = false;
  try {
    const cfg = ctx.config.get();
    const conns = connections(ctx);
    const deps = { ctx, conns, outbox: new Outbox(ctx.db), downloads: limiter(cfg.sync.downloadConcurrency), tally };
    for (const store of cfg.stores.filter((s) => s.enabled)) {
      if (ctx.stopping.value) break;
      ctx.repo.ensureStore(store.id, store.name);
      try {
        const ids = await conns.infigo(store).listOrderIds();
        const known = ctx.repo.knownInfigoIds(store.id);
        // Oldest first, so orders reach production in the order they were placed.
        for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
          if (known.has(id)) continue;
          if (ctx.repo.insertDiscovered({ storeId: store.id, infigoOrderId: id, orderReferenceId: orderReferenceId(store.id, id) })) discovered++;
        }
      } catch (e) {
        const reason = isHttpError(e) ? `${e.userMessage} ${e.hint}` : (e as Error).message;
        tally.errors.push({ storeId: store.id, reason: `Could not list the orders of store "${store.name}": ${reason}` });
        ctx.log.warn({ store: store.id, err: reason }, 'order listing failed');
      }
      const work = ctx.repo.inStates(['discovered', 'classified', 'files', 'submitting'], store.id);
      await mapLimit(work, ORDER_CONCURRENCY, (o) => processOrder(deps, store, o.id));
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
  const summary = ctx.repo.finishRun(runId, {
    ok: !cycleFailed && tally.errors.length === 0,
    discovered,
    submitted: tally.submitted,
    needsAttention: tally.needsAttention,
    skipped: tally.skipped,
    failed: tally.failed,
    errors: tally.errors.slice(0, 200),
  });
  ctx.bus.emit('sync.finished', summary);
  ctx.bus.emit('attention.count', { count: attentionMarkers(ctx) });
  ctx.log.info({ runId, discovered, submitted: tally.submitted, needsAttention: tally.needsAttention, errors: tally.errors.length }, 'sync finished');
  return summary;
}
