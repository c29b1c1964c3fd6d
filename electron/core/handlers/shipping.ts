import type { HandlersOf } from '../context';
import { megaScriptConfig, megaScriptSource } from '../shipping/megascript';
import { shippingSelfTest } from '../shipping/self-test';

/** shipping.*: the checkout MegaScript to paste into Infigo, and its self-test. */
export const shippingHandlers = {
  'shipping.megascript': (ctx) => ({ source: megaScriptSource(), config: JSON.stringify(megaScriptConfig(ctx), null, 2) }),
  'shipping.selfTest': (ctx) => shippingSelfTest(ctx),
} satisfies HandlersOf<'shipping'>;
