import type { CheckResult } from '../../../shared/contract';
import { list, msg, type Msg, type MsgParam } from '../../../shared/messages/index';
import { isHttpError, userMsg, type HttpError } from '../http';
import { asMsg, reasonOf, textOf } from '../i18n';
import { InfigoClient } from '../infigo';
import { fail, pass, scrubSecrets, skip, warn } from './result';

// The wizard's "Check connection" for one Infigo store: each thing that can be
// wrong is its own line, in the order a person would fix them (address, then
// token, then what the token may do), and every failure says what to do.

export const INFIGO_BASE_URL_FIX = msg('setupInfigo.fix.baseUrl');
export const INFIGO_TOKEN_FIX = msg('setupInfigo.fix.token');

/** Short timeouts and one attempt: a setup check answers in seconds, not after a retry ladder. */
export const CHECK_HTTP = { timeoutMs: 8_000, retry: { maxAttempts: 1, baseDelayMs: 200 } };

const T = {
  url: msg('setupInfigo.title.url'),
  reach: msg('setupInfigo.title.reach'),
  token: msg('setupInfigo.title.token'),
  list: msg('setupInfigo.title.list'),
  read: msg('setupInfigo.title.read'),
  catalogue: msg('setupInfigo.title.catalogue'),
};

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\./.test(hostname);
}

/** Parses a pasted store address; a bare host name gets https:// so "acme.infigo.net" works. */
export function normaliseStoreUrl(raw: string): { ok: true; url: URL } | { ok: false; reason: Msg } {
  const s = raw.trim();
  if (!s) return { ok: false, reason: msg('setupInfigo.url.empty') };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return { ok: false, reason: msg('setupInfigo.url.notAddress', { value: s.slice(0, 80) }) };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { ok: false, reason: msg('setupInfigo.url.scheme', { scheme: u.protocol }) };
  if (!u.hostname || (!u.hostname.includes('.') && !isLoopback(u.hostname))) return { ok: false, reason: msg('setupInfigo.url.host', { host: u.hostname }) };
  if (u.username || u.password) return { ok: false, reason: msg('setupInfigo.url.credentials') };
  return { ok: true, url: u };
}

/** An error as a reason inside a check's message: a service's words, with the HTTP status when there is one. */
export function httpReason(e: unknown): MsgParam {
  if (isHttpError(e)) return e.status ? msg('check.withStatus', { reason: userMsg(e), status: e.status }) : userMsg(e);
  return reasonOf(e);
}

function permissionFix(e: unknown, what: 'list' | 'read' | 'catalogue'): string | Msg {
  if (isHttpError(e) && e.code === 'unauthorized') return msg('setupInfigo.fix.permission', { what: msg(`setupInfigo.permission.${what}`) });
  return isHttpError(e) && e.hint ? e.hint : msg('check.tryAgainLater');
}

export async function checkInfigo(input: { baseUrl: string; apiToken: string }): Promise<CheckResult[]> {
  const token = input.apiToken.trim();
  const results = await runInfigoChecks(input.baseUrl, token);
  return scrubSecrets(results, [token, input.apiToken]);
}

