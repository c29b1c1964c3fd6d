import type { CheckResult } from '../../../shared/contract';
import { isHttpError, type HttpError } from '../http';
import { InfigoClient } from '../infigo';
import { fail, pass, scrubSecrets, skip, warn } from './result';

// The wizard's "Check connection" for one Infigo store: each thing that can be
// wrong is its own line, in the order a person would fix them (address, then
// token, then what the token may do), and every failure says what to do.

export const INFIGO_BASE_URL_FIX = "Check the store's base URL: it is the address of your storefront, e.g. https://yourcompany.infigo.net (Presslink adds /services/api).";
export const INFIGO_TOKEN_FIX =
  'The API token was refused: check it in Infigo admin, and that API access is enabled for your instance — ask your Infigo account manager.';

/** Short timeouts and one attempt: a setup check answers in seconds, not after a retry ladder. */
export const CHECK_HTTP = { timeoutMs: 8_000, retry: { maxAttempts: 1, baseDelayMs: 200 } };

const T = {
  url: 'Store address',
  reach: 'Store reachable',
  token: 'API token',
  list: 'Permission: list orders',
  read: 'Permission: read an order and its lines',
  catalogue: 'Permission: read the catalogue',
};

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\./.test(hostname);
}

/** Parses a pasted store address; a bare host name gets https:// so "acme.infigo.net" works. */
export function normaliseStoreUrl(raw: string): { ok: true; url: URL } | { ok: false; reason: string } {
  const s = raw.trim();
  if (!s) return { ok: false, reason: 'No store address was entered.' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return { ok: false, reason: `"${s.slice(0, 80)}" is not a web address.` };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, reason: `The address must start with https:// (it starts with ${u.protocol}//).` };
  if (!u.hostname || (!u.hostname.includes('.') && !isLoopback(u.hostname))) return { ok: false, reason: `"${u.hostname}" is not a full host name.` };
  if (u.username || u.password) return { ok: false, reason: 'The address must not contain a user name or password.' };
  return { ok: true, url: u };
}

function httpReason(e: unknown): string {
  return isHttpError(e) ? `${e.userMessage}${e.status ? ` (HTTP ${e.status})` : ''}` : (e as Error).message;
}

function permissionFix(e: unknown, what: string): string {
  if (isHttpError(e) && e.code === 'unauthorized') {
    return `The token works but may not ${what}: in Infigo admin give the API user that permission, or ask your Infigo account manager to enable it.`;
  }
  return isHttpError(e) && e.hint ? e.hint : 'Try again in a minute; if it keeps failing, send the diagnostics bundle to support.';
}

export async function checkInfigo(input: { baseUrl: string; apiToken: string }): Promise<CheckResult[]> {
  const token = input.apiToken.trim();
  const results = await runInfigoChecks(input.baseUrl, token);
  return scrubSecrets(results, [token, input.apiToken]);
}

