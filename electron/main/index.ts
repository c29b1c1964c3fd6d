import path from 'node:path';
import { app, dialog, safeStorage, type BrowserWindow } from 'electron';
import { startEngine } from '../core/engine';
import type { Engine } from '../core/engine-types';
import { createLogger, scrubSecrets } from '../core/log';
import { dataFiles } from '../core/paths';
import { FileSecretStore } from '../core/secrets/file-store';
import type { SandboxLauncher } from '../core/sandbox-port';
import { bindContract, forwardEvents } from './ipc';
import { EVENT_CHANNEL } from './ipc-dispatch';
import { closeAction, createQuitCoordinator, quitWhenAllWindowsClosed } from './lifecycle';
import { applyStartAtLogin, startedAtLogin } from './login-item';
import { routeFor, type NoticeTarget } from './notifications';
import { startNotifier } from './notifier';
import { SafeStorageSecretStore } from './secret-store';
import { DEFAULT_EXTERNAL_HOSTS, appUrl, storeHostsFromConfig } from './security';
import { openStores, type SettingsStore } from './stores';
import { createTray, type TrayController } from './tray';
import type { TrayAction } from './tray-state';
import { startUpdates } from './updates';
import { applySessionPolicy, guardAllWebContents, registerAppScheme, serveRenderer } from './web-security';
import { createMainWindow, showWindow } from './window';

// The desktop shell: one instance, one engine, one window, one tray.
// Bundled to dist/electron/main.cjs; preload.cjs sits beside it and the
// renderer build in dist/renderer.

const PRELOAD = path.join(__dirname, 'preload.cjs');
const RENDERER_DIR = path.join(__dirname, '../renderer');
const RESOURCES_DIR = path.join(__dirname, '../../resources');

registerAppScheme();

// Windows shows notifications only for an app id matching the installer's shortcut (appId in electron-builder.yml).
if (process.platform === 'win32') app.setAppUserModelId('com.presslink.app');

// A data directory of its own (tests, a second shop on one machine) gets its
// own Electron profile too, so the single-instance lock and the desktop
// settings are per data directory. Must happen before the lock and `ready`.
if (process.env.PRESSLINK_DATA_DIR) app.setPath('userData', path.resolve(process.env.PRESSLINK_DATA_DIR));

if (!app.requestSingleInstanceLock()) {
  // Another Presslink owns the data directory; it shows its window (second-instance) and this one leaves.
  app.quit();
} else {
  void main();
}

