import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallError, type CheckResult, type SyncSummary, type TimelineEvent } from '../../shared/contract';
import { en } from '../../shared/messages/en';
import { it as itCatalogue } from '../../shared/messages/it';
import { isMsg, isMsgList, type Msg, type MsgParam } from '../../shared/messages/index';
import { renderMsg } from '../../electron/core/i18n';
import { PUSH_POLICY } from '../../electron/core/backsync/push';
import { testRunSettled } from '../../electron/core/checks/index';
import { startEngine } from '../../electron/core/engine';
import type { Served } from '../../electron/core/engine-types';
import { createSandboxLauncher } from '../../electron/sandbox/launcher';
import { presslinkAsync } from '../helpers/cli';
import { startHarness, type Harness } from '../helpers/harness';
import { rawRequest } from '../helpers/raw-http';
import { tempDir } from '../helpers/tmp';

// Every text the engine sends a person must come as a message (shared/messages) that exists in
// English and Italian and renders completely in both: every check result's title, message and
// fix, every refused call (the handlers' and the local API's), every sync error, every timeline
// event (with a heading for its kind in both languages), every order's attention reason, every
// print file's error, every configuration problem, every refused postback. The engine is driven
// against the sandbox through what a person does — setup checks that fail, syncs with orders held
// for each reason the sandbox can produce (unmapped SKU, missing variant, bad address, unknown
// shipping method, stock hold, unsupported product, line fields missing, a file too big or not a
// PDF, unpaid), postbacks of each kind, status pushes with no writer and with one that fails,
// activation and older orders, the checklist, troubleshooting, the status-writer and GCL checks,
// configuration imports with problems, calls the local API refuses — and everything it says is
// collected and checked.

type Tree = { [k: string]: string | Tree };
const PLURAL = /_(zero|one|two|few|many|other)$/;
function stems(t: Tree, prefix = ''): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(t)) {
    if (typeof v === 'string') out.add(`${prefix}${k}`.replace(PLURAL, ''));
    else for (const s of stems(v, `${prefix}${k}.`)) out.add(s);
  }
  return out;
}
const EN = stems(en as unknown as Tree);
const IT = stems(itCatalogue as unknown as Tree);

/** A message whose key (and every nested key) exists in both catalogues, and that renders with no placeholder left. */
function expectMessage(m: unknown, where: string): asserts m is Msg {
  expect(isMsg(m), `${where}: no message, only text`).toBe(true);
  const walk = (p: MsgParam, at: string) => {
    if (isMsg(p)) {
      expect(EN.has(p.key), `${at}: "${p.key}" is not in the English catalogue`).toBe(true);
      expect(IT.has(p.key), `${at}: "${p.key}" has no Italian`).toBe(true);
      for (const [k, v] of Object.entries(p.params ?? {})) walk(v, `${at}.${k}`);
    } else if (isMsgList(p)) p.list.forEach((v, i) => walk(v, `${at}[${i}]`));
  };
  walk(m as Msg, where);
  for (const lang of ['en', 'it'] as const) {
    const text = renderMsg(m as Msg, lang);
    expect(text, `${where} (${lang})`).not.toMatch(/\{\{|\}\}/);
    expect(text, `${where} (${lang})`).not.toBe((m as Msg).key);
    expect(text.trim(), `${where} (${lang})`).not.toBe('');
  }
}

/** The message says what the English text says (the text is the message rendered in English). */
function expectSays(text: string, m: unknown, where: string): void {
  expectMessage(m, where);
  expect(renderMsg(m, 'en'), where).toBe(text);
}

const results: { where: string; r: CheckResult }[] = [];
function collect(where: string, rs: CheckResult[]): CheckResult[] {
  for (const r of rs) results.push({ where, r });
  return rs;
}

function expectResult(where: string, r: CheckResult): void {
  const at = `${where} ${r.id} (${r.status})`;
  expectSays(r.title, r.msgs?.title, `${at} title`);
  expectSays(r.message, r.msgs?.message, `${at} message`);
  if (r.fix !== undefined) expectSays(r.fix, r.msgs?.fix, `${at} fix`);
}

async function refusal(p: Promise<unknown>): Promise<CallError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CallError);
  return e as CallError;
}

function expectRefusal(e: CallError, where: string): void {
  expectSays(e.message, e.msg, where);
  for (const p of e.problems ?? []) expectSays(p.message, p.msg, `${where} problem ${p.path}`);
}

/** The engine's words in an answer of the local API or a public route: `error` (text, beside `msg`) or `error: {message, msg, problems}`. */
function expectAnswer(body: unknown, where: string): void {
  const b = body as { error?: string | { message: string; msg?: Msg; problems?: { path: string; message: string; msg?: Msg }[] }; msg?: Msg };
  if (typeof b.error === 'string') return expectSays(b.error, b.msg, where);
  expect(b.error, `${where}: no error in ${JSON.stringify(body)}`).toBeDefined();
  expectSays(b.error!.message, b.error!.msg, where);
  for (const p of b.error!.problems ?? []) expectSays(p.message, p.msg, `${where} problem ${p.path}`);
}

