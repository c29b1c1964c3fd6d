import { CallError, type CheckResult } from '../../../shared/contract';
import type { GelatoOrderPayload } from '../../../shared/domain/gelato';
import type { OrderRecord } from '../db/orders-repo';
import type { EngineContext } from '../context';
import { isHttpError } from '../http';
import { callOther, gelatoCheckClient, linesOf, pushEvents, pusherSeen, recentOrders, shortTimeline, STATUS_PUSH_FAILED, withStatus } from './evidence';
import { fail, guarded, pass, plural, skip, warn } from './result';
import { checkStatusWriter, lastStatusWriterTest } from '../status-writer/check';
import { STATUS_WRITER_MSG } from '../status-writer/messages';
import { runningSandbox, sandboxStoreOf, SETTINGS, testRunState, type TestOrderRef } from './sandbox-mode';

// The test-order checklist from GelatoConnect's Infigo guide ("Testare
// l'integrazione"), each step verified from what the engine recorded rather
// than ticked by hand. A step without evidence fails and says which test order
// to place; a step a shop cannot test may be waived, and shows as waived.

export const CHECKLIST = [
  { id: 'test-orders-placed', title: 'Place test orders from your Infigo store' },
  { id: 'order-appears', title: 'Order details are right in GelatoConnect' },
  { id: 'files-transferred', title: 'Print files are transferred correctly' },
  { id: 'order-to-delivery', title: 'The whole path works: from order to delivery' },
  { id: 'shipping-tracking-in-infigo', title: 'Shipping and tracking show correctly in Infigo' },
  { id: 'status-writer', title: STATUS_WRITER_MSG.checklistTitle() },
  { id: 'postbacks-tested', title: 'Status updates arrive from GelatoConnect (by postback once one has arrived)' },
  { id: 'mixed-orders', title: 'Orders with mixed product types (printable and stock)' },
  { id: 'checkout-shipping', title: 'Shipping methods show correctly in the Infigo checkout' },
  { id: 'product-types', title: 'Product types are recognised and handled correctly' },
] as const;

export type ChecklistId = (typeof CHECKLIST)[number]['id'];
const title = (id: ChecklistId) => CHECKLIST.find((c) => c.id === id)!.title;

interface TestSet {
  /** True when the orders are the ones placed as test orders; false = the most recent orders stand in. */
  explicit: boolean;
  refs: TestOrderRef[];
  orders: OrderRecord[];
  sandbox: boolean;
  running: string | null;
}

const PLACE_FIX = {
  sandbox: 'Press "Place test orders": Presslink places them in the sandbox store and takes them through to delivered.',
  real: 'Place a test order in your Infigo store, then press "Sync now".',
};

function testSet(ctx: EngineContext): TestSet {
  const refs = ctx.repos.settings.get<TestOrderRef[]>(SETTINGS.testOrders) ?? [];
  const run = testRunState(ctx);
  const sandbox = !!runningSandbox(ctx);
  const running = run?.state === 'running' ? run.step : null;
  if (refs.length) {
    const orders = refs.map((r) => ctx.repo.byInfigoId(r.storeId, r.infigoOrderId)).filter((o): o is OrderRecord => !!o);
    return { explicit: true, refs, orders, sandbox, running };
  }
  return { explicit: false, refs, orders: recentOrders(ctx, 50), sandbox, running };
}

function placeFix(t: TestSet, what: string): string {
  if (t.sandbox) return PLACE_FIX.sandbox;
  return `Place a test order in your Infigo store with ${what}, then press "Sync now".`;
}

function stillRunning(t: TestSet): string {
  return t.running ? ` The automatic test run is still going: ${t.running}` : '';
}

const label = (o: OrderRecord) => `order ${o.infigoOrderId}${o.storeId ? ` (${o.storeId})` : ''}`;

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
    out.push(waived.has(id) ? { ...res, ok: true, status: 'waived', message: `Waived by you. (Found: ${res.message})` } : res);
  }
  return out;
}

