import type { FastifyInstance } from 'fastify';
import type { EngineContext } from '../engine';

/** Inbound routes of back-sync and checkout shipping (postbacks, shipping quotes). */
export function backsyncRoutes(_ctx: EngineContext): ((app: FastifyInstance) => void)[] {
  return [];
}
