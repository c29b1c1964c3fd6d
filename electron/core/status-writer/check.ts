import type { StoreConfig } from '../../../shared/config';
import type { CheckResult, StatusWriterChoice, StatusWriterChoices } from '../../../shared/contract';
import type { EngineContext } from '../context';
import { connections } from '../connections';
import type { Msg } from '../../../shared/messages/index';
import { describeMsg } from '../http';
import { textOf } from '../i18n';
import { InfigoClient } from '../infigo';
import { fail, pass, skip, warn } from '../checks/result';
import { STATUS_WRITER_MSG as M } from './messages';
import { statusWriterSelfTest } from './self-test';

// Proving that status and tracking really reach Infigo before going live: the setup check
// (contract `setup.checkStatusWriter`) writes one harmless update to one order — a note saying
// it is a Presslink test, with the order's statuses set to what they already are — through the
// store's configured writer, then reads the order back (from the script's answer, and from
// Infigo's order details) to see the note arrived. The result is kept for the checklist.

const LAST_TEST = 'statusWriter.lastTest.';

export interface StatusWriterTestRecord {
  at: string;
  storeId: string;
  infigoOrderId: number | null;
  status: CheckResult['status'];
  message: string;
  /** The message as a message (absent in records of an older Presslink). */
  msg?: Msg;
}

export function lastStatusWriterTest(ctx: Pick<EngineContext, 'repos'>, storeId: string): StatusWriterTestRecord | null {
  return ctx.repos.settings.get<StatusWriterTestRecord>(LAST_TEST + storeId) ?? null;
}

export function statusWriterChoices(ctx: EngineContext): StatusWriterChoices {
  // Each text in English and as a message (msgs), for the wizard to show in the admin's language.
  const said = (kind: StatusWriterChoice['kind'], documented: boolean, recommended: boolean, m: { title: Msg; summary: Msg; when: Msg; needs: Msg[]; verify: Msg }): StatusWriterChoice => ({
    kind,
    title: textOf(m.title),
    summary: textOf(m.summary),
    when: textOf(m.when),
    documented,
    recommended,
    needs: m.needs.map(textOf),
    verify: textOf(m.verify),
    msgs: m,
  });
  const choice = (kind: StatusWriterChoice['kind']): StatusWriterChoice => {
    if (kind === 'megascript') return said(kind, true, true, { title: M.megascriptTitle(), summary: M.megascriptSummary(), when: M.megascriptWhen(), needs: M.megascriptNeeds(), verify: M.megascriptVerify() });
    if (kind === 'rest') return said(kind, false, false, { title: M.restTitle(), summary: M.restSummary(), when: M.restWhen(), needs: M.restNeeds(), verify: M.restVerify() });
    return said(kind, true, false, { title: M.noneTitle(), summary: M.noneSummary(), when: M.noneWhen(), needs: [], verify: M.noneVerify() });
  };
  return {
    choices: [choice('megascript'), choice('rest'), choice('none')],
    stores: ctx.config.get().stores.map((s) => ({ storeId: s.id, name: s.name, kind: s.infigo.statusWriter.kind, lastTest: lastStatusWriterTest(ctx, s.id) })),
  };
}

function testClient(ctx: EngineContext, store: StoreConfig): InfigoClient {
  return new InfigoClient({ baseUrl: store.infigo.baseUrl, token: ctx.config.resolveSecret(store.infigo.apiToken), timeoutMs: 15_000, retry: { maxAttempts: 1 } });
}

/** The order to write to: the one asked for, else a test order of the checklist, else the newest known. */
async function targetOrder(ctx: EngineContext, store: StoreConfig, infigo: InfigoClient, asked?: number): Promise<number | null> {
  if (asked) return asked;
  const tests = ctx.repos.settings.get<{ storeId: string; infigoOrderId: number }[]>('checklist.testOrders') ?? [];
  const test = tests.filter((t) => t.storeId === store.id).map((t) => t.infigoOrderId);
  if (test.length) return Math.max(...test);
  const known = ctx.repo.newestOfStore(store.id, 1)[0]?.infigoOrderId;
  if (known) return known;
  const ids = await infigo.listOrderIds();
  return ids.length ? Math.max(...ids) : null;
}

