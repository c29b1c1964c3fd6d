import fs from 'node:fs';
import { CallError } from '../../../shared/contract';
import { orderReferenceId, resubmissionOf } from '../../../shared/domain/reference';
import { toRow } from '../db/orders-repo';
import type { EngineContext, HandlerMap } from '../engine';
import { isHttpError } from '../http';
import { connections } from '../sync/connections';
import { Outbox, OUTBOX } from '../sync/outbox';

// Per-order actions from the order log and Needs attention. Each one is a
// transition the state machine allows; anything else is refused with a reason
// instead of being forced.

export function orderHandlers(requestSync: () => void): HandlerMap {
  return {
    'orders.retry': (ctx, { ids }) => {
      let changed = 0;
      for (const id of ids) {
        const o = ctx.repo.byId(id);
        if (!o) continue;
        if (o.state === 'needs_attention' || o.state === 'skipped') {
          // Start again from Infigo: the fix may have been made there (an address, a product type).
          ctx.repo.transition(o.id, 'discovered', { kind: 'retry', outcome: 'info', message: 'Retry requested: reading the order from Infigo again.' }, { attentionCode: null, attentionReason: null, resumeState: null });
          changed++;
        } else if (o.state === 'failed') {
          // GelatoConnect keeps the failed order under its reference; a new submission needs a new one.
          const next = resubmissionOf(o.orderReferenceId) + 1;
          const ref = orderReferenceId(o.storeId, o.infigoOrderId, next);
          new Outbox(ctx.db).reset(OUTBOX.submitKey(ref));
          ctx.db.prepare('UPDATE orders SET order_reference_id = ?, gelato_order_id = NULL, gelato_status = NULL WHERE id = ?').run(ref, o.id);
          ctx.repo.transition(o.id, 'discovered', {
            kind: 'retry',
            outcome: 'info',
            message: `Retry requested after GelatoConnect failed the order: it will be submitted again as ${ref}.`,
            detail: { previousReference: o.orderReferenceId, previousGelatoOrderId: o.gelatoOrderId },
          }, { attentionCode: null, attentionReason: null });
          changed++;
        } else {
          continue;
        }
        ctx.bus.emit('order.changed', toRow(ctx.repo.byId(o.id)!));
      }
      if (changed) requestSync();
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
      ctx.db.prepare('DELETE FROM files WHERE order_id = ?').run(id);
      const next = ctx.repo.transition(o.id, 'discovered', { kind: 'redownload', outcome: 'info', message: 'Print files removed; they will be downloaded again on the next sync.' });
      ctx.bus.emit('order.changed', toRow(next));
      requestSync();
      return { ok: true };
    },

    'orders.cancel': async (ctx, { id }) => cancelInGelato(ctx, id),
  };
}

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
