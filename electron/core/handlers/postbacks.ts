import { postbackTriggers, rotateTriggers } from '../backsync/triggers';
import type { HandlersOf } from '../context';

/** postbacks.*: the GelatoConnect trigger settings to paste, and replacing their secret. */
export const postbacksHandlers = {
  'postbacks.triggers': (ctx) => postbackTriggers(ctx),
  'postbacks.rotateSecret': (ctx) => rotateTriggers(ctx),
} satisfies HandlersOf<'postbacks'>;
