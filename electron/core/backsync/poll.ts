import type { EngineContext } from '../engine';
import type { Connections } from '../sync/connections';
import { currentOrder } from '../sync/connections';
import { mapLimit } from '../sync/limit';
import { isHttpError } from '../http';
import { applyGelatoStatus } from './apply';

const OPEN = ['submitted', 'in_production', 'shipped'] as const;

/**
 * Asks GelatoConnect for the status of every open order. This is the status
 * channel when postbacks cannot reach this machine, and a safety net when they
 * can (a lost postback is found on the next poll).
 */
export async function pollOpenOrders(ctx: EngineContext, conns: Connections, errors: { orderId?: number; reason: string }[]): Promise<number> {
  const stores = new Map(ctx.config.get().stores.map((s) => [s.id, s]));
  const open = ctx.repo.inStates(OPEN);
  let changed = 0;
  const gelato = conns.gelato();
  await mapLimit(open, 8, (o) =>
    currentOrder.run({ orderId: o.id }, async () => {
      if (ctx.stopping.value) return;
      const store = stores.get(o.storeId);
      try {
        const g = await gelato.getOrder(o.gelatoOrderId ?? o.orderReferenceId, { customerReferenceId: store?.gelatoCustomerReferenceId });
        if (!g.status) return;
        const reasons = (Array.isArray(g.raw.items) ? g.raw.items : [])
          .flatMap((i) => ((i as { eventLog?: { message?: string }[] }).eventLog ?? []).map((e) => e.message))
          .filter((m): m is string => typeof m === 'string');
        const r = applyGelatoStatus(ctx, ctx.repo.byId(o.id)!, {
          status: g.status,
          reason: reasons.length ? reasons.join(' ') : null,
          tracking: g.tracking,
          source: 'poll',
        });
        if (r === 'applied') changed++;
      } catch (e) {
        const reason = isHttpError(e) ? e.userMessage : (e as Error).message;
        errors.push({ orderId: o.infigoOrderId, reason: `Status check failed: ${reason}` });
      }
    }),
  );
  return changed;
}
