// GelatoConnect issues a connector's endpoint URLs at setup and shows them as
// text to copy; shops paste the lot. This turns pasted text into the five
// endpoints Presslink needs (plus the quote URL when present). URL shapes are
// those public client code uses (reference §1.1, [third-party]); where only the
// submit URL is pasted, the others are derived from it and reported as derived
// so the wizard can say they are a guess to confirm.

export type ConnectorEndpointName = 'submitOrder' | 'getOrder' | 'searchOrders' | 'cancelOrder' | 'updateShipment' | 'shippingQuote';

export const REQUIRED_ENDPOINTS: readonly ConnectorEndpointName[] = ['submitOrder', 'getOrder', 'searchOrders', 'cancelOrder', 'updateShipment'];

export interface ParsedConnectorUrls {
  endpoints: Partial<Record<ConnectorEndpointName, string>>;
  /** Endpoints filled in from the shape of another URL rather than pasted. */
  derived: ConnectorEndpointName[];
  /** Required endpoints still missing after parsing and deriving. */
  missing: ConnectorEndpointName[];
  /** Things a person should look at (unreadable lines, a URL given twice with different values). */
  problems: string[];
}

const URL_RE = /https?:\/\/[^\s"'<>`]+/gi;
/** Order id placeholders as the docs and connector pages write them. */
const PLACEHOLDER = String.raw`(?:\{[^}/]*\}|:[A-Za-z]+|<[^>/]*>|%7B[^/]*?%7D)`;

const LABELS: [ConnectorEndpointName, RegExp][] = [
  ['shippingQuote', /quote/i],
  ['searchOrders', /search/i],
  ['cancelOrder', /cancel/i],
  ['updateShipment', /shipment|update/i],
  ['submitOrder', /submit|create|intake/i],
  ['getOrder', /\bget\b|retrieve|status|fetch/i],
];

function trimUrl(u: string): string {
  return u.replace(/[.,;)\]]+$/, '').replace(/\/+$/, '');
}

/** Which endpoint a URL is, from its path alone; the normalised URL is the one the client uses. */
export function classifyConnectorUrl(raw: string): { name: ConnectorEndpointName; url: string } | null {
  const url = trimUrl(raw);
  let path: string;
  try {
    path = new URL(url.replace(/[{}<>]/g, '_')).pathname;
  } catch {
    return null;
  }
  const strip = (re: RegExp) => url.replace(re, '');
  if (/\/shipping-methods\/quote$/i.test(path)) return { name: 'shippingQuote', url };
  if (/\/search$/i.test(path)) return { name: 'searchOrders', url };
  if (/\/cancel$/i.test(url)) return { name: 'cancelOrder', url: strip(new RegExp(`(?:/${PLACEHOLDER})?/cancel$`, 'i')) };
  if (/\/shipment$/i.test(url)) return { name: 'updateShipment', url: strip(new RegExp(`(?:/${PLACEHOLDER})?/shipment$`, 'i')) };
  if (/\/order$/i.test(path)) return { name: 'submitOrder', url };
  if (/\/order\/[^/]+(?:\/[^/]+)?$/i.test(path)) return { name: 'getOrder', url: strip(new RegExp(`/${PLACEHOLDER}$`, 'i')) };
  return null;
}

/** `…/api/{prefix}/{connector}/order` → `…/api/{prefix}/order/{connector}` (the order-management base). */
function orderBaseFromSubmit(submit: string): string | null {
  const m = /^(https?:\/\/[^/]+\/.*?)\/([^/]+)\/order$/i.exec(submit);
  return m ? `${m[1]}/order/${m[2]}` : null;
}

function submitFromOrderBase(base: string): string | null {
  const m = /^(https?:\/\/[^/]+\/.*?)\/order\/([^/]+)$/i.exec(base);
  return m ? `${m[1]}/${m[2]}/order` : null;
}

export function parseConnectorUrls(text: string): ParsedConnectorUrls {
  const endpoints: Partial<Record<ConnectorEndpointName, string>> = {};
  const problems: string[] = [];
  const put = (name: ConnectorEndpointName, url: string) => {
    const prev = endpoints[name];
    if (prev && prev !== url) problems.push(`Two different ${name} addresses were pasted; the first one is used (${prev}).`);
    else endpoints[name] = url;
  };
  for (const line of text.split(/\r?\n/)) {
    const urls = line.match(URL_RE) ?? [];
    for (const u of urls) {
      const byPath = classifyConnectorUrl(u);
      // A label on the same line ("Get order: https://…") decides when the path is ambiguous.
      const label = urls.length === 1 ? LABELS.find(([, re]) => re.test(line.replace(u, '')))?.[0] : undefined;
      if (byPath) put(byPath.name, byPath.url);
      else if (label) put(label, trimUrl(u));
      else problems.push(`Not recognised as a GelatoConnect endpoint: ${trimUrl(u)}`);
    }
  }
  const derived: ConnectorEndpointName[] = [];
  const base = endpoints.getOrder ?? endpoints.cancelOrder ?? endpoints.updateShipment ?? (endpoints.submitOrder ? orderBaseFromSubmit(endpoints.submitOrder) : null);
  const derive = (name: ConnectorEndpointName, value: string | null | undefined) => {
    if (endpoints[name] || !value) return;
    endpoints[name] = value;
    derived.push(name);
  };
  if (base) {
    derive('getOrder', base);
    derive('searchOrders', `${base}/search`);
    derive('cancelOrder', base);
    derive('updateShipment', base);
    derive('submitOrder', submitFromOrderBase(base));
  }
  const missing = REQUIRED_ENDPOINTS.filter((n) => !endpoints[n]);
  return { endpoints, derived, missing, problems };
}
