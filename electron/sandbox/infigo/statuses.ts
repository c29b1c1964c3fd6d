/**
 * Order, payment and shipping status names. Infigo is built on nopCommerce and MegaScript
 * exposes these as strings; the reference infers REST uses the same names (§4.1). The sandbox
 * serves names and accepts names (any case) or the nopCommerce integers.
 */

export const ORDER_STATUSES: Record<string, number> = { Pending: 10, Processing: 20, Complete: 30, Cancelled: 40 };
export const PAYMENT_STATUSES: Record<string, number> = { Pending: 10, Authorized: 20, Paid: 30, PartiallyRefunded: 35, Refunded: 40, Voided: 50 };
export const SHIPPING_STATUSES: Record<string, number> = { ShippingNotRequired: 10, NotYetShipped: 20, PartiallyShipped: 25, Shipped: 30, Delivered: 40 };

/** Canonical name for `value`, or undefined when it names no member of `table`. */
export function canonicalStatus(table: Record<string, number>, value: unknown): string | undefined {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim()))) {
    const n = Number(value);
    return Object.keys(table).find((k) => table[k] === n);
  }
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase().replace(/[\s_-]/g, '');
  // "Canceled" (US spelling, GelatoConnect's) is a likely mistake worth accepting.
  const alias = v === 'canceled' ? 'cancelled' : v;
  return Object.keys(table).find((k) => k.toLowerCase() === alias);
}
