import { isStatusAdvance, normaliseGelatoStatus, type GelatoStatus, type GelatoTracking } from '../../../shared/domain/gelato';
import type { OrderState } from '../../../shared/domain/order-state';
import { toRow, type OrderRecord } from '../db/orders-repo';
import type { EngineContext } from '../engine';

// One place where a GelatoConnect status (from a postback or from polling)
// changes an order. Statuses only move forward (by GelatoConnect's lifecycle
// rank), so a late or repeated update never undoes a later one.

export interface StatusUpdate {
  status: string;
  reason?: string | null;
  tracking?: (GelatoTracking & { carrier?: string | null })[];
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

export type ApplyResult = 'applied' | 'stale' | 'unknown_status' | 'not_submitted';

export function applyGelatoStatus(ctx: EngineContext, o: OrderRecord, u: StatusUpdate): ApplyResult {
  const status = normaliseGelatoStatus(u.status);
  if (!status) {
    ctx.repo.addEvent(o.id, 'status_unknown', 'info', `GelatoConnect reported a status Presslink does not know ("${u.status}"); nothing changed.`);
    return 'unknown_status';
  }
  if (!o.gelatoOrderId && !['submitted', 'in_production', 'shipped'].includes(o.state)) return 'not_submitted';
  const current = normaliseGelatoStatus(o.gelatoStatus);
  const newTracking = recordTracking(ctx, o.id, u.tracking ?? []);
  if (!isStatusAdvance(current, status)) {
    if (newTracking) ctx.repo.addEvent(o.id, 'tracking', 'ok', `Tracking added: ${newTracking}.`);
    return 'stale';
  }
  const target = STATE_FOR[status];
  const via = u.source === 'postback' ? 'postback' : 'status check';
  const reason = u.reason ? ` ${u.reason}` : '';
  const message =
    status === 'failed'
      ? `GelatoConnect failed the order (${via}).${reason || ' No reason was given.'} Fix the cause, then press Retry to submit it again.`
      : `GelatoConnect status: ${status.replace(/_/g, ' ')} (${via}).${newTracking ? ` Tracking: ${newTracking}.` : ''}`;
  let next = o;
  if (target && target !== o.state && canMove(o.state, target)) {
    next = ctx.repo.transition(
      o.id,
      target,
      { kind: `gelato_${status}`, outcome: status === 'failed' ? 'error' : 'ok', message, detail: { status, reason: u.reason ?? null, source: u.source } },
      { gelatoStatus: status, ...(status === 'failed' ? { attentionCode: 'gelato_failed', attentionReason: `GelatoConnect failed the order.${reason}` } : {}) },
    );
  } else {
    ctx.db.prepare('UPDATE orders SET gelato_status = ?, updated_at = ? WHERE id = ?').run(status, new Date().toISOString(), o.id);
    ctx.repo.addEvent(o.id, `gelato_${status}`, 'ok', message, { status, source: u.source });
    next = ctx.repo.byId(o.id)!;
  }
  ctx.bus.emit('order.changed', toRow(next));
  return 'applied';
}

function canMove(from: OrderState, to: OrderState): boolean {
  const order: OrderState[] = ['submitted', 'in_production', 'shipped', 'delivered'];
  if (to === 'failed' || to === 'canceled') return from !== 'delivered';
  return order.indexOf(to) > order.indexOf(from);
}

/** Keeps every package's tracking code; returns a description of the new ones. */
function recordTracking(ctx: EngineContext, orderId: number, tracking: (GelatoTracking & { carrier?: string | null })[]): string | null {
  const added: string[] = [];
  const ins = ctx.db.prepare('INSERT INTO tracking (order_id, code, url, carrier, package_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  for (const t of tracking) {
    if (!t.code) continue;
    if (ins.run(orderId, t.code, t.url, t.carrier ?? null, t.packageId, new Date().toISOString()).changes) added.push(t.code);
  }
  return added.length ? added.join(', ') : null;
}