const syncErrors: { where: string; e: SyncSummary['errors'][number] }[] = [];
const eventKinds = new Set<string>();
const attentionCodes = new Set<string>();

type AnyEngine = Pick<Harness['engine'], 'call' | 'ctx'>;

/**
 * Everything an engine has written on its orders: each timeline event (its message, and a heading
 * for its kind in both languages), each attention reason, each print file's error.
 */
async function auditOrders(engine: AnyEngine, where: string): Promise<void> {
  for (const row of (await engine.call('orders.list', { limit: 1000 })).rows) {
    const d = await engine.call('orders.get', { id: row.id });
    for (const ev of d.timeline as TimelineEvent[]) {
      eventKinds.add(ev.kind);
      expect(EN.has(`timeline.${ev.kind}`), `${where}: no English heading for event kind "${ev.kind}"`).toBe(true);
      expect(IT.has(`timeline.${ev.kind}`), `${where}: no Italian heading for event kind "${ev.kind}"`).toBe(true);
      expectSays(ev.message, ev.msg, `${where} order ${row.infigoOrderId} event ${ev.kind}`);
    }
    const code = engine.ctx.repo.byId(row.id)!.attentionCode;
    if (code) attentionCodes.add(code);
    if (row.attentionReason) expectSays(row.attentionReason, row.attentionMsg, `${where} order ${row.infigoOrderId} reason ${code ?? row.state}`);
    for (const f of d.files) if (f.error) expectSays(f.error, f.errorMsg, `${where} order ${row.infigoOrderId} file ${f.name}`);
  }
}

