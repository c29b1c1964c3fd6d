import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { CallError, EVENT_NAMES, isCallName, type CallErrorBody, type CallErrorCode } from '../../../shared/contract';
import type { Engine, Served } from '../engine-types';
import { ensureAccessToken } from './access-token';
import { OneTimeCodes, SESSION_SECONDS, apiKeyFor, loadServerSecret, mintSession, removeServerInfo, verifySession, writeServerInfo } from './credentials';
import { fetchSiteAllowed, hostAllowed, isLoopbackHost, originVerdict, type HostPolicy } from './guard';
import { secretEquals } from '../secrets/constant-time';
import { msg, type Msg } from '../../../shared/messages/index';
import { asMsg, errorWith, reasonOf, textOf } from '../i18n';

export interface ServerOptions {
  engine: Engine;
  host?: string;
  port?: number;
  /** Built renderer (dist/renderer); the UI is served from it when present. */
  rendererDir?: string;
  /** Where the hashed access token lives; required for a non-loopback bind. */
  tokenFile?: string;
  resetToken?: boolean;
  /** The data directory's server secret (credentials.ts); without it the secret lives in memory for this run. */
  authFile?: string;
  /** Where this server says it listens, for `presslink open-link`; removed on close. */
  infoFile?: string;
  /** Extra Host names to answer (--allow-host), e.g. this machine's name on the LAN. */
  allowHosts?: readonly string[];
  /** Hosts of the configured public address(es), answered for the public routes (not /api). */
  publicHosts?: () => readonly string[];
  /** Told about requests that failed unexpectedly (500), for the log. */
  onError?: (err: unknown, where: string) => void;
  /** Further routes (postbacks, shipping quotes, signed files) with their own authentication. */
  plugins?: ((app: FastifyInstance) => Promise<void> | void)[];
}

/** The server once it listens: what `engine.serve()` hands its caller (engine-types.ts). */
export type RunningServer = Served;

type Fail = { ok: false; error: CallErrorBody };
const fail = (code: CallErrorCode, m: Msg): Fail => ({ ok: false, error: { code, message: textOf(m), msg: m } });

// What callers are told: messages (shared/messages, `server.*`), sent with their English text; the
// web UI shows its own sign-in page, a plain-text refusal is English.
const MSG = {
  host: (h: string, self: string) => msg('server.host', { host: h, self, name: h.replace(/:\d+$/, '') }),
  foreign: () => msg('server.foreign'),
  signIn: () => msg('server.signIn'),
  cookieNoOrigin: () => msg('server.cookieNoOrigin'),
  queryToken: () => msg('server.queryToken'),
  contentType: () => msg('server.contentType'),
  body: () => msg('server.body'),
  headerOnly: () => msg('server.headerOnly'),
  badCode: () => msg('server.badCode'),
  internal: () => msg('server.internal'),
  badRequest: () => msg('server.badRequest'),
  tooLarge: () => msg('server.tooLarge'),
  noSuchCall: (name: string) => msg('server.noSuchCall', { name }),
  noUi: () => msg('server.noUi'),
} as const;

const COOKIE_PREFIX = 'presslink_session_';

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

function queryParam(req: FastifyRequest, name: string): string | string[] | undefined {
  return (req.query as Record<string, string | string[] | undefined> | undefined)?.[name];
}

