import type { Statement } from 'better-sqlite3';
import type { DB } from './open';

// Every repository prepares each SQL text once and keeps the statement:
// preparing on every call was a tenth of the postback path's CPU.

export class Statements {
  private readonly cache = new Map<string, Statement<unknown[]>>();
  constructor(readonly db: DB) {}

  get(sql: string): Statement<unknown[]> {
    let st = this.cache.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.cache.set(sql, st);
    }
    return st;
  }

  /** The SQL texts prepared so far (tests read which query plans were chosen). */
  texts(): string[] {
    return [...this.cache.keys()];
  }
}

export const now = () => new Date().toISOString();
