import type { DB } from './open';

// Whole-database reads for the troubleshooting checks and the diagnostics
// bundle: integrity, and how many rows each table holds.

export const TABLES = ['orders', 'order_lines', 'files', 'events', 'outbox', 'sync_runs', 'tracking', 'postbacks'] as const;

/** `PRAGMA quick_check`: ['ok'] for a sound file, else SQLite's list of problems. */
export function quickCheck(db: DB): string[] {
  return db.prepare('PRAGMA quick_check').pluck().all() as string[];
}

export function tableCounts(db: DB): Record<(typeof TABLES)[number], number> {
  return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number])) as Record<(typeof TABLES)[number], number>;
}