async function main(): Promise<void> {
  // userData is known before `ready`; the log exists before anything can fail.
  const userDataDir = app.getPath('userData');
  const dataDir = process.env.PRESSLINK_DATA_DIR ? path.resolve(process.env.PRESSLINK_DATA_DIR) : userDataDir;
  const log = createLogger({ dataDir }).child({ component: 'desktop' });
  process.on('uncaughtException', (err) => log.error({ err: errText(err) }, 'uncaught exception in main process'));

  let engine: Engine | null = null;
  let engineStarting: Promise<Engine> | null = null;
  let window: BrowserWindow | null = null;
  let tray: TrayController | null = null;
  let settings: SettingsStore | null = null;
  let allowedHosts: readonly string[] = DEFAULT_EXTERNAL_HOSTS;
  const offs: (() => void)[] = [];

  const quit = createQuitCoordinator({
    stopEngine: async () => {
      offs.splice(0).forEach((off) => off());
      // A quit during start-up waits for the engine to finish opening, then closes it.
      const e = engine ?? (await engineStarting?.catch(() => null)) ?? null;
      if (e) await e.stop();
    },
    exit: () => app.quit(),
    onTimeout: () => log.warn('the engine did not stop within 20 s; quitting anyway'),
    onError: (err) => log.error({ err: errText(err) }, 'stopping the engine failed'),
  });

  app.on('second-instance', () => openWindow());
  app.on('before-quit', (e) => {
    if (quit.onBeforeQuit()) e.preventDefault();
  });
  app.on('window-all-closed', () => {
    const s = settings?.get();
    if (quitWhenAllWindowsClosed({ platform: process.platform, closeToTray: s?.closeToTray ?? true, trayAvailable: !!tray })) app.quit();
  });
  app.on('activate', () => openWindow());

  await app.whenReady();

  let stores: Awaited<ReturnType<typeof openStores>>;
  try {
    stores = await openStores({ userDataDir, dataDir });
  } catch (err) {
    log.error({ err: errText(err) }, 'the desktop settings or secret file could not be read');
    dialog.showErrorBox('Presslink could not start', `${errText(err)}

The log is in ${path.join(dataDir, 'logs')}.`);
    app.exit(1);
    return;
  }
  settings = stores.settings;
  // Secrets entered while running headless on this data directory stay readable, and the generated
  // ones are shared there with the CLI (secret-store.ts). The file is made only when written.
  const headlessSecrets = new FileSecretStore(dataFiles(dataDir).secrets);
  const secrets = new SafeStorageSecretStore(safeStorage, stores.secrets, headlessSecrets);
  const secretsProblem = secrets.unavailableReason();
  if (secretsProblem) log.warn(`secure secret storage unavailable: ${secretsProblem}`);

  applySessionPolicy();
  serveRenderer(RENDERER_DIR);
  guardAllWebContents(() => allowedHosts, (msg) => log.warn(msg));

  const refreshAllowedHosts = async () => {
    if (!engine) return;
    try {
      const { config } = await engine.call('config.get', {});
      allowedHosts = [...DEFAULT_EXTERNAL_HOSTS, ...storeHostsFromConfig(config)];
    } catch (err) {
      log.warn({ err: errText(err) }, 'could not read the store hosts for the link allowlist');
    }
  };

  offs.push(
    bindContract({
      // While the engine opens, the page's first calls wait for it rather than fail.
      engine: () => engine ?? engineStarting?.catch(() => null) ?? null,
      window: () => window,
      dispatch: {
        scrub: scrubSecrets,
        onError: (name, err) => log.warn({ call: name, err: errText(err) }, 'call failed'),
        onSuccess: (name) => {
          if (name === 'config.save' || name === 'config.import' || name === 'setup.useSandbox') void refreshAllowedHosts();
        },
      },
    }),
  );

  function openWindow(route?: string): void {
    if (!settings) return;
    if (!window || window.isDestroyed()) {
      window = createMainWindow({
        preloadPath: PRELOAD,
        iconPath: path.join(RESOURCES_DIR, 'icon-512.png'),
        bounds: settings.get().window,
        saveBounds: (b) => settings?.set('window', b),
        show: true,
        route,
      });
      window.on('close', (e) => {
        const action = closeAction({ quitting: quit.state !== 'running', closeToTray: settings?.get().closeToTray ?? true, trayAvailable: !!tray });
        if (action === 'hide') {
          e.preventDefault();
          window?.hide();
        }
      });
      window.on('closed', () => {
        window = null;
      });
      return;
    }
    // Same document, new fragment: the renderer switches page without reloading.
    if (route) void window.loadURL(appUrl(route));
    showWindow(window);
  }

  const openTarget = (target: NoticeTarget) => openWindow(routeFor(target));

  const onTrayAction = (action: TrayAction) => {
    const call = (name: 'sync.now' | 'sync.pause' | 'sync.resume') => {
      engine?.call(name, {}).catch((err: unknown) => log.warn({ err: errText(err) }, `${name} from the tray failed`));
    };
    switch (action) {
      case 'sync-now':
        return call('sync.now');
      case 'pause':
        return call('sync.pause');
      case 'resume':
        return call('sync.resume');
      case 'open':
        return openWindow();
      case 'open-order-log':
        return (engine?.status().attentionCount ?? 0) > 0 ? openTarget({ page: 'order-log', state: 'needs_attention' }) : openWindow('#/orders');
      case 'toggle-start-at-login': {
        const next = !settings!.get().startAtLogin;
        settings!.set('startAtLogin', next);
        try {
          applyStartAtLogin(next);
        } catch (err) {
          log.error({ err: errText(err) }, 'could not change start at login');
        }
        tray?.update(engine?.status() ?? null);
        return;
      }
      case 'toggle-close-to-tray':
        settings!.set('closeToTray', !settings!.get().closeToTray);
        tray?.update(engine?.status() ?? null);
        return;
      case 'quit':
        return app.quit();
    }
  };

  try {
    tray = createTray({
      resourcesDir: RESOURCES_DIR,
      prefs: () => ({ startAtLogin: settings!.get().startAtLogin, closeToTray: settings!.get().closeToTray, startAtLoginSupported: app.isPackaged }),
      onAction: onTrayAction,
      onClick: () => openWindow(),
    });
  } catch (err) {
    // Without a tray (some Linux desktops) closing the window must quit, or the engine would run unseen.
    tray = null;
    log.warn({ err: errText(err) }, 'no tray icon on this desktop; closing the window will quit');
  }

  try {
    applyStartAtLogin(settings.get().startAtLogin);
  } catch (err) {
    log.warn({ err: errText(err) }, 'could not apply the start-at-login setting');
  }

  if (!startedAtLogin() || !tray) openWindow();

  try {
    // The wizard's "Try with the sandbox": simulated services, loaded only when asked for.
    const sandbox: SandboxLauncher = { start: async (o) => (await import('../sandbox/launcher')).sandboxLauncher.start(o) };
    engineStarting = startEngine({ dataDir, mode: 'desktop', secrets, sandbox });
    engine = await engineStarting;
  } catch (err) {
    log.error({ err: errText(err) }, 'the engine did not start');
    dialog.showErrorBox(
      'Presslink could not start',
      `${errText(err)}\n\nIf Presslink is already running as a service (presslink serve) on this data folder, stop it first. The log is in ${path.join(dataDir, 'logs')}.`,
    );
    app.exit(1);
    return;
  }
  const started = engine;
  if (quit.state !== 'running') return;
  log.info({ dataDir, secretStore: secrets.kind }, 'desktop shell started');

  // The engine's own HTTP server on this machine: GelatoConnect postbacks, the checkout's shipping
  // quotes and signed print-file links all arrive there (the window itself uses IPC).
  const port = Number(process.env.PRESSLINK_PORT ?? 4780);
  try {
    const server = await started.serve({ host: '127.0.0.1', port });
    log.info({ url: server.url }, 'engine server listening');
  } catch (err) {
    log.warn({ err: errText(err), port }, 'engine server not started: postbacks, shipping quotes and signed file links need this port (is `presslink serve` running?)');
  }

  offs.push(forwardEvents(started, () => window));
  // A page that asked before the engine was up gets the status it missed.
  // (`window` is assigned in callbacks, which TypeScript's narrowing does not see.)
  const openNow = window as BrowserWindow | null;
  if (openNow && !openNow.isDestroyed()) openNow.webContents.send(EVENT_CHANNEL, 'status', started.status());
  const refreshTray = () => tray?.update(started.status());
  for (const ev of ['status', 'sync.started', 'sync.finished', 'attention.count'] as const) offs.push(started.on(ev, refreshTray));
  refreshTray();
  void refreshAllowedHosts();

  offs.push(startNotifier({ engine: started, resourcesDir: RESOURCES_DIR, open: openTarget, log: (msg, err) => log.warn({ err: errText(err) }, msg) }));

  offs.push(
    startUpdates({
      feedSetting: settings.get().updateUrl,
      window: () => window,
      isSyncing: () => started.status().syncing,
      prepareToQuit: () => quit.stopEngine(),
      log: {
        info: (m) => log.info(m),
        warn: (m) => log.warn(m),
        error: (m, err) => log.error({ err: errText(err) }, m),
      },
    }),
  );
}

/** An error as one scrubbed line: no stack, no secret. */
function errText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return scrubSecrets(msg);
}
