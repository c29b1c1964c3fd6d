import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { app } from 'electron';
import { HIDDEN_ARG, linuxAutostartEntry, linuxAutostartPath, linuxExecutable, wasStartedHidden } from './autostart';

// Start at login, per OS: the login-item API on Windows and macOS, an XDG
// autostart entry on Linux.

export function applyStartAtLogin(enabled: boolean): void {
  // Only an installed build registers itself; a dev run would register the bare Electron binary.
  if (!app.isPackaged) return;
  if (process.platform === 'linux') {
    const file = linuxAutostartPath(process.env, os.homedir());
    if (enabled) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, linuxAutostartEntry(linuxExecutable(process.env, process.execPath)));
    } else {
      fs.rmSync(file, { force: true });
    }
    return;
  }
  app.setLoginItemSettings({ openAtLogin: enabled, args: [HIDDEN_ARG] });
}

/** Whether this launch came from the OS at login, so the window stays hidden in the tray. */
export function startedAtLogin(): boolean {
  if (wasStartedHidden(process.argv)) return true;
  if (process.platform === 'darwin') return app.getLoginItemSettings().wasOpenedAtLogin === true;
  return false;
}
