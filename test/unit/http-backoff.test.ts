import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../../electron/core/http';

describe('backoffDelay (full jitter)', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 8_000 };

  it('stays within [0, base·2^(n-1)) and doubles the ceiling per retry', () => {
    for (let retry = 1; retry <= 4; retry++) {
      const ceiling = 500 * 2 ** (retry - 1);
      expect(backoffDelay(retry, policy, () => 0)).toBe(0);
      expect(backoffDelay(retry, policy, () => 0.999999)).toBe(Math.floor(0.999999 * ceiling));
      expect(backoffDelay(retry, policy, () => 0.5)).toBe(ceiling / 2);
    }
  });

  it('never exceeds maxDelayMs however many retries', () => {
    for (let retry = 5; retry <= 40; retry++) {
      expect(backoffDelay(retry, policy, () => 0.999999)).toBeLessThan(8_000);
    }
  });

  it('spreads delays with a real random source', () => {
    const samples = Array.from({ length: 200 }, () => backoffDelay(3, policy));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(2_000);
    expect(new Set(samples).size).toBeGreaterThan(50);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('2', now, 60_000)).toBe(2_000);
    expect(parseRetryAfter(' 0 ', now, 60_000)).toBe(0);
    expect(parseRetryAfter('1.5', now, 60_000)).toBe(1_500);
  });

  it('reads an HTTP date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now, 60_000)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now, 60_000)).toBe(0);
  });

  it('caps long waits', () => {
    expect(parseRetryAfter('3600', now, 120_000)).toBe(120_000);
    expect(parseRetryAfter('Fri, 02 Jan 2026 12:00:00 GMT', now, 120_000)).toBe(120_000);
  });

  it('returns null for missing or unreadable values', () => {
    expect(parseRetryAfter(null, now, 1000)).toBeNull();
    expect(parseRetryAfter('', now, 1000)).toBeNull();
    expect(parseRetryAfter('soon', now, 1000)).toBeNull();
    expect(parseRetryAfter('-5', now, 1000)).toBeNull();
  });
});
