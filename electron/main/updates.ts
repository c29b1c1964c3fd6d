import { app, dialog, type BrowserWindow } from 'electron';
import { autoUpdater } from 'electron-updater';
import { UPDATE_CHECK_INTERVAL_MS, resolveUpdateFeed, restartChoice, updateReadyDialog, waitUntilIdle } from './update-policy';

// Updates from a generic feed (electron-builder's latest*.yml) configured in
// the desktop settings. Off when no URL is set or the app is not packaged.
// Downloads happen in the background; installing needs the person's "Restart
// now", and then still waits for a running sync to end.

export interface UpdaterLog {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string, err?: unknown): void;
}

export function startUpdates(opts: {
  feedSetting: string;
  window: () => BrowserWindow | null;
  isSyncing: () => boolean;
  /** Stops the engine cleanly; resolves when it is safe to quit. */
  prepareToQuit: () => Promise<void>;
  log: UpdaterLog;
}): () => void {
  const feed = resolveUpdateFeed(opts.feedSetting);
  if (!feed) {
    opts.log.info('updates are off: no update URL is set');
    return () => {};
  }
  if (!app.isPackaged) {
    opts.log.info('updates are off: not running from an installed build');
    return () => {};
  }
  autoUpdater.setFeedURL({ provider: 'generic', url: feed });
  autoUpdater.autoDownload = true;
  // "Later" means: install when Presslink next quits.
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.logger = {
    info: (m?: unknown) => opts.log.info(`updater: ${String(m)}`),
    warn: (m?: unknown) => opts.log.warn(`updater: ${String(m)}`),
    error: (m?: unknown) => opts.log.error(`updater: ${String(m)}`),
    debug: () => {},
  };

  let prompting = false;
  autoUpdater.on('error', (err) => opts.log.error('update check failed', err));
  autoUpdater.on('update-downloaded', (info) => {
    if (prompting) return;
    prompting = true;
    void (async () => {
      try {
        const model = updateReadyDialog(info.version, opts.isSyncing());
        const win = opts.window();
        const box = { type: 'info' as const, ...model, noLink: true };
        const { response } = win && !win.isDestroyed() ? await dialog.showMessageBox(win, box) : await dialog.showMessageBox(box);
        if (restartChoice(response) === 'later') return;
        const idle = await waitUntilIdle(opts.isSyncing);
        if (!idle) {
          opts.log.warn('sync still running; the update will install when Presslink quits');
          return;
        }
        await opts.prepareToQuit();
        // Silent per-user install, then start Presslink again.
        autoUpdater.quitAndInstall(true, true);
        // The engine is already stopped; if the installer never takes over, quit rather than linger without it.
        setTimeout(() => app.quit(), 15_000).unref();
      } catch (err) {
        opts.log.error('installing the update failed', err);
      } finally {
        prompting = false;
      }
    })();
  });

  const check = () => {
    autoUpdater.checkForUpdates().catch((err: unknown) => opts.log.error('update check failed', err));
  };
  const first = setTimeout(check, 30_000);
  const timer = setInterval(check, UPDATE_CHECK_INTERVAL_MS);
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