function notesText(order: unknown): string {
  const notes = order && typeof order === 'object' ? (order as { OrderNotes?: unknown }).OrderNotes : null;
  return JSON.stringify(notes ?? []);
}

export async function checkStatusWriter(ctx: EngineContext, input: { storeId?: string; infigoOrderId?: number }): Promise<CheckResult[]> {
  const stores = ctx.config.get().stores;
  const store = stores.find((s) => (input.storeId ? s.id === input.storeId : s.enabled)) ?? null;
  const out: CheckResult[] = [];
  const record = (r: CheckResult, infigoOrderId: number | null) => {
    if (store) ctx.repos.settings.set(LAST_TEST + store.id, { at: new Date().toISOString(), storeId: store.id, infigoOrderId, status: r.status, message: r.message, ...(r.msgs?.message ? { msg: r.msgs.message } : {}) } satisfies StatusWriterTestRecord);
    return r;
  };
  if (!store) return [fail('status-writer-chosen', M.checkTitleChosen(), M.noStore(), M.notChosenFix())];
  const kind = store.infigo.statusWriter.kind;
  if (kind === 'none') {
    out.push(record(fail('status-writer-chosen', M.checkTitleChosen(), M.notChosen(store.name), M.notChosenFix(), { storeId: store.id }), null));
    out.push(skip('status-writer-push', M.checkTitlePush(), M.notTested()));
    return out;
  }
  out.push(pass('status-writer-chosen', M.checkTitleChosen(), M.chosen(store.name, kind)));
  if (kind === 'megascript') {
    const self = await statusWriterSelfTest(ctx, store.id);
    out.push(self);
    if (self.status === 'fail') {
      out.push(skip('status-writer-push', M.checkTitlePush(), M.notTested()));
      return out;
    }
  }
  const infigo = testClient(ctx, store);
  let orderId: number | null;
  try {
    orderId = await targetOrder(ctx, store, infigo, input.infigoOrderId);
  } catch (e) {
    out.push(record(fail('status-writer-push', M.checkTitlePush(), M.pushFailed(0, describeMsg(e)), M.pushFailedFix(kind)), null));
    return out;
  }
  if (!orderId) {
    out.push(record(fail('status-writer-push', M.checkTitlePush(), M.noOrder(store.name), M.notChosenFix()), null));
    return out;
  }
  const marker = M.testNote(new Date().toISOString());
  try {
    const before = await infigo.getOrder(orderId);
    const result = await connections(ctx).statusWriter(store).push({
      orderId,
      ...(before.OrderStatus ? { orderStatus: before.OrderStatus } : {}),
      ...(before.ShippingStatus ? { shippingStatus: before.ShippingStatus } : {}),
      note: marker,
    });
    const after = await infigo.getOrderRaw(orderId);
    const afterOrder = await infigo.getOrder(orderId);
    const inRest = notesText(after).includes(marker);
    const inScript = result.readBack !== null && result.readBack.notes !== null && result.readBack.notes > before.OrderNotes.length;
    const unchanged = afterOrder.OrderStatus === before.OrderStatus && afterOrder.ShippingStatus === before.ShippingStatus;
    const evidence = { storeId: store.id, infigoOrderId: orderId, writer: kind, note: marker, readBack: result.readBack, noteInOrderDetails: inRest, before: { OrderStatus: before.OrderStatus, ShippingStatus: before.ShippingStatus }, after: { OrderStatus: afterOrder.OrderStatus, ShippingStatus: afterOrder.ShippingStatus } };
    if ((inRest || inScript) && unchanged) {
      out.push(record(pass('status-writer-push', M.checkTitlePush(), M.readBackOk(orderId, inRest ? M.viaRest() : M.viaScript()), { evidence }), orderId));
    } else {
      out.push(record(warn('status-writer-push', M.checkTitlePush(), M.readBackNotSeen(orderId), { fix: M.readBackNotSeenFix(), evidence }), orderId));
    }
  } catch (e) {
    out.push(record(fail('status-writer-push', M.checkTitlePush(), M.pushFailed(orderId, describeMsg(e)), M.pushFailedFix(kind), { storeId: store.id, infigoOrderId: orderId }), orderId));
  }
  return out;
}
