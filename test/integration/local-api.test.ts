import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../electron/core/engine';
import type { Served } from '../../electron/core/engine-types';
import { dataFiles } from '../../electron/core/paths';
import { engineRoutes } from '../../electron/core/server/engine-routes';
import { startServer, type RunningServer } from '../../electron/core/server/index';
import { createSandboxLauncher } from '../../electron/sandbox/launcher';
import { rawRequest } from '../helpers/raw-http';
import { tempDir } from '../helpers/tmp';

// The local API as an attacker reaches it (issue 13, items 1 and 2): a web page the
// admin visits sends simple cross-site requests to 127.0.0.1; a DNS-rebinding page
// sends requests under its own host name. Requests are made with node:http so that
// Host, Origin, Cookie and Content-Type are exactly what a browser would send.
// Each case answered 2xx and changed state (or handed out secrets) before the fix.

type Engine = Awaited<ReturnType<typeof startEngine>>;
let engine: Engine;
let server: Served;
let dir: { dir: string; cleanup: () => void };
let host: string;
let key: Record<string, string>;

beforeAll(async () => {
  dir = tempDir('presslink-local-api-');
  engine = await startEngine({ dataDir: dir.dir, mode: 'headless', schedule: false, sandbox: createSandboxLauncher() });
  server = await engine.serve({ port: 0 });
  host = `127.0.0.1:${server.port}`;
  key = { authorization: `Bearer ${server.apiKey}` };
});

afterAll(async () => {
  await engine?.stop();
  dir?.cleanup();
});

const call = (name: string, headers: Record<string, string>, body?: string) => rawRequest(`${server.url}/api/call/${name}`, { method: 'POST', headers: { host, ...headers }, body });
const unchanged = () => {
  const s = engine.status();
  expect(s.paused, 'the sync was paused by the request').toBe(false);
  expect(s.configured, 'the configuration was replaced by the request').toBe(false);
};

/** Signs in through a fresh one-time link, as the admin's browser does; returns the Cookie header. */
async function signedInCookie(): Promise<string> {
  const r = await rawRequest(server.signInLink(), { headers: { host } });
  const set = r.headers['set-cookie']?.[0];
  if (!set) throw new Error(`no cookie from the sign-in link (${r.status})`);
  return set.split(';')[0]!;
}

describe('cross-site requests from a web page the admin visits', () => {
  const stateChanging = ['setup.useSandbox', 'sync.pause', 'sync.now', 'checklist.placeTestOrders'];

  it("a no-cors fetch (no body, or text/plain) and a form POST change nothing, even with the admin's cookie", async () => {
    const attack = async (cookie?: string) => {
      for (const name of stateChanging) {
        for (const origin of ['http://evil.example', `http://127.0.0.1:${server.port + 1}`, 'null']) {
          const c: Record<string, string> = cookie ? { cookie } : {};
          // fetch(url, {method:'POST', mode:'no-cors'}): no body, no content type.
          const bare = await call(name, { origin, ...c });
          expect(bare.status, `${name} from ${origin}`).toBeGreaterThanOrEqual(400);
          // The same with a text body (a simple request may carry text/plain).
          const text = await call(name, { origin, 'content-type': 'text/plain;charset=UTF-8', ...c }, '{}');
          expect(text.status).toBeGreaterThanOrEqual(400);
          // <form method=post action=…> submitted by the page.
          const form = await call(name, { origin, 'content-type': 'application/x-www-form-urlencoded', ...c }, 'orders=1');
          expect(form.status).toBeGreaterThanOrEqual(400);
        }
      }
      unchanged();
    };
    await attack();
    // A page on another port of 127.0.0.1 is the same *site*: a SameSite cookie rides along.
    await attack(await signedInCookie());
  });

  it('a call without any credential is refused on loopback too (401), and says how to sign in', async () => {
    const r = await call('sync.pause', { 'content-type': 'application/json' }, '{}');
    expect(r.status).toBe(401);
    expect((r.json() as { error: { code: string; message: string } }).error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/open-link/) });
    unchanged();
  });

  it('a mutating call never defaults a missing body: with the API key but no JSON body it is refused', async () => {
    expect((await call('sync.pause', key)).status).toBe(415);
    expect((await call('sync.pause', { ...key, 'content-type': 'text/plain' }, '{}')).status).toBe(415);
    const empty = await call('sync.pause', { ...key, 'content-type': 'application/json' });
    expect(empty.status).toBe(400);
    expect(empty.text).not.toMatch(/FST_|statusCode/);
    expect((await call('sync.pause', { ...key, 'content-type': 'application/json' }, '[]')).status).toBe(400);
    unchanged();
    const ok = await call('engine.status', { ...key, 'content-type': 'application/json' }, '{}');
    expect(ok.status).toBe(200);
  });

  it("a cookie alone is not enough: a POST must also name the server's own origin", async () => {
    const cookie = await signedInCookie();
    const noOrigin = await call('sync.pause', { cookie, 'content-type': 'application/json' }, '{}');
    expect(noOrigin.status).toBe(403);
    const crossSite = await call('sync.pause', { cookie, origin: 'http://evil.example', 'content-type': 'application/json' }, '{}');
    expect(crossSite.status).toBe(403);
    const fetchSite = await call('sync.pause', { cookie, origin: `http://${host}`, 'sec-fetch-site': 'same-site', 'content-type': 'application/json' }, '{}');
    expect(fetchSite.status).toBe(403);
    unchanged();
    const own = await call('engine.status', { cookie, origin: `http://${host}`, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, '{}');
    expect(own.status).toBe(200);
  });
});

