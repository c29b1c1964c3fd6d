// GelatoConnect's Infigo connector hands the shop a block of endpoint URLs (from the
// connector page or a support e-mail). Pasting that block should fill the five fields;
// the labels vary, so each URL is matched on the words around it and on its own path.

export const ENDPOINT_KEYS = ['submitOrder', 'getOrder', 'searchOrders', 'cancelOrder', 'updateShipment', 'shippingQuote'] as const;
export type EndpointKey = (typeof ENDPOINT_KEYS)[number];

const RULES: { key: EndpointKey; re: RegExp }[] = [
  { key: 'searchOrders', re: /search/ },
  { key: 'cancelOrder', re: /cancel/ },
  { key: 'updateShipment', re: /shipment|update.?ship|shipping.?update/ },
  { key: 'shippingQuote', re: /quote|rate/ },
  { key: 'getOrder', re: /\bget\b|get.?order|retrieve|order.?status|status/ },
  { key: 'submitOrder', re: /submit|create|intake|new.?order|place|order/ },
];

export function autofillEndpoints(text: string): Partial<Record<EndpointKey, string>> {
  const out: Partial<Record<EndpointKey, string>> = {};
  let pendingLabel = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line) continue;
    const urls = line.match(/https?:\/\/[^\s"'<>,;]+/g);
    if (!urls) {
      // A label on its own line names the URL on the next line.
      pendingLabel = line;
      continue;
    }
    for (const url of urls) {
      const label = `${pendingLabel} ${line.replace(url, ' ')}`.toLowerCase();
      const path = url.toLowerCase().replace(/^https?:\/\/[^/]+/, '');
      const rule = RULES.find((r) => !out[r.key] && r.re.test(label)) ?? RULES.find((r) => !out[r.key] && r.re.test(path));
      if (rule) out[rule.key] = url.replace(/[).\]]+$/, '');
    }
    pendingLabel = '';
  }
  return out;
}

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
