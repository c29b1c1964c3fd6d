import type { Config } from '../../../shared/config';
import { CallError, type CheckResult, type TimelineEvent } from '../../../shared/contract';
import { lineTags } from '../../../shared/domain/order-line';
import { msg, type MsgParam } from '../../../shared/messages/index';
import type { OrderRecord } from '../db/orders-repo';
import type { EngineContext } from '../context';
import { GelatoClient } from '../gelato';
import { InfigoClient } from '../infigo';
import { errorWith, reasonOf } from '../i18n';
import { CHECK_HTTP } from './setup-infigo';

// Reading the engine's own records as evidence for the checklist and doctor,
// and clients with short timeouts for the few remote look-ups they make.

/** The timeline kind and outbox kind the back-sync pusher writes when it updates Infigo. */
export const INFIGO_PUSH_EVENT = 'infigo_push';
export const INFIGO_PUSH_OUTBOX = 'infigo_status';
export const STATUS_PUSH_FAILED = 'status_push_failed';

export interface LineRow {
  orderId: number;
  jobId: string;
  sku: string | null;
  name: string | null;
  productType: number | null;
  kind: 'printable' | 'stock' | 'unsupported';
  because: string | null;
  tags: string[];
}

export function linesOf(ctx: EngineContext, orderIds: number[]): LineRow[] {
  return ctx.repo.linesWithRaw(orderIds).map((l) => {
    const raw = (l.raw ?? {}) as { classifiedBecause?: unknown };
    return {
      orderId: l.orderId,
      jobId: l.jobId,
      sku: l.sku,
      name: l.name,
      productType: l.productType,
      kind: l.kind,
      because: typeof raw.classifiedBecause === 'string' ? raw.classifiedBecause : null,
      tags: lineTags(l.raw),
    };
  });
}

export function recentOrders(ctx: EngineContext, limit = 50): OrderRecord[] {
  return ctx.repo.newestIds(limit).map((id) => ctx.repo.byId(id)!).filter(Boolean);
}

export function pushEvents(ctx: EngineContext, orderId: number): TimelineEvent[] {
  return ctx.repo.timeline(orderId).filter((e) => e.kind === INFIGO_PUSH_EVENT);
}

/** Whether this engine has ever queued a status push to Infigo (the pusher exists and runs). */
export function pusherSeen(ctx: EngineContext): boolean {
  const n = ctx.repos.outbox.health(INFIGO_PUSH_OUTBOX).total;
  const e = ctx.repo.eventCount(INFIGO_PUSH_EVENT);
  return n + e > 0;
}

export function shortTimeline(events: TimelineEvent[]): { at: string; kind: string; outcome: string; message: string }[] {
  return events.filter((e) => e.kind !== 'retry').map((e) => ({ at: e.at, kind: e.kind, outcome: e.outcome, message: e.message.length > 160 ? `${e.message.slice(0, 157)}…` : e.message }));
}

export function gelatoCheckClient(ctx: EngineContext, cfg: Config = ctx.config.get()): GelatoClient {
  if (!cfg.gelato) throw errorWith(msg('check.gelatoNotSetUp'));
  return new GelatoClient({ endpoints: cfg.gelato.endpoints, apiKey: ctx.config.resolveSecret(cfg.gelato.apiKey), ...CHECK_HTTP });
}

export function infigoCheckClient(ctx: EngineContext, store: Config['stores'][number]): InfigoClient {
  return new InfigoClient({ baseUrl: store.infigo.baseUrl, token: ctx.config.resolveSecret(store.infigo.apiToken), ...CHECK_HTTP });
}

/**
 * Calls another feature's handler; "not available yet" when that feature is not in this build.
 * A failure comes back as English text (`message`) and as a parameter for a message (`reason`).
 */
export async function callOther<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; unavailable: boolean; message: string; reason: MsgParam }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof CallError) return { ok: false, unavailable: e.code === 'unavailable', message: e.message, reason: reasonOf(e) };
    return { ok: false, unavailable: false, message: (e as Error).message, reason: reasonOf(e) };
  }
}

export function withStatus(r: CheckResult, status: CheckResult['status']): CheckResult {
  return { ...r, status, ok: status !== 'fail' };
}
