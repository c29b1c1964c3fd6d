// Backoff and Retry-After arithmetic, kept pure so its bounds can be tested exactly.

export type RetryPolicy = {
  /** Total attempts including the first one. */
  maxAttempts: number;
  /** Backoff ceiling for the first retry; doubles per retry. */
  baseDelayMs: number;
  /** Upper bound of any computed backoff. */
  maxDelayMs: number;
  /** Upper bound for a server's Retry-After (a server asking for an hour must not stall a cycle). */
  retryAfterCapMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  retryAfterCapMs: 120_000,
};

/**
 * "Full jitter" exponential backoff: a uniform delay in [0, min(maxDelay, base·2^(retry-1))).
 * Full jitter spreads retries of many clients best (AWS architecture blog, "Exponential Backoff
 * and Jitter"); GelatoConnect asks for backoff with jitter on 429 (reference §1.4).
 * `retry` is 1 for the first retry.
 */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * exp);
}

/**
 * Retry-After as milliseconds: delta-seconds ("120") or an HTTP date; dates in the past give 0.
 * Capped at `capMs`. Null when absent or unreadable (the caller then uses backoff).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number, capMs: number): number | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (v === '') return null;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(v)) {
    ms = Math.round(Number(v) * 1000);
  } else {
    // HTTP dates always name the weekday and GMT; Date.parse also accepts odd strings, so
    // require something that looks like a date to avoid reading "soon" as a time.
    if (!/\d{4}|GMT/i.test(v)) return null;
    const at = Date.parse(v);
    if (Number.isNaN(at)) return null;
    ms = Math.max(0, at - nowMs);
  }
  return Math.min(ms, capMs);
}
