import type { CheckResult } from '../../../shared/contract';
import type { EngineContext } from '../context';
import { fail, pass, skip, warn } from '../checks/result';
import { GCL_HOSTS, GclClient } from '../gelato/gcl';
import { isHttpError } from '../http';
import { quoteFallback } from './fallback';
import { gclQuoteRequest } from './quote';

// The setup check for checkout quotes from GelatoConnect Logistics (contract `shipping.checkGcl`):
// that GCL has its own address and key, that it answers a sample quote (a 1 kg parcel to the
// sender's country), that every Infigo delivery method mapped to a GCL method uid is among what
// GCL quotes, and whether the rate table had to answer instead recently.

const T = {
  configured: 'GelatoConnect Logistics (GCL) is set up',
  sender: 'Sender address for GCL quotes',
  quote: 'GCL answers a sample quote',
  methods: 'Infigo delivery methods mapped to GCL methods',
  fallback: 'Checkout quotes answered by GCL, not the fallback',
};

const MSG = {
  rateTable: () => 'Checkout quotes come from the rate table; GelatoConnect Logistics is not used.',
  notConfigured: () => 'GelatoConnect Logistics is chosen for checkout quotes, but it has no key and address yet, so every quote falls back to the rate table.',
  notConfiguredFix: () =>
    'GCL is a separate API from order intake with its own key (test and live keys differ), offered by Gelato to a limited number of partners: ask Gelato for a GCL key, then set the environment and key in Settings → Shipping quotes → GCL.',
  configured: (url: string, env: string) => `GCL quotes are asked at ${url} (${env}) with GCL's own key.`,
  notTested: () => 'Not checked: fix the problem above first.',
  noSender: () => 'No sender address is set. GCL\u2019s documented quote request carries one; it may refuse or misprice quotes without it.',
  noSenderFix: () => 'Enter the address parcels leave from in Settings → Shipping quotes → GCL sender.',
  sender: (city: string, country: string) => `Quotes are asked for parcels leaving ${city} (${country}).`,
  quoted: (n: number, country: string, uids: string[]) => `GCL quoted ${n} method${n === 1 ? '' : 's'} for a 1 kg parcel to ${country}: ${uids.join(', ') || 'none'}.`,
  quoteFailed: (reason: string) => `GCL did not answer a sample quote: ${reason}`,
  noMethods: () => 'No Infigo delivery method is mapped to a GCL method, so GCL\u2019s prices can never be shown at checkout.',
  noMethodsFix: (uids: string[]) => `Map each Infigo delivery method to one of the methods GCL quotes${uids.length ? ` (${uids.join(', ')})` : ''} in Settings → Shipping quotes → GCL methods.`,
  methodsOk: (pairs: string[]) => `Every mapped delivery method was quoted by GCL: ${pairs.join(', ')}.`,
  methodsMissing: (missing: string[], uids: string[]) => `GCL did not quote ${missing.join(', ')} for the sample parcel; those delivery methods will not show at checkout when GCL answers. GCL quoted: ${uids.join(', ') || 'nothing'}.`,
  methodsMissingFix: () => 'Use method uids GCL quotes (carrier method uids such as dhl_global_parcel, not order-intake shipment method tokens).',
  noFallback: () => 'No checkout quote fell back to the rate table in the last 24 hours.',
  fellBack: (count: number, since: string, reason: string) => `${count} checkout quote${count === 1 ? '' : 's'} since ${since} fell back to the rate table. Last reason: ${reason}`,
  fellBackFix: () => 'Fix the reason above; until then customers see rate-table prices.',
} as const;

export async function checkGcl(ctx: EngineContext): Promise<CheckResult[]> {
  const q = ctx.config.get().shippingQuotes;
  if (!q.enabled || q.source !== 'gelato') return [skip('gcl-configured', T.configured, MSG.rateTable())];
  const out: CheckResult[] = [];
  const gcl = q.gcl;
  if (!gcl) {
    out.push(fail('gcl-configured', T.configured, MSG.notConfigured(), MSG.notConfiguredFix()));
    for (const [id, title] of [['gcl-quote', T.quote], ['gcl-methods', T.methods]] as const) out.push(skip(id, title, MSG.notTested()));
    out.push(fallbackResult(ctx));
    return out;
  }
  const base = gcl.baseUrl ?? GCL_HOSTS[gcl.environment];
  let client: GclClient;
  try {
    client = new GclClient({ baseUrl: base, apiKey: ctx.config.resolveSecret(gcl.apiKey), environment: gcl.environment, authHeader: gcl.authHeader, timeoutMs: 8_000, retry: { maxAttempts: 1 } });
  } catch (e) {
    out.push(fail('gcl-configured', T.configured, (e as Error).message, MSG.notConfiguredFix()));
    return out;
  }
  out.push(pass('gcl-configured', T.configured, MSG.configured(client.quoteUrl, gcl.environment)));
  out.push(gcl.sender ? pass('gcl-sender', T.sender, MSG.sender(gcl.sender.city, gcl.sender.country)) : warn('gcl-sender', T.sender, MSG.noSender(), { fix: MSG.noSenderFix() }));
  const country = gcl.sender?.country ?? q.rateTable.find((r) => r.country !== '*')?.country ?? 'GB';
  let uids: string[];
  try {
    const options = await client.quote(gclQuoteRequest(gcl, q.currency, { address: { country, city: gcl.sender?.city, postcode: gcl.sender?.postcode, addressLine1: gcl.sender?.addressLine1 } }, 1000));
    uids = options.map((o) => o.methodUid);
    out.push(pass('gcl-quote', T.quote, MSG.quoted(options.length, country, uids), { evidence: { url: client.quoteUrl, options } }));
  } catch (e) {
    const reason = isHttpError(e) ? `${e.userMessage} ${e.hint}` : (e as Error).message;
    out.push(fail('gcl-quote', T.quote, MSG.quoteFailed(reason), isHttpError(e) && e.hint ? e.hint : MSG.notConfiguredFix(), { url: client.quoteUrl, code: isHttpError(e) ? e.code : null, status: isHttpError(e) ? (e.status ?? null) : null }));
    out.push(skip('gcl-methods', T.methods, MSG.notTested()));
    out.push(fallbackResult(ctx));
    return out;
  }
  const mapped = Object.entries(gcl.methods);
  const quoted = new Set(uids.map((u) => u.toLowerCase()));
  const missing = mapped.filter(([, uid]) => !quoted.has(uid.toLowerCase())).map(([name, uid]) => `${name} → ${uid}`);
  const evidence = { mapped: Object.fromEntries(mapped), quoted: uids };
  if (!mapped.length) out.push(fail('gcl-methods', T.methods, MSG.noMethods(), MSG.noMethodsFix(uids), evidence));
  else if (missing.length) out.push(warn('gcl-methods', T.methods, MSG.methodsMissing(missing, uids), { fix: MSG.methodsMissingFix(), evidence }));
  else out.push(pass('gcl-methods', T.methods, MSG.methodsOk(mapped.map(([n, u]) => `${n} → ${u}`)), { evidence }));
  out.push(fallbackResult(ctx));
  return out;
}

function fallbackResult(ctx: EngineContext): CheckResult {
  const f = quoteFallback(ctx);
  if (!f) return pass('gcl-fallback', T.fallback, MSG.noFallback());
  return warn('gcl-fallback', T.fallback, MSG.fellBack(f.count, f.firstAt, f.reason), { fix: MSG.fellBackFix(), evidence: f });
}
