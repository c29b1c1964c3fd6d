// GelatoConnect Order Intake client, reference gelatoconnect-api.md (GCL quotes have their own client: gcl.ts).
//
// Endpoint URLs are issued per connector (§1.1), so every URL is configuration. Each may
// contain `{id}` for the order id/reference; without it the id is appended as the sandbox and
// the public client code do: get `{getOrder}/{id}`, cancel `{cancelOrder}/{id}/cancel`,
// update shipment `{updateShipment}/{id}/shipment`.
import {
  gelatoSubmitResponseSchema,
  parseGelatoOrder,
  validateGelatoOrderPayload,
  type GelatoOrder,
  type GelatoOrderPayload,
  type GelatoSearchQuery,
  type GelatoShipmentUpdate,
} from '../../../shared/domain/gelato';
import { HttpClient, HttpError, worded, type FetchLike, type FieldError, type RetryInfo, type RetryPolicy, type SleepLike } from '../http';
import { errorWith } from '../i18n';
import { list, msg } from '../../../shared/messages/index';
import { describeGelatoError } from './messages';

export type GelatoEndpoints = {
  submitOrder: string;
  getOrder: string;
  searchOrders: string;
  cancelOrder: string;
  updateShipment: string;
  shippingQuote?: string;
};

export type GelatoClientOptions = {
  endpoints: GelatoEndpoints;
  /** `key:secret` (reference §1.1). */
  apiKey: string;
  /** Default Customer-Reference-ID header (customer-agnostic connectors); per-call override. */
  customerReferenceId?: string;
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

export type GelatoCallOptions = {
  /** Which customer this call is for (one connector serves several stores). */
  customerReferenceId?: string;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
};

export type SubmitOrderResult =
  | { outcome: 'created'; id: string; orderReferenceId: string; createdAt: string | null }
  /** GelatoConnect already has an order with this reference (preventDuplicate): nothing new was
   *  created. `id` is the existing order's id when the response reveals it. */
  | { outcome: 'duplicate'; id: string | null; orderReferenceId: string; message: string };

export type CancelResult = { canceled: true; alreadyCanceled: boolean; message: string };

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.startsWith('127.');
}

export class GelatoClient {
  readonly http: HttpClient;
  private readonly endpoints: GelatoEndpoints;
  private readonly apiKey: string;
  private readonly customerReferenceId: string | undefined;

