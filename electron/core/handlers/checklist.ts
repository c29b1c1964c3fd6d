import type { CheckResult } from '../../../shared/contract';
import { placeTestOrders, runChecklist, waiveCheck } from '../checks/index';
import type { EngineContext, HandlersOf } from '../context';

// checklist.*: the test-order checklist, its waivers, and test orders in sandbox mode.
// Each run's results are kept, so the page shows them again after a reload or a restart
// (checklist.last) and only runs the checks when asked or when orders moved.

const LAST_KEY = 'checklist.lastRun';
type LastRun = { at: string; results: CheckResult[] };

function kept(ctx: EngineContext, results: CheckResult[]): CheckResult[] {
  ctx.repos.settings.set(LAST_KEY, { at: new Date().toISOString(), results } satisfies LastRun);
  return results;
}

export const checklistHandlers = {
  'checklist.run': async (ctx) => kept(ctx, await runChecklist(ctx)),
  'checklist.last': (ctx) => ctx.repos.settings.get<LastRun>(LAST_KEY) ?? { at: null, results: [] },
  'checklist.waive': async (ctx, input) => kept(ctx, await waiveCheck(ctx, input)),
  'checklist.placeTestOrders': (ctx) => placeTestOrders(ctx),
} satisfies HandlersOf<'checklist'>;
