// Writing order status / tracking back to Infigo.
//
// Infigo has no known REST path for this (reference infigo-api.md §4.3, §13 [unknown]); the
// platform can do it through MegaScript. So the writer is pluggable:
//  - RestPathStatusWriter: a configurable path under /services/api. Its default is the
//    sandbox's simulator-only route `presslink-sim/order/{orderId}/status` — an ASSUMPTION, to
//    be replaced with the real path once it is confirmed from the live OpenAPI.
//  - MegaScriptStatusWriter: a TriggerViaApi MegaScript the shop installs; Presslink POSTs JSON
//    to the URL the shop configures, with the shared token in `X-Presslink-Token`.
// Both writes are idempotent (setting the same status twice is harmless), so they are retried.
import { HttpClient, HttpError, type FetchLike, type RetryInfo, type RetryPolicy, type SleepLike } from '../http';
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

export interface InfigoStatusWriter {
  readonly kind: 'rest' | 'megascript';
  push(update: InfigoStatusUpdate): Promise<void>;
}

export type StatusWriterConfig =
  | { kind: 'rest'; pathTemplate?: string; method?: 'POST' | 'PUT' }
  | { kind: 'megascript'; url: string; token: string };

export const DEFAULT_STATUS_PATH_TEMPLATE = 'presslink-sim/order/{orderId}/status';

/** Body field name per update field; defaults match the sandbox's simulator route. */
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
  if (!Number.isInteger(u.orderId) || u.orderId <= 0) throw new Error(`Invalid Infigo order id ${String(u.orderId)}`);
}

export class RestPathStatusWriter implements InfigoStatusWriter {
  readonly kind = 'rest' as const;
  private readonly pathTemplate: string;
  private readonly method: 'POST' | 'PUT';
  private readonly fields: RestStatusFieldNames;

  constructor(
    private readonly client: InfigoClient,
    opts: { pathTemplate?: string; method?: 'POST' | 'PUT'; fieldNames?: Partial<RestStatusFieldNames> } = {},
  ) {
    this.pathTemplate = opts.pathTemplate ?? DEFAULT_STATUS_PATH_TEMPLATE;
    this.method = opts.method ?? 'POST';
    this.fields = { ...DEFAULT_REST_FIELD_NAMES, ...opts.fieldNames };
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

  async push(update: InfigoStatusUpdate): Promise<void> {
    assertUpdate(update);
    const path = this.pathTemplate.replace(/\{orderId\}/g, encodeURIComponent(String(update.orderId)));
    try {
      await this.client.call(this.method, path, this.body(update));
    } catch (e) {
      if (e instanceof HttpError && (e.code === 'not_found' || (e.code === 'client_error' && e.status === 405))) {
        throw e.withMessage(
          `Infigo does not accept status updates at "${this.pathTemplate}".`,
          'This path is a Presslink assumption (Infigo publishes none). Set the status-update path in the store settings, or switch to the MegaScript status writer.',
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
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('The MegaScript URL must start with https://');
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
          return e.withMessage(
            'The Presslink status MegaScript refused the token.',
            'Copy the token from Presslink into the MegaScript configuration in Infigo (or the other way round) so both match.',
          );
        if (e.code === 'not_found')
          return e.withMessage(
            `No status MegaScript answers at ${host}.`,
            'Check the MegaScript URL in the store settings and that the script is enabled with "Trigger via API" in Infigo.',
          );
        if (e.code === 'unreachable') return e.withMessage(`Cannot reach ${host}: check the MegaScript URL`, 'Check the URL in the store settings.');
        return e;
      },
    });
  }

  body(u: InfigoStatusUpdate): Record<string, unknown> {
    const out: Record<string, unknown> = { orderId: u.orderId };
    for (const k of ['orderStatus', 'shippingStatus', 'paymentStatus', 'trackingNumber', 'trackingUrl', 'carrier', 'note'] as const) {
      if (u[k] !== undefined) out[k] = u[k];
    }
    if (u.lineStatuses?.length) out.lineStatuses = u.lineStatuses;
    return out;
  }

  async push(update: InfigoStatusUpdate): Promise<void> {
    assertUpdate(update);
    const r = await this.http.json(this.url, {
      method: 'POST',
      headers: { 'X-Presslink-Token': this.token, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(this.body(update)),
    });
    // A script reports its own failures in the body: {ok:false,error}, {success:false} or {Success:false}.
    const d = r.data as { ok?: unknown; success?: unknown; Success?: unknown; error?: unknown; message?: unknown } | null;
    if (d && typeof d === 'object' && (d.ok === false || d.success === false || d.Success === false)) {
      const why = typeof d.error === 'string' ? d.error : typeof d.message === 'string' ? d.message : 'no reason given';
      throw this.http
        .error('client_error', 'POST', this.url, { status: r.status, detail: why, retryable: false })
        .withMessage(`The status MegaScript could not update order ${update.orderId}: ${this.http.redact(why)}`, 'Check the order in Infigo and the MegaScript log.');
    }
  }
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
  if (config.kind === 'rest') return new RestPathStatusWriter(deps.infigo, { pathTemplate: config.pathTemplate, method: config.method });
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
