import { expect } from 'vitest';
import type { badInputRun } from './bad-input-run';

/** What the bad-input run must show, shared by the reliability suite and the short run in `npm test`. */
export function expectBadInputHandled(r: Awaited<ReturnType<typeof badInputRun>>): void {
  expect(r.outcomes.length).toBeGreaterThanOrEqual(25);
  const table = r.outcomes.map((o) => `${o.ok ? 'ok  ' : o.knownBug ? 'BUG ' : 'FAIL'} ${o.kind.padEnd(28)} ${o.state.padEnd(16)} ${o.reason.slice(0, 160).replace(/\s+/g, ' ')}${o.why.length ? `  <- ${o.why.join('; ')}` : ''}`);
  console.log(table.join('\n'));
  const failed = r.outcomes.filter((o) => !o.ok && !o.knownBug);
  expect(failed.map((o) => `${o.kind}: ${o.why.join('; ')} (got "${o.reason.slice(0, 200)}")`)).toEqual([]);
  // The good orders placed before and after the bad ones went through in the same run.
  expect(r.good.map((g) => g.state)).toEqual(['submitted', 'submitted']);
  // SKUs and product names with ../ and control characters never put a file outside the files folder.
  expect(r.filesOutsideRoot).toEqual([]);
}
