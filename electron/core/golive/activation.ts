import type { StoreConfig } from '../../../shared/config';
import { CallError, type ActivationInfo, type StoreCutoverInfo } from '../../../shared/contract';
import type { EngineContext } from '../context';
import type { Msg } from '../../../shared/messages/index';
import { describeMsg } from '../http';
import { textOf } from '../i18n';
import { InfigoClient } from '../infigo';
import { GOLIVE_MSG } from './messages';

const refusal = (m: Msg) => new CallError('unavailable', textOf(m), undefined, m);

// Going live. Infigo's Order/List returns every order the store ever had and no filter is
// known (reference real-api-check.md), so the first sync against a real store would send its
// whole history to production. Nothing is imported or submitted before the admin activates;
// activation records, per store, a cut-over: the newest Infigo order id (and its date) seen at
// that moment. Everything up to it is recorded as "before go-live" and is never submitted
// unless a person sends it explicitly (older-orders.ts). A store added after activation gets
// its cut-over the first time it is synced. Both records live in the settings table, written
// only when absent, so the CLI and the app can activate side by side without one undoing
// the other. An install that synced before activation existed is migrated as activated
// (db/migrations.ts, version 5).

const ACTIVATION_KEY = 'golive.activation';
const CUTOVER_PREFIX = 'golive.cutover.';

export type ActivatedBy = 'admin' | 'sandbox' | 'migration';

interface ActivationRecord {
  activatedAt: string;
  by: ActivatedBy;
}

export interface StoreCutover {
  /** Orders with this id or a lower one were placed before go-live (0 = none were). */
  newestInfigoOrderId: number;
  /** When that newest order was placed (Infigo's clock); an order numbered after it but placed earlier is also before go-live. */
  newestCreatedOnUtc: string | null;
  takenAt: string;
  by: ActivatedBy | 'first-sync';
}

export function activationRecord(ctx: Pick<EngineContext, 'repos'>): ActivationRecord | null {
  return ctx.repos.settings.get<ActivationRecord>(ACTIVATION_KEY) ?? null;
}

export function isActivated(ctx: Pick<EngineContext, 'repos'>): boolean {
  return activationRecord(ctx) !== null;
}

export function storeCutover(ctx: Pick<EngineContext, 'repos'>, storeId: string): StoreCutover | null {
  return ctx.repos.settings.get<StoreCutover>(CUTOVER_PREFIX + storeId) ?? null;
}

/** Records a store's cut-over unless one exists; returns the one in force. */
export function recordCutover(ctx: Pick<EngineContext, 'repos'>, storeId: string, c: StoreCutover): StoreCutover {
  if (ctx.repos.settings.setIfAbsent(CUTOVER_PREFIX + storeId, c)) return c;
  return storeCutover(ctx, storeId)!;
}

/**
 * The cut-over of a store now: the newest of `ids` (the store's order list just read) and its
 * date. `readDate` reads one order's CreatedOnUtc; a date that cannot be read leaves the cut-over
 * by id alone.
 */
export async function cutoverFrom(ids: number[], readDate: (id: number) => Promise<string | null>, by: StoreCutover['by']): Promise<StoreCutover> {
  const newest = ids.length ? Math.max(...ids) : 0;
  let date: string | null = null;
  if (newest > 0) {
    try {
      const d = await readDate(newest);
      date = d && Number.isFinite(Date.parse(d)) ? new Date(Date.parse(d)).toISOString() : null;
    } catch {
      date = null;
    }
  }
  return { newestInfigoOrderId: newest, newestCreatedOnUtc: date, takenAt: new Date().toISOString(), by };
}

function activationClient(ctx: EngineContext, store: StoreConfig): InfigoClient {
  return new InfigoClient({ baseUrl: store.infigo.baseUrl, token: ctx.config.resolveSecret(store.infigo.apiToken), timeoutMs: 20_000, retry: { maxAttempts: 2 } });
}

