// Writing order status / tracking back to Infigo.
//
// Infigo has no known REST path for this (reference infigo-api.md §4.3, §13 [unknown]); the
// platform does it through MegaScript (Order.SetStatus, UpdateShippingStatus, SetTrackingNumber,
// AddOrderNotes: types-for-megascript v1). So the writer is pluggable and nothing is assumed:
//  - NotConfiguredStatusWriter (the default): every push fails with `not_configured`; the
//    updates wait in Presslink's outbox and the setup check says to choose a writer.
//  - MegaScriptStatusWriter: the status MegaScript Presslink generates (status-writer/megascript.ts)
//    run by Infigo as an API-triggered script; Presslink POSTs JSON to the URL the shop configures,
//    with the shared token in `X-Presslink-Token` (and in the body, in case Infigo does not hand
//    custom headers to the script). The script answers with the order as it is after the write.
//  - RestPathStatusWriter: a path under /services/api the shop names, with its method and body
//    field names from the configuration, for a store whose Infigo does offer such a route.
// Every write is idempotent (setting the same status twice is harmless), so they are retried.
import { msg } from '../../../shared/messages/index';
import { errorWith, textOf } from '../i18n';
import { HttpClient, HttpError, worded, type FetchLike, type RetryInfo, type RetryPolicy, type SleepLike } from '../http';
import type { InfigoClient } from './client';

export type InfigoStatusUpdate = {
  orderId: number;
  orderStatus?: string;
  shippingStatus?: string;
  paymentStatus?: string;
  trackingNumber?: string;
  trackingUrl?: string;
  carrier?: string;
  note?: string;
  lineStatuses?: { jobId: string; status: string }[];
};

/** The order as Infigo holds it after a write, when the writer can tell (the MegaScript reads it back). */
export interface InfigoReadBack {
  orderStatus: string | null;
  shippingStatus: string | null;
  paymentStatus: string | null;
  trackingNumber: string | null;
  /** How many notes the order has now. */
  notes: number | null;
}

export interface PushResult {
  readBack: InfigoReadBack | null;
}

export interface InfigoStatusWriter {
  readonly kind: 'none' | 'rest' | 'megascript';
  push(update: InfigoStatusUpdate): Promise<PushResult>;
}

export type StatusWriterConfig =
  | { kind: 'none' }
  | { kind: 'rest'; pathTemplate: string; method?: 'POST' | 'PUT' | 'PATCH'; fieldNames?: Partial<RestStatusFieldNames> }
  | { kind: 'megascript'; url: string; token: string };

/** Body field name per update field (each overridable in the store's `statusWriter.fieldNames`). */
export type RestStatusFieldNames = {
  orderStatus: string;
  shippingStatus: string;
  paymentStatus: string;
  trackingNumber: string;
  trackingUrl: string;
  carrier: string;
  note: string;
  lineStatuses: string;
  lineJobId: string;
  lineStatus: string;
};

export const DEFAULT_REST_FIELD_NAMES: RestStatusFieldNames = {
  orderStatus: 'OrderStatus',
  shippingStatus: 'ShippingStatus',
  paymentStatus: 'PaymentStatus',
  trackingNumber: 'TrackingNumber',
  trackingUrl: 'TrackingUrl',
  carrier: 'Carrier',
  note: 'Note',
  lineStatuses: 'LineStatuses',
  lineJobId: 'JobId',
  lineStatus: 'Status',
};

function assertUpdate(u: InfigoStatusUpdate): void {
  if (!Number.isInteger(u.orderId) || u.orderId <= 0) throw errorWith(msg('writer.badOrderId', { id: String(u.orderId) }));
}

const notConfigured = () => msg('writer.notConfigured');
const notConfiguredHint = () => msg('writer.notConfiguredHint', { where: msg('where.setupStatusUpdates') });
export const STATUS_WRITER_NOT_CONFIGURED = textOf(notConfigured());
export const STATUS_WRITER_NOT_CONFIGURED_HINT = textOf(notConfiguredHint());

/** The default: nothing is sent, and the reason says what to choose. */
export class NotConfiguredStatusWriter implements InfigoStatusWriter {
  readonly kind = 'none' as const;
  async push(update: InfigoStatusUpdate): Promise<PushResult> {
    assertUpdate(update);
    throw new HttpError({
      code: 'not_configured',
      service: 'Infigo',
      method: 'POST',
      url: '(none)',
      ...worded(notConfigured(), notConfiguredHint()),
      retryable: false,
    });
  }
}

export class RestPathStatusWriter implements InfigoStatusWriter {
  readonly kind = 'rest' as const;
  private readonly pathTemplate: string;
  private readonly method: 'POST' | 'PUT' | 'PATCH';
  private readonly fields: RestStatusFieldNames;

  constructor(
    private readonly client: InfigoClient,
    opts: { pathTemplate: string; method?: 'POST' | 'PUT' | 'PATCH'; fieldNames?: Partial<RestStatusFieldNames> },
  ) {
    if (!opts.pathTemplate?.includes('{orderId}')) throw errorWith(msg('writer.restNeedsOrderId'));
    this.pathTemplate = opts.pathTemplate;
    this.method = opts.method ?? 'POST';
    const named = Object.fromEntries(Object.entries(opts.fieldNames ?? {}).filter(([, v]) => typeof v === 'string' && v !== ''));
    this.fields = { ...DEFAULT_REST_FIELD_NAMES, ...named };
  }

