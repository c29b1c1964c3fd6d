import { CallError, type CallOutputs } from '../../../shared/contract';
import { isMsg } from '../../../shared/messages/index';
import type { EngineContext, HandlersOf } from '../context';
import type { ConfigStore } from '../config/store';
import { reasonOf } from '../i18n';

// config.*: read, check, save, export and import the configuration, and its
// backups: every save, import and restore keeps the configuration it replaced
// (config/store.ts, the last 10 in <data dir>/config-backups), so a wrong import
// is one click from undone. A restore goes through the same checks as a save.

/** A saved or imported configuration takes effect at once: stores, schedule, poller, status. */
function applied(ctx: EngineContext, r: ReturnType<ConfigStore['save']>): CallOutputs['config.save'] {
  if (!r.ok) return { ok: false, problems: r.problems };
  ctx.configChanged();
  return { ok: true, problems: [] };
}

export const configHandlers = {
  'config.get': (ctx) => ({ config: ctx.config.get(), configured: ctx.config.isConfigured() }),
  'config.validate': (ctx, { config }) => ctx.config.validate(config),
  'config.save': (ctx, { config }) => applied(ctx, ctx.config.save(config)),
  'config.export': (ctx, input) => {
    try {
      return { json: ctx.config.export(input) };
    } catch (e) {
      const said = reasonOf(e);
      throw new CallError('failed', (e as Error).message, undefined, isMsg(said) ? said : undefined);
    }
  },
  'config.import': (ctx, { json, passphrase, acceptFormat1 }) => applied(ctx, ctx.config.import(json, passphrase, { acceptFormat1 })),
  'config.backups': (ctx) => ({ backups: ctx.config.backups() }),
  'config.restore': (ctx, { id }) => applied(ctx, ctx.config.restore(id)),
} satisfies HandlersOf<'config'>;
