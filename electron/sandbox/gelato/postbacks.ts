/**
 * Postbacks: Trigger (event, URL, method, format, retry toggle) + Jinja2 template, as set up in
 * the GelatoConnect UI (reference §3.3). Templates are rendered with nunjucks, the closest
 * Jinja2 in Node. The event data follows the documented "Package Status Updated" payload
 * (§3.4); data for other events is [unknown], so the sandbox uses the same shape for all.
 */
import nunjucks from 'nunjucks';
import type { GelatoStatus } from '../../../shared/domain/gelato';

export interface PostbackTrigger {
  /** UI event name ("Order shipped", "Package Status Updated"), a status ("shipped",
   *  "order.shipped") or "*" for every status change. */
  event: string;
  url: string;
  method?: 'POST' | 'PUT';
  format?: 'json';
  headers?: Record<string, string>;
  template: string;
  /** The UI's "Retry on Failure" toggle; default on. */
  retryOnFailure?: boolean;
  /** Triggers live on a customer profile in the UI; absent = every customer. */
  customerReferenceId?: string;
  name?: string;
}

export interface PostbackAttempt {
  at: string;
  status: number | null;
  error: string | null;
}

export interface PostbackRecord {
  id: number;
  trigger: string;
  event: string;
  status: GelatoStatus;
  orderId: string;
  orderReferenceId: string;
  customerReferenceId: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Rendered body (empty when the template failed to render). */
  body: string;
  /** The raw event data the template was rendered with (reference §8.2 a). */
  context: PostbackContext;
  attempts: PostbackAttempt[];
  responseStatus: number | null;
  delivered: boolean;
  error: string | null;
}

export interface PostbackPackageItem {
  id: string;
  quantity: number;
  referenceId: string;
  metadata: Record<string, string>;
}

/** Field names as documented for "Package Status Updated" (H-PAY) plus `currentDate` (Delayed
 *  Order). `sandbox` holds simulator-only extras; a template that uses them will not work
 *  against a real tenant. */
export interface PostbackContext {
  currentDate: string;
  customer: { id: string; name: string; referenceId: string };
  order: { id: string; referenceId: string; metadata: Record<string, string> };
  package: { id: string; status: GelatoStatus; weight: number; items: PostbackPackageItem[] };
  shipment: {
    fulfillmentLocation: { country: string; stateProvince: string };
    method: { id: string; name: string };
    tracking: { code: string; url: string };
  };
  sandbox: {
    event: string;
    status: GelatoStatus;
    previousStatus: GelatoStatus | null;
    reason: string | null;
    occurredAt: string;
    createdAt: string;
    packages: { id: string; trackingCode: string; trackingUrl: string; carrier: string; itemReferenceIds: string[] }[];
  };
}

const STATUS_EVENT: Partial<Record<GelatoStatus, string>> = {
  received: 'Order received',
  failed: 'Order failed',
  canceled: 'Order canceled',
  returned: 'Order returned',
  printed: 'Order produced',
  delivered: 'Order delivered',
  shipped: 'Order shipped',
  in_transit: 'Order in transit',
};

export const PACKAGE_STATUS_UPDATED = 'Package Status Updated';

/** The UI event a status change raises, if any (reference §3.2). */
export function orderEventFor(status: GelatoStatus): string | undefined {
  return STATUS_EVENT[status];
}

const squash = (s: string) => s.toLowerCase().replace(/^order[\s._-]*/, '').replace(/[^a-z0-9]/g, '');

/** Does a trigger's event name match this status change? */
export function triggerMatches(triggerEvent: string, status: GelatoStatus, kind: 'order' | 'package'): boolean {
  const t = triggerEvent.trim();
  if (t === '*') return kind === 'order';
  const key = squash(t);
  if (key === squash(PACKAGE_STATUS_UPDATED) || key === 'packagestatus') return kind === 'package';
  if (kind !== 'order') return false;
  const statusKey = squash(status);
  if (key === statusKey) return true;
  const uiEvent = STATUS_EVENT[status];
  return uiEvent !== undefined && key === squash(uiEvent);
}

