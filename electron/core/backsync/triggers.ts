import { CallError, type PostbackTrigger } from '../../../shared/contract';
import { msg, type Msg } from '../../../shared/messages/index';
import type { EngineContext } from '../context';
import { textOf } from '../i18n';
import { postbackUrl } from './intake';
import { POSTBACK_EVENTS, postbackTemplate } from './postback-format';
import { publicBaseUrl } from '../public-url';
import { postbackSecret, rotatePostbackSecret } from './settings';

export type TriggerSettings = PostbackTrigger;

/** What the triggers say (shared/messages, `triggers.*`). */
export const TRIGGER_MSG = {
  noPublicAddress: (): Msg => msg('triggers.noPublicAddress', { where: msg('where.setupStatusUpdates') }),
  packageOptional: (): Msg => msg('triggers.packageOptional'),
} as const;

const unavailable = (m: Msg) => new CallError('unavailable', textOf(m), undefined, m);

/**
 * The exact trigger settings to paste into GelatoConnect (customer profile → Triggers): one per
 * event Presslink follows, each posting JSON to this machine. The secret is the address's last
 * path segment (workflow triggers document no custom headers), or the X-Presslink-Secret header
 * when `statusUpdates.postbackAuth` is "header". Makes the secret on first use when none is configured.
 */
export function postbackTriggers(ctx: EngineContext): TriggerSettings[] {
  const base = publicBaseUrl(ctx);
  if (!base) throw unavailable(TRIGGER_MSG.noPublicAddress());
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
      note: optional ? textOf(TRIGGER_MSG.packageOptional()) : null,
      noteMsg: optional ? TRIGGER_MSG.packageOptional() : null,
      // "Test this trigger": when GelatoConnect last posted this event here (null: not yet).
      lastReceivedAt: arrived.get(e.key) ?? null,
    };
  });
}

/** A new secret, and the triggers to paste again (the old address stops working at once). */
export function rotateTriggers(ctx: EngineContext): TriggerSettings[] {
  if (!publicBaseUrl(ctx)) throw unavailable(TRIGGER_MSG.noPublicAddress());
  rotatePostbackSecret(ctx);
  ctx.log.info('postback secret replaced; the GelatoConnect triggers must be pasted again');
  return postbackTriggers(ctx);
}
