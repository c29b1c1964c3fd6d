// The fetch wrapper both API clients use: timeouts, retries with backoff + jitter, Retry-After,
// same-origin redirects only, a size cap on every body read whole, a stop signal that ends
// every request of the client at once, and typed, redacted errors.
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter, type RetryPolicy } from './backoff';
import { msg, type Msg } from '../../../shared/messages/index';
import { bytesMsg, limitMsg, MB, readUpTo } from './body';
import { defaultMessage, HttpError, type HttpErrorCode } from './errors';
import type { FetchLike } from './fetch-like';
import { nodeStreamFetch } from './node-stream';
import { redact, redactUrl } from './redact';
import { textOf } from '../i18n';

/**
 * - `idempotent`: retry 5xx, 429, timeouts and connection failures (GET, PUT, cancel).
 * - `not-sent-only`: retry only when the request provably was not processed — the connection
 *   was refused / the host not found before anything was sent, or the server answered 429
 *   ("not accepted"). Used for submitting orders, where a blind retry could create a duplicate.
 * - `never`: a single attempt.
 */
export type RetryMode = 'idempotent' | 'not-sent-only' | 'never';

export type RetryInfo = {
  /** The attempt that just failed (1-based). */
  attempt: number;
  delayMs: number;
  reason: string;
  /** The reason as a message (shared/messages), for the timeline in a person's language. */
  reasonMsg?: Msg;
  code: HttpErrorCode;
  status?: number;
  /** Which request is being retried (URL redacted), for timelines. */
  method?: string;
  url?: string;
};

export type { FetchLike };
export type SleepLike = (ms: number, signal?: AbortSignal) => Promise<void>;

export type HttpClientOptions = {
  /** Name used in messages: "Infigo", "GelatoConnect". */
  service: string;
  fetch?: FetchLike;
  sleep?: SleepLike;
  random?: () => number;
  now?: () => number;
  /** Per-attempt timeout until the response headers (and, for JSON, the body) arrive. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onRetry?: (info: RetryInfo) => void;
  /** Values to scrub from every error (tokens, keys). */
  secrets?: ReadonlyArray<string | undefined>;
  /** Origins redirects may go to; defaults to the origin of each request. */
  allowedOrigins?: ReadonlyArray<string>;
  /** Lets a client replace generic wording with specific advice. */
  describe?: (err: HttpError) => HttpError;
  /** Largest JSON answer read (default 50 MB); a larger one fails with `too_large`, unread. */
  maxJsonBytes?: number;
  /** Ends every request of this client, in flight or waiting to retry (engine stop, cycle deadline). */
  signal?: AbortSignal;
};

export const DEFAULT_MAX_JSON_BYTES = 50 * MB;
/** Error bodies are only quoted (500 characters at most): reading more would be waste. */
const ERROR_BODY_BYTES = 64 * 1024;

export type RequestOptions = {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  retryMode?: RetryMode;
  timeoutMs?: number;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
  /** Non-2xx statuses returned to the caller instead of thrown (e.g. 404 for a lookup). */
  acceptStatus?: ReadonlyArray<number>;
  maxAttempts?: number;
};

export type JsonResponse = { status: number; headers: Headers; data: unknown; text: string };

export const defaultSleep: SleepLike = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** The low-level code of a fetch failure (undici wraps it in `cause`, sometimes twice). */
export function networkErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_INVALID_STATE') return code;
    const errors = (e as { errors?: unknown }).errors; // AggregateError from happy-eyeballs
    if (Array.isArray(errors) && errors[0]) e = errors[0];
    else e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

type AttemptFailure = { error: HttpError; retryAfterMs: number | null; sent: boolean };

export class HttpClient {
  readonly service: string;
  private readonly fetchImpl: FetchLike;
  private readonly streamImpl: FetchLike;
  private readonly sleep: SleepLike;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  readonly policy: RetryPolicy;
  private readonly onRetry: ((info: RetryInfo) => void) | undefined;
  private readonly secrets: ReadonlyArray<string | undefined>;
  private readonly allowedOrigins: ReadonlyArray<string> | undefined;
  private readonly describe: (err: HttpError) => HttpError;
  readonly maxJsonBytes: number;
  private readonly signal: AbortSignal | undefined;

  constructor(opts: HttpClientOptions) {
    this.service = opts.service;
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
    // An injected fetch (tests) serves streams too; otherwise bodies are read as Node streams.
    this.streamImpl = opts.fetch ?? nodeStreamFetch;
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.onRetry = opts.onRetry;
    this.secrets = opts.secrets ?? [];
    this.allowedOrigins = opts.allowedOrigins;
    this.describe = opts.describe ?? ((e) => e);
    this.maxJsonBytes = opts.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
    this.signal = opts.signal;
  }

