import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanMarker, closeDatabase, DatabaseError, openDatabase, schemaVersion } from '../../electron/core/db/open';
import { LATEST_VERSION, MIGRATIONS } from '../../electron/core/db/migrations';
import { OrdersRepo } from '../../electron/core/db/orders-repo';

/** Opening `file` fails as corrupt and leaves it byte for byte as it was; returns the error. */
function expectRefusedAsCorrupt(file: string): DatabaseError {
  const before = fs.readFileSync(file);
  let err: unknown;
  try {
    openDatabase(file);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DatabaseError);
  expect((err as DatabaseError).code).toBe('corrupt');
  expect(fs.readFileSync(file).equals(before)).toBe(true);
  return err as DatabaseError;
}

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

  describe('migration 5: an install that was already syncing stays live', () => {
    it('marks a version 4 install with orders as activated at its first order, each store cut over at its newest known order', async () => {
      const file = path.join(dir, 'v4-live.db');
      const old = openDatabase(file, { targetVersion: 4 });
      const ins = old.prepare("INSERT INTO orders (store_id, infigo_order_id, order_reference_id, state, created_at, updated_at, search_text) VALUES (?, ?, ?, 'submitted', ?, ?, '')");
      for (const [store, id, at] of [['acme', 10001, '2026-10-01T09:00:00.000Z'], ['acme', 10007, '2026-10-03T09:00:00.000Z'], ['globex', 501, '2026-10-02T09:00:00.000Z']] as const) {
        ins.run(store, id, `PL-${store}-${id}`, at, at);
      }
      old.close();

      const db = openDatabase(file);
      const { SettingsRepo } = await import('../../electron/core/db/settings-repo');
      const settings = new SettingsRepo(db);
      expect(settings.get('golive.activation')).toEqual({ activatedAt: '2026-10-01T09:00:00.000Z', by: 'migration' });
      expect(settings.get('golive.cutover.acme')).toMatchObject({ newestInfigoOrderId: 10007, by: 'migration' });
      expect(settings.get('golive.cutover.globex')).toMatchObject({ newestInfigoOrderId: 501, by: 'migration' });
      db.close();
    });

    it('leaves a fresh install (no orders) unactivated', async () => {
      const file = path.join(dir, 'v4-empty.db');
      openDatabase(file, { targetVersion: 4 }).close();
      const db = openDatabase(file);
      const { SettingsRepo } = await import('../../electron/core/db/settings-repo');
      expect(new SettingsRepo(db).get('golive.activation')).toBeUndefined();
      expect(db.prepare("SELECT count(*) FROM settings WHERE key LIKE 'golive.%'").pluck().get()).toBe(0);
      db.close();
    });
  });

  describe('migration 4: the order log search index', () => {
    // What the order log's search answered before the index existed, and still must.
    const likeIds = (db: Database.Database, q: string) =>
      db.prepare("SELECT id FROM orders WHERE search_text LIKE ? ESCAPE '\\' ORDER BY id").pluck().all(`%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    const indexIds = (db: Database.Database, q: string) =>
      db.prepare('SELECT rowid FROM orders_search WHERE orders_search MATCH ? ORDER BY rowid').pluck().all(`"${q.replace(/"/g, '""')}"`);
    const indexData = (db: Database.Database) => JSON.stringify(db.prepare('SELECT id, hex(block) FROM orders_search_data ORDER BY id').all());

    it('indexes the orders a version 3 database already has, exactly as LIKE reads their text', () => {
      const file = path.join(dir, 'v3-search.db');
      const old = openDatabase(file, { targetVersion: 3 });
      const t = new Date().toISOString();
      old.prepare("INSERT INTO stores (id, name, created_at) VALUES ('acme', 'Acme', ?)").run(t);
      const ins = old.prepare("INSERT INTO orders (store_id, infigo_order_id, order_reference_id, state, created_at, updated_at, search_text) VALUES ('acme', ?, ?, 'submitted', ?, ?, ?)");
      // Text as older writers left it: SQL lower() folds ASCII only, so capitals outside ASCII
      // remain; and a NUL (LIKE reads a text only up to it).
      const texts = ['pl-acme-1 1 zoë müller', 'pl-acme-2 2 ÉCOLE Ünal', 'pl-acme-3 3 grace HOPPER', 'pl-acme-4 4 ab\0cd hidden', 'pl-acme-5 5 "quoted" (x) a*b'];
      texts.forEach((text, i) => ins.run(i + 1, `pl-acme-${i + 1}`, t, t, text));
      old.close();

      const db = openDatabase(file);
      expect(schemaVersion(db)).toBe(LATEST_VERSION);
      for (const q of ['müller', 'hopper', 'école', 'ÉCOLE'.toLowerCase(), 'Éco', 'ünal', 'cd hidden', 'ab', 'pl-acme-', '"quoted"', '(x)', 'a*b', 'zoë m']) {
        if ([...q].length < 3) continue;
        expect(indexIds(db, q), q).toEqual(likeIds(db, q));
      }
      // The cases that differ from a plain case-insensitive search stay as they were.
      expect(likeIds(db, 'école')).toEqual([]);
      expect(likeIds(db, 'hopper')).toEqual([3]);
      expect(likeIds(db, 'hidden')).toEqual([]);
      const repo = new OrdersRepo(db);
      expect(repo.list({ q: 'pl-acme-', offset: 0, limit: 10, sort: 'newest' }).total).toBe(5);
      expect(repo.list({ q: 'Müller', offset: 0, limit: 10, sort: 'newest' }).rows.map((r) => r.id)).toEqual([1]);
      db.close();
    });

    it('follows new orders, changed text and deleted orders, and is not written when only the state changes', () => {
      const db = openDatabase(path.join(dir, 'follow.db'));
      const repo = new OrdersRepo(db);
      repo.ensureStore('acme', 'Acme');
      const a = repo.insertDiscovered({ storeId: 'acme', infigoOrderId: 501, orderReferenceId: 'PL-acme-501' })!;
      const b = repo.insertDiscovered({ storeId: 'acme', infigoOrderId: 502, orderReferenceId: 'PL-acme-502' })!;
      expect(indexIds(db, 'pl-acme-50')).toEqual([a.id, b.id]);

      repo.transition(a.id, 'classified', { kind: 'classified', message: 'read from Infigo' }, { customerName: 'Katherine Johnson' });
      expect(indexIds(db, 'johnson')).toEqual([a.id]);

      // The sync's state changes rewrite search_text with the same value: the index is left alone.
      const before = indexData(db);
      repo.transition(a.id, 'files', { kind: 'files', message: 'files fetched' });
      repo.transition(a.id, 'submitting', { kind: 'submitting', message: 'submitting' });
      expect(indexData(db)).toBe(before);

      repo.transition(a.id, 'submitted', { kind: 'submitted', message: 'accepted' }, { gelatoOrderId: 'G-77aa' });
      expect(indexIds(db, 'g-77aa')).toEqual([a.id]);
      expect(indexIds(db, 'johnson')).toEqual([a.id]);

      // Writers outside the repository change the text with SQL (the back-sync appends a reason).
      db.prepare("UPDATE orders SET search_text = search_text || ' ' || lower(?) WHERE id = ?").run('Infigo refused the STATUS', b.id);
      expect(indexIds(db, 'status')).toEqual([b.id]);
      expect(indexIds(db, 'pl-acme-502')).toEqual([b.id]);

      db.prepare('DELETE FROM events').run();
      db.prepare('DELETE FROM orders WHERE id = ?').run(b.id);
      expect(indexIds(db, 'pl-acme-50')).toEqual([a.id]);
      expect(indexIds(db, 'status')).toEqual([]);

      // A row that INSERT OR REPLACE removes (here for the same Infigo order under a new id)
      // leaves nothing of its text behind.
      const t = new Date().toISOString();
      const c = db
        .prepare("INSERT OR REPLACE INTO orders (store_id, infigo_order_id, order_reference_id, state, created_at, updated_at, search_text) VALUES ('acme', 501, 'pl-acme-501', 'submitted', ?, ?, 'pl-acme-501 replaced')")
        .run(t, t).lastInsertRowid;
      expect(Number(c)).not.toBe(a.id);
      expect(indexIds(db, 'johnson')).toEqual([]);
      expect(indexIds(db, 'replaced')).toEqual([Number(c)]);
      for (const q of ['pl-acme', 'replaced', 'g-77aa', '501']) expect(indexIds(db, q), q).toEqual(likeIds(db, q));
      db.close();
    });
  });

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

  it('after an end that was not a clean close, finds damage inside the file at open and changes nothing', () => {
    const file = path.join(dir, 'damaged.db');
    const db = openDatabase(file);
    const repo = new OrdersRepo(db);
    repo.ensureStore('acme', 'Acme');
    for (let i = 0; i < 400; i++) repo.insertDiscovered({ storeId: 'acme', infigoOrderId: 1000 + i, orderReferenceId: `PL-acme-${1000 + i}` });
    // Closed while another connection still has it open: no claim of a clean end.
    const other = openDatabase(file);
    closeDatabase(db, file);
    expect(fs.existsSync(cleanMarker(file))).toBe(false);
    closeDatabase(other, file);
    expect(fs.existsSync(cleanMarker(file))).toBe(true);
    // The next open takes the marker: a crash from then on is followed by the full check.
    openDatabase(file).close();
    expect(fs.existsSync(cleanMarker(file))).toBe(false);

    // Damage a page in the middle of the file, past the header and the schema.
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16);
    const page = Math.floor(bytes.length / pageSize / 2);
    bytes.fill(0xa5, page * pageSize, page * pageSize + pageSize);
    fs.writeFileSync(file, bytes);
    expectRefusedAsCorrupt(file);
  });

  it('reports a corrupt database clearly and never resets it', () => {
    const file = path.join(dir, 'corrupt.db');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('this is not a database at all'), Buffer.alloc(8192, 7)]));
    expect(expectRefusedAsCorrupt(file).message).toMatch(/damaged.*has not changed or replaced it/);
  });
});
