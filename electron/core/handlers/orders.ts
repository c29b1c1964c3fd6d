import fs from 'node:fs';
import { CallError } from '../../../shared/contract';
import { orderReferenceId, resubmissionOf } from '../../../shared/domain/reference';
import { connections } from '../connections';
import type { EngineContext, HandlersOf } from '../context';
import { OUTBOX } from '../db/outbox-repo';
import { previewOlderOrders, sendOlderOrders } from '../golive/older-orders';
import { toRow } from '../db/orders-repo';
import { isHttpError } from '../http';

// orders.*: the order log and the per-order actions of Needs attention. Each
// action is a transition the state machine allows; anything else is refused
// with a reason instead of being forced.

export const orderHandlers = {
  'orders.list': (ctx, input) => ctx.repo.list(input),
  'orders.counts': (ctx) => ctx.repo.counts(),
  'orders.get': (ctx, { id }) => {
    const o = ctx.repo.byId(id);
    if (!o) throw new CallError('not_found', `There is no order ${id}.`);
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
    for (const id of ids) {
      const o = ctx.repo.byId(id);
      if (!o) continue;
      if (o.state === 'needs_attention' || o.state === 'skipped') {
        // Start again from Infigo: the fix may have been made there (an address, a product type).
        ctx.repo.transition(o.id, 'discovered', { kind: 'retry', outcome: 'info', message: 'Retry requested: reading the order from Infigo again.' }, { attentionCode: null, attentionReason: null, resumeState: null });
      } else if (o.state === 'failed') {
        // GelatoConnect keeps the failed order under its reference; a new submission needs a new one.
        const ref = orderReferenceId(o.storeId, o.infigoOrderId, resubmissionOf(o.orderReferenceId) + 1);
        ctx.repo.resubmit(o.id, ref, () => ctx.repos.outbox.reset(OUTBOX.submitKey(ref)), {
          kind: 'retry',
          outcome: 'info',
          message: `Retry requested after GelatoConnect failed the order: it will be submitted again as ${ref}.`,
          detail: { previousReference: o.orderReferenceId, previousGelatoOrderId: o.gelatoOrderId },
        });
      } else {
        continue;
      }
      changed++;
      ctx.bus.emit('order.changed', toRow(ctx.repo.byId(o.id)!));
    }
    if (changed) ctx.requestSync();
    return { changed };
  },

  'orders.skip': (ctx, { ids, reason }) => {
    let changed = 0;
    for (const id of ids) {
      const o = ctx.repo.byId(id);
      if (!o || !['needs_attention', 'failed', 'discovered', 'classified', 'files'].includes(o.state)) continue;
      const why = reason?.trim() ? reason.trim() : 'no reason given';
      const next = ctx.repo.transition(o.id, 'skipped', { kind: 'skipped', outcome: 'info', message: `Skipped by a person (${why}); it will not be produced.` }, { attentionReason: `Skipped: ${why}` });
      ctx.bus.emit('order.changed', toRow(next));
      changed++;
    }
    return { changed };
  },

  'orders.redownload': (ctx, { id }) => {
    const o = ctx.repo.byId(id);
    if (!o) throw new CallError('not_found', `There is no order ${id}.`);
    if (!['needs_attention', 'failed', 'files', 'skipped'].includes(o.state)) {
      throw new CallError('conflict', `Order ${o.infigoOrderId} is ${o.state.replace('_', ' ')}; its files can be fetched again only before submission or after a failure.`);
    }
    for (const f of ctx.repo.files(id)) {
      for (const p of [f.path, `${f.path}.part`]) fs.rmSync(p, { force: true });
    }
    ctx.repo.deleteFiles(id);
    const next = ctx.repo.transition(o.id, 'discovered', { kind: 'redownload', outcome: 'info', message: 'Print files removed; they will be downloaded again on the next sync.' });
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
  if (!o) throw new CallError('not_found', `There is no order ${id}.`);
  if (!['submitted', 'in_production'].includes(o.state)) {
    throw new CallError('conflict', `Order ${o.infigoOrderId} is ${o.state.replace('_', ' ')}; GelatoConnect accepts a cancellation only until the order has shipped.`);
  }
  const store = ctx.config.get().stores.find((s) => s.id === o.storeId);
  try {
    const r = await connections(ctx).gelato().cancelOrder(o.gelatoOrderId ?? o.orderReferenceId, { customerReferenceId: store?.gelatoCustomerReferenceId });
    const next = ctx.repo.transition(o.id, 'canceled', { kind: 'canceled', message: `Canceled in GelatoConnect by a person (${r.message}).` }, { gelatoStatus: 'canceled' });
    ctx.bus.emit('order.changed', toRow(next));
    return { ok: true, message: 'The order was canceled in GelatoConnect.' };
  } catch (e) {
    const msg = isHttpError(e) ? `${e.userMessage} ${e.hint}` : (e as Error).message;
    ctx.repo.addEvent(o.id, 'cancel_failed', 'error', `Cancel in GelatoConnect failed: ${msg}`);
    return { ok: false, message: msg };
  }
}
