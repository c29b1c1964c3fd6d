import crypto from 'node:crypto';
import type { CheckResult } from '../../../shared/contract';
import { REQUIRED_ENDPOINTS, type ConnectorEndpointName } from '../../../shared/domain/connector-urls';
import { list, msg, type Msg } from '../../../shared/messages/index';
import { GelatoClient, type GelatoEndpoints } from '../gelato';
import { isHttpError, userMsg } from '../http';
import { textOf } from '../i18n';
import { fail, pass, scrubSecrets, skip } from './result';
import { CHECK_HTTP, httpReason, isLoopback } from './setup-infigo';

// The wizard's "Check connection" for the GelatoConnect connector. The key is
// proved with calls that cannot change anything: looking up an order reference
// that cannot exist (404 = the key was accepted) and an empty search.

const T = {
  format: msg('setupGelato.title.format'),
  endpoints: msg('setupGelato.title.endpoints'),
  key: msg('setupGelato.title.key'),
  search: msg('setupGelato.title.search'),
  customer: msg('setupGelato.title.customer'),
};

export const GELATO_KEY_FIX = msg('setupGelato.fix.key');
const ENDPOINT_FIX = msg('setupGelato.fix.endpoints');

const KNOWN: readonly string[] = [...REQUIRED_ENDPOINTS, 'shippingQuote'];

/** What is wrong with each endpoint address, as messages (one per problem). */
export function endpointIssues(endpoints: Record<string, string>): Msg[] {
  const problems: Msg[] = [];
  for (const name of REQUIRED_ENDPOINTS) if (!endpoints[name]?.trim()) problems.push(msg('setupGelato.endpoint.missing', { name }));
  for (const [name, raw] of Object.entries(endpoints)) {
    if (!KNOWN.includes(name)) {
      problems.push(msg('setupGelato.endpoint.unknown', { name, expected: list(KNOWN, 'comma') }));
      continue;
    }
    const v = raw.trim();
    if (!v) continue;
    let u: URL;
    try {
      u = new URL(v.replace(/\{(id|orderId|idOrRef)\}/g, 'x'));
    } catch {
      problems.push(msg('setupGelato.endpoint.notAddress', { name, value: v.slice(0, 100) }));
      continue;
    }
    if (u.protocol === 'http:' && !isLoopback(u.hostname)) problems.push(msg('setupGelato.endpoint.https', { name }));
    else if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push(msg('setupGelato.endpoint.scheme', { name }));
    if (u.username || u.password) problems.push(msg('setupGelato.endpoint.credentials', { name }));
  }
  return problems;
}

/** The same problems as English text (the check's evidence, tests). */
export function endpointProblems(endpoints: Record<string, string>): string[] {
  return endpointIssues(endpoints).map((m) => textOf(m));
}

export async function checkGelato(input: { apiKey: string; endpoints: Record<string, string>; customerReferenceId?: string }): Promise<CheckResult[]> {
  return scrubSecrets(await run(input), [input.apiKey.trim(), input.apiKey.split(':')[1]]);
}

