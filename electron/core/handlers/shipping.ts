import type { HandlersOf } from '../context';
import { megaScriptConfig, megaScriptSource } from '../shipping/megascript';
import { checkGcl } from '../shipping/gcl-check';
import { shippingSelfTest } from '../shipping/self-test';

/** shipping.*: the checkout MegaScript to paste into Infigo, its self-test, and the GelatoConnect Logistics check. */
export const shippingHandlers = {
  'shipping.megascript': (ctx) => ({
    source: megaScriptSource(),
    config: JSON.stringify(megaScriptConfig(ctx), null, 2),
    perStore: ctx.config.get().stores.map((s) => ({ storeId: s.id, name: s.name, config: JSON.stringify(megaScriptConfig(ctx, s.id), null, 2) })),
  }),
  'shipping.selfTest': (ctx) => shippingSelfTest(ctx),
  'shipping.checkGcl': (ctx) => checkGcl(ctx),
} satisfies HandlersOf<'shipping'>;
