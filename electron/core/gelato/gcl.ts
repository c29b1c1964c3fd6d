// GelatoConnect Logistics (GCL) shipping-method quote: `POST {base}/v1/shipping-methods/quote`
// (reference gelatoconnect-api.md §4, real-api-check.md). GCL is a separate API from order
// intake: its own hosts (connect.live.gelato.tech / connect.test.gelato.tech), its own keys (a
// test and a live one, requested from Gelato, offered to a limited number of partners). So this
// client has its own address and key, sends the key as it is (no key:secret form is documented
// for GCL) in `X-API-KEY` (configurable: the header is [inferred] from the sibling Production
// API), and sends no Customer-Reference-ID (not documented for GCL). Quoted methods are carrier
// method uids such as `dhl_global_parcel`, mapped to Infigo delivery methods by the shop.
import { gelatoQuoteResponseSchema, type GelatoQuoteOption, type GelatoQuoteRequest } from '../../../shared/domain/gelato';
import { msg, type Msg } from '../../../shared/messages/index';
import { bodyMessage, HttpClient, type FetchLike, type HttpError, type RetryPolicy } from '../http';
import { errorWith } from '../i18n';

export const GCL_HOSTS = { live: 'https://connect.live.gelato.tech', test: 'https://connect.test.gelato.tech' } as const;
export const GCL_QUOTE_PATH = '/v1/shipping-methods/quote';

/** What GCL failures say (shared/messages, `gcl.*`). GCL has no screen yet: fixes name its setting in the configuration file. */
export const GCL_MSG = {
  keyRefused: (env: string): Msg => msg('gcl.keyRefused', { env: msg(env === 'test' ? 'gcl.env.test' : 'gcl.env.live') }),
  keyRefusedHint: (): Msg => msg('gcl.keyRefusedHint', { config: msg('where.configFile', { setting: 'shippingQuotes.gcl.apiKey' }) }),
  unreachable: (host: string): Msg => msg('gcl.unreachable', { host }),
  unreachableHint: (): Msg => msg('gcl.unreachableHint', { config: msg('where.configFile', { setting: 'shippingQuotes.gcl.environment' }) }),
  refused: (why: string): Msg => msg('gcl.refused', { why }),
  refusedHint: (): Msg => msg('gcl.refusedHint', { config: msg('where.configFile', { setting: 'shippingQuotes.gcl.sender' }) }),
  invalid: (host: string): Msg => msg('gcl.invalid', { host }),
  httpsOnly: (): Msg => msg('gcl.httpsOnly'),
} as const;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

export interface GclClientOptions {
  /** The GCL base address (the environment's host); `/v1/shipping-methods/quote` is appended. */
  baseUrl: string;
  apiKey: string;
  /** Which environment the key is for (messages only). */
  environment?: 'live' | 'test';
  authHeader?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export class GclClient {
  readonly quoteUrl: string;
  private readonly http: HttpClient;
  private readonly apiKey: string;
  private readonly authHeader: string;

  constructor(opts: GclClientOptions) {
    const base = new URL(opts.baseUrl);
    if (base.protocol !== 'https:' && !(base.protocol === 'http:' && isLoopback(base.hostname))) throw errorWith(GCL_MSG.httpsOnly());
    this.quoteUrl = `${opts.baseUrl.replace(/\/+$/, '')}${GCL_QUOTE_PATH}`;
    this.apiKey = opts.apiKey;
    this.authHeader = opts.authHeader ?? 'X-API-KEY';
    const env = opts.environment ?? 'live';
    const host = base.host;
    this.http = new HttpClient({
      service: 'GelatoConnect Logistics',
      fetch: opts.fetch,
      timeoutMs: opts.timeoutMs,
      retry: opts.retry,
      secrets: [opts.apiKey],
      describe: (e: HttpError) => {
        if (e.code === 'unauthorized') return e.withMessage(GCL_MSG.keyRefused(env), GCL_MSG.keyRefusedHint());
        if (e.code === 'unreachable') return e.withMessage(GCL_MSG.unreachable(host), GCL_MSG.unreachableHint());
        if (e.code === 'invalid_response' || e.code === 'not_found') return e.withMessage(GCL_MSG.invalid(host), GCL_MSG.unreachableHint());
        return e;
      },
    });
  }

  async quote(req: GelatoQuoteRequest, opts: { signal?: AbortSignal } = {}): Promise<GelatoQuoteOption[]> {
    const r = await this.http.json(this.quoteUrl, {
      method: 'POST',
      headers: { [this.authHeader]: this.apiKey, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(req),
      signal: opts.signal,
      acceptStatus: [400, 422],
    });
    if (r.status >= 400) {
      const why = bodyMessage(r.text) ?? r.text.slice(0, 300);
      throw this.http.error('validation_failed', 'POST', this.quoteUrl, { status: r.status, detail: why, retryable: false }).withMessage(GCL_MSG.refused(this.http.redact(why)), GCL_MSG.refusedHint());
    }
    const parsed = gelatoQuoteResponseSchema.safeParse(r.data);
    if (!parsed.success) throw this.http.error('invalid_response', 'POST', this.quoteUrl, { status: r.status, detail: r.text, retryable: false });
    return parsed.data.items.map((i) => ({
      carrierName: i.carrier?.name ?? null,
      carrierUid: i.carrier?.uid ?? null,
      methodName: i.method.name,
      methodUid: i.method.uid,
      price: Number(i.method.price),
      minShipmentDays: i.method.minShipmentDays ?? null,
      maxShipmentDays: i.method.maxShipmentDays ?? null,
    }));
  }
}
