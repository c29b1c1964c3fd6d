import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import { CallError } from '../../shared/contract';
import { createPresslinkApi, type Invoke, type Subscribe } from '../../electron/preload/api';
import { createCallDispatcher } from '../../electron/main/ipc-dispatch';

function bus() {
  let handler: ((event: string, payload: unknown) => void) | null = null;
  let subscriptions = 0;
  const subscribe: Subscribe = (h) => {
    subscriptions++;
    handler = h;
    return () => {
      handler = null;
    };
  };
  return {
    subscribe,
    emit: (event: string, payload: unknown) => handler?.(event, payload),
    get subscribed() {
      return handler !== null;
    },
    get subscriptions() {
      return subscriptions;
    },
  };
}

describe('preload bridge', () => {
  it('exposes exactly call and on', () => {
    const api = createPresslinkApi(async () => ({ ok: true, value: null }), bus().subscribe);
    expect(Object.keys(api).sort()).toEqual(['call', 'on']);
  });

  it('resolves with the engine value through the real dispatcher', async () => {
    const dispatch = createCallDispatcher(() => ({ call: (async () => ({ changed: 2 })) as never }));
    const api = createPresslinkApi(dispatch as Invoke, bus().subscribe);
    await expect(api.call('orders.retry', { ids: [1, 2] })).resolves.toEqual({ changed: 2 });
  });

  it('rejects with a plain error body the page can read (code, message, problems)', async () => {
    const dispatch = createCallDispatcher(() => ({ call: (async () => ({})) as never }));
    const api = createPresslinkApi(dispatch as Invoke, bus().subscribe);
    const err = await api.call('orders.get', { id: -1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'CallError', code: 'invalid_input' });
    expect(Object.getPrototypeOf(err)).toBe(Object.prototype);
    expect((err as { problems: unknown[] }).problems.length).toBeGreaterThan(0);
    // Structured-clone safe: what contextBridge copies is what the page gets.
    expect(structuredClone(err)).toEqual(err);
  });

  it('carries the message of an engine error, and of its problems, for the page to show in its language', async () => {
    // What the main process answers for a refused call (electron/main/ipc-dispatch.ts).
    const refused = { key: 'orders.notFound', params: { id: 7 } } as const;
    const body = new CallError('not_found', 'There is no order 7.', [{ path: 'id', message: 'There is no order 7.', msg: refused }], refused).toBody();
    const api = createPresslinkApi((async () => ({ ok: false, error: body })) as Invoke, bus().subscribe);
    const err = await api.call('orders.get', { id: 7 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_found', msg: refused, problems: [{ path: 'id', msg: refused }] });
    expect(structuredClone(err)).toEqual(err);
  });

  it('carries engine errors with their code', async () => {
    const dispatch = createCallDispatcher(() => ({
      call: (async () => {
        throw new CallError('conflict', 'A sync is already running.');
      }) as never,
    }));
    const api = createPresslinkApi(dispatch as Invoke, bus().subscribe);
    await expect(api.call('sync.now')).rejects.toEqual({ name: 'CallError', code: 'conflict', message: 'A sync is already running.' });
  });

  it('delivers each event only to its listeners and stops after unsubscribe', () => {
    const b = bus();
    const api = createPresslinkApi(async () => ({ ok: true, value: null }), b.subscribe);
    const status = vi.fn();
    const counts = vi.fn();
    const offStatus = api.on('status', status);
    api.on('attention.count', counts);
    b.emit('status', { health: 'healthy' });
    b.emit('attention.count', { count: 3 });
    b.emit('not-an-event', { x: 1 });
    expect(status).toHaveBeenCalledExactlyOnceWith({ health: 'healthy' });
    expect(counts).toHaveBeenCalledExactlyOnceWith({ count: 3 });
    offStatus();
    b.emit('status', { health: 'error' });
    expect(status).toHaveBeenCalledTimes(1);
  });

  it('listens on IPC only while the page listens, with one subscription', () => {
    const b = bus();
    const api = createPresslinkApi(async () => ({ ok: true, value: null }), b.subscribe);
    expect(b.subscribed).toBe(false);
    const off1 = api.on('status', () => {});
    const off2 = api.on('order.changed', () => {});
    expect(b.subscriptions).toBe(1);
    off1();
    expect(b.subscribed).toBe(true);
    off2();
    expect(b.subscribed).toBe(false);
  });

  it('keeps delivering when one listener throws', () => {
    const b = bus();
    const api = createPresslinkApi(async () => ({ ok: true, value: null }), b.subscribe);
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const good = vi.fn();
    api.on('status', () => {
      throw new Error('bad listener');
    });
    api.on('status', good);
    b.emit('status', {});
    expect(good).toHaveBeenCalledOnce();
    spy.mockRestore();
  });

  it('ignores unknown event names from the page', () => {
    const b = bus();
    const api = createPresslinkApi(async () => ({ ok: true, value: null }), b.subscribe);
    const off = api.on('bogus' as never, () => {});
    expect(b.subscribed).toBe(false);
    off();
  });

  it('bundles to a sandbox-safe script that requires nothing but electron', async () => {
    const out = await build({
      entryPoints: [path.resolve('electron/preload/index.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      packages: 'external',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const required = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\(/);
    // No generic pass-through: only the two channels are used.
    expect(code).not.toMatch(/ipcRenderer\.send\(/);
    expect([...code.matchAll(/["'](presslink:[a-z]+)["']/g)].map((m) => m[1]).sort()).toEqual(['presslink:call', 'presslink:event']);
  });
});
