// Field order of the GelatoConnect endpoints in the wizard; pasted text is parsed by
// shared/domain/connector-urls so the wizard and the engine read URLs the same way.

export const ENDPOINT_KEYS = ['submitOrder', 'getOrder', 'searchOrders', 'cancelOrder', 'updateShipment', 'shippingQuote'] as const;
export type EndpointKey = (typeof ENDPOINT_KEYS)[number];

/** Lower-case id from a store name: "Acme Storefront" → "acme-storefront". */
export function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'store'
  );
}
