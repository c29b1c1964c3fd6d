import { describe, expect, it } from 'vitest';
import type { EngineStatus, SyncSummary } from '../../shared/contract';
import { formatAgo, formatIn, trayIconFor, trayTooltip, trayView, type TrayMenuItem } from '../../electron/main/tray-state';

const NOW = new Date('2026-03-02T10:00:00Z');
const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();

function run(over: Partial<SyncSummary> = {}): SyncSummary {
  return {
    runId: 7,
    startedAt: minutes(-5),
    finishedAt: minutes(-4),
    trigger: 'schedule',
    ok: true,
    discovered: 3,
    submitted: 3,
    needsAttention: 0,
    skipped: 0,
    failed: 0,
    durationMs: 60_000,
    errors: [],
    ...over,
  };
}

function status(over: Partial<EngineStatus> = {}): EngineStatus {
  return {
    version: '0.1.0',
    mode: 'desktop',
    dataDir: '/tmp/x',
    configured: true,
    health: 'healthy',
    healthCause: null,
    healthFix: null,
    paused: false,
    syncing: false,
    lastSync: run(),
    nextSyncAt: minutes(11),
    attentionCount: 0,
    counts: {},
    stores: [{ id: 'acme', name: 'Acme' }],
    statusMode: 'polling',
    sandbox: null,
    activatedAt: minutes(-60),
    quoteFallback: null,
    ...over,
  };
}

const prefs = { startAtLogin: false, closeToTray: true, startAtLoginSupported: true };
const labels = (menu: TrayMenuItem[]) => menu.map((m) => ('label' in m ? m.label : '---'));
const action = (menu: TrayMenuItem[], a: string) => menu.find((m) => m.kind !== 'separator' && m.kind !== 'info' && m.action === a) as Extract<TrayMenuItem, { action: string }> | undefined;

describe('tray icon', () => {
  it('maps each engine health to its icon', () => {
    expect(trayIconFor(status(), NOW)).toBe('healthy');
    expect(trayIconFor(status({ health: 'syncing', syncing: true }), NOW)).toBe('syncing');
    expect(trayIconFor(status({ health: 'attention', attentionCount: 2 }), NOW)).toBe('attention');
    expect(trayIconFor(status({ health: 'error', lastSync: run({ ok: false }) }), NOW)).toBe('error');
    expect(trayIconFor(status({ health: 'paused', paused: true }), NOW)).toBe('paused');
    expect(trayIconFor(status({ health: 'unconfigured', configured: false, lastSync: null }), NOW)).toBe('attention');
  });

  it('never shows green or "syncing" while orders need attention', () => {
    expect(trayIconFor(status({ health: 'healthy', attentionCount: 1 }), NOW)).toBe('attention');
    expect(trayIconFor(status({ health: 'syncing', syncing: true, attentionCount: 4 }), NOW)).toBe('attention');
  });

  it('shows red after a failed sync even while the next one runs', () => {
    expect(trayIconFor(status({ health: 'syncing', syncing: true, lastSync: run({ ok: false, errors: [{ reason: 'Infigo answered 401' }] }) }), NOW)).toBe('error');
  });

  it('a failure outranks attention, and paused outranks healthy', () => {
    expect(trayIconFor(status({ health: 'attention', attentionCount: 3, lastSync: run({ ok: false }) }), NOW)).toBe('error');
    expect(trayIconFor(status({ health: 'paused', paused: true, attentionCount: 3 }), NOW)).toBe('attention');
    expect(trayIconFor(status({ health: 'healthy', paused: true }), NOW)).toBe('paused');
  });

  it('turns red when the scheduled sync is long overdue (the heartbeat stalled)', () => {
    const stale = status({ nextSyncAt: minutes(-30), lastSync: run({ finishedAt: minutes(-45) }) });
    expect(trayIconFor(stale, NOW)).toBe('error');
    expect(trayTooltip(stale, NOW)).toMatch(/overdue/);
    // A little late is normal (the machine was busy); paused is not stale.
    expect(trayIconFor(status({ nextSyncAt: minutes(-2) }), NOW)).toBe('healthy');
    expect(trayIconFor(status({ nextSyncAt: minutes(-30), paused: true, health: 'paused' }), NOW)).toBe('paused');
  });
});

describe('tray tooltip', () => {
  it('is one line that names the state', () => {
    const cases = [
      status(),
      status({ attentionCount: 2, health: 'attention' }),
      status({ health: 'error', lastSync: run({ ok: false, errors: [{ reason: 'GelatoConnect rejected the API key' }] }) }),
      status({ paused: true, health: 'paused' }),
      status({ syncing: true, health: 'syncing' }),
      status({ configured: false, health: 'unconfigured' }),
    ];
    for (const s of cases) expect(trayTooltip(s, NOW)).not.toContain('\n');
    expect(trayTooltip(cases[0]!, NOW)).toBe('Presslink — all good · last sync 4 min ago');
    expect(trayTooltip(cases[1]!, NOW)).toBe('Presslink — 2 orders need attention');
    expect(trayTooltip(cases[2]!, NOW)).toBe('Presslink — last sync failed: GelatoConnect rejected the API key');
    expect(trayTooltip(cases[3]!, NOW)).toBe('Presslink — paused');
    expect(trayTooltip(cases[5]!, NOW)).toBe('Presslink — setup not finished');
  });

  it('prefers the connection error over a single order reason', () => {
    const s = status({ health: 'error', lastSync: run({ ok: false, errors: [{ orderId: 4, reason: 'SKU X not mapped' }, { storeId: 'acme', reason: 'Infigo answered 401' }] }) });
    expect(trayTooltip(s, NOW)).toContain('Infigo answered 401');
  });

  it('keeps attention visible while paused or syncing', () => {
    expect(trayTooltip(status({ paused: true, health: 'paused', attentionCount: 1 }), NOW)).toBe('Presslink — paused · 1 order needs attention');
  });
});

