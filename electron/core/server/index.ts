import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { CallError, EVENT_NAMES, isCallName, type CallErrorBody } from '../../../shared/contract';
import type { Engine } from '../engine-types';
import { VERSION } from '../version';
import { ensureAccessToken, isLoopbackHost } from './access-token';

export interface ServerOptions {
  engine: Engine;
  host?: string;
  port?: number;
  /** Built renderer (dist/renderer); the UI is served from it when present. */
  rendererDir?: string;
  /** Where the hashed access token lives; required for a non-loopback bind. */
  tokenFile?: string;
  resetToken?: boolean;
  /** Further routes (postbacks, shipping quotes, signed files) with their own authentication. */
  plugins?: ((app: FastifyInstance) => Promise<void> | void)[];
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  host: string;
  port: number;
  /** Set only when a token was created for this start; print it once. */
  createdToken?: string;
  close(): Promise<void>;
}

/**
 * The headless face: the contract over HTTP (POST /api/call/:name) and events
 * over server-sent events (GET /api/events), plus the built UI. On a loopback
 * bind anyone on this machine may call it, as with the desktop window; on any
 * other address every contract call needs the access token.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 4780;
  // forceCloseConnections: SSE streams and keep-alive file fetches must not hold a shutdown open.
  const app = Fastify({ logger: false, bodyLimit: 20 * 1024 * 1024, forceCloseConnections: true });
  let verify: ((t: string | undefined) => boolean) | null = null;
  let createdToken: string | undefined;
  if (!isLoopbackHost(host)) {
    if (!opts.tokenFile) throw new Error('A non-loopback bind needs a token file.');
    const t = ensureAccessToken(opts.tokenFile, opts.resetToken);
    verify = t.verify;
    createdToken = t.created;
  }

  const authorised = (req: FastifyRequest): boolean => {
    if (!verify) return true;
    const h = req.headers.authorization;
    const bearer = h?.startsWith('Bearer ') ? h.slice(7) : undefined;
    const query = (req.query as Record<string, string | undefined>).token;
    return verify(bearer ?? query);
  };
  const unauthorised: { ok: false; error: CallErrorBody } = {
    ok: false,
    error: { code: 'unauthorized', message: 'This Presslink server needs its access token.' },
  };

  app.get('/api/health', async () => ({ ok: true, version: VERSION, uptimeSeconds: Math.round(process.uptime()) }));

  app.post<{ Params: { name: string } }>('/api/call/:name', async (req, reply) => {
    if (!authorised(req)) return reply.code(401).send(unauthorised);
    const { name } = req.params;
    if (!isCallName(name)) {
      return reply.code(404).send({ ok: false, error: { code: 'not_found', message: `There is no call named "${name}".` } });
    }
    try {
      const result = await opts.engine.call(name, req.body ?? {});
      return { ok: true, result };
    } catch (e) {
      const err = e instanceof CallError ? e : new CallError('failed', (e as Error).message);
      const code = { invalid_input: 400, not_found: 404, unavailable: 501, conflict: 409, unauthorized: 401, failed: 500 }[err.code];
      return reply.code(code).send({ ok: false, error: err.toBody() });
    }
  });

  app.get('/api/events', (req, reply) => {
    if (!authorised(req)) return reply.code(401).send(unauthorised);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('status', opts.engine.status());
    const offs = EVENT_NAMES.map((ev) => opts.engine.on(ev, (payload) => send(ev, payload)));
    // A comment line every 15 s keeps proxies from closing an idle stream.
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(ping);
      offs.forEach((off) => off());
    });
  });

  for (const plugin of opts.plugins ?? []) await plugin(app);

  const rendererDir = opts.rendererDir;
  if (rendererDir && fs.existsSync(path.join(rendererDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: rendererDir, prefix: '/', index: ['index.html'] });
  } else {
    app.get('/', async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('Presslink engine is running, but the UI has not been built. Run `npm run build` and start again.'),
    );
  }

  await app.listen({ host, port });
  const addr = app.server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closing: Promise<void> | null = null;
  return {
    app,
    url: `http://${urlHost}:${actualPort}`,
    host,
    port: actualPort,
    createdToken,
    // Idempotent: the engine's stop closes the server it started, and so may its shell.
    close: () => (closing ??= app.close()),
  };
}
