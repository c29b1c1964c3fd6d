// Streaming requests (print-file downloads) over node:http/https instead of fetch().
//
// fetch() hands a body over as a WHATWG stream; reading a gigabyte through it costs far more
// CPU per byte than Node's own streams, and on a busy two-core machine that CPU is taken
// from everything else (measured in docs/performance.md: the same 4 × 200 MB took 1.7 s with
// fetch and 1.1 s with node:http, discarding the bytes). The HttpClient keeps one request path
// (redirects, retries, timeouts, typed errors) by treating this as another `FetchLike`: the
// object it resolves with offers exactly the parts of `Response` the client reads, plus the
// body as a Node stream for `nodeBody()`.
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { FetchLike } from './fetch-like';

const NODE_BODY = Symbol('presslink.nodeBody');

// Downloads of one store go to one host; keeping connections open saves a handshake per file.
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

type NodeResponse = Pick<Response, 'status' | 'ok' | 'statusText' | 'headers' | 'url' | 'text'> & {
  body: { cancel(): Promise<void> };
  [NODE_BODY]: Readable;
};

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) h.append(k, x);
    else h.set(k, v);
  }
  return h;
}

export const nodeStreamFetch: FetchLike = (input, init = {}) =>
  new Promise<Response>((resolve, reject) => {
    const url = new URL(String(input));
    const secure = url.protocol === 'https:';
    if (!secure && url.protocol !== 'http:') return reject(new TypeError(`unsupported protocol ${url.protocol}`));
    const headers = (init.headers ?? {}) as Record<string, string>;
    const req = (secure ? https : http).request(
      url,
      { method: init.method ?? 'GET', headers, agent: secure ? agents.https : agents.http, signal: init.signal ?? undefined },
      (res) => {
        const status = res.statusCode ?? 0;
        const out: NodeResponse = {
          status,
          ok: status >= 200 && status < 300,
          statusText: res.statusMessage ?? '',
          headers: toHeaders(res.headers),
          url: url.toString(),
          async text() {
            const parts: Buffer[] = [];
            for await (const c of res) parts.push(c as Buffer);
            return Buffer.concat(parts).toString('utf8');
          },
          body: {
            async cancel() {
              res.destroy();
            },
          },
          [NODE_BODY]: res,
        };
        resolve(out as unknown as Response);
      },
    );
    req.on('error', reject);
    req.end(typeof init.body === 'string' ? init.body : undefined);
  });

/** The body of a streamed response as a Node stream (adapting a fetch() body if need be). */
export function nodeBody(res: Response): Readable {
  const own = (res as unknown as Partial<NodeResponse>)[NODE_BODY];
  if (own) return own;
  if (!res.body) return Readable.from([]);
  return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
}
