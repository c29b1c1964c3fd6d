import { placeTestOrders, runChecklist, waiveCheck } from '../checks/index';
import type { HandlersOf } from '../context';

/** checklist.*: the test-order checklist, its waivers, and test orders in sandbox mode. */
export const checklistHandlers = {
  'checklist.run': (ctx) => runChecklist(ctx),
  'checklist.waive': (ctx, input) => waiveCheck(ctx, input),
  'checklist.placeTestOrders': (ctx) => placeTestOrders(ctx),
} satisfies HandlersOf<'checklist'>;