describe('DNS rebinding: requests under a foreign host name', () => {
  it('are refused before any call runs: no secret, no export, no event stream, not even the UI', async () => {
    const triggers = await engine.call('postbacks.triggers', {});
    const secret = triggers[0]!.headers['X-Presslink-Secret']!;
    const quoteToken = JSON.parse((await engine.call('shipping.megascript', {})).config) as Record<string, unknown>;
    for (const h of ['attacker.example', `attacker.example:${server.port}`, `127.0.0.1.attacker.example:${server.port}`]) {
      // Same-origin from the rebinding page's point of view: its own origin, a JSON body.
      const headers = { host: h, origin: `http://${h}`, 'content-type': 'application/json' };
      for (const [name, body] of [
        ['config.export', { includeSecrets: true, passphrase: 'chosen-by-the-attacker' }],
        ['postbacks.triggers', {}],
        ['shipping.megascript', {}],
        ['sync.pause', {}],
      ] as const) {
        const r = await rawRequest(`${server.url}/api/call/${name}`, { method: 'POST', headers, body: JSON.stringify(body) });
        expect(r.status, `${name} under Host ${h}`).toBe(403);
        expect(r.text).not.toContain(secret);
        for (const v of Object.values(quoteToken)) if (typeof v === 'string' && v.length > 20) expect(r.text).not.toContain(v);
      }
      expect((await rawRequest(`${server.url}/api/events`, { headers: { host: h } })).status).toBe(403);
      expect((await rawRequest(`${server.url}/`, { headers: { host: h } })).status).toBe(403);
    }
    unchanged();
  });

  it('accepts this machine’s addresses: IP literals, localhost, and names given with --allow-host', async () => {
    for (const h of [host, `localhost:${server.port}`, `[::1]:${server.port}`]) {
      expect((await call('engine.status', { ...key, host: h, 'content-type': 'application/json' }, '{}')).status, h).toBe(200);
    }
    const extra = await startServer({ engine, port: 0, allowHosts: ['printshop.lan'] });
    try {
      const r = await rawRequest(`${extra.url}/api/call/engine.status`, { method: 'POST', headers: { host: `printshop.lan:${extra.port}`, authorization: `Bearer ${extra.apiKey}`, 'content-type': 'application/json' }, body: '{}' });
      expect(r.status).toBe(200);
      const other = await rawRequest(`${extra.url}/api/call/engine.status`, { method: 'POST', headers: { host: `elsewhere.lan:${extra.port}`, authorization: `Bearer ${extra.apiKey}`, 'content-type': 'application/json' }, body: '{}' });
      expect(other.status).toBe(403);
      expect((other.json() as { error: { message: string } }).error.message).toMatch(/--allow-host elsewhere\.lan/);
    } finally {
      await extra.close();
    }
  });
});

