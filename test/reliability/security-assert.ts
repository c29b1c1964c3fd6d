import { expect } from 'vitest';
import type { SecurityResult } from './security-run';

export function expectSecure(r: SecurityResult): void {
  console.log(`security: ${r.secretsChecked.length} secrets × ${r.textsScanned} texts; ${r.submitted} orders submitted, ${r.postbacksDelivered} postbacks delivered, ${r.statusWrites} status writes to Infigo, ${r.errorsSeen} sync errors scanned`);
  // The run exercised what it claims to scan.
  expect(r.submitted).toBeGreaterThan(0);
  expect(r.postbacksDelivered).toBeGreaterThan(0);
  expect(r.errorsSeen).toBeGreaterThan(0);
  expect(r.controlHits).toBeGreaterThanOrEqual(5);
  expect(r.leaks).toEqual([]);
  for (const e of r.endpoints) expect(e.expected, `${e.what} answered ${e.status}`).toContain(e.status);
  expect(r.endpoints.length).toBeGreaterThanOrEqual(18);
  expect(r.defaultBind).toBe('127.0.0.1');
  expect(r.filesOutsideRoot).toEqual([]);
  expect(r.canaryHits).toEqual([]);
}
