import type { SyncSummary } from '../../../shared/contract';
import type { EngineContext } from '../context';
import type { Connections } from '../connections';
import { cancelOrdersCancelledInInfigo } from './cancel';
import { applyPendingPostbacks } from './intake';
import { OPEN_STATES, ordersToPoll, pollOpenOrders } from './poll';
import type { OrderRecord } from '../db/orders-repo';
import { deliverPushes } from './push';

/**
 * The back-sync part of a sync cycle: catch up on postbacks stored but not yet
 * applied, learn GelatoConnect's status of open orders (polling, or the 6-hour
 * safety net with postbacks), follow cancellations made in Infigo, and carry the
 * changes back to Infigo (due pushes, with retries).
 */
export async function backsyncCycle(
  ctx: EngineContext,
  conns: Connections,
  errors: SyncSummary['errors'],
  opts: { freshSince?: string; forcePoll?: boolean } = {},
): Promise<void> {
  // Orders this very cycle submitted or updated were just read from both sides: asking
  // GelatoConnect and Infigo about them again now would double the calls of a large import.
  // Decided once, up front: polling below updates orders, which must not hide them from the
  // cancellation check that follows.
  const fresh = opts.freshSince ? ctx.repo.idsUpdatedSince(OPEN_STATES, opts.freshSince) : new Set<number>();
  const stale = (o: OrderRecord) => !fresh.has(o.id);
  await applyPendingPostbacks(ctx);
  if (ctx.stopping.value) return;
  await pollOpenOrders(ctx, conns, errors, ordersToPoll(ctx, Date.now(), { force: opts.forcePoll }).filter(stale));
  if (ctx.stopping.value) return;
  await cancelOrdersCancelledInInfigo(ctx, conns, errors, stale);
  if (ctx.stopping.value) return;
  await deliverPushes(ctx, conns, { errors });
}

/**
 * The status part alone, run by the status poller between sync cycles in polling mode: ask
 * GelatoConnect about the orders due, and carry changes (and due retries) back to Infigo.
 * Cancellations made in Infigo are followed by the sync cycles.
 */
export async function statusPollRun(ctx: EngineContext, conns: Connections, errors: SyncSummary['errors'], now = Date.now()): Promise<void> {
  await applyPendingPostbacks(ctx);
  if (ctx.stopping.value) return;
  await pollOpenOrders(ctx, conns, errors, ordersToPoll(ctx, now));
  if (ctx.stopping.value) return;
  await deliverPushes(ctx, conns, { errors });
}
