import type { StoreConfig } from '../../../shared/config';
import type { EngineContext } from '../context';
import { registerSecret } from '../log';
import type { StatusWriterConfig } from '../infigo/status-writer';
import { generatedSecret, statusScriptTokenKey } from '../secrets/generated';

// The status writer of a store as the engine uses it: the configured one, with its token
// resolved. The MegaScript token is the configured one, else one made once per store and kept
// in the secret store (never in config.json), registered so that logs scrub it.

/** The token the status MegaScript expects from Presslink, for one store. */
export function statusScriptToken(ctx: Pick<EngineContext, 'secrets' | 'config'>, store: StoreConfig): string {
  const w = store.infigo.statusWriter;
  const token = w.kind === 'megascript' && w.token ? ctx.config.resolveSecret(w.token) : generatedSecret(ctx.secrets, statusScriptTokenKey(store.id));
  registerSecret(token);
  return token;
}

export function statusWriterConfig(ctx: Pick<EngineContext, 'secrets' | 'config'>, store: StoreConfig): StatusWriterConfig {
  const w = store.infigo.statusWriter;
  if (w.kind === 'megascript') return { kind: 'megascript', url: w.url, token: statusScriptToken(ctx, store) };
  if (w.kind === 'rest') return { kind: 'rest', pathTemplate: w.pathTemplate, method: w.method, fieldNames: w.fieldNames };
  return { kind: 'none' };
}
