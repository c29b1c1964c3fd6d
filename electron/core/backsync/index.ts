import type { EngineContext } from '../engine';
import type { Connections } from '../sync/connections';
import { pollOpenOrders } from './poll';

/**
 * The back-sync part of a sync cycle: learn GelatoConnect's status of open
 * orders (polling) and carry changes back to Infigo.
 */
export async function backsyncCycle(ctx: EngineContext, conns: Connections, errors: { storeId?: string; orderId?: number; reason: string }[]): Promise<void> {
  await pollOpenOrders(ctx, conns, errors);
}