export async function waiveCheck(ctx: EngineContext, input: { id: string; waived: boolean }): Promise<CheckResult[]> {
  if (!CHECKLIST.some((c) => c.id === input.id)) {
    throw new CallError('invalid_input', `There is no checklist step "${input.id}".`, [{ path: 'id', message: `use one of ${CHECKLIST.map((c) => c.id).join(', ')}` }]);
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
      return fail(id, title(id), `${plural(missing.length, 'test order')} (${missing.map((m) => m.infigoOrderId).join(', ')}) not imported from Infigo yet.${stillRunning(t)}`, 'Press "Sync now"; if they still do not appear, run Troubleshooting ("Orders not appearing").', evidence);
    }
    return pass(id, title(id), `${plural(t.refs.length, 'test order')} placed and imported: ${t.refs.map((r) => `${r.infigoOrderId} (${r.kind})`).join(', ')}.`, { evidence });
  }
  if (!t.orders.length) {
    return fail(id, title(id), `No order has come in from Infigo yet.${stillRunning(t)}`, placeFix(t, 'one printable product (e.g. business cards)'));
  }
  return pass(id, title(id), `${plural(t.orders.length, 'order')} imported from Infigo; with no test orders recorded, the checklist uses the most recent ones.`, {
    evidence: t.orders.slice(0, 10).map((o) => ({ storeId: o.storeId, infigoOrderId: o.infigoOrderId, state: o.state, importedAt: o.createdAt })),
  });
}

// ---- 2. order details in GelatoConnect -------------------------------------------

async function orderAppears(ctx: EngineContext, t: TestSet): Promise<CheckResult> {
  const id = 'order-appears';
  const submitted = t.orders.filter((o) => o.gelatoOrderId);
  if (!submitted.length) {
    const held = t.orders.filter((o) => o.state === 'needs_attention' || o.state === 'failed');
    return fail(
      id,
      title(id),
      `No test order has reached GelatoConnect yet.${held.length ? ` Held: ${held.map((o) => `${label(o)}: ${o.attentionReason ?? o.state}`).join('; ')}` : ''}${stillRunning(t)}`,
      held.length ? 'Fix what the held orders name (Needs attention), press Retry, then run the checklist again.' : placeFix(t, 'a printable product'),
      held.map((o) => ({ infigoOrderId: o.infigoOrderId, state: o.state, reason: o.attentionReason })),
    );
  }
  const cfg = ctx.config.get();
  const gelato = gelatoCheckClient(ctx, cfg);
  const evidence: unknown[] = [];
  const problems: string[] = [];
  for (const o of submitted.slice(0, 5)) {
    const store = cfg.stores.find((s) => s.id === o.storeId);
    const payload = o.payloadJson ? (JSON.parse(o.payloadJson) as GelatoOrderPayload) : null;
    try {
      const g = await gelato.getOrder(o.gelatoOrderId!, { customerReferenceId: store?.gelatoCustomerReferenceId });
      const sentItems = payload?.items.map((i) => i.itemReferenceId) ?? [];
      const gotItems = g.items.map((i) => i.itemReferenceId).filter((x): x is string => !!x);
      const missingItems = sentItems.filter((x) => !gotItems.includes(x));
      const mine: string[] = [];
      if (g.orderReferenceId && g.orderReferenceId !== o.orderReferenceId) mine.push(`reference is ${g.orderReferenceId}, expected ${o.orderReferenceId}`);
      if (store && g.customerReferenceId && g.customerReferenceId !== store.gelatoCustomerReferenceId) mine.push(`customer is ${g.customerReferenceId}, expected ${store.gelatoCustomerReferenceId}`);
      if (gotItems.length && missingItems.length) mine.push(`line(s) ${missingItems.join(', ')} are missing`);
      if (payload && g.shipmentMethodUid && g.shipmentMethodUid !== payload.shipmentMethodUid) mine.push(`shipping method is ${g.shipmentMethodUid}, sent ${payload.shipmentMethodUid}`);
      problems.push(...mine.map((m) => `${label(o)}: ${m}`));
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
      const msg = isHttpError(e) ? e.userMessage : (e as Error).message;
      problems.push(`${label(o)} (GelatoConnect ${o.gelatoOrderId}): ${msg}`);
      evidence.push({ infigoOrderId: o.infigoOrderId, gelatoOrderId: o.gelatoOrderId, error: msg });
    }
  }
  if (problems.length) {
    return fail(id, title(id), `GelatoConnect's copy does not match what was sent: ${problems.join('; ')}.`, 'Check the product and shipping mappings and the store\'s GelatoConnect customer, then retry the order; if GelatoConnect cannot be reached, run Troubleshooting.', evidence);
  }
  return pass(id, title(id), `${plural(evidence.length, 'order')} found in GelatoConnect with the same reference, customer, lines and shipping method as sent.`, { evidence });
}

