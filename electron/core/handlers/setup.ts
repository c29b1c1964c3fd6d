import { isSecretReference } from '../../../shared/config';
import { CallError } from '../../../shared/contract';
import { msg } from '../../../shared/messages/index';
import { checkGelato, checkInfigo, runningSandbox, useSandbox } from '../checks/index';
import { checkBucket, checkPublicAddress } from '../checks/setup-delivery';
import { publicBaseUrl as publicAddress } from '../public-url';
import type { EngineContext, HandlersOf } from '../context';
import { activate } from '../golive/activation';
import { textOf } from '../i18n';
import { checkStatusWriter } from '../status-writer/check';

// setup.*: the wizard's progress and its connection checks, "Try with the sandbox", and the
// Activate step (going live: golive/activation.ts).

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

/**
 * The S3 keys shown as saved references are resolved only for the bucket they were saved for
 * (same endpoint and bucket), as resolveSaved does for the connections: a check cannot send a
 * stored key to some other host.
 */
function savedS3Secrets(ctx: EngineContext, s3: unknown): unknown {
  const d = s3 as { endpoint?: string; bucket?: string; accessKeyId?: unknown; secretAccessKey?: unknown } | null;
  if (!d || typeof d !== 'object') return s3;
  const refs = [d.accessKeyId, d.secretAccessKey].some((v) => typeof v === 'string' && isSecretReference(v));
  if (!refs) return s3;
  const saved = ctx.config.get().files.delivery;
  const same = saved?.kind === 's3' && saved.bucket === d.bucket && sameUrl(saved.endpoint ?? '', d.endpoint ?? '') && saved.accessKeyId === d.accessKeyId && saved.secretAccessKey === d.secretAccessKey;
  if (!same) {
    const m = msg('setup.bucketChanged');
    throw new CallError('invalid_input', textOf(m), undefined, m);
  }
  return s3;
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
  'setup.checkDelivery': async (ctx, { publicBaseUrl, s3 }) => {
    const out = [];
    if (s3 !== undefined) out.push(...(await checkBucket(ctx, savedS3Secrets(ctx, s3))));
    const address = publicBaseUrl ?? (s3 === undefined ? publicAddress(ctx) : null);
    if (address) out.push(...(await checkPublicAddress(ctx, address, { sandbox: !!runningSandbox(ctx) })));
    if (!out.length) {
      const m = msg('setup.noAddressToTest');
      throw new CallError('invalid_input', textOf(m), undefined, m);
    }
    return out;
  },
  'setup.useSandbox': (ctx, input) => useSandbox(ctx, input),
  'setup.activate': (ctx) => activate(ctx, { by: 'admin', cutover: 'newest' }),
  'setup.checkStatusWriter': (ctx, input) => checkStatusWriter(ctx, input),
} satisfies HandlersOf<'setup'>;
