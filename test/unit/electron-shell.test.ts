import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { HIDDEN_ARG, linuxAutostartEntry, linuxAutostartPath, linuxExecutable, wasStartedHidden } from '../../electron/main/autostart';
import { closeAction, createQuitCoordinator, quitWhenAllWindowsClosed } from '../../electron/main/lifecycle';
import { DEFAULT_SETTINGS, normalizeSettings, placeWindow } from '../../electron/main/settings';
import { resolveUpdateFeed, restartChoice, updateReadyDialog, waitUntilIdle } from '../../electron/main/update-policy';

describe('desktop settings', () => {
  it('defaults to keeping the engine in the tray and not starting at login', () => {
    expect(normalizeSettings(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.closeToTray).toBe(true);
    expect(DEFAULT_SETTINGS.startAtLogin).toBe(false);
    expect(DEFAULT_SETTINGS.updateUrl).toBe('');
  });

  it('repairs hand-edited or damaged values', () => {
    const s = normalizeSettings({ closeToTray: 'yes', startAtLogin: true, updateUrl: '  https://u.example/presslink  ', window: { width: 50, height: 'x', x: 10, y: 20, maximized: true } });
    expect(s.closeToTray).toBe(true);
    expect(s.startAtLogin).toBe(true);
    expect(s.updateUrl).toBe('https://u.example/presslink');
    expect(s.window).toEqual({ width: DEFAULT_SETTINGS.window.width, height: DEFAULT_SETTINGS.window.height, x: 10, y: 20, maximized: true });
  });
});

describe('window placement', () => {
  const primary = { x: 0, y: 0, width: 1920, height: 1040 };
  const second = { x: 1920, y: 0, width: 1280, height: 1000 };

  it('restores the saved position when it is on a connected display', () => {
    const saved = { x: 2000, y: 50, width: 1100, height: 800, maximized: false };
    expect(placeWindow(saved, [primary, second], primary)).toEqual(saved);
  });

  it('recentres on the primary display when the monitor it was on is gone', () => {
    const saved = { x: 2000, y: 50, width: 1100, height: 800, maximized: false };
    expect(placeWindow(saved, [primary], primary)).toEqual({ x: 410, y: 120, width: 1100, height: 800, maximized: false });
  });

  it('recentres when the title bar would be off screen', () => {
    const saved = { x: 100, y: -500, width: 1000, height: 800, maximized: false };
    const p = placeWindow(saved, [primary], primary);
    expect(p.y).toBeGreaterThanOrEqual(0);
  });

  it('shrinks a window larger than the screen', () => {
    const p = placeWindow({ width: 4000, height: 3000, maximized: true }, [primary], primary);
    expect(p).toEqual({ x: 0, y: 0, width: 1920, height: 1040, maximized: true });
  });
});

describe('closing and quitting', () => {
  it('hides to the tray only when wanted and a tray exists', () => {
    expect(closeAction({ quitting: false, closeToTray: true, trayAvailable: true })).toBe('hide');
    expect(closeAction({ quitting: false, closeToTray: false, trayAvailable: true })).toBe('close');
    expect(closeAction({ quitting: false, closeToTray: true, trayAvailable: false })).toBe('close');
    expect(closeAction({ quitting: true, closeToTray: true, trayAvailable: true })).toBe('close');
  });

  it('quits with the last window unless the tray keeps it (or on macOS)', () => {
    expect(quitWhenAllWindowsClosed({ platform: 'win32', closeToTray: false, trayAvailable: true })).toBe(true);
    expect(quitWhenAllWindowsClosed({ platform: 'linux', closeToTray: true, trayAvailable: false })).toBe(true);
    expect(quitWhenAllWindowsClosed({ platform: 'linux', closeToTray: true, trayAvailable: true })).toBe(false);
    expect(quitWhenAllWindowsClosed({ platform: 'darwin', closeToTray: false, trayAvailable: true })).toBe(false);
  });

  it('holds the quit until the engine has stopped, then quits once', async () => {
    let finishStop!: () => void;
    const stopEngine = vi.fn(() => new Promise<void>((r) => (finishStop = r)));
    const exit = vi.fn();
    const q = createQuitCoordinator({ stopEngine, exit });
    expect(q.onBeforeQuit()).toBe(true); // held
    expect(q.onBeforeQuit()).toBe(true); // still held while stopping, not stopped twice
    expect(stopEngine).toHaveBeenCalledOnce();
    expect(exit).not.toHaveBeenCalled();
    finishStop();
    await vi.waitFor(() => expect(exit).toHaveBeenCalledOnce());
    expect(q.state).toBe('stopped');
    expect(q.onBeforeQuit()).toBe(false); // the real quit goes through
  });

  it('still quits when stopping fails or hangs', async () => {
    const onError = vi.fn();
    const exit = vi.fn();
    const failing = createQuitCoordinator({ stopEngine: () => Promise.reject(new Error('db closed')), exit, onError });
    failing.onBeforeQuit();
    await vi.waitFor(() => expect(exit).toHaveBeenCalledOnce());
    expect(onError).toHaveBeenCalled();

    const onTimeout = vi.fn();
    const exit2 = vi.fn();
    const hanging = createQuitCoordinator({ stopEngine: () => new Promise(() => {}), exit: exit2, timeoutMs: 20, onTimeout });
    hanging.onBeforeQuit();
    await vi.waitFor(() => expect(exit2).toHaveBeenCalledOnce());
    expect(onTimeout).toHaveBeenCalledOnce();
  });

  it('can stop the engine for an update without quitting by itself', async () => {
    const exit = vi.fn();
    const stopEngine = vi.fn(async () => {});
    const q = createQuitCoordinator({ stopEngine, exit });
    await q.stopEngine();
    expect(stopEngine).toHaveBeenCalledOnce();
    expect(exit).not.toHaveBeenCalled();
    expect(q.onBeforeQuit()).toBe(false);
  });
});

describe('start at login on Linux', () => {
  it('writes an XDG autostart entry that starts hidden', () => {
    const entry = linuxAutostartEntry('/opt/Presslink/presslink');
    expect(entry).toMatch(/^\[Desktop Entry\]\n/);
    expect(entry).toContain(`Exec="/opt/Presslink/presslink" ${HIDDEN_ARG}`);
    expect(entry).toContain('Type=Application');
  });

  it('quotes paths with spaces and reserved characters', () => {
    expect(linuxAutostartEntry('/home/a b/$x/Press"link.AppImage')).toContain('Exec="/home/a b/\\$x/Press\\"link.AppImage" --hidden');
  });

  it('starts the AppImage, not its temporary mount', () => {
    expect(linuxExecutable({ APPIMAGE: '/home/u/Apps/Presslink.AppImage' }, '/tmp/.mount_Press/presslink')).toBe('/home/u/Apps/Presslink.AppImage');
    expect(linuxExecutable({}, '/opt/Presslink/presslink')).toBe('/opt/Presslink/presslink');
  });

  it('honours XDG_CONFIG_HOME', () => {
    expect(linuxAutostartPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/u')).toBe(path.join('/cfg', 'autostart', 'presslink.desktop'));
    expect(linuxAutostartPath({}, '/home/u')).toBe(path.join('/home/u', '.config', 'autostart', 'presslink.desktop'));
  });

  it('recognises a login launch', () => {
    expect(wasStartedHidden(['/opt/presslink', '--hidden'])).toBe(true);
    expect(wasStartedHidden(['/opt/presslink'])).toBe(false);
  });
});

describe('updates', () => {
  it('is off without a URL and accepts only https (or http to this machine)', () => {
    expect(resolveUpdateFeed('', {})).toBeNull();
    expect(resolveUpdateFeed(undefined, {})).toBeNull();
    expect(resolveUpdateFeed('https://updates.example.com/presslink/', {})).toBe('https://updates.example.com/presslink/');
    expect(resolveUpdateFeed('http://updates.example.com/', {})).toBeNull();
    expect(resolveUpdateFeed('http://127.0.0.1:8080/feed', {})).toBe('http://127.0.0.1:8080/feed');
    expect(resolveUpdateFeed('https://user:pw@updates.example.com/', {})).toBeNull();
    expect(resolveUpdateFeed('not a url', {})).toBeNull();
  });

  it('lets PRESSLINK_UPDATE_URL override the setting', () => {
    expect(resolveUpdateFeed('https://a.example/', { PRESSLINK_UPDATE_URL: 'https://b.example/' })).toBe('https://b.example/');
  });

  it('asks restart now or later, and says a running sync is waited for', () => {
    const idle = updateReadyDialog('0.2.0', false);
    expect(idle.buttons).toEqual(['Restart now', 'Later']);
    expect(idle.message).toContain('0.2.0');
    expect(updateReadyDialog('0.2.0', true).detail).toMatch(/sync is running.*waits for it to finish/);
    expect(restartChoice(0)).toBe('now');
    expect(restartChoice(1)).toBe('later');
    expect(restartChoice(-1)).toBe('later');
  });

  it('waits for the sync in progress before restarting', async () => {
    let syncing = 3;
    const sleep = vi.fn(async () => {
      syncing--;
    });
    await expect(waitUntilIdle(() => syncing > 0, { pollMs: 10, sleep })).resolves.toBe(true);
    expect(sleep).toHaveBeenCalledTimes(3);
  });

  it('gives up (leaving the update for the next quit) if the sync never ends', async () => {
    await expect(waitUntilIdle(() => true, { pollMs: 10, maxWaitMs: 50, sleep: async () => {} })).resolves.toBe(false);
  });
});
