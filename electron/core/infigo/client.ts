// Infigo storefront REST client (reference infigo-api.md). One instance per storefront.
import {
  InfigoDataError,
  parseInfigoOrder,
  parseInfigoOrderIdList,
  parseInfigoOrderLine,
  parseInfigoProduct,
  type InfigoOrder,
  type InfigoOrderLine,
  type InfigoProduct,
} from '../../../shared/domain/infigo';
import { errorWith } from '../i18n';
import { HttpClient, HttpError, worded, type FetchLike, type RetryInfo, type RetryPolicy, type SleepLike } from '../http';
import { assertJobId, infigoApiBase } from './base-url';
import { downloadToFile, type DownloadOptions, type DownloadResult } from './download';
import { describeInfigoError, INFIGO_MSG } from './messages';
import { msg as m, type Msg } from '../../../shared/messages/index';

export type InfigoClientOptions = {
  /** Storefront address; `/services/api` is appended when missing. */
  baseUrl: string;
  /** Storefront API token, sent raw after `Basic ` (reference §1.2). */
  token: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onRetry?: (info: RetryInfo) => void;
  sleep?: SleepLike;
  random?: () => number;
  /** Largest JSON answer read (sync.maxResponseMB); default 50 MB. */
  maxJsonBytes?: number;
  /** Ends every request of this client (engine stop, cycle deadline). */
  signal?: AbortSignal;
};

export type InfigoTokenCheck =
  | { ok: true; storefrontName: string | null; storefront: unknown }
  | { ok: false; reason: 'unreachable' | 'unauthorized' | 'other'; error: HttpError };

export type CreateOutputResult = { accepted: true; response: unknown };

export class InfigoClient {
  readonly apiBase: string;
  readonly host: string;
  private readonly origin: string;
  private readonly token: string;
  readonly http: HttpClient;

