import type { OlderOrderPreview, OrderRow } from '../../../shared/contract';

// What a person must know before sending an order placed before go-live, worked out from the
// preview's facts (orders.olderPreview reads each order from Infigo now) so it reads the same
// in every language: it cannot be sent in its state, it is cancelled in Infigo, it is already
// complete or shipped there (sending produces it again), or Infigo could not be read now.
// Pure, so the rules are tested without a browser.

export interface OlderWarning {
  key: 'notSendable' | 'cancelled' | 'complete' | 'shipped' | 'unreadable';
  values?: Record<string, string>;
}

const SHIPPED = new Set(['shipped', 'delivered', 'partiallyshipped']);

export function olderOrderWarnings(o: OlderOrderPreview): OlderWarning[] {
  const out: OlderWarning[] = [];
  const sendableState = o.state === 'before_go_live' || o.state === 'needs_attention';
  if (!sendableState) {
    out.push({ key: 'notSendable' });
    return out;
  }
  if (o.orderStatus && /^cancel+ed$/i.test(o.orderStatus)) out.push({ key: 'cancelled' });
  else if (o.orderStatus === 'Complete') out.push({ key: 'complete' });
  else if (o.shippingStatus && SHIPPED.has(o.shippingStatus.toLowerCase())) out.push({ key: 'shipped', values: { status: o.shippingStatus } });
  if (o.willSend && o.placedAt === null && o.orderStatus === null) out.push({ key: 'unreadable' });
  // Refused for a reason the facts above do not show (e.g. held for something else than its date).
  if (!o.willSend && !out.some((w) => w.key === 'cancelled')) out.unshift({ key: 'notSendable' });
  return out;
}

/** Whether "Send older orders" has anything to look at among the selected rows: orders before go-live, or held ones (an unreadable date). */
export function mayBeOlder(rows: readonly Pick<OrderRow, 'state'>[]): boolean {
  return rows.some((r) => r.state === 'before_go_live' || r.state === 'needs_attention');
}
