import type { SyncSummary } from '../../../shared/contract';
import { msg } from '../../../shared/messages/index';
import type { EngineContext } from '../context';
import type { Connections } from '../connections';
import { currentOrder } from '../connections';
import { mapLimit } from '../limit';
import { userMsg } from '../http';
import { syncError } from '../i18n';
import type { OrderRecord } from '../db/orders-repo';
import { applyGelatoStatus } from './apply';
import { effectiveStatusMode } from './settings';

/** Orders GelatoConnect has and that can still change there. */
export const OPEN_STATES = ['submitted', 'in_production', 'shipped'] as const;

/** With postbacks on, an order is polled only when nothing was heard of it for this long. */
export const POSTBACK_SAFETY_NET_MS = 6 * 60 * 60_000;

/** When each open order was last asked about in this engine's life (a restart asks again). */
const lastPolled = new WeakMap<EngineContext, Map<number, number>>();

function polledAt(ctx: EngineContext): Map<number, number> {
  let m = lastPolled.get(ctx);
  if (!m) lastPolled.set(ctx, (m = new Map()));
  return m;
}

/**
 * The open orders to ask GelatoConnect about now, by status-update mode. Polling: those not
 * asked about for `pollMinutes` (all of them when `force`, e.g. "Sync now"); postbacks: those
 * quiet for 6 hours.
 */
export function ordersToPoll(ctx: EngineContext, now = Date.now(), opts: { force?: boolean } = {}): OrderRecord[] {
  const open = ctx.repo.inStates(OPEN_STATES);
  const su = ctx.config.get().statusUpdates;
  // Postbacks count only once one has arrived; until then every open order is polled.
  if (effectiveStatusMode(ctx) === 'polling') {
    const polled = polledAt(ctx);
    const openIds = new Set(open.map((o) => o.id));
    for (const id of polled.keys()) if (!openIds.has(id)) polled.delete(id);
    if (opts.force) return open;
    const every = su.pollMinutes * 60_000;
    // A timer firing every `pollMinutes` must not skip orders for being a few ms early.
    const due = now - every + Math.min(60_000, every / 10);
    return open.filter((o) => (polled.get(o.id) ?? 0) <= due);
  }
  const cutoff = new Date(now - POSTBACK_SAFETY_NET_MS).toISOString();
  return open.filter((o) => o.updatedAt < cutoff);
}

/**
 * Asks GelatoConnect for the status of open orders. This is the status
 * channel when postbacks cannot reach this machine, and a safety net when they
 * can (a lost postback is found by the poll once the order has been quiet for 6 hours).
 */
export async function pollOpenOrders(ctx: EngineContext, conns: Connections, errors: SyncSummary['errors'], orders = ordersToPoll(ctx)): Promise<number> {
  const stores = new Map(ctx.config.get().stores.map((s) => [s.id, s]));
  let changed = 0;
  if (orders.length === 0) return 0;
  const gelato = conns.gelato();
  await mapLimit(orders, 8, (o) =>
    currentOrder.run({ orderId: o.id }, async () => {
      if (ctx.stopping.value) return;
      const store = stores.get(o.storeId);
      try {
        const g = await gelato.getOrder(o.gelatoOrderId ?? o.orderReferenceId, { customerReferenceId: store?.gelatoCustomerReferenceId });
        polledAt(ctx).set(o.id, Date.now());
        if (!g.status) return;
        const reasons = (Array.isArray(g.raw.items) ? g.raw.items : [])
          .flatMap((i) => ((i as { eventLog?: { message?: string }[] }).eventLog ?? []).map((e) => e.message))
          .filter((m): m is string => typeof m === 'string');
        const r = applyGelatoStatus(ctx, ctx.repo.byId(o.id)!, {
          status: g.status,
          reason: reasons.length ? reasons.join(' ') : null,
          tracking: g.tracking,
          carrier: g.shipmentMethodName,
          source: 'poll',
        });
        if (r === 'applied') changed++;
      } catch (e) {
        const reason = userMsg(e);
        errors.push(syncError(msg('backsync.pollFailed', { reason }), { orderId: o.infigoOrderId }));
      }
    }),
  );
  return changed;
}
