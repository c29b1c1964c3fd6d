import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallError, type PresslinkApi } from '../../shared/contract';
import { createClient, signInCode } from '../../renderer/src/api/client';

// The UI's one client, exercised with the browser globals it uses (fetch, EventSource,
// sessionStorage) replaced by recording fakes.

class FakeEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  listeners = new Map<string, ((ev: { data: string }) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, fn: (ev: { data: string }) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }
  emit(name: string, data: unknown) {
    for (const fn of this.listeners.get(name) ?? []) fn({ data: JSON.stringify(data) });
  }
  close() {
    this.readyState = 2;
  }
}

const store = new Map<string, string>();
let requests: { url: string; headers: Record<string, string>; body: unknown }[] = [];
let respond: (url: string) => { status: number; body: unknown } | 'network-error';

beforeEach(() => {
  store.clear();
  requests = [];
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.stubGlobal('sessionStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v), removeItem: (k: string) => store.delete(k) });
  vi.stubGlobal('fetch', async (url: string, init: { headers: Record<string, string>; body: string; credentials?: string }) => {
    expect(init.credentials).toBe('same-origin');
    requests.push({ url, headers: init.headers, body: JSON.parse(init.body) });
    const r = respond(url);
    if (r === 'network-error') throw new TypeError('Failed to fetch');
    return { ok: r.status >= 200 && r.status < 300, status: r.status, json: async () => r.body };
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('renderer API client over HTTP', () => {
  it('posts the input to /api/call/<name> and returns the result', async () => {
    respond = () => ({ status: 200, body: { ok: true, result: { rows: [], total: 7 } } });
    const api = createClient({}, 'http://engine');
    const r = await api.call('orders.list', { limit: 5 });
    expect(r.total).toBe(7);
    expect(requests[0]!.url).toBe('http://engine/api/call/orders.list');
    expect(requests[0]!.body).toEqual({ limit: 5 });
    expect(requests[0]!.headers.authorization).toBeUndefined();
  });

  it('turns an error answer into a CallError with code, message and problems', async () => {
    const m = { key: 'orders.notFound', params: { id: 5 } };
    respond = () => ({ status: 400, body: { ok: false, error: { code: 'invalid_input', message: 'Not understood', msg: m, problems: [{ path: 'limit', message: 'too big' }] } } });
    const api = createClient({}, '');
    const err = await api.call('orders.list', { limit: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    // The message too, so the page shows the error in its language.
    expect(err).toMatchObject({ code: 'invalid_input', message: 'Not understood', msg: m, problems: [{ path: 'limit', message: 'too big' }] });
  });

  it('reports an unreachable engine as unavailable', async () => {
    respond = () => 'network-error';
    const err = await createClient({}, '').call('engine.status').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable' });
  });

  it('asks to sign in on 401; signIn trades the code (or a pasted link) for the cookie; no credential is kept or sent by the page', async () => {
    const onUnauthorized = vi.fn();
    respond = () => ({ status: 401, body: { ok: false, error: { code: 'unauthorized', message: 'sign in' } } });
    const api = createClient({ onUnauthorized }, '');
    const err = await api.call('engine.status').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unauthorized' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);

    expect(await api.signIn('http://127.0.0.1:4780/?auth=abc%2Ddef_123')).toBe(false);
    expect(requests.at(-1)).toMatchObject({ url: '/api/auth/session', body: { code: 'abc-def_123' } });
    respond = (url) => (url === '/api/auth/session' ? { status: 200, body: { ok: true, result: { signedIn: true } } } : { status: 200, body: { ok: true, result: {} } });
    expect(await api.signIn('  bare-code-456 ')).toBe(true);
    expect(requests.at(-1)!.body).toEqual({ code: 'bare-code-456' });
    await api.call('engine.status');
    // The HttpOnly cookie is the browser's business: the page sends no token and stores none.
    expect(requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(requests.every((r) => r.headers['content-type'] === 'application/json')).toBe(true);
    expect(store.size).toBe(0);
    api.reconnect();
    expect(FakeEventSource.instances.at(-1)!.url).toBe('/api/events');
  });

  it('finds the code in a pasted sign-in link', () => {
    expect(signInCode('http://127.0.0.1:4780/?auth=Zk9_x-1')).toBe('Zk9_x-1');
    expect(signInCode('http://[::1]:4780/?x=1&auth=a%2Bb#/orders')).toBe('a+b');
    expect(signInCode(' an-access-token ')).toBe('an-access-token');
  });

  it('delivers SSE events to listeners by name, and reports connection state', async () => {
    const states: string[] = [];
    const api = createClient({ onConnection: (s) => states.push(s) }, '');
    const got: unknown[] = [];
    const off = api.on('order.changed', (row) => got.push(row.id));
    const es = FakeEventSource.instances[0]!;
    es.onopen?.();
    es.emit('order.changed', { id: 42 });
    es.emit('status', { health: 'healthy' });
    off();
    es.emit('order.changed', { id: 43 });
    expect(got).toEqual([42]);
    // An interruption after the stream was open is "reconnecting" (the banner), not "connecting".
    es.onerror?.();
    expect(states).toEqual(['connecting', 'open', 'reconnecting']);
  });
});

describe('renderer API client over the Electron preload', () => {
  it('uses window.presslink and restores bridged errors as CallErrors', async () => {
    const bridge: PresslinkApi = {
      call: async () => {
        // contextBridge delivers a plain object, not the CallError instance.
        throw { name: 'CallError', code: 'conflict', message: 'A sync is running', msg: { key: 'sync.alreadyRunning' }, problems: [] };
      },
      on: () => () => undefined,
    };
    vi.stubGlobal('window', { presslink: bridge });
    const api = createClient({}, '');
    expect(api.transport).toBe('ipc');
    const err = await api.call('sync.now').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CallError);
    expect(err).toMatchObject({ code: 'conflict', message: 'A sync is running', msg: { key: 'sync.alreadyRunning' } });
    expect(requests).toEqual([]);
  });
});
