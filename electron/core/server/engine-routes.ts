import type { FastifyInstance } from 'fastify';
import { postbackRoute } from '../backsync/intake';
import { probeRoute } from '../checks/probe-route';
import { fileSigningKey } from '../connections';
import type { EngineContext } from '../context';
import { fileRoute } from '../files/file-route';
import { quoteRoute } from '../shipping/route';
import { hostOfUrl } from './guard';

/** The engine's routes for the outside world, each with its own authentication: signed files, postbacks, shipping quotes, the public-address probe. */
export function engineRoutes(ctx: EngineContext): ((app: FastifyInstance) => void)[] {
  return [
    fileRoute({
      repo: () => ctx.repo,
      key: () => fileSigningKey(ctx),
      filesRoot: () => ctx.config.get().files.folder ?? ctx.files.files,
    }),
    postbackRoute(ctx),
    quoteRoute(ctx),
    probeRoute(ctx.probes),
  ];
}

/** The hosts GelatoConnect and the Infigo checkout are told to use (server.publicBaseUrl, the signed-URL delivery's): the public routes answer there. */
export function publicHosts(ctx: EngineContext): string[] {
  const cfg = ctx.config.get();
  const urls = [cfg.server.publicBaseUrl, cfg.files.delivery?.kind === 'signed-url' ? cfg.files.delivery.publicBaseUrl : undefined];
  // A public address being tested (checks/setup-delivery.ts) is answered before it is saved.
  return [...urls.map(hostOfUrl).filter((h): h is string => !!h), ...ctx.probes.hosts()];
}
