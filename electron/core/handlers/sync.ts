import type { HandlersOf } from '../context';
import { isActivated } from '../golive/activation';
import { GOLIVE_MSG } from '../golive/messages';

/** sync.*: run a cycle now, pause and resume the schedule. */
export const syncHandlers = {
  'sync.now': async (ctx) => {
    if (!ctx.config.isConfigured()) {
      return { started: false, reason: 'Presslink is not set up yet: add a store and the GelatoConnect connection first.' };
    }
    if (!isActivated(ctx)) return { started: false, reason: GOLIVE_MSG.notActivated() };
    const r = await ctx.sync.now();
    return r.started ? { started: true, summary: r.summary } : { started: false, reason: 'A sync is already running; it was not started twice.' };
  },
  'sync.pause': (ctx) => {
    ctx.sync.pause();
    return ctx.status();
  },
  'sync.resume': (ctx) => {
    ctx.sync.resume();
    return ctx.status();
  },
} satisfies HandlersOf<'sync'>;