describe('the public routes keep their own authentication and answer the configured public host', () => {
  let pub: RunningServer;
  beforeAll(async () => {
    pub = await startServer({ engine, port: 0, publicHosts: () => ['print.example.com'], plugins: engineRoutes(engine.ctx) });
  });
  afterAll(async () => pub?.close());

  const postback = (h: string) =>
    rawRequest(`${pub.url}/hooks/gelato`, { method: 'POST', headers: { host: h, 'content-type': 'application/json' }, body: JSON.stringify({ presslink: 1, event: 'order.shipped', orderReferenceId: 'x', status: 'shipped' }) });

  it('a postback without its secret reaches the route (401) under the public host or loopback, a foreign host gets 403', async () => {
    expect((await postback('print.example.com')).status).toBe(401);
    expect((await postback(`127.0.0.1:${pub.port}`)).status).toBe(401);
    expect((await postback('203.0.113.7:8443')).status).toBe(401);
    expect((await postback('attacker.example')).status).toBe(403);
  });

  it('the public host does not open /api (only /api/health, for a load balancer)', async () => {
    const r = await rawRequest(`${pub.url}/api/call/engine.status`, { method: 'POST', headers: { host: 'print.example.com', authorization: `Bearer ${pub.apiKey}`, 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(403);
    expect((await rawRequest(`${pub.url}/api/health`, { headers: { host: 'print.example.com' } })).status).toBe(200);
  });
});

describe('credentials', () => {
  it('?token= is accepted only by the event stream, never on a call', async () => {
    const q = `token=${encodeURIComponent(server.apiKey)}`;
    const r = await rawRequest(`${server.url}/api/call/engine.status?${q}`, { method: 'POST', headers: { host, 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(400);
    expect((r.json() as { error: { message: string } }).error.message).toMatch(/Authorization header/);
    const withHeaderToo = await rawRequest(`${server.url}/api/call/engine.status?${q}`, { method: 'POST', headers: { host, ...key, 'content-type': 'application/json' }, body: '{}' });
    expect(withHeaderToo.status).toBe(400);
    expect((await rawRequest(`${server.url}/api/events?${q}`, { headers: { host } })).status).toBe(200);
    expect((await rawRequest(`${server.url}/api/events`, { headers: { host } })).status).toBe(401);
    expect((await rawRequest(`${server.url}/api/events?token=wrong`, { headers: { host } })).status).toBe(401);
  });

  it('the one-time link sets an HttpOnly SameSite=Strict cookie, redirects to a clean address, and works once', async () => {
    const link = server.signInLink();
    expect(link).toMatch(new RegExp(`^${server.url}/\\?auth=[A-Za-z0-9_-]{24,}$`));
    const first = await rawRequest(link, { headers: { host } });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']![0]!;
    expect(cookie).toMatch(new RegExp(`^presslink_session_${server.port}=`));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    const again = await rawRequest(link, { headers: { host } });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/?signin=expired');
    expect(again.headers['set-cookie']).toBeUndefined();
    // The cookie opens the event stream (a same-origin GET) and calls from the page itself.
    const c = cookie.split(';')[0]!;
    expect((await rawRequest(`${server.url}/api/events`, { headers: { host, cookie: c } })).status).toBe(200);
    expect((await call('engine.status', { cookie: c, origin: `http://${host}`, 'content-type': 'application/json' }, '{}')).status).toBe(200);
    // A forged or expired-looking cookie is not.
    expect((await call('engine.status', { cookie: `${c.slice(0, -3)}AAA`, origin: `http://${host}`, 'content-type': 'application/json' }, '{}')).status).toBe(401);
  });

  it('a code pasted on the sign-in page is traded for the cookie once; a new link needs the API key', async () => {
    const code = new URL(server.signInLink()).searchParams.get('auth')!;
    const session = (c: string) => rawRequest(`${server.url}/api/auth/session`, { method: 'POST', headers: { host, origin: `http://${host}`, 'content-type': 'application/json' }, body: JSON.stringify({ code: c }) });
    const ok = await session(code);
    expect(ok.status).toBe(200);
    expect(ok.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await session(code)).status).toBe(401);
    const link = (h: Record<string, string>) => rawRequest(`${server.url}/api/auth/link`, { method: 'POST', headers: { host, 'content-type': 'application/json', ...h }, body: '{}' });
    expect((await link({})).status).toBe(401);
    expect((await link({ cookie: await signedInCookie(), origin: `http://${host}` })).status).toBe(401);
    const fresh = await link(key);
    expect(fresh.status).toBe(200);
    expect((fresh.json() as { result: { url: string } }).result.url).toMatch(/\?auth=/);
  });

  it('/api/health says only that the server is alive', async () => {
    const r = await rawRequest(`${server.url}/api/health`, { headers: { host } });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ ok: true });
  });

  it("the server's secret and its address file are readable by their owner only", () => {
    const files = dataFiles(dir.dir);
    for (const f of [files.serverAuth, files.serverInfo]) expect(fs.statSync(f).mode & 0o077, f).toBe(0);
    expect(JSON.parse(fs.readFileSync(files.serverInfo, 'utf8'))).toMatchObject({ url: server.url, pid: process.pid });
    expect(fs.readFileSync(files.serverInfo, 'utf8')).not.toContain(server.apiKey);
  });
});

describe('signed file links', () => {
  it('a repeated sig (or exp) is answered 400 in plain words, not a 500 with Node internals', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    for (const q of [`exp=${exp}&sig=a&sig=b`, `exp=${exp}&exp=${exp}&sig=a`, `exp=${exp}&sig=a&sig=b&sig=c`]) {
      const r = await rawRequest(`${server.url}/files/1/a.pdf?${q}`, { headers: { host } });
      expect(r.status, q).toBe(400);
      expect(r.text).toMatch(/twice/);
      expect(r.text).not.toMatch(/TypeError|ERR_|at |node:|\.ts|\.js/);
    }
  });
});