export function createTemplateEnv(): nunjucks.Environment {
  // JSON bodies: no HTML escaping
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false });
  env.addFilter('tojson', (v: unknown) => JSON.stringify(v ?? null));
  return env;
}

export function validateTrigger(t: unknown, i: number, env: nunjucks.Environment): PostbackTrigger {
  const where = `trigger ${i}`;
  if (typeof t !== 'object' || t === null) throw new Error(`${where}: must be an object`);
  const o = t as Record<string, unknown>;
  if (typeof o.event !== 'string' || o.event.trim() === '') throw new Error(`${where}: "event" is required`);
  if (typeof o.url !== 'string') throw new Error(`${where}: "url" is required`);
  try {
    const u = new URL(o.url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new Error(`${where}: "url" must be an http(s) URL`);
  }
  const method = o.method === undefined ? 'POST' : String(o.method).toUpperCase();
  if (method !== 'POST' && method !== 'PUT') throw new Error(`${where}: "method" must be POST or PUT`);
  if (o.format !== undefined && o.format !== 'json') throw new Error(`${where}: only "json" format is simulated`);
  if (typeof o.template !== 'string') throw new Error(`${where}: "template" is required`);
  try {
    nunjucks.compile(o.template, env);
    env.renderString(o.template, {});
  } catch (e) {
    throw new Error(`${where}: the template does not compile: ${(e as Error).message}`);
  }
  const headers: Record<string, string> = {};
  if (o.headers !== undefined) {
    if (typeof o.headers !== 'object' || o.headers === null) throw new Error(`${where}: "headers" must be an object`);
    for (const [k, v] of Object.entries(o.headers)) headers[k] = String(v);
  }
  return {
    event: o.event,
    url: o.url,
    method,
    format: 'json',
    headers,
    template: o.template,
    retryOnFailure: o.retryOnFailure === undefined ? true : Boolean(o.retryOnFailure),
    ...(typeof o.customerReferenceId === 'string' ? { customerReferenceId: o.customerReferenceId } : {}),
    ...(typeof o.name === 'string' ? { name: o.name } : {}),
  };
}

export interface DeliveryOptions {
  /** Attempts when Retry on Failure is on ([unknown] schedule; simulator-only default 4). */
  maxAttempts: number;
  /** First back-off; doubles per attempt. */
  backoffMs: number;
  timeoutMs: number;
}

/** Send one rendered postback, retrying non-2xx and network errors; fills in `rec`. */
export async function deliver(rec: PostbackRecord, retry: boolean, opts: DeliveryOptions, stop: AbortSignal): Promise<void> {
  const attempts = retry ? opts.maxAttempts : 1;
  for (let n = 1; n <= attempts; n++) {
    if (stop.aborted) {
      rec.error = 'sandbox closed before delivery';
      return;
    }
    const attempt: PostbackAttempt = { at: new Date().toISOString(), status: null, error: null };
    rec.attempts.push(attempt);
    try {
      const res = await fetch(rec.url, {
        method: rec.method,
        headers: rec.headers,
        body: rec.body,
        signal: AbortSignal.any([stop, AbortSignal.timeout(opts.timeoutMs)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      attempt.status = res.status;
      rec.responseStatus = res.status;
      if (res.ok) {
        rec.delivered = true;
        rec.error = null;
        return;
      }
      attempt.error = `HTTP ${res.status}`;
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      attempt.error = err.name === 'TimeoutError' ? `timed out after ${opts.timeoutMs} ms` : (err.cause?.code ?? err.message);
    }
    rec.error = attempt.error;
    if (n < attempts) await new Promise((r) => setTimeout(r, opts.backoffMs * 2 ** (n - 1)));
  }
}
