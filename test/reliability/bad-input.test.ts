import { describe, expect, it } from 'vitest';
import { expectBadInputHandled } from './bad-input-assert';
import { badInputRun, cancelMidFlightRun } from './bad-input-run';

// Every fixture in test/fixtures/bad-input in one sync run beside two good orders.
describe('bad input corpus', () => {
  it('ends each bad order in its specific state with a readable reason, and submits the good ones', async () => {
    expectBadInputHandled(await badInputRun());
  });

  it('an order cancelled in Infigo mid-flight ends cancelled, in GelatoConnect too', async () => {
    const r = await cancelMidFlightRun();
    expect(r.state).toBe('canceled');
    expect(r.gelatoStatus === null || r.gelatoStatus === 'canceled').toBe(true);
    expect(r.timeline.join('\n')).toMatch(/cancel+ed in Infigo/i);
    expect(r.goodState).toBe('submitted');
  });
});
