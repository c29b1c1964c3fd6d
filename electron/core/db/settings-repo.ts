import { Statements } from './statements';
import type { DB } from './open';

// Small engine settings kept beside the orders (paused, setup progress, the
// checklist's test orders): JSON values by key, in the `settings` table.

export class SettingsRepo {
  private readonly sql: Statements;
  constructor(db: DB) {
    this.sql = new Statements(db);
  }

  get<T>(key: string): T | undefined {
    const v = this.sql.get('SELECT value_json FROM settings WHERE key = ?').pluck().get(key) as string | undefined;
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }

  /** Writes the value only when the key has none yet; false when another writer (the CLI, the app) was first. */
  setIfAbsent(key: string, value: unknown): boolean {
    return this.sql.get('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(key, JSON.stringify(value)).changes > 0;
  }

  /** Values of every key starting with `prefix`, by key. */
  withPrefix<T>(prefix: string): Map<string, T> {
    const rows = this.sql.get("SELECT key, value_json AS v FROM settings WHERE substr(key, 1, length(?)) = ?").all(prefix, prefix) as { key: string; v: string }[];
    return new Map(rows.map((r) => [r.key, JSON.parse(r.v) as T]));
  }

  set(key: string, value: unknown): void {
    this.sql
      .get('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json')
      .run(key, JSON.stringify(value));
  }
}
