import { expect } from 'vitest';
import type { FaultsRunResult } from './faults-run';

/** What the faults run must show, shared by the long suite and its short version. */
export function expectSurvivedFaults(r: FaultsRunResult): void {
  // The faults really happened, on both sides.
  expect(r.infigoFaults.errors + r.infigoFaults.resets).toBeGreaterThan(0);
  expect(r.gelatoFaults.errors + r.gelatoFaults.resets + r.gelatoFaults.rateLimited).toBeGreaterThan(0);
  expect(r.report.missing).toEqual([]);
  expect(r.report.duplicates).toEqual([]);
  expect(r.report.unexpected).toEqual([]);
  expect(r.report.stuck).toEqual([]);
  expect(r.report.submittedNotInGelato).toEqual([]);
  expect(r.report.fileProblems).toEqual([]);
  expect(r.report.integrity).toBe('ok');
  // Retries are on the orders' timelines.
  expect(r.retryEvents).toBeGreaterThan(0);
  expect(r.ordersWithRetries).toBeGreaterThan(0);
  // Every request answered 429 came again no sooner than Retry-After (timer slack 30 ms).
  expect(r.retryAfterGaps.length).toBeGreaterThan(0);
  for (const g of r.retryAfterGaps) expect(g.gapMs, `${g.path} retried ${g.gapMs} ms after a 429 with Retry-After ${g.retryAfterMs} ms`).toBeGreaterThanOrEqual(g.retryAfterMs - 30);
}
