import type { Config } from '../../../shared/config';
import type { GelatoStatus } from '../../../shared/domain/gelato';
import type { EngineContext } from '../engine';
import { GENERATED_SECRETS, generatedSecret, type GeneratedSecretKey } from '../secrets/generated';

// Settings back-sync and checkout shipping derive from the configuration: the
// address the outside world uses, the shared secrets (made once when an engine first starts, when the
// shop has not set one), and the GelatoConnect → Infigo status mapping.

/** Secret-store keys for secrets Presslink makes itself (never written into config.json). */
export const GENERATED_SECRET_KEYS = {
  postback: GENERATED_SECRETS.postbackSecret,
  quoteToken: GENERATED_SECRETS.quoteToken,
} as const;

function generated(ctx: Pick<EngineContext, 'secrets'>, key: GeneratedSecretKey): string {
  // Made once at engine start (secrets/generated.ts), shared with every process on the data directory.
  return generatedSecret(ctx.secrets, key);
}

/** The secret GelatoConnect sends in X-Presslink-Secret: the configured one, else one made once. */
export function postbackSecret(ctx: Pick<EngineContext, 'secrets' | 'config'>): string {
  const ref = ctx.config.get().statusUpdates.postbackSecret;
  return ref ? ctx.config.resolveSecret(ref) : generated(ctx, GENERATED_SECRET_KEYS.postback);
}

/** The bearer token the checkout MegaScript sends: the configured one, else one made once. */
export function quoteToken(ctx: Pick<EngineContext, 'secrets' | 'config'>): string {
  const ref = ctx.config.get().shippingQuotes.token;
  return ref ? ctx.config.resolveSecret(ref) : generated(ctx, GENERATED_SECRET_KEYS.quoteToken);
}

/** Where GelatoConnect and the Infigo MegaScript reach this machine; null when nothing says so. */
export function publicBaseUrl(ctx: Pick<EngineContext, 'config' | 'opts'>): string | null {
  const cfg = ctx.config.get();
  const url = cfg.server.publicBaseUrl ?? (cfg.files.delivery?.kind === 'signed-url' ? cfg.files.delivery.publicBaseUrl : undefined) ?? ctx.opts.serverBaseUrl;
  return url ? url.replace(/\/+$/, '') : null;
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
