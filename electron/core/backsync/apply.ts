import { isStatusAdvance, normaliseGelatoStatus, type GelatoStatus, type GelatoTracking } from '../../../shared/domain/gelato';
import { canTransition, type OrderState } from '../../../shared/domain/order-state';
import { toRow, type OrderRecord } from '../db/orders-repo';
import type { EngineContext } from '../engine';
import { enqueuePush, enqueueTrackingPush } from './push';
import { infigoTarget } from './settings';

// One place where a GelatoConnect status (from a postback or from polling)
// changes an order. Statuses only move forward (by GelatoConnect's lifecycle
// rank), so a late or repeated update never undoes a later one. The state
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

export type ApplyResult = 'applied' | 'stale' | 'unknown_status' | 'not_submitted';

export function applyGelatoStatus(ctx: EngineContext, o: OrderRecord, u: StatusUpdate): ApplyResult {
  const status = normaliseGelatoStatus(u.status);
  if (!status) {
    ctx.repo.addEvent(o.id, 'status_unknown', 'info', `GelatoConnect reported a status Presslink does not know ("${u.status}"); nothing changed.`);
    return 'unknown_status';
  }
  if (!o.gelatoOrderId && !['submitted', 'in_production', 'shipped'].includes(o.state)) return 'not_submitted';
  let next: OrderRecord | undefined;
  const result = ctx.db.transaction((): ApplyResult => {
    const cur = ctx.repo.byId(o.id) ?? o;
    const current = normaliseGelatoStatus(cur.gelatoStatus);
    const carrier = u.carrier ?? null;
    const newTracking = recordTracking(ctx, cur.id, (u.tracking ?? []).map((t) => ({ ...t, carrier: t.carrier ?? carrier })));
    if (!isStatusAdvance(current, status)) {
      if (newTracking) {
        ctx.repo.addEvent(cur.id, 'tracking', 'ok', `Tracking added: ${newTracking.join(', ')}.`);
        enqueueTrackingPush(ctx, cur, newTracking);
        next = ctx.repo.byId(cur.id);
      }
      return 'stale';
    }
    const target = STATE_FOR[status];
    const via = u.source === 'postback' ? 'postback' : 'status check';
    const reason = u.reason ? ` ${u.reason}` : '';
    const message =
      status === 'failed'
        ? `GelatoConnect failed the order (${via}).${reason || ' No reason was given.'} Fix the cause, then press Retry to submit it again.`
        : `GelatoConnect status: ${status.replace(/_/g, ' ')} (${via}).${newTracking ? ` Tracking: ${newTracking.join(', ')}.` : ''}`;
    const detail = { status, reason: u.reason ?? null, source: u.source, tracking: newTracking ?? [] };
    if (target && target !== cur.state && canMove(cur.state, target)) {
      next = ctx.repo.transition(
        cur.id,
        target,
        { kind: `gelato_${status}`, outcome: status === 'failed' ? 'error' : 'ok', message, detail },
        { gelatoStatus: status, ...(status === 'failed' ? { attentionCode: 'gelato_failed', attentionReason: `GelatoConnect failed the order.${reason}` } : {}) },
      );
    } else {
      ctx.db.prepare('UPDATE orders SET gelato_status = ?, updated_at = ? WHERE id = ?').run(status, new Date().toISOString(), cur.id);
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
  if (status === 'failed' && result === 'applied') {
    const counts = ctx.repo.counts();
    ctx.bus.emit('attention.count', { count: (counts.needs_attention ?? 0) + (counts.failed ?? 0) });
  }
  return result;
}

function canMove(from: OrderState, to: OrderState): boolean {
  if (!canTransition(from, to)) return false;
  if (to === 'failed' || to === 'canceled') return from !== 'delivered';
  return HAPPY_PATH.indexOf(to) > HAPPY_PATH.indexOf(from);
}

/** Keeps every package's tracking code; returns the codes that are new. */
function recordTracking(ctx: EngineContext, orderId: number, tracking: (GelatoTracking & { carrier?: string | null })[]): string[] | null {
  const added: string[] = [];
  const ins = ctx.db.prepare('INSERT INTO tracking (order_id, code, url, carrier, package_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const fill = ctx.db.prepare('UPDATE tracking SET url = coalesce(url, ?), carrier = coalesce(carrier, ?), package_id = coalesce(package_id, ?) WHERE order_id = ? AND code = ?');
  for (const t of tracking) {
    if (!t.code) continue;
    if (ins.run(orderId, t.code, t.url, t.carrier ?? null, t.packageId, new Date().toISOString()).changes) added.push(t.code);
    else fill.run(t.url, t.carrier ?? null, t.packageId, orderId, t.code);
  }
  return added.length ? added : null;
}

