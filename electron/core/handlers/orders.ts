import fs from 'node:fs';
import { CallError } from '../../../shared/contract';
import { verdict, type OrderAction, type RefusalCode } from '../../../shared/domain/order-actions';
import { msg, type Msg } from '../../../shared/messages/index';
import { orderReferenceId, resubmissionOf } from '../../../shared/domain/reference';
import { connections } from '../connections';
import type { EngineContext, HandlersOf } from '../context';
import { OUTBOX } from '../db/outbox-repo';
import { previewOlderOrders, sendOlderOrders } from '../golive/older-orders';
import { toRow } from '../db/orders-repo';
import { describeMsg } from '../http';
import { textOf } from '../i18n';

/** A refusal a person reads, in English and as a message. */
const refuse = (code: 'not_found' | 'conflict', m: Msg) => new CallError(code, textOf(m), undefined, m);

/** Why an action is not possible for an order, by the rules the order log offers actions by (shared/domain/order-actions.ts). */
const refusal = (action: OrderAction, order: number, reason: RefusalCode) =>
  msg('orders.refused', { order, action: msg(`orders.action.${action}`), why: msg(`orders.why.${reason}`) });

/** The orders a bulk action left out, each with its reason. */
type Refused = { id: number; reason: RefusalCode; msg: Msg }[];

// orders.*: the order log and the per-order actions of Needs attention. Each
// action is a transition the state machine allows; anything else is refused
// with a reason instead of being forced.

export const orderHandlers = {
  'orders.list': (ctx, input) => ctx.repo.list(input),
  'orders.counts': (ctx) => ctx.repo.counts(),
  'orders.get': (ctx, { id }) => {
    const o = ctx.repo.byId(id);
    if (!o) throw refuse('not_found', msg('orders.notFound', { id }));
    const store = ctx.config.get().stores.find((s) => s.id === o.storeId);
    return {
      ...toRow(o),
      lines: ctx.repo.lines(id),
      files: ctx.repo.files(id).map(({ path: _p, deliveredUrl: _d, ...f }) => f),
      timeline: ctx.repo.timeline(id),
      payload: o.payloadJson ? JSON.parse(o.payloadJson) : null,
      infigo: o.infigoJson ? JSON.parse(o.infigoJson) : null,
      tracking: ctx.repo.tracking(id),
      infigoUrl: store ? `${store.infigo.baseUrl.replace(/\/+$/, '')}/Admin/Order/Edit/${o.infigoOrderId}` : null,
    };
  },

  'orders.retry': (ctx, { ids }) => {
    let changed = 0;
    const refused: Refused = [];
    for (const id of ids) {
      const o = ctx.repo.byId(id);
      if (!o) continue;
      const v = verdict('retry', o.state);
      if (!v.allowed) {
        refused.push({ id, reason: v.reason, msg: refusal('retry', o.infigoOrderId, v.reason) });
        continue;
      }
      if (o.state === 'needs_attention' || o.state === 'skipped') {
        // Start again from Infigo: the fix may have been made there (an address, a product type).
        ctx.repo.transition(o.id, 'discovered', { kind: 'retry', outcome: 'info', message: msg('orders.retryRequested') }, { attentionCode: null, attentionReason: null, resumeState: null });
      } else if (o.state === 'failed') {
        // GelatoConnect keeps the failed order under its reference; a new submission needs a new one.
        const ref = orderReferenceId(o.storeId, o.infigoOrderId, resubmissionOf(o.orderReferenceId) + 1);
        ctx.repo.resubmit(o.id, ref, () => ctx.repos.outbox.reset(OUTBOX.submitKey(ref)), {
          kind: 'retry',
          outcome: 'info',
          message: msg('orders.retryAfterFailure', { reference: ref }),
          detail: { previousReference: o.orderReferenceId, previousGelatoOrderId: o.gelatoOrderId },
        });
      }
      changed++;
      ctx.bus.emit('order.changed', toRow(ctx.repo.byId(o.id)!));
    }
    if (changed) ctx.requestSync();
    return { changed, refused };
  },

  'orders.skip': (ctx, { ids, reason }) => {
    let changed = 0;
    const refused: Refused = [];
    for (const id of ids) {
      const o = ctx.repo.byId(id);
      if (!o) continue;
      const v = verdict('skip', o.state);
      if (!v.allowed) {
        refused.push({ id, reason: v.reason, msg: refusal('skip', o.infigoOrderId, v.reason) });
        continue;
      }
      const why = reason?.trim() ? reason.trim() : msg('orders.noReasonGiven');
      // An order GelatoConnect already has is not "not produced": Presslink only stops following it.
      const message = o.gelatoOrderId ? msg('orders.skippedByPersonInGelato', { reason: why, reference: o.orderReferenceId }) : msg('orders.skippedByPerson', { reason: why });
      const next = ctx.repo.transition(o.id, 'skipped', { kind: 'skipped', outcome: 'info', message }, { attentionReason: msg('orders.skipReason', { reason: why }) });
      ctx.bus.emit('order.changed', toRow(next));
      changed++;
    }
    return { changed, refused };
  },

  'orders.redownload': (ctx, { id }) => {
    const o = ctx.repo.byId(id);
    if (!o) throw refuse('not_found', msg('orders.notFound', { id }));
    const v = verdict('redownload', o.state);
    if (!v.allowed) throw refuse('conflict', refusal('redownload', o.infigoOrderId, v.reason));
    for (const f of ctx.repo.files(id)) {
      for (const p of [f.path, `${f.path}.part`]) fs.rmSync(p, { force: true });
    }
    ctx.repo.deleteFiles(id);
    const next = ctx.repo.transition(o.id, 'discovered', { kind: 'redownload', outcome: 'info', message: msg('orders.redownloaded') });
    ctx.bus.emit('order.changed', toRow(next));
    ctx.requestSync();
    return { ok: true };
  },

  'orders.cancel': (ctx, { id }) => cancelInGelato(ctx, id),
  // Orders placed before go-live reach production only when a person picks them (docs/go-live.md).
  'orders.olderPreview': (ctx, { ids }) => previewOlderOrders(ctx, ids),
  'orders.sendOlder': (ctx, { ids }) => sendOlderOrders(ctx, ids),
} satisfies HandlersOf<'orders'>;

async function cancelInGelato(ctx: EngineContext, id: number) {
  const o = ctx.repo.byId(id);
  if (!o) throw refuse('not_found', msg('orders.notFound', { id }));
  const v = verdict('cancel', o.state);
  if (!v.allowed) throw refuse('conflict', refusal('cancel', o.infigoOrderId, v.reason));
  const store = ctx.config.get().stores.find((s) => s.id === o.storeId);
  try {
    const r = await connections(ctx).gelato().cancelOrder(o.gelatoOrderId ?? o.orderReferenceId, { customerReferenceId: store?.gelatoCustomerReferenceId });
    const next = ctx.repo.transition(o.id, 'canceled', { kind: 'canceled', message: msg('orders.canceledByPerson', { detail: r.message }) }, { gelatoStatus: 'canceled' });
    ctx.bus.emit('order.changed', toRow(next));
    return { ok: true, message: textOf(msg('orders.canceled')), msg: msg('orders.canceled') };
  } catch (e) {
    const m = msg('orders.cancelFailed', { reason: describeMsg(e) });
    ctx.repo.addEvent(o.id, 'cancel_failed', 'error', m);
    return { ok: false, message: textOf(m), msg: m };
  }
}
