import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markAttention } from '../../electron/core/backsync/push';
import { applyGelatoStatus } from '../../electron/core/backsync/apply';
import { applyStoredPostback, intake } from '../../electron/core/backsync/intake';
import { parsePostback } from '../../electron/core/backsync/postback-format';
import { ATTENTION_COUNT_SQL } from '../../electron/core/db/orders-repo';
import { renderMsg } from '../../electron/core/i18n';
import { startHarness, type Harness } from '../helpers/harness';

// Two promises the order log makes: the "Needs attention" badge counts every order a person
// must look at, whichever path changed it; and pressing Retry on a failed order changes it
// completely or not at all.

let h: Harness;
let shippedLate: number;
let failing: number;

beforeAll(async () => {
  h = await startHarness({ ordersPerStore: 8, seed: 5, progression: 'manual' });
  await h.configure();
  const s = await h.sync();
  expect(s.submitted).toBeGreaterThan(1);
  const submitted = h.engine.ctx.repo.inStates(['submitted']);
  shippedLate = submitted[0]!.id;
  failing = submitted[1]!.id;
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('the attention count', () => {
  it('keeps an order whose Infigo update failed when another order fails in GelatoConnect', async () => {
    const ctx = h.engine.ctx;
    // What the pusher does after Infigo refused a status update five times: the order keeps its state.
    markAttention(ctx, ctx.repo.byId(shippedLate)!, 'Infigo did not accept the status update after 5 attempts: 500.');
    const counts: number[] = [];
    const off = h.engine.on('attention.count', (e) => counts.push(e.count));
    const o = ctx.repo.byId(failing)!;
    const body = { event: 'order.failed', orderReferenceId: o.orderReferenceId, status: 'failed' };
    const parsed = parsePostback(body);
    if (!parsed.ok || 'ping' in parsed) throw new Error('test postback not understood');
    const r = intake(ctx, parsed.value, body);
    await applyStoredPostback(ctx, r.apply!);
    off();
    expect(ctx.repo.byId(failing)!.state).toBe('failed');
    const listed = (await h.engine.call('orders.list', { attention: true })).total;
    expect(listed).toBe(2);
    expect(counts.at(-1)).toBe(listed);
    expect(h.engine.status().attentionCount).toBe(listed);
  });
});

describe('the attention count on a large order log', () => {
  it('is counted from the indexes, never by reading every order (the status, header and tray ask for it on every change)', () => {
    // A full read of 100,000 orders took 250 ms and held the server: the order log's first rows waited behind it.
    const plan = (h.engine.ctx.db.prepare(`EXPLAIN QUERY PLAN ${ATTENTION_COUNT_SQL}`).all() as { detail: string }[]).map((r) => r.detail);
    expect(plan.filter((d) => /^SCAN orders\b/.test(d))).toEqual([]);
    expect(plan.join(' | ')).toMatch(/USING (COVERING )?INDEX/);
  });
});

describe('Retry on an order GelatoConnect failed', () => {
  it('changes nothing when its timeline event cannot be written, and everything when it can', async () => {
    const ctx = h.engine.ctx;
    const before = ctx.repo.byId(failing)!;
    expect(before.state).toBe('failed');
    // A write that fails half-way (a full disk, a locked file): the event insert is refused.
    ctx.db.exec("CREATE TEMP TRIGGER refuse_retry BEFORE INSERT ON events WHEN NEW.kind = 'retry' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    try {
      await expect(h.engine.call('orders.retry', { ids: [failing] })).rejects.toThrow(/disk I\/O error/);
    } finally {
      ctx.db.exec('DROP TRIGGER refuse_retry');
    }
    const after = ctx.repo.byId(failing)!;
    expect(after.state).toBe('failed');
    expect(after.orderReferenceId).toBe(before.orderReferenceId);
    expect(after.gelatoOrderId).toBe(before.gelatoOrderId);

    expect((await h.engine.call('orders.retry', { ids: [failing] })).changed).toBe(1);
    const retried = ctx.repo.byId(failing)!;
    expect(retried.orderReferenceId).not.toBe(before.orderReferenceId);
    expect(retried.gelatoOrderId).toBeNull();
  });
});

describe('Skip on an order GelatoConnect already has', () => {
  it('says Presslink stops following it, not that it will not be produced', async () => {
    const ctx = h.engine.ctx;
    const o = ctx.repo.inStates(['submitted'])[0]!;
    applyGelatoStatus(ctx, o, { status: 'failed', source: 'poll' });
    expect((await h.engine.call('orders.skip', { ids: [o.id], reason: 'customer withdrew' })).changed).toBe(1);
    const last = (await h.engine.call('orders.get', { id: o.id })).timeline.at(-1)!;
    expect(last.kind).toBe('skipped');
    expect(last.message).not.toMatch(/not be produced/);
    expect(last.message).toContain(o.orderReferenceId);
    expect(last.message).toContain('customer withdrew');
  });
});

describe('actions a state does not allow', () => {
  it('are refused by the engine with the reason the order log shows, in both languages', async () => {
    const ctx = h.engine.ctx;
    const o = ctx.repo.inStates(['submitted'])[0]!;
    applyGelatoStatus(ctx, o, { status: 'delivered', source: 'poll' });
    expect(ctx.repo.byId(o.id)!.state).toBe('delivered');
    // "Retried: 0" told the person nothing; the answer now says which order and why.
    const r = await h.engine.call('orders.retry', { ids: [o.id] });
    expect(r.changed).toBe(0);
    expect(r.refused).toEqual([expect.objectContaining({ id: o.id, reason: 'delivered' })]);
    expect(renderMsg(r.refused![0]!.msg)).toBe(`Order ${o.infigoOrderId}: “Retry” is not possible because the order has been delivered.`);
    expect(renderMsg(r.refused![0]!.msg, 'it')).toBe(`Ordine ${o.infigoOrderId}: «Riprova» non è possibile perché l'ordine è stato consegnato.`);
    await expect(h.engine.call('orders.cancel', { id: o.id })).rejects.toMatchObject({ code: 'conflict', msg: { key: 'orders.refused' } });
    expect((await h.engine.call('orders.skip', { ids: [o.id] })).refused?.[0]?.reason).toBe('delivered');
  });
});
