import type { SyncSummary } from '../../../shared/contract';
import { msg } from '../../../shared/messages/index';
import { syncError } from '../i18n';
import { now, Statements } from './statements';
import type { DB } from './open';

// One row per sync cycle: when it ran, what triggered it, what it did and the
// errors it met. The dashboard, `presslink status` and the daily chart read it.

interface RunRow {
  id: number;
  trigger: SyncSummary['trigger'];
  started_at: string;
  finished_at: string | null;
  ok: number | null;
  discovered: number;
  submitted: number;
  needs_attention: number;
  skipped: number;
  failed: number;
  errors_json: string;
}

function runToSummary(r: RunRow): SyncSummary {
  return {
    runId: r.id,
    trigger: r.trigger,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    ok: r.ok === 1,
    discovered: r.discovered,
    submitted: r.submitted,
    needsAttention: r.needs_attention,
    skipped: r.skipped,
    failed: r.failed,
    durationMs: r.finished_at ? Date.parse(r.finished_at) - Date.parse(r.started_at) : null,
    errors: JSON.parse(r.errors_json) as SyncSummary['errors'],
  };
}

export class RunsRepo {
  private readonly sql: Statements;
  constructor(db: DB) {
    this.sql = new Statements(db);
  }

  start(trigger: SyncSummary['trigger']): number {
    return Number(this.sql.get('INSERT INTO sync_runs (trigger, started_at) VALUES (?, ?)').run(trigger, now()).lastInsertRowid);
  }

  finish(id: number, s: Omit<SyncSummary, 'runId' | 'startedAt' | 'finishedAt' | 'trigger' | 'durationMs'>): SyncSummary {
    this.sql
      .get('UPDATE sync_runs SET finished_at = ?, ok = ?, discovered = ?, submitted = ?, needs_attention = ?, skipped = ?, failed = ?, errors_json = ? WHERE id = ?')
      .run(now(), s.ok ? 1 : 0, s.discovered, s.submitted, s.needsAttention, s.skipped, s.failed, JSON.stringify(s.errors), id);
    return this.byId(id)!;
  }

  byId(id: number): SyncSummary | undefined {
    const r = this.sql.get('SELECT * FROM sync_runs WHERE id = ?').get(id) as RunRow | undefined;
    return r && runToSummary(r);
  }

  last(): SyncSummary | null {
    const r = this.sql.get('SELECT * FROM sync_runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1').get() as RunRow | undefined;
    return r ? runToSummary(r) : null;
  }

  /** The newest run's id (0 before the first): a cycle with a higher id started later. */
  latestId(): number {
    return (this.sql.get('SELECT coalesce(max(id), 0) FROM sync_runs').pluck().get() as number) ?? 0;
  }

  /** The newest runs as stored, for the diagnostics bundle. */
  recent(limit: number): unknown[] {
    return this.sql.get('SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?').all(limit);
  }

  /** Runs cut short by a crash are closed as failed on start-up so none stays "running" forever. */
  closeInterrupted(): void {
    const errors: SyncSummary['errors'] = [syncError(msg('sync.interrupted'))];
    this.sql.get('UPDATE sync_runs SET finished_at = ?, ok = 0, errors_json = ? WHERE finished_at IS NULL').run(now(), JSON.stringify(errors));
  }

  /** Finished runs per UTC day since `since`: how many, and their mean duration. */
  perDay(since: string): { day: string; n: number; avgMs: number | null }[] {
    return this.sql
      .get(
        `SELECT substr(started_at, 1, 10) AS day, count(*) AS n,
                avg((julianday(finished_at) - julianday(started_at)) * 86400000.0) AS avgMs
         FROM sync_runs WHERE started_at >= ? AND finished_at IS NOT NULL GROUP BY day`,
      )
      .all(since) as { day: string; n: number; avgMs: number | null }[];
  }
}
