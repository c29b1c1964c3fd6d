import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Why this module exists: the CLI (`sync --once`, `config import`, `doctor`) and a running
// engine (`presslink serve` or the desktop app) use ONE data directory at the same time, and
// each keeps config.json and secrets.json in memory. A process that rewrote a whole file from
// its own stale copy undid what the other had just written (a corrected token came back, a
// file-signing key was replaced). So every shared file here is:
//   - written only under a lock file (created with O_EXCL; a lock left by a dead process or
//     older than LOCK_STALE_MS is taken over), after re-reading the file from disk, so a
//     change is merged into what is there rather than into what this process remembers;
//   - replaced atomically (write a temporary file, fsync, rename over, fsync the folder), so a
//     reader never sees half a file and a crash leaves the old or the new one;
//   - re-read when its identity on disk changes (inode, size, mtime, ctime: every atomic
//     replace makes a new inode), a stat per read, so no process works from a stale copy.
// The critical sections are a read and a write of a small file (milliseconds), so waiting for
// a lock blocks this thread briefly instead of making every caller asynchronous.

/** A lock older than this is left over from a process that stopped while holding it. */
export const LOCK_STALE_MS = 30_000;
/** How long to wait for another process's lock before giving up with a clear message. */
export const LOCK_WAIT_MS = 15_000;

/** Identity of a file on disk; null when it does not exist. Equal stamps mean the same content. */
export function fileStamp(file: string): string | null {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  try {
    Atomics.wait(sleeper, 0, 0, ms);
  } catch {
    // A thread that may not block (a browser-like main thread): wait by spinning instead.
    const end = Date.now() + ms;
    while (Date.now() < end);
  }
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  at: string;
}

function readOwner(lockFile: string): LockOwner | null {
  try {
    const o = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.token === 'string' ? (o as LockOwner) : null;
  } catch {
    return null;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a lock held by someone else may be taken over, or null when it must be waited for. */
function staleReason(lockFile: string, owner: LockOwner | null): string | null {
  let ageMs: number;
  try {
    ageMs = Date.now() - fs.statSync(lockFile).mtimeMs;
  } catch {
    return null; // gone already: the next attempt creates it
  }
  if (owner && owner.host === os.hostname() && owner.pid !== process.pid && !processAlive(owner.pid)) return `process ${owner.pid} is not running`;
  if (ageMs > LOCK_STALE_MS) return `it is ${Math.round(ageMs / 1000)} s old`;
  return null;
}

function acquire(lockFile: string): string {
  const token = crypto.randomUUID();
  const deadline = Date.now() + LOCK_WAIT_MS;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true, mode: 0o700 });
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, 'wx', 0o600);
      try {
        fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), token, at: new Date().toISOString() } satisfies LockOwner));
      } finally {
        fs.closeSync(fd);
      }
      return token;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = readOwner(lockFile);
    if (staleReason(lockFile, owner) !== null) {
      // Take it over only if it is still the lock judged stale (not one made a moment ago).
      const now = readOwner(lockFile);
      if ((now?.token ?? null) === (owner?.token ?? null)) fs.rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      const who = owner ? `process ${owner.pid} on ${owner.host} since ${owner.at}` : 'another process';
      throw new Error(
        `${path.basename(lockFile, '.lock')} in ${path.dirname(lockFile)} has been locked by ${who} for more than ${LOCK_WAIT_MS / 1000} s. ` +
          `If no other Presslink is running, delete ${lockFile} and try again.`,
      );
    }
    sleepSync(5 + Math.floor(Math.random() * 20));
  }
}

function release(lockFile: string, token: string): void {
  if (readOwner(lockFile)?.token === token) fs.rmSync(lockFile, { force: true });
}

/** Runs `fn` while holding `<file>.lock` against every other Presslink process. Not re-entrant. */
export function withFileLock<T>(file: string, fn: () => T): T {
  const lockFile = `${file}.lock`;
  const token = acquire(lockFile);
  try {
    return fn();
  } finally {
    release(lockFile, token);
  }
}

/** Replaces `file` with `data` so that readers see the old or the new file, never a mix. */
export function writeFileAtomic(file: string, data: string, mode = 0o600): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    renameOver(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  // The rename itself is durable only once the folder is synced (not possible on Windows).
  if (process.platform !== 'win32') {
    try {
      const dfd = fs.openSync(dir, 'r');
      try {
        fs.fsyncSync(dfd);
      } finally {
        fs.closeSync(dfd);
      }
    } catch {
      // Some file systems refuse to sync a folder; the data itself is synced.
    }
  }
}

function renameOver(from: string, to: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (e) {
      // Windows refuses to replace a file another process has open for a moment.
      const code = (e as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 20 || !['EPERM', 'EACCES', 'EBUSY'].includes(code ?? '')) throw e;
      sleepSync(25);
    }
  }
}