// ---- 3. print files ------------------------------------------------------------------

function filesTransferred(ctx: EngineContext, t: TestSet): CheckResult {
  const id = 'files-transferred';
  const orderIds = t.orders.map((o) => o.id);
  const printable = linesOf(ctx, orderIds).filter((l) => l.kind === 'printable');
  if (!printable.length) {
    return fail(id, title(id), `No test order with a printable product has been read yet.${stillRunning(t)}`, placeFix(t, 'a printable product'));
  }
  const sandbox = runningSandbox(ctx);
  const problems: string[] = [];
  const waiting: string[] = [];
  const evidence: unknown[] = [];
  for (const o of t.orders) {
    const lines = printable.filter((l) => l.orderId === o.id);
    if (!lines.length) continue;
    const files = ctx.repo.files(o.id);
    const gFiles = sandbox && o.gelatoOrderId ? (sandbox.gelatoOrder(o.gelatoOrderId)?.files ?? []) : [];
    for (const l of lines) {
      const f = files.find((x) => x.lineId === l.jobId);
      const where = `${label(o)}, line ${l.jobId}${l.sku ? ` (SKU ${l.sku})` : ''}`;
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
        if (['needs_attention', 'failed'].includes(o.state)) problems.push(`${where}: no print file (the order is held: ${o.attentionReason ?? o.state})`);
        else waiting.push(where);
      } else if (f.state === 'failed' || (f.state === 'pending' && f.error)) {
        problems.push(`${where}: ${f.name} ${f.state === 'failed' ? 'failed' : 'keeps failing'}: ${f.error ?? 'no reason recorded'}`);
      } else if (f.state !== 'downloaded' || !f.sha256) {
        waiting.push(where);
      } else if (g && g.status === 'failed') {
        problems.push(`${where}: GelatoConnect could not use ${f.name}: ${g.problem ?? 'no reason given'}`);
      } else if (g?.sha256 && g.sha256 !== f.sha256) {
        problems.push(`${where}: GelatoConnect received different bytes than Infigo sent (sha256 ${g.sha256.slice(0, 12)}… vs ${f.sha256.slice(0, 12)}…)`);
      }
    }
    if (o.gelatoStatus === 'failed' && o.attentionReason && /file/i.test(o.attentionReason)) problems.push(`${label(o)}: GelatoConnect failed the order: ${o.attentionReason}`);
  }
  if (problems.length) {
    return fail(id, title(id), `${plural(problems.length, 'print file problem')}: ${problems.join('; ')}.`, 'Check the file export (output) settings of these products in Infigo, so each line produces a PDF; then press Retry on the order.', evidence);
  }
  if (waiting.length) {
    return fail(id, title(id), `Print files not transferred yet for ${waiting.join('; ')}.${stillRunning(t)}`, 'Press "Sync now" and wait for the download to finish; if it does not move, run Troubleshooting ("Print files missing or wrong").', evidence);
  }
  const verified = evidence.filter((e) => (e as { gelato?: { sameBytes: boolean } }).gelato?.sameBytes).length;
  const accepted = evidence.filter((e) => !['received', null, undefined, 'failed', 'canceled'].includes((e as { gelatoStatus?: string | null }).gelatoStatus)).length;
  return pass(
    id,
    title(id),
    `${plural(evidence.length, 'print file')} downloaded from Infigo and verified (size and sha256)${verified ? `; GelatoConnect fetched the same bytes for ${verified}` : accepted ? `; GelatoConnect accepted ${accepted} of them` : ''}.`,
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
    return fail(id, title(id), `${broken.map((o) => `${label(o)} ended ${o.state}${o.attentionReason ? `: ${o.attentionReason}` : ''}`).join('; ')}.`, 'Fix the reason shown, press Retry on the order, and follow it to delivered.', evidence);
  }
  if (!delivered.length) {
    const furthest = t.orders.filter((o) => o.gelatoOrderId).map((o) => `${label(o)} is ${o.state.replace('_', ' ')}`);
    return fail(
      id,
      title(id),
      `No test order has been delivered yet${furthest.length ? ` (${furthest.slice(0, 5).join('; ')})` : ''}.${stillRunning(t)}`,
      t.sandbox ? PLACE_FIX.sandbox : 'Follow a test order through production in GelatoConnect until it is delivered; Presslink records each status as it arrives.',
      evidence,
    );
  }
  const open = t.explicit ? t.orders.filter((o) => o.gelatoOrderId && o.state !== 'delivered') : [];
  return pass(
    id,
    title(id),
    `${plural(delivered.length, 'order')} went from Infigo to delivered (${delivered.map((o) => o.infigoOrderId).join(', ')})${open.length ? `; ${open.map((o) => `${o.infigoOrderId} is ${o.state.replace('_', ' ')}`).join(', ')}` : ''}.`,
    { evidence: evidence.filter((e) => delivered.some((d) => d.infigoOrderId === e.infigoOrderId)) },
  );
}

