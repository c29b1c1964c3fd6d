import { CallError, type CheckResult } from '../../../shared/contract';
import type { GelatoOrderPayload } from '../../../shared/domain/gelato';
import { list, msg, type Msg, type MsgParam } from '../../../shared/messages/index';
import type { OrderRecord } from '../db/orders-repo';
import type { EngineContext } from '../context';
import { userMsg } from '../http';
import { sentences, textOf } from '../i18n';
import { checkStatusWriter, lastStatusWriterTest } from '../status-writer/check';
import { STATUS_WRITER_MSG } from '../status-writer/messages';
import { callOther, gelatoCheckClient, linesOf, pushEvents, pusherSeen, recentOrders, shortTimeline, STATUS_PUSH_FAILED, withStatus } from './evidence';
import { doctorTitle, where } from './places';
import { fail, guarded, pass, restate, said, skip, warn } from './result';
import { runningSandbox, sandboxStoreOf, SETTINGS, testRunState, type TestOrderRef } from './sandbox-mode';

// The test-order checklist from GelatoConnect's Infigo guide ("Testare
// l'integrazione"), each step verified from what the engine recorded rather
// than ticked by hand. A step without evidence fails and says which test order
// to place; a step a shop cannot test may be waived, and shows as waived.

export const CHECKLIST = [
  { id: 'test-orders-placed' },
  { id: 'order-appears' },
  { id: 'files-transferred' },
  { id: 'order-to-delivery' },
  { id: 'shipping-tracking-in-infigo' },
  { id: 'status-writer' },
  { id: 'postbacks-tested' },
  { id: 'mixed-orders' },
  { id: 'checkout-shipping' },
  { id: 'product-types' },
] as const;

export type ChecklistId = (typeof CHECKLIST)[number]['id'];
const title = (id: ChecklistId): Msg => msg(`checklist.title.${id}`);

interface TestSet {
  /** True when the orders are the ones placed as test orders; false = the most recent orders stand in. */
  explicit: boolean;
  refs: TestOrderRef[];
  orders: OrderRecord[];
  sandbox: boolean;
  /** Where the automatic test run is, while it runs. */
  running: MsgParam | null;
}

const PLACE_FIX_SANDBOX = msg('checklist.fix.placeSandbox');

function testSet(ctx: EngineContext): TestSet {
  const refs = ctx.repos.settings.get<TestOrderRef[]>(SETTINGS.testOrders) ?? [];
  const run = testRunState(ctx);
  const sandbox = !!runningSandbox(ctx);
  const running = run?.state === 'running' ? (run.stepMsg ?? run.step) : null;
  if (refs.length) {
    const orders = refs.map((r) => ctx.repo.byInfigoId(r.storeId, r.infigoOrderId)).filter((o): o is OrderRecord => !!o);
    return { explicit: true, refs, orders, sandbox, running };
  }
  return { explicit: false, refs, orders: recentOrders(ctx, 50), sandbox, running };
}

/** What to place to get evidence for a step: in the sandbox the button does it, else a real test order with `what`. */
function placeFix(t: TestSet, what: 'printableExample' | 'printable' | 'mixed' | 'kinds' | 'stock'): Msg {
  if (t.sandbox) return PLACE_FIX_SANDBOX;
  return msg('checklist.fix.placeReal', { what: msg(`checklist.what.${what}`) });
}

/** A message, followed by where the automatic test run is while it is still going. */
function stillRunning(t: TestSet, m: Msg): Msg {
  return t.running ? msg('checklist.stillRunning', { message: m, step: t.running }) : m;
}

const label = (o: OrderRecord): Msg => (o.storeId ? msg('checklist.order', { order: o.infigoOrderId, store: o.storeId }) : msg('checklist.orderNoStore', { order: o.infigoOrderId }));
/** "<order>: <text>": a finding about one order (or one line of it). */
const about = (subject: MsgParam, text: MsgParam): Msg => msg('common.about', { subject, text });
/** Why an order is held: its reason as a message where it was written as one, else its text or its state. */
const heldReason = (o: OrderRecord): MsgParam => o.attentionMsg ?? o.attentionReason ?? msg(`state.${o.state}`);
/** Findings listed in one sentence. */
const listed = (items: MsgParam[]): Msg => msg('common.listed', { items: list(items, 'clauses') });

