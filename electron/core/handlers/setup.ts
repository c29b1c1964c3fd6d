import { isSecretReference } from '../../../shared/config';
import { CallError } from '../../../shared/contract';
import { msg } from '../../../shared/messages/index';
import { checkGelato, checkInfigo, useSandbox } from '../checks/index';
import type { EngineContext, HandlersOf } from '../context';
import { textOf } from '../i18n';

// setup.*: the wizard's progress and its connection checks, and "Try with the sandbox".

const PROGRESS_KEY = 'setup';
type Progress = { step: number; completed: number[] };

/**
 * The wizard checks a saved connection without the person typing the secret
 * again: it sends the reference it was shown. A reference is resolved only
 * together with the address it was saved for, so the check cannot be used to
 * send a stored secret to some other host.
 */
function resolveSaved(ctx: EngineContext, ref: string, matches: (cfg: ReturnType<EngineContext['config']['get']>) => boolean): string {
  if (!isSecretReference(ref)) return ref;
  if (!matches(ctx.config.get())) {
    const m = msg('setup.addressChanged');
    throw new CallError('invalid_input', textOf(m), undefined, m);
  }
  return ctx.config.resolveSecret(ref);
}

const sameUrl = (a: string, b: string) => a.trim().replace(/\/+$/, '').toLowerCase() === b.trim().replace(/\/+$/, '').toLowerCase();

export const setupHandlers = {
  'setup.progress': (ctx) => ctx.repos.settings.get<Progress>(PROGRESS_KEY) ?? { step: 1, completed: [] },
  'setup.saveProgress': (ctx, input) => {
    const prev = ctx.repos.settings.get<Progress>(PROGRESS_KEY) ?? { step: 1, completed: [] };
    const next = { step: input.step, completed: input.completed ?? prev.completed };
    ctx.repos.settings.set(PROGRESS_KEY, next);
    return next;
  },
  'setup.checkInfigo': (ctx, input) =>
    checkInfigo({
      ...input,
      apiToken: resolveSaved(ctx, input.apiToken, (cfg) => cfg.stores.some((s) => s.infigo.apiToken === input.apiToken && sameUrl(s.infigo.baseUrl, input.baseUrl))),
    }),
  'setup.checkGelato': (ctx, input) =>
    checkGelato({
      ...input,
      apiKey: resolveSaved(
        ctx,
        input.apiKey,
        (cfg) => !!cfg.gelato && cfg.gelato.apiKey === input.apiKey && Object.entries(cfg.gelato.endpoints).every(([k, v]) => v === undefined || sameUrl(v, input.endpoints[k] ?? '')),
      ),
    }),
  'setup.useSandbox': (ctx, input) => useSandbox(ctx, input),
} satisfies HandlersOf<'setup'>;
