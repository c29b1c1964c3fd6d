import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { FaultController, FAULTS_ISSUE_PRESET, parseFaultSpec, type FaultConfig } from '../../electron/sandbox/faults';

const BODY = Buffer.alloc(20_000, 'A');

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.close()));
});

async function serve(cfg: FaultConfig): Promise<{ url: string; faults: FaultController }> {
  const app = Fastify();
  const faults = new FaultController(cfg);
  faults.install(app);
  app.get('/api/order/:id', async (req) => ({ id: (req.params as { id: string }).id }));
  app.post('/api/order', async () => ({ ok: true }));
  app.get('/api/big', async () => BODY.toString());
  // A streamed body with no known length, as a PDF download would be.
  app.get('/api/file.pdf', async (_req, reply) => reply.type('application/pdf').send(Readable.from([BODY.subarray(0, 10_000), BODY.subarray(10_000)])));
  // A streamed body whose length the route declares (passed through without buffering).
  app.get('/api/sized.pdf', async (_req, reply) =>
    reply.type('application/pdf').header('content-length', String(BODY.length)).send(Readable.from([BODY.subarray(0, 5_000), BODY.subarray(5_000)])),
  );
  app.get('/__sandbox/ping', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  apps.push(app);
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${addr.port}`, faults };
}

/** Outcome of one request as a client would classify it. */
async function outcome(url: string, init?: RequestInit): Promise<string> {
  try {
    const res = await fetch(url, init);
    await res.arrayBuffer();
    return String(res.status);
  } catch {
    return 'network-error';
  }
}

describe('fault injection', () => {
  it('makes the same decisions for the same seed and different ones for another seed', async () => {
    const cfg = (seed: number): FaultConfig => ({ seed, rules: [{ errorRate: 0.3, rateLimitRate: 0.2 }] });
    const run = async (seed: number) => {
      const { url } = await serve(cfg(seed));
      const seq: string[] = [];
      for (let i = 0; i < 40; i++) seq.push(await outcome(`${url}/api/order/${i % 4}`));
      return seq;
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // the configured mix is actually visible, not all-or-nothing
    expect(a.filter((s) => s === '200').length).toBeGreaterThan(5);
    expect(a.filter((s) => s === '503').length).toBeGreaterThan(2);
    expect(a.filter((s) => s === '429').length).toBeGreaterThan(0);
  });

  it('decide() replays per route regardless of interleaving with other routes', () => {
    const f1 = new FaultController({ seed: 9, rules: [{ errorRate: 0.5 }] });
    const f2 = new FaultController({ seed: 9, rules: [{ errorRate: 0.5 }] });
    const only = Array.from({ length: 20 }, () => f1.decide('GET', '/x').answer);
    const mixed = Array.from({ length: 20 }, () => {
      f2.decide('POST', '/other');
      return f2.decide('GET', '/x').answer;
    });
    expect(mixed).toEqual(only);
  });

  it('answers 5xx with a JSON body and the configured status', async () => {
    const { url, faults } = await serve({ rules: [{ errorRate: 1, errorStatus: 502 }] });
    const res = await fetch(`${url}/api/order/1`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(/502/);
    expect(faults.stats().errors).toBe(1);
  });

  it('resets the connection without an answer', async () => {
    const { url, faults } = await serve({ rules: [{ resetRate: 1 }] });
    await expect(fetch(`${url}/api/order/1`)).rejects.toThrow();
    expect(faults.stats().resets).toBe(1);
    expect(faults.stats().log[0]?.fault).toBe('reset');
  });

  it('answers 429 with Retry-After', async () => {
    const { url, faults } = await serve({ rules: [{ rateLimitRate: 1, retryAfterSeconds: 3 }] });
    const res = await fetch(`${url}/api/order/1`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(faults.stats().rateLimited).toBe(1);
  });

  it('adds latency', async () => {
    const { url, faults } = await serve({ rules: [{ latencyMs: 400 }] });
    const t0 = Date.now();
    const res = await fetch(`${url}/api/order/1`);
    expect(res.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
    expect(faults.stats().delayed).toBe(1);
  });

  it('truncates a body after announcing its full length (plain and streamed bodies)', async () => {
    const { url, faults } = await serve({ rules: [{ truncateRate: 1 }] });
    for (const path of ['/api/big', '/api/file.pdf', '/api/sized.pdf']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe(String(BODY.length));
      let received = 0;
      const reader = res.body!.getReader();
      const err = await (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return null;
            received += value.length;
          }
        } catch (e) {
          return e;
        }
      })();
      expect(err).not.toBeNull();
      expect(received).toBeGreaterThan(0);
      expect(received).toBeLessThan(BODY.length);
    }
    expect(faults.stats().truncated).toBe(3);
  });

  it('drips a streamed body slowly but completely', async () => {
    const { url, faults } = await serve({ rules: [{ dripRate: 1, dripBytesPerSecond: 40_000, route: '/\\.pdf$/' }] });
    for (const path of ['/api/file.pdf', '/api/sized.pdf']) {
      const t0 = Date.now();
      const res = await fetch(`${url}${path}`);
      const buf = Buffer.from(await res.arrayBuffer());
      const elapsed = Date.now() - t0;
      expect(buf.equals(BODY)).toBe(true);
      // 20 000 bytes at 40 000 B/s in 100 ms slices → about half a second
      expect(elapsed).toBeGreaterThanOrEqual(400);
    }
    expect(faults.stats().dripped).toBe(2);
    // the rule's route keeps other paths untouched
    expect(await (await fetch(`${url}/api/big`)).text()).toBe(BODY.toString());
    expect(faults.stats().dripped).toBe(2);
    expect(faults.stats().total).toBe(3);
  });

  it('matches routes by substring or /regex/ and by method', async () => {
    const { url } = await serve({ rules: [{ route: '/^\\/API\\/ORDER$/', method: 'post', errorRate: 1 }] });
    expect(await outcome(`${url}/api/order`, { method: 'POST' })).toBe('503');
    expect(await outcome(`${url}/api/order/7`)).toBe('200');
  });

  it('never applies to /__sandbox routes', async () => {
    const { url, faults } = await serve({ rules: [{ errorRate: 1, resetRate: 1 }] });
    for (let i = 0; i < 5; i++) expect(await outcome(`${url}/__sandbox/ping`)).toBe('200');
    expect(faults.stats().total).toBe(0);
  });

  it('can be reconfigured and cleared at runtime', async () => {
    const { url, faults } = await serve({ rules: [{ errorRate: 1 }] });
    expect(await outcome(`${url}/api/order/1`)).toBe('503');
    faults.clear();
    expect(await outcome(`${url}/api/order/1`)).toBe('200');
    faults.set({ rules: [{ rateLimitRate: 1 }] });
    expect(await outcome(`${url}/api/order/1`)).toBe('429');
    expect(() => faults.set({ rules: [{ errorRate: 2 }] })).toThrow(/errorRate.*between 0 and 1/);
  });
});

describe('parseFaultSpec', () => {
  it('parses the CLI form', () => {
    const cfg = parseFaultSpec('5xx=0.1,reset=0.05,429=0.02:2,latency=2000@0.05,truncate=0.02,drip=0.01:20000,seed=42,route=/order');
    expect(cfg).toEqual({
      seed: 42,
      rules: [
        {
          errorRate: 0.1,
          resetRate: 0.05,
          rateLimitRate: 0.02,
          retryAfterSeconds: 2,
          latencyMs: 2000,
          latencyRate: 0.05,
          truncateRate: 0.02,
          dripRate: 0.01,
          dripBytesPerSecond: 20000,
          route: '/order',
        },
      ],
    });
  });

  it('parses several rules, a status, a method and presets', () => {
    const cfg = parseFaultSpec('5xx=1:500,method=get,route=/files/; reset=0.5');
    expect(cfg.rules).toEqual([{ errorRate: 1, errorStatus: 500, method: 'GET', route: '/files/' }, { resetRate: 0.5 }]);
    expect(parseFaultSpec('issue')).toEqual(FAULTS_ISSUE_PRESET);
    const narrowed = parseFaultSpec('preset=issue,route=/api');
    expect(narrowed.rules[0]?.route).toBe('/api');
    expect(narrowed.rules[0]?.errorRate).toBe(0.1);
  });

  it('rejects nonsense with a clear message', () => {
    expect(() => parseFaultSpec('')).toThrow(/empty/);
    expect(() => parseFaultSpec('5xx=2')).toThrow(/5xx needs a rate between 0 and 1/);
    expect(() => parseFaultSpec('5xx=abc')).toThrow(/rate between 0 and 1.*"abc"/);
    expect(() => parseFaultSpec('explode=0.1')).toThrow(/unknown key "explode"/);
    expect(() => parseFaultSpec('reset')).toThrow(/not key=value/);
    expect(() => parseFaultSpec('latency=fast')).toThrow(/latency needs milliseconds/);
    expect(() => parseFaultSpec('429=0.1:0')).toThrow(/Retry-After/);
    expect(() => parseFaultSpec('5xx=0.1:200')).toThrow(/400\.\.599/);
    expect(() => parseFaultSpec('seed=x')).toThrow(/seed must be an integer/);
    expect(() => parseFaultSpec('route=/[/')).toThrow(/regular expression/);
    expect(() => parseFaultSpec('route=/api')).toThrow(/no fault/);
    expect(() => parseFaultSpec('preset=bogus')).toThrow(/unknown preset "bogus"/);
  });
});