export async function runChecklist(ctx: EngineContext): Promise<CheckResult[]> {
  const t = testSet(ctx);
  const waived = new Set(ctx.repos.settings.get<string[]>(SETTINGS.waived) ?? []);
  const checks: [ChecklistId, () => Promise<CheckResult> | CheckResult][] = [
    ['test-orders-placed', () => ordersPlaced(ctx, t)],
    ['order-appears', () => orderAppears(ctx, t)],
    ['files-transferred', () => filesTransferred(ctx, t)],
    ['order-to-delivery', () => orderToDelivery(ctx, t)],
    ['shipping-tracking-in-infigo', () => trackingInInfigo(ctx, t)],
    ['status-writer', () => statusWriterReadBack(ctx, t)],
    ['postbacks-tested', () => postbacksTested(ctx)],
    ['mixed-orders', () => mixedOrders(ctx, t)],
    ['checkout-shipping', () => checkoutShipping(ctx)],
    ['product-types', () => productTypes(ctx, t)],
  ];
  const out: CheckResult[] = [];
  for (const [id, fn] of checks) {
    const [r] = await guarded(id, title(id), fn);
    const res = r!;
    out.push(waived.has(id) ? { ...restate(res, { message: msg('checklist.waived', { found: said(res, 'message') }) }), ok: true, status: 'waived' } : res);
  }
  return out;
}

export async function waiveCheck(ctx: EngineContext, input: { id: string; waived: boolean }): Promise<CheckResult[]> {
  if (!CHECKLIST.some((c) => c.id === input.id)) {
    const m = msg('checklist.noSuchStep', { id: input.id });
    const useOneOf = msg('checklist.useOneOf', { ids: list(CHECKLIST.map((c) => c.id), 'comma') });
    throw new CallError('invalid_input', textOf(m), [{ path: 'id', message: textOf(useOneOf), msg: useOneOf }], m);
  }
  const set = new Set(ctx.repos.settings.get<string[]>(SETTINGS.waived) ?? []);
  if (input.waived) set.add(input.id);
  else set.delete(input.id);
  ctx.repos.settings.set(SETTINGS.waived, [...set]);
  return runChecklist(ctx);
}

// ---- 1. test orders placed and imported ---------------------------------------

function ordersPlaced(_ctx: EngineContext, t: TestSet): CheckResult {
  const id = 'test-orders-placed';
  if (t.explicit) {
    const missing = t.refs.filter((r) => !t.orders.some((o) => o.storeId === r.storeId && o.infigoOrderId === r.infigoOrderId));
    const evidence = t.refs.map((r) => {
      const o = t.orders.find((x) => x.storeId === r.storeId && x.infigoOrderId === r.infigoOrderId);
      return { storeId: r.storeId, infigoOrderId: r.infigoOrderId, kind: r.kind, placedAt: r.placedAt, importedAt: o?.createdAt ?? null, state: o?.state ?? 'not imported yet' };
    });
    if (missing.length) {
      return fail(
        id,
        title(id),
        stillRunning(t, msg('checklist.placed.missing', { count: missing.length, orders: list(missing.map((m) => m.infigoOrderId), 'comma') })),
        msg('checklist.fix.syncThenTroubleshoot', { check: doctorTitle('orders-not-appearing') }),
        evidence,
      );
    }
    const placed = t.refs.map((r) => msg('checklist.placed.kind', { order: r.infigoOrderId, kind: msg(`checklist.kind.${r.kind}`) }));
    return pass(id, title(id), msg('checklist.placed.ok', { count: t.refs.length, orders: list(placed, 'comma') }), { evidence });
  }
  if (!t.orders.length) {
    return fail(id, title(id), stillRunning(t, msg('checklist.placed.none')), placeFix(t, 'printableExample'));
  }
  return pass(id, title(id), msg('checklist.placed.recent', { count: t.orders.length }), {
    evidence: t.orders.slice(0, 10).map((o) => ({ storeId: o.storeId, infigoOrderId: o.infigoOrderId, state: o.state, importedAt: o.createdAt })),
  });
}

