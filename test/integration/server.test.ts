import { afterEach, describe, expect, it } from 'vitest';
import { startEngine } from '../../electron/core/engine';
import { startServer, type RunningServer } from '../../electron/core/server/index';
import { MemorySecretStore } from '../../electron/core/secrets/file-store';
import { tempDir } from '../helpers/tmp';
import { dataFiles } from '../../electron/core/paths';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const auth = (s: RunningServer) => ({ authorization: `Bearer ${s.apiKey}` });

async function boot(host = '127.0.0.1'): Promise<{ server: RunningServer; dir: string }> {
  const t = tempDir();
  const engine = await startEngine({ dataDir: t.dir, mode: 'headless', secrets: new MemorySecretStore(), schedule: false });
  const server = await startServer({ engine, host, port: 0, tokenFile: dataFiles(t.dir).serverToken, authFile: dataFiles(t.dir).serverAuth });
  cleanups.push(t.cleanup, () => engine.stop(), () => server.close());
  return { server, dir: t.dir };
}

/** Reads server-sent events until `want` of them have arrived. */
async function readEvents(url: string, want: number, headers: Record<string, string> = {}): Promise<{ event: string; data: unknown }[]> {
  const ac = new AbortController();
  const res = await fetch(url, { headers, signal: ac.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const out: { event: string; data: unknown }[] = [];
  let buf = '';
  while (out.length < want) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += new TextDecoder().decode(value);
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const ev = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (ev && data) out.push({ event: ev, data: JSON.parse(data) });
    }
  }
  ac.abort();
  return out;
}

describe('headless server', () => {
  it('answers health and serves the contract over HTTP', async () => {
    const { server, dir } = await boot();
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health.ok).toBe(true);
    const r = await fetch(`${server.url}/api/call/engine.status`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(server) }, body: '{}' });
    const body = await r.json();
    expect(body.ok).toBe(true);
    expect(body.result.dataDir).toBe(dir);
    expect(body.result.health).toBe('unconfigured');
  });

  it('rejects bad input with the problems listed, and unknown calls with 404', async () => {
    const { server } = await boot();
    const bad = await fetch(`${server.url}/api/call/orders.list`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth(server) }, body: JSON.stringify({ limit: -1 }) });
    expect(bad.status).toBe(400);
    const b = await bad.json();
    expect(b.error.code).toBe('invalid_input');
    expect(b.error.problems[0].path).toBe('limit');
    const unknown = await fetch(`${server.url}/api/call/orders.delete_everything`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', ...auth(server) } });
    expect(unknown.status).toBe(404);
  });

  it('pushes engine events over SSE as they happen', async () => {
    const { server } = await boot();
    const events = readEvents(`${server.url}/api/events`, 2, auth(server));
    await new Promise((r) => setTimeout(r, 200));
    await fetch(`${server.url}/api/call/sync.pause`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', ...auth(server) } });
    const got = await events;
    expect(got[0]!.event).toBe('status');
    expect(got[1]!.event).toBe('status');
    expect((got[1]!.data as { paused: boolean }).paused).toBe(true);
  });

  it('binds loopback by default', async () => {
    const { server } = await boot();
    expect(server.host).toBe('127.0.0.1');
    expect(server.createdToken).toBeUndefined();
  });

  it('on a non-loopback bind, refuses every contract call without the access token', async () => {
    const { server } = await boot('0.0.0.0');
    expect(server.createdToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const call = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${server.port}/api/call/engine.status`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', ...headers } });
    expect((await call({})).status).toBe(401);
    expect((await call({ authorization: 'Bearer wrong-token-value' })).status).toBe(401);
    const events = await fetch(`http://127.0.0.1:${server.port}/api/events`);
    expect(events.status).toBe(401);
    const ok = await call({ authorization: `Bearer ${server.createdToken}` });
    expect(ok.status).toBe(200);
    // The local API key works on every bind.
    expect((await call({ authorization: `Bearer ${server.apiKey}` })).status).toBe(200);
    // Health stays open so a load balancer or the tray can probe it.
    expect((await fetch(`http://127.0.0.1:${server.port}/api/health`)).status).toBe(200);
  });

  it('needs a credential on any loopback address too (127.0.0.2 is loopback, and so is every other bind now)', async () => {
    const { server } = await boot('127.0.0.2');
    expect(server.createdToken).toBeUndefined();
    const call = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/call/engine.status`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', ...headers } });
    expect((await call({})).status).toBe(401);
    expect((await call(auth(server))).status).toBe(200);
  });

  it('keeps only a hash of the access token on disk', async () => {
    const { server, dir } = await boot('0.0.0.0');
    const fs = await import('node:fs');
    const stored = fs.readFileSync(dataFiles(dir).serverToken, 'utf8');
    expect(stored).not.toContain(server.createdToken!);
  });
});
