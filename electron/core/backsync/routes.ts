import type { FastifyInstance } from 'fastify';
import type { EngineContext } from '../engine';
import { quoteRoute } from '../shipping/route';
import { postbackRoute } from './intake';

/** Inbound routes of back-sync and checkout shipping (postbacks, shipping quotes). */
export function backsyncRoutes(ctx: EngineContext): ((app: FastifyInstance) => void)[] {
  return [postbackRoute(ctx), quoteRoute(ctx)];
}
