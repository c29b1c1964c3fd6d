import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, type RetryInfo } from '../../electron/core/http';
import { parseConfig } from '../../shared/config';
import { createStatusWriter, InfigoClient, INFIGO_FILE_MISSING, INFIGO_TOKEN_REFUSED, MegaScriptStatusWriter } from '../../electron/core/infigo';

const TOKEN = 'dGVzdC10b2tlbi0wMDAwMDAwMDAwMDE=';

function pdfBytes(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x & 0xff;
  }
  b.write('%PDF-1.7\n', 0, 'latin1');
  return b;
}
async function closedPort(): Promise<number> {
  const s = Fastify();
  await s.listen({ host: '127.0.0.1', port: 0 });
  const port = (s.server.address() as { port: number }).port;
  await s.close();
  return port;
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

type Seen = { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: unknown; at: number };

let app: FastifyInstance;
let base: string;
const seen: Seen[] = [];
const FILE = pdfBytes(3 * 1024 * 1024 + 17);
let downloadMode: 'normal' | 'cut-first' | 'ignore-range' | 'html' | 'bad-sha' | 'redirect-away' | 'slow' = 'normal';
let downloadCalls = 0;
let rateLimitOnce = false;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'presslink-infigo-'));
  app = Fastify({ routerOptions: { caseSensitive: false } });
  app.addHook('onRequest', async (req, reply) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers, body: undefined, at: Date.now() });
    if (req.url.startsWith('/services/api/') && req.headers.authorization !== `Basic ${TOKEN}`) {
      return reply.code(401).send({ Success: false, ContextInfo: { ErrorList: [{ ErrorMessage: `bad token ${String(req.headers.authorization)}` }] } });
    }
  });
  app.addHook('preHandler', async (req) => {
    const last = seen[seen.length - 1];
    if (last) last.body = req.body;
  });
  const api = '/services/api';
  app.get(`${api}/auth/:token`, async () => ({ Name: 'Acme storefront', Url: 'https://acme.example' }));
  app.get(`${api}/Order/List`, async (_req, reply) => {
    if (rateLimitOnce) {
      rateLimitOnce = false;
      return reply.code(429).header('retry-after', '1').send({ message: 'slow down' });
    }
    return [10452, 10453, '10455'];
  });
  app.get(`${api}/order/detail/:id`, async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    if (id === 404) return reply.code(404).send({});
    if (id === 500) return { Id: 'x', OrderLineItems: 'broken' };
    return { Id: id, OrderStatus: 20, PaymentStatus: 'Paid', ShippingStatus: 20, ShippingAddress: { Country: 'United Kingdom', Town: 'Horsham' }, OrderLineItems: [67890, 67891] };
  });
  app.get(`${api}/orderlineitem/get`, async (req) => {
    const id = (req.query as { id: string }).id;
    if (id === '999') return null;
    return { Id: id, JobId: 67890, OrderId: 10453, Type: id === '67891' ? 10 : 30, Sku: 'BC', Quantity: 500, ProductAttributes: [] };
  });
  app.post(`${api}/orderlineitem/createoutputfor/:jobId`, async () => ({ Success: true }));
  app.get(`${api}/catalog/productlist`, async () => [501, 502]);
  app.get(`${api}/catalog/ProductDetails`, async (req) => ({ Id: Number((req.query as { id: string }).id), Name: 'Cards', Type: 30, Sku: 'BC' }));
  app.route({ method: ['POST', 'PUT', 'PATCH'], url: `${api}/presslink-sim/order/:id/status`, handler: async (req) => ({ ok: true, id: (req.params as { id: string }).id }) });
  app.post('/s/acme/megascript/presslink-status', async (req, reply) => {
    if (req.headers['x-presslink-token'] !== 'ms-token-123456') return reply.code(401).send({ ok: false });
    return { ok: true };
  });
  app.get(`${api}/orderlineitem/download/:jobId`, async (req, reply) => {
    downloadCalls++;
    const jobId = (req.params as { jobId: string }).jobId;
    if (jobId === '67891') return reply.code(404).send({ Success: false });
    if (downloadMode === 'redirect-away') return reply.redirect('http://169.254.169.254/latest/meta-data', 302);
    if (downloadMode === 'html') return reply.type('text/html').send('<html>login</html>');
    const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
    const start = range && downloadMode !== 'ignore-range' ? Number(range[1]) : 0;
    if (start >= FILE.length) return reply.code(416).header('content-range', `bytes */${FILE.length}`).send();
    const body = FILE.subarray(start);
    reply.hijack();
    const res = reply.raw;
    const headers: Record<string, string> = {
      'content-type': 'application/pdf',
      'content-length': String(body.length),
      'x-content-sha256': downloadMode === 'bad-sha' ? sha(Buffer.from('other')) : sha(FILE),
    };
    if (start > 0) headers['content-range'] = `bytes ${start}-${FILE.length - 1}/${FILE.length}`;
    res.writeHead(start > 0 ? 206 : 200, headers);
    if (downloadMode === 'cut-first' && downloadCalls === 1) {
      // Half the file, then drop the connection: a real interruption mid-download.
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    if (downloadMode === 'slow') {
      res.write(body.subarray(0, 65536));
      return; // never finishes; the test aborts
    }
    res.end(body);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});

afterAll(async () => {
  await app.close();
  await rm(tmp, { recursive: true, force: true });
});

afterEach(() => {
  seen.length = 0;
  downloadMode = 'normal';
  downloadCalls = 0;
});

const client = (extra: Partial<ConstructorParameters<typeof InfigoClient>[0]> = {}) =>
  new InfigoClient({ baseUrl: base, token: TOKEN, retry: { baseDelayMs: 10, maxDelayMs: 50 }, ...extra });

describe('InfigoClient requests', () => {
  it('appends /services/api and sends the raw token as Basic auth with Accept: application/json', async () => {
    expect(client().apiBase).toBe(`${base}/services/api`);
    expect(new InfigoClient({ baseUrl: `${base}/services/api/`, token: TOKEN }).apiBase).toBe(`${base}/services/api`);
    expect(await client().listOrderIds()).toEqual([10452, 10453, 10455]);
    expect(seen[0]?.url).toBe('/services/api/Order/List');
    expect(seen[0]?.headers.authorization).toBe(`Basic ${TOKEN}`);
    expect(seen[0]?.headers.accept).toBe('application/json');
  });

  it('checkToken distinguishes a good token, a refused one and an unreachable store', async () => {
    const good = await client().checkToken();
    expect(good).toMatchObject({ ok: true, storefrontName: 'Acme storefront' });
    const bad = await new InfigoClient({ baseUrl: base, token: 'wrong-token-xyz' }).checkToken();
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.reason).toBe('unauthorized');
      expect(bad.error.userMessage).toBe(INFIGO_TOKEN_REFUSED);
      expect(JSON.stringify(bad.error)).not.toContain('wrong-token-xyz');
    }
    const port = await closedPort();
    const down = await new InfigoClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN, retry: { maxAttempts: 1 } }).checkToken();
    expect(down.ok).toBe(false);
    if (!down.ok) {
      expect(down.reason).toBe('unreachable');
      expect(down.error.userMessage).toBe(`Cannot reach 127.0.0.1:${port}: check the store's base URL`);
      expect(down.error.causeCode).toBe('ECONNREFUSED');
    }
  });

  it('a refused token on any call gives the plain-language message and never the token', async () => {
    const err = await new InfigoClient({ baseUrl: base, token: 'nope-secret-999' }).getOrder(1).catch((e) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err.status).toBe(401);
    expect(err.userMessage).toBe(INFIGO_TOKEN_REFUSED);
    expect(err.hint).toMatch(/Infigo support/);
    expect([err.message, err.detail, JSON.stringify(err)].join()).not.toContain('nope-secret-999');
  });

  it('reads an order, normalising statuses and country', async () => {
    const o = await client().getOrder(10453);
    expect(o.OrderStatus).toBe('Processing');
    expect(o.ShippingStatus).toBe('NotYetShipped');
    expect(o.ShippingAddress?.CountryCode).toBe('GB');
    expect(o.OrderLineItems).toEqual(['67890', '67891']);
  });

  it('reports a missing order and an unreadable one as typed errors', async () => {
    const nf = await client().getOrder(404).catch((e) => e);
    expect(nf.code).toBe('not_found');
    expect(nf.userMessage).toMatch(/no order 404/);
    const bad = await client().getOrder(500).catch((e) => e);
    expect(bad.code).toBe('invalid_response');
    expect(bad.fieldErrors.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['Id', 'OrderLineItems']));
  });

  it('reads order lines and turns a null answer into not-found', async () => {
    const line = await client().getOrderLine('s67890');
    expect(line.Kind).toBe('printable');
    expect(seen[0]?.url).toBe('/services/api/orderlineitem/get?id=s67890');
    expect((await client().getOrderLine(67891)).Kind).toBe('stock');
    const err = await client().getOrderLine(999).catch((e) => e);
    expect(err.code).toBe('not_found');
    expect(err.retryable).toBe(false);
  });

  it('asks for output creation with the callback URL', async () => {
    await client().createOutput(67890, 'http://127.0.0.1:1/cb/x');
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.url).toBe('/services/api/orderlineitem/createoutputfor/67890');
    expect(seen[0]?.body).toEqual({ DirectDownload: true, CallbackUrl: 'http://127.0.0.1:1/cb/x' });
  });

  it('lists and reads products', async () => {
    expect(await client().listProducts()).toEqual([501, 502]);
    const p = await client().getProduct(501);
    expect(p).toMatchObject({ Id: 501, Sku: 'BC', Kind: 'printable' });
  });

  it('waits as long as a 429 Retry-After asks before retrying', async () => {
    rateLimitOnce = true;
    const retries: RetryInfo[] = [];
    const ids = await client({ onRetry: (r) => retries.push(r) }).listOrderIds();
    expect(ids).toHaveLength(3);
    expect(seen).toHaveLength(2);
    const gap = seen[1]!.at - seen[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(gap).toBeLessThan(3000);
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, delayMs: 1000, status: 429, code: 'rate_limited' })]);
  });
});