async function runInfigoChecks(baseUrl: string, token: string): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const later = (from: number) => {
    const rest: [string, Msg][] = [
      ['infigo-reachable', T.reach],
      ['infigo-token', T.token],
      ['infigo-list-orders', T.list],
      ['infigo-read-order', T.read],
      ['infigo-catalogue', T.catalogue],
    ];
    for (const [id, title] of rest.slice(from)) out.push(skip(id, title, msg('check.fixAboveFirst')));
  };

  const parsed = normaliseStoreUrl(baseUrl);
  if (!parsed.ok) {
    out.push(fail('infigo-url', T.url, parsed.reason, INFIGO_BASE_URL_FIX));
    later(0);
    return out;
  }
  const u = parsed.url;
  if (u.protocol === 'http:' && !isLoopback(u.hostname)) {
    out.push(fail('infigo-url', T.url, msg('setupInfigo.url.plainHttp', { origin: u.origin }), msg('setupInfigo.url.useHttps', { url: `https://${u.host}${u.pathname === '/' ? '' : u.pathname}`, fix: INFIGO_BASE_URL_FIX })));
    later(0);
    return out;
  }
  out.push(pass('infigo-url', T.url, msg('setupInfigo.url.ok', { url: `${u.origin}${u.pathname === '/' ? '' : u.pathname}` })));

  if (!token) {
    out.push(skip('infigo-reachable', T.reach, msg('setupInfigo.enterTokenFirst')));
    out.push(fail('infigo-token', T.token, msg('setupInfigo.noToken'), msg('setupInfigo.fix.noToken', { fix: INFIGO_TOKEN_FIX })));
    later(2);
    return out;
  }

  let client: InfigoClient;
  try {
    client = new InfigoClient({ baseUrl: u.toString(), token, ...CHECK_HTTP });
  } catch (e) {
    out.push(fail('infigo-url', T.url, asMsg(reasonOf(e)), INFIGO_BASE_URL_FIX));
    later(0);
    return out;
  }

  const t = await client.checkToken();
  if (!t.ok) {
    if (t.reason === 'unreachable') {
      out.push(fail('infigo-reachable', T.reach, msg('setupInfigo.cannotReach', { host: u.host, why: describeReach(t.error) }), msg('setupInfigo.fix.reach', { fix: INFIGO_BASE_URL_FIX }), { host: u.host, code: t.error.code }));
      later(1);
      return out;
    }
    if (t.reason === 'unauthorized') {
      out.push(pass('infigo-reachable', T.reach, msg('setupInfigo.answered', { host: u.host })));
      out.push(fail('infigo-token', T.token, msg('setupInfigo.tokenRefused', { host: u.host, status: t.error.status ?? 401 }), INFIGO_TOKEN_FIX, { host: u.host, status: t.error.status ?? null }));
      later(2);
      return out;
    }
    if (t.error.code === 'invalid_response' || t.error.code === 'not_found' || t.error.code === 'redirect_blocked') {
      out.push(fail('infigo-reachable', T.reach, msg('setupInfigo.notInfigo', { host: u.host, reason: httpReason(t.error) }), INFIGO_BASE_URL_FIX, { host: u.host, code: t.error.code, status: t.error.status ?? null }));
      later(1);
      return out;
    }
    out.push(pass('infigo-reachable', T.reach, msg('setupInfigo.answered', { host: u.host })));
    out.push(fail('infigo-token', T.token, msg('setupInfigo.tokenUnchecked', { reason: httpReason(t.error) }), t.error.hint || msg('check.tryAgainMinute'), { code: t.error.code, status: t.error.status ?? null }));
    later(2);
    return out;
  }
  out.push(pass('infigo-reachable', T.reach, msg('setupInfigo.answered', { host: u.host })));
  out.push(pass('infigo-token', T.token, t.storefrontName ? msg('setupInfigo.tokenValidFor', { storefront: t.storefrontName }) : msg('setupInfigo.tokenValid'), { evidence: { storefront: t.storefrontName } }));

  let ids: number[] = [];
  try {
    ids = await client.listOrderIds();
    out.push(pass('infigo-list-orders', T.list, msg('setupInfigo.listed', { count: ids.length }), { evidence: { orders: ids.length } }));
  } catch (e) {
    out.push(fail('infigo-list-orders', T.list, msg('setupInfigo.listFailed', { reason: httpReason(e) }), permissionFix(e, 'list')));
  }

  if (ids.length === 0) {
    out.push(skip('infigo-read-order', T.read, msg('setupInfigo.noOrders')));
  } else {
    const newest = Math.max(...ids);
    try {
      out.push(await readOneOrder(client, newest));
    } catch (e) {
      out.push(fail('infigo-read-order', T.read, msg('setupInfigo.readFailed', { order: newest, reason: httpReason(e) }), permissionFix(e, 'read'), { orderId: newest }));
    }
  }

  try {
    const products = await client.listProducts();
    out.push(pass('infigo-catalogue', T.catalogue, msg('setupInfigo.catalogue', { count: products.length }), { evidence: { products: products.length } }));
  } catch (e) {
    // The catalogue helps the mapping editor; orders still flow without it.
    out.push(warn('infigo-catalogue', T.catalogue, msg('setupInfigo.catalogueFailed', { reason: httpReason(e) }), { fix: permissionFix(e, 'catalogue') }));
  }
  return out;
}

