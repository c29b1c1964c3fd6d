import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallInput, OrderRow } from '../../shared/contract';
import { OrderWindow, PAGE, retryDelay, type OrderFilters } from '../../renderer/src/orders/order-window';

// The order log's paging, late-answer and retry rules, without a browser: `list` stands in for
// the engine's `orders.list` (the boundary the class is given), answers are released by hand,
// and time is vitest's fake clock.

type ListInput = CallInput<'orders.list'>;

function row(id: number, tag = ''): OrderRow {
  return {
    id,
    storeId: 'acme',
    infigoOrderId: 500_000 + id,
    gelatoOrderId: null,
    orderReferenceId: `pl-${id}${tag}`,
    state: 'discovered',
    attentionReason: null,
    customerName: null,
    country: null,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
  };
}

/** An engine whose answers the test releases one by one. */
function fakeEngine(total = 1000) {
  const calls: { input: ListInput; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const list = vi.fn(
    (input: ListInput) =>
      new Promise<{ rows: OrderRow[]; total: number }>((res, rej) => {
        const offset = input.offset ?? 0;
        const limit = input.limit ?? PAGE;
        const n = input.q ? input.q.length : total;
        const base = input.q ? input.q.length * 10_000 : 0;
        const rows = Array.from({ length: Math.max(0, Math.min(limit, n - offset)) }, (_, i) => row(base + offset + i + 1, input.q ?? ''));
        calls.push({ input, resolve: () => res({ rows, total: n }), reject: rej });
      }),
  );
  return { list, calls };
}

const flush = () => vi.advanceTimersByTimeAsync(0);
const all: OrderFilters = { sort: 'newest' };

describe('OrderWindow', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('loads the first window for a filter, then each window by its position as it comes into view', async () => {
    const { list, calls } = fakeEngine(1000);
    const changed = vi.fn();
    const w = new OrderWindow(list, changed, all);
    w.attach();
    w.request(all);
    expect(calls.map((c) => [c.input.offset, c.input.limit])).toEqual([[0, PAGE]]);
    // The same filters again are no new query.
    w.request({ sort: 'newest' });
    expect(calls).toHaveLength(1);
    expect(w.total).toBeNull();
    expect(w.pending).toBe(true);
    calls[0]!.resolve();
    await flush();
    expect(w.total).toBe(1000);
    expect(w.pending).toBe(false);
    expect(w.rowAt(0)?.id).toBe(1);
    expect(w.rowAt(PAGE - 1)?.id).toBe(PAGE);
    expect(w.rowAt(PAGE)).toBeUndefined();
    expect(changed).toHaveBeenCalled();

    // Scrolled to rows 450..470: only the window holding them (offset 400) is asked for.
    w.ensure(450, 470);
    expect(calls.map((c) => c.input.offset)).toEqual([0, 2 * PAGE]);
    // Asked again while loading (the page renders on every scroll): not sent twice.
    w.ensure(450, 470);
    expect(calls).toHaveLength(2);
    calls[1]!.resolve();
    await flush();
    expect(w.rowAt(450)?.id).toBe(451);
    // A range across a window edge asks for both windows it touches, once each.
    w.ensure(590, 610);
    expect(calls.slice(2).map((c) => c.input.offset)).toEqual([PAGE * 3]);
    w.detach();
  });

  it('drops a late answer to an older filter: the table ends on the last query', async () => {
    const { list, calls } = fakeEngine();
    const w = new OrderWindow(list, () => undefined, all);
    w.attach();
    w.request({ ...all, q: 'hop' });
    w.request({ ...all, q: 'hopper' });
    expect(calls.map((c) => c.input.q)).toEqual(['hop', 'hopper']);
    // "hopper" answers first…
    calls[1]!.resolve();
    await flush();
    expect(w.total).toBe(6);
    expect(w.rowAt(0)?.orderReferenceId).toBe('pl-60001hopper');
    // …then "hop", late: it must not replace the newer answer.
    calls[0]!.resolve();
    await flush();
    expect(w.total).toBe(6);
    expect(w.rowAt(0)?.orderReferenceId).toBe('pl-60001hopper');
    expect(w.shownKey).toBe(JSON.stringify({ ...all, q: 'hopper' }));
    expect(w.pending).toBe(false);
    w.detach();
  });

  it('keeps showing the previous answer until the new filter has its rows (no blank in between)', async () => {
    const { list, calls } = fakeEngine(1000);
    const w = new OrderWindow(list, () => undefined, all);
    w.attach();
    w.request(all);
    calls[0]!.resolve();
    await flush();
    const next = { ...all, q: 'abc' };
    w.setFilters(next);
    w.request(next);
    expect(w.total).toBe(1000);
    expect(w.pending).toBe(true);
    calls[1]!.resolve();
    await flush();
    expect(w.total).toBe(3);
    expect(w.pending).toBe(false);
    w.detach();
  });

  it('retries a failed window after 1, 2, 4 … 30 s, not on every render', async () => {
    const { list, calls } = fakeEngine(1000);
    const w = new OrderWindow(list, () => undefined, all);
    w.attach();
    w.request(all);
    calls[0]!.resolve();
    await flush();

    const failing = () => calls.filter((c) => c.input.offset === 2 * PAGE);
    w.ensure(400, 420);
    failing().at(-1)!.reject(new Error('busy'));
    await flush();
    expect(w.error).toEqual(new Error('busy'));
    expect(w.failedAt(410)).toBe(true);
    expect(w.rowAt(410)).toBeUndefined();

    // Each failure waits twice as long as the one before, up to 30 s.
    const waits = [1000, 2000, 4000, 8000, 16000, 30000, 30000];
    for (const wait of waits) {
      // Rendering asks for the window again and again meanwhile: nothing is sent.
      const before = failing().length;
      w.ensure(400, 420);
      await vi.advanceTimersByTimeAsync(wait - 1);
      w.ensure(400, 420);
      expect(failing().length, `no retry before ${wait} ms`).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      // The retry is due: the window is unmarked and the next render's `ensure` loads it.
      w.ensure(400, 420);
      expect(failing().length, `retried after ${wait} ms`).toBe(before + 1);
      failing().at(-1)!.reject(new Error('busy'));
      await flush();
    }
    expect(waits).toEqual([1, 2, 3, 4, 5, 6, 7].map(retryDelay));

    // It recovers: the rows show, the error goes, and the next failure starts again at 1 s.
    await vi.advanceTimersByTimeAsync(30_000);
    w.ensure(400, 420);
    failing().at(-1)!.resolve();
    await flush();
    expect(w.rowAt(410)?.id).toBe(411);
    expect(w.error).toBeNull();
    w.ensure(800, 810);
    calls.at(-1)!.reject(new Error('busy again'));
    await flush();
    const n = calls.length;
    await vi.advanceTimersByTimeAsync(999);
    w.ensure(800, 810);
    expect(calls.length).toBe(n);
    await vi.advanceTimersByTimeAsync(1);
    w.ensure(800, 810);
    expect(calls.length).toBe(n + 1);
    w.detach();
  });

  it('retries at once when the user asks, without waiting for the timer', async () => {
    const { list, calls } = fakeEngine(1000);
    const w = new OrderWindow(list, () => undefined, all);
    w.attach();
    w.request({ ...all, q: 'turing' });
    calls[0]!.reject(new Error('The order database is busy'));
    await flush();
    expect(w.error).toEqual(new Error('The order database is busy'));
    // No rows of another filter pass for this one's.
    expect(w.total).toBeNull();
    w.retry();
    expect(calls).toHaveLength(2);
    expect(calls[1]!.input.q).toBe('turing');
    calls[1]!.resolve();
    await flush();
    expect(w.total).toBe(6);
    expect(w.error).toBeNull();
    // The cancelled timer does not fire a second request later.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(2);
    w.detach();
  });

  it('a retry of an older filter is dropped once a newer filter was asked for', async () => {
    const { list, calls } = fakeEngine(1000);
    const w = new OrderWindow(list, () => undefined, all);
    w.attach();
    w.request({ ...all, q: 'a' });
    calls[0]!.reject(new Error('busy'));
    await flush();
    w.request({ ...all, q: 'ab' });
    calls[1]!.resolve();
    await flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.map((c) => c.input.q)).toEqual(['a', 'ab']);
    expect(w.error).toBeNull();
    w.detach();
  });

  it('does not retry after the page is left (detached), neither a pending timer nor a failure that lands later', async () => {
    const { list, calls } = fakeEngine(1000);
    const changed = vi.fn();
    const w = new OrderWindow(list, changed, all);
    w.attach();
    // A failure with its retry scheduled, then the page is left.
    w.request({ ...all, q: 'x' });
    calls[0]!.reject(new Error('busy'));
    await flush();
    w.request({ ...all, q: 'lovelace' });
    w.detach();
    // The answer to the request sent before leaving fails only now.
    calls[1]!.reject(new Error('busy'));
    await flush();
    const count = changed.mock.calls.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(2);
    expect(changed.mock.calls.length).toBe(count);
  });

  it('patches a loaded row in place and says when a row is not loaded; refetch reloads what is on screen', async () => {
    const { list, calls } = fakeEngine(1000);
    const w = new OrderWindow(list, () => undefined, all);
    w.attach();
    w.request(all);
    calls[0]!.resolve();
    await flush();
    expect(w.patch({ ...row(3), state: 'shipped' })).toBe(true);
    expect(w.rowAt(2)?.state).toBe('shipped');
    expect(w.patch(row(999_999))).toBe(false);
    w.ensure(400, 420);
    calls[1]!.resolve();
    await flush();
    // New orders shifted every position: the windows on screen are fetched again together.
    w.refetch(390, 410);
    expect(calls.slice(2).map((c) => c.input.offset)).toEqual([PAGE, 2 * PAGE]);
    // Until they are all there, the old view stays.
    calls[2]!.resolve();
    await flush();
    expect(w.rowAt(2)?.state).toBe('shipped');
    calls[3]!.resolve();
    await flush();
    // Swapped in whole: the windows asked for, and nothing of the old view (window 0 is not on screen).
    expect(w.rowAt(2)).toBeUndefined();
    expect(w.rowAt(200)?.id).toBe(201);
    expect(w.rowAt(400)?.id).toBe(401);
    w.detach();
  });
});
