import { postbackTriggers } from '../backsync/triggers';
import type { HandlersOf } from '../context';

/** postbacks.*: the GelatoConnect trigger settings to paste. */
export const postbacksHandlers = {
  'postbacks.triggers': (ctx) => postbackTriggers(ctx),
} satisfies HandlersOf<'postbacks'>;
