import os from 'node:os';
import path from 'node:path';

/**
 * The data directory: --data-dir, else PRESSLINK_DATA_DIR, else the OS's
 * app-data folder. It matches Electron's `app.getPath('userData')` for the
 * product name, so the desktop app and `presslink serve` share one engine state.
 */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return path.resolve(flag);
  if (env.PRESSLINK_DATA_DIR) return path.resolve(env.PRESSLINK_DATA_DIR);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Presslink');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Presslink');
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Presslink');
  }
}

export const dataFiles = (dataDir: string) => ({
  db: path.join(dataDir, 'presslink.db'),
  config: path.join(dataDir, 'config.json'),
  secrets: path.join(dataDir, 'secrets.json'),
  serverToken: path.join(dataDir, 'server-token.json'),
  /** The local API's secret (owner-only): API key and session cookies derive from it. */
  serverAuth: path.join(dataDir, 'server-auth.json'),
  /** Where a running server listens, for `presslink open-link`. */
  serverInfo: path.join(dataDir, 'server.json'),
  logs: path.join(dataDir, 'logs'),
  files: path.join(dataDir, 'files'),
});

export type DataFiles = ReturnType<typeof dataFiles>;
