import { CallError, type PostbackTrigger } from '../../../shared/contract';
import type { EngineContext } from '../context';
import { postbackUrl } from './intake';
import { POSTBACK_EVENTS, postbackTemplate } from './postback-format';
import { publicBaseUrl } from '../public-url';
import { postbackSecret, rotatePostbackSecret } from './settings';

export type TriggerSettings = PostbackTrigger;

export const TRIGGER_MSG = {
  noPublicAddress: () => 'Set the public address of this machine first (Settings → Server → public address): GelatoConnect must post to it.',
  packageOptional: () =>
    'Optional: "Package Status Updated" is documented in GelatoConnect\u2019s payload guide but may be missing from your trigger list. With it, every parcel\u2019s tracking arrives; without it, the order events bring the first parcel\u2019s and polling fills in the rest.',
} as const;

/**
 * The exact trigger settings to paste into GelatoConnect (customer profile → Triggers): one per
 * event Presslink follows, each posting JSON to this machine. The secret is the address's last
 * path segment (workflow triggers document no custom headers), or the X-Presslink-Secret header
 * when `statusUpdates.postbackAuth` is "header". Makes the secret on first use when none is configured.
 */
export function postbackTriggers(ctx: EngineContext): TriggerSettings[] {
  const base = publicBaseUrl(ctx);
  if (!base) throw new CallError('unavailable', TRIGGER_MSG.noPublicAddress());
  const secret = postbackSecret(ctx);
  const auth = ctx.config.get().statusUpdates.postbackAuth;
  const headers: Record<string, string> = auth === 'header' ? { 'X-Presslink-Secret': secret } : {};
  const arrived = ctx.repos.postbacks.lastByEvent();
  return POSTBACK_EVENTS.map((e) => {
    const optional = e.status === null;
    return {
      event: e.event,
      name: `Presslink – ${e.event}`,
      url: postbackUrl(base, secret, auth),
      method: 'POST',
      format: 'JSON',
      headers: { ...headers },
      template: postbackTemplate(e),
      optional,
      note: optional ? TRIGGER_MSG.packageOptional() : null,
      // "Test this trigger": when GelatoConnect last posted this event here (null: not yet).
      lastReceivedAt: arrived.get(e.key) ?? null,
    };
  });
}

/** A new secret, and the triggers to paste again (the old address stops working at once). */
export function rotateTriggers(ctx: EngineContext): TriggerSettings[] {
  if (!publicBaseUrl(ctx)) throw new CallError('unavailable', TRIGGER_MSG.noPublicAddress());
  rotatePostbackSecret(ctx);
  ctx.log.info('postback secret replaced; the GelatoConnect triggers must be pasted again');
  return postbackTriggers(ctx);
}
