import { describe, it } from 'vitest';
import { expectSurvivedFaults } from './faults-assert';
import { faultsRun } from './faults-run';

describe('faults (issue preset on Infigo and GelatoConnect, 300 orders)', () => {
  it('completes every order exactly once, with retries on the timelines and Retry-After honoured', async () => {
    const r = await faultsRun({ orders: 300, maxCycles: 60 });
    console.log(`faults run: ${r.cycles} cycles, ${Math.round(r.durationMs / 1000)} s, ${r.retryAfterGaps.length} 429s followed up (min gap ${Math.min(...r.retryAfterGaps.map((g) => g.gapMs))} ms)`);
    expectSurvivedFaults(r);
  });
});
