import { z } from 'zod';
import type { Config, GclConfig } from '../../../shared/config';
import type { GelatoQuoteOption, GelatoQuoteRequest } from '../../../shared/domain/gelato';
import { countryToIso2 } from '../../../shared/domain/infigo';
import { secretEquals } from '../secrets/constant-time';
import { quoteToken } from './settings';
import type { EngineContext } from '../context';
import { GCL_HOSTS, GclClient } from '../gelato/gcl';
import { list, msg, type Msg, type MsgParam } from '../../../shared/messages/index';
import { describeMsg } from '../http';
import { FallbackRecorder } from './fallback';

/**
 * Why the rate table answered instead of GCL, as messages: the admin reads them (the dashboard,
 * the GCL check). What the checkout itself receives (`errors` in the answer) is for the
 * MegaScript and the shop's developers, and stays English.
 */
export const QUOTE_MSG = {
  gclNotConfigured: () => msg('quote.gclNotConfigured', { config: msg('where.configFile', { setting: 'shippingQuotes.gcl' }) }),
  gclSlow: (ms: number) => msg('quote.gclSlow', { ms }),
  gclFailed: (why: MsgParam) => msg('quote.gclFailed', { why }),
  gclUnmapped: (uids: string[]) =>
    uids.length
      ? msg('quote.gclUnmapped', { uids: list(uids, 'comma'), config: msg('where.configFile', { setting: 'shippingQuotes.gcl.methods' }) })
      : msg('quote.gclUnmappedNone', { config: msg('where.configFile', { setting: 'shippingQuotes.gcl.methods' }) }),
} as const;

// The quote service behind the checkout MegaScript (contract: reference infigo-api.md §9.2,
// a project decision). The rate table answers from memory; GelatoConnect Logistics' quote
// (its own API, address and key: gelato/gcl.ts) is cached for a minute and raced against a
// 1.5 s budget, with the rate table as the fallback, because a checkout must not wait on a
// slow carrier API. Every fallback is recorded with its reason (fallback.ts): never silent.

export interface ShippingOption {
  /** An Infigo delivery method name (a key of `shipping.methods`). */
  name: string;
  description: string;
  price: number;
  currency: string;
  /** The GelatoConnect shipment method uid the option stands for. */
  code: string;
}

export interface QuoteAnswer {
  status: number;
  body: { shippingOptions: ShippingOption[]; errors: string[] };
  /** Which source priced it (for the self-test's evidence and the logs). */
  source?: 'rate-table' | 'gelato' | 'gelato-cache' | 'rate-table-fallback';
}

const optText = z.union([z.string(), z.number()]).nullish();

export const quoteRequestSchema = z.object({
  storefront: optText,
  currency: z.string({ error: 'is required (the checkout currency, e.g. "GBP")' }).trim().toUpperCase().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as GBP'),
  customerId: optText,
  shippingAddress: z.looseObject(
    {
      Country: z.string({ error: 'is required (ISO code such as "GB" or a country name)' }).trim().min(1, 'must not be empty'),
      ZipPostalCode: optText,
      Town: optText,
      StateProvince: optText,
      AddressLine1: optText,
      AddressLine2: optText,
      FirstName: optText,
      LastName: optText,
      CompanyName: optText,
      Email: optText,
      Telephone: optText,
    },
    { error: 'is required (the shipping address of the cart)' },
  ),
  items: z
    .array(
      z.looseObject({
        productId: optText,
        sku: optText,
        quantity: z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be at least 1'),
        productType: z.number().nullish(),
        attributes: z.record(z.string(), z.unknown()).nullish(),
        /** Weight of the whole line (all units) in grams. */
        weightGrams: z.number({ error: 'must be a number (grams for the whole line)' }).nonnegative('must not be negative').nullish(),
        deliveryType: z.array(z.string()).nullish(),
      }),
      { error: 'is required (the cart lines)' },
    )
    .min(1, 'must list at least one cart line'),
});
export type QuoteRequest = z.infer<typeof quoteRequestSchema>;

const round2 = (n: number) => Math.round(n * 100) / 100;

interface Snapshot {
  cfg: Config;
  token: string;
  currency: string;
  /** Units of a currency per one unit of the configured currency (the configured one is 1). */
  rates: Map<string, number>;
  rateTable: Config['shippingQuotes']['rateTable'];
  tableMethods: string[];
  gcl: GclClient | null;
  /** Infigo delivery method name → GCL method uid. */
  gclMethods: [string, string][];
}

export const GELATO_QUOTE_BUDGET_MS = 1_500;
export const GELATO_QUOTE_CACHE_MS = 60_000;

