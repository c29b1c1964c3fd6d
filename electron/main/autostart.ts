import path from 'node:path';

// Start at login. Electron's setLoginItemSettings covers Windows and macOS;
// Linux desktops read ~/.config/autostart/*.desktop instead, so that entry is
// written by hand. Both the launch arguments and the entry are built here.

/** Passed when the OS starts Presslink at login: the engine runs, the window stays in the tray. */
export const HIDDEN_ARG = '--hidden';

export function wasStartedHidden(argv: readonly string[]): boolean {
  return argv.includes(HIDDEN_ARG);
}

export function linuxAutostartPath(env: NodeJS.ProcessEnv, home: string): string {
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(configHome, 'autostart', 'presslink.desktop');
}

/** The executable to start: the AppImage itself when run from one (its mount point changes every launch). */
export function linuxExecutable(env: NodeJS.ProcessEnv, execPath: string): string {
  return env.APPIMAGE || execPath;
}

export function linuxAutostartEntry(executable: string): string {
  // Desktop-entry Exec quoting: wrap in double quotes, escape the four reserved characters.
  const quoted = `"${executable.replace(/(["`$\\])/g, '\\$1')}"`;
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Presslink',
    'Comment=Infigo to GelatoConnect order sync',
    `Exec=${quoted} ${HIDDEN_ARG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}
