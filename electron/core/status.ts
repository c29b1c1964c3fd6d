import type { EngineStatus } from '../../shared/contract';
import { assessHealth } from '../../shared/domain/health';
import { effectiveStatusMode } from './backsync/settings';
import { runningSandbox, sandboxStopped } from './checks/sandbox-mode';
import type { EngineContext } from './context';
import { activationRecord } from './golive/activation';
import { quoteFallback } from './shipping/fallback';
import { SCHEDULE_KEY, type ScheduleRecord } from './sync/controller';
import { VERSION } from './version';

// The engine's status, as the header, the tray, `presslink status` and the
// dashboard all show it: one health, derived in one place (shared/domain/health.ts).

export function engineStatus(ctx: EngineContext): EngineStatus {
  const cfg = ctx.config.get();
  const counts = ctx.repo.counts();
  // Held orders, plus shipped ones whose update to Infigo keeps failing (they keep their state).
  const attentionCount = ctx.repo.attentionCount();
  const configured = ctx.config.isConfigured();
  const activatedAt = activationRecord(ctx)?.activatedAt ?? null;
  const lastSync = ctx.repos.runs.last();
  // Nothing is scheduled in any useful sense until there is something to sync (set up and
  // activated). A process without a schedule of its own (the CLI) reports the schedule of the
  // one running beside it.
  const nextSyncAt = configured && activatedAt ? (ctx.sync.nextRunAt()?.toISOString() ?? scheduledElsewhere(ctx)) : null;
  const paused = ctx.sync.isPaused();
  const syncing = ctx.sync.isRunning();
  // From the recorded state, not this process's memory: a restarted engine, the CLI and the
  // desktop app beside a running `presslink serve` all see the same health.
  const { health, cause, fix } = assessHealth(
    { configured, activated: !!activatedAt, paused, syncing, lastSync, nextSyncAt, attentionCount, sandboxStopped: sandboxStopped(ctx) },
    Date.now(),
  );
  return {
    version: VERSION,
    mode: ctx.opts.mode,
    dataDir: ctx.opts.dataDir,
    configured,
    health,
    healthCause: cause,
    healthFix: fix,
    paused,
    syncing,
    lastSync,
    nextSyncAt,
    attentionCount,
    counts,
    stores: cfg.stores.map((s) => ({ id: s.id, name: s.name })),
    // The channel in effect: postbacks only once one has arrived (backsync/settings.ts).
    statusMode: effectiveStatusMode(ctx),
    sandbox: runningSandbox(ctx) ? 'running' : sandboxStopped(ctx) ? 'stopped' : null,
    activatedAt,
    quoteFallback: cfg.shippingQuotes.enabled && cfg.shippingQuotes.source === 'gelato' ? quoteFallback(ctx) : null,
  };
}

/** The next run of the schedule another live process on this data directory keeps, if any. */
function scheduledElsewhere(ctx: EngineContext): string | null {
  const rec = ctx.repos.settings.get<ScheduleRecord | null>(SCHEDULE_KEY);
  if (!rec?.at || rec.pid === process.pid) return null;
  try {
    process.kill(rec.pid, 0);
    return rec.at;
  } catch {
    return null; // that process is gone (a crash leaves the record behind)
  }
}
