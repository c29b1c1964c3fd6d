import type { FastifyInstance } from 'fastify';
import { postbackRoute } from '../backsync/intake';
import { probeRoute } from '../checks/probe-route';
import { fileSigningKey } from '../connections';
import type { EngineContext } from '../context';
import { fileRoute } from '../files/file-route';
import { quoteRoute } from '../shipping/route';

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
