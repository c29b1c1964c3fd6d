import { describe, expect, it } from 'vitest';
import { expectSurvivedFaults } from './faults-assert';
import { faultsRun } from './faults-run';

describe('faults', () => {
  it('issue preset on Infigo and GelatoConnect, 300 orders: every order exactly once, retries on the timelines, Retry-After honoured', async () => {
    const r = await faultsRun({ orders: 300, maxCycles: 60 });
    console.log(`faults run: ${r.cycles} cycles, ${Math.round(r.durationMs / 1000)} s, ${r.retryAfterGaps.length} 429s followed up (min gap ${Math.min(...r.retryAfterGaps.map((g) => g.gapMs))} ms)`);
    expectSurvivedFaults(r);
  });

  it('a storm on submission (25 % resets, 25 % truncated answers, failing searches): no order is ever sent twice', async () => {
    const r = await faultsRun({
      orders: 60,
      maxCycles: 20,
      faults: {
        seed: 3,
        rules: [
          // Truncated: GelatoConnect created the order but the answer is lost — the unknown outcome.
          { route: '/\\/order$/', method: 'POST', resetRate: 0.25, truncateRate: 0.25, errorRate: 0.1, errorStatus: 502 },
          // The look-up by reference that decides "resend or not" fails too.
          { route: '/search$/', method: 'POST', errorRate: 0.3, resetRate: 0.2 },
        ],
      },
    });
    expect(r.gelatoFaults.truncated).toBeGreaterThan(0);
    expect(r.report.missing).toEqual([]);
    expect(r.report.duplicates).toEqual([]);
    expect(r.report.stuck).toEqual([]);
    expect(r.report.fileProblems).toEqual([]);
    // Every order reached GelatoConnect's submit handler once: a lost answer was followed by a look-up, never a resend.
    expect(r.report.maxSubmitCount).toBe(1);
  });
});
