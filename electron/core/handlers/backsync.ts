import type { HandlerMap } from '../engine';
import { postbackTriggers } from '../backsync/triggers';
import { megaScriptConfig, megaScriptSource } from '../shipping/megascript';
import { shippingSelfTest } from '../shipping/self-test';

/** Contract calls for status updates and checkout shipping (postbacks.*, shipping.*). */
export const backsyncHandlers: HandlerMap = {
  'postbacks.triggers': (ctx) => postbackTriggers(ctx),
  'shipping.megascript': (ctx) => ({ source: megaScriptSource(), config: JSON.stringify(megaScriptConfig(ctx), null, 2) }),
  'shipping.selfTest': (ctx) => shippingSelfTest(ctx),
};
