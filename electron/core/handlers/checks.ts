import type { HandlerMap } from '../engine';
import { checkGelato, checkInfigo, placeTestOrders, runChecklist, runDoctor, useSandbox, waiveCheck } from '../checks/index';

/** Contract calls for setup checks, the test-order checklist and troubleshooting (setup.check*, checklist.*, doctor.run). */
export const checkHandlers: HandlerMap = {
  'setup.checkInfigo': (_ctx, input) => checkInfigo(input),
  'setup.checkGelato': (_ctx, input) => checkGelato(input),
  'setup.useSandbox': (ctx, input) => useSandbox(ctx, input),
  'checklist.run': (ctx) => runChecklist(ctx),
  'checklist.waive': (ctx, input) => waiveCheck(ctx, input),
  'checklist.placeTestOrders': (ctx) => placeTestOrders(ctx),
  'doctor.run': (ctx) => runDoctor(ctx),
};