// ---- 2. order details in GelatoConnect -------------------------------------------

async function orderAppears(ctx: EngineContext, t: TestSet): Promise<CheckResult> {
  const id = 'order-appears';
  const submitted = t.orders.filter((o) => o.gelatoOrderId);
  if (!submitted.length) {
    const held = t.orders.filter((o) => o.state === 'needs_attention' || o.state === 'failed');
    const none = held.length ? msg('checklist.appears.noneHeld', { held: list(held.map((o) => about(label(o), heldReason(o))), 'clauses') }) : msg('checklist.appears.none');
    return fail(
      id,
      title(id),
      stillRunning(t, none),
      held.length ? msg('checklist.fix.fixHeld', { where: where.attention }) : placeFix(t, 'printable'),
      held.map((o) => ({ infigoOrderId: o.infigoOrderId, state: o.state, reason: o.attentionReason })),
    );
  }
  const cfg = ctx.config.get();
  const gelato = gelatoCheckClient(ctx, cfg);
  const evidence: unknown[] = [];
  const problems: Msg[] = [];
  for (const o of submitted.slice(0, 5)) {
    const store = cfg.stores.find((s) => s.id === o.storeId);
    const payload = o.payloadJson ? (JSON.parse(o.payloadJson) as GelatoOrderPayload) : null;
    try {
      const g = await gelato.getOrder(o.gelatoOrderId!, { customerReferenceId: store?.gelatoCustomerReferenceId });
      const sentItems = payload?.items.map((i) => i.itemReferenceId) ?? [];
      const gotItems = g.items.map((i) => i.itemReferenceId).filter((x): x is string => !!x);
      const missingItems = sentItems.filter((x) => !gotItems.includes(x));
      const mine: Msg[] = [];
      if (g.orderReferenceId && g.orderReferenceId !== o.orderReferenceId) mine.push(msg('checklist.appears.reference', { got: g.orderReferenceId, expected: o.orderReferenceId }));
      if (store && g.customerReferenceId && g.customerReferenceId !== store.gelatoCustomerReferenceId) mine.push(msg('checklist.appears.customer', { got: g.customerReferenceId, expected: store.gelatoCustomerReferenceId }));
      if (gotItems.length && missingItems.length) mine.push(msg('checklist.appears.linesMissing', { count: missingItems.length, lines: list(missingItems, 'comma') }));
      if (payload && g.shipmentMethodUid && g.shipmentMethodUid !== payload.shipmentMethodUid) mine.push(msg('checklist.appears.shipping', { got: g.shipmentMethodUid, sent: payload.shipmentMethodUid }));
      problems.push(...mine.map((m) => about(label(o), m)));
      evidence.push({
        infigoOrderId: o.infigoOrderId,
        gelatoOrderId: g.id,
        orderReferenceId: g.orderReferenceId,
        customerReferenceId: g.customerReferenceId,
        status: g.rawStatus,
        items: gotItems.length || g.items.length,
        itemsSent: sentItems.length,
        shipmentMethod: g.shipmentMethodUid,
        matches: mine.length === 0,
      });
    } catch (e) {
      const reason = userMsg(e);
      problems.push(about(msg('checklist.appears.inGelato', { order: label(o), gelato: o.gelatoOrderId }), reason));
      evidence.push({ infigoOrderId: o.infigoOrderId, gelatoOrderId: o.gelatoOrderId, error: reason });
    }
  }
  if (problems.length) {
    return fail(id, title(id), msg('checklist.appears.mismatch', { problems: list(problems, 'clauses') }), msg('checklist.appears.fix', { where: where.troubleshooting }), evidence);
  }
  return pass(id, title(id), msg('checklist.appears.ok', { count: evidence.length }), { evidence });
}

// ---- 3. print files ------------------------------------------------------------------

