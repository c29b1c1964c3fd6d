import { BrowserWindow, screen } from 'electron';
import { MIN_HEIGHT, MIN_WIDTH, placeWindow, type WindowBounds } from './settings';
import { appUrl } from './security';

// The one app window. Locked-down web preferences; bounds restored from and
// saved to the desktop settings.

export function createMainWindow(opts: {
  preloadPath: string;
  iconPath: string;
  bounds: WindowBounds;
  saveBounds: (b: WindowBounds) => void;
  show: boolean;
  route?: string;
}): BrowserWindow {
  const primary = screen.getPrimaryDisplay().workArea;
  const placed = placeWindow(
    opts.bounds,
    screen.getAllDisplays().map((d) => d.workArea),
    primary,
  );
  const win = new BrowserWindow({
    x: placed.x,
    y: placed.y,
    width: placed.width,
    height: placed.height,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'Presslink',
    icon: opts.iconPath,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would open links outside the window.open handler's reach.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (placed.maximized) win.maximize();

  win.once('ready-to-show', () => {
    if (opts.show) win.show();
  });

  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    if (win.isDestroyed()) return;
    const maximized = win.isMaximized();
    // Keep the normal bounds while maximised, so un-maximising next time restores them.
    const b = maximized ? win.getNormalBounds() : win.getBounds();
    opts.saveBounds({ x: b.x, y: b.y, width: b.width, height: b.height, maximized });
  };
  const saveSoon = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 500);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', save);
  win.on('unmaximize', save);
  win.on('close', save);

  // A crashed page comes back by itself, but a page that keeps crashing is left for the person to see.
  let lastReload = 0;
  win.webContents.on('render-process-gone', (_e, details) => {
    if (details.reason === 'clean-exit' || win.isDestroyed()) return;
    const now = Date.now();
    if (now - lastReload < 60_000) return;
    lastReload = now;
    win.reload();
  });

  void win.loadURL(appUrl(opts.route ?? ''));
  return win;
}

export function showWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
