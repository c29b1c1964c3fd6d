import type { EngineContext } from '../engine';
import type { Connections } from '../sync/connections';
import { cancelOrdersCancelledInInfigo } from './cancel';
import { applyPendingPostbacks } from './intake';
import { pollOpenOrders } from './poll';
import { deliverPushes } from './push';

/**
 * The back-sync part of a sync cycle: catch up on postbacks stored but not yet
 * applied, learn GelatoConnect's status of open orders (polling, or the 6-hour
 * safety net with postbacks), follow cancellations made in Infigo, and carry the
 * changes back to Infigo (due pushes, with retries).
 */
export async function backsyncCycle(ctx: EngineContext, conns: Connections, errors: { storeId?: string; orderId?: number; reason: string }[]): Promise<void> {
  await applyPendingPostbacks(ctx);
  if (ctx.stopping.value) return;
  await pollOpenOrders(ctx, conns, errors);
  if (ctx.stopping.value) return;
  await cancelOrdersCancelledInInfigo(ctx, conns, errors);
  if (ctx.stopping.value) return;
  await deliverPushes(ctx, conns, { errors });
}
