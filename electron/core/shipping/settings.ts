import type { EngineContext } from '../context';
import { GENERATED_SECRETS, generatedSecret } from '../secrets/generated';

// Checkout shipping's own setting derived from the configuration: the bearer
// token the MegaScript sends to the quote endpoint.

/** The bearer token the checkout MegaScript sends: the configured one, else one made once. */
export function quoteToken(ctx: Pick<EngineContext, 'secrets' | 'config'>): string {
  const ref = ctx.config.get().shippingQuotes.token;
  return ref ? ctx.config.resolveSecret(ref) : generatedSecret(ctx.secrets, GENERATED_SECRETS.quoteToken);
}
