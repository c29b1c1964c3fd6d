import { CallError, type CallOutputs } from '../../../shared/contract';
import type { EngineContext } from '../context';
import { POSTBACK_PATH } from './intake';
import { POSTBACK_EVENTS, postbackTemplate } from './postback-format';
import { publicBaseUrl } from '../public-url';
import { postbackSecret } from './settings';

export type TriggerSettings = CallOutputs['postbacks.triggers'][number];

/**
 * The exact trigger settings to paste into GelatoConnect (customer profile → Triggers):
 * one per event Presslink follows, each posting JSON to this machine's /hooks/gelato with
 * the shared secret in a header. Makes the secret on first use when none is configured.
 */
export function postbackTriggers(ctx: EngineContext): TriggerSettings[] {
  const base = publicBaseUrl(ctx);
  if (!base) throw new CallError('unavailable', 'Set the public address of this machine first (Settings → Server → public address): GelatoConnect must post to it.');
  const secret = postbackSecret(ctx);
  return POSTBACK_EVENTS.map((e) => ({
    event: e.event,
    name: `Presslink – ${e.event}`,
    url: `${base}${POSTBACK_PATH}`,
    method: 'POST',
    format: 'JSON',
    headers: { 'X-Presslink-Secret': secret },
    template: postbackTemplate(e),
  }));
}
