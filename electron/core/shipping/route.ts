import type { FastifyInstance } from 'fastify';
import type { EngineContext } from '../context';
import { QuoteService } from './quote';

export const QUOTE_PATH = '/shipping/quote';

/** POST /shipping/quote: the endpoint the checkout MegaScript calls (Authorization: Bearer). */
export function quoteRoute(ctx: EngineContext) {
  const service = new QuoteService(ctx);
  return (app: FastifyInstance) => {
    void app.register(async (child) => {
      child.removeAllContentTypeParsers();
      child.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 512 * 1024 }, (_req, body, done) => done(null, body));
      child.post(QUOTE_PATH, async (req, reply) => {
        const auth = req.headers.authorization;
        if (!service.authorised(Array.isArray(auth) ? auth[0] : auth)) {
          return reply.code(401).send({ shippingOptions: [], errors: ['Missing or wrong token: send "Authorization: Bearer <token>" with the token Presslink shows for the MegaScript.'] });
        }
        let body: unknown;
        try {
          body = JSON.parse(typeof req.body === 'string' ? req.body : '');
        } catch (e) {
          return reply.code(400).send({ shippingOptions: [], errors: [`The request body is not valid JSON (${(e as Error).message}).`] });
        }
        const a = await service.quote(body);
        return reply.code(a.status).header('x-presslink-quote-source', a.source ?? 'none').send(a.body);
      });
    });
  };
}
