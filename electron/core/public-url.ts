import type { EngineContext } from './context';

// Where GelatoConnect (file links, postbacks) and the Infigo checkout MegaScript
// reach this machine: the configured public address, else the signed-URL
// delivery's, else the address this engine's own server listens at.

/** The public base URL without a trailing slash; null when nothing says so. */
export function publicBaseUrl(ctx: Pick<EngineContext, 'config' | 'serverUrl'>): string | null {
  const cfg = ctx.config.get();
  const url = cfg.server.publicBaseUrl ?? (cfg.files.delivery?.kind === 'signed-url' ? cfg.files.delivery.publicBaseUrl : undefined) ?? ctx.serverUrl();
  return url ? url.replace(/\/+$/, '') : null;
}