// ---- 5. shipping and tracking in Infigo ----------------------------------------------

function trackingInInfigo(ctx: EngineContext, t: TestSet): CheckResult {
  const id = 'shipping-tracking-in-infigo';
  const shipped = t.orders.filter((o) => o.state === 'shipped' || o.state === 'delivered');
  if (!shipped.length) {
    return fail(id, title(id), `No test order has shipped yet, so there is no tracking to show in Infigo.${stillRunning(t)}`, t.sandbox ? PLACE_FIX.sandbox : 'Wait until a test order ships in GelatoConnect, then run the checklist again.');
  }
  const sandbox = runningSandbox(ctx);
  const problems: string[] = [];
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
    if (!codes.length) problems.push(`${label(o)}: GelatoConnect reported it ${o.state} but gave no tracking code`);
    if (o.attentionCode === STATUS_PUSH_FAILED) problems.push(`${label(o)}: ${o.attentionReason ?? 'the status update to Infigo failed'}`);
    const notPushed = codes.filter((c) => !sentText.includes(c.code));
    if (codes.length && notPushed.length && (okPushes.length || writes.length || pusherSeen(ctx))) {
      problems.push(`${label(o)}: tracking ${notPushed.map((c) => c.code).join(', ')} not in Infigo yet`);
    }
  }
  if (problems.length) {
    return fail(id, title(id), `${problems.join('; ')}.`, 'Check the store\'s status writer settings (Settings → Stores → Status updates to Infigo) and run Troubleshooting ("Status updates not reaching Infigo").', evidence);
  }
  if (!pushedAny && !pusherSeen(ctx)) {
    return skip(id, title(id), `Not available yet: tracking is recorded in Presslink (${shipped.flatMap((o) => ctx.repo.tracking(o.id).map((c) => c.code)).join(', ')}), but this version does not push status and tracking to Infigo yet.`, { evidence });
  }
  return pass(id, title(id), `Tracking for ${plural(shipped.length, 'shipped order')} was sent to Infigo (${shipped.flatMap((o) => ctx.repo.tracking(o.id).map((c) => c.code)).join(', ')}).`, { evidence });
}

