import path from 'node:path';
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { EngineStatus } from '../../shared/contract';
import { TRAY_ICONS, trayView, type TrayAction, type TrayIcon, type TrayMenuItem, type TrayPrefs } from './tray-state';

// The tray icon: renders tray-state's view with Electron's Tray and Menu.
// The Tray object is held by the controller for the app's lifetime; a
// garbage-collected Tray silently disappears.

export interface TrayController {
  update(status: EngineStatus | null): void;
  destroy(): void;
}

export function createTray(opts: {
  resourcesDir: string;
  prefs: () => TrayPrefs;
  onAction: (action: TrayAction) => void;
  onClick: () => void;
}): TrayController {
  const icons = new Map<TrayIcon, NativeImage>();
  for (const name of TRAY_ICONS) {
    // tray-<state>.png is 16 px; Electron picks tray-<state>@2x.png (32 px) on HiDPI screens itself.
    icons.set(name, nativeImage.createFromPath(path.join(opts.resourcesDir, 'tray', `tray-${name}.png`)));
  }
  let last: EngineStatus | null = null;
  let current: TrayIcon | null = null;
  let lastTooltip = '';
  let lastMenu = '';
  const tray = new Tray(icons.get('paused')!);
  // Windows and Linux open the window on click; the menu is on right-click (and always on macOS).
  if (process.platform !== 'darwin') tray.on('click', () => opts.onClick());

  const render = () => {
    const view = trayView(last, opts.prefs(), new Date());
    if (view.icon !== current) {
      tray.setImage(icons.get(view.icon)!);
      current = view.icon;
    }
    if (view.tooltip !== lastTooltip) tray.setToolTip((lastTooltip = view.tooltip));
    const menuKey = JSON.stringify(view.menu);
    if (menuKey === lastMenu) return;
    lastMenu = menuKey;
    // The Linux app indicator rebuilds its menu only when a new one is set.
    tray.setContextMenu(Menu.buildFromTemplate(view.menu.map((m) => toMenuItem(m, opts.onAction))));
  };
  render();
  // Relative times ("3 min ago") and the overdue check need to move on without an event.
  const timer = setInterval(render, 30_000);
  timer.unref?.();

  return {
    update(status) {
      last = status;
      render();
    },
    destroy() {
      clearInterval(timer);
      tray.destroy();
    },
  };
}

function toMenuItem(m: TrayMenuItem, onAction: (a: TrayAction) => void): MenuItemConstructorOptions {
  switch (m.kind) {
    case 'separator':
      return { type: 'separator' };
    case 'info':
      return { label: m.label, enabled: false };
    case 'action':
      return { label: m.label, enabled: m.enabled, click: () => onAction(m.action) };
    case 'checkbox':
      return { label: m.label, type: 'checkbox', checked: m.checked, click: () => onAction(m.action) };
  }
}
