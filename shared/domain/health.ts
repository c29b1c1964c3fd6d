import type { Msg } from '../messages/index';

// One health model for every face: the header, the tray and `presslink status`
// all show what this function decides from the engine's recorded state, and
// every state that is not green names its cause and where to fix it.

export type Health = 'healthy' | 'syncing' | 'attention' | 'error' | 'paused' | 'unconfigured';

/** Where a person fixes the cause: a page of the app, or the header's Resume button. */
export interface HealthFix {
  page: 'setup' | 'attention' | 'troubleshooting' | 'dashboard';
  /** The fix is a button, not a page: resume syncing, or start the sandbox again. */
  action?: 'resume' | 'restartSandbox';
  label: Msg;
}

export interface HealthFacts {
  configured: boolean;
  /** Set up and activated (gone live): before activation nothing is imported. */
  activated?: boolean;
  paused: boolean;
  syncing: boolean;
  /** The last finished cycle, as recorded (so a restarted engine and the CLI see what the running one saw). */
  lastSync: { ok: boolean; finishedAt: string | null; startedAt: string; errors: { reason: string; msg?: Msg; orderId?: number }[] } | null;
  nextSyncAt: string | null;
  attentionCount: number;
  /** The config points at sandbox services that stopped with the Presslink that started them. */
  sandboxStopped?: boolean;
}

export interface HealthAssessment {
  health: Health;
  cause: Msg | null;
  fix: HealthFix | null;
}

/** A sync this much later than scheduled counts as overdue (the engine is stuck or not running). */
export const OVERDUE_GRACE_MS = 10 * 60_000;

export function isSyncOverdue(f: Pick<HealthFacts, 'configured' | 'paused' | 'syncing' | 'nextSyncAt'>, now: number): boolean {
  if (!f.configured || f.paused || f.syncing || !f.nextSyncAt) return false;
  const due = Date.parse(f.nextSyncAt);
  return Number.isFinite(due) && now - due > OVERDUE_GRACE_MS;
}

const troubleshoot: HealthFix = { page: 'troubleshooting', label: { key: 'health.fix.troubleshooting' } };

export function assessHealth(f: HealthFacts, now: number): HealthAssessment {
  if (!f.configured) return { health: 'unconfigured', cause: { key: 'health.cause.unconfigured' }, fix: { page: 'setup', label: { key: 'health.fix.setup' } } };
  // Set up but not live is still setup: nothing is imported or submitted until the admin activates.
  if (f.activated === false) return { health: 'unconfigured', cause: { key: 'health.cause.notActivated' }, fix: { page: 'setup', label: { key: 'health.fix.activate' } } };
  if (f.paused) return { health: 'paused', cause: { key: 'health.cause.paused' }, fix: { page: 'dashboard', action: 'resume', label: { key: 'health.fix.resume' } } };
  if (f.sandboxStopped) {
    return { health: 'error', cause: { key: 'health.cause.sandboxStopped' }, fix: { page: 'setup', action: 'restartSandbox', label: { key: 'health.fix.restartSandbox' } } };
  }
  if (f.syncing) return { health: 'syncing', cause: null, fix: null };
  if (f.lastSync && !f.lastSync.ok) {
    // The cycle's own error first (a store that cannot be reached), else the first order's.
    const first = f.lastSync.errors.find((e) => e.orderId === undefined) ?? f.lastSync.errors[0];
    const reason = first ? (first.msg ?? first.reason) : { key: 'health.cause.noReason' as const };
    return { health: 'error', cause: { key: 'health.cause.lastSyncFailed', params: { reason, count: f.lastSync.errors.length } }, fix: troubleshoot };
  }
  if (isSyncOverdue(f, now)) {
    return { health: 'error', cause: { key: 'health.cause.overdue', params: { at: f.nextSyncAt } }, fix: troubleshoot };
  }
  if (f.attentionCount > 0) {
    return { health: 'attention', cause: { key: 'health.cause.attention', params: { count: f.attentionCount } }, fix: { page: 'attention', label: { key: 'health.fix.attention' } } };
  }
  return { health: 'healthy', cause: null, fix: null };
}
