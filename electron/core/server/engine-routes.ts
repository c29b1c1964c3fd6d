import type { FastifyInstance } from 'fastify';
import type { EngineContext } from '../engine';
import { fileRoute } from '../files/file-route';
import { fileSigningKey } from '../sync/connections';
import { backsyncRoutes } from '../backsync/routes';

/** The engine's routes for the outside world, each with its own authentication. */
export function engineRoutes(ctx: EngineContext): ((app: FastifyInstance) => void)[] {
  return [
    fileRoute({
      repo: () => ctx.repo,
      key: () => fileSigningKey(ctx),
      filesRoot: () => ctx.config.get().files.folder ?? ctx.files.files,
    }),
    ...backsyncRoutes(ctx),
  ];
}
