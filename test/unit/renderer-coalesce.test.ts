import { describe, expect, it } from 'vitest';
import { Coalescer } from '../../renderer/src/orders/coalesce';

// The order drawer's detail re-fetch: a burst of `order.changed` events (a retry sends one per
// transition) makes at most one fetch in flight and one queued behind it, not one per event.

function gate() {
  let open: () => void = () => undefined;
  const p = new Promise<void>((r) => (open = r));
  return { p, open };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('Coalescer', () => {
  it('turns five events during one fetch into two fetches, the last starting after the last event', async () => {
    const gates: ReturnType<typeof gate>[] = [];
    let seen = 0;
    let events = 0;
    const startedAfter: number[] = [];
    const c = new Coalescer(async () => {
      startedAfter.push(events);
      const g = gate();
      gates.push(g);
      await g.p;
      seen++;
    });
    events++;
    const first = c.run();
    for (let i = 0; i < 4; i++) {
      events++;
      void c.run();
    }
    expect(gates).toHaveLength(1);
    gates[0]!.open();
    await first;
    await tick();
    // One trailing fetch for the four events that came while the first was on its way.
    expect(gates).toHaveLength(2);
    gates[1]!.open();
    await tick();
    expect(seen).toBe(2);
    expect(startedAfter).toEqual([1, 5]);
    // Quiet again: the next event fetches at once.
    void c.run();
    expect(gates).toHaveLength(3);
    gates[2]!.open();
    await tick();
  });

  it('a caller waits for a fetch that started after its call, not for the one already running', async () => {
    const gates: ReturnType<typeof gate>[] = [];
    const c = new Coalescer(async () => {
      const g = gate();
      gates.push(g);
      await g.p;
    });
    void c.run();
    let done = false;
    const mine = c.run().then(() => (done = true));
    gates[0]!.open();
    await tick();
    expect(done).toBe(false);
    gates[1]!.open();
    await mine;
    expect(done).toBe(true);
  });

  it('goes on after a failed fetch, and starts nothing after dispose', async () => {
    let calls = 0;
    const c = new Coalescer(async () => {
      calls++;
      if (calls === 1) throw new Error('engine busy');
    });
    await c.run();
    await c.run();
    expect(calls).toBe(2);
    c.dispose();
    await c.run();
    expect(calls).toBe(2);
  });
});
