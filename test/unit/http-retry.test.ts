import { describe, expect, it } from 'vitest';
import { HttpClient, HttpError, type RetryInfo } from '../../electron/core/http';

type Step = Response | Error | ((init: RequestInit | undefined) => Response | Error);

function scripted(steps: Step[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetch = async (input: string | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    const step = steps.shift();
    if (!step) throw new Error('no more scripted responses');
    const r = typeof step === 'function' ? step(init) : step;
    if (r instanceof Error) throw r;
    return r;
  };
  return { fetch, calls };
}

function netError(code: string): Error {
  return Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
}

function client(fetch: ReturnType<typeof scripted>['fetch'], extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const sleeps: number[] = [];
  const retries: RetryInfo[] = [];
  const c = new HttpClient({
    service: 'TestSvc',
    fetch,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, retryAfterCapMs: 5_000 },
    onRetry: (i) => retries.push(i),
    ...extra,
  });
  return { c, sleeps, retries };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('HttpClient retries', () => {
  it('retries 5xx and connection resets with jittered backoff, reporting each retry', async () => {
    const s = scripted([json(503, {}), netError('ECONNRESET'), json(200, { ok: 1 })]);
    const { c, sleeps, retries } = client(s.fetch);
    const r = await c.json('http://127.0.0.1:1/x');
    expect(r.data).toEqual({ ok: 1 });
    expect(s.calls).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]); // random 0.5 × 100·2^0, × 100·2^1
    expect(retries.map((r) => [r.attempt, r.code])).toEqual([
      [1, 'server_error'],
      [2, 'network'],
    ]);
    expect(retries[1]?.reason).toContain('ECONNRESET');
  });

  it('honours Retry-After on 429 (seconds) and caps it', async () => {
    const s = scripted([json(429, {}, { 'retry-after': '2' }), json(429, {}, { 'retry-after': '3600' }), json(200, [])]);
    const { c, sleeps, retries } = client(s.fetch);
    await c.json('http://127.0.0.1:1/x');
    expect(sleeps).toEqual([2_000, 5_000]);
    expect(retries[0]?.reason).toMatch(/429.*wait 2 s/);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const s = scripted([json(429, {}, { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), json(200, [])]);
    const { c, sleeps } = client(s.fetch);
    await c.json('http://127.0.0.1:1/x');
    expect(sleeps).toEqual([3_000]);
  });

  it('gives up after maxAttempts with a typed error that counts the attempts', async () => {
    const s = scripted([json(500, {}), json(502, {}), json(503, {}), json(504, {})]);
    const { c } = client(s.fetch);
    const err = await c.json('http://127.0.0.1:1/x').catch((e) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err.code).toBe('server_error');
    expect(err.status).toBe(504);
    expect(err.attempts).toBe(4);
    expect(s.calls).toHaveLength(4);
  });

  it('does not retry 4xx client errors', async () => {
    const s = scripted([json(400, { message: 'bad' })]);
    const { c } = client(s.fetch);
    const err = await c.json('http://127.0.0.1:1/x').catch((e) => e);
    expect(err.code).toBe('client_error');
    expect(s.calls).toHaveLength(1);
  });

  it('times out a hanging request and retries it', async () => {
    let n = 0;
    const fetch = (_: string | URL, init?: RequestInit) =>
      ++n === 1
        ? new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))
        : Promise.resolve(json(200, { n }));
    const { c, retries } = client(fetch, { timeoutMs: 30 });
    const r = await c.json('http://127.0.0.1:1/x');
    expect(r.data).toEqual({ n: 2 });
    expect(retries[0]?.code).toBe('timeout');
  });

  it('stops immediately when the caller aborts', async () => {
    const ac = new AbortController();
    const fetch = (_: string | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const { c, retries } = client(fetch);
    setTimeout(() => ac.abort(), 10);
    const err = await c.json('http://127.0.0.1:1/x', { signal: ac.signal }).catch((e) => e);
    expect(err.code).toBe('aborted');
    expect(retries).toHaveLength(0);
  });
});

describe('non-retryable requests (submit)', () => {
  it('never repeats a request that may have reached the server', async () => {
    for (const first of [json(500, {}), json(502, {}), netError('ECONNRESET')]) {
      const s = scripted([first, json(200, { id: 'x' })]);
      const { c } = client(s.fetch);
      const err = await c.json('http://127.0.0.1:1/order', { method: 'POST', retryMode: 'not-sent-only' }).catch((e) => e);
      expect(err).toBeInstanceOf(HttpError);
      expect(s.calls).toHaveLength(1);
    }
  });

  it('does not repeat after a timeout either', async () => {
    const fetch = (_: string | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    let calls = 0;
    const { c } = client((u, i) => (calls++, fetch(u, i)), { timeoutMs: 20 });
    const err = await c.json('http://127.0.0.1:1/order', { method: 'POST', retryMode: 'not-sent-only' }).catch((e) => e);
    expect(err.code).toBe('timeout');
    expect(calls).toBe(1);
  });

  it('does retry a refused connection and a 429, which prove the order was not accepted', async () => {
    const s = scripted([netError('ECONNREFUSED'), json(429, {}, { 'retry-after': '1' }), json(200, { id: 'g1' })]);
    const { c, sleeps } = client(s.fetch);
    const r = await c.json('http://127.0.0.1:1/order', { method: 'POST', retryMode: 'not-sent-only' });
    expect(r.data).toEqual({ id: 'g1' });
    expect(s.calls).toHaveLength(3);
    expect(sleeps[1]).toBe(1_000);
  });

  it("retryMode 'never' makes exactly one attempt", async () => {
    const s = scripted([netError('ECONNREFUSED')]);
    const { c } = client(s.fetch);
    const err = await c.json('http://127.0.0.1:1/x', { retryMode: 'never' }).catch((e) => e);
    expect(err.code).toBe('unreachable');
    expect(s.calls).toHaveLength(1);
  });
});

describe('redirects', () => {
  it('follows a same-origin redirect but refuses one to another host', async () => {
    const s = scripted([
      new Response(null, { status: 302, headers: { location: '/y' } }),
      json(200, { at: 'y' }),
      new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data' } }),
    ]);
    const { c } = client(s.fetch);
    expect((await c.json('http://127.0.0.1:1/x')).data).toEqual({ at: 'y' });
    expect(s.calls[1]?.url).toBe('http://127.0.0.1:1/y');
    const err = await c.json('http://127.0.0.1:1/x').catch((e) => e);
    expect(err.code).toBe('redirect_blocked');
    expect(s.calls).toHaveLength(3);
  });
});
