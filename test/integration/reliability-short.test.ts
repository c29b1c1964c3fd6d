import { describe, expect, it } from 'vitest';
import { expectBadInputHandled } from '../reliability/bad-input-assert';
import { badInputRun, cancelMidFlightRun } from '../reliability/bad-input-run';
import { crashRun } from '../reliability/crash-run';
import { expectSurvivedFaults } from '../reliability/faults-assert';
import { faultsRun } from '../reliability/faults-run';
import { expectSecure } from '../reliability/security-assert';
import { securityRun } from '../reliability/security-run';

// Short versions of the reliability suites (test/reliability, `npm run test:reliability`)
// so `npm test` catches a regression in minutes: same checks, fewer orders and kills.
describe('reliability, short', () => {
  it('crash safety: 60 orders, 5 SIGKILLs', async () => {
    // Each kill is aimed at a point of the engine's own progress (see crash-run.ts), so it
    // interrupts real work however fast or slow the machine is: all 5 must.
    // A life or the final run that hangs fails with what it was doing, inside the test timeout.
    const r = await crashRun({ orders: 60, kills: 5, lifeTimeoutMs: 20_000, finalTimeoutMs: 60_000 });
    expect(r.report.integrity).toBe('ok');
    expect(r.report.duplicates).toEqual([]);
    expect(r.report.missing).toEqual([]);
    expect(r.report.unexpected).toEqual([]);
    expect(r.report.stuck).toEqual([]);
    expect(r.report.submittedNotInGelato).toEqual([]);
    expect(r.report.fileProblems).toEqual([]);
    expect(r.report.eligible.length).toBeGreaterThan(30);
    expect(r.kills.filter((k) => k.stalled)).toEqual([]);
    expect(r.killedLives).toBe(5);
    expect(r.killsMidWork).toBe(5);
  });

  it('faults: 40 orders under the issue fault mix', async () => {
    expectSurvivedFaults(await faultsRun({ orders: 40, maxCycles: 20 }));
  });

  it('bad input: every fixture, beside good orders', async () => {
    expectBadInputHandled(await badInputRun());
  });

  it('bad input: an order cancelled in Infigo mid-flight ends cancelled', async () => {
    const r = await cancelMidFlightRun();
    expect(r.state).toBe('canceled');
    expect(r.gelatoStatus === null || r.gelatoStatus === 'canceled').toBe(true);
    expect(r.timeline.join('\n')).toMatch(/cancel+ed in Infigo/i);
    expect(r.goodState).toBe('submitted');
  });

  it('security: 20 orders, secrets, endpoints, containment', async () => {
    expectSecure(await securityRun({ orders: 20 }));
  });
});