function filesTransferred(ctx: EngineContext, t: TestSet): CheckResult {
  const id = 'files-transferred';
  const orderIds = t.orders.map((o) => o.id);
  const printable = linesOf(ctx, orderIds).filter((l) => l.kind === 'printable');
  if (!printable.length) {
    return fail(id, title(id), stillRunning(t, msg('checklist.files.none')), placeFix(t, 'printable'));
  }
  const sandbox = runningSandbox(ctx);
  const problems: Msg[] = [];
  const waiting: Msg[] = [];
  const evidence: unknown[] = [];
  for (const o of t.orders) {
    const lines = printable.filter((l) => l.orderId === o.id);
    if (!lines.length) continue;
    const files = ctx.repo.files(o.id);
    const gFiles = sandbox && o.gelatoOrderId ? (sandbox.gelatoOrder(o.gelatoOrderId)?.files ?? []) : [];
    for (const l of lines) {
      const f = files.find((x) => x.lineId === l.jobId);
      const at = l.sku ? msg('checklist.files.whereSku', { order: label(o), line: l.jobId, sku: l.sku }) : msg('checklist.files.where', { order: label(o), line: l.jobId });
      const g = gFiles.find((x) => x.itemReferenceId === l.jobId);
      evidence.push({
        infigoOrderId: o.infigoOrderId,
        jobId: l.jobId,
        sku: l.sku,
        file: f?.name ?? null,
        state: f?.state ?? 'not started',
        bytes: f?.bytes ?? null,
        sha256: f?.sha256 ?? null,
        error: f?.error ?? null,
        // Past "received", GelatoConnect has fetched and accepted the files (it fails the order otherwise).
        gelatoStatus: o.gelatoStatus,
        ...(g ? { gelato: { status: g.status, bytes: g.bytes, sha256: g.sha256, sameBytes: !!f?.sha256 && g.sha256 === f.sha256 } } : {}),
      });
      if (!f) {
        if (['needs_attention', 'failed'].includes(o.state)) problems.push(msg('checklist.files.noFileHeld', { at, reason: heldReason(o) }));
        else waiting.push(at);
      } else if (f.state === 'failed' || (f.state === 'pending' && f.error)) {
        problems.push(msg(f.state === 'failed' ? 'checklist.files.failed' : 'checklist.files.keepsFailing', { at, file: f.name, error: f.error ?? msg('check.noReasonRecorded') }));
      } else if (f.state !== 'downloaded' || !f.sha256) {
        waiting.push(at);
      } else if (g && g.status === 'failed') {
        problems.push(msg('checklist.files.gelatoCouldNotUse', { at, file: f.name, reason: g.problem ?? msg('check.noReasonGiven') }));
      } else if (g?.sha256 && g.sha256 !== f.sha256) {
        problems.push(msg('checklist.files.differentBytes', { at, got: g.sha256.slice(0, 12), sent: f.sha256.slice(0, 12) }));
      }
    }
    if (o.gelatoStatus === 'failed' && o.attentionReason && /file/i.test(o.attentionReason)) problems.push(msg('checklist.files.gelatoFailedOrder', { order: label(o), reason: heldReason(o) }));
  }
  if (problems.length) {
    return fail(id, title(id), msg('checklist.files.problems', { count: problems.length, problems: list(problems, 'clauses') }), msg('checklist.files.fix'), evidence);
  }
  if (waiting.length) {
    return fail(
      id,
      title(id),
      stillRunning(t, msg('checklist.files.waiting', { lines: list(waiting, 'clauses') })),
      msg('checklist.files.waitFix', { check: doctorTitle('print-files') }),
      evidence,
    );
  }
  const verified = evidence.filter((e) => (e as { gelato?: { sameBytes: boolean } }).gelato?.sameBytes).length;
  const accepted = evidence.filter((e) => !['received', null, undefined, 'failed', 'canceled'].includes((e as { gelatoStatus?: string | null }).gelatoStatus)).length;
  const count = evidence.length;
  return pass(
    id,
    title(id),
    verified ? msg('checklist.files.okVerified', { count, verified }) : accepted ? msg('checklist.files.okAccepted', { count, accepted }) : msg('checklist.files.ok', { count }),
    { evidence },
  );
}

// ---- 4. order to delivery -----------------------------------------------------------