async function runInfigoChecks(baseUrl: string, token: string): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const later = (from: number) => {
    const rest: [string, string][] = [
      ['infigo-reachable', T.reach],
      ['infigo-token', T.token],
      ['infigo-list-orders', T.list],
      ['infigo-read-order', T.read],
      ['infigo-catalogue', T.catalogue],
    ];
    for (const [id, title] of rest.slice(from)) out.push(skip(id, title, 'Not checked: fix the problem above first.'));
  };

  const parsed = normaliseStoreUrl(baseUrl);
  if (!parsed.ok) {
    out.push(fail('infigo-url', T.url, parsed.reason, INFIGO_BASE_URL_FIX));
    later(0);
    return out;
  }
  const u = parsed.url;
  if (u.protocol === 'http:' && !isLoopback(u.hostname)) {
    out.push(fail('infigo-url', T.url, `${u.origin} uses plain http://; the API token would travel unencrypted.`, `Use https://${u.host}${u.pathname === '/' ? '' : u.pathname}. ${INFIGO_BASE_URL_FIX}`));
    later(0);
    return out;
  }
  out.push(pass('infigo-url', T.url, `${u.origin}${u.pathname === '/' ? '' : u.pathname} is a well-formed store address.`));

  if (!token) {
    out.push(skip('infigo-reachable', T.reach, 'Not checked: enter the API token first.'));
    out.push(fail('infigo-token', T.token, 'No API token was entered.', 'Create or copy the API token in Infigo admin and paste it here. ' + INFIGO_TOKEN_FIX));
    later(2);
    return out;
  }

  let client: InfigoClient;
  try {
    client = new InfigoClient({ baseUrl: u.toString(), token, ...CHECK_HTTP });
  } catch (e) {
    out.push(fail('infigo-url', T.url, (e as Error).message, INFIGO_BASE_URL_FIX));
    later(0);
    return out;
  }

  const t = await client.checkToken();
  if (!t.ok) {
    if (t.reason === 'unreachable') {
      out.push(fail('infigo-reachable', T.reach, `Cannot reach ${u.host}: ${describeReach(t.error)}`, `${INFIGO_BASE_URL_FIX} Also check this computer's internet connection and proxy.`, { host: u.host, code: t.error.code }));
      later(1);
      return out;
    }
    if (t.reason === 'unauthorized') {
      out.push(pass('infigo-reachable', T.reach, `${u.host} answered.`));
      out.push(fail('infigo-token', T.token, `${u.host} refused the API token (HTTP ${t.error.status ?? 401}).`, INFIGO_TOKEN_FIX, { host: u.host, status: t.error.status ?? null }));
      later(2);
      return out;
    }
    if (t.error.code === 'invalid_response' || t.error.code === 'not_found' || t.error.code === 'redirect_blocked') {
      out.push(fail('infigo-reachable', T.reach, `${u.host} answered, but not like an Infigo store API: ${httpReason(t.error)}`, INFIGO_BASE_URL_FIX, { host: u.host, code: t.error.code, status: t.error.status ?? null }));
      later(1);
      return out;
    }
    out.push(pass('infigo-reachable', T.reach, `${u.host} answered.`));
    out.push(fail('infigo-token', T.token, `The token could not be checked: ${httpReason(t.error)}`, t.error.hint || 'Try again in a minute.', { code: t.error.code, status: t.error.status ?? null }));
    later(2);
    return out;
  }
  out.push(pass('infigo-reachable', T.reach, `${u.host} answered.`));
  out.push(pass('infigo-token', T.token, `The API token is valid${t.storefrontName ? ` for "${t.storefrontName}"` : ''}.`, { evidence: { storefront: t.storefrontName } }));

  let ids: number[] = [];
  try {
    ids = await client.listOrderIds();
    out.push(pass('infigo-list-orders', T.list, `The token may list orders (${ids.length} order${ids.length === 1 ? '' : 's'} in the store).`, { evidence: { orders: ids.length } }));
  } catch (e) {
    out.push(fail('infigo-list-orders', T.list, `Listing orders (Order/List) failed: ${httpReason(e)}`, permissionFix(e, 'list orders')));
  }

  if (ids.length === 0) {
    out.push(skip('infigo-read-order', T.read, 'No orders in the store yet, so reading one could not be tried; place a test order and check again.'));
  } else {
    const newest = Math.max(...ids);
    try {
      out.push(await readOneOrder(client, newest));
    } catch (e) {
      out.push(fail('infigo-read-order', T.read, `Reading order ${newest} or its lines failed: ${httpReason(e)}`, permissionFix(e, 'read order details and lines'), { orderId: newest }));
    }
  }

  try {
    const products = await client.listProducts();
    out.push(pass('infigo-catalogue', T.catalogue, `The token may read the catalogue (${products.length} product${products.length === 1 ? '' : 's'}).`, { evidence: { products: products.length } }));
  } catch (e) {
    // The catalogue helps the mapping editor; orders still flow without it.
    out.push(warn('infigo-catalogue', T.catalogue, `Reading the catalogue (catalog/productlist) failed: ${httpReason(e)}. Orders still sync; the mapping editor cannot list products.`, { fix: permissionFix(e, 'read the catalogue') }));
  }
  return out;
}