  constructor(opts: GelatoClientOptions) {
    if (!/^[^:\s]+:[^\s]+$/.test(opts.apiKey)) {
      throw errorWith(msg('gelato.keyForm'));
    }
    for (const [name, url] of Object.entries(opts.endpoints)) {
      if (url === undefined) continue;
      const u = new URL(url.replace(/\{(id|orderId|idOrRef)\}/g, 'x'));
      // The key travels in a header: plain http only to this machine (tests, the sandbox).
      if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
        throw errorWith(msg('gelato.endpointHttps', { name }));
      }
    }
    this.endpoints = opts.endpoints;
    this.apiKey = opts.apiKey;
    this.customerReferenceId = opts.customerReferenceId;
    this.http = new HttpClient({
      service: 'GelatoConnect',
      fetch: opts.fetch,
      timeoutMs: opts.timeoutMs,
      retry: opts.retry,
      onRetry: opts.onRetry,
      sleep: opts.sleep,
      random: opts.random,
      maxJsonBytes: opts.maxJsonBytes,
      signal: opts.signal,
      secrets: [opts.apiKey],
      describe: describeGelatoError,
    });
  }

  private headers(opts: GelatoCallOptions, body: boolean): Record<string, string> {
    const h: Record<string, string> = { 'X-API-KEY': this.apiKey, Accept: 'application/json' };
    if (body) h['Content-Type'] = 'application/json';
    const customer = opts.customerReferenceId ?? this.customerReferenceId;
    if (customer) h['Customer-Reference-ID'] = customer;
    return h;
  }

  private orderUrl(template: string, idOrRef: string, suffix: string): string {
    if (!idOrRef || typeof idOrRef !== 'string') throw new Error('An order id or reference is required');
    const id = encodeURIComponent(idOrRef);
    if (/\{(id|orderId|idOrRef)\}/.test(template)) return template.replace(/\{(id|orderId|idOrRef)\}/g, id);
    return `${template.replace(/\/+$/, '')}/${id}${suffix}`;
  }

  /**
   * Submit Order. Never blindly retried: a repeat after a timeout could create a second order.
   * It is retried only when the request provably was not accepted — connection refused / host
   * not found before sending, or 429. Any other transport failure becomes an `unknown_outcome`
   * error, and the caller must `findByReference` before submitting again.
   *
   * Resolves with `created` or `duplicate`; rejects with HttpError codes `validation_failed`
   * (fieldErrors lists the fields), `unknown_outcome`, `unauthorized`, `rate_limited`,
   * `unreachable` (not sent: safe to retry later), `client_error`.
   */
  async submitOrder(payload: GelatoOrderPayload, opts: GelatoCallOptions = {}): Promise<SubmitOrderResult> {
    const url = this.endpoints.submitOrder;
    const problems = validateGelatoOrderPayload(payload);
    if (problems.length > 0) {
      throw new HttpError({
        code: 'validation_failed',
        service: 'GelatoConnect',
        method: 'POST',
        url: this.http.redact(url),
        ...worded(
          payload?.orderReferenceId ? msg('gelato.incomplete', { reference: payload.orderReferenceId, problems: list(problems, 'clauses') }) : msg('gelato.incompleteNoRef', { problems: list(problems, 'clauses') }),
          msg('gelato.incompleteHint'),
        ),
        attempts: 0,
        retryable: false,
        fieldErrors: problems.map(splitProblem),
      });
    }
    let r;
    try {
      r = await this.http.json(url, {
        method: 'POST',
        headers: this.headers(opts, true),
        body: JSON.stringify(payload),
        retryMode: 'not-sent-only',
        acceptStatus: [400, 409, 422],
        signal: opts.signal,
        onRetry: opts.onRetry,
      });
    } catch (e) {
      // Stopped mid-request, or an answer too big to read: the order may exist all the same.
      if (e instanceof HttpError && ['timeout', 'network', 'server_error', 'invalid_response', 'aborted', 'too_large'].includes(e.code)) {
        throw e.withMessage(
          msg('gelato.unknownOutcome', { reference: payload.orderReferenceId, why: e.code === 'server_error' ? msg('http.retry.status', { status: e.status ?? '5xx' }) : msg(`gelato.outcomeWhy.${e.code as 'timeout' | 'network' | 'invalid_response' | 'aborted' | 'too_large'}`) }),
          msg('gelato.unknownOutcomeHint'),
          { code: 'unknown_outcome', retryable: true },
        );
      }
      throw e;
    }
    const data = r.data as Record<string, unknown> | null;
    const message = messageOf(data) ?? r.text.slice(0, 300);
    if (r.status === 409 || ((r.status === 400 || r.status === 422) && /duplicate|already exists/i.test(message))) {
      return { outcome: 'duplicate', id: existingIdOf(data, message), orderReferenceId: payload.orderReferenceId, message: this.http.redact(message) };
    }
    if (r.status === 400 || r.status === 422) {
      const fieldErrors = fieldErrorsOf(data, message).map((f) => ({ field: f.field, message: this.http.redact(f.message) }));
      throw this.http
        .error('validation_failed', 'POST', url, { status: r.status, detail: message, retryable: false })
        .withMessage(
          msg('gelato.rejected', { reference: payload.orderReferenceId, reason: fieldErrors.length ? list(fieldErrors.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)), 'clauses') : msg('check.noReasonGiven') }),
          msg('gelato.rejectedHint'),
          { fieldErrors },
        );
    }
    const parsed = gelatoSubmitResponseSchema.safeParse(data);
    if (!parsed.success) {
      // Accepted (2xx) but without an id we can use: treat like a lost answer.
      throw this.http
        .error('unknown_outcome', 'POST', url, { status: r.status, detail: r.text, retryable: true })
        .withMessage(
          msg('gelato.noId', { reference: payload.orderReferenceId }),
          msg('gelato.noIdHint'),
        );
    }
    return {
      outcome: 'created',
      id: parsed.data.id,
      orderReferenceId: parsed.data.orderReferenceId ?? payload.orderReferenceId,
      createdAt: parsed.data.createdAt ?? null,
    };
  }

  /** Get Order by GelatoConnect id or by orderReferenceId [documented]. */
  async getOrder(idOrRef: string, opts: GelatoCallOptions = {}): Promise<GelatoOrder> {
    const url = this.orderUrl(this.endpoints.getOrder, idOrRef, '');
    const r = await this.http
      .json(url, { headers: this.headers(opts, false), signal: opts.signal, onRetry: opts.onRetry })
      .catch((e) => {
        throw e instanceof HttpError && e.code === 'not_found'
          ? e.withMessage(msg('gelato.noOrder', { reference: idOrRef }), msg('gelato.noOrderHint'), { retryable: false })
          : e;
      });
    return this.parseOrder(r.data, url);
  }

  /** The order with this orderReferenceId, or null. Tries Get Order by reference [documented],
   *  then Search Orders by reference ([inferred] filter) in case the endpoint only takes ids. */
  async findByReference(ref: string, opts: GelatoCallOptions = {}): Promise<GelatoOrder | null> {
    try {
      const o = await this.getOrder(ref, opts);
      if (o.orderReferenceId === null || o.orderReferenceId === ref) return o;
    } catch (e) {
      if (!(e instanceof HttpError) || e.code !== 'not_found') throw e;
    }
    const hits = await this.searchOrders({ orderReferenceIds: [ref] }, opts).catch((e) => {
      // A search endpoint that does not understand the filter must not hide "not found".
      if (e instanceof HttpError && (e.code === 'client_error' || e.code === 'not_found')) return [];
      throw e;
    });
    return hits.find((o) => o.orderReferenceId === ref) ?? null;
  }

  /** Search Orders (POST; filters and `{orders:[…]}` reply [inferred] from Gelato v4). */
  async searchOrders(query: GelatoSearchQuery, opts: GelatoCallOptions = {}): Promise<GelatoOrder[]> {
    const url = this.endpoints.searchOrders;
    const r = await this.http.json(url, {
      method: 'POST',
      headers: this.headers(opts, true),
      body: JSON.stringify(query),
      signal: opts.signal,
      onRetry: opts.onRetry,
    });
    const d = r.data as { orders?: unknown; data?: unknown } | unknown[] | null;
    const list = Array.isArray(d) ? d : Array.isArray(d?.orders) ? d.orders : Array.isArray(d?.data) ? d.data : null;
    if (!list) throw this.http.error('invalid_response', 'POST', url, { status: r.status, detail: r.text, retryable: false });
    return list.map((o) => this.parseOrder(o, url));
  }

  /** Cancel Order — allowed until shipped. Retried (a repeat of a cancel is harmless); a repeat
   *  that finds the order already canceled counts as success. */
  async cancelOrder(idOrRef: string, opts: GelatoCallOptions = {}): Promise<CancelResult> {
    const url = this.orderUrl(this.endpoints.cancelOrder, idOrRef, '/cancel');
    const r = await this.http.json(url, {
      method: 'POST',
      headers: this.headers(opts, false),
      signal: opts.signal,
      onRetry: opts.onRetry,
      acceptStatus: [409],
    }).catch((e) => {
      throw e instanceof HttpError && e.code === 'not_found'
        ? e.withMessage(msg('gelato.noOrderToCancel', { reference: idOrRef }), msg('gelato.checkReference'), { retryable: false })
        : e;
    });
    const message = messageOf(r.data) ?? '';
    if (r.status === 409) {
      if (/already (canceled|cancelled)/i.test(message)) return { canceled: true, alreadyCanceled: true, message };
      throw this.http
        .error('conflict', 'POST', url, { status: 409, detail: message, retryable: false })
        .withMessage(
          message ? msg('gelato.cannotCancelWhy', { reference: idOrRef, why: this.http.redact(message) }) : msg('gelato.cannotCancel', { reference: idOrRef }),
          msg('gelato.cannotCancelHint'),
        );
    }
    return { canceled: true, alreadyCanceled: false, message: message || 'OK' };
  }

  /** Update Shipment — method and/or address, until shipped. Idempotent, so retried. */
  async updateShipment(idOrRef: string, body: GelatoShipmentUpdate, opts: GelatoCallOptions = {}): Promise<unknown> {
    if (!body || (body.shipmentMethodUid === undefined && body.shippingAddress === undefined)) {
      throw new Error('updateShipment needs shipmentMethodUid and/or shippingAddress');
    }
    const url = this.orderUrl(this.endpoints.updateShipment, idOrRef, '/shipment');
    const r = await this.http
      .json(url, { method: 'PUT', headers: this.headers(opts, true), body: JSON.stringify(body), signal: opts.signal, onRetry: opts.onRetry, acceptStatus: [400, 409, 422] })
      .catch((e) => {
        throw e instanceof HttpError && e.code === 'not_found'
          ? e.withMessage(msg('gelato.noOrder', { reference: idOrRef }), msg('gelato.checkReference'), { retryable: false })
          : e;
      });
    if (r.status >= 400) {
      const message = messageOf(r.data) ?? r.text.slice(0, 300);
      const code = r.status === 409 ? 'conflict' : 'validation_failed';
      throw this.http
        .error(code, 'PUT', url, { status: r.status, detail: message, retryable: false })
        .withMessage(
          msg(r.status === 409 ? 'gelato.shipmentLocked' : 'gelato.shipmentRejected', { reference: idOrRef, why: this.http.redact(message) }),
          msg(r.status === 409 ? 'gelato.shipmentLockedHint' : 'gelato.shipmentRejectedHint'),
          { fieldErrors: fieldErrorsOf(r.data, message) },
        );
    }
    return r.data;
  }

  private parseOrder(data: unknown, url: string): GelatoOrder {
    try {
      return parseGelatoOrder(data);
    } catch (e) {
      throw this.http.error('invalid_response', 'GET', url, { detail: (e as Error).message, retryable: false });
    }
  }
}