function orderToDelivery(ctx: EngineContext, t: TestSet): CheckResult {
  const id = 'order-to-delivery';
  const delivered = t.orders.filter((o) => o.state === 'delivered');
  const broken = t.orders.filter((o) => o.state === 'failed' || (o.state === 'canceled' && t.explicit));
  const evidence = t.orders
    .filter((o) => o.gelatoOrderId || o.state === 'failed')
    .slice(0, 10)
    .map((o) => ({ infigoOrderId: o.infigoOrderId, gelatoOrderId: o.gelatoOrderId, state: o.state, timeline: shortTimeline(ctx.repo.timeline(o.id)) }));
  if (broken.length && t.explicit) {
    const ended = broken.map((o) => {
      const reason = o.attentionMsg ?? o.attentionReason;
      return reason ? msg('checklist.delivery.endedBecause', { order: label(o), state: msg(`state.${o.state}`), reason }) : msg('checklist.delivery.ended', { order: label(o), state: msg(`state.${o.state}`) });
    });
    return fail(id, title(id), listed(ended), msg('checklist.delivery.fixBroken'), evidence);
  }
  if (!delivered.length) {
    const furthest = t.orders.filter((o) => o.gelatoOrderId).map((o) => msg('checklist.orderIs', { order: label(o), state: msg(`state.${o.state}`) }));
    return fail(
      id,
      title(id),
      stillRunning(t, furthest.length ? msg('checklist.delivery.noneYetFurthest', { furthest: list(furthest.slice(0, 5), 'clauses') }) : msg('checklist.delivery.noneYet')),
      t.sandbox ? PLACE_FIX_SANDBOX : msg('checklist.delivery.follow'),
      evidence,
    );
  }
  const open = t.explicit ? t.orders.filter((o) => o.gelatoOrderId && o.state !== 'delivered') : [];
  const orders = list(delivered.map((o) => o.infigoOrderId), 'comma');
  return pass(
    id,
    title(id),
    open.length
      ? msg('checklist.delivery.okOpen', { count: delivered.length, orders, open: list(open.map((o) => msg('checklist.orderIs', { order: o.infigoOrderId, state: msg(`state.${o.state}`) })), 'comma') })
      : msg('checklist.delivery.ok', { count: delivered.length, orders }),
    { evidence: evidence.filter((e) => delivered.some((d) => d.infigoOrderId === e.infigoOrderId)) },
  );
}

// ---- 5. shipping and tracking in Infigo ----------------------------------------------

function trackingInInfigo(ctx: EngineContext, t: TestSet): CheckResult {
  const id = 'shipping-tracking-in-infigo';
  const shipped = t.orders.filter((o) => o.state === 'shipped' || o.state === 'delivered');
  if (!shipped.length) {
    return fail(id, title(id), stillRunning(t, msg('checklist.tracking.noneShipped')), t.sandbox ? PLACE_FIX_SANDBOX : msg('checklist.tracking.waitShipped'));
  }
  const sandbox = runningSandbox(ctx);
  const problems: Msg[] = [];
  const evidence: unknown[] = [];
  let pushedAny = false;
  for (const o of shipped) {
    const codes = ctx.repo.tracking(o.id);
    const pushes = pushEvents(ctx, o.id);
    const okPushes = pushes.filter((p) => p.outcome === 'ok');
    const sid = sandbox ? sandboxStoreOf(ctx, o.storeId) : null;
    const writes = sandbox && sid ? sandbox.infigoWrites(sid, o.infigoOrderId) : [];
    const infigoNow = sandbox && sid ? sandbox.infigoOrder(sid, o.infigoOrderId) : undefined;
    // Infigo has one tracking field; further parcels travel in an order note, so a code counts
    // as shown in Infigo when any field of a successful update carries it.
    const sentText = [...okPushes.map((p) => JSON.stringify((p.detail as { update?: unknown } | null)?.update ?? p.message)), ...writes.map((w) => JSON.stringify(w.changes))].join('\n');
    if (okPushes.length || writes.length) pushedAny = true;
    evidence.push({
      infigoOrderId: o.infigoOrderId,
      state: o.state,
      tracking: codes,
      pushedToInfigo: okPushes.map((p) => ({ at: p.at, message: p.message })),
      ...(sid ? { infigoWrites: writes.map((w) => ({ at: w.at, changes: w.changes })), infigoNow: infigoNow ? { ShippingStatus: infigoNow.ShippingStatus, OrderStatus: infigoNow.OrderStatus, TrackingNumber: infigoNow.TrackingNumber } : null } : {}),
    });
    if (!codes.length) problems.push(about(label(o), msg('checklist.tracking.noCode', { state: msg(`state.${o.state}`) })));
    if (o.attentionCode === STATUS_PUSH_FAILED) problems.push(about(label(o), o.attentionMsg ?? o.attentionReason ?? msg('checklist.tracking.pushFailed')));
    const notPushed = codes.filter((c) => !sentText.includes(c.code));
    if (codes.length && notPushed.length && (okPushes.length || writes.length || pusherSeen(ctx))) {
      problems.push(about(label(o), msg('checklist.tracking.notInInfigo', { codes: list(notPushed.map((c) => c.code), 'comma') })));
    }
  }
  if (problems.length) {
    return fail(id, title(id), listed(problems), msg('checklist.tracking.fix', { config: where.configFile('stores[].infigo.statusWriter'), check: doctorTitle('status-updates') }), evidence);
  }
  const allCodes = list(shipped.flatMap((o) => ctx.repo.tracking(o.id).map((c) => c.code)), 'comma');
  if (!pushedAny && !pusherSeen(ctx)) {
    return skip(id, title(id), msg('checklist.tracking.notPushing', { codes: allCodes }), { evidence });
  }
  return pass(id, title(id), msg('checklist.tracking.ok', { count: shipped.length, codes: allCodes }), { evidence });
}

