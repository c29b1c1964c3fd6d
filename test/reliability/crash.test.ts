import { describe, expect, it } from 'vitest';
import { crashRun } from './crash-run';

// 500 orders with print files; the engine process is SIGKILLed at 30 seeded random
// moments and restarted each time. Repeat a failing run with RELIABILITY_SEED=<seed>.
describe('crash safety (500 orders, 30 kills)', () => {
  it('ends with every eligible order in GelatoConnect exactly once, files intact, nothing stuck', async () => {
    // Kills 0–1.5 s after ready and 200 KB files keep most kills inside real work even on an idle machine.
    const r = await crashRun({ orders: 500, kills: 30, minMs: 0, maxMs: 1500, pdfBytes: 200_000 });
    expect(r.killsMidWork).toBeGreaterThanOrEqual(20);
    expect(r.report.integrity).toBe('ok');
    expect(r.report.duplicates).toEqual([]);
    expect(r.report.missing).toEqual([]);
    expect(r.report.unexpected).toEqual([]);
    expect(r.report.stuck).toEqual([]);
    expect(r.report.submittedNotInGelato).toEqual([]);
    expect(r.report.fileProblems).toEqual([]);
    expect(r.report.maxSubmitCount).toBeLessThanOrEqual(2);
    expect(r.report.eligible.length).toBeGreaterThan(350);
    expect(r.report.filesChecked).toBeGreaterThan(r.report.eligible.length);
  });
});