function messageOf(data: unknown): string | null {
  if (!data || typeof data !== 'object') return typeof data === 'string' ? data : null;
  const d = data as Record<string, unknown>;
  for (const k of ['message', 'error', 'detail', 'title', 'status']) if (typeof d[k] === 'string' && d[k]) return d[k] as string;
  return null;
}

function existingIdOf(data: unknown, message: string): string | null {
  if (data && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    for (const k of ['id', 'orderId', 'existingOrderId', 'existingId']) if (typeof d[k] === 'string' && d[k]) return d[k] as string;
    const order = d.order as Record<string, unknown> | undefined;
    if (order && typeof order.id === 'string') return order.id;
  }
  return UUID_RE.exec(message)?.[0] ?? null;
}

function splitProblem(p: string): FieldError {
  const i = p.indexOf(': ');
  return i > 0 ? { field: p.slice(0, i), message: p.slice(i + 2) } : { field: null, message: p };
}

/** Field messages from the shapes validation errors commonly take (the real one is [unknown]). */
export function fieldErrorsOf(data: unknown, fallback: string): FieldError[] {
  const out: FieldError[] = [];
  const d = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  for (const key of ['errors', 'fieldErrors', 'validationErrors', 'details']) {
    const v = d[key];
    if (Array.isArray(v)) {
      for (const e of v) {
        if (typeof e === 'string') out.push(splitProblem(e));
        else if (e && typeof e === 'object') {
          const o = e as Record<string, unknown>;
          const field = [o.field, o.path, o.property, o.name, o.loc].find((x) => typeof x === 'string' || Array.isArray(x));
          const msg = [o.message, o.msg, o.error, o.description].find((x) => typeof x === 'string');
          out.push({ field: Array.isArray(field) ? field.join('.') : ((field as string | undefined) ?? null), message: (msg as string | undefined) ?? JSON.stringify(o) });
        }
      }
    } else if (v && typeof v === 'object') {
      for (const [field, msgs] of Object.entries(v as Record<string, unknown>)) {
        for (const m of Array.isArray(msgs) ? msgs : [msgs]) out.push({ field, message: String(m) });
      }
    }
    if (out.length) return out;
  }
  return fallback ? [{ field: null, message: fallback }] : [];
}
