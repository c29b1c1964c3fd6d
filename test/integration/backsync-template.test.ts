import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemplateEnv } from '../../electron/sandbox/gelato/postbacks';
import { startHarness, type Harness } from '../helpers/harness';

// Generator and parser agree: the templates Presslink generates, rendered from the event data
// the GelatoConnect sandbox builds (documented field names, reference §3.4) by nunjucks and by
// real Jinja2, are accepted by Presslink's intake and applied.

let h: Harness;

function jinja2Available(): string | null {
  try {
    execFileSync('python3', ['-c', 'import jinja2'], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `python3 with jinja2 is not available here (${(e as Error).message.split('\n')[0]}), so only the nunjucks half ran`;
  }
}

function renderJinja2(jobs: { template: string; context: unknown }[]): string[] {
  const py = 'import sys, json, jinja2\nenv = jinja2.Environment()\njobs = json.load(sys.stdin)\nprint(json.dumps([env.from_string(j["template"]).render(**j["context"]) for j in jobs]))';
  return JSON.parse(execFileSync('python3', ['-c', py], { input: JSON.stringify(jobs), encoding: 'utf8' })) as string[];
}

beforeAll(async () => {
  h = await startHarness({ ordersPerStore: 6, seed: 21, progression: 'manual' });
  await h.configure((cfg) => {
    cfg.statusUpdates = { mode: 'postback' };
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('generated trigger templates', () => {
  it('render (nunjucks and Jinja2) from the sandbox event data into postbacks the intake accepts and applies', async () => {
    const triggers = await h.engine.call('postbacks.triggers', {});
    const hook = triggers[0]!.url;
    const secret = triggers[0]!.headers['X-Presslink-Secret']!;
    // The sandbox renders and records, but delivers to a closed port, so Presslink hears
    // only what this test posts.
    h.sandbox.gelato.setTriggers(triggers.map((t) => ({ event: t.event, name: t.name, url: 'http://127.0.0.1:1/hooks/gelato', template: t.template, retryOnFailure: false, headers: t.headers })));
    await h.sync();
    const order = ((await h.engine.call('orders.list', { limit: 100 })) as unknown as { rows: { id: number; state: string; orderReferenceId: string; infigoOrderId: number }[] }).rows.find((r) => r.state === 'submitted')!;
    const ref = order.orderReferenceId;
    const g = h.sandbox.gelato;
    await g.waitForFilesSettled(ref);
    for (const to of ['created', 'in_production', 'printed', 'packaged', 'shipped'] as const) await g.advance(ref, to);

    const records = g.postbacks().filter((p) => p.orderReferenceId === ref);
    const produced = records.find((r) => r.trigger === 'Presslink – Order produced')!;
    const shipped = records.find((r) => r.trigger === 'Presslink – Order shipped')!;
    expect(produced && shipped).toBeTruthy();
    const template = (name: string) => triggers.find((t) => t.name === name)!.template;

    // nunjucks, with the sandbox's own environment, reproduces what the sandbox sent.
    const env = createTemplateEnv();
    for (const r of records) expect(env.renderString(template(r.trigger), r.context)).toBe(r.body);

    const skip = jinja2Available();
    const post = (body: string) => fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json', 'x-presslink-secret': secret }, body });
    if (skip) {
      console.warn(`[backsync-template] ${skip}`);
    } else {
      const jinja = renderJinja2(records.map((r) => ({ template: template(r.trigger), context: r.context })));
      // Same data, same meaning, whichever engine renders it.
      records.forEach((r, i) => expect(JSON.parse(jinja[i]!)).toEqual(JSON.parse(r.body)));
      const res = await post(jinja[records.indexOf(produced)]!);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true });
      await expect.poll(async () => ((await h.engine.call('orders.get', { id: order.id })) as { state: string }).state).toBe('in_production');
    }

    const res = await post(env.renderString(template(shipped.trigger), shipped.context));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
    await expect.poll(async () => ((await h.engine.call('orders.get', { id: order.id })) as { state: string }).state).toBe('shipped');
    const d = (await h.engine.call('orders.get', { id: order.id })) as { tracking: { code: string }[] };
    expect(d.tracking.map((t) => t.code)).toContain(g.order(ref)!.packages[0]!.trackingCode);
    await expect.poll(() => h.sandbox.infigo.order('acme', order.infigoOrderId)!.detail.ShippingStatus).toBe('Shipped');
  }, 30_000);
});