// ---- 5b. a test update written to Infigo and read back -----------------------------------

async function statusWriterReadBack(ctx: EngineContext, t: TestSet): Promise<CheckResult> {
  const id = 'status-writer';
  const first = t.explicit ? t.orders[0] : undefined;
  if (first) {
    // A test order already proven keeps its result: running the checklist again (or making a
    // diagnostics bundle) does not write another note.
    const last = lastStatusWriterTest(ctx, first.storeId);
    if (last?.status === 'pass' && last.infigoOrderId === first.infigoOrderId) return pass(id, title(id), last.msg ?? last.message, { evidence: { last } });
    // The test order is the one to write to: a note on it harms nobody.
    const rs = await checkStatusWriter(ctx, { storeId: first.storeId, infigoOrderId: first.infigoOrderId });
    const worst = rs.some((r) => r.status === 'fail') ? 'fail' : rs.some((r) => r.status === 'warn') ? 'warn' : 'pass';
    const main = rs.find((r) => r.status === worst) ?? rs[rs.length - 1]!;
    return withStatus({ ...restate({ ...main, id }, { title: title(id) }), evidence: rs.map((r) => ({ id: r.id, status: r.status, message: r.message, evidence: r.evidence ?? null })) }, worst);
  }
  const stores = ctx.config.get().stores.filter((s) => s.enabled);
  const records = stores.map((s) => ({ store: s, last: lastStatusWriterTest(ctx, s.id) }));
  const missing = records.filter((r) => r.last?.status !== 'pass');
  if (!stores.length || missing.length) {
    const found = missing.flatMap((r) => (r.last ? [msg('common.about', { subject: r.store.name, text: r.last.msg ?? r.last.message })] : []));
    return fail(id, title(id), sentences(STATUS_WRITER_MSG.checklistNoTest(), ...found), STATUS_WRITER_MSG.checklistNoTestFix(), records.map((r) => ({ storeId: r.store.id, last: r.last })));
  }
  return pass(id, title(id), sentences(...records.map((r) => r.last!.msg ?? r.last!.message)), { evidence: records.map((r) => ({ storeId: r.store.id, last: r.last })) });
}

// ---- 5c. postbacks proven before they replace polling ------------------------------------

