import type { OlderOrderPreview } from '../../../shared/contract';
import { toRow, type OrderRecord } from '../db/orders-repo';
import type { EngineContext } from '../context';
import { connections } from '../connections';
import type { Msg } from '../../../shared/messages/index';
import { userMsg } from '../http';
import { textOf } from '../i18n';
import { mapLimit } from '../limit';
import { GOLIVE_MSG } from './messages';

// "Send these older orders": the only way an order placed before go-live reaches production.
// The admin picks orders explicitly; the preview reads each from Infigo now and says what would
// happen; sending records who decided (a timeline event the pipeline honours) and puts the
// order back at the start, so it is read again and submitted like a new one.

/** The timeline kind that marks an order as sent by a person despite the go-live rules. */
export const SENT_BY_PERSON = 'sent_by_person';
/** Held orders a person may send this way besides those before go-live. */
export const DATE_UNREADABLE = 'date_unreadable';

function sendable(o: OrderRecord): boolean {
  return o.state === 'before_go_live' || (o.state === 'needs_attention' && o.attentionCode === DATE_UNREADABLE);
}

/** Has a person sent this order despite the go-live rules? */
export function sentByPerson(ctx: Pick<EngineContext, 'repo'>, orderId: number): boolean {
  return ctx.repo.lastEventAt(orderId, SENT_BY_PERSON) !== undefined;
}

const DONE_SHIPPING = new Set(['shipped', 'delivered', 'partiallyshipped']);

export async function previewOlderOrders(ctx: EngineContext, ids: number[]): Promise<{ orders: OlderOrderPreview[]; willSend: number }> {
  const cfg = ctx.config.get();
  const conns = connections(ctx);
  const out: OlderOrderPreview[] = [];
  const records = ids.map((id) => ctx.repo.byId(id)).filter((o): o is OrderRecord => !!o);
  await mapLimit(records, 4, async (o) => {
    const row: OlderOrderPreview = {
      id: o.id,
      storeId: o.storeId,
      infigoOrderId: o.infigoOrderId,
      state: o.state,
      placedAt: null,
      orderStatus: null,
      shippingStatus: null,
      customerName: o.customerName,
      lines: null,
      willSend: sendable(o),
      notes: [],
      noteMsgs: [],
    };
    const note = (m: Msg) => {
      row.notes.push(textOf(m));
      row.noteMsgs!.push(m);
    };
    out.push(row);
    if (!row.willSend) {
      note(GOLIVE_MSG.sendRefusedState(o.infigoOrderId, o.state));
      return;
    }
    const store = cfg.stores.find((s) => s.id === o.storeId);
    if (!store) return;
    try {
      const order = await conns.infigo(store).getOrder(o.infigoOrderId);
      row.placedAt = order.CreatedOnUtc;
      row.orderStatus = order.OrderStatus;
      row.shippingStatus = order.ShippingStatus;
      row.lines = order.OrderLineItems.length;
      row.customerName = [order.ShippingAddress?.FirstName, order.ShippingAddress?.LastName].filter(Boolean).join(' ') || order.ShippingAddress?.CompanyName || o.customerName;
      if (order.CreatedOnUtc) note(GOLIVE_MSG.previewOld(o.infigoOrderId, order.CreatedOnUtc));
      if (order.OrderStatus && /^cancel+ed$/i.test(order.OrderStatus)) {
        row.willSend = false;
        note(GOLIVE_MSG.previewCancelled(o.infigoOrderId));
      } else if (order.OrderStatus === 'Complete') {
        note(GOLIVE_MSG.previewAlreadyDone(o.infigoOrderId, 'Complete'));
      } else if (order.ShippingStatus && DONE_SHIPPING.has(order.ShippingStatus.toLowerCase())) {
        note(GOLIVE_MSG.previewAlreadyDone(o.infigoOrderId, order.ShippingStatus));
      }
    } catch (e) {
      note(GOLIVE_MSG.previewUnreadable(o.infigoOrderId, userMsg(e)));
    }
  });
  out.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  return { orders: out, willSend: out.filter((r) => r.willSend).length };
}

export function sendOlderOrders(ctx: EngineContext, ids: number[]): { changed: number; refused: { id: number; reason: string; msg: Msg }[] } {
  let changed = 0;
  const refused: { id: number; reason: string; msg: Msg }[] = [];
  const refuse = (id: number, m: Msg) => refused.push({ id, reason: textOf(m), msg: m });
  for (const id of ids) {
    const o = ctx.repo.byId(id);
    if (!o) {
      refuse(id, GOLIVE_MSG.notFound(id));
      continue;
    }
    if (!sendable(o)) {
      refuse(id, GOLIVE_MSG.sendRefusedState(o.infigoOrderId, o.state));
      continue;
    }
    const next = ctx.repo.transition(o.id, 'discovered', { kind: SENT_BY_PERSON, outcome: 'info', message: GOLIVE_MSG.sentByPerson() }, { attentionCode: null, attentionReason: null, resumeState: null });
    ctx.bus.emit('order.changed', toRow(next));
    changed++;
  }
  if (changed) ctx.requestSync();
  return { changed, refused };
}
