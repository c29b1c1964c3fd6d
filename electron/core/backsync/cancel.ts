import type { SyncSummary } from '../../../shared/contract';
import { normaliseGelatoStatus, statusRank } from '../../../shared/domain/gelato';
import { msg, type MsgParam } from '../../../shared/messages/index';
import type { EngineContext } from '../context';
import type { OrderRecord } from '../db/orders-repo';
import { HttpError, isHttpError, userMsg } from '../http';
import { syncError } from '../i18n';
import { currentOrder, type Connections } from '../connections';
import { mapLimit } from '../limit';
import { OUTBOX } from '../db/outbox-repo';
import { OPEN_STATES } from './poll';
import { CANCELED_AFTER_SHIPPING, markAttention } from './push';

// An order cancelled in Infigo after Presslink submitted it is cancelled in
// GelatoConnect while that is still possible (until it ships). Each open order is
// re-read from Infigo at most once per cycle, a few at a time.

const CONCURRENCY = 4;

export async function cancelOrdersCancelledInInfigo(
  ctx: EngineContext,
  conns: Connections,
  errors: SyncSummary['errors'],
  include: (o: OrderRecord) => boolean = () => true,
): Promise<number> {
  const stores = new Map(ctx.config.get().stores.filter((s) => s.enabled).map((s) => [s.id, s]));
  // An order already marked "cancelled after shipping" has nothing left to learn from Infigo.
  const open = ctx.repo.inStates(OPEN_STATES).filter((o) => include(o) && stores.has(o.storeId) && o.attentionCode !== CANCELED_AFTER_SHIPPING);
  if (open.length === 0) return 0;
  const outbox = ctx.repos.outbox;
  let canceled = 0;
  // One unreachable store must not add an error per order: after a few failures in a row its
  // remaining orders wait for the next cycle, and one line reports it.
  const failures = new Map<string, { count: number; consecutive: number; reason: MsgParam }>();
  await mapLimit(open, CONCURRENCY, (o) =>
    currentOrder.run({ orderId: o.id }, async () => {
      if (ctx.stopping.value) return;
      const store = stores.get(o.storeId)!;
      const f = failures.get(store.id);
      if (f && f.consecutive >= 3) return;
      let infigoStatus: string | null;
      try {
        infigoStatus = (await conns.infigo(store).getOrder(o.infigoOrderId)).OrderStatus;
        if (f) f.consecutive = 0;
      } catch (e) {
        const reason = userMsg(e);
        failures.set(store.id, { count: (f?.count ?? 0) + 1, consecutive: (f?.consecutive ?? 0) + 1, reason });
        return;
      }
      if (infigoStatus !== 'Cancelled') return;
      const cur = ctx.repo.byId(o.id)!;
      const g = normaliseGelatoStatus(cur.gelatoStatus);
      const shipped = cur.state === 'shipped' || (g !== null && g !== 'failed' && g !== 'canceled' && statusRank(g) >= statusRank('shipped'));
      if (shipped) {
        if (cur.attentionCode !== CANCELED_AFTER_SHIPPING) {
          markAttention(ctx, cur, msg('backsync.canceledAfterShipping', { reference: cur.orderReferenceId }), CANCELED_AFTER_SHIPPING);
        }
        return;
      }
      const key = OUTBOX.cancelKey(cur.orderReferenceId);
      outbox.begin(key, cur.id, 'cancel', { orderReferenceId: cur.orderReferenceId, reason: 'cancelled in Infigo' });
      try {
        const r = await conns.gelato().cancelOrder(cur.gelatoOrderId ?? cur.orderReferenceId, { customerReferenceId: store.gelatoCustomerReferenceId });
        outbox.done(key);
        ctx.repo.transition(
          cur.id,
          'canceled',
          { kind: 'canceled_in_infigo', message: msg('backsync.canceledInInfigo', { detail: r.alreadyCanceled ? msg('backsync.alreadyCanceled') : r.message }) },
          { gelatoStatus: 'canceled' },
        );
        canceled++;
      } catch (e) {
        const text = isHttpError(e) ? e.userMessage : (e as Error).message;
        const reason = userMsg(e);
        if (e instanceof HttpError && e.code === 'conflict') {
          outbox.fail(key, text);
          markAttention(ctx, ctx.repo.byId(cur.id)!, msg('backsync.canceledAfterShippingReason', { reason }), CANCELED_AFTER_SHIPPING);
          return;
        }
        outbox.notSent(key, text);
        errors.push(syncError(msg('backsync.cancelFailed', { reason }), { orderId: cur.infigoOrderId }));
      }
    }),
  );
  for (const [storeId, f] of failures) {
    errors.push(syncError(msg('backsync.cancelCheckFailed', { count: f.count, store: storeId, reason: f.reason }), { storeId }));
  }
  return canceled;
}