  /** The caller's signal joined with the client's own stop signal. */
  private stopSignal(signal?: AbortSignal): AbortSignal | undefined {
    if (!this.signal) return signal;
    return signal ? AbortSignal.any([signal, this.signal]) : this.signal;
  }

  /** The backoff delay before retry number `retry` (for callers that loop themselves). */
  retryDelay(retry: number): number {
    return backoffDelay(retry, this.policy, this.random);
  }

  /** Waits with the injected sleep; rejects when `signal` (or the client's stop signal) aborts. */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    return this.sleep(ms, this.stopSignal(signal));
  }

  /** Reports a retry a caller performed itself (e.g. a resumed download) to the hook. */
  reportRetry(info: RetryInfo, perCall?: (info: RetryInfo) => void): void {
    this.onRetry?.(info);
    perCall?.(info);
  }

  redact(text: string): string {
    return redact(text, this.secrets);
  }

  /** Builds a typed error with generic wording, passed through the client's `describe`. */
  error(code: HttpErrorCode, method: string, url: string, extra: { status?: number; detail?: string; causeCode?: string; attempts?: number; retryable?: boolean } = {}): HttpError {
    const host = safeHost(url);
    const e = new HttpError({
      code,
      service: this.service,
      method,
      url: redactUrl(url, this.secrets),
      ...defaultMessage(code, this.service, host, extra.status),
      ...extra,
      detail: extra.detail === undefined ? undefined : this.redact(extra.detail).slice(0, 500),
    });
    return this.describe(e);
  }

  /** Sends a request and reads a JSON body (empty body → null). Body-read failures are retried
   *  like any other transport failure; a body over `maxJsonBytes` is not read (`too_large`). */
  async json(url: string, opts: RequestOptions = {}): Promise<JsonResponse> {
    return this.run(url, opts, async (res, method) => {
      const body = await readUpTo(res, this.maxJsonBytes);
      if (!body.complete) {
        const limit = limitMsg(this.maxJsonBytes);
        const service = this.service;
        throw this.error('too_large', method, url, {
          status: res.status,
          detail: body.announced !== null ? `Content-Length ${body.announced}` : `more than ${this.maxJsonBytes} bytes`,
          retryable: false,
        }).withMessage(
          body.announced !== null ? msg('http.body.announced', { service, size: bytesMsg(body.announced), limit }) : msg('http.body.cut', { service, limit }),
          msg('http.body.hint', { service }),
        );
      }
      const text = body.text;
      let data: unknown = null;
      if (text.trim() !== '') {
        try {
          data = JSON.parse(text);
        } catch {
          // An accepted error status (e.g. a 400 from a proxy) may carry HTML; the caller still
          // gets the status and text. Only a success must be JSON.
          if (!res.ok) return { status: res.status, headers: res.headers, data: null, text };
          throw this.error('invalid_response', method, url, { status: res.status, detail: text, retryable: false });
        }
      }
      return { status: res.status, headers: res.headers, data, text };
    });
  }

  /** Sends a request and returns the Response with its body unread (for streaming; read it with
   *  `nodeBody()`). The timeout covers only the wait for headers; the caller owns the body and
   *  any idle timeout. */
  async stream(url: string, opts: RequestOptions = {}): Promise<Response> {
    return this.run(url, opts, async (res) => res, true);
  }

  private async run<T>(url: string, requested: RequestOptions, read: (res: Response, method: string) => Promise<T>, streaming = false): Promise<T> {
    const opts = { ...requested, signal: this.stopSignal(requested.signal) };
    const method = (opts.method ?? 'GET').toUpperCase();
    const mode = opts.retryMode ?? 'idempotent';
    const maxAttempts = mode === 'never' ? 1 : Math.max(1, opts.maxAttempts ?? this.policy.maxAttempts);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(url, method, opts, read, streaming);
      if (outcome.ok) return outcome.value;
      const { error, retryAfterMs, sent } = outcome.failure;
      const retryable =
        error.code === 'aborted' || error.code === 'redirect_blocked' || error.code === 'invalid_response'
          ? false
          : mode === 'idempotent'
            ? isTransient(error.code)
            : mode === 'not-sent-only'
              ? !sent || error.code === 'rate_limited'
              : false;
      if (!retryable || attempt >= maxAttempts) {
        throw error.with({ attempts: attempt });
      }
      const delayMs = retryAfterMs ?? backoffDelay(attempt, this.policy, this.random);
      const reasonMsg = retryReason(error, retryAfterMs);
      const info: RetryInfo = { attempt, delayMs, reason: textOf(reasonMsg), reasonMsg, code: error.code, status: error.status, method, url: error.url };
      this.onRetry?.(info);
      opts.onRetry?.(info);
      try {
        await this.sleep(delayMs, opts.signal);
      } catch {
        throw this.error('aborted', method, url, { attempts: attempt });
      }
    }
  }

  private async attempt<T>(
    url: string,
    method: string,
    opts: RequestOptions,
    read: (res: Response, method: string) => Promise<T>,
    streaming: boolean,
  ): Promise<{ ok: true; value: T } | { ok: false; failure: AttemptFailure }> {
    if (opts.signal?.aborted) return { ok: false, failure: { error: this.error('aborted', method, url), retryAfterMs: null, sent: false } };
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(new Error('timeout')), timeoutMs);
    const signal = opts.signal ? AbortSignal.any([timer.signal, opts.signal]) : timer.signal;
    let currentUrl = url;
    let currentMethod = method;
    let body = opts.body;
    let res: Response | undefined;
    try {
      for (let hops = 0; ; hops++) {
        res = await (streaming ? this.streamImpl : this.fetchImpl)(currentUrl, {
          method: currentMethod,
          headers: opts.headers,
          body,
          signal,
          redirect: 'manual',
        });
        const location = res.headers.get('location');
        if (res.status < 300 || res.status >= 400 || !location) break;
        await res.body?.cancel().catch(() => undefined);
        const next = new URL(location, currentUrl);
        const allowed = this.allowedOrigins ?? [new URL(url).origin];
        if (!allowed.includes(next.origin) || hops >= 5) {
          return { ok: false, failure: { error: this.error('redirect_blocked', method, url, { status: res.status, detail: `redirect to ${next.origin}` }), retryAfterMs: null, sent: true } };
        }
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && currentMethod === 'POST')) {
          currentMethod = 'GET';
          body = undefined;
        }
        currentUrl = next.toString();
      }
      if (!res.ok && !(opts.acceptStatus ?? []).includes(res.status)) {
        const text = (await readUpTo(res, ERROR_BODY_BYTES).catch(() => null))?.text ?? '';
        const code = statusCode(res.status);
        const retryAfterMs =
          res.status === 429 || res.status === 503
            ? parseRetryAfter(res.headers.get('retry-after'), this.now(), this.policy.retryAfterCapMs)
            : null;
        return { ok: false, failure: { error: this.error(code, method, url, { status: res.status, detail: text }), retryAfterMs, sent: true } };
      }
      if (streaming) clearTimeout(timeout);
      return { ok: true, value: await read(res, method) };
    } catch (err) {
      if (err instanceof HttpError) return { ok: false, failure: { error: err, retryAfterMs: null, sent: true } };
      if (opts.signal?.aborted) return { ok: false, failure: { error: this.error('aborted', method, url), retryAfterMs: null, sent: true } };
      const gotHeaders = res !== undefined;
      if (timer.signal.aborted) {
        return { ok: false, failure: { error: this.error('timeout', method, url, { detail: `no ${gotHeaders ? 'complete body' : 'answer'} within ${timeoutMs} ms`, causeCode: 'TIMEOUT' }), retryAfterMs: null, sent: true } };
      }
      // fetch refuses some ports outright ("bad port") before connecting: not sent either.
      const cause = networkErrorCode(err) ?? (/bad port/i.test(String((err as { cause?: { message?: unknown } })?.cause?.message)) ? 'BAD_PORT' : undefined);
      const notSent = !gotHeaders && cause !== undefined && (NOT_SENT_CODES.has(cause) || cause === 'BAD_PORT');
      const code: HttpErrorCode = notSent ? 'unreachable' : 'network';
      return { ok: false, failure: { error: this.error(code, method, url, { causeCode: cause, detail: cause ?? 'connection failed' }), retryAfterMs: null, sent: !notSent } };
    } finally {
      if (!streaming) clearTimeout(timeout);
    }
  }
}

function isTransient(code: HttpErrorCode): boolean {
  return code === 'server_error' || code === 'rate_limited' || code === 'timeout' || code === 'network' || code === 'unreachable';
}

function statusCode(status: number): HttpErrorCode {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server_error';
  return 'client_error';
}

/** Why a call is tried again, as a message (its English is RetryInfo.reason). */
export function retryReason(error: Pick<HttpError, 'status' | 'code' | 'causeCode'>, retryAfterMs: number | null): Msg {
  const code = error.causeCode;
  const base =
    error.status !== undefined
      ? msg('http.retry.status', { status: error.status })
      : error.code === 'timeout'
        ? msg('http.retry.timeout')
        : error.code === 'unreachable'
          ? code ? msg('http.retry.refusedCode', { code }) : msg('http.retry.refused')
          : code ? msg('http.retry.failedCode', { code }) : msg('http.retry.failed');
  return retryAfterMs !== null ? msg('http.retry.wait', { reason: base, seconds: Math.round(retryAfterMs / 100) / 10 }) : base;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
