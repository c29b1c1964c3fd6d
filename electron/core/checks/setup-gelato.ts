import crypto from 'node:crypto';
import type { CheckResult } from '../../../shared/contract';
import { REQUIRED_ENDPOINTS, type ConnectorEndpointName } from '../../../shared/domain/connector-urls';
import { GelatoClient, type GelatoEndpoints } from '../gelato';
import { isHttpError } from '../http';
import { fail, pass, scrubSecrets, skip } from './result';
import { CHECK_HTTP, isLoopback } from './setup-infigo';

// The wizard's "Check connection" for the GelatoConnect connector. The key is
// proved with calls that cannot change anything: looking up an order reference
// that cannot exist (404 = the key was accepted) and an empty search.

const T = {
  format: 'API key format',
  endpoints: 'Endpoint addresses',
  key: 'API key accepted',
  search: 'Search endpoint',
  customer: 'Customer reference',
};

export const GELATO_KEY_FIX =
  "Copy the connector's API key again from GelatoConnect (Connectors → your Infigo connector). It is key:secret — both parts, joined by a colon.";
const ENDPOINT_FIX = "Copy the endpoint addresses again from the connector's page in GelatoConnect (paste them all at once; Presslink sorts them out).";

const KNOWN: readonly string[] = [...REQUIRED_ENDPOINTS, 'shippingQuote'];

export function endpointProblems(endpoints: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const name of REQUIRED_ENDPOINTS) if (!endpoints[name]?.trim()) problems.push(`${name}: missing`);
  for (const [name, raw] of Object.entries(endpoints)) {
    if (!KNOWN.includes(name)) {
      problems.push(`${name}: not a GelatoConnect endpoint Presslink uses (expected ${KNOWN.join(', ')})`);
      continue;
    }
    const v = raw.trim();
    if (!v) continue;
    let u: URL;
    try {
      u = new URL(v.replace(/\{(id|orderId|idOrRef)\}/g, 'x'));
    } catch {
      problems.push(`${name}: "${v.slice(0, 100)}" is not a web address`);
      continue;
    }
    if (u.protocol === 'http:' && !isLoopback(u.hostname)) problems.push(`${name}: must be https:// (the API key travels with every call)`);
    else if (u.protocol !== 'https:' && u.protocol !== 'http:') problems.push(`${name}: must start with https://`);
    if (u.username || u.password) problems.push(`${name}: must not contain a user name or password`);
  }
  return problems;
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
      ? pass('gelato-key-format', T.format, 'The API key has the form key:secret.')
      : fail('gelato-key-format', T.format, key ? 'The API key is not of the form key:secret (both parts, joined by a colon, no spaces).' : 'No API key was entered.', GELATO_KEY_FIX),
  );
  const problems = endpointProblems(input.endpoints);
  out.push(
    problems.length
      ? fail('gelato-endpoints', T.endpoints, `${problems.length} endpoint problem${problems.length === 1 ? '' : 's'}: ${problems.join('; ')}.`, ENDPOINT_FIX, { problems })
      : pass('gelato-endpoints', T.endpoints, `All ${REQUIRED_ENDPOINTS.length} required endpoints are well-formed${input.endpoints.shippingQuote ? ' (and the shipping-quote address)' : ''}.`, {
          evidence: { hosts: [...new Set(Object.values(input.endpoints).map((v) => new URL(v.replace(/\{(id|orderId|idOrRef)\}/g, 'x')).host))] },
        }),
  );
  const customer = input.customerReferenceId?.trim();
  if (!keyOk || problems.length) {
    for (const [id, title] of [['gelato-key', T.key], ['gelato-search', T.search], ['gelato-customer', T.customer]] as const) {
      out.push(skip(id, title, 'Not checked: fix the problem above first.'));
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
    out.push(fail('gelato-key', T.key, `The Get Order address answered an order for a reference that cannot exist (${probeRef}).`, `Check the getOrder address. ${ENDPOINT_FIX}`));
  } catch (e) {
    if (isHttpError(e) && e.code === 'not_found') {
      keyAccepted = true;
      out.push(pass('gelato-key', T.key, `GelatoConnect accepted the API key (a look-up of a reference that cannot exist answered "not found").`, { evidence: { host: new URL(endpoints.getOrder.replace(/\{(id|orderId|idOrRef)\}/g, 'x')).host } }));
    } else if (isHttpError(e) && e.code === 'unauthorized') {
      out.push(fail('gelato-key', T.key, `GelatoConnect refused the API key (HTTP ${e.status ?? 401}).`, GELATO_KEY_FIX, { status: e.status ?? 401 }));
    } else if (isHttpError(e) && (e.code === 'unreachable' || e.code === 'timeout' || e.code === 'network')) {
      out.push(fail('gelato-key', T.key, `Cannot reach GelatoConnect at ${hostOf(endpoints.getOrder)}: ${e.userMessage}`, `${ENDPOINT_FIX} Also check this computer's internet connection.`, { code: e.code }));
    } else {
      out.push(fail('gelato-key', T.key, `The key could not be checked: ${isHttpError(e) ? `${e.userMessage}${e.status ? ` (HTTP ${e.status})` : ''}` : (e as Error).message}`, `Check the getOrder address. ${ENDPOINT_FIX}`));
    }
  }

  if (!keyAccepted) {
    out.push(skip('gelato-search', T.search, 'Not checked: the key must be accepted first.'));
    out.push(skip('gelato-customer', T.customer, 'Not checked: the key must be accepted first.'));
    return out;
  }
  try {
    const hits = await client.searchOrders({ orderReferenceIds: [probeRef] });
    out.push(pass('gelato-search', T.search, `The search address answers (${hits.length} match${hits.length === 1 ? '' : 'es'} for a reference that cannot exist, as expected).`));
  } catch (e) {
    out.push(fail('gelato-search', T.search, `The search address did not answer as expected: ${isHttpError(e) ? e.userMessage : (e as Error).message}`, `Check the searchOrders address. ${ENDPOINT_FIX}`));
  }

  if (!customer) {
    out.push(skip('gelato-customer', T.customer, 'No customer reference entered here; each store names its GelatoConnect customer in its own settings.'));
    return out;
  }
  try {
    await client.searchOrders({ orderReferenceIds: [probeRef] }, { customerReferenceId: customer });
    await client.getOrder(probeRef, { customerReferenceId: customer }).catch((e: unknown) => {
      if (!(isHttpError(e) && e.code === 'not_found')) throw e;
    });
    out.push(pass('gelato-customer', T.customer, `GelatoConnect accepted the customer reference "${customer}".`));
  } catch (e) {
    const msg = isHttpError(e) ? `${e.userMessage}${e.status ? ` (HTTP ${e.status})` : ''}` : (e as Error).message;
    out.push(
      fail(
        'gelato-customer',
        T.customer,
        `GelatoConnect did not accept the customer reference "${customer}": ${msg}`,
        'Use the "Customer reference ID" of the customer exactly as GelatoConnect shows it (Customers → the customer), and check that the connector is customer-agnostic or belongs to that customer.',
      ),
    );
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