const POSTBACK_MSG = {
  polling: () => msg('checklist.postbacks.polling'),
  noneYet: () => msg('checklist.postbacks.noneYet'),
  noneYetFix: () => msg('checklist.postbacks.noneYetFix'),
  onlyIgnored: () => msg('checklist.postbacks.onlyIgnored'),
  onlyIgnoredFix: () => msg('checklist.postbacks.onlyIgnoredFix'),
  arrived: (at: string) => msg('checklist.postbacks.arrived', { at }),
} as const;

function postbacksTested(ctx: EngineContext): CheckResult {
  const id = 'postbacks-tested';
  if (ctx.config.get().statusUpdates.mode !== 'postback') return pass(id, title(id), POSTBACK_MSG.polling());
  const last = ctx.repos.postbacks.lastWithReferenceAt();
  const latest = ctx.repos.postbacks.latest(5);
  if (!last) return fail(id, title(id), POSTBACK_MSG.noneYet(), POSTBACK_MSG.noneYetFix(), { latest });
  if (latest[0] && latest[0].orderReferenceId === null) return warn(id, title(id), POSTBACK_MSG.onlyIgnored(), { fix: POSTBACK_MSG.onlyIgnoredFix(), evidence: { latest } });
  return pass(id, title(id), POSTBACK_MSG.arrived(last), { evidence: { latest } });
}

// ---- 6. mixed orders ----------------------------------------------------------------

function mixedOrders(ctx: EngineContext, t: TestSet): CheckResult {
  const id = 'mixed-orders';
  const policy = ctx.config.get().orderTypes.stockPolicy;
  const lines = linesOf(ctx, t.orders.map((o) => o.id));
  const mixed = t.orders.filter((o) => {
    const kinds = new Set(lines.filter((l) => l.orderId === o.id).map((l) => l.kind));
    return kinds.has('printable') && kinds.has('stock');
  });
  if (!mixed.length) {
    return fail(id, title(id), stillRunning(t, msg('checklist.mixed.none')), placeFix(t, 'mixed'));
  }
  const problems: Msg[] = [];
  const evidence: unknown[] = [];
  let handled = 0;
  for (const o of mixed) {
    const ls = lines.filter((l) => l.orderId === o.id);
    const payload = o.payloadJson ? (JSON.parse(o.payloadJson) as GelatoOrderPayload) : null;
    const sent = new Set(payload?.items.map((i) => i.itemReferenceId) ?? []);
    const stock = ls.filter((l) => l.kind === 'stock');
    const printable = ls.filter((l) => l.kind === 'printable');
    const handling = stock.map((l) => ({
      jobId: l.jobId,
      sku: l.sku,
      handled: policy === 'hold' ? (o.attentionCode === 'stock_hold' ? 'held for review' : sent.has(l.jobId) ? 'sent after review' : o.state) : sent.has(l.jobId) ? 'sent as stock item' : payload ? 'left out of the GelatoConnect order' : 'not submitted yet',
    }));
    evidence.push({ infigoOrderId: o.infigoOrderId, state: o.state, policy, printableLines: printable.map((l) => ({ jobId: l.jobId, sku: l.sku, sent: sent.has(l.jobId) })), stockLines: handling });
    if (policy === 'hold') {
      if (o.attentionCode === 'stock_hold' || payload) handled++;
      else problems.push(msg('checklist.mixed.notHeld', { order: label(o), state: msg(`state.${o.state}`) }));
      continue;
    }
    if (!payload) {
      if (['needs_attention', 'failed'].includes(o.state)) problems.push(msg('checklist.mixed.held', { order: label(o), reason: heldReason(o) }));
      continue;
    }
    const missingPrintable = printable.filter((l) => !sent.has(l.jobId));
    const wrongStock = stock.filter((l) => (policy === 'exclude' ? sent.has(l.jobId) : !sent.has(l.jobId)));
    if (missingPrintable.length) problems.push(about(label(o), msg('checklist.mixed.printableNotSent', { count: missingPrintable.length, lines: list(missingPrintable.map((l) => l.jobId), 'comma') })));
    if (wrongStock.length) {
      const key = policy === 'exclude' ? 'checklist.mixed.stockSent' : 'checklist.mixed.stockLeftOut';
      problems.push(about(label(o), msg(key, { count: wrongStock.length, lines: list(wrongStock.map((l) => l.jobId), 'comma') })));
    }
    if (!missingPrintable.length && !wrongStock.length) handled++;
  }
  if (problems.length) {
    return fail(id, title(id), listed(problems), msg('checklist.mixed.fix', { where: where.setupOrderTypes }), evidence);
  }
  if (!handled) {
    const orders = list(mixed.map((o) => about(o.infigoOrderId, msg(`state.${o.state}`))), 'comma');
    return fail(id, title(id), stillRunning(t, msg('checklist.mixed.notSubmitted', { orders })), msg('checklist.fix.syncAndRunAgain'), evidence);
  }
  return pass(id, title(id), msg('checklist.mixed.ok', { count: handled, policy: msg(`checklist.policy.${policy}`), how: msg(`checklist.mixed.how.${policy}`) }), { evidence });
}