export class QuoteService {
  private snap: Snapshot | null = null;
  private readonly cache = new Map<string, { at: number; options: GelatoQuoteOption[] }>();
  private readonly inflight = new Map<string, Promise<GelatoQuoteOption[]>>();
  private readonly fallbacks: FallbackRecorder;

  constructor(private readonly ctx: EngineContext) {
    this.fallbacks = new FallbackRecorder(ctx);
  }

  /** Everything derived from the config, rebuilt only when the config object changes. */
  private snapshot(): Snapshot {
    const cfg = this.ctx.config.get();
    if (this.snap?.cfg === cfg) return this.snap;
    const q = cfg.shippingQuotes;
    const rates = new Map<string, number>(Object.entries(q.exchangeRates ?? {}));
    rates.set(q.currency, 1);
    let gcl: GclClient | null = null;
    if (q.source === 'gelato' && q.gcl) {
      gcl = new GclClient({
        baseUrl: q.gcl.baseUrl ?? GCL_HOSTS[q.gcl.environment],
        apiKey: this.ctx.config.resolveSecret(q.gcl.apiKey),
        environment: q.gcl.environment,
        authHeader: q.gcl.authHeader,
        timeoutMs: 10_000,
        retry: { maxAttempts: 1 },
      });
    }
    this.cache.clear();
    this.snap = {
      cfg,
      token: quoteToken(this.ctx),
      currency: q.currency,
      rates,
      rateTable: q.rateTable,
      tableMethods: [...new Set(q.rateTable.map((r) => r.method))],
      gcl,
      gclMethods: Object.entries(q.gcl?.methods ?? {}),
    };
    return this.snap;
  }

  /** Bearer token check in constant time. */
  authorised(authorization: string | undefined): boolean {
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    return !!m && secretEquals(m[1]!.trim(), this.snapshot().token);
  }

  supportedCurrencies(): string[] {
    const s = this.snapshot();
    return [s.currency, ...[...s.rates.keys()].filter((c) => c !== s.currency).sort()];
  }

  async quote(body: unknown): Promise<QuoteAnswer> {
    const s = this.snapshot();
    if (!s.cfg.shippingQuotes.enabled) {
      return { status: 503, body: { shippingOptions: [], errors: ['Checkout shipping quotes are switched off in Presslink (Setup → Shipping).'] } };
    }
    const r = quoteRequestSchema.safeParse(body);
    if (!r.success) {
      return { status: 400, body: { shippingOptions: [], errors: r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) } };
    }
    const req = r.data;
    const rate = s.rates.get(req.currency);
    if (rate === undefined) {
      return {
        status: 400,
        body: { shippingOptions: [], errors: [`currency: "${req.currency}" is not supported by this Presslink; supported: ${this.supportedCurrencies().join(', ')}. Set the MegaScript's currency to one of these, or add an exchange rate in Presslink.`] },
      };
    }
    const country = countryToIso2(req.shippingAddress.Country);
    if (!country) {
      return { status: 400, body: { shippingOptions: [], errors: [`shippingAddress.Country: "${req.shippingAddress.Country}" is not a country Presslink recognises; send an ISO code such as "GB".`] } };
    }
    // Digital-only lines travel by e-mail, not by parcel.
    const grams = Math.round(req.items.filter((i) => !i.deliveryType?.length || i.deliveryType.some((d) => d.toLowerCase() !== 'digital')).reduce((w, i) => w + (i.weightGrams ?? 0), 0));
    const convert = (price: number) => round2(price * rate);