// ---- 5b. a test update written to Infigo and read back -----------------------------------

async function statusWriterReadBack(ctx: EngineContext, t: TestSet): Promise<CheckResult> {
  const id = 'status-writer';
  const first = t.explicit ? t.orders[0] : undefined;
  if (first) {
    // A test order already proven keeps its result: running the checklist again (or making a
    // diagnostics bundle) does not write another note.
    const last = lastStatusWriterTest(ctx, first.storeId);
    if (last?.status === 'pass' && last.infigoOrderId === first.infigoOrderId) return pass(id, title(id), last.message, { evidence: { last } });
    // The test order is the one to write to: a note on it harms nobody.
    const rs = await checkStatusWriter(ctx, { storeId: first.storeId, infigoOrderId: first.infigoOrderId });
    const worst = rs.some((r) => r.status === 'fail') ? 'fail' : rs.some((r) => r.status === 'warn') ? 'warn' : 'pass';
    const main = rs.find((r) => r.status === worst) ?? rs[rs.length - 1]!;
    return withStatus({ ...main, id, title: title(id), evidence: rs.map((r) => ({ id: r.id, status: r.status, message: r.message, evidence: r.evidence ?? null })) }, worst);
  }
  const stores = ctx.config.get().stores.filter((s) => s.enabled);
  const records = stores.map((s) => ({ store: s, last: lastStatusWriterTest(ctx, s.id) }));
  const missing = records.filter((r) => r.last?.status !== 'pass');
  if (!stores.length || missing.length) {
    return fail(id, title(id), `${STATUS_WRITER_MSG.checklistNoTest()}${missing.map((r) => (r.last ? ` ${r.store.name}: ${r.last.message}` : '')).join('')}`, STATUS_WRITER_MSG.checklistNoTestFix(), records.map((r) => ({ storeId: r.store.id, last: r.last })));
  }
  return pass(id, title(id), records.map((r) => r.last!.message).join(' '), { evidence: records.map((r) => ({ storeId: r.store.id, last: r.last })) });
}

// ---- 5c. postbacks proven before they replace polling ------------------------------------

