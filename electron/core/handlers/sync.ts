import { msg, type Msg } from '../../../shared/messages/index';
import type { HandlersOf } from '../context';
import { isActivated } from '../golive/activation';
import { GOLIVE_MSG } from '../golive/messages';
import { textOf } from '../i18n';

/** Why "sync now" did not start, in English and as a message. */
const notStarted = (m: Msg) => ({ started: false, reason: textOf(m), reasonMsg: m });

/** sync.*: run a cycle now, pause and resume the schedule. */
export const syncHandlers = {
  'sync.now': async (ctx) => {
    if (!ctx.config.isConfigured()) {
      return notStarted(msg('sync.notSetUp'));
    }
    if (!isActivated(ctx)) return notStarted(GOLIVE_MSG.notActivated());
    const r = await ctx.sync.now();
    return r.started ? { started: true, summary: r.summary } : notStarted(msg('sync.alreadyRunning'));
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