describe('downloadOutput', () => {
  it('streams the file, verifies it and reports progress', async () => {
    const dest = join(tmp, 'a', 'out.pdf');
    const progress: number[] = [];
    const r = await client().downloadOutput(67890, dest, { onProgress: (b) => progress.push(b) });
    expect(r).toEqual({ path: dest, bytes: FILE.length, sha256: sha(FILE), resumedFrom: 0 });
    expect(sha(await readFile(dest))).toBe(sha(FILE));
    expect(existsSync(`${dest}.part`)).toBe(false);
    expect(progress.at(-1)).toBe(FILE.length);
    expect(progress.length).toBeGreaterThan(1);
  });

  it('resumes an interrupted download with Range: bytes=N- and ends with a verified file', async () => {
    downloadMode = 'cut-first';
    const dest = join(tmp, 'resume.pdf');
    const first = await client({ retry: { maxAttempts: 1 } }).downloadOutput(67890, dest).catch((e) => e);
    expect(first).toBeInstanceOf(HttpError);
    expect(first.code).toBe('download_incomplete');
    expect(existsSync(dest)).toBe(false);
    const partSize = (await stat(`${dest}.part`)).size;
    expect(partSize).toBeGreaterThan(0);
    expect(partSize).toBeLessThan(FILE.length);

    const r = await client().downloadOutput(67890, dest);
    const second = seen.filter((s) => s.url.includes('/download/'))[1];
    expect(second?.headers.range).toBe(`bytes=${partSize}-`);
    expect(r.resumedFrom).toBe(partSize);
    expect(r.bytes).toBe(FILE.length);
    expect(r.sha256).toBe(sha(FILE));
    expect(sha(await readFile(dest))).toBe(sha(FILE));
  });

  it('resumes by itself within one call when retries are allowed', async () => {
    downloadMode = 'cut-first';
    const dest = join(tmp, 'auto.pdf');
    const retries: RetryInfo[] = [];
    const r = await client({ onRetry: (i) => retries.push(i) }).downloadOutput(67890, dest);
    const calls = seen.filter((s) => s.url.includes('/download/'));
    expect(calls).toHaveLength(2);
    expect(calls[1]?.headers.range).toMatch(/^bytes=\d+-$/);
    expect(r.sha256).toBe(sha(FILE));
    expect(retries[0]?.reason).toMatch(/resuming/);
  });

  it('starts over when the server answers a Range request with 200', async () => {
    const dest = join(tmp, 'restart.pdf');
    await writeFile(`${dest}.part`, FILE.subarray(0, 1000));
    downloadMode = 'ignore-range';
    const r = await client().downloadOutput(67890, dest);
    expect(seen[0]?.headers.range).toBe('bytes=1000-');
    expect(r.bytes).toBe(FILE.length);
    expect(sha(await readFile(dest))).toBe(sha(FILE));
  });

  it('on 416 discards a partial file longer than the server file and downloads afresh', async () => {
    const dest = join(tmp, 'toolong.pdf');
    await writeFile(`${dest}.part`, Buffer.alloc(FILE.length + 10));
    const r = await client().downloadOutput(67890, dest);
    const calls = seen.filter((s) => s.url.includes('/download/'));
    expect(calls.map((c) => c.headers.range)).toEqual([`bytes=${FILE.length + 10}-`, undefined]);
    expect(r.sha256).toBe(sha(FILE));
  });

  it('on 416 finishes a partial file that is already complete without downloading again', async () => {
    const dest = join(tmp, 'complete.pdf');
    await writeFile(`${dest}.part`, FILE);
    const r = await client().downloadOutput(67890, dest);
    expect(seen.filter((s) => s.url.includes('/download/'))).toHaveLength(1);
    expect(r).toMatchObject({ bytes: FILE.length, resumedFrom: FILE.length, sha256: sha(FILE) });
  });

  it('refuses a file whose checksum does not match, leaving nothing behind', async () => {
    downloadMode = 'bad-sha';
    const dest = join(tmp, 'badsha.pdf');
    const err = await client({ retry: { maxAttempts: 2 } }).downloadOutput(67890, dest).catch((e) => e);
    expect(err.code).toBe('checksum_mismatch');
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.part`)).toBe(false);
  });

  it('checks an expected sha256 given by the caller', async () => {
    const err = await client({ retry: { maxAttempts: 1 } })
      .downloadOutput(67890, join(tmp, 'exp.pdf'), { expectedSha256: sha(Buffer.from('nope')) })
      .catch((e) => e);
    expect(err.code).toBe('checksum_mismatch');
  });

  it('refuses something that is not a PDF', async () => {
    downloadMode = 'html';
    const dest = join(tmp, 'login.pdf');
    const err = await client().downloadOutput(67890, dest).catch((e) => e);
    expect(err.code).toBe('not_pdf');
    expect(existsSync(dest)).toBe(false);
  });

  it('says the output has not been produced on 404', async () => {
    const err = await client().downloadOutput(67891, join(tmp, 'stock.pdf')).catch((e) => e);
    expect(err.code).toBe('not_found');
    expect(err.userMessage).toBe(INFIGO_FILE_MISSING);
  });

  it('keeps the partial file when the caller aborts', async () => {
    downloadMode = 'slow';
    const dest = join(tmp, 'abort.pdf');
    const ac = new AbortController();
    const p = client().downloadOutput(67890, dest, { signal: ac.signal, onProgress: () => ac.abort() });
    const err = await p.catch((e) => e);
    expect(err.code).toBe('aborted');
    expect((await stat(`${dest}.part`)).size).toBeGreaterThan(0);
  });

  it('does not follow a redirect to another host, nor accept a job id that leaves the API path', async () => {
    downloadMode = 'redirect-away';
    const err = await client().downloadOutput(67890, join(tmp, 'ssrf.pdf')).catch((e) => e);
    expect(err.code).toBe('redirect_blocked');
    expect(seen).toHaveLength(1);
    for (const bad of ['../../../etc/passwd', 'http://evil.example/x', '1?x=http://a', '']) {
      await expect(client().downloadOutput(bad, join(tmp, 'x.pdf'))).rejects.toThrow(/not an Infigo job id/);
    }
    expect(seen).toHaveLength(1);
  });
});

describe('status writers', () => {
  it('REST writer posts the configured route with the default field names', async () => {
    const w = createStatusWriter({ kind: 'rest', pathTemplate: 'presslink-sim/order/{orderId}/status' }, { infigo: client() });
    expect(w.kind).toBe('rest');
    await w.push({ orderId: 10453, shippingStatus: 'Shipped', trackingNumber: 'JD01', trackingUrl: 'https://t/JD01', lineStatuses: [{ jobId: 's67890', status: 'Shipped' }] });
    expect(seen[0]?.url).toBe('/services/api/presslink-sim/order/10453/status');
    expect(seen[0]?.body).toEqual({ ShippingStatus: 'Shipped', TrackingNumber: 'JD01', TrackingUrl: 'https://t/JD01', LineStatuses: [{ JobId: 's67890', Status: 'Shipped' }] });
  });

  it('REST writer takes its path, method and every body field name from the configuration', async () => {
    const parsed = parseConfig({
      stores: [
        {
          id: 'acme',
          name: 'Acme',
          infigo: { baseUrl: 'https://acme.example', apiToken: 'x-token-1234', statusWriter: { kind: 'rest', pathTemplate: 'presslink-sim/order/{orderId}/status', method: 'PUT', fieldNames: { shippingStatus: 'ShipState', trackingNumber: 'TrackingCode', lineStatuses: 'Jobs', lineJobId: 'Job', lineStatus: 'State' } } },
          gelatoCustomerReferenceId: 'acme-ltd',
        },
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const cfg = parsed.config.stores[0]!.infigo.statusWriter;
    if (cfg.kind !== 'rest') throw new Error('expected a REST writer');
    await createStatusWriter(cfg, { infigo: client() }).push({ orderId: 10453, shippingStatus: 'Shipped', trackingNumber: 'JD01', lineStatuses: [{ jobId: 's67890', status: 'Shipped' }] });
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/services/api/presslink-sim/order/10453/status' });
    expect(seen[0]?.body).toEqual({ ShipState: 'Shipped', TrackingCode: 'JD01', Jobs: [{ Job: 's67890', State: 'Shipped' }] });
  });

  it('with no writer configured nothing is sent and the reason says what to choose', async () => {
    const err = await createStatusWriter({ kind: 'none' }, { infigo: client() }).push({ orderId: 10453, shippingStatus: 'Shipped' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_configured', userMessage: expect.stringMatching(/No way to write status and tracking to Infigo is chosen yet/), hint: expect.stringMatching(/MegaScript/) });
    expect(seen).toEqual([]);
  });

  it('REST writer explains an unknown path instead of a bare 404', async () => {
    const w = createStatusWriter({ kind: 'rest', pathTemplate: 'order/{orderId}/nowhere' }, { infigo: client() });
    const err = await w.push({ orderId: 1, orderStatus: 'Complete' }).catch((e) => e);
    expect(err.userMessage).toMatch(/does not accept status updates/);
    expect(err.hint).toMatch(/MegaScript/);
  });

  it('MegaScript writer sends the token (header and body) and a camelCase body', async () => {
    const w = createStatusWriter({ kind: 'megascript', url: `${base}/s/acme/megascript/presslink-status`, token: 'ms-token-123456' }, { infigo: client() });
    expect(w).toBeInstanceOf(MegaScriptStatusWriter);
    await w.push({ orderId: 7, orderStatus: 'Complete', note: 'shipped by GelatoConnect' });
    expect(seen[0]?.headers['x-presslink-token']).toBe('ms-token-123456');
    // The token travels in the body too: whether Infigo hands custom headers to a script is not documented.
    expect(seen[0]?.body).toEqual({ orderId: 7, token: 'ms-token-123456', orderStatus: 'Complete', note: 'shipped by GelatoConnect' });
    const bad = new MegaScriptStatusWriter({ url: `${base}/s/acme/megascript/presslink-status`, token: 'wrong-token-77777' });
    const err = await bad.push({ orderId: 7, orderStatus: 'Complete' }).catch((e) => e);
    expect(err.code).toBe('unauthorized');
    expect(err.userMessage).toMatch(/refused the token/);
    expect(JSON.stringify(err)).not.toContain('wrong-token-77777');
  });
});

describe('large download', () => {
  it('streams a few hundred MB to disk with small memory growth', async () => {
    const size = 300 * 1024 * 1024;
    const big = Fastify();
    big.get('/services/api/orderlineitem/download/:id', (_req, reply) => {
      let sent = 0;
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const stream = new Readable({
        read() {
          if (sent >= size) return this.push(null);
          const n = Math.min(chunk.length, size - sent);
          const c = sent === 0 ? Buffer.concat([Buffer.from('%PDF-'), chunk.subarray(5, n)]) : chunk.subarray(0, n);
          sent += n;
          this.push(c);
        },
      });
      reply.header('content-type', 'application/pdf').header('content-length', String(size)).send(stream);
    });
    await big.listen({ host: '127.0.0.1', port: 0 });
    try {
      const port = (big.server.address() as { port: number }).port;
      const c = new InfigoClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN });
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const dest = join(tmp, 'big.pdf');
      const r = await c.downloadOutput(1, dest, {
        onProgress: () => {
          peak = Math.max(peak, process.memoryUsage().rss);
        },
      });
      expect(r.bytes).toBe(size);
      expect((await stat(dest)).size).toBe(size);
      expect(peak - before).toBeLessThan(150 * 1024 * 1024);
      await rm(dest);
    } finally {
      await big.close();
    }
  }, 60_000);
});