// ---- 7. checkout shipping -------------------------------------------------------------

async function checkoutShipping(ctx: EngineContext): Promise<CheckResult> {
  const id = 'checkout-shipping';
  const r = await callOther(() => ctx.call('shipping.selfTest', {}));
  if (!r.ok) {
    if (r.unavailable) return skip(id, title(id), msg('checklist.checkout.unavailable'));
    return fail(id, title(id), msg('checklist.checkout.couldNotRun', { reason: r.reason }), msg('checklist.checkout.fix', { where: where.setupShipping }));
  }
  const s = r.value;
  const own = restate(s, { title: title(id) });
  return { ...own, id, status: s.status, ok: s.status !== 'fail', evidence: { selfTest: { id: s.id, status: s.status, message: s.message, evidence: s.evidence ?? null } } };
}

// ---- 8. product types ------------------------------------------------------------------

function productTypes(ctx: EngineContext, t: TestSet): CheckResult {
  const id = 'product-types';
  const lines = linesOf(ctx, t.orders.map((o) => o.id));
  if (!lines.length) {
    return fail(id, title(id), stillRunning(t, msg('checklist.types.none')), placeFix(t, 'kinds'));
  }
  const groups = new Map<string, { productType: number | null; kind: string; because: string | null; skus: Set<string>; lines: number }>();
  for (const l of lines) {
    const key = `${l.productType}|${l.kind}|${l.because}`;
    const g = groups.get(key) ?? { productType: l.productType, kind: l.kind, because: l.because, skus: new Set<string>(), lines: 0 };
    g.lines++;
    if (l.sku) g.skus.add(l.sku);
    groups.set(key, g);
  }
  const evidence = [...groups.values()].map((g) => ({ productType: g.productType, kind: g.kind, because: g.because, skus: [...g.skus], lines: g.lines }));
  const typeOf = (productType: number | null): MsgParam => productType ?? msg('checklist.types.noType');
  const unsupported = lines.filter((l) => l.kind === 'unsupported');
  if (unsupported.length) {
    const listedLines = unsupported.slice(0, 5).map((l) => msg('checklist.types.unclassifiedLine', { line: l.sku ?? l.jobId, type: typeOf(l.productType), because: l.because ?? msg('checklist.types.unknown') }));
    return fail(
      id,
      title(id),
      msg('checklist.types.unclassified', { count: unsupported.length, lines: list(listedLines, 'clauses') }),
      msg('checklist.types.fix', { where: where.setupOrderTypes }),
      evidence,
    );
  }
  const kinds = new Set(lines.map((l) => l.kind));
  const seen = new Set<string>();
  const summaryItems: Msg[] = [];
  for (const e of evidence) {
    const m = msg('checklist.types.typeIs', { type: typeOf(e.productType), kind: msg(`checklist.lineKind.${e.kind as 'printable' | 'stock' | 'unsupported'}`) });
    const key = textOf(m);
    if (!seen.has(key)) summaryItems.push(m);
    seen.add(key);
  }
  const summary = list(summaryItems, 'comma');
  if (!kinds.has('stock') && t.explicit) {
    return warn(id, title(id), msg('checklist.types.noStock', { summary }), { evidence, fix: placeFix(t, 'stock') });
  }
  return pass(id, title(id), msg('checklist.types.ok', { summary }), { evidence });
}
