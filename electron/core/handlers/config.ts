import type { HandlerMap } from '../engine';

// Configuration backups for Settings: every save, import and restore keeps the
// configuration it replaced (config/store.ts, the last 10 in <data dir>/config-backups),
// so a wrong import is one click from undone. A restore goes through the same checks as
// a save; the engine applies it as it applies a configuration another process wrote.

export const configHandlers: HandlerMap = {
  'config.backups': (ctx) => ({ backups: ctx.config.backups() }),
  'config.restore': (ctx, { id }) => {
    const r = ctx.config.restore(id);
    return r.ok ? { ok: true, problems: [] } : { ok: false, problems: r.problems };
  },
};
