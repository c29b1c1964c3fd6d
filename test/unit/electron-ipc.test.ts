import { describe, expect, it, vi } from 'vitest';
import { CallError, type CallName } from '../../shared/contract';
import { msg } from '../../shared/messages/index';
import { createCallDispatcher, isTrustedSender, toCallErrorBody, type CallTarget } from '../../electron/main/ipc-dispatch';
import { appUrl } from '../../electron/main/security';

function fakeEngine(impl: (name: CallName, input: unknown) => unknown): CallTarget & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  return {
    calls,
    call: (async (name: CallName, input: unknown) => {
      calls.push([name, input]);
      return impl(name, input);
    }) as CallTarget['call'],
  };
}

describe('IPC dispatch', () => {
  it('passes a valid call to the engine with defaults filled in', async () => {
    const engine = fakeEngine(() => ({ rows: [], total: 0 }));
    const dispatch = createCallDispatcher(() => engine);
    const r = await dispatch('orders.list', { states: ['needs_attention'] });
    expect(r).toEqual({ ok: true, value: { rows: [], total: 0 } });
    expect(engine.calls).toEqual([['orders.list', { states: ['needs_attention'], offset: 0, limit: 100, sort: 'newest' }]]);
  });

  it('treats a missing input as empty', async () => {
    const engine = fakeEngine(() => ({ ok: 1 }));
    const r = await createCallDispatcher(() => engine)('engine.status', undefined);
    expect(r.ok).toBe(true);
    expect(engine.calls[0]).toEqual(['engine.status', {}]);
  });

  it('rejects names outside the contract without reaching the engine', async () => {
    const engine = fakeEngine(() => 'x');
    const dispatch = createCallDispatcher(() => engine);
    for (const name of ['shell.exec', '__proto__', 'constructor', 'toString', 42, null]) {
      const r = await dispatch(name, {});
      expect(r.ok, String(name)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_input');
    }
    expect(engine.calls).toEqual([]);
  });

  it('explains invalid input field by field and never calls the engine', async () => {
    const engine = fakeEngine(() => 'x');
    const r = await createCallDispatcher(() => engine)('orders.retry', { ids: [0, 'x'], extra: true });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_input');
    expect(r.error.message).toContain('orders.retry');
    const paths = r.error.problems!.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['ids.0', 'ids.1']));
    expect(engine.calls).toEqual([]);
  });

  it('keeps the code and message of an engine CallError', async () => {
    const engine = fakeEngine(() => {
      throw new CallError('not_found', 'There is no order 9.');
    });
    const r = await createCallDispatcher(() => engine)('orders.get', { id: 9 });
    expect(r).toEqual({ ok: false, error: { code: 'not_found', message: 'There is no order 9.' } });
  });

  it('hides the text and stack of unexpected errors and reports them for the log', async () => {
    const onError = vi.fn();
    const engine = fakeEngine(() => {
      throw new Error('SQLITE_BUSY at /home/shop/.config/Presslink/presslink.db');
    });
    const r = await createCallDispatcher(() => engine, { onError })('orders.counts', {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('failed');
    expect(JSON.stringify(r)).not.toMatch(/SQLITE|presslink\.db|at /);
    expect(onError).toHaveBeenCalledWith('orders.counts', expect.any(Error));
  });

  it('scrubs secrets out of error messages', async () => {
    const engine = fakeEngine(() => {
      throw new CallError('unauthorized', 'Infigo refused token tok_5ecret_value', [{ path: 'apiToken', message: 'tok_5ecret_value is wrong' }]);
    });
    const scrub = (s: string) => s.split('tok_5ecret_value').join('[redacted]');
    const r = await createCallDispatcher(() => engine, { scrub })('setup.checkInfigo', { baseUrl: 'https://x', apiToken: 'tok_5ecret_value' });
    expect(JSON.stringify(r)).not.toContain('tok_5ecret_value');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.problems).toEqual([{ path: 'apiToken', message: '[redacted] is wrong' }]);
  });

  it('lets calls made during start-up wait for the engine', async () => {
    let ready!: (t: CallTarget) => void;
    const starting = new Promise<CallTarget>((r) => (ready = r));
    const dispatch = createCallDispatcher(() => starting);
    const pending = dispatch('engine.status', {});
    ready(fakeEngine(() => ({ health: 'healthy' })));
    await expect(pending).resolves.toEqual({ ok: true, value: { health: 'healthy' } });
  });

  it('answers "unavailable" when the engine failed to start', async () => {
    const r = await createCallDispatcher(() => Promise.reject(new Error('database locked')))('engine.status', {});
    expect(r).toEqual({ ok: false, error: { code: 'unavailable', message: expect.any(String) } });
    expect(JSON.stringify(r)).not.toContain('database locked');
  });

  it('answers "unavailable" when there is no engine', async () => {
    const r = await createCallDispatcher(() => null)('engine.status', {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('unavailable');
  });

  it('tells its caller which calls succeeded, and survives a failing hook', async () => {
    const seen: string[] = [];
    const engine = fakeEngine(() => ({ ok: true, problems: [] }));
    const dispatch = createCallDispatcher(() => engine, {
      onSuccess: (n) => {
        seen.push(n);
        throw new Error('hook broke');
      },
    });
    const r = await dispatch('config.save', { config: {} });
    expect(r.ok).toBe(true);
    expect(seen).toEqual(['config.save']);
  });
});

describe('error mapping', () => {
  it('recognises a CallError from another copy of the contract module', () => {
    const foreign = Object.assign(new Error('Store "acme" is not configured.'), { name: 'CallError', code: 'conflict', problems: [{ path: 'stores', message: 'x' }, 'junk'] });
    expect(toCallErrorBody(foreign)).toEqual({ code: 'conflict', message: 'Store "acme" is not configured.', problems: [{ path: 'stores', message: 'x' }] });
  });

  it('keeps the message of a refusal for the window to show in its language, scrubbed like the text', () => {
    const m = msg('orders.cancelFailed', { reason: 'token s3cr3t-value refused' });
    const body = toCallErrorBody(new CallError('conflict', 'Cancel in GelatoConnect failed: token s3cr3t-value refused', undefined, m), (x) => x.replace('s3cr3t-value', '***'));
    expect(body).toEqual({ code: 'conflict', message: 'Cancel in GelatoConnect failed: token *** refused', msg: { key: 'orders.cancelFailed', params: { reason: 'token *** refused' } } });
  });

  it('does not trust an unknown error code', () => {
    const odd = Object.assign(new Error('boom'), { name: 'CallError', code: 'rm -rf' });
    expect(toCallErrorBody(odd).code).toBe('failed');
  });

  it('maps thrown non-errors to a plain failure', () => {
    expect(toCallErrorBody('string thrown')).toEqual({ code: 'failed', message: expect.any(String) });
    expect(toCallErrorBody(undefined).code).toBe('failed');
  });
});

describe('sender check', () => {
  it('trusts only our own top-level page', () => {
    expect(isTrustedSender({ url: appUrl('#/dashboard'), isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: appUrl(), isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/index.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'presslink://other/index.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});
