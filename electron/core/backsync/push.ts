import type { SyncSummary } from '../../../shared/contract';
import { statusRank, type GelatoStatus } from '../../../shared/domain/gelato';
import { list, msg, type Msg } from '../../../shared/messages/index';
import { toRow, type OrderRecord } from '../db/orders-repo';
import type { EngineContext } from '../context';
import { describeError, describeMsg } from '../http';
import { errorWith, syncError } from '../i18n';
import type { OutboxEntry } from '../db/outbox-repo';
import type { InfigoStatusUpdate } from '../infigo/status-writer';
import { currentOrder, type Connections } from '../connections';
import { mapLimit } from '../limit';
import { infigoTarget, pushes, type InfigoTarget } from './settings';

// Status pushes to Infigo go through the outbox: enqueued in the transaction that
// changes the order, delivered by the sync cycle (and right after a postback),
// retried across cycles with back-off. Each push describes a whole Infigo state
// (order + shipping status + tracking), so only the newest pending push of an
// order is sent and older ones are superseded: a retried "shipped" can never land
// after "delivered" and move Infigo backwards.

export const PUSH_KIND = 'infigo_status';
const PUSH_WAITING = 'infigo_push_waiting';

const PUSH_MSG = {
  waiting: (store: string): Msg => msg('backsync.pushWaiting', { store, where: msg('where.setupStatusUpdates') }),
} as const;

/** Tunable so tests can retry without waiting; defaults keep a failing Infigo from being hammered. */
export const PUSH_POLICY = { maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 30 * 60_000, concurrency: 4 };

export const pushKey = (orderId: number, status: string) => `infigo-status:${orderId}:${status}`;

type PushPayload =
  | { kind: 'status'; status: GelatoStatus; rank: number; target: InfigoTarget; signature: string }
  | { kind: 'tracking'; codes: string[]; rank: number };

type PushEntry = OutboxEntry & { payload: PushPayload };

function insert(ctx: EngineContext, orderId: number, key: string, payload: PushPayload): boolean {
  return ctx.repos.outbox.enqueue(PUSH_KIND, orderId, key, payload);
}

function rows(ctx: EngineContext, orderId: number): PushEntry[] {
  return ctx.repos.outbox.forOrder(PUSH_KIND, orderId) as PushEntry[];
}

/** Queues the Infigo change a new GelatoConnect status maps to (nothing when it maps to nothing,
 *  or to exactly what an earlier status of this order already queued, e.g. in transit after shipped). */
export function enqueuePush(ctx: EngineContext, o: OrderRecord, status: GelatoStatus, target: InfigoTarget = infigoTarget(ctx.config.get(), status)): boolean {
  if (!pushes(target)) return false;
  const signature = JSON.stringify({ o: target.orderStatus ?? null, s: target.shippingStatus ?? null });
  const same = rows(ctx, o.id).some((r) => r.payload.kind === 'status' && r.payload.signature === signature && r.state !== 'failed');
  if (same) return false;
  return insert(ctx, o.id, pushKey(o.id, status), { kind: 'status', status, rank: statusRank(status), target, signature });
}

/** A parcel's tracking that arrives after Infigo was told "shipped" is sent on its own. */
export function enqueueTrackingPush(ctx: EngineContext, o: OrderRecord, codes: string[]): boolean {
  const delivered = rows(ctx, o.id).filter((r) => r.payload.kind === 'status' && r.payload.target.shippingStatus && r.state === 'done' && r.attempts > 0);
  if (delivered.length === 0) return false; // a pending shipped push reads the tracking table when it is sent
  const rank = Math.max(...delivered.map((r) => r.payload.rank));
  return insert(ctx, o.id, pushKey(o.id, `tracking:${codes.join(',')}`), { kind: 'tracking', codes, rank });
}

function markDone(ctx: EngineContext, id: number, note: string | null): void {
  ctx.repos.outbox.markDone(id, note);
}

/** The Infigo update for a push, built when it is sent so it carries every parcel known by then. */
export function buildUpdate(ctx: EngineContext, o: OrderRecord, p: PushPayload): InfigoStatusUpdate {
  const u: InfigoStatusUpdate = { orderId: o.infigoOrderId };
  // Arrival order, so "the first parcel" is the first one GelatoConnect reported.
  const tracking = ctx.repo.trackingByArrival(o.id);
  const withTracking = p.kind === 'tracking' || !!p.target.shippingStatus;
  if (p.kind === 'status') {
    if (p.target.orderStatus) u.orderStatus = p.target.orderStatus;
    if (p.target.shippingStatus) u.shippingStatus = p.target.shippingStatus;
  }
  const first = tracking[0];
  if (withTracking && first) {
    // Infigo keeps one tracking number per order (reference infigo-api.md §4.4): the first
    // parcel's goes there, every parcel is listed in an order note.
    u.trackingNumber = first.code;
    if (first.url) u.trackingUrl = first.url;
    if (first.carrier) u.carrier = first.carrier;
    const listed = p.kind === 'tracking' ? tracking.filter((t) => p.codes.includes(t.code)) : tracking.length > 1 ? tracking : [];
    if (listed.length) {
      const parts = listed.map((t) => `${t.code}${t.carrier ? ` (${t.carrier})` : ''}${t.url ? ` ${t.url}` : ''}`);
      u.note = p.kind === 'tracking' ? `Further parcel tracking: ${parts.join('; ')}` : `Shipped in ${tracking.length} parcels: ${parts.join('; ')}`;
    }
  }
  return u;
}

/**
 * Sends due pushes (all orders, or one). Returns how many reached Infigo. A push that keeps
 * failing marks the order for attention without changing its state, since the order may well
 * have shipped: only the Infigo side is behind.
 */