describe('what the engine says, against the sandbox', () => {
  let h: Harness;
  const syncs: SyncSummary[] = [];
  const sync = async () => {
    const s = await h.sync();
    syncs.push(s);
    for (const e of s.errors) syncErrors.push({ where: 'against the sandbox', e });
    return s;
  };

  beforeAll(async () => {
    h = await startHarness({ ordersPerStore: 10, seed: 7, progression: 'manual' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('before setup: sync now and troubleshooting say what is missing', async () => {
    const r = await h.engine.call('sync.now', {});
    expect(r.started).toBe(false);
    expectSays(r.reason!, r.reasonMsg, 'sync.now not set up');
    collect('doctor unconfigured', await h.engine.call('doctor.run', {}));
    expectRefusal(await refusal(h.engine.call('orders.get', { id: 424242 })), 'orders.get unknown');
    expectRefusal(await refusal(h.engine.call('checklist.placeTestOrders', {})), 'placeTestOrders outside sandbox mode');
    expectRefusal(await refusal(h.engine.call('checklist.waive', { id: 'no-such-step', waived: true })), 'waive unknown step');
  });

  it('setup checks that fail (bad address, unreachable, refused token, bad key, bad endpoints) and pass', async () => {
    const { config } = h.sandbox.connection({ publicBaseUrl: h.server.url });
    const store = config.stores[0]!;
    const token = store.infigo.apiToken as string;
    for (const [name, input] of [
      ['no address', { baseUrl: '', apiToken: token }],
      ['not an address', { baseUrl: 'not a url at all', apiToken: token }],
      ['plain http', { baseUrl: 'http://shop.example.com', apiToken: token }],
      ['no token', { baseUrl: store.infigo.baseUrl, apiToken: '' }],
      ['unreachable', { baseUrl: 'http://127.0.0.1:1', apiToken: token }],
      ['refused token', { baseUrl: store.infigo.baseUrl, apiToken: 'not-the-token' }],
      ['good', { baseUrl: store.infigo.baseUrl, apiToken: token }],
    ] as const) {
      const rs = collect(`setup.checkInfigo ${name}`, await h.engine.call('setup.checkInfigo', input));
      if (name !== 'good') expect(rs.some((r) => r.status === 'fail'), name).toBe(true);
    }
    // A token that may not read the catalogue: orders still sync, so a warning.
    h.sandbox.infigo.faults.set({ rules: [{ route: 'catalog/productlist', errorRate: 1, errorStatus: 403 }] });
    try {
      const rs = collect('setup.checkInfigo no catalogue', await h.engine.call('setup.checkInfigo', { baseUrl: store.infigo.baseUrl, apiToken: token }));
      expect(rs.find((r) => r.id === 'infigo-catalogue')?.status).toBe('warn');
    } finally {
      h.sandbox.infigo.faults.set({ rules: [] });
    }
    const gelato = config.gelato;
    const endpoints = gelato.endpoints as Record<string, string>;
    for (const [name, input] of [
      ['no key', { apiKey: '', endpoints }],
      ['bad endpoints', { apiKey: gelato.apiKey as string, endpoints: { ...endpoints, getOrder: 'nonsense', submitOrder: 'http://api.example.com/order', extra: 'https://a.example' } }],
      ['refused key', { apiKey: 'wrong:key', endpoints }],
      ['good', { apiKey: gelato.apiKey as string, endpoints, customerReferenceId: store.gelatoCustomerReferenceId }],
    ] as const) {
      const rs = collect(`setup.checkGelato ${name}`, await h.engine.call('setup.checkGelato', input));
      if (name !== 'good') expect(rs.some((r) => r.status === 'fail'), name).toBe(true);
    }
  });

  it('syncs, follows cancellations and refused pushes, and refuses order actions its state does not allow', async () => {
    await h.configure((cfg) => {
      cfg.statusUpdates = { mode: 'polling' };
    });
    await sync();
    const rows = (await h.engine.call('orders.list', { limit: 1000 })).rows.filter((r) => r.state === 'submitted');
    expect(rows.length).toBeGreaterThanOrEqual(4);
    await Promise.all(rows.map((r) => h.sandbox.gelato.waitForFilesSettled(r.orderReferenceId)));
    const [delivered, early, late, refused] = rows;

    // Delivered: every action but none is refused with the reason the order log shows.
    await h.sandbox.gelato.advance(delivered!.orderReferenceId, 'delivered');
    await sync();
    const retry = await h.engine.call('orders.retry', { ids: [delivered!.id] });
    expect(retry.refused?.length).toBe(1);
    for (const x of retry.refused ?? []) expectMessage(x.msg, 'orders.retry refused');
    const skip = await h.engine.call('orders.skip', { ids: [delivered!.id] });
    for (const x of skip.refused ?? []) expectMessage(x.msg, 'orders.skip refused');
    expectRefusal(await refusal(h.engine.call('orders.cancel', { id: delivered!.id })), 'orders.cancel delivered');
    expectRefusal(await refusal(h.engine.call('orders.redownload', { id: delivered!.id })), 'orders.redownload delivered');

    // Cancelled in Infigo before and after shipping.
    await h.sandbox.gelato.advance(late!.orderReferenceId, 'shipped');
    await sync();
    h.sandbox.infigo.setOrderStatus('acme', early!.infigoOrderId, 'Cancelled');
    h.sandbox.infigo.setOrderStatus('acme', late!.infigoOrderId, 'Cancelled');
    await sync();
    expect(h.engine.ctx.repo.byId(late!.id)!.attentionCode).toBe('canceled_in_infigo_after_shipping');

    // A status push Infigo keeps refusing marks the order after the last attempt.
    const saved = { ...PUSH_POLICY };
    PUSH_POLICY.baseDelayMs = 0;
    try {
      await h.configure((cfg) => {
        cfg.statusUpdates = { mode: 'polling' };
        cfg.stores[0]!.infigo.statusWriter = { kind: 'rest', pathTemplate: 'no-such/order/{orderId}/status', method: 'POST' };
      });
      await h.sandbox.gelato.advance(refused!.orderReferenceId, 'shipped');
      for (let i = 0; i < PUSH_POLICY.maxAttempts; i++) {
        const s = await sync();
        const pushErrors = s.errors.filter((e) => /Status update to Infigo failed/.test(e.reason));
        expect(pushErrors.length).toBeGreaterThan(0);
        for (const e of pushErrors) expectSays(e.reason, e.msg, 'sync error: status push');
      }
      expect(h.engine.ctx.repo.byId(refused!.id)!.attentionCode).toBe('status_push_failed');
    } finally {
      Object.assign(PUSH_POLICY, saved);
      await h.configure((cfg) => {
        cfg.statusUpdates = { mode: 'polling' };
      });
    }

    // Infigo and GelatoConnect refusing the back-sync's reads: one line per store, one per order.
    h.sandbox.infigo.faults.set({ rules: [{ route: 'order/detail', errorRate: 1, errorStatus: 404 }] });
    h.sandbox.gelato.faults.set({ rules: [{ route: '/order/', errorRate: 1, errorStatus: 500 }] });
    try {
      const s = await sync();
      const backsync = s.errors.filter((e) => /cancellation in Infigo|Status check failed/.test(e.reason));
      expect(backsync.length).toBeGreaterThan(1);
      for (const e of backsync) expectSays(e.reason, e.msg, 'sync error: back-sync read');
    } finally {
      h.sandbox.infigo.faults.set({ rules: [] });
      h.sandbox.gelato.faults.set({ rules: [] });
    }
  }, 120_000);

  it('troubleshooting on a healthy and on a broken configuration', async () => {
    collect('doctor healthy', await h.engine.call('doctor.run', {}));
    await h.configure((cfg) => {
      cfg.statusUpdates = { mode: 'postback' };
      cfg.stores[0]!.infigo.apiToken = 'not-the-token';
      cfg.gelato.apiKey = 'wrong:key';
      cfg.products = [...(cfg.products ?? []), { sku: 'BAD UID', productUid: 'Not A UID!' }];
    });
    const broken = collect('doctor broken', await h.engine.call('doctor.run', {}));
    expect(broken.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(expect.arrayContaining(['orders-not-appearing', 'gelato-connection', 'product-mapping']));
    await h.configure((cfg) => {
      cfg.statusUpdates = { mode: 'polling' };
    });
  }, 60_000);

  it('a run cut short by a crash is closed with a reason in both languages', () => {
    const runs = h.engine.ctx.repos.runs;
    runs.start('manual');
    runs.closeInterrupted();
    const e = runs.last()!.errors[0]!;
    expectSays(e.reason, e.msg, 'interrupted run');
  });

  it('every timeline event, attention reason and file error is a message in both languages', async () => {
    await auditOrders(h.engine, 'against the sandbox');
    // The scenarios above wrote each of these; the assertion is not vacuous.
    expect([...eventKinds].sort()).toEqual(expect.arrayContaining(['canceled_in_infigo', 'canceled_in_infigo_after_shipping', 'discovered', 'infigo_push', 'status_push_failed', 'classified', 'checked', 'file_downloaded', 'files_ready', 'submit_attempt', 'submitted']));
  });
});

describe('what the engine says in sandbox mode: the checklist before and after test orders', () => {
  let engine: Awaited<ReturnType<typeof startEngine>>;
  let server: Served;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    tmp = tempDir('presslink-messages-');
    engine = await startEngine({ dataDir: tmp.dir, mode: 'headless', schedule: false, sandbox: createSandboxLauncher() });
    server = await engine.serve({ port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await engine?.stop();
    tmp?.cleanup();
  });

  it('says what to do at each point, and the sandbox says what it did', async () => {
    collect('checklist before setup', await engine.call('checklist.run', {}));
    const started = await engine.call('setup.useSandbox', { orders: 2 });
    expect(started.ok).toBe(true);
    expectSays(started.message, started.msg, 'setup.useSandbox');
    collect('checklist before test orders', await engine.call('checklist.run', {}));
    await engine.call('checklist.placeTestOrders', {});
    expectRefusal(await refusal(engine.call('checklist.placeTestOrders', {})), 'placeTestOrders while running');
    collect('checklist while the test run goes', await engine.call('checklist.run', {}));
    await testRunSettled(engine.ctx);
    const after = collect('checklist after test orders', await engine.call('checklist.run', {}));
    expect(after.filter((r) => r.status === 'fail')).toEqual([]);
    collect('checklist waived', await engine.call('checklist.waive', { id: 'mixed-orders', waived: true }));
    collect('doctor in sandbox mode', await engine.call('doctor.run', {}));
    await auditOrders(engine, 'sandbox mode');
  }, 180_000);
});

describe('what the engine says about held orders, files, postbacks, status pushes and going live', () => {
  let h: Harness;
  const sync = async (where: string) => {
    const s = await h.sync();
    for (const e of s.errors) syncErrors.push({ where, e });
    return s;
  };
  const row = async (infigoOrderId: number) => (await h.engine.call('orders.list', { limit: 1000 })).rows.find((r) => r.infigoOrderId === infigoOrderId)!;
  const until = async (what: string, ok: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await ok(), what).toBe(true);
  };

  beforeAll(async () => {
    // Three orders of history: taken as before go-live when Presslink is activated.
    h = await startHarness({ ordersPerStore: 3, seed: 11 });
    await h.configure(
      (cfg) => {
        cfg.statusUpdates = { mode: 'postback' };
        cfg.stores[0]!.infigo.statusWriter = { kind: 'none' };
        cfg.orderTypes = { ...cfg.orderTypes, stockPolicy: 'hold' };
        cfg.shipping = { methods: cfg.shipping!.methods! };
        cfg.sync = { ...cfg.sync, requirePaid: true };
        cfg.files = { ...cfg.files, maxFileSizeMB: 1 };
      },
      { activate: false },
    );
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('before activation: sync now says so; activation and activating again say what they did', async () => {
    const r = await h.engine.call('sync.now', {});
    expect(r.started).toBe(false);
    expectSays(r.reason!, r.reasonMsg, 'sync.now not activated');
    const a = await h.engine.call('setup.activate', {});
    expect(a.alreadyActive).toBe(false);
    expectSays(a.message, a.msg, 'setup.activate');
    const again = await h.engine.call('setup.activate', {});
    expect(again.alreadyActive).toBe(true);
    expectSays(again.message, again.msg, 'setup.activate again');
  }, 60_000);

  it('holds orders for each reason the sandbox can produce, and says why, in both languages', async () => {
    const add = (spec: Parameters<Harness['sandbox']['infigo']['addOrder']>[1]) => h.sandbox.infigo.addOrder('acme', { orderStatus: 'Processing', paymentStatus: 'Paid', shippingMethod: 'First Class', ...spec });
    const good = add({ lines: [{ sku: 'POSTER-A2', quantity: 1 }] });
    const good2 = add({ lines: [{ sku: 'LETTERHEAD-A4', quantity: 100 }] });
    const held = {
      unmapped: add({ lines: [{ sku: 'NOT-IN-THE-MAPPING', quantity: 5 }] }),
      notForVariant: add({ lines: [{ sku: 'BC-85x55-400', quantity: 250, attributes: { Paper: '350gsm Kraft' } }] }),
      missingVariant: add({ lines: [{ sku: 'BC-85x55-400', quantity: 250, emptyAttributes: true }] }),
      missingOption: add({ lines: [{ sku: 'FLYER-A5', quantity: 100, emptyAttributes: true }] }),
      unsupported: add({ lines: [{ sku: 'SMS-CAMPAIGN', quantity: 1, type: 60 }] }),
      stockHold: add({ lines: [{ sku: 'POSTER-A2', quantity: 1 }, { sku: 'PEN-BLUE', quantity: 10 }] }),
      shipping: add({ shippingMethod: 'Pigeon Post', lines: [{ sku: 'POSTER-A2', quantity: 1 }] }),
      address: add({
        shippingAddress: { FirstName: 'Zoë', LastName: 'Müller', AddressLine1: '', Town: 'Crawley', ZipPostalCode: '', Country: 'Narnia', Email: 'not-an-address' } as never,
        lines: [{ sku: 'POSTER-A2', quantity: 1 }],
      }),
      tooBig: add({ lines: [{ sku: 'POSTER-A2', quantity: 1, pdfBytes: 2_500_000 }] }),
      notPdf: add({ lines: [{ sku: 'BROCHURE-A4-8PP', quantity: 50 }] }),
      unpaid: add({ paymentStatus: 'Pending', lines: [{ sku: 'POSTER-A2', quantity: 1 }] }),
      complete: add({ orderStatus: 'Complete', lines: [{ sku: 'POSTER-A2', quantity: 1 }] }),
    };
    h.sandbox.infigo.setLineFile('acme', h.sandbox.infigo.order('acme', held.notPdf.id)!.lines[0]!.jobId, 'not-pdf');
    await sync('held orders');
    const codes = async (o: { id: number }) => h.engine.ctx.repo.byId((await row(o.id)).id)!.attentionCode;
    expect(await codes(held.unmapped)).toBe('unmapped_sku');
    expect(await codes(held.notForVariant)).toBe('unmapped_sku');
    expect(await codes(held.missingVariant)).toBe('missing_variant_attribute');
    expect(await codes(held.missingOption)).toBe('missing_variant_attribute');
    expect(await codes(held.unsupported), JSON.stringify(await row(held.unsupported.id))).toBe('unsupported_product');
    expect(await codes(held.stockHold)).toBe('stock_hold');
    expect(await codes(held.shipping)).toBe('unknown_shipping_method');
    expect(['address_missing', 'unknown_country', 'address_invalid']).toContain(await codes(held.address));
    expect(await codes(held.tooBig)).toBe('file_invalid');
    expect(await codes(held.notPdf)).toBe('file_invalid');
    expect((await row(held.unpaid.id)).state).toBe('discovered');
    expect((await row(held.complete.id)).state).toBe('skipped');
    expect((await row(good.id)).state).toBe('submitted');
    expect((await row(good2.id)).state).toBe('submitted');
    // The Italian reads as Italian: a held order's reason in both languages.
    const unmapped = await row(held.unmapped.id);
    expect(renderMsg(unmapped.attentionMsg!, 'it')).toContain('Nessun prodotto GelatoConnect è associato allo SKU "NOT-IN-THE-MAPPING"');
  }, 120_000);

  it('postbacks of each kind: refused ones say why, accepted ones move orders; with no status writer the update waits, saying why', async () => {
    const triggers = await h.engine.call('postbacks.triggers', {});
    for (const t of triggers) if (t.note) expectSays(t.note, t.noteMsg, `trigger ${t.event} note`);
    const url = triggers[0]!.url;
    const post = async (body: unknown, to = url) => {
      const r = await fetch(to, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as unknown };
    };
    const [good, good2] = (await h.engine.call('orders.list', { limit: 1000 })).rows.filter((r) => r.state === 'submitted');
    for (const [name, body, to, status] of [
      ['wrong secret', { event: 'order.shipped', orderReferenceId: good!.orderReferenceId }, url.replace(/\/[^/]+$/, '/not-the-secret'), 401],
      ['not JSON', '{"event": ', url, 400],
      ['not an object', [1, 2], url, 400],
      ['no event', { orderReferenceId: good!.orderReferenceId }, url, 400],
      ['empty event', { event: '', orderReferenceId: good!.orderReferenceId }, url, 400],
      ['unknown status', { event: 'order.teleported', orderReferenceId: good!.orderReferenceId }, url, 400],
    ] as const) {
      const r = await post(body, to);
      expect(r.status, name).toBe(status);
      expectAnswer(r.body, `postback ${name}`);
    }
    expect((await post({ event: 'order.shipped' })).status).toBe(200); // names no order: ignored, answered 200
    expect((await post({ event: 'order.shipped', orderReferenceId: 'not-ours-1' })).status).toBe(200);
    await post({ event: 'order.received', orderReferenceId: good!.orderReferenceId });
    await post({ event: 'order.shipped', orderReferenceId: good!.orderReferenceId, trackingCode: 'TRACK-1', trackingUrl: 'https://track.example/1', shippingMethod: 'DHL' });
    await until('the shipped postback is applied', async () => (await row(good!.infigoOrderId)).state === 'shipped');
    // A second parcel of the same shipment: tracking added, the status unchanged.
    await post({ event: 'package.status_updated', status: 'shipped', orderReferenceId: good!.orderReferenceId, packageId: 'p-2', trackingCode: 'TRACK-2' });
    await until('the second parcel is recorded', async () => !!h.engine.ctx.repo.lastEventAt(good!.id, 'tracking'));
    await post({ event: 'order.failed', orderReferenceId: good!.orderReferenceId });
    await post({ event: 'order.failed', orderReferenceId: good2!.orderReferenceId });
    await until('the failed postback is applied', async () => (await row(good2!.infigoOrderId)).state === 'failed');
    await until('the late failure is recorded', async () => !!h.engine.ctx.repo.lastEventAt(good!.id, 'gelato_failed_after_shipped'));
    // No status writer chosen: the update for Infigo waits, and the order says why.
    await until('the waiting push is recorded', async () => !!h.engine.ctx.repo.lastEventAt(good!.id, 'infigo_push_waiting'));
    expectRefusal(await refusal(h.engine.call('postbacks.rotateSecret', {}).then(async () => {
      await h.configure((cfg) => {
        cfg.statusUpdates = { mode: 'postback', postbackSecret: 'a-secret-the-shop-chose-0123456789' };
        cfg.stores[0]!.infigo.statusWriter = { kind: 'none' };
      });
      return h.engine.call('postbacks.rotateSecret', {});
    })), 'postbacks.rotateSecret with a configured secret');
  }, 120_000);

  it('older orders: the preview notes and the refusals say why, and a sent order says who sent it', async () => {
    const rows = (await h.engine.call('orders.list', { limit: 1000 })).rows;
    const older = rows.filter((r) => r.state === 'before_go_live');
    expect(older.length).toBeGreaterThan(0);
    const submitted = rows.find((r) => r.state === 'failed' || r.state === 'shipped')!;
    const preview = await h.engine.call('orders.olderPreview', { ids: [older[0]!.id, submitted.id] });
    for (const o of preview.orders) o.notes.forEach((n, i) => expectSays(n, o.noteMsgs?.[i], `older preview ${o.infigoOrderId} note ${i}`));
    const sent = await h.engine.call('orders.sendOlder', { ids: [older[0]!.id, submitted.id, 987654] });
    expect(sent.changed).toBe(1);
    expect(sent.refused.length).toBe(2);
    for (const r of sent.refused) expectSays(r.reason, r.msg, `sendOlder refused ${r.id}`);
  }, 60_000);

  it('the status writer: its choices, the MegaScript instructions, and the checks with none chosen and with one that fails', async () => {
    const choices = await h.engine.call('statusWriter.choices', {});
    for (const c of choices.choices) {
      expectSays(c.title, c.msgs?.title, `choice ${c.kind} title`);
      expectSays(c.summary, c.msgs?.summary, `choice ${c.kind} summary`);
      expectSays(c.when, c.msgs?.when, `choice ${c.kind} when`);
      expectSays(c.verify, c.msgs?.verify, `choice ${c.kind} verify`);
      c.needs.forEach((n, i) => expectSays(n, c.msgs?.needs[i], `choice ${c.kind} needs ${i}`));
    }
    const script = await h.engine.call('statusWriter.megascript', { storeId: 'acme' });
    script.instructions.forEach((n, i) => expectSays(n, script.instructionMsgs?.[i], `megascript instruction ${i}`));
    expectRefusal(await refusal(h.engine.call('statusWriter.megascript', { storeId: 'no-such-store' })), 'statusWriter.megascript unknown store');
    collect('statusWriter.selfTest', [await h.engine.call('statusWriter.selfTest', { storeId: 'acme' })]);
    collect('setup.checkStatusWriter none chosen', await h.engine.call('setup.checkStatusWriter', { storeId: 'acme' }));
    for (const s of (await h.engine.call('statusWriter.choices', {})).stores) if (s.lastTest) expectSays(s.lastTest.message, s.lastTest.msg, `last test ${s.storeId}`);
    await h.configure((cfg) => {
      cfg.stores[0]!.infigo.statusWriter = { kind: 'rest', pathTemplate: 'no-such/order/{orderId}/status', method: 'POST' };
    });
    collect('setup.checkStatusWriter failing', await h.engine.call('setup.checkStatusWriter', { storeId: 'acme' }));
    await h.configure((cfg) => {
      cfg.stores[0]!.infigo.statusWriter = { kind: 'megascript', url: 'http://127.0.0.1:1/megascript', token: 'x' } as never;
    });
    collect('setup.checkStatusWriter megascript unreachable', await h.engine.call('setup.checkStatusWriter', { storeId: 'acme' }));
    collect('checklist with these orders', await h.engine.call('checklist.run', {}));
    collect('doctor with these orders', await h.engine.call('doctor.run', {}));
  }, 120_000);

  it('configuration problems name the setting and say what is wrong, in both languages', async () => {
    const r = await h.engine.call('config.import', { json: JSON.stringify({ stores: 'not a list', statusUpdate: { mode: 'postback' }, sync: { intervalMinutes: 'often' }, bogus: 1 }) });
    expect(r.ok).toBe(false);
    expect(r.problems.length).toBeGreaterThan(2);
    for (const p of r.problems) expectSays(p.message, p.msg, `config.import problem ${p.path}`);
    const unknown = r.problems.find((p) => p.path === 'statusUpdate')!;
    expect(renderMsg(unknown.msg!, 'it')).toBe('impostazione sconosciuta "statusUpdate"; forse intendevi "statusUpdates"?');
    for (const [name, json] of [
      ['not JSON', '{ nope'],
      ['newer export', JSON.stringify({ presslinkExport: 9 })],
      ['export without passphrase', JSON.stringify({ presslinkExport: 2, config: {} })],
    ] as const) {
      const x = await h.engine.call('config.import', { json });
      expect(x.ok, name).toBe(false);
      for (const p of x.problems) expectSays(p.message, p.msg, `config.import ${name} ${p.path}`);
    }
    const v = await h.engine.call('config.validate', { config: { stores: [{ id: 'BAD ID', name: '' }] } });
    for (const p of v.problems) expectSays(p.message, p.msg, `config.validate ${p.path}`);
    const restore = await h.engine.call('config.restore', { id: 'no-such-backup' });
    for (const p of restore.problems) expectSays(p.message, p.msg, `config.restore ${p.path}`);
    expectRefusal(await refusal(h.engine.call('config.export', { includeSecrets: true, passphrase: 'short' })), 'config.export short passphrase');
    expectRefusal(await refusal(h.engine.call('orders.get', { id: 'seven' } as never)), 'orders.get with a wrong input');
  }, 60_000);

  it('the local API refuses calls it must not answer, and says why', async () => {
    const base = h.server.url;
    const host = new URL(base).host;
    const key = { authorization: `Bearer ${h.server.apiKey}` };
    const call = (name: string, headers: Record<string, string>, body = '{}') => rawRequest(`${base}/api/call/${name}`, { method: 'POST', headers: { host, 'content-type': 'application/json', ...headers }, body });
    for (const [name, r, status] of [
      ['no credential', await call('engine.status', {}), 401],
      ['wrong host', await call('engine.status', { ...key, host: 'evil.example' }), 403],
      ['another web site', await call('engine.status', { ...key, origin: 'https://evil.example' }), 403],
      ['unknown call', await call('no.such.call', key), 404],
      ['not JSON', await call('engine.status', { ...key, 'content-type': 'text/plain' }), 415],
      ['body not an object', await call('engine.status', key, '[1]'), 400],
      ['token in the query', await rawRequest(`${base}/api/call/engine.status?token=x`, { method: 'POST', headers: { host, 'content-type': 'application/json', ...key }, body: '{}' }), 400],
      ['bad input', await call('orders.get', key, JSON.stringify({ id: 'seven' })), 400],
      ['bad sign-in code', await rawRequest(`${base}/api/auth/session`, { method: 'POST', headers: { host, 'content-type': 'application/json' }, body: JSON.stringify({ code: 'nope' }) }), 401],
    ] as const) {
      expect(r.status, name).toBe(status);
      expectAnswer(r.json(), `local API: ${name}`);
    }
    // A print-file link that is not valid is refused in words too.
    const link = await rawRequest(`${base}/files/1/x.pdf?exp=1&sig=bad`, { headers: { host } });
    expect(link.status).toBeGreaterThanOrEqual(400);
    expectAnswer(link.json(), 'file link');
  }, 60_000);

  it('every timeline event, attention reason and file error of these orders is a message in both languages', async () => {
    await sync('after the postbacks');
    await auditOrders(h.engine, 'held orders');
    expect([...eventKinds]).toEqual(
      expect.arrayContaining(['before_go_live', 'needs_attention', 'skipped', 'awaiting_payment', 'gelato_shipped', 'gelato_failed', 'gelato_failed_after_shipped', 'tracking', 'infigo_push_waiting', 'sent_by_person']),
    );
    expect([...attentionCodes]).toEqual(expect.arrayContaining(['unmapped_sku', 'missing_variant_attribute', 'unsupported_product', 'stock_hold', 'unknown_shipping_method', 'file_invalid', 'gelato_failed']));
  }, 120_000);
});

describe('what the engine says about order lines without the fields production needs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ordersPerStore: 0, infigo: { realism: { omitLineFields: ['Quantity'] } } });
    await h.configure();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('holds the order, naming the missing field, in both languages', async () => {
    h.sandbox.infigo.addOrder('acme', { orderStatus: 'Processing', paymentStatus: 'Paid', shippingMethod: 'First Class', lines: [{ sku: 'POSTER-A2', quantity: 1 }] });
    const s = await h.sync();
    for (const e of s.errors) syncErrors.push({ where: 'line fields', e });
    await auditOrders(h.engine, 'line fields');
    expect(attentionCodes.has('line_fields_missing')).toBe(true);
  }, 60_000);
});

describe('what the engine says about checkout quotes from GelatoConnect Logistics', () => {
  let h: Harness;
  const TOKEN = 'messages-test-quote-token-0123456789';
  const useGcl = (gcl: (g: Record<string, unknown>) => Record<string, unknown> | undefined, source: 'gelato' | 'rate-table' = 'gelato') =>
    h.configure((cfg) => {
      const g = gcl({ ...(cfg.shippingQuotes!.gcl as Record<string, unknown>) });
      cfg.server = { publicBaseUrl: h.server.url };
      cfg.shippingQuotes = { enabled: true, token: TOKEN, currency: 'GBP', source, rateTable: [{ method: 'First Class', country: '*', maxWeightGrams: 30_000, price: 5 }], ...(g ? { gcl: g as never } : {}) };
    });
  const quote = () =>
    fetch(`${h.server.url}/shipping/quote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ storefront: 'acme', currency: 'GBP', customerId: 1, shippingAddress: { FirstName: 'Ann', LastName: 'Lee', AddressLine1: '1 High St', Town: 'Crawley', ZipPostalCode: 'RH10 1HU', Country: 'GB' }, items: [{ quantity: 1, weightGrams: 500 }] }),
    });
  beforeAll(async () => {
    h = await startHarness({ ordersPerStore: 0, gelato: { gcl: { ownHost: true } } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the GCL check and the self-test pass, fail and fall back in words, and the fallback reason is a message', async () => {
    await useGcl((g) => g, 'rate-table');
    collect('GCL rate table', await h.engine.call('shipping.checkGcl', {}));
    collect('shipping self-test rate table', [await h.engine.call('shipping.selfTest', {})]);
    await useGcl((g) => g);
    collect('GCL set up', await h.engine.call('shipping.checkGcl', {}));
    await useGcl((g) => ({ ...g, methods: { 'First Class': 'normal' } }));
    await quote();
    collect('GCL methods unmapped', await h.engine.call('shipping.checkGcl', {}));
    await useGcl((g) => ({ ...g, apiKey: h.sandbox.gelato.apiKey }));
    await quote();
    collect('GCL key refused', await h.engine.call('shipping.checkGcl', {}));
    await useGcl(() => undefined);
    await quote();
    collect('GCL not set up', await h.engine.call('shipping.checkGcl', {}));
    const f = h.engine.status().quoteFallback!;
    expectSays(f.reason, f.reasonMsg, 'quote fallback reason');
    await h.configure((cfg) => {
      cfg.shippingQuotes = { ...cfg.shippingQuotes, enabled: false };
    });
    collect('shipping self-test off', [await h.engine.call('shipping.selfTest', {})]);
  }, 120_000);
});

describe('every check result collected above', () => {
  it('has its title, message and fix as messages in English and Italian', () => {
    expect(results.length).toBeGreaterThan(100);
    // Every status appears, so passing, failing, warning, skipped and waived texts were all seen.
    expect(new Set(results.map((x) => x.r.status))).toEqual(new Set(['pass', 'fail', 'warn', 'skip', 'waived']));
    for (const { where, r } of results) expectResult(where, r);
  });
});

describe('every sync error collected above', () => {
  it('is a message in English and Italian', () => {
    expect(syncErrors.length).toBeGreaterThan(3);
    for (const { where, e } of syncErrors) expectSays(e.reason, e.msg, `sync error (${where})${e.orderId ? ` order ${e.orderId}` : ''}`);
  });
});

describe('the command line in Italian', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir('presslink-cli-lang-');
  });
  afterAll(() => tmp?.cleanup());

  it('presslink doctor --lang it (or LANG=it_IT) prints the checks in Italian; --lang en overrides LANG', async () => {
    const it = await presslinkAsync(['doctor', '--lang', 'it', '--data-dir', tmp.dir]);
    expect(it.code).toBe(1);
    expect(it.stdout).toContain('✗ Presslink è configurato: Presslink non è ancora configurato: nessun negozio Infigo e nessuna connessione a GelatoConnect.');
    expect(it.stdout).toContain('come risolvere: ');
    expect(it.stdout).toContain('Integrità del database');
    expect(it.stdout).not.toContain('Database integrity');
    const byLocale = await presslinkAsync(['doctor', '--data-dir', tmp.dir], { env: { LANG: 'it_IT.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
    expect(byLocale.stdout).toContain('Integrità del database');
    const en = await presslinkAsync(['doctor', '--lang', 'en', '--data-dir', tmp.dir], { env: { LANG: 'it_IT.UTF-8' } });
    expect(en.stdout).toContain('✓ Database integrity');
    expect(en.stdout).toContain('fix: Run the setup wizard');
  });

  it('status, config backups and a refusal are printed in Italian too', async () => {
    const st = await presslinkAsync(['status', '--lang', 'it', '--data-dir', tmp.dir]);
    expect(st.stdout).toContain('Prossima sincronizzazione: non configurato');
    expect(st.stdout).toContain('Non ancora attivo: non viene importato nulla (presslink activate)');
    expect(st.stdout).not.toMatch(/Next sync|Needs attention/);
    const backups = await presslinkAsync(['config', 'backups', '--data-dir', tmp.dir], { env: { LANG: 'it_IT.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
    expect(backups.stdout).toMatch(/^Non ci sono ancora backup della configurazione/);
    const missing = await presslinkAsync(['sync', '--once', '--lang', 'it', '--data-dir', path.join(tmp.dir, 'no-such-dir')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('presslink: Presslink non è configurato: non esiste una cartella di dati in');
  });

  it('config import --lang it names its problems in Italian', async () => {
    const file = path.join(tmp.dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ stores: 'not a list' }));
    const r = await presslinkAsync(['config', 'import', file, '--lang', 'it', '--data-dir', tmp.dir]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^La configurazione non è stata importata; resta in vigore quella precedente\. Problemi:\n {2}stores/);
  });
});
