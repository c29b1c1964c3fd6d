import { isStatusAdvance, normaliseGelatoStatus, type GelatoStatus, type GelatoTracking } from '../../../shared/domain/gelato';
import { canTransition, type OrderState } from '../../../shared/domain/order-state';
import { toRow, type OrderRecord } from '../db/orders-repo';
import type { EngineContext } from '../context';
import { list, msg } from '../../../shared/messages/index';
import { enqueuePush, enqueueTrackingPush } from './push';
import { infigoTarget } from './settings';

// One place where a GelatoConnect status (from a postback or from polling)
// changes an order. Statuses only move forward (by GelatoConnect's lifecycle
// rank), so a late or repeated update never undoes a later one, and a side exit
// (failed, canceled) after the order shipped is recorded, not applied. The state
// change, the tracking rows and the Infigo push it causes are one transaction:
// a crash leaves either all of them or none.

export interface StatusUpdate {
  status: string;
  reason?: string | null;
  tracking?: (GelatoTracking & { carrier?: string | null })[];
  /** Shipping method / carrier name GelatoConnect reported. */
  carrier?: string | null;
  source: 'postback' | 'poll';
  at?: string;
}

const STATE_FOR: Partial<Record<GelatoStatus, OrderState>> = {
  in_production: 'in_production',
  printed: 'in_production',
  packaged: 'in_production',
  shipped: 'shipped',
  in_transit: 'shipped',
  delivered: 'delivered',
  failed: 'failed',
  canceled: 'canceled',
};

const HAPPY_PATH: OrderState[] = ['submitted', 'in_production', 'shipped', 'delivered'];

/** GelatoConnect's side exits, and the states in which the goods have already left production. */
const SIDE_EXITS: ReadonlySet<GelatoStatus> = new Set(['failed', 'canceled']);
const GOODS_OUT: ReadonlySet<OrderState> = new Set(['shipped', 'delivered']);

export type ApplyResult = 'applied' | 'stale' | 'unknown_status' | 'not_submitted';

export function applyGelatoStatus(ctx: EngineContext, o: OrderRecord, u: StatusUpdate): ApplyResult {
  const status = normaliseGelatoStatus(u.status);
  if (!status) {
    ctx.repo.addEvent(o.id, 'status_unknown', 'info', msg('apply.unknownStatus', { status: u.status }));
    return 'unknown_status';
  }
  if (!o.gelatoOrderId && !['submitted', 'in_production', 'shipped'].includes(o.state)) return 'not_submitted';
  let next: OrderRecord | undefined;
  const result = ctx.db.transaction((): ApplyResult => {
    const cur = ctx.repo.byId(o.id) ?? o;
    const current = normaliseGelatoStatus(cur.gelatoStatus);
    const carrier = u.carrier ?? null;
    const added = ctx.repo.addTracking(cur.id, (u.tracking ?? []).map((t) => ({ ...t, carrier: t.carrier ?? carrier })));
    const newTracking = added.length ? added : null;
    if (!isStatusAdvance(current, status)) {
      if (newTracking) {
        ctx.repo.addEvent(cur.id, 'tracking', 'ok', msg('apply.tracking', { codes: list(newTracking, 'comma') }));
        enqueueTrackingPush(ctx, cur, newTracking);
        next = ctx.repo.byId(cur.id);
      }
      return 'stale';
    }
    const target = STATE_FOR[status];
    const via = msg(u.source === 'postback' ? 'apply.via.postback' : 'apply.via.poll');
    if (SIDE_EXITS.has(status) && GOODS_OUT.has(cur.state)) {
      // The parcel has left: a "canceled" or "failed" now cannot undo that. Infigo keeps
      // the truth it was told (shipped, delivered); a person is told once, on the timeline.
      const kind = `gelato_${status}_after_${cur.state}`;
      if (!ctx.repo.lastEventAt(cur.id, kind)) {
        const said = { status: msg(`gelatoStatus.${status}`), via, state: msg(`state.${cur.state}`) };
        const late = cur.state === 'delivered' ? 'Delivered' : 'Shipped';
        ctx.repo.addEvent(
          cur.id,
          kind,
          'info',
          u.reason ? msg(`apply.sideExit${late}Reason`, { ...said, reason: u.reason }) : msg(`apply.sideExit${late}`, said),
          { status, reason: u.reason ?? null, source: u.source, state: cur.state },
        );
        ctx.log.warn({ orderId: cur.infigoOrderId, store: cur.storeId, status, state: cur.state }, 'GelatoConnect side exit after the goods left; not applied');
        next = ctx.repo.byId(cur.id);
      }
      return 'stale';
    }
    const message =
      status === 'failed'
        ? u.reason
          ? msg('apply.failed', { via, reason: u.reason })
          : msg('apply.failedNoReason', { via })
        : newTracking
          ? msg('apply.statusTracking', { status: msg(`gelatoStatus.${status}`), via, codes: list(newTracking, 'comma') })
          : msg('apply.status', { status: msg(`gelatoStatus.${status}`), via });
    const detail = { status, reason: u.reason ?? null, source: u.source, tracking: newTracking ?? [] };
    if (target && target !== cur.state && canMove(cur.state, target)) {
      next = ctx.repo.transition(
        cur.id,
        target,
        { kind: `gelato_${status}`, outcome: status === 'failed' ? 'error' : 'ok', message, detail },
        { gelatoStatus: status, ...(status === 'failed' ? { attentionCode: 'gelato_failed', attentionReason: u.reason ? msg('apply.failedReason', { reason: u.reason }) : msg('apply.failedReasonNone') } : {}) },
      );
    } else {
      ctx.repo.setGelatoStatus(cur.id, status);
      ctx.repo.addEvent(cur.id, `gelato_${status}`, 'ok', message, detail);
      next = ctx.repo.byId(cur.id)!;
    }
    const t = infigoTarget(ctx.config.get(), status);
    if (t.hold) {
      ctx.log.warn({ orderId: cur.infigoOrderId, store: cur.storeId, status }, 'order held for attention after a GelatoConnect status');
    } else {
      enqueuePush(ctx, next, status, t);
    }
    return 'applied';
  })();
  if (next) ctx.bus.emit('order.changed', toRow(next));
  if (status === 'failed' && result === 'applied') ctx.bus.emit('attention.count', { count: ctx.repo.attentionCount() });
  return result;
}

function canMove(from: OrderState, to: OrderState): boolean {
  if (!canTransition(from, to)) return false;
  if (to === 'failed' || to === 'canceled') return from !== 'delivered';
  return HAPPY_PATH.indexOf(to) > HAPPY_PATH.indexOf(from);
}