export async function deliverPushes(ctx: EngineContext, conns: Connections, opts: { orderId?: number; errors?: SyncSummary['errors'] } = {}): Promise<number> {
  const t = new Date().toISOString();
  // A push left in flight by a crash is sent again: writing the same status twice is harmless.
  ctx.repos.outbox.releaseStale(PUSH_KIND, new Date(Date.now() - 5 * 60_000).toISOString());
  const due = ctx.repos.outbox.dueOrderIds(PUSH_KIND, t, opts.orderId);
  const stores = new Map(ctx.config.get().stores.map((s) => [s.id, s]));
  let sent = 0;
  await mapLimit(due, PUSH_POLICY.concurrency, (orderId) =>
    currentOrder.run({ orderId }, async () => {
      if (ctx.stopping.value) return;
      const o = ctx.repo.byId(orderId);
      if (!o) return;
      const all = rows(ctx, orderId);
      const pending = all.filter((r) => r.state === 'pending' && r.key && r.payload);
      const statusRows = pending.filter((r) => r.payload.kind === 'status').sort((a, b) => a.payload.rank - b.payload.rank || a.id - b.id);
      const top = statusRows.at(-1);
      const doneRank = Math.max(-1, ...all.filter((r) => r.payload.kind === 'status' && r.state === 'done' && r.attempts > 0).map((r) => r.payload.rank));
      const work: typeof pending = [];
      for (const r of statusRows) {
        if (r !== top || r.payload.rank < doneRank) markDone(ctx, r.id, `superseded by a later status`);
        else work.push(r);
      }
      const sendingShipped = work.some((r) => r.payload.kind === 'status' && r.payload.target.shippingStatus);
      for (const r of pending.filter((x) => x.payload.kind === 'tracking')) {
        if (sendingShipped) markDone(ctx, r.id, 'sent with the shipping status');
        else work.push(r);
      }
      const store = stores.get(o.storeId);
      // No writer chosen yet: the updates wait, untried, and go out once one is (the setup check says so).
      if (store && store.infigo.statusWriter.kind === 'none') {
        if (work.length && !ctx.repo.lastEventAt(o.id, PUSH_WAITING)) ctx.repo.addEvent(o.id, PUSH_WAITING, 'info', PUSH_MSG.waiting(store.name));
        return;
      }
      for (const r of work) {
        if (r.attempts > 0 && (ctx.repos.outbox.nextAttemptAt(r.id) ?? '') > t) continue;
        if (!ctx.repos.outbox.claim(r.id)) continue; // another delivery (postback vs cycle) took it
        const attempt = r.attempts + 1;
        const update = buildUpdate(ctx, o, r.payload);
        try {
          if (!store) throw errorWith(msg('backsync.storeGone', { store: o.storeId }));
          await conns.statusWriter(store).push(update);
          markDone(ctx, r.id, null);
          sent++;
          ctx.repo.addEvent(o.id, 'infigo_push', 'ok', msg('backsync.pushed', { what: describe(update) }), { key: r.key, update });
        } catch (e) {
          const text = describeError(e);
          const reason = describeMsg(e);
          if (attempt >= PUSH_POLICY.maxAttempts) {
            ctx.repos.outbox.markFailed(r.id, text);
            markAttention(ctx, o, msg('backsync.pushFailed', { what: describe(update), count: attempt, reason }));
          } else {
            const delay = Math.min(PUSH_POLICY.maxDelayMs, PUSH_POLICY.baseDelayMs * 2 ** (attempt - 1));
            ctx.repos.outbox.retryLater(r.id, text, new Date(Date.now() + delay).toISOString());
            ctx.repo.addEvent(o.id, 'infigo_push', 'retry', msg('backsync.pushRetry', { attempt, max: PUSH_POLICY.maxAttempts, reason }), { key: r.key });
          }
          opts.errors?.push(syncError(msg('backsync.pushError', { reason }), { orderId: o.infigoOrderId }));
        }
      }
    }),
  );
  return sent;
}

export const STATUS_PUSH_FAILED = 'status_push_failed';
export const CANCELED_AFTER_SHIPPING = 'canceled_in_infigo_after_shipping';
/** Markers back-sync puts on orders that keep their state; each needs a person to look. */
export const ATTENTION_MARKERS = [STATUS_PUSH_FAILED, CANCELED_AFTER_SHIPPING] as const;

/** A visible marker on an order whose state stays as it is (it may have shipped already). */
export function markAttention(ctx: EngineContext, o: OrderRecord, reason: string | Msg, code: (typeof ATTENTION_MARKERS)[number] = STATUS_PUSH_FAILED): void {
  const marked = ctx.repo.mark(o.id, code, reason);
  ctx.log.warn({ orderId: o.infigoOrderId, store: o.storeId, code }, 'order marked for attention');
  if (marked) ctx.bus.emit('order.changed', toRow(marked));
}

/** What an update changes in Infigo, in words (Infigo's own status names stay as Infigo spells them). */
function describe(u: InfigoStatusUpdate): Msg {
  const parts: Msg[] = [];
  if (u.orderStatus) parts.push(msg('backsync.change.orderStatus', { status: u.orderStatus }));
  if (u.shippingStatus) parts.push(msg('backsync.change.shippingStatus', { status: u.shippingStatus }));
  if (u.trackingNumber) parts.push(msg('backsync.change.tracking', { code: u.trackingNumber }));
  if (u.note) parts.push(msg('backsync.change.note'));
  return parts.length ? msg('backsync.change.list', { changes: list(parts, 'comma') }) : msg('backsync.change.none');
}