describe('tray menu', () => {
  it('lists last sync, next sync, attention, the actions and quit, in that order', () => {
    const v = trayView(status({ attentionCount: 2, health: 'attention' }), prefs, NOW);
    expect(labels(v.menu)).toEqual([
      'Presslink: needs attention',
      'Last sync: 4 min ago',
      'Next sync: in 11 min',
      '2 orders need attention',
      '---',
      'Sync now',
      'Pause syncing',
      '---',
      'Open Presslink',
      'Open order log (2 need attention)',
      '---',
      'Start at login',
      'Keep running when the window is closed',
      '---',
      'Quit Presslink',
    ]);
  });

  it('offers Resume when paused and disables Sync now', () => {
    const v = trayView(status({ paused: true, health: 'paused' }), prefs, NOW);
    expect(action(v.menu, 'resume')?.label).toBe('Resume syncing');
    expect(action(v.menu, 'pause')).toBeUndefined();
    expect(action(v.menu, 'sync-now')).toMatchObject({ enabled: false });
    expect(labels(v.menu)).toContain('Next sync: paused');
  });

  it('disables Sync now while syncing and before setup', () => {
    expect(action(trayView(status({ syncing: true, health: 'syncing' }), prefs, NOW).menu, 'sync-now')).toMatchObject({ enabled: false });
    expect(action(trayView(status({ configured: false, health: 'unconfigured' }), prefs, NOW).menu, 'sync-now')).toMatchObject({ enabled: false });
    expect(action(trayView(status(), prefs, NOW).menu, 'sync-now')).toMatchObject({ enabled: true });
  });

  it('heads the menu with the state in words', () => {
    expect(labels(trayView(status(), prefs, NOW).menu)[0]).toBe('Presslink: all good');
    expect(labels(trayView(status({ lastSync: run({ ok: false }) }), prefs, NOW).menu)[0]).toBe('Presslink: last sync failed');
    expect(labels(trayView(status({ nextSyncAt: minutes(-30) }), prefs, NOW).menu)[0]).toBe('Presslink: sync overdue');
    expect(labels(trayView(status({ configured: false, health: 'unconfigured' }), prefs, NOW).menu)[0]).toBe('Presslink: setup not finished');
  });

  it('marks a failed last sync and a never-run one', () => {
    expect(labels(trayView(status({ lastSync: run({ ok: false }) }), prefs, NOW).menu)).toContain('Last sync: 4 min ago (failed)');
    expect(labels(trayView(status({ lastSync: null }), prefs, NOW).menu)).toContain('Last sync: never');
  });

  it('reflects the settings as checkboxes', () => {
    const v = trayView(status(), { startAtLogin: true, closeToTray: false, startAtLoginSupported: true }, NOW);
    expect(action(v.menu, 'toggle-start-at-login')).toMatchObject({ kind: 'checkbox', checked: true });
    expect(action(v.menu, 'toggle-close-to-tray')).toMatchObject({ kind: 'checkbox', checked: false });
    expect(action(trayView(status(), { ...prefs, startAtLoginSupported: false }, NOW).menu, 'toggle-start-at-login')).toBeUndefined();
  });

  it('has a starting view before the engine is up, with Open and Quit', () => {
    const v = trayView(null, prefs, NOW);
    expect(v.tooltip).toMatch(/starting/);
    expect(v.menu.filter((m) => m.kind === 'action').map((m) => (m as { action: string }).action)).toEqual(['open', 'quit']);
  });
});

describe('relative times', () => {
  it('formats past and future times for people', () => {
    expect(formatAgo(minutes(0), NOW)).toBe('just now');
    expect(formatAgo(minutes(-59), NOW)).toBe('59 min ago');
    expect(formatAgo(minutes(-60 * 5), NOW)).toBe('5 h ago');
    expect(formatAgo(minutes(-60 * 24 * 3), NOW)).toBe('3 days ago');
    expect(formatAgo(null, NOW)).toBe('never');
    expect(formatIn(minutes(15), NOW)).toBe('in 15 min');
    expect(formatIn(minutes(90), NOW)).toBe('in 1 h 30 min');
    expect(formatIn(minutes(-1), NOW)).toBe('due now');
    expect(formatIn(null, NOW)).toBe('not scheduled');
  });
});