/** The fields Presslink reads from an order and from a line (docs/clients.md says which are documented). */
export const ORDER_FIELDS = ['Id', 'CreatedOnUtc', 'OrderStatus', 'PaymentStatus', 'ShippingStatus', 'ShippingMethod', 'ShippingAddress', 'OrderLineItems', 'CurrencyCode'] as const;
export const LINE_FIELDS = ['Id', 'Type', 'Quantity', 'Sku', 'ProductName', 'ProductId', 'ProductAttributes', 'OrderProductStatus'] as const;

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const READ_MSG = {
  allFound: (orderId: number, jobId: string) => `Order ${orderId} and its line ${jobId} were read; every field Presslink uses is there.`,
  noLines: (orderId: number) => `Order ${orderId} was read; it has no lines to read.`,
  lineGaps: (orderId: number, jobId: string, missing: string[], filled: string[]) =>
    `Order ${orderId} and its line ${jobId} were read, but the line has no ${missing.join(', ')}.${filled.length ? ` ${capital(filled.join(' and '))} can be taken from the product in the catalogue.` : ''} Orders whose lines lack what production needs are held in Needs attention with the field named.`,
  lineGapsFix: () => 'Check the order in Infigo; if your store never sends these fields, send the diagnostics bundle to support (it lists what was found).',
  orderGaps: (orderId: number, missing: string[]) => `Order ${orderId} was read, but it has no ${missing.join(', ')}.`,
} as const;

/** Which of `fields` the raw object carries with a value (an empty text, null or empty list counts as missing). */
export function fieldsPresent(raw: unknown, fields: readonly string[]): { found: string[]; missing: string[] } {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const has = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
  return { found: fields.filter((f) => has(o[f])), missing: fields.filter((f) => !has(o[f])) };
}

/**
 * Reads the store's newest order and its first line as Infigo sends them and says which fields
 * were found and which were missing, so support learns a real store's shape on the first shop.
 */
async function readOneOrder(client: InfigoClient, orderId: number): Promise<CheckResult> {
  const rawOrder = await client.getOrderRaw(orderId);
  const order = await client.getOrder(orderId);
  const orderFields = fieldsPresent(rawOrder, ORDER_FIELDS);
  const first = order.OrderLineItems[0];
  if (first === undefined) {
    return pass('infigo-read-order', T.read, READ_MSG.noLines(orderId), { evidence: { orderId, lines: 0, order: orderFields } });
  }
  const rawLine = await client.getOrderLineRaw(first);
  const line = await client.getOrderLine(first);
  const lineFields = fieldsPresent(rawLine, LINE_FIELDS);
  const needed = lineFields.missing.filter((f) => f === 'Quantity' || f === 'Sku' || f === 'ProductName');
  const filled: string[] = [];
  if (needed.some((f) => f === 'Sku' || f === 'ProductName') && typeof line.ProductId === 'number' && line.ProductId > 0) {
    const product = await client.getProduct(line.ProductId).catch(() => null);
    if (needed.includes('Sku') && product?.Sku) filled.push(`the SKU "${product.Sku}"`);
    if (needed.includes('ProductName') && product?.Name) filled.push(`the name "${product.Name}"`);
  }
  const evidence = { orderId, lines: order.OrderLineItems.length, order: orderFields, line: { jobId: line.Id, sku: line.Sku || null, productType: line.Type, ...lineFields }, fallbacks: filled };
  if (needed.length) return warn('infigo-read-order', T.read, READ_MSG.lineGaps(orderId, line.Id, needed, filled), { evidence, fix: READ_MSG.lineGapsFix() });
  const orderNeeded = orderFields.missing.filter((f) => f === 'CreatedOnUtc' || f === 'OrderLineItems' || f === 'ShippingAddress');
  if (orderNeeded.length) return warn('infigo-read-order', T.read, READ_MSG.orderGaps(orderId, orderNeeded), { evidence, fix: READ_MSG.lineGapsFix() });
  return pass('infigo-read-order', T.read, READ_MSG.allFound(orderId, line.Id), { evidence });
}

export function describeReach(e: HttpError): string {
  if (e.code === 'timeout') return 'it did not answer in time.';
  const cause = e.causeCode ? ` (${e.causeCode})` : '';
  if (e.causeCode === 'ENOTFOUND' || e.causeCode === 'EAI_AGAIN') return `the name does not resolve${cause}.`;
  if (e.causeCode === 'ECONNREFUSED') return `the connection was refused${cause}.`;
  return `${e.userMessage}${cause}`;
}