    if (s.cfg.shippingQuotes.source === 'gelato') {
      const fallback = (reason: Msg): QuoteAnswer => {
        this.fallbacks.record(reason);
        return { ...this.fromTable(s, country, grams, req.currency, convert), source: 'rate-table-fallback' };
      };
      if (!s.gcl) return fallback(QUOTE_MSG.gclNotConfigured());
      const key = `${country}|${grams}|${s.currency}`;
      const hit = this.cache.get(key);
      const cached = hit && Date.now() - hit.at < GELATO_QUOTE_CACHE_MS;
      const live = cached ? { options: hit.options } : await this.raceGelato(s, key, country, grams, req);
      if ('failed' in live) return fallback(live.failed);
      const answer = this.fromGelato(s, live.options, req.currency, convert, cached ? 'gelato-cache' : 'gelato');
      if (!answer.body.shippingOptions.length) return fallback(QUOTE_MSG.gclUnmapped(live.options.map((o) => o.methodUid)));
      return answer;
    }
    return { ...this.fromTable(s, country, grams, req.currency, convert), source: 'rate-table' };
  }

  private fromTable(s: Snapshot, country: string, grams: number, currency: string, convert: (n: number) => number): QuoteAnswer {
    const options: ShippingOption[] = [];
    for (const method of s.tableMethods) {
      const band = (c: string) =>
        s.rateTable
          .filter((r) => r.method === method && r.country === c && r.maxWeightGrams >= grams)
          .sort((a, b) => a.maxWeightGrams - b.maxWeightGrams)[0];
      // A row for the destination country wins over the catch-all "*".
      const row = band(country) ?? band('*');
      if (!row) continue;
      options.push({ name: method, description: `${method} (up to ${formatWeight(row.maxWeightGrams)})`, price: convert(row.price), currency, code: s.cfg.shipping.methods[method] ?? method });
    }
    const errors = options.length ? [] : [`No delivery method in the rate table covers ${formatWeight(grams)} to ${country}.`];
    return { status: 200, body: { shippingOptions: options, errors } };
  }

  private fromGelato(s: Snapshot, quoted: GelatoQuoteOption[], currency: string, convert: (n: number) => number, source: QuoteAnswer['source']): QuoteAnswer {
    const options: ShippingOption[] = [];
    // Infigo shows only its own delivery methods, so GCL's are mapped back by method uid (shippingQuotes.gcl.methods).
    for (const [name, uid] of s.gclMethods) {
      const q = quoted.find((o) => o.methodUid.toLowerCase() === uid.toLowerCase());
      if (!q) continue;
      const days = q.minShipmentDays !== null && q.maxShipmentDays !== null ? `, ${q.minShipmentDays === q.maxShipmentDays ? q.minShipmentDays : `${q.minShipmentDays}-${q.maxShipmentDays}`} working days` : '';
      options.push({ name, description: `${q.methodName}${days}`, price: convert(q.price), currency, code: q.methodUid });
    }
    return { status: 200, body: { shippingOptions: options, errors: [] }, source };
  }

  /** GCL's quote within the budget, or why there is none (slow, refused, down); a slow answer still fills the cache. */
  private async raceGelato(s: Snapshot, key: string, country: string, grams: number, req: QuoteRequest): Promise<{ options: GelatoQuoteOption[] } | { failed: Msg }> {
    let p = this.inflight.get(key);
    if (!p) {
      const a = req.shippingAddress;
      const str = (v: unknown) => (v === null || v === undefined || v === '' ? undefined : String(v));
      p = s
        .gcl!.quote(
          gclQuoteRequest(s.cfg.shippingQuotes.gcl!, s.currency, {
            person: { firstName: str(a.FirstName), lastName: str(a.LastName), company: str(a.CompanyName), email: str(a.Email), phone: str(a.Telephone) },
            address: { country, state: str(a.StateProvince), city: str(a.Town), postcode: str(a.ZipPostalCode), addressLine1: str(a.AddressLine1), addressLine2: str(a.AddressLine2) },
          }, grams),
        )
        .then((options) => {
          this.cache.set(key, { at: Date.now(), options });
          return options;
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), GELATO_QUOTE_BUDGET_MS);
    });
    try {
      const options = await Promise.race([p, budget]);
      return options ? { options } : { failed: QUOTE_MSG.gclSlow(GELATO_QUOTE_BUDGET_MS) };
    } catch (e) {
      return { failed: QUOTE_MSG.gclFailed(describeMsg(e)) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A GCL quote request for one parcel of `grams` to `receiver`, with the shop's sender and partner name. */
export function gclQuoteRequest(gcl: GclConfig, currency: string, receiver: GelatoQuoteRequest['receiver'], grams: number): GelatoQuoteRequest {
  const req: GelatoQuoteRequest = {
    orderReferenceId: `presslink-quote-${Date.now()}`,
    currency,
    options: { weightUnit: 'g', dimensionUnit: 'mm' },
    receiver,
    packages: [{ packageReferenceId: 'cart', grossWeight: grams }],
  };
  if (gcl.partnerClientName) req.partner = { clientName: gcl.partnerClientName };
  const f = gcl.sender;
  if (f) {
    req.sender = {
      person: { firstName: f.firstName, lastName: f.lastName, company: f.companyName, email: f.email, phone: f.phone },
      address: { country: f.country, state: f.state, city: f.city, postcode: f.postcode, addressLine1: f.addressLine1, addressLine2: f.addressLine2 },
      ...(f.vatNumber || f.eoriNumber ? { customs: { vatNumber: f.vatNumber, eoriNumber: f.eoriNumber } } : {}),
    };
  }
  return req;
}

function formatWeight(g: number): string {
  return g >= 1000 ? `${Math.round(g / 100) / 10} kg` : `${g} g`;
}
