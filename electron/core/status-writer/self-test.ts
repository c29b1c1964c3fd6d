import type { CheckResult } from '../../../shared/contract';
import type { EngineContext } from '../context';
import { list, type Msg } from '../../../shared/messages/index';
import { fail, pass } from '../checks/result';
import { userMsg } from '../http';
import { MegaScriptStatusWriter, type InfigoStatusUpdate, type PushResult } from '../infigo/status-writer';
import { runApiMegaScript, type Typings } from '../shipping/megascript-host';
import { statusScriptConfig, statusScriptSource, type StatusScriptConfig } from './megascript';
import { STATUS_WRITER_MSG as M } from './messages';

// The status MegaScript's self-test: the real MegaScriptStatusWriter (the code Presslink uses
// for every push: same body, same headers) sends a full update, and only the transport is
// replaced: the request is handed to the generated script running in the MegaScript host,
// against an in-memory order that implements the declared Order interface. Run once as the
// newer and once as the older (1.0.x) typings. Nothing leaves this machine.

const NOPCOMMERCE = {
  order: ['Pending', 'Processing', 'Complete', 'Cancelled'],
  shipping: ['ShippingNotRequired', 'NotYetShipped', 'PartiallyShipped', 'Shipped', 'Delivered'],
  payment: ['Pending', 'Authorized', 'Paid', 'PartiallyRefunded', 'Refunded', 'Voided'],
};

export interface InMemoryOrder {
  order: Record<string, unknown>;
  state: { OrderStatus: string; ShippingStatus: string; PaymentStatus: string; TrackingNumber: string; notes: { note: string; toCustomer: boolean }[]; lineStatus: Record<string, string> };
}

/** An order implementing Infigo's declared Order interface in memory; unknown status names are refused (false), as Infigo does. */
export function inMemoryOrder(id: number): InMemoryOrder {
  const state: InMemoryOrder['state'] = { OrderStatus: 'Processing', ShippingStatus: 'NotYetShipped', PaymentStatus: 'Paid', TrackingNumber: '', notes: [], lineStatus: {} };
  const pick = (list: string[], v: string) => list.find((x) => x.toLowerCase() === String(v).toLowerCase());
  const line = (n: number) => ({
    Id: 20000 + n,
    JobId: String(n),
    TypeLetter: 's',
    Sku: 'PRESSLINK-SELFTEST',
    ProductName: 'Presslink self-test',
    Quantity: 1,
    SetStatus: (status: string) => void (state.lineStatus[`s${n}`] = String(status)),
  });
  const order: Record<string, unknown> = {
    Id: id,
    CreatedOnUtc: new Date(),
    OrderLineItems: [line(5001)],
    SetStatus: (s: string) => !!pick(NOPCOMMERCE.order, s) && ((state.OrderStatus = pick(NOPCOMMERCE.order, s)!), true),
    UpdateShippingStatus: (s: string) => !!pick(NOPCOMMERCE.shipping, s) && ((state.ShippingStatus = pick(NOPCOMMERCE.shipping, s)!), true),
    UpdatePaymentStatus: (s: string) => !!pick(NOPCOMMERCE.payment, s) && ((state.PaymentStatus = pick(NOPCOMMERCE.payment, s)!), true),
    SetTrackingNumber: (n: string) => ((state.TrackingNumber = String(n)), true),
    AddOrderNotes: (note: string, toCustomer?: boolean) => (state.notes.push({ note: String(note), toCustomer: toCustomer === true }), true),
  };
  for (const k of ['OrderStatus', 'ShippingStatus', 'PaymentStatus', 'TrackingNumber'] as const) Object.defineProperty(order, k, { get: () => state[k], enumerable: true });
  Object.defineProperty(order, 'OrderNotes', { get: () => state.notes.map((n) => n.note), enumerable: true });
  return { order, state };
}

