import type { EngineStatus, Health } from '../../shared/contract';
import type { EngineContext } from './context';
import { activationRecord } from './golive/activation';
import { quoteFallback } from './shipping/fallback';
import { effectiveStatusMode } from './backsync/settings';
import { VERSION } from './version';

// The engine's status, as the header, the tray, `presslink status` and the
// dashboard all show it: one health, derived in one place.

export function engineStatus(ctx: EngineContext): EngineStatus {
  const cfg = ctx.config.get();
  const counts = ctx.repo.counts();
  // Held orders, plus shipped ones whose update to Infigo keeps failing (they keep their state).
  const attentionCount = ctx.repo.attentionCount();
  const configured = ctx.config.isConfigured();
  const activatedAt = activationRecord(ctx)?.activatedAt ?? null;
  let health: Health = 'healthy';
  // Set up but not activated is still setup: nothing is imported until the admin activates.
  if (!configured || !activatedAt) health = 'unconfigured';
  else if (ctx.sync.isPaused()) health = 'paused';
  else if (ctx.sync.isRunning()) health = 'syncing';
  else if (ctx.sync.lastError()) health = 'error';
  else if (attentionCount > 0) health = 'attention';
  return {
    version: VERSION,
    mode: ctx.opts.mode,
    dataDir: ctx.opts.dataDir,
    configured,
    health,
    paused: ctx.sync.isPaused(),
    syncing: ctx.sync.isRunning(),
    lastSync: ctx.repos.runs.last(),
    // Nothing is scheduled in any useful sense until there is something to sync.
    nextSyncAt: configured && activatedAt ? ctx.sync.nextRunAt()?.toISOString() ?? null : null,
    attentionCount,
    counts,
    stores: cfg.stores.map((s) => ({ id: s.id, name: s.name })),
    // The channel in effect: postbacks only once one has arrived (backsync/settings.ts).
    statusMode: effectiveStatusMode(ctx),
    activatedAt,
    quoteFallback: cfg.shippingQuotes.enabled && cfg.shippingQuotes.source === 'gelato' ? quoteFallback(ctx) : null,
  };
}
