import type { DB } from '../db/open';

// The outbox records every outbound call whose repetition matters, *before* it
// is made. An entry with attempts > 0 that is not done means "this may have
// reached the other side": the submitter then looks the order up by reference
// instead of sending it again.

export interface OutboxEntry {
  id: number;
  orderId: number | null;
  kind: string;
  key: string;
  state: 'pending' | 'in_flight' | 'done' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  payload: unknown;
}

export const OUTBOX = {
  submitKey: (ref: string) => `submit:${ref}`,
  cancelKey: (ref: string) => `cancel:${ref}`,
};

export class Outbox {
  constructor(private readonly db: DB) {}

  get(key: string): OutboxEntry | undefined {
    const r = this.db.prepare('SELECT * FROM outbox WHERE dedupe_key = ?').get(key) as
      | { id: number; order_id: number | null; kind: string; dedupe_key: string; state: OutboxEntry['state']; attempts: number; next_attempt_at: string; last_error: string | null; payload_json: string }
      | undefined;
    if (!r) return undefined;
    return { id: r.id, orderId: r.order_id, kind: r.kind, key: r.dedupe_key, state: r.state, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, payload: JSON.parse(r.payload_json) };
  }

  /** Marks an attempt as started; committed before the request leaves. */
  begin(key: string, orderId: number | null, kind: string, payload: unknown): void {
    const t = new Date().toISOString();
    this.db
      .prepare(
        `INSERT INTO outbox (order_id, kind, dedupe_key, payload_json, state, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'in_flight', 1, ?, ?, ?)
         ON CONFLICT (dedupe_key) DO UPDATE SET state = 'in_flight', attempts = attempts + 1, payload_json = excluded.payload_json, updated_at = excluded.updated_at`,
      )
      .run(orderId, kind, key, JSON.stringify(payload), t, t, t);
  }

  done(key: string): void {
    this.set(key, 'done', null);
  }
  fail(key: string, error: string): void {
    this.set(key, 'failed', error);
  }
  /** The outcome is unknown: the entry stays in flight so the next attempt checks first. */
  unknown(key: string, error: string): void {
    this.set(key, 'in_flight', error);
  }
  /** Provably not accepted: the next attempt may send without checking. */
  notSent(key: string, error: string): void {
    this.db.prepare("UPDATE outbox SET state = 'pending', attempts = max(attempts - 1, 0), last_error = ?, updated_at = ? WHERE dedupe_key = ?").run(error, new Date().toISOString(), key);
  }
  /** A deliberate new submission (after GelatoConnect failed the order) starts afresh. */
  reset(key: string): void {
    this.db.prepare('DELETE FROM outbox WHERE dedupe_key = ?').run(key);
  }

  private set(key: string, state: OutboxEntry['state'], error: string | null): void {
    this.db.prepare('UPDATE outbox SET state = ?, last_error = ?, updated_at = ? WHERE dedupe_key = ?').run(state, error, new Date().toISOString(), key);
  }
}
