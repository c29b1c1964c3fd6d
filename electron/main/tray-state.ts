import type { EngineStatus } from '../../shared/contract';
import { isSyncOverdue } from '../../shared/domain/health';

// What the tray shows for an engine status: icon, one-line tooltip and the
// menu. Pure, so "the icon never shows green while something is wrong" is a
// tested rule rather than a hope.

export type TrayIcon = 'healthy' | 'syncing' | 'attention' | 'error' | 'paused';
export const TRAY_ICONS: readonly TrayIcon[] = ['healthy', 'syncing', 'attention', 'error', 'paused'];

export type TrayAction = 'sync-now' | 'pause' | 'resume' | 'open' | 'open-order-log' | 'toggle-start-at-login' | 'toggle-close-to-tray' | 'quit';

export type TrayMenuItem =
  | { kind: 'info'; label: string }
  | { kind: 'action'; label: string; action: TrayAction; enabled: boolean }
  | { kind: 'checkbox'; label: string; action: TrayAction; checked: boolean }
  | { kind: 'separator' };

export interface TrayView {
  icon: TrayIcon;
  tooltip: string;
  menu: TrayMenuItem[];
}

export interface TrayPrefs {
  startAtLogin: boolean;
  closeToTray: boolean;
  /** Linux has no login-item API in Electron; the autostart entry stands in, so the option always shows. */
  startAtLoginSupported: boolean;
}

/** Worst first: a quieter state never hides a louder one. */
const SEVERITY: Record<TrayIcon, number> = { error: 4, attention: 3, paused: 2, syncing: 1, healthy: 0 };

/** The engine's own overdue rule (shared/domain/health.ts), at the tray's clock. */
export function isSyncStale(s: EngineStatus, now: Date): boolean {
  return isSyncOverdue(s, now.getTime());
}

/** The icon: the engine's own health, raised by anything the status itself shows to be wrong. */
export function trayIconFor(s: EngineStatus, now: Date): TrayIcon {
  const candidates: TrayIcon[] = [];
  switch (s.health) {
    case 'healthy':
    case 'syncing':
    case 'attention':
    case 'error':
    case 'paused':
      candidates.push(s.health);
      break;
    case 'unconfigured':
      candidates.push('attention');
      break;
    default:
      candidates.push('error');
  }
  if (s.paused) candidates.push('paused');
  if (s.syncing) candidates.push('syncing');
  if (s.attentionCount > 0) candidates.push('attention');
  if (s.lastSync && !s.lastSync.ok) candidates.push('error');
  if (isSyncStale(s, now)) candidates.push('error');
  return candidates.reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a));
}