function info(ctx: EngineContext, rec: ActivationRecord, alreadyActive: boolean, message: Msg): ActivationInfo {
  const stores: StoreCutoverInfo[] = ctx.config
    .get()
    .stores.map((s) => ({ storeId: s.id, name: s.name, cutover: storeCutover(ctx, s.id) }))
    .map(({ storeId, name, cutover }) => ({
      storeId,
      name,
      newestInfigoOrderId: cutover?.newestInfigoOrderId ?? null,
      newestCreatedOnUtc: cutover?.newestCreatedOnUtc ?? null,
      takenAt: cutover?.takenAt ?? null,
      by: cutover?.by ?? null,
    }));
  return { activatedAt: rec.activatedAt, by: rec.by, alreadyActive, stores, message: textOf(message), msg: message, nextSyncAt: ctx.sync.nextRunAt()?.toISOString() ?? null };
}

/**
 * Activates Presslink (idempotent). `cutover: 'newest'` reads every enabled store's order list
 * and records its newest order as the cut-over; when a store cannot be read nothing is
 * activated. `cutover: 'none'` (the sandbox, whose orders are simulated) counts every order as new.
 */
export async function activate(ctx: EngineContext, opts: { by: 'admin' | 'sandbox'; cutover: 'newest' | 'none' }): Promise<ActivationInfo> {
  const prior = activationRecord(ctx);
  // Pressing Activate again changes nothing (stores added since get their cut-over when first synced).
  if (prior && opts.cutover === 'newest') return info(ctx, prior, true, GOLIVE_MSG.alreadyActive(prior.activatedAt));
  const cfg = ctx.config.get();
  if (!ctx.config.isConfigured()) throw refusal(GOLIVE_MSG.notConfigured());
  const stores = cfg.stores.filter((s) => s.enabled);
  // Read first, write after: a store that cannot be read leaves everything as it was.
  const taken = new Map<string, StoreCutover>();
  for (const store of stores) {
    if (storeCutover(ctx, store.id)) continue;
    if (opts.cutover === 'none') {
      taken.set(store.id, { newestInfigoOrderId: 0, newestCreatedOnUtc: null, takenAt: new Date().toISOString(), by: opts.by });
      continue;
    }
    const client = activationClient(ctx, store);
    let ids: number[];
    try {
      ids = await client.listOrderIds();
    } catch (e) {
      throw refusal(GOLIVE_MSG.storeUnreadable(store.name, describeMsg(e)));
    }
    taken.set(store.id, await cutoverFrom(ids, async (id) => (await client.getOrder(id)).CreatedOnUtc, opts.by));
  }
  for (const [storeId, c] of taken) recordCutover(ctx, storeId, c);
  const rec: ActivationRecord = { activatedAt: new Date().toISOString(), by: opts.by };
  const first = ctx.repos.settings.setIfAbsent(ACTIVATION_KEY, rec);
  const current = activationRecord(ctx)!;
  if (!first || prior) {
    return info(ctx, current, true, opts.by === 'sandbox' ? GOLIVE_MSG.sandboxActivated() : GOLIVE_MSG.alreadyActive(current.activatedAt));
  }
  ctx.log.info({ by: opts.by, stores: [...taken].map(([id, c]) => ({ id, cutover: c.newestInfigoOrderId })) }, 'Presslink activated');
  // The schedule has been ticking since the engine started, doing nothing; from now on its
  // cycles run. Faces learn it from the status event.
  ctx.configChanged();
  return info(ctx, current, false, opts.by === 'sandbox' ? GOLIVE_MSG.sandboxActivated() : GOLIVE_MSG.activated(stores.length));
}

/** What `setup.activate` and `engine.status` report without changing anything. */
export function activationInfo(ctx: EngineContext): ActivationInfo | null {
  const rec = activationRecord(ctx);
  return rec ? info(ctx, rec, true, GOLIVE_MSG.alreadyActive(rec.activatedAt)) : null;
}