async function run(input: { apiKey: string; endpoints: Record<string, string>; customerReferenceId?: string }): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const key = input.apiKey.trim();
  const keyOk = /^[^:\s]+:[^\s]+$/.test(key);
  out.push(
    keyOk
      ? pass('gelato-key-format', T.format, msg('setupGelato.keyFormatOk'))
      : fail('gelato-key-format', T.format, key ? msg('setupGelato.keyFormatBad') : msg('setupGelato.noKey'), GELATO_KEY_FIX),
  );
  const issues = endpointIssues(input.endpoints);
  const problems = issues.map((m) => textOf(m));
  out.push(
    problems.length
      ? fail('gelato-endpoints', T.endpoints, msg('setupGelato.endpointProblems', { count: issues.length, problems: list(issues, 'clauses') }), ENDPOINT_FIX, { problems })
      : pass('gelato-endpoints', T.endpoints, msg(input.endpoints.shippingQuote ? 'setupGelato.endpointsOkQuote' : 'setupGelato.endpointsOk', { count: REQUIRED_ENDPOINTS.length }), {
          evidence: { hosts: [...new Set(Object.values(input.endpoints).map((v) => new URL(v.replace(/\{(id|orderId|idOrRef)\}/g, 'x')).host))] },
        }),
  );
  const customer = input.customerReferenceId?.trim();
  if (!keyOk || problems.length) {
    for (const [id, title] of [['gelato-key', T.key], ['gelato-search', T.search], ['gelato-customer', T.customer]] as const) {
      out.push(skip(id, title, msg('check.fixAboveFirst')));
    }
    return out;
  }

  const endpoints = Object.fromEntries(Object.entries(input.endpoints).map(([k, v]) => [k, v.trim()])) as GelatoEndpoints;
  const client = new GelatoClient({ endpoints, apiKey: key, ...CHECK_HTTP });
  const probeRef = `presslink-connection-check-${crypto.randomBytes(6).toString('hex')}`;
  let keyAccepted = false;
  try {
    await client.getOrder(probeRef);
    // An order with a random reference exists: the endpoint answers anything with 200.
    out.push(fail('gelato-key', T.key, msg('setupGelato.answeredImpossible', { reference: probeRef }), msg('setupGelato.fix.getOrder', { fix: ENDPOINT_FIX })));
  } catch (e) {
    if (isHttpError(e) && e.code === 'not_found') {
      keyAccepted = true;
      out.push(pass('gelato-key', T.key, msg('setupGelato.keyAccepted'), { evidence: { host: new URL(endpoints.getOrder.replace(/\{(id|orderId|idOrRef)\}/g, 'x')).host } }));
    } else if (isHttpError(e) && e.code === 'unauthorized') {
      out.push(fail('gelato-key', T.key, msg('setupGelato.keyRefused', { status: e.status ?? 401 }), GELATO_KEY_FIX, { status: e.status ?? 401 }));
    } else if (isHttpError(e) && (e.code === 'unreachable' || e.code === 'timeout' || e.code === 'network')) {
      out.push(fail('gelato-key', T.key, msg('setupGelato.cannotReach', { host: hostOf(endpoints.getOrder), reason: userMsg(e) }), msg('setupGelato.fix.reach', { fix: ENDPOINT_FIX }), { code: e.code }));
    } else {
      out.push(fail('gelato-key', T.key, msg('setupGelato.keyUnchecked', { reason: httpReason(e) }), msg('setupGelato.fix.getOrder', { fix: ENDPOINT_FIX })));
    }
  }

  if (!keyAccepted) {
    out.push(skip('gelato-search', T.search, msg('setupGelato.keyFirst')));
    out.push(skip('gelato-customer', T.customer, msg('setupGelato.keyFirst')));
    return out;
  }
  try {
    const hits = await client.searchOrders({ orderReferenceIds: [probeRef] });
    out.push(pass('gelato-search', T.search, msg('setupGelato.searchOk', { count: hits.length })));
  } catch (e) {
    out.push(fail('gelato-search', T.search, msg('setupGelato.searchFailed', { reason: userMsg(e) }), msg('setupGelato.fix.searchOrders', { fix: ENDPOINT_FIX })));
  }

  if (!customer) {
    out.push(skip('gelato-customer', T.customer, msg('setupGelato.noCustomer')));
    return out;
  }
  try {
    await client.searchOrders({ orderReferenceIds: [probeRef] }, { customerReferenceId: customer });
    await client.getOrder(probeRef, { customerReferenceId: customer }).catch((e: unknown) => {
      if (!(isHttpError(e) && e.code === 'not_found')) throw e;
    });
    out.push(pass('gelato-customer', T.customer, msg('setupGelato.customerOk', { customer })));
  } catch (e) {
    out.push(fail('gelato-customer', T.customer, msg('setupGelato.customerRefused', { customer, reason: httpReason(e) }), msg('setupGelato.fix.customer')));
  }
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url.replace(/\{(id|orderId|idOrRef)\}/g, 'x')).host;
  } catch {
    return url;
  }
}

export type { ConnectorEndpointName };
