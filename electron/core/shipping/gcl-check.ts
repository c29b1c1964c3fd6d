import type { CheckResult } from '../../../shared/contract';
import type { EngineContext } from '../context';
import { fail, pass, skip, warn } from '../checks/result';
import { GCL_HOSTS, GclClient } from '../gelato/gcl';
import { list, msg, type MsgParam } from '../../../shared/messages/index';
import { describeMsg, isHttpError } from '../http';
import { asMsg, reasonOf } from '../i18n';
import { quoteFallback } from './fallback';
import { gclQuoteRequest } from './quote';

// The setup check for checkout quotes from GelatoConnect Logistics (contract `shipping.checkGcl`):
// that GCL has its own address and key, that it answers a sample quote (a 1 kg parcel to the
// sender's country), that every Infigo delivery method mapped to a GCL method uid is among what
// GCL quotes, and whether the rate table had to answer instead recently.

const T = {
  configured: msg('gclCheck.title.configured'),
  sender: msg('gclCheck.title.sender'),
  quote: msg('gclCheck.title.quote'),
  methods: msg('gclCheck.title.methods'),
  fallback: msg('gclCheck.title.fallback'),
};

/** GCL has no screen yet: fixes name its settings in the configuration file. */
const gclSetting = (setting: string) => msg('where.configFile', { setting });

const MSG = {
  rateTable: () => msg('gclCheck.rateTable'),
  notConfigured: () => msg('gclCheck.notConfigured'),
  notConfiguredFix: () => msg('gclCheck.notConfiguredFix', { config: gclSetting('shippingQuotes.gcl') }),
  configured: (url: string, env: string) => msg('gclCheck.configured', { url, env: msg(env === 'test' ? 'gcl.env.test' : 'gcl.env.live') }),
  notTested: () => msg('check.fixAboveFirst'),
  noSender: () => msg('gclCheck.noSender'),
  noSenderFix: () => msg('gclCheck.noSenderFix', { config: gclSetting('shippingQuotes.gcl.sender') }),
  sender: (city: string, country: string) => msg('gclCheck.sender', { city, country }),
  quoted: (n: number, country: string, uids: string[]) => (uids.length ? msg('gclCheck.quoted', { count: n, country, uids: list(uids, 'comma') }) : msg('gclCheck.quotedNone', { count: n, country })),
  quoteFailed: (reason: MsgParam) => msg('gclCheck.quoteFailed', { reason }),
  noMethods: () => msg('gclCheck.noMethods'),
  noMethodsFix: (uids: string[]) =>
    uids.length ? msg('gclCheck.noMethodsFixUids', { uids: list(uids, 'comma'), config: gclSetting('shippingQuotes.gcl.methods') }) : msg('gclCheck.noMethodsFix', { config: gclSetting('shippingQuotes.gcl.methods') }),
  methodsOk: (pairs: string[]) => msg('gclCheck.methodsOk', { pairs: list(pairs, 'comma') }),
  methodsMissing: (missing: string[], uids: string[]) => msg('gclCheck.methodsMissing', { missing: list(missing, 'comma'), quoted: uids.length ? list(uids, 'comma') : msg('gclCheck.nothing') }),
  methodsMissingFix: () => msg('gclCheck.methodsMissingFix'),
  noFallback: () => msg('gclCheck.noFallback'),
  fellBack: (count: number, since: string, reason: MsgParam) => msg('gclCheck.fellBack', { count, since, reason }),
  fellBackFix: () => msg('gclCheck.fellBackFix'),
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
    out.push(fail('gcl-configured', T.configured, asMsg(reasonOf(e)), MSG.notConfiguredFix()));
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
    out.push(fail('gcl-quote', T.quote, MSG.quoteFailed(describeMsg(e)), isHttpError(e) && e.hint ? asMsg(e.hintMsg ?? e.hint) : MSG.notConfiguredFix(), { url: client.quoteUrl, code: isHttpError(e) ? e.code : null, status: isHttpError(e) ? (e.status ?? null) : null }));
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
  return warn('gcl-fallback', T.fallback, MSG.fellBack(f.count, f.firstAt, f.reasonMsg ?? f.reason), { fix: MSG.fellBackFix(), evidence: f });
}
