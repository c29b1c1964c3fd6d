import type { HandlerMap } from '../context';
import { checklistHandlers } from './checklist';
import { configHandlers } from './config';
import { diagnosticsHandlers } from './diagnostics';
import { doctorHandlers } from './doctor';
import { engineHandlers } from './engine';
import { mappingHandlers } from './mappings';
import { orderHandlers } from './orders';
import { postbacksHandlers } from './postbacks';
import { setupHandlers } from './setup';
import { shippingHandlers } from './shipping';
import { statsHandlers } from './stats';
import { statusWriterHandlers } from './status-writer';
import { syncHandlers } from './sync';

// One module per namespace of the contract, combined into one map that the
// compiler checks has exactly one handler for every call: a call added to
// shared/contract.ts without a handler, or a handler removed, fails
// `npm run typecheck` here (and in its namespace module).

export const handlers = {
  ...engineHandlers,
  ...syncHandlers,
  ...orderHandlers,
  ...configHandlers,
  ...setupHandlers,
  ...mappingHandlers,
  ...checklistHandlers,
  ...doctorHandlers,
  ...shippingHandlers,
  ...statusWriterHandlers,
  ...postbacksHandlers,
  ...diagnosticsHandlers,
  ...statsHandlers,
} satisfies HandlerMap;
