import type { Config } from '../../../shared/config';
import type { GelatoStatus } from '../../../shared/domain/gelato';
import type { EngineContext } from '../context';
import { GENERATED_SECRETS, generatedSecret } from '../secrets/generated';

// Settings back-sync derives from the configuration: the postback secret (made
// once when the shop has not set one) and the GelatoConnect → Infigo status mapping.

/** The secret GelatoConnect sends in X-Presslink-Secret: the configured one, else one made once. */
export function postbackSecret(ctx: Pick<EngineContext, 'secrets' | 'config'>): string {
  const ref = ctx.config.get().statusUpdates.postbackSecret;
  return ref ? ctx.config.resolveSecret(ref) : generatedSecret(ctx.secrets, GENERATED_SECRETS.postbackSecret);
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
