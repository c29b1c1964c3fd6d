import { describe, expect, it } from 'vitest';
import { HttpClient, HttpError } from '../../electron/core/http';

// The HTTP client's limits: a JSON answer is never read past its cap (the parser never
// sees, and memory never holds, more than the cap), and the client-wide stop signal ends a
// request in flight.

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** A JSON array body of `total` bytes, produced only as it is read; counts what was pulled. */
function countedBody(total: number) {
  const pulled = { bytes: 0 };
  const fill = new TextEncoder().encode('0,'.repeat(CHUNK / 2));
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled.bytes === 0) {
          pulled.bytes += 1;
          controller.enqueue(new TextEncoder().encode('['));
          return;
        }
        if (pulled.bytes + CHUNK >= total) {
          controller.enqueue(new TextEncoder().encode('0]'));
          pulled.bytes += 2;
          controller.close();
          return;
        }
        pulled.bytes += CHUNK;
        controller.enqueue(fill);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled };
}

function clientWith(res: () => Response, extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  return new HttpClient({ service: 'Infigo', fetch: async () => res(), sleep: async () => undefined, maxJsonBytes: MB, ...extra });
}

describe('JSON answer size cap', () => {
  it('stops reading a body that grows past the cap, with a message naming the limit and the setting', async () => {
    const { stream, pulled } = countedBody(20 * MB);
    const c = clientWith(() => new Response(stream, { headers: { 'content-type': 'application/json' } }));
    const err = await c.json('http://store.test/services/api/Order/List').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).code).toBe('too_large');
    expect((err as HttpError).retryable).toBe(false);
    expect((err as HttpError).userMessage).toBe('Infigo sent an answer larger than the 1 MB limit for one answer; Presslink stopped reading it at 1 MB.');
    expect((err as HttpError).hint).toMatch(/sync\.maxResponseMB/);
    // Never more than the cap and the chunk that crossed it (plus one read ahead).
    expect(pulled.bytes).toBeLessThanOrEqual(MB + 2 * CHUNK);
  });

  it('refuses an answer whose Content-Length is over the cap without reading it', async () => {
    const { stream, pulled } = countedBody(20 * MB);
    const c = clientWith(() => new Response(stream, { headers: { 'content-type': 'application/json', 'content-length': String(20 * MB) } }));
    const err = (await c.json('http://store.test/services/api/Order/List').catch((e: unknown) => e)) as HttpError;
    expect(err.code).toBe('too_large');
    expect(err.userMessage).toBe('Infigo announced an answer of 20.0 MB, more than the 1 MB limit for one answer; Presslink did not read it.');
    expect(pulled.bytes).toBeLessThanOrEqual(CHUNK + 1);
  });

  it('reads an answer under the cap as before', async () => {
    const c = clientWith(() => new Response(JSON.stringify({ ids: [1, 2, 3] }), { headers: { 'content-type': 'application/json' } }));
    expect((await c.json('http://store.test/x')).data).toEqual({ ids: [1, 2, 3] });
  });
});

describe('client-wide stop signal', () => {
  it('ends a request in flight at once, as "aborted"', async () => {
    const stop = new AbortController();
    // A server that never answers: only the signal can end this request.
    const fetch = (_url: string | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true }));
    const c = new HttpClient({ service: 'Infigo', fetch, timeoutMs: 600_000, signal: stop.signal });
    const pending = c.json('http://store.test/services/api/order/detail/1').catch((e: unknown) => e);
    setTimeout(() => stop.abort(new Error('because Presslink is stopping')), 20);
    const err = (await pending) as HttpError;
    expect(err).toBeInstanceOf(HttpError);
    expect(err.code).toBe('aborted');
  });
});
