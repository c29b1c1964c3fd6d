import { now, Statements } from './statements';
import type { DB } from './open';

// Postbacks as received from GelatoConnect: stored before they are answered
// (so a crash between the two never loses one), applied once, each with its
// outcome. The dedupe key makes GelatoConnect's retries harmless.

export interface StoredPostback {
  id: number;
  bodyJson: string;
  appliedAt: string | null;
}

export class PostbacksRepo {
  private readonly sql: Statements;
  constructor(db: DB) {
    this.sql = new Statements(db);
  }

  /** Stores a postback; returns its id, or null when one with the same key was stored before. */
  insert(p: { key: string; orderReferenceId: string | null; status: string | null; body: unknown }): number | null {
    const r = this.sql
      .get('INSERT INTO postbacks (dedupe_key, received_at, order_reference_id, status, body_json) VALUES (?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING')
      .run(p.key, now(), p.orderReferenceId, p.status, JSON.stringify(p.body));
    return r.changes === 0 ? null : Number(r.lastInsertRowid);
  }

  byKey(key: string): { id: number; appliedAt: string | null } | undefined {
    return this.sql.get('SELECT id, applied_at AS appliedAt FROM postbacks WHERE dedupe_key = ?').get(key) as { id: number; appliedAt: string | null } | undefined;
  }

  byId(id: number): StoredPostback | undefined {
    return this.sql.get('SELECT id, body_json AS bodyJson, applied_at AS appliedAt FROM postbacks WHERE id = ?').get(id) as StoredPostback | undefined;
  }

  /** Records the outcome once; a postback already applied keeps its first outcome. */
  markApplied(id: number, result: string): void {
    this.sql.get('UPDATE postbacks SET applied_at = ?, result = ? WHERE id = ? AND applied_at IS NULL').run(now(), result, id);
  }

  /** Stored but not yet applied (Presslink stopped in between), oldest first. */
  pendingIds(): number[] {
    return this.sql.get('SELECT id FROM postbacks WHERE applied_at IS NULL ORDER BY id').pluck().all() as number[];
  }

  /** When the last postback that named an order arrived (one GelatoConnect's trigger template rendered usably). */
  /** When a postback of each trigger event (the `event` its template sends) last arrived. */
  lastByEvent(): Map<string, string> {
    const rows = this.sql
      .get("SELECT json_extract(body_json, '$.event') AS event, max(received_at) AS at FROM postbacks WHERE json_valid(body_json) GROUP BY event")
      .all() as { event: string | null; at: string }[];
    return new Map(rows.filter((r) => typeof r.event === 'string').map((r) => [r.event!, r.at]));
  }

  lastWithReferenceAt(): string | null {
    return (this.sql.get('SELECT max(received_at) FROM postbacks WHERE order_reference_id IS NOT NULL').pluck().get() as string | null) ?? null;
  }

  /** The latest postbacks with what became of them, newest first (for the checklist's evidence). */
  latest(limit: number): { receivedAt: string; orderReferenceId: string | null; status: string | null; result: string | null }[] {
    return this.sql
      .get('SELECT received_at AS receivedAt, order_reference_id AS orderReferenceId, status, result FROM postbacks ORDER BY id DESC LIMIT ?')
      .all(limit) as { receivedAt: string; orderReferenceId: string | null; status: string | null; result: string | null }[];
  }

  lastReceivedAt(): string | null {
    return (this.sql.get('SELECT max(received_at) FROM postbacks').pluck().get() as string | null) ?? null;
  }
}
