import type { Config } from '../../../shared/config';
import { CallError } from '../../../shared/contract';
import { msg } from '../../../shared/messages/index';
import { textOf } from '../i18n';
import { registerSecret } from '../log';
import type { GelatoStatus } from '../../../shared/domain/gelato';
import type { EngineContext } from '../context';
import { GENERATED_SECRETS, generatedSecret } from '../secrets/generated';

// Settings back-sync derives from the configuration: the postback secret (made
// once when the shop has not set one, rotatable), the status channel in effect, and the
// GelatoConnect → Infigo status mapping.

/**
 * The postback secret: the path segment of the postback address (default) or the
 * X-Presslink-Secret header. The configured one, else one made once per install. Registered
 * with the log scrubber, since it travels in a URL.
 */
export function postbackSecret(ctx: Pick<EngineContext, 'secrets' | 'config'>): string {
  const ref = ctx.config.get().statusUpdates.postbackSecret;
  const secret = ref ? ctx.config.resolveSecret(ref) : generatedSecret(ctx.secrets, GENERATED_SECRETS.postbackSecret);
  registerSecret(secret);
  return secret;
}

const secretFromConfig = () => msg('triggers.secretFromConfig');
export const POSTBACK_SECRET_FROM_CONFIG = textOf(secretFromConfig());

/** Replaces the generated postback secret; postbacks with the old one are refused from now on. */
export function rotatePostbackSecret(ctx: Pick<EngineContext, 'secrets' | 'config'>): string {
  if (ctx.config.get().statusUpdates.postbackSecret) throw new CallError('conflict', POSTBACK_SECRET_FROM_CONFIG, undefined, secretFromConfig());
  ctx.secrets.delete(GENERATED_SECRETS.postbackSecret);
  return postbackSecret(ctx);
}

/**
 * The status channel in effect. Postbacks are trusted only once one has arrived (the admin has
 * seen a trigger reach Presslink): until then polling goes on, so no status is lost to a trigger
 * that was never set up or cannot reach this machine.
 */
export function effectiveStatusMode(ctx: Pick<EngineContext, 'config' | 'repos'>): 'postback' | 'polling' {
  return ctx.config.get().statusUpdates.mode === 'postback' && ctx.repos.postbacks.lastWithReferenceAt() !== null ? 'postback' : 'polling';
}

export type InfigoTarget = { orderStatus?: string; shippingStatus?: string; hold?: boolean };

/** The defaults; `statusUpdates.mapping` overrides them status by status. */
export const DEFAULT_STATUS_MAPPING: Record<GelatoStatus, InfigoTarget> = {
  draft: {},
  received: {},
  passed: {},
  created: {},
  in_production: { orderStatus: 'Processing' },
  printed: { orderStatus: 'Processing' },
  packaged: { orderStatus: 'Processing' },
  shipped: { shippingStatus: 'Shipped' },
  in_transit: { shippingStatus: 'Shipped' },
  delivered: { shippingStatus: 'Delivered', orderStatus: 'Complete' },
  // A return is a conversation with the customer, not a status Infigo has.
  returned: {},
  // A failed order is held for a person: it can be fixed and submitted again, so it is
  // never pushed to Infigo as cancelled.
  failed: { hold: true },
  canceled: { orderStatus: 'Cancelled' },
};

export function infigoTarget(cfg: Config, status: GelatoStatus): InfigoTarget {
  const custom = (cfg.statusUpdates.mapping as Partial<Record<string, InfigoTarget>> | undefined)?.[status];
  return custom ?? DEFAULT_STATUS_MAPPING[status];
}

/** Does this target change anything in Infigo? */
export function pushes(t: InfigoTarget): boolean {
  return !t.hold && (!!t.orderStatus || !!t.shippingStatus);
}