/** The fields Presslink reads from an order and from a line (docs/clients.md says which are documented). */
export const ORDER_FIELDS = ['Id', 'CreatedOnUtc', 'OrderStatus', 'PaymentStatus', 'ShippingStatus', 'ShippingMethod', 'ShippingAddress', 'OrderLineItems', 'CurrencyCode'] as const;
export const LINE_FIELDS = ['Id', 'Type', 'Quantity', 'Sku', 'ProductName', 'ProductId', 'ProductAttributes', 'OrderProductStatus'] as const;


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
    return pass('infigo-read-order', T.read, msg('setupInfigo.readNoLines', { order: orderId }), { evidence: { orderId, lines: 0, order: orderFields } });
  }
  const rawLine = await client.getOrderLineRaw(first);
  const line = await client.getOrderLine(first);
  const lineFields = fieldsPresent(rawLine, LINE_FIELDS);
  const needed = lineFields.missing.filter((f) => f === 'Quantity' || f === 'Sku' || f === 'ProductName');
  const filled: { sku?: string; name?: string } = {};
  if (needed.some((f) => f === 'Sku' || f === 'ProductName') && typeof line.ProductId === 'number' && line.ProductId > 0) {
    const product = await client.getProduct(line.ProductId).catch(() => null);
    if (needed.includes('Sku') && product?.Sku) filled.sku = product.Sku;
    if (needed.includes('ProductName') && product?.Name) filled.name = product.Name;
  }
  const fromCatalogue =
    filled.sku && filled.name
      ? msg('setupInfigo.read.filledBoth', { sku: filled.sku, name: filled.name })
      : filled.sku
        ? msg('setupInfigo.read.filledSku', { sku: filled.sku })
        : filled.name
          ? msg('setupInfigo.read.filledName', { name: filled.name })
          : null;
  const evidence = { orderId, lines: order.OrderLineItems.length, order: orderFields, line: { jobId: line.Id, sku: line.Sku || null, productType: line.Type, ...lineFields }, fallbacks: fromCatalogue ? [textOf(fromCatalogue)] : [] };
  if (needed.length) {
    const gaps = msg('setupInfigo.read.lineGaps', { order: orderId, line: line.Id, missing: list(needed, 'comma') });
    const said = [gaps, ...(fromCatalogue ? [fromCatalogue] : []), msg('setupInfigo.read.held')];
    return warn('infigo-read-order', T.read, msg('common.sentences', { items: list(said, 'sentences') }), { evidence, fix: msg('setupInfigo.read.gapsFix') });
  }
  const orderNeeded = orderFields.missing.filter((f) => f === 'CreatedOnUtc' || f === 'OrderLineItems' || f === 'ShippingAddress');
  if (orderNeeded.length) return warn('infigo-read-order', T.read, msg('setupInfigo.read.orderGaps', { order: orderId, missing: list(orderNeeded, 'comma') }), { evidence, fix: msg('setupInfigo.read.gapsFix') });
  return pass('infigo-read-order', T.read, msg('setupInfigo.read.allFound', { order: orderId, line: line.Id }), { evidence });
}

/**
 * Why a host could not be reached, as the end of "Cannot reach HOST: …" — never the client's
 * own "Cannot reach HOST" again (it would read "Cannot reach x: Cannot reach x").
 */
export function describeReach(e: HttpError): Msg {
  if (e.code === 'timeout') return msg('setupInfigo.reach.timeout');
  const code = e.causeCode ?? null;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return msg('setupInfigo.reach.notResolve', { code });
  if (code === 'ECONNREFUSED') return msg('setupInfigo.reach.refused', { code });
  if (e.code === 'unreachable') return code ? msg('setupInfigo.reach.noConnectionCode', { code }) : msg('setupInfigo.reach.noConnection');
  if (e.code === 'network') return code ? msg('setupInfigo.reach.interruptedCode', { code }) : msg('setupInfigo.reach.interrupted');
  const reason = e.userMessage.replace(/\.$/, '');
  return code ? msg('setupInfigo.reach.otherCode', { reason, code }) : msg('setupInfigo.reach.other', { reason });
}