  body(u: InfigoStatusUpdate): Record<string, unknown> {
    const f = this.fields;
    const out: Record<string, unknown> = {};
    const put = (name: string, v: unknown) => {
      if (v !== undefined) out[name] = v;
    };
    put(f.orderStatus, u.orderStatus);
    put(f.shippingStatus, u.shippingStatus);
    put(f.paymentStatus, u.paymentStatus);
    put(f.trackingNumber, u.trackingNumber);
    put(f.trackingUrl, u.trackingUrl);
    put(f.carrier, u.carrier);
    put(f.note, u.note);
    if (u.lineStatuses?.length) out[f.lineStatuses] = u.lineStatuses.map((l) => ({ [f.lineJobId]: l.jobId, [f.lineStatus]: l.status }));
    return out;
  }

  async push(update: InfigoStatusUpdate): Promise<PushResult> {
    assertUpdate(update);
    const path = this.pathTemplate.replace(/\{orderId\}/g, encodeURIComponent(String(update.orderId)));
    try {
      await this.client.call(this.method, path, this.body(update));
      // What such a route answers is unknown: the setup check reads the order back instead.
      return { readBack: null };
    } catch (e) {
      if (e instanceof HttpError && (e.code === 'not_found' || (e.code === 'client_error' && e.status === 405))) {
        throw e.withMessage(
          msg('writer.restRefused', { path: this.pathTemplate }),
          msg('writer.restRefusedHint'),
          { retryable: false },
        );
      }
      throw e;
    }
  }
}

export type MegaScriptStatusWriterOptions = {
  url: string;
  token: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onRetry?: (info: RetryInfo) => void;
  sleep?: SleepLike;
};

export class MegaScriptStatusWriter implements InfigoStatusWriter {
  readonly kind = 'megascript' as const;
  private readonly http: HttpClient;
  private readonly url: string;
  private readonly token: string;

  constructor(opts: MegaScriptStatusWriterOptions) {
    const u = new URL(opts.url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw errorWith(msg('writer.scriptUrl'));
    this.url = u.toString();
    this.token = opts.token;
    const host = u.host;
    this.http = new HttpClient({
      service: 'Infigo MegaScript',
      fetch: opts.fetch,
      timeoutMs: opts.timeoutMs,
      retry: opts.retry,
      onRetry: opts.onRetry,
      sleep: opts.sleep,
      secrets: [opts.token],
      describe: (e) => {
        if (e.code === 'unauthorized')
          return e.withMessage(msg('writer.scriptToken'), msg('writer.scriptTokenHint'));
        if (e.code === 'not_found')
          return e.withMessage(msg('writer.scriptMissing', { host }), msg('writer.scriptMissingHint'));
        if (e.code === 'unreachable') return e.withMessage(msg('writer.scriptUnreachable', { host }), msg('writer.scriptUnreachableHint'));
        return e;
      },
    });
  }

  body(u: InfigoStatusUpdate): Record<string, unknown> {
    // The token travels in the body too: whether Infigo hands custom headers to a script is not documented.
    const out: Record<string, unknown> = { orderId: u.orderId, token: this.token };
    for (const k of ['orderStatus', 'shippingStatus', 'paymentStatus', 'trackingNumber', 'trackingUrl', 'carrier', 'note'] as const) {
      if (u[k] !== undefined) out[k] = u[k];
    }
    if (u.lineStatuses?.length) out.lineStatuses = u.lineStatuses;
    return out;
  }

  async push(update: InfigoStatusUpdate): Promise<PushResult> {
    assertUpdate(update);
    const r = await this.http.json(this.url, {
      method: 'POST',
      headers: { 'X-Presslink-Token': this.token, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(this.body(update)),
    });
    // A script reports its own failures in the body: {ok:false,error}, {success:false} or {Success:false}.
    const d = r.data as { ok?: unknown; success?: unknown; Success?: unknown; error?: unknown; message?: unknown } | null;
    if (d && typeof d === 'object' && (d.ok === false || d.success === false || d.Success === false)) {
      const why = typeof d.error === 'string' ? d.error : typeof d.message === 'string' ? d.message : null;
      throw this.http
        .error('client_error', 'POST', this.url, { status: r.status, detail: why ?? 'no reason given', retryable: false })
        .withMessage(msg('writer.scriptFailed', { order: update.orderId, why: why === null ? msg('check.noReasonGiven') : this.http.redact(why) }), msg('writer.scriptFailedHint'));
    }
    return { readBack: readBackOf(d) };
  }
}

/** The `order` part of the status MegaScript's answer (status-writer/megascript.ts). */
function readBackOf(data: unknown): InfigoReadBack | null {
  const o = data && typeof data === 'object' ? (data as { order?: unknown }).order : null;
  if (!o || typeof o !== 'object') return null;
  const r = o as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  return {
    orderStatus: str(r.orderStatus),
    shippingStatus: str(r.shippingStatus),
    paymentStatus: str(r.paymentStatus),
    trackingNumber: str(r.trackingNumber),
    notes: typeof r.notes === 'number' ? r.notes : null,
  };
}

export type StatusWriterDeps = {
  infigo: InfigoClient;
  fetch?: FetchLike;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onRetry?: (info: RetryInfo) => void;
  sleep?: SleepLike;
};

export function createStatusWriter(config: StatusWriterConfig, deps: StatusWriterDeps): InfigoStatusWriter {
  if (config.kind === 'none') return new NotConfiguredStatusWriter();
  if (config.kind === 'rest') return new RestPathStatusWriter(deps.infigo, { pathTemplate: config.pathTemplate, method: config.method, fieldNames: config.fieldNames });
  return new MegaScriptStatusWriter({
    url: config.url,
    token: config.token,
    fetch: deps.fetch,
    timeoutMs: deps.timeoutMs,
    retry: deps.retry,
    onRetry: deps.onRetry,
    sleep: deps.sleep,
  });
}
