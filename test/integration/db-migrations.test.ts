import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseError, openDatabase, schemaVersion } from '../../electron/core/db/open';
import { LATEST_VERSION, MIGRATIONS } from '../../electron/core/db/migrations';
import { OrdersRepo } from '../../electron/core/db/orders-repo';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-db-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('database migrations', () => {
  it('creates the latest schema in WAL mode from an empty directory', () => {
    const db = openDatabase(path.join(dir, 'p.db'));
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const t of ['stores', 'orders', 'order_lines', 'files', 'events', 'outbox', 'sync_runs', 'settings', 'tracking', 'postbacks']) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  for (const m of MIGRATIONS.slice(0, -1)) {
    it(`brings a version ${m.version} database forward and keeps its orders`, () => {
      const file = path.join(dir, `v${m.version}.db`);
      const old = openDatabase(file, { targetVersion: m.version });
      expect(schemaVersion(old)).toBe(m.version);
      const t = new Date().toISOString();
      old.prepare("INSERT INTO stores (id, name, created_at) VALUES ('acme', 'Acme', ?)").run(t);
      // Written the way that version of Presslink wrote orders (search text exists from version 2).
      const search = m.version >= 2 ? ", search_text) VALUES ('acme', 10001, 'acme-10001', 'submitted', 'Zoë Müller', ?, ?, 'acme-10001 10001 zoë müller')" : ") VALUES ('acme', 10001, 'acme-10001', 'submitted', 'Zoë Müller', ?, ?)";
      old.prepare(`INSERT INTO orders (store_id, infigo_order_id, order_reference_id, state, customer_name, created_at, updated_at${search}`).run(t, t);
      old.close();

      const db = openDatabase(file);
      expect(schemaVersion(db)).toBe(LATEST_VERSION);
      const repo = new OrdersRepo(db);
      const o = repo.byInfigoId('acme', 10001);
      expect(o?.state).toBe('submitted');
      expect(repo.byReference('acme-10001')?.id).toBe(o?.id);
      // The order log's search finds orders that existed before the search column did.
      expect(repo.list({ q: 'müller', offset: 0, limit: 10, sort: 'newest' }).total).toBe(1);
      db.close();
    });
  }

  it('refuses a database written by a newer Presslink, and leaves it untouched', () => {
    const file = path.join(dir, 'newer.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrowError(/newer Presslink/);
    try {
      openDatabase(file);
    } catch (e) {
      expect((e as DatabaseError).code).toBe('newer');
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('reports a corrupt database clearly and never resets it', () => {
    const file = path.join(dir, 'corrupt.db');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('this is not a database at all'), Buffer.alloc(8192, 7)]));
    const before = fs.readFileSync(file);
    let err: unknown;
    try {
      openDatabase(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as DatabaseError).code).toBe('corrupt');
    expect((err as Error).message).toMatch(/damaged.*has not changed or replaced it/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
