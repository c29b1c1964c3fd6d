import { now, Statements } from './statements';
import type { DB } from './open';

// The outbox records every outbound call whose repetition matters, *before* it
// is made: submissions and cancellations to GelatoConnect (sync) and status
// pushes to Infigo (back-sync) share it. An entry with attempts > 0 that is not
// done means "this may have reached the other side": the submitter then looks
// the order up by reference instead of sending it again.

export type OutboxState = 'pending' | 'in_flight' | 'done' | 'failed';

export interface OutboxEntry {
  id: number;
  orderId: number | null;
  kind: string;
  key: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  payload: unknown;
}

export const OUTBOX = {
  submitKey: (ref: string) => `submit:${ref}`,
  cancelKey: (ref: string) => `cancel:${ref}`,
};

interface OutboxDbRow {
  id: number;
  order_id: number | null;
  kind: string;
  dedupe_key: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  payload_json: string;
}

const toEntry = (r: OutboxDbRow): OutboxEntry => ({
  id: r.id,
  orderId: r.order_id,
  kind: r.kind,
  key: r.dedupe_key,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  payload: JSON.parse(r.payload_json),
});

export class OutboxRepo {
  private readonly sql: Statements;
  constructor(db: DB) {
    this.sql = new Statements(db);
  }

  // ---- one call, by key (submit, cancel) ---------------------------------

  get(key: string): OutboxEntry | undefined {
    const r = this.sql.get('SELECT * FROM outbox WHERE dedupe_key = ?').get(key) as OutboxDbRow | undefined;
    return r && toEntry(r);
  }

  /** Marks an attempt as started; committed before the request leaves. */
  begin(key: string, orderId: number | null, kind: string, payload: unknown): void {
    const t = now();
    this.sql
      .get(
        `INSERT INTO outbox (order_id, kind, dedupe_key, payload_json, state, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'in_flight', 1, ?, ?, ?)
         ON CONFLICT (dedupe_key) DO UPDATE SET state = 'in_flight', attempts = attempts + 1, payload_json = excluded.payload_json, updated_at = excluded.updated_at`,
      )
      .run(orderId, kind, key, JSON.stringify(payload), t, t, t);
  }

  done(key: string): void {
    this.setByKey(key, 'done', null);
  }
  fail(key: string, error: string): void {
    this.setByKey(key, 'failed', error);
  }
  /** The outcome is unknown: the entry stays in flight so the next attempt checks first. */
  unknown(key: string, error: string): void {
    this.setByKey(key, 'in_flight', error);
  }
  /** Provably not accepted: the next attempt may send without checking. */
  notSent(key: string, error: string): void {
    this.sql.get("UPDATE outbox SET state = 'pending', attempts = max(attempts - 1, 0), last_error = ?, updated_at = ? WHERE dedupe_key = ?").run(error, now(), key);
  }
  /** A deliberate new submission (after GelatoConnect failed the order) starts afresh. */
  reset(key: string): void {
    this.sql.get('DELETE FROM outbox WHERE dedupe_key = ?').run(key);
  }

  private setByKey(key: string, state: OutboxState, error: string | null): void {
    this.sql.get('UPDATE outbox SET state = ?, last_error = ?, updated_at = ? WHERE dedupe_key = ?').run(state, error, now(), key);
  }

  // ---- queued calls of one kind (status pushes to Infigo) -----------------

  /** Queues a call unless one with the same key exists; true when it was queued. */
  enqueue(kind: string, orderId: number, key: string, payload: unknown): boolean {
    const t = now();
    return (
      this.sql
        .get(
          `INSERT INTO outbox (order_id, kind, dedupe_key, payload_json, state, attempts, next_attempt_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING`,
        )
        .run(orderId, kind, key, JSON.stringify(payload), t, t, t).changes > 0
    );
  }

  /** Every entry of a kind for one order, oldest first. */
  forOrder(kind: string, orderId: number): OutboxEntry[] {
    return (this.sql.get('SELECT * FROM outbox WHERE kind = ? AND order_id = ? ORDER BY id').all(kind, orderId) as OutboxDbRow[]).map(toEntry);
  }

  /** Entries left in flight by a crash before `before` go back to pending. */
  releaseStale(kind: string, before: string): void {
    this.sql.get("UPDATE outbox SET state = 'pending' WHERE kind = ? AND state = 'in_flight' AND updated_at < ?").run(kind, before);
  }

  /** Orders with an entry of this kind due at `at` (optionally just one order). */
  dueOrderIds(kind: string, at: string, orderId?: number): number[] {
    return this.sql
      .get(`SELECT DISTINCT order_id FROM outbox WHERE kind = ? AND state = 'pending' AND next_attempt_at <= ?${orderId ? ' AND order_id = ?' : ''}`)
      .pluck()
      .all(kind, at, ...(orderId ? [orderId] : [])) as number[];
  }

  nextAttemptAt(id: number): string | undefined {
    return this.sql.get('SELECT next_attempt_at FROM outbox WHERE id = ?').pluck().get(id) as string | undefined;
  }

  /** Takes a pending entry for sending; false when another delivery took it first. */
  claim(id: number): boolean {
    return this.sql.get("UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'pending'").run(now(), id).changes > 0;
  }

  markDone(id: number, note: string | null): void {
    this.sql.get("UPDATE outbox SET state = 'done', last_error = ?, updated_at = ? WHERE id = ?").run(note, now(), id);
  }

  markFailed(id: number, error: string): void {
    this.sql.get("UPDATE outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?").run(error, now(), id);
  }

  retryLater(id: number, error: string, at: string): void {
    this.sql.get("UPDATE outbox SET state = 'pending', last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?").run(error, at, now(), id);
  }

  // ---- what the checks read ----------------------------------------------

  /** How a kind of call is faring: given up, being retried, the newest error, and how many were ever queued. */
  health(kind: string): { failed: number; retrying: number; lastError: string | null; total: number } {
    const failed = this.sql.get("SELECT count(*) FROM outbox WHERE kind = ? AND state = 'failed'").pluck().get(kind) as number;
    const retrying = this.sql.get("SELECT count(*) FROM outbox WHERE kind = ? AND state = 'pending' AND last_error IS NOT NULL").pluck().get(kind) as number;
    const lastError = (this.sql.get('SELECT last_error FROM outbox WHERE kind = ? AND last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 1').pluck().get(kind) as string | undefined) ?? null;
    const total = this.sql.get('SELECT count(*) FROM outbox WHERE kind = ?').pluck().get(kind) as number;
    return { failed, retrying, lastError, total };
  }
}