function isJson(req: FastifyRequest): boolean {
  const ct = req.headers['content-type'];
  return typeof ct === 'string' && ct.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * The headless face: the contract over HTTP (POST /api/call/:name) and events
 * over server-sent events (GET /api/events), plus the built UI. Every /api route
 * but /api/health needs a credential a foreign web page cannot have, on every
 * bind, loopback included (credentials.ts); the Host and Origin of every request
 * are checked first (guard.ts). docs/security.md, "The local API", lists each
 * defence and its test.
 */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 4780;
  // forceCloseConnections: SSE streams and keep-alive file fetches must not hold a shutdown open.
  const app = Fastify({ logger: false, bodyLimit: 20 * 1024 * 1024, forceCloseConnections: true });
  let verifyAccessToken: ((t: string | undefined) => boolean) | null = null;
  let createdToken: string | undefined;
  if (!isLoopbackHost(host)) {
    if (!opts.tokenFile) throw errorWith(msg('server.needTokenFile'));
    const t = ensureAccessToken(opts.tokenFile, opts.resetToken);
    verifyAccessToken = t.verify;
    createdToken = t.created;
  }
  const secret = loadServerSecret(opts.authFile);
  const apiKey = apiKeyFor(secret);
  const codes = new OneTimeCodes();
  const policy: HostPolicy = { allowHosts: opts.allowHosts ?? [], publicHosts: opts.publicHosts ?? (() => []) };
  // Known once listening (port 0 picks one); the cookie name carries it because cookies ignore ports.
  let cookieName = `${COOKIE_PREFIX}${port}`;
  let selfUrl = `http://127.0.0.1:${port}`;

  /** A credential only this machine's owner (or the access token's holder) can present in a header or the SSE query. */
  const tokenOk = (t: string | undefined): boolean => !!t && (secretEquals(t, apiKey) || (verifyAccessToken?.(t) ?? false));
  const sessionOk = (req: FastifyRequest) => verifySession(secret, cookieValue(req.headers.cookie, cookieName));
  const sessionCookie = (req: FastifyRequest) => {
    // Secure when the browser reached us over https (a TLS reverse proxy), so the cookie never travels in clear.
    const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
    return `${cookieName}=${mintSession(secret)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_SECONDS}${secure}`;
  };

  const refuse = (reply: FastifyReply, status: number, code: CallErrorCode, m: Msg) =>
    reply.code(status).header('cache-control', 'no-store').send(fail(code, m));

  // Every request: Host first, then for /api the origin, the credential and the body's type.
  app.addHook('onRequest', async (req, reply) => {
    const url = req.url;
    const pathOnly = url.split('?')[0]!;
    const isApi = pathOnly === '/api' || pathOnly.startsWith('/api/');
    const isHealth = pathOnly === '/api/health';
    if (!hostAllowed(req.headers.host, policy, isApi && !isHealth)) {
      const h = String(req.headers.host ?? '');
      if (isApi) return refuse(reply, 403, 'unauthorized', MSG.host(h, selfUrl));
      return reply.code(403).type('text/plain; charset=utf-8').send(textOf(MSG.host(h, selfUrl)));
    }

    if (!isApi) {
      // The one-time link: GET /?auth=<code> trades the code for the session cookie and
      // redirects to the clean address, so the code is neither kept nor sent as a Referer.
      if (req.method === 'GET' && pathOnly === '/' && queryParam(req, 'auth') !== undefined) {
        const code = queryParam(req, 'auth');
        reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
        if (typeof code === 'string' && codes.redeem(code)) return reply.header('set-cookie', sessionCookie(req)).redirect('/', 303);
        return reply.redirect(sessionOk(req) ? '/' : '/?signin=expired', 303);
      }
      return;
    }
    if (isHealth) return;

    const origin = originVerdict(req.headers.origin, req.headers.host);
    if (origin === 'foreign' || !fetchSiteAllowed(req.headers['sec-fetch-site'] as string | undefined)) return refuse(reply, 403, 'unauthorized', MSG.foreign());

    const isEvents = pathOnly === '/api/events' && req.method === 'GET';
    const query = queryParam(req, 'token');
    if (query !== undefined && !isEvents) return refuse(reply, 400, 'invalid_input', MSG.queryToken());

    if (req.method === 'POST' && !isJson(req)) return refuse(reply, 415, 'invalid_input', MSG.contentType());

    // The exchange itself needs no credential: the code in its body is one.
    if (pathOnly === '/api/auth/session') return;
    const headerToken = bearer(req);
    if (pathOnly === '/api/auth/link') {
      if (!secretEquals(headerToken, apiKey)) return refuse(reply, 401, 'unauthorized', MSG.headerOnly());
      return;
    }
    if (tokenOk(headerToken)) return;
    if (isEvents && typeof query === 'string' && tokenOk(query)) return;
    if (sessionOk(req)) {
      // A cookie rides along on any request the browser makes; on a POST the browser also
      // names the page that made it, and only our own page may use the cookie.
      if (req.method !== 'GET' && origin !== 'same') return refuse(reply, 403, 'unauthorized', MSG.cookieNoOrigin());
      return;
    }
    return refuse(reply, 401, 'unauthorized', MSG.signIn());
  });

  // Thrown errors (a malformed body, a bug) answer in plain words, never with Node's or fastify's internals.
  app.setErrorHandler((err: { statusCode?: number; message?: string }, req, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const isApi = req.url.startsWith('/api/');
    if (status >= 500) opts.onError?.(err, `${req.method} ${req.url.split('?')[0]}`);
    const m = status >= 500 ? MSG.internal() : status === 413 ? MSG.tooLarge() : isApi ? MSG.body() : MSG.badRequest();
    if (isApi) return reply.code(status).send(fail(status >= 500 ? 'failed' : 'invalid_input', m));
    return reply.code(status).send({ error: textOf(m), msg: m });
  });

  app.get('/api/health', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    // Liveness only: no version, no uptime, nothing about the shop.
    return { ok: true };
  });

  app.post('/api/auth/session', async (req, reply) => {
    const body = req.body as { code?: unknown } | null;
    const code = typeof body?.code === 'string' ? body.code.trim() : '';
    if (!codes.redeem(code) && !(verifyAccessToken?.(code) ?? false)) return refuse(reply, 401, 'unauthorized', MSG.badCode());
    reply.header('set-cookie', sessionCookie(req)).header('cache-control', 'no-store');
    return { ok: true, result: { signedIn: true } };
  });

  app.post('/api/auth/link', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { ok: true, result: { url: signInLink() } };
  });

  app.post<{ Params: { name: string } }>('/api/call/:name', async (req, reply) => {
    const { name } = req.params;
    if (!isCallName(name)) return refuse(reply, 404, 'not_found', MSG.noSuchCall(name));
    // Never a default: a call without a JSON object body is refused, not run with {}.
    if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) return refuse(reply, 400, 'invalid_input', MSG.body());
    try {
      const result = await opts.engine.call(name, req.body);
      return { ok: true, result };
    } catch (e) {
      const err = e instanceof CallError ? e : new CallError('failed', (e as Error).message, undefined, asMsg(reasonOf(e)));
      const code = { invalid_input: 400, not_found: 404, unavailable: 501, conflict: 409, unauthorized: 401, failed: 500 }[err.code];
      return reply.code(code).send({ ok: false, error: err.toBody() });
    }
  });

  app.get('/api/events', (req, reply) => {
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
  const hasUi = !!rendererDir && fs.existsSync(path.join(rendererDir, 'index.html'));
  if (hasUi) {
    await app.register(fastifyStatic, { root: rendererDir, prefix: '/', index: ['index.html'] });
  } else {
    app.get('/', async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send(textOf(MSG.noUi())),
    );
  }

  await app.listen({ host, port });
  const addr = app.server.address();
  const actualPort = typeof addr === 'object' && addr ? addr.port : port;
  cookieName = `${COOKIE_PREFIX}${actualPort}`;
  const urlHost = host.includes(':') ? (host === '::' ? '127.0.0.1' : `[${host}]`) : host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `http://${urlHost}:${actualPort}`;
  selfUrl = url;
  function signInLink(): string {
    return `${url}/?auth=${codes.mint()}`;
  }
  if (opts.infoFile) writeServerInfo(opts.infoFile, { url, pid: process.pid, ui: hasUi, startedAt: new Date().toISOString() });
  let closing: Promise<void> | null = null;
  return {
    app,
    url,
    host,
    port: actualPort,
    createdToken,
    apiKey,
    signInLink,
    // Idempotent: the engine's stop closes the server it started, and so may its shell.
    close: () =>
      (closing ??= (async () => {
        if (opts.infoFile) removeServerInfo(opts.infoFile);
        await app.close();
      })()),
  };
}
