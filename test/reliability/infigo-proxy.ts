// A tiny storefront in front of the Infigo sandbox that passes every request through
// except the ones a test rewrites: what the sandbox itself will not produce (broken
// JSON, wrong types, a job listed twice, a line whose data names another host).
import { Readable } from 'node:stream';
import Fastify from 'fastify';

export type Rewrite =
  /** Replace the JSON answer with this raw text. */
  | { kind: 'raw'; text: string; status?: number }
  /** Deep-merge into the JSON answer (null deletes nothing: it sets null). */
  | { kind: 'patch'; patch: unknown }
  /** Answer with this status and an Infigo-style error envelope. */
  | { kind: 'status'; status: number };

export interface InfigoProxy {
  url: string;
  /** Rewrites keyed by "detail:<orderId>", "line:<jobId>" or "list". */
  rewrites: Map<string, Rewrite>;
  /** Extra ids appended to Order/List (duplicates allowed). */
  extraListIds: number[];
  close(): Promise<void>;
}

export function deepMerge(base: unknown, patch: unknown): unknown {
  if (Array.isArray(patch) || patch === null || typeof patch !== 'object') return patch;
  if (base === null || typeof base !== 'object' || Array.isArray(base)) return patch;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) out[k] = deepMerge(out[k], v);
  return out;
}

export async function startInfigoProxy(target: string): Promise<InfigoProxy> {
  const rewrites = new Map<string, Rewrite>();
  const extraListIds: number[] = [];
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.all('/*', async (req, reply) => {
    const url = new URL(req.url, 'http://x');
    const p = url.pathname.toLowerCase();
    let key: string | null = null;
    let m: RegExpExecArray | null;
    if ((m = /\/order\/detail\/(\d+)$/.exec(p))) key = `detail:${m[1]}`;
    else if (/\/orderlineitem\/get$/.test(p)) key = `line:${url.searchParams.get('id') ?? ''}`;
    else if ((m = /\/orderlineitem\/get\/([^/]+)$/.exec(p))) key = `line:${decodeURIComponent(m[1]!)}`;
    else if (/\/order\/list$/.test(p)) key = 'list';
    const rw = key ? rewrites.get(key) : undefined;
    if (rw?.kind === 'status') return reply.code(rw.status).send({ Success: false, Message: `simulated ${rw.status}` });
    if (rw?.kind === 'raw') return reply.code(rw.status ?? 200).type('application/json; charset=utf-8').send(rw.text);

    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
    const res = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body ? new Uint8Array(req.body as Buffer) : undefined,
    });
    reply.code(res.status);
    res.headers.forEach((v, k) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(k)) reply.header(k, v);
    });
    if (key === 'list' && extraListIds.length && res.ok) {
      const data = (await res.json()) as unknown;
      if (Array.isArray(data)) return reply.send([...data, ...extraListIds]);
      return reply.send(data);
    }
    if (rw?.kind === 'patch' && res.ok) {
      const data = (await res.json()) as unknown;
      return reply.send(deepMerge(data, rw.patch));
    }
    const len = res.headers.get('content-length');
    if (len) reply.header('content-length', len);
    if (!res.body || req.method === 'HEAD') return reply.send();
    return reply.send(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream));
  });

  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: address.replace('://localhost', '://127.0.0.1'), rewrites, extraListIds, close: () => app.close() };
}
