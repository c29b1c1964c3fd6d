import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostbackTrigger as SandboxTrigger } from '../../electron/sandbox/gelato/index';
import { orderReferenceId } from '../../shared/domain/reference';
import { startHarness, type Harness } from '../helpers/harness';

// Issue 14, part 4: postbacks as GelatoConnect's workflow triggers really are — a URL, a method,
// a format and "retry on failure", no custom headers, no "Package Status Updated" in the trigger
// list — against a sandbox tenant that sends triggers exactly so.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const toSandbox = (ts: { event: string; name: string; url: string; headers: Record<string, string>; template: string }[]): SandboxTrigger[] =>
  ts.map((t) => ({ event: t.event, name: t.name, url: t.url, method: 'POST', format: 'json', headers: t.headers, template: t.template }));

async function postbackHarness() {
  h = await startHarness({ ordersPerStore: 0, progression: 'manual', gelato: { workflowTriggers: true } });
  await h.configure((cfg) => {
    cfg.statusUpdates = { mode: 'postback' };
    cfg.server = { publicBaseUrl: h!.server.url };
  });
  return h;
}

describe('postback triggers without custom headers', () => {
  it('authenticate by a secret path segment, mark "Package Status Updated" optional, and take over from polling once the first postback arrives', async () => {
    const { engine, sandbox } = await postbackHarness();
    const triggers = await engine.call('postbacks.triggers', {});
    const required = triggers.filter((t) => !t.optional);
    expect(triggers.filter((t) => t.optional).map((t) => [t.event, t.note])).toEqual([['Package Status Updated', expect.stringMatching(/^Optional: .*payload guide/)]]);
    for (const t of triggers) {
      expect(t.headers).toEqual({});
      expect(t.url).toMatch(new RegExp(`^${h!.server.url}/hooks/gelato/[A-Za-z0-9_-]{40,}$`));
    }
    // The tenant's trigger list has no package event: Presslink's required triggers do without it.
    expect(() => sandbox.gelato.setTriggers(toSandbox(triggers))).toThrow(/no "Package Status Updated" event/);
    sandbox.gelato.setTriggers(toSandbox(required));

    // Chosen, but not yet proven: polling goes on.
    expect(engine.status().statusMode).toBe('polling');
    const before = (await engine.call('checklist.run', {})).find((c) => c.id === 'postbacks-tested')!;
    expect(before).toMatchObject({ status: 'fail', message: expect.stringMatching(/keeps polling until one does/) });

    const id = sandbox.infigo.addOrder('acme', { lines: [{ sku: 'BC-85x55-400', quantity: 250, attributes: { Paper: '400gsm Silk' } }], orderStatus: 'Processing', paymentStatus: 'Paid', shippingMethod: 'First Class' }).id;
    await h!.sync();
    const ref = orderReferenceId('acme', id);
    await sandbox.gelato.waitForFilesSettled(ref);
    await sandbox.gelato.advance(ref, 'shipped');
    const delivered = sandbox.gelato.postbacks().filter((p) => p.orderReferenceId === ref);
    expect(delivered.map((p) => [p.trigger, p.responseStatus])).toEqual(expect.arrayContaining([['Presslink – Order received', 200], ['Presslink – Order shipped', 200]]));
    expect(delivered.every((p) => !('x-presslink-secret' in p.headers))).toBe(true);
    // The shipped postback alone moved the order: no sync ran since.
    await expect.poll(async () => (await engine.call('orders.list', { q: ref })).rows[0]!.state, { timeout: 5_000 }).toBe('shipped');
    expect(engine.status().statusMode).toBe('postback');
    // "Test this trigger": each trigger says when its event last arrived; those not yet, say so.
    const arrived = new Map((await engine.call('postbacks.triggers', {})).map((t) => [t.event, t.lastReceivedAt]));
    for (const event of ['Order received', 'Order shipped']) expect(Date.parse(arrived.get(event)!)).toBeGreaterThan(Date.now() - 60_000);
    expect(arrived.get('Order delivered')).toBeNull();
    expect(triggers.every((t) => t.lastReceivedAt === null)).toBe(true);
    const after = (await engine.call('checklist.run', {})).find((c) => c.id === 'postbacks-tested')!;
    expect(after).toMatchObject({ status: 'pass', message: expect.stringMatching(/^Postbacks arrive from GelatoConnect/) });
  }, 60_000);

  it('the secret never reaches the log, and rotating it refuses the old address at once', async () => {
    const { engine } = await postbackHarness();
    const [first] = await engine.call('postbacks.triggers', {});
    const secret = decodeURIComponent(first!.url.split('/').at(-1)!);
    engine.ctx.log.info({ url: first!.url }, 'postback address handed out');
    const ping = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"presslink.ping"}' });
    expect((await ping(first!.url)).status).toBe(200);

    const rotated = await engine.call('postbacks.rotateSecret', {});
    expect(rotated[0]!.url).not.toBe(first!.url);
    expect((await ping(first!.url)).status).toBe(401);
    expect((await ping(rotated[0]!.url)).status).toBe(200);
    engine.ctx.log.flush?.();
    const log = fs.readFileSync(path.join(h!.dataDir, 'logs', 'presslink.log'), 'utf8');
    expect(log).toContain('postback address handed out');
    expect(log).not.toContain(secret);
    expect(log).toContain('/hooks/gelato/[redacted]');

    // A secret set in the configuration is not Presslink's to replace.
    await h!.configure((cfg) => {
      cfg.statusUpdates = { mode: 'postback', postbackSecret: 'configured-postback-secret-0123456789' };
      cfg.server = { publicBaseUrl: h!.server.url };
    });
    await expect(engine.call('postbacks.rotateSecret', {})).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/set in the configuration/) });
  }, 60_000);

  it('a postback without an order reference is answered 200 and recorded as ignored, once, and proves nothing', async () => {
    const { engine } = await postbackHarness();
    const [t] = await engine.call('postbacks.triggers', {});
    const body = JSON.stringify({ presslink: 1, event: 'order.shipped', orderReferenceId: null, status: 'shipped' });
    const send = () => fetch(t!.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const r = await send();
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, ignored: 'no order reference' });
    expect((await send()).status).toBe(200);
    const rows = engine.ctx.db.prepare('SELECT order_reference_id AS ref, result FROM postbacks').all() as { ref: string | null; result: string }[];
    expect(rows).toEqual([{ ref: null, result: expect.stringMatching(/^ignored: no order reference/) }]);
    expect(engine.status().statusMode).toBe('polling');
    const check = (await engine.call('checklist.run', {})).find((c) => c.id === 'postbacks-tested')!;
    expect(check.status).toBe('fail');
  }, 30_000);
});
