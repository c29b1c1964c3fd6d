import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_STATES, type OrderState } from '../../shared/domain/order-state';
import { openDatabase, type DB } from '../../electron/core/db/open';
import { OrdersRepo, type ListFilter } from '../../electron/core/db/orders-repo';
import type { Statements } from '../../electron/core/db/statements';

// The order log's text search goes through the trigram index (migration 4) for
// queries of three or more characters. Whatever way it takes, it must answer
// exactly what the plain LIKE scan answered: same orders, same order, same total.

const prepared = new Map<string, ReturnType<DB['prepare']>>();
const prepare = (db: DB, sql: string) => {
  let st = prepared.get(sql);
  if (!st) prepared.set(sql, (st = db.prepare(sql)));
  return st;
};

/** The order log's list as it was before the index: the reference every answer is held to. */
function likeList(db: DB, f: ListFilter): { ids: number[]; total: number } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.states?.length) {
    where.push(`state IN (${f.states.map((_, i) => `@s${i}`).join(', ')})`);
    f.states.forEach((s, i) => (params[`s${i}`] = s));
  }
  if (f.attention) where.push("(state IN ('needs_attention', 'failed') OR attention_code IS NOT NULL)");
  if (f.storeId) {
    where.push('store_id = @storeId');
    params.storeId = f.storeId;
  }
  if (f.from) {
    where.push('created_at >= @from');
    params.from = new Date(f.from).toISOString();
  }
  if (f.to) {
    where.push('created_at <= @to');
    params.to = new Date(f.to).toISOString();
  }
  if (f.q?.trim()) {
    where.push("search_text LIKE @q ESCAPE '\\'");
    params.q = `%${f.q.trim().toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const dir = f.sort === 'oldest' ? 'ASC' : 'DESC';
  const total = prepare(db, `SELECT count(*) FROM orders ${w}`).pluck().get(params) as number;
  const ids = prepare(db, `SELECT id FROM orders ${w} ORDER BY created_at ${dir}, id ${dir} LIMIT @limit OFFSET @offset`).pluck().all({ ...params, limit: f.limit, offset: f.offset }) as number[];
  return { ids, total };
}

/** Deterministic so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'Grace Hopper', 'GRACE HOPPER', 'Zoë Øberg', 'José Álvarez', 'Ünal Çelik', 'Jürgen Weiß', 'Straße 5', 'İbrahim Işık',
  'Σωκράτης Παπαδόπουλος', '山田 太郎', 'Nguyễn Văn An', 'Rene\u0301e Dubois', "O'Brien-Smith", 'Anna "Ace" Kowalska',
  'Émile (Jr.) Zola', 'x*y:z-(w) ^NEAR', 'AND OR NOT', '50% off_sale \\path', '👩‍💻 Dev Team', 'ǅemal Ǆ', 'ﬁnn Kelvin \u212A',
  'Ada Lovelace', 'ada lovelace', 'Alan Turing', 'ÉCOLE Ÿves', 'tab\there', 'Zero\u0000Width', 'odd \uFFFE\uFFFF end',
];
const REASONS = ['No GelatoConnect product is mapped for SKU "X-1".', 'Address: missing (ZIP)', 'Infigo refused the STATUS', 'Skipped: 10% test_run', null];
const STORES = ['acme', 'beta-shop'];

describe('order log text search', () => {
  let dir: string;
  let db: DB;
  let repo: OrdersRepo;
  const texts: string[] = [];
  const rnd = prng(20261129);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-search-'));
    db = openDatabase(path.join(dir, 'p.db'));
    repo = new OrdersRepo(db);
    for (const s of STORES) repo.ensureStore(s, s);
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    // Most orders as the sync writes them (text lowercased by JS); the rest with the text
    // as SQL writers leave it (ASCII-only lower(), or none at all), to hold the index to
    // LIKE's own case rules.
    const raw = db.prepare(
      `INSERT INTO orders (store_id, infigo_order_id, order_reference_id, state, attention_code, attention_reason, gelato_order_id, customer_name, created_at, updated_at, search_text)
       VALUES (@store, @infigo, @ref, @state, @code, @reason, @gid, @name, @created, @created, @text)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) {
        const store = pick(STORES);
        const infigo = 10_000 + i;
        const ref = `PL-${store}-${infigo}`;
        const name = `${pick(NAMES)}${rnd() < 0.3 ? ` ${pick(NAMES)}` : ''}`;
        const reason = pick(REASONS);
        const gid = rnd() < 0.7 ? `G-${Math.floor(rnd() * 0xffffff).toString(16)}-${i}` : null;
        // Timestamps collide now and then so the id tie-break matters.
        const created = new Date(t0 + Math.floor(rnd() * 2000) * 3_600_000).toISOString();
        const joined = [ref, infigo, gid ?? '', name, reason ?? ''].join(' ');
        const text = i % 10 === 0 ? joined : i % 10 === 1 ? joined.replace(/[A-Z]/g, (c) => c.toLowerCase()) : joined.toLowerCase();
        raw.run({ store, infigo, ref, state: pick(ORDER_STATES), code: rnd() < 0.1 ? 'status_push_failed' : null, reason, gid, name, created, text });
      }
    })();
    // Later writes through the repository and through SQL, as the engine makes them.
    const ids = db.prepare('SELECT id FROM orders ORDER BY id').pluck().all() as number[];
    for (const id of ids.filter((_, i) => i % 37 === 0)) {
      const o = repo.byId(id)!;
      repo.transition(id, o.state, { kind: 'note', message: 'updated' }, { customerName: `${pick(NAMES)} Renamed` });
    }
    for (const id of ids.filter((_, i) => i % 53 === 0)) {
      db.prepare("UPDATE orders SET search_text = search_text || ' ' || lower(?) WHERE id = ?").run('Infigo refused the STATUS Ünal', id);
    }
    texts.push(...(db.prepare('SELECT search_text FROM orders').pluck().all() as string[]));
  });

  afterAll(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Substrings of stored texts (so most queries find something), spanning words, in changed case, padded. */
  function queries(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const chars = [...pick(texts)];
      const len = 1 + Math.floor(rnd() * 14);
      const start = Math.floor(rnd() * Math.max(1, chars.length - len));
      let q = chars.slice(start, start + len).join('');
      if (rnd() < 0.3) q = [...q].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c)).join('');
      if (rnd() < 0.1) q = `  ${q} `;
      out.push(q);
    }
    return out;
  }

  const SPECIAL = [
    '"', '""', '"""', 'a"b', '"ace"', '*', 'a*b', 'x*y', '-', '--', 'z-(w', '(', '(jr.)', ':', 'y:z', '^near', 'near(', 'and or', 'AND OR NOT',
    '%', '10%', '50% off', '_', 'off_sale', '\\', '\\path', "o'brien", 'pl-', 'pl-acme-1', 'pl-beta-shop-12', 'g-', 'hopper', 'HOPPER', 'Grace Hopper',
    'zoë', 'ZOË', 'øberg', 'Øberg', 'école', 'ÉCOLE', 'Éco', 'ünal', 'ÜNAL', 'weiß', 'STRASSE', 'straße', 'i̇brahim', 'İbrahim', 'ışık', 'ς', 'σωκράτης',
    'παπαδόπουλος', 'ΣΩΚΡΆΤΗΣ', '山田', '山田 太郎', '田 太', 'nguyễn', 'rene\u0301e', 'renée', '👩‍💻', '💻 dev', 'ǆemal', 'ǅemal', 'ﬁnn', 'finn', 'kelvin k', 'kelvin \u212A',
    'tab\there', 'zero\u0000width', 'zero', '\u0000', 'ro\u0000wi', 'odd \uFFFE', '\uFFFD\uFFFD', '\uFFFF end', 'no such text anywhere', 'a', 'ab', 'abc', '  ', '',
    ' '.repeat(3) + 'ada' + ' '.repeat(3), 'x'.repeat(200),
  ];

  const FILTERS: Omit<ListFilter, 'q'>[] = [
    { offset: 0, limit: 100, sort: 'newest' },
    { offset: 0, limit: 5, sort: 'oldest' },
    { offset: 7, limit: 3, sort: 'newest' },
    { offset: 250, limit: 100, sort: 'newest' },
    { offset: 0, limit: 100, sort: 'newest', states: ['needs_attention', 'failed'] },
    { offset: 2, limit: 50, sort: 'oldest', states: ['submitted'] },
    { offset: 0, limit: 100, sort: 'newest', storeId: 'beta-shop' },
    { offset: 0, limit: 100, sort: 'newest', from: '2026-02-01T00:00:00Z', to: '2026-02-20T12:00:00Z' },
    { offset: 0, limit: 20, sort: 'newest', attention: true },
    { offset: 1, limit: 20, sort: 'oldest', attention: true, storeId: 'acme', states: ['needs_attention', 'skipped', 'delivered'] as OrderState[] },
  ];

  it('answers every query exactly as the LIKE scan does, with any filters, sort and page', () => {
    let compared = 0;
    let found = 0;
    for (const q of [...SPECIAL, ...queries(200)]) {
      for (const base of FILTERS) {
        const f: ListFilter = { ...base, q };
        const want = likeList(db, f);
        const got = repo.list(f);
        expect({ q, f, ids: got.rows.map((r) => r.id), total: got.total }).toEqual({ q, f, ids: want.ids, total: want.total });
        compared++;
        if (want.total > 0) found++;
      }
    }
    // The comparison means something only if many queries find orders.
    expect(compared).toBeGreaterThan(2500);
    expect(found / compared).toBeGreaterThan(0.4);
    // And it went every way the search can go (index count, lookup by id, walk with LIKE,
    // filtered count), as seen in the statements the repository prepared.
    const sqls = (repo as unknown as { sql: Statements }).sql.texts();
    expect(sqls.some((s) => s.includes('CROSS JOIN orders') && s.includes('ORDER BY'))).toBe(true);
    expect(sqls.some((s) => s.includes('CROSS JOIN orders') && s.includes('count(*)'))).toBe(true);
    expect(sqls.some((s) => s.includes('LIKE') && s.includes('ORDER BY'))).toBe(true);
    expect(sqls.some((s) => s.includes('FROM (SELECT 1 FROM orders_search'))).toBe(true);
  });

  it('finds in the index exactly the orders LIKE finds, for every query it is asked', () => {
    const like = db.prepare("SELECT id FROM orders WHERE search_text LIKE ? ESCAPE '\\' ORDER BY id").pluck();
    const match = db.prepare('SELECT rowid FROM orders_search WHERE orders_search MATCH ? ORDER BY rowid').pluck();
    let checked = 0;
    for (const raw of [...SPECIAL, ...queries(600)]) {
      const q = raw.trim().toLowerCase();
      if ([...q].length < 3 || q.includes('\0')) continue;
      expect({ q, ids: match.all(`"${q.replace(/"/g, '""')}"`) }).toEqual({ q, ids: like.all(`%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`) });
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('never turns a query into FTS syntax or an error', () => {
    for (const q of ['"', '" OR "', 'a" NOT "b', '*', '"*"', 'x -y', '(a OR b)', 'col:val', 'NEAR(a b)', '^start', '{a b}:c', '\u0000\u0000\u0000', '"""\u0000"""', 'a\u0000bcd']) {
      expect(() => repo.list({ q, offset: 0, limit: 10, sort: 'newest' })).not.toThrow();
      expect(repo.list({ q, offset: 0, limit: 10, sort: 'newest' }).total).toBe(likeList(db, { q, offset: 0, limit: 10, sort: 'newest' }).total);
    }
  });
});