export function formatAgo(iso: string | null | undefined, now: Date): string {
  if (!iso) return 'never';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return 'unknown';
  const mins = Math.round((now.getTime() - t) / 60_000);
  if (mins < 1 && mins > -1) return 'just now';
  if (mins < 0) return formatIn(iso, now);
  if (mins < 60) return `${mins} min ago`;
  const hours = Math.floor(mins / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

export function formatIn(iso: string | null | undefined, now: Date): string {
  if (!iso) return 'not scheduled';
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return 'unknown';
  const mins = Math.round((t - now.getTime()) / 60_000);
  if (mins <= 0) return 'due now';
  if (mins < 60) return `in ${mins} min`;
  const hours = Math.floor(mins / 60);
  const rest = mins % 60;
  return rest ? `in ${hours} h ${rest} min` : `in ${hours} h`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The one-line status; it names the problem when there is one. */
export function trayTooltip(s: EngineStatus, now: Date): string {
  const icon = trayIconFor(s, now);
  const attention = s.attentionCount > 0 ? ` · ${plural(s.attentionCount, 'order needs', 'orders need')} attention` : '';
  if (!s.configured) return 'Presslink — setup not finished';
  if (icon === 'error') {
    if (isSyncStale(s, now)) return `Presslink — sync is overdue (last sync ${formatAgo(s.lastSync?.finishedAt ?? s.lastSync?.startedAt, now)})${attention}`;
    const reason = s.lastSync?.errors.find((e) => e.orderId === undefined)?.reason ?? s.lastSync?.errors[0]?.reason;
    return `Presslink — last sync failed${reason ? `: ${truncate(reason, 80)}` : ''}${attention}`;
  }
  if (s.paused) return `Presslink — paused${attention}`;
  if (s.syncing) return `Presslink — syncing…${attention}`;
  if (s.attentionCount > 0) return `Presslink — ${plural(s.attentionCount, 'order needs', 'orders need')} attention`;
  return `Presslink — all good · last sync ${formatAgo(s.lastSync?.finishedAt ?? s.lastSync?.startedAt, now)}`;
}

export function trayView(s: EngineStatus | null, prefs: TrayPrefs, now: Date): TrayView {
  if (!s) {
    return {
      icon: 'paused',
      tooltip: 'Presslink — starting…',
      menu: [
        { kind: 'info', label: 'Starting…' },
        { kind: 'separator' },
        { kind: 'action', label: 'Open Presslink', action: 'open', enabled: true },
        { kind: 'separator' },
        { kind: 'action', label: 'Quit Presslink', action: 'quit', enabled: true },
      ],
    };
  }
  const last = s.lastSync;
  const lastLabel = !last
    ? 'Last sync: never'
    : last.finishedAt === null
      ? `Last sync: started ${formatAgo(last.startedAt, now)}`
      : `Last sync: ${formatAgo(last.finishedAt, now)}${last.ok ? '' : ' (failed)'}`;
  const nextLabel = s.paused ? 'Next sync: paused' : s.syncing ? 'Next sync: syncing now' : `Next sync: ${formatIn(s.nextSyncAt, now)}`;
  const attentionLabel = s.attentionCount > 0 ? `${plural(s.attentionCount, 'order needs', 'orders need')} attention` : 'No orders need attention';
  const menu: TrayMenuItem[] = [
    { kind: 'info', label: `Presslink: ${stateLabel(s, now)}` },
    { kind: 'info', label: lastLabel },
    { kind: 'info', label: nextLabel },
    { kind: 'info', label: attentionLabel },
    { kind: 'separator' },
    { kind: 'action', label: 'Sync now', action: 'sync-now', enabled: s.configured && !s.paused && !s.syncing },
    s.paused
      ? { kind: 'action', label: 'Resume syncing', action: 'resume', enabled: true }
      : { kind: 'action', label: 'Pause syncing', action: 'pause', enabled: s.configured },
    { kind: 'separator' },
    { kind: 'action', label: 'Open Presslink', action: 'open', enabled: true },
    { kind: 'action', label: s.attentionCount > 0 ? `Open order log (${s.attentionCount} need attention)` : 'Open order log', action: 'open-order-log', enabled: true },
    { kind: 'separator' },
  ];
  if (prefs.startAtLoginSupported) menu.push({ kind: 'checkbox', label: 'Start at login', action: 'toggle-start-at-login', checked: prefs.startAtLogin });
  menu.push(
    { kind: 'checkbox', label: 'Keep running when the window is closed', action: 'toggle-close-to-tray', checked: prefs.closeToTray },
    { kind: 'separator' },
    { kind: 'action', label: 'Quit Presslink', action: 'quit', enabled: true },
  );
  return { icon: trayIconFor(s, now), tooltip: trayTooltip(s, now), menu };
}

/** A few words for the state, heading the menu. */
export function stateLabel(s: EngineStatus, now: Date): string {
  if (!s.configured) return 'setup not finished';
  switch (trayIconFor(s, now)) {
    case 'error':
      return isSyncStale(s, now) ? 'sync overdue' : 'last sync failed';
    case 'attention':
      return 'needs attention';
    case 'paused':
      return 'paused';
    case 'syncing':
      return 'syncing…';
    case 'healthy':
      return 'all good';
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