  constructor(opts: InfigoClientOptions) {
    this.apiBase = infigoApiBase(opts.baseUrl);
    const u = new URL(this.apiBase);
    this.host = u.host;
    this.origin = u.origin;
    this.token = opts.token;
    this.http = new HttpClient({
      service: 'Infigo',
      fetch: opts.fetch,
      timeoutMs: opts.timeoutMs,
      retry: opts.retry,
      onRetry: opts.onRetry,
      sleep: opts.sleep,
      random: opts.random,
      maxJsonBytes: opts.maxJsonBytes,
      signal: opts.signal,
      secrets: [opts.token],
      allowedOrigins: [this.origin],
      describe: describeInfigoError(this.host),
    });
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Basic ${this.token}`, Accept: 'application/json', ...extra };
  }

  /** Absolute URL for a path under /services/api. Refuses anything that would leave the
   *  configured host (SSRF guard: ids from order data never choose where we connect). */
  url(path: string): string {
    const u = new URL(`${this.apiBase}/${path.replace(/^\/+/, '')}`);
    if (u.origin !== this.origin || !u.pathname.toLowerCase().startsWith(new URL(this.apiBase).pathname.toLowerCase())) {
      throw errorWith(m('infigo.refusingOrigin', { origin: u.origin }));
    }
    return u.toString();
  }

  /** Low-level JSON call under /services/api (used by the REST status writer). */
  async call(method: string, path: string, body?: unknown, opts: { acceptStatus?: number[]; signal?: AbortSignal } = {}): Promise<{ status: number; data: unknown }> {
    const r = await this.http.json(this.url(path), {
      method,
      headers: this.headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      acceptStatus: opts.acceptStatus,
      signal: opts.signal,
    });
    throwOnInfigoFailureEnvelope(this.http, method, this.url(path), r.data);
    return { status: r.status, data: r.data };
  }

  /** `GET auth/{token}` [documented]: any 2xx means the token works; the body (storefront details)
   *  has an unknown shape, so it is returned as-is with a best-effort name. */
  async checkToken(): Promise<InfigoTokenCheck> {
    try {
      const r = await this.http.json(this.url(`auth/${encodeURIComponent(this.token)}`), { headers: this.headers(), maxAttempts: 2 });
      return { ok: true, storefrontName: storefrontName(r.data), storefront: r.data };
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      const reason = e.code === 'unauthorized' ? 'unauthorized' : e.code === 'unreachable' || e.code === 'timeout' || e.code === 'network' ? 'unreachable' : 'other';
      return { ok: false, reason, error: e };
    }
  }

  /** `GET Order/List` → order ids [third-party]; no filters are known, so the caller diffs. */
  async listOrderIds(): Promise<number[]> {
    const r = await this.http.json(this.url('Order/List'), { headers: this.headers() });
    const data = Array.isArray(r.data) ? r.data : pagedData(r.data);
    return this.parse(() => parseInfigoOrderIdList(data), 'Order/List');
  }

  /** `GET order/detail/{id}` [documented]. */
  async getOrder(orderId: number): Promise<InfigoOrder> {
    const raw = await this.getOrderRaw(orderId);
    return this.parse(() => parseInfigoOrder(raw), m('infigo.what.order', { order: orderId }));
  }

  /** The order exactly as Infigo sent it (the setup check lists which fields a real store sends). */
  async getOrderRaw(orderId: number): Promise<unknown> {
    const url = this.url(`order/detail/${encodeURIComponent(String(Math.trunc(orderId)))}`);
    const r = await this.http.json(url, { headers: this.headers() }).catch((e) => {
      throw notFound(e, m('infigo.noOrder', { order: orderId }), m('infigo.noOrderHint'));
    });
    if (r.data === null) throw notFoundError(this.http, url, m('infigo.noOrder', { order: orderId }), m('infigo.noOrderDeleted'));
    return r.data;
  }

  /** `GET orderlineitem/get?id={jobId}` [third-party]; Infigo answers `null` when nothing matches. */
  async getOrderLine(jobId: string | number): Promise<InfigoOrderLine> {
    const raw = await this.getOrderLineRaw(jobId);
    return this.parse(() => parseInfigoOrderLine(raw), m('infigo.what.line', { job: assertJobId(jobId) }));
  }

  /** The order line exactly as Infigo sent it. */
  async getOrderLineRaw(jobId: string | number): Promise<unknown> {
    const id = assertJobId(jobId);
    const url = this.url(`orderlineitem/get?id=${encodeURIComponent(id)}`);
    const msg = m('infigo.noLine', { job: id });
    const hint = m('infigo.noLineHint');
    const r = await this.http.json(url, { headers: this.headers() }).catch((e) => {
      throw notFound(e, msg, hint);
    });
    if (r.data === null) throw notFoundError(this.http, url, msg, hint);
    return r.data;
  }

  /** `POST orderlineitem/createoutputfor/{jobId}` [documented]: starts output creation; Infigo
   *  calls `callbackUrl` when done (payload [unknown]). Safe to repeat, so it is retried. */
  async createOutput(jobId: string | number, callbackUrl?: string): Promise<CreateOutputResult> {
    const id = assertJobId(jobId);
    const body: Record<string, unknown> = { DirectDownload: true };
    if (callbackUrl) body.CallbackUrl = callbackUrl;
    const url = this.url(`orderlineitem/createoutputfor/${encodeURIComponent(id)}`);
    const r = await this.http
      .json(url, { method: 'POST', headers: this.headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) })
      .catch((e) => {
        throw notFound(e, m('infigo.noJob', { job: id }), m('infigo.noJobHint'));
      });
    throwOnInfigoFailureEnvelope(this.http, 'POST', url, r.data);
    return { accepted: true, response: r.data };
  }

  /**
   * `GET orderlineitem/download/{jobId}` [documented], streamed to `destPath` (see download.ts).
   * Lines carry job ids with a type letter (`s67890`); Infigo's demo downloads by job id, and
   * whether the letter is accepted there is not documented, so a 404 for a lettered id is tried
   * once more with the number alone before it counts as "no file".
   */
  async downloadOutput(jobId: string | number, destPath: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
    const id = assertJobId(jobId);
    const numeric = /^[a-z]+(\d+)$/i.exec(id)?.[1];
    try {
      return await this.downloadById(id, destPath, opts);
    } catch (e) {
      if (!numeric || !(e instanceof HttpError && e.code === 'not_found')) throw e;
      try {
        return await this.downloadById(numeric, destPath, opts);
      } catch (e2) {
        // Neither form has a file: report the id the line carries.
        if (e2 instanceof HttpError && e2.code === 'not_found') throw e;
        throw e2;
      }
    }
  }

  private async downloadById(id: string, destPath: string, opts: DownloadOptions): Promise<DownloadResult> {
    const url = this.url(`orderlineitem/download/${encodeURIComponent(id)}`);
    return downloadToFile(
      {
        http: this.http,
        url,
        headers: { Authorization: `Basic ${this.token}` },
        describeStatus: (e) => (e.code === 'not_found' ? e.withMessage(INFIGO_MSG.fileMissing(), INFIGO_MSG.fileMissingHint()) : e),
      },
      destPath,
      opts,
    );
  }

  /** `GET catalog/productlist` → product ids [third-party]. */
  async listProducts(): Promise<number[]> {
    const r = await this.http.json(this.url('catalog/productlist'), { headers: this.headers() });
    const data = Array.isArray(r.data) ? r.data : pagedData(r.data);
    return this.parse(() => parseInfigoOrderIdList(data), 'catalog/productlist');
  }

  /** `GET catalog/ProductDetails?id={id}` [third-party]. */
  async getProduct(productId: number): Promise<InfigoProduct> {
    const url = this.url(`catalog/ProductDetails?id=${encodeURIComponent(String(Math.trunc(productId)))}`);
    const msg = m('infigo.noProduct', { product: productId });
    const r = await this.http.json(url, { headers: this.headers() }).catch((e) => {
      throw notFound(e, msg, m('infigo.noProductHint'));
    });
    if (r.data === null) throw notFoundError(this.http, url, msg, m('infigo.noProductHint'));
    return this.parse(() => parseInfigoProduct(r.data), m('infigo.what.product', { product: productId }));
  }

  private parse<T>(fn: () => T, what: string | Msg): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof InfigoDataError) {
        throw new HttpError({
          code: 'invalid_response',
          service: 'Infigo',
          method: 'GET',
          url: this.http.redact(this.apiBase),
          ...worded(m('infigo.unreadable', { what }), m('infigo.unreadableHint')),
          detail: this.http.redact(e.fields.join('; ')).slice(0, 1000),
          retryable: false,
          fieldErrors: e.fields.map((f) => {
            const i = f.indexOf(': ');
            return { field: i > 0 ? f.slice(0, i) : null, message: i > 0 ? f.slice(i + 2) : f };
          }),
        });
      }
      throw e;
    }
  }
}

function notFound(e: unknown, userMessage: Msg, hint: Msg): unknown {
  return e instanceof HttpError && e.code === 'not_found' ? e.withMessage(userMessage, hint) : e;
}

function notFoundError(http: HttpClient, url: string, userMessage: Msg, hint: Msg): HttpError {
  return http.error('not_found', 'GET', url, { status: 200, detail: 'Infigo answered null' }).withMessage(userMessage, hint, { retryable: false });
}

function pagedData(data: unknown): unknown {
  // Simulator extension (reference §3.1): a paged object `{Data: [...]}`; a real store sends an array.
  if (data && typeof data === 'object' && Array.isArray((data as { Data?: unknown }).Data)) return (data as { Data: unknown }).Data;
  return data;
}

function storefrontName(data: unknown): string | null {
  if (!data || typeof data !== 'object') return null;
  const o = data as Record<string, unknown>;
  for (const k of ['StorefrontName', 'Name', 'storefrontName', 'name', 'Storefront', 'storefront']) {
    const v = o[k];
    if (typeof v === 'string' && v.trim()) return v.trim();
  }
  return null;
}

/** Infigo's failure envelope `{Success:false, ContextInfo:{ErrorList:[{ErrorMessage}]}}` can come
 *  with HTTP 200; treat it as a rejection with the listed messages. */
function throwOnInfigoFailureEnvelope(http: HttpClient, method: string, url: string, data: unknown): void {
  if (!data || typeof data !== 'object' || (data as { Success?: unknown }).Success !== false) return;
  const list = ((data as { ContextInfo?: { ErrorList?: unknown } }).ContextInfo?.ErrorList ?? []) as unknown[];
  const messages = Array.isArray(list)
    ? list.map((x) => (x && typeof x === 'object' ? String((x as { ErrorMessage?: unknown }).ErrorMessage ?? '') : String(x))).filter(Boolean)
    : [];
  throw http.error('client_error', method, url, { status: 200, detail: messages.join('; ') || 'Success: false', retryable: false }).withMessage(
    messages.length ? m('infigo.refused', { why: http.redact(messages.join('; ')) }) : m('infigo.refusedBare'),
    m('infigo.refusedHint'),
    { fieldErrors: messages.map((m) => ({ field: null, message: http.redact(m) })) },
  );
}
