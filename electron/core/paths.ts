import fs from 'node:fs';
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
  configBackups: path.join(dataDir, 'config-backups'),
});

// Owner-only by default: the data directory holds customer names and addresses (the
// database, the print files) and the secrets, often on a workstation several people use.
// Folders Presslink makes are 0700 and files 0600, whatever the umask; on Windows the data
// folder under %APPDATA% is private to the account already and POSIX modes do not apply.

const POSIX = process.platform !== 'win32';

/** Makes `dir` (and missing parents) owner-only; with `tighten`, an existing one is made so too. */
export function ensurePrivateDir(dir: string, opts: { tighten?: boolean } = {}): void {
  const existed = fs.existsSync(dir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (POSIX && (!existed || opts.tighten)) fs.chmodSync(dir, 0o700);
}

/** Makes an existing file owner-only (a file an earlier version made 0644). */
export function tightenFile(file: string): void {
  if (!POSIX) return;
  try {
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * Creates the data directory owner-only, or makes the one an earlier version left readable
 * by others owner-only: the folder itself, its sub-folders and the files Presslink keeps
 * there. A folder given with --data-dir that holds none of Presslink's files is not changed
 * (it may be someone's own folder); what Presslink creates in it is owner-only all the same.
 */
export function preparePrivateDataDir(dataDir: string): void {
  const f = dataFiles(dataDir);
  const ours = !fs.existsSync(dataDir) || [f.db, f.config, f.secrets].some((p) => fs.existsSync(p));
  ensurePrivateDir(dataDir, { tighten: ours });
  for (const dir of [f.logs, f.files, f.configBackups]) if (fs.existsSync(dir)) ensurePrivateDir(dir, { tighten: true });
  for (const file of [f.db, `${f.db}-wal`, `${f.db}-shm`, f.config, f.secrets, f.serverToken, path.join(f.logs, 'presslink.log'), path.join(dataDir, 'secrets-desktop.json')]) {
    tightenFile(file);
  }
}

export type DataFiles = ReturnType<typeof dataFiles>;