/** A MegaScriptStatusWriter whose requests go into the generated script instead of over the network. */
export function writerIntoScript(config: StatusScriptConfig, findOrder: (id: number) => Record<string, unknown> | null, typings: Typings, seen: { violations: string[]; probed: string[]; logs: string[] }): MegaScriptStatusWriter {
  return new MegaScriptStatusWriter({
    url: 'https://infigo.invalid/presslink-status-self-test',
    token: config.token,
    retry: { maxAttempts: 1 },
    fetch: async (_url, init) => {
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const run = runApiMegaScript(statusScriptSource(), { config, request: { method: init?.method ?? 'GET', headers, body: String(init?.body ?? '') }, findOrder, typings });
      seen.violations.push(...run.violations);
      seen.probed.push(...run.probed);
      seen.logs.push(...run.logs);
      return new Response(run.body ?? '', { status: run.status ?? 204, headers: { 'content-type': run.contentType ?? 'text/plain' } });
    },
  });
}

const SAMPLE: InfigoStatusUpdate = {
  orderId: 9001,
  orderStatus: 'Processing',
  shippingStatus: 'Shipped',
  trackingNumber: 'PRESSLINK-SELFTEST-1',
  trackingUrl: 'https://tracking.example/PRESSLINK-SELFTEST-1',
  carrier: 'Self-test Parcel',
  note: 'Presslink self-test note',
  lineStatuses: [{ jobId: 's5001', status: 'Shipped' }],
};

/** Order status, shipping status, tracking number, tracking note, note, line status. */
const SAMPLE_CHANGES = 6;

export async function statusWriterSelfTest(ctx: EngineContext, storeId?: string): Promise<CheckResult> {
  const id = 'status-writer-script';
  const title = M.checkTitleScript();
  const store = ctx.config.get().stores.find((s) => !storeId || s.id === storeId);
  if (!store) return fail(id, title, M.noStore(), M.notChosenFix());
  const config = statusScriptConfig(ctx, store.id);
  const evidence: Record<string, unknown> = {};
  const problems: Msg[] = [];
  const seen = { violations: [] as string[], probed: [] as string[], logs: [] as string[] };
  for (const typings of ['newer', 'older'] as const) {
    const fake = inMemoryOrder(SAMPLE.orderId);
    const writer = writerIntoScript(config, (n) => (n === SAMPLE.orderId ? fake.order : null), typings, seen);
    let result: PushResult;
    try {
      result = await writer.push(SAMPLE);
    } catch (e) {
      problems.push(M.selfTestProblem(typings, userMsg(e)));
      continue;
    }
    const s = fake.state;
    const expected: [string, unknown, unknown][] = [
      ['orderStatus', s.OrderStatus, SAMPLE.orderStatus],
      ['shippingStatus', s.ShippingStatus, SAMPLE.shippingStatus],
      ['trackingNumber', s.TrackingNumber, SAMPLE.trackingNumber],
      ['lineStatus', s.lineStatus.s5001, 'Shipped'],
      ['readBackTracking', result.readBack?.trackingNumber, SAMPLE.trackingNumber],
      ['readBackShipping', result.readBack?.shippingStatus, SAMPLE.shippingStatus],
    ];
    for (const [what, got, want] of expected) if (got !== want) problems.push(M.selfTestProblem(typings, M.selfTestMismatch(what, got, want)));
    if (!s.notes.some((n) => n.note === SAMPLE.note) || !s.notes.some((n) => n.note.includes(SAMPLE.trackingUrl!))) problems.push(M.selfTestProblem(typings, M.selfTestNoNotes()));
    evidence[typings] = { order: { ...s }, readBack: result.readBack };
  }
  const ev = { ...evidence, undeclaredMembers: [...new Set(seen.violations)], newerOnlyMembersProbed: [...new Set(seen.probed)], logs: seen.logs };
  if (seen.violations.length) return fail(id, title, M.selfTestUndeclared(list([...new Set(seen.violations)], 'comma')), M.selfTestFix(), ev);
  if (problems.length) return fail(id, title, M.selfTestFailed(list(problems, 'clauses')), M.selfTestFix(), ev);
  return pass(id, title, M.selfTestOk(SAMPLE_CHANGES), { evidence: ev });
}

export { statusScriptConfig };
