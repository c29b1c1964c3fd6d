import http from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine } from '../../electron/core/engine';
import type { Served } from '../../electron/core/engine-types';
import { createSandboxLauncher } from '../../electron/sandbox/launcher';
import { launchBrowser } from '../e2e/helpers';
import { tempDir } from '../helpers/tmp';

// Issue 13, items 1 and 2, in real Chromium. The admin's browser is signed in to
// Presslink (it holds the session cookie); a web page from elsewhere — another port
// of 127.0.0.1 (same site, so a SameSite cookie rides along), or `localhost` — tries
// to change the engine's state and read its data; a DNS-rebinding page (its name
// resolves to 127.0.0.1) tries the same from "its own" origin. Before the fix, the
// no-cors POSTs paused the sync and switched the live config to the sandbox, and the
// rebinding page read the postback secret and an export with every secret.

type Engine = Awaited<ReturnType<typeof startEngine>>;
let engine: Engine;
let server: Served;
let dir: { dir: string; cleanup: () => void };
let attacker: http.Server;
let attackerPort: number;
let browser: Browser;

beforeAll(async () => {
  dir = tempDir('presslink-cross-site-');
  engine = await startEngine({ dataDir: dir.dir, mode: 'headless', schedule: false, sandbox: createSandboxLauncher() });
  server = await engine.serve({ port: 0 });
  attacker = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Cheap flights</title><p>Nothing to see here.</p>'));
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  attackerPort = (attacker.address() as { port: number }).port;
  browser = await launchBrowser([`--host-resolver-rules=MAP attacker.example 127.0.0.1`]);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => attacker?.close(r));
  await engine?.stop();
  dir?.cleanup();
});

const target = () => `http://127.0.0.1:${server.port}`;

/** What the attacker's page runs: simple requests the browser sends without asking the server first. */
async function attack(pageOrigin: string, signedIn: boolean): Promise<{ readable: string[] }> {
  const context = await browser.newContext();
  try {
    if (signedIn) {
      // The admin signed in earlier today: the browser holds Presslink's cookie.
      const admin = await context.newPage();
      await admin.goto(server.signInLink());
      expect((await context.cookies(target())).map((c) => c.name)).toContain(`presslink_session_${server.port}`);
    }
    const page = await context.newPage();
    await page.goto(`${pageOrigin}/`);
    return await page.evaluate(async (t) => {
      const readable: string[] = [];
      for (const name of ['setup.useSandbox', 'sync.pause', 'sync.now', 'checklist.placeTestOrders']) {
        const url = `${t}/api/call/${name}`;
        // The exact request: no body, so the old server ran the call with {}.
        await fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include' }).catch(() => undefined);
        await fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"orders":1}' }).catch(() => undefined);
        // A form posted into a hidden frame.
        await new Promise<void>((resolve) => {
          const frame = document.createElement('iframe');
          frame.name = `f-${name}`;
          frame.style.display = 'none';
          document.body.appendChild(frame);
          const form = document.createElement('form');
          form.method = 'POST';
          form.action = url;
          form.target = frame.name;
          form.enctype = 'text/plain';
          const input = document.createElement('input');
          input.name = '{"orders":1,"x":"';
          input.value = '"}';
          form.appendChild(input);
          document.body.appendChild(form);
          frame.addEventListener('load', () => resolve(), { once: true });
          setTimeout(resolve, 3000);
          form.submit();
        });
      }
      // Reading: each of these must fail in the page.
      for (const name of ['postbacks.triggers', 'shipping.megascript', 'config.get']) {
        try {
          const r = await fetch(`${t}/api/call/${name}`, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{}' });
          readable.push(`${name}: ${await r.text()}`);
        } catch {
          /* blocked: what we want */
        }
        try {
          const r = await fetch(`${t}/api/call/${name}`, { method: 'POST', credentials: 'include', body: '{}' });
          readable.push(`${name} (simple): ${await r.text()}`);
        } catch {
          /* blocked */
        }
      }
      const events = await new Promise<string | null>((resolve) => {
        const es = new EventSource(`${t}/api/events`, { withCredentials: true });
        es.addEventListener('status', (e) => resolve((e as MessageEvent<string>).data));
        es.onerror = () => resolve(null);
        setTimeout(() => resolve(null), 3000);
      });
      if (events) readable.push(`events: ${events}`);
      return { readable };
    }, target());
  } finally {
    await context.close();
  }
}

describe('a web page the admin visits', () => {
  for (const where of ['another port of 127.0.0.1 (same site)', 'localhost (another site)']) {
    const origin = () => (where.startsWith('localhost') ? `http://localhost:${attackerPort}` : `http://127.0.0.1:${attackerPort}`);
    for (const signedIn of [false, true]) {
      const who = signedIn ? 'signed in to the web UI' : 'never signed in (a desktop-app user: the window uses IPC)';
      it(`on ${where}, in a browser ${who}, cannot change state (no-cors fetch, form POST) nor read data`, async () => {
        const { readable } = await attack(origin(), signedIn);
        const s = engine.status();
        expect(s.paused, 'sync.pause from the foreign page paused the sync').toBe(false);
        expect(s.configured, 'setup.useSandbox from the foreign page replaced the configuration').toBe(false);
        expect(readable).toEqual([]);
      });
    }
  }
});

describe('a DNS-rebinding page (attacker.example resolves to 127.0.0.1)', () => {
  it('cannot call the API from "its own" origin: no secret, no export, no state change', async () => {
    const triggers = await engine.call('postbacks.triggers', {});
    const secret = triggers[0]!.headers['X-Presslink-Secret']!;
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const res = await page.goto(`http://attacker.example:${server.port}/`);
      expect(res?.status()).toBe(403);
      const answers = await page.evaluate(async () => {
        const out: { status: number; text: string }[] = [];
        for (const [name, body] of [
          ['postbacks.triggers', {}],
          ['shipping.megascript', {}],
          ['config.export', { includeSecrets: true, passphrase: 'chosen-by-the-attacker' }],
          ['sync.pause', {}],
        ] as const) {
          const r = await fetch(`/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
          out.push({ status: r.status, text: await r.text() });
        }
        return out;
      });
      for (const a of answers) {
        expect(a.status).toBe(403);
        expect(a.text).not.toContain(secret);
        expect((JSON.parse(a.text) as { error: { message: string } }).error.message).toMatch(/does not answer requests addressed to "attacker\.example/);
      }
      expect(engine.status().paused).toBe(false);
    } finally {
      await context.close();
    }
  });
});
