import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_VERSION, MIGRATIONS } from './migrations';

export type DB = Database.Database;

/** A database problem a person can act on; the engine refuses to start rather than reset anything. */
export class DatabaseError extends Error {
  constructor(
    readonly code: 'corrupt' | 'newer' | 'locked' | 'unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseError';
  }
}

export interface OpenOptions {
  /** Stop at this schema version (tests build older databases with it). */
  targetVersion?: number;
  readonly?: boolean;
}

/** Written by `closeDatabase` beside the database: the last end was a clean close. */
export function cleanMarker(file: string): string {
  return `${file}.closed-cleanly`;
}

/** Closes the database and notes that it was closed cleanly (the next open skips the full check). */
export function closeDatabase(db: DB, file: string): void {
  db.close();
  // The last connection to close checkpoints and removes the WAL file. If it is still there,
  // another process (a CLI command beside `presslink serve`) has the database open, and this
  // close says nothing about how that one will end: no marker.
  if (fs.existsSync(`${file}-wal`)) return;
  fs.writeFileSync(cleanMarker(file), `${new Date().toISOString()}\n`, { mode: 0o600 });
}

/**
 * The database holds customers' names and addresses: owner-only. SQLite gives the -wal and
 * -shm files the mode of the database file, so a new database is created 0600 before SQLite
 * opens it (an empty file is an empty database), and one an earlier version made is tightened.
 */
function makeOwnerOnly(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  if (process.platform === 'win32') return;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

export function openDatabase(file: string, opts: OpenOptions = {}): DB {
  if (!opts.readonly) makeOwnerOnly(file);
  let db: DB;
  try {
    db = new Database(file, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly, timeout: 5000 });
  } catch (e) {
    throw new DatabaseError('unreadable', `The database at ${file} cannot be opened: ${(e as Error).message}.`);
  }
  try {
    // Reading the header is where a corrupt file first shows itself.
    const version = db.pragma('user_version', { simple: true }) as number;
    // The full check reads the whole file (over a gigabyte for 100,000 real orders, ~2 s): it
    // runs after any end that was not a clean close — a crash, a power cut, a copied file.
    // The marker is taken away as the database opens, so a crash from here on checks next time.
    const marker = cleanMarker(file);
    const closedCleanly = fs.existsSync(marker);
    if (closedCleanly && !opts.readonly) fs.rmSync(marker, { force: true });
    if (!closedCleanly) {
      const check = db.pragma('quick_check', { simple: true }) as string;
      if (check !== 'ok') throw new DatabaseError('corrupt', corruptMessage(file, check));
    }
    if (version > LATEST_VERSION) {
      throw new DatabaseError(
        'newer',
        `The database at ${file} was written by a newer Presslink (schema ${version}; this version understands up to ${LATEST_VERSION}). ` +
          'Install the newer Presslink again, or point --data-dir at another folder. Nothing was changed.',
      );
    }
    // Only now that the file is known good and ours does anything write to it.
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    // The search index's delete trigger must also fire for rows that an
    // INSERT OR REPLACE removes; SQLite does that only with recursive triggers.
    db.pragma('recursive_triggers = ON');
    if (!opts.readonly) migrate(db, version, opts.targetVersion ?? LATEST_VERSION);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof DatabaseError) throw e;
    const msg = (e as Error).message;
    if (/not a database|malformed|corrupt/i.test(msg)) throw new DatabaseError('corrupt', corruptMessage(file, msg));
    if (/locked|busy/i.test(msg)) {
      throw new DatabaseError('locked', `The database at ${file} is in use by another Presslink process. Stop it first.`);
    }
    throw e;
  }
}

function corruptMessage(file: string, detail: string): string {
  return (
    `The database at ${file} is damaged (${detail}). Presslink has not changed or replaced it. ` +
    'Restore it from a backup, or move it aside to start with an empty one; your configuration in config.json is kept.'
  );
}

function migrate(db: DB, from: number, to: number): void {
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > to) continue;
    // One transaction per step: a crash mid-migration leaves the previous version intact.
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

export function schemaVersion(db: DB): number {
  return db.pragma('user_version', { simple: true }) as number;
}