const POSTBACK_MSG = {
  polling: () => 'Status updates come by polling GelatoConnect, which needs nothing set up there; postbacks are off.',
  noneYet: () => 'Postbacks are chosen, but none naming an order has arrived from GelatoConnect yet, so Presslink keeps polling until one does.',
  noneYetFix: () => 'Paste the generated triggers into GelatoConnect (customer profile → Triggers), then let a test order change status there (or place test orders) and run the checklist again.',
  onlyIgnored: () => 'Postbacks arrive, but the latest named no order, so they were ignored: the trigger\u2019s template is not Presslink\u2019s.',
  onlyIgnoredFix: () => 'Paste the template Presslink shows into each trigger again.',
  arrived: (at: string) => `Postbacks arrive from GelatoConnect (the last naming an order at ${at}); polling now only checks orders quiet for 6 hours.`,
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
    return fail(id, title(id), `No test order with both a printable and a stock product has been read yet.${stillRunning(t)}`, placeFix(t, 'one printable product and one stock ("stock" in Infigo) product'));
  }
  const problems: string[] = [];
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
      else problems.push(`${label(o)} is ${o.state}, not held for review as the stock policy says`);
      continue;
    }
    if (!payload) {
      if (['needs_attention', 'failed'].includes(o.state)) problems.push(`${label(o)} is held: ${o.attentionReason ?? o.state}`);
      continue;
    }
    const missingPrintable = printable.filter((l) => !sent.has(l.jobId));
    const wrongStock = stock.filter((l) => (policy === 'exclude' ? sent.has(l.jobId) : !sent.has(l.jobId)));
    if (missingPrintable.length) problems.push(`${label(o)}: printable line(s) ${missingPrintable.map((l) => l.jobId).join(', ')} were not sent to production`);
    if (wrongStock.length) problems.push(`${label(o)}: stock line(s) ${wrongStock.map((l) => l.jobId).join(', ')} were ${policy === 'exclude' ? 'sent although the policy leaves them out' : 'left out although the policy sends them'}`);
    if (!missingPrintable.length && !wrongStock.length) handled++;
  }
  if (problems.length) {
    return fail(id, title(id), `${problems.join('; ')}.`, 'Check that products are marked "normal" (printable) or "stock" in Infigo and the stock policy in Settings → Order types; then press Retry on the order.', evidence);
  }
  if (!handled) {
    return fail(id, title(id), `The mixed test order has not been submitted yet (${mixed.map((o) => `${o.infigoOrderId}: ${o.state}`).join(', ')}).${stillRunning(t)}`, 'Press "Sync now" and run the checklist again.', evidence);
  }
  const how = { exclude: 'printable lines went to production and stock lines were left out', 'send-as-stock': 'printable lines went to production and stock lines went as stock items', hold: 'the order was held for review' }[policy];
  return pass(id, title(id), `${plural(handled, 'mixed order')} handled as the stock policy "${policy}" says: ${how}.`, { evidence });
}

// ---- 7. checkout shipping -------------------------------------------------------------

async function checkoutShipping(ctx: EngineContext): Promise<CheckResult> {
  const id = 'checkout-shipping';
  const r = await callOther(() => ctx.call('shipping.selfTest', {}));
  if (!r.ok) {
    if (r.unavailable) return skip(id, title(id), 'Not available yet: this version cannot test the checkout shipping MegaScript.');
    return fail(id, title(id), `The shipping self-test could not run: ${r.message}`, 'Check Settings → Checkout shipping (URL, currency, token), then run the checklist again.');
  }
  const s = r.value;
  return withStatus({ ...s, id, title: title(id), evidence: { selfTest: { id: s.id, status: s.status, message: s.message, evidence: s.evidence ?? null } } }, s.status);
}

// ---- 8. product types ------------------------------------------------------------------

function productTypes(ctx: EngineContext, t: TestSet): CheckResult {
  const id = 'product-types';
  const lines = linesOf(ctx, t.orders.map((o) => o.id));
  if (!lines.length) {
    return fail(id, title(id), `No order lines have been read yet.${stillRunning(t)}`, placeFix(t, 'the kinds of products you sell (printable and stock)'));
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
  const unsupported = lines.filter((l) => l.kind === 'unsupported');
  if (unsupported.length) {
    return fail(
      id,
      title(id),
      `${plural(unsupported.length, 'line')} could not be classified: ${unsupported.slice(0, 5).map((l) => `${l.sku ?? l.jobId} (type ${l.productType ?? 'none'}: ${l.because ?? 'unknown'})`).join('; ')}.`,
      'In Infigo mark printable products as "normal" and warehouse items as "stock", or add the product type in Settings → Order types; then press Retry on the held orders.',
      evidence,
    );
  }
  const kinds = new Set(lines.map((l) => l.kind));
  const summary = evidence.map((e) => `type ${e.productType ?? 'none'} → ${e.kind}`).filter((v, i, a) => a.indexOf(v) === i).join(', ');
  if (!kinds.has('stock') && t.explicit) {
    return warn(id, title(id), `Every line read is classified (${summary}); no stock product was in the test orders, so stock handling is untested.`, { evidence, fix: placeFix(t, 'a stock product') });
  }
  return pass(id, title(id), `Every line read is classified: ${summary}.`, { evidence });
}
