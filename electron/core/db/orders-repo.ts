import type { OrderRow, TimelineEvent, OrderFile, OrderLine } from '../../../shared/contract';
import { canTransition, type OrderState } from '../../../shared/domain/order-state';
import { isMsg, msg, type Msg, type MsgParam } from '../../../shared/messages/index';
import { paramText, textOf } from '../i18n';
import type { DB } from './open';
import { now, Statements } from './statements';

// All writes to orders go through here so that each transition is one
// transaction with its timeline event, and an illegal transition is refused.
// The order's lines, print files, tracking codes and timeline belong to it and
// are read and written here too; every query has a name the engine calls.

/** Orders held or failed: by state alone. */
const HELD_SQL = "state IN ('needs_attention', 'failed')";
/** Orders a person must look at: held or failed, or carrying a marker (a shipped order whose Infigo update failed). */
const ATTENTION_SQL = `(${HELD_SQL} OR attention_code IS NOT NULL)`;
/**
 * How many orders ATTENTION_SQL matches, as two counts SQLite answers from its indexes (state;
 * the partial index of attention codes) without overlap. Counted as one OR it reads every
 * order: 250 ms for 100,000, on every status the header, tray and dashboard ask for.
 */
export const ATTENTION_COUNT_SQL = `SELECT
  (SELECT count(*) FROM orders WHERE ${HELD_SQL})
  + (SELECT count(*) FROM orders WHERE attention_code IS NOT NULL AND NOT ${HELD_SQL})`;
/** The same orders as ATTENTION_SQL, reached through those indexes: for counting a filtered list. */
const ATTENTION_BY_INDEX_SQL = `id IN (SELECT id FROM orders WHERE ${HELD_SQL} UNION ALL SELECT id FROM orders WHERE attention_code IS NOT NULL)`;

export interface OrderRecord extends OrderRow {
  resumeState: OrderState | null;
  attentionCode: string | null;
  gelatoStatus: string | null;
  infigoJson: string | null;
  payloadJson: string | null;
}

interface OrderDbRow {
  id: number;
  store_id: string;
  infigo_order_id: number;
  order_reference_id: string;
  state: OrderState;
  resume_state: OrderState | null;
  attention_code: string | null;
  attention_reason: string | null;
  attention_msg_json: string | null;
  gelato_order_id: string | null;
  gelato_status: string | null;
  customer_name: string | null;
  country: string | null;
  infigo_json: string | null;
  payload_json: string | null;
  created_at: string;
  updated_at: string;
}

function toRecord(r: OrderDbRow): OrderRecord {
  return {
    id: r.id,
    storeId: r.store_id,
    infigoOrderId: r.infigo_order_id,
    gelatoOrderId: r.gelato_order_id,
    orderReferenceId: r.order_reference_id,
    state: r.state,
    attentionReason: r.attention_reason,
    attentionMsg: r.attention_msg_json ? (JSON.parse(r.attention_msg_json) as Msg) : null,
    customerName: r.customer_name,
    country: r.country,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    resumeState: r.resume_state,
    attentionCode: r.attention_code,
    gelatoStatus: r.gelato_status,
    infigoJson: r.infigo_json,
    payloadJson: r.payload_json,
  };
}

export function toRow(r: OrderRecord): OrderRow {
  return {
    id: r.id,
    storeId: r.storeId,
    infigoOrderId: r.infigoOrderId,
    gelatoOrderId: r.gelatoOrderId,
    orderReferenceId: r.orderReferenceId,
    state: r.state,
    attentionReason: r.attentionReason,
    attentionMsg: r.attentionMsg,
    customerName: r.customerName,
    country: r.country,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export class IllegalTransition extends Error {}

/** A timeline event as the engine writes it. */
export interface TimelineEntry {
  kind: string;
  outcome?: TimelineEvent['outcome'];
  message: string | Msg;
  detail?: unknown;
}

/** The two columns of an attention reason: its English text (searched, logged) and its message. */
function attentionColumns(reason: string | Msg | null): { attention_reason: string | null; attention_msg_json: string | null } {
  if (reason === null) return { attention_reason: null, attention_msg_json: null };
  return { attention_reason: textOf(reason), attention_msg_json: isMsg(reason) ? JSON.stringify(reason) : null };
}

/** The reason an order already has, as a message when it was written as one. */
const keep = (o: OrderRecord): string | Msg | null => o.attentionMsg ?? o.attentionReason;

export interface ListFilter {
  states?: OrderState[];
  attention?: boolean;
  storeId?: string;
  from?: string;
  to?: string;
  q?: string;
  offset: number;
  limit: number;
  sort: 'newest' | 'oldest';
}

const LIKE_SEARCH = "search_text LIKE @q ESCAPE '\\'";
/** The orders whose text matches, read by id; CROSS JOIN keeps SQLite from walking a filter's index instead. */
const INDEX_HITS = '(SELECT rowid AS hit FROM orders_search WHERE orders_search MATCH @match) AS hits CROSS JOIN orders ON orders.id = hits.hit';
/** A match read by id (and sorted) costs about this many orders walked in date order with LIKE (measured at 100,000 orders). */
const LOOKUP_COST = 4;
/** With other filters, a text in more than 1/FILTERED_SHARE of all orders is searched with LIKE. */
const FILTERED_SHARE = 16;
/** How many of the newest matches are read to judge how common a text is. */
const SAMPLE = 256;

const whereSql = (where: string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/**
 * Whether the trigram index (migration 4) gives exactly the orders `search_text LIKE '%q%'`
 * gives, for a query already trimmed and lowercased. The index holds the text as LIKE
 * compares it (cut at the first NUL, ASCII-lowercased) with a case-sensitive tokenizer,
 * and a quoted FTS5 phrase of three or more characters matches exactly where its
 * characters appear consecutively: the same substring test LIKE makes, since a
 * lowercased query has no ASCII capitals for LIKE's case folding to matter. Shorter
 * queries have no trigram to look up; a NUL cuts LIKE's pattern short (and FTS5
 * rejects it), so both stay with LIKE.
 */
export function searchIndexAnswers(q: string): boolean {
  return [...q].length >= 3 && !q.includes('\0');
}

/** The query as one FTS5 string: inside double quotes nothing is syntax but a doubled quote. */
export function ftsPhrase(q: string): string {
  return `"${q.replace(/"/g, '""')}"`;
}

export class OrdersRepo {
  private readonly sql: Statements;
  constructor(private readonly db: DB) {
    this.sql = new Statements(db);
  }

  private stmt(sql: string) {
    return this.sql.get(sql);
  }

  ensureStore(id: string, name: string): void {
    this
      .stmt('INSERT INTO stores (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name')
      .run(id, name, now());
  }

  byId(id: number): OrderRecord | undefined {
    const r = this.stmt('SELECT * FROM orders WHERE id = ?').get(id) as OrderDbRow | undefined;
    return r && toRecord(r);
  }

  byInfigoId(storeId: string, infigoOrderId: number): OrderRecord | undefined {
    const r = this.stmt('SELECT * FROM orders WHERE store_id = ? AND infigo_order_id = ?').get(storeId, infigoOrderId) as OrderDbRow | undefined;
    return r && toRecord(r);
  }

  byReference(ref: string): OrderRecord | undefined {
    const r = this.stmt('SELECT * FROM orders WHERE order_reference_id = ?').get(ref) as OrderDbRow | undefined;
    return r && toRecord(r);
  }

  knownInfigoIds(storeId: string): Set<number> {
    const rows = this.stmt('SELECT infigo_order_id AS id FROM orders WHERE store_id = ?').pluck().all(storeId) as number[];
    return new Set(rows);
  }

  /** Records a newly seen Infigo order. Returns undefined if it was already known (never imported twice). */
  insertDiscovered(o: { storeId: string; infigoOrderId: number; orderReferenceId: string; infigoCreatedAt?: string | null }): OrderRecord | undefined {
    const t = now();
    return this.db.transaction(() => {
      const res = this
        .stmt(
          `INSERT INTO orders (store_id, infigo_order_id, order_reference_id, state, infigo_created_at, created_at, updated_at, search_text)
           VALUES (?, ?, ?, 'discovered', ?, ?, ?, ?) ON CONFLICT (store_id, infigo_order_id) DO NOTHING`,
        )
        .run(o.storeId, o.infigoOrderId, o.orderReferenceId, o.infigoCreatedAt ?? null, t, t, `${o.orderReferenceId} ${o.infigoOrderId}`.toLowerCase());
      if (res.changes === 0) return undefined;
      const id = Number(res.lastInsertRowid);
      this.addEvent(id, 'discovered', 'ok', msg('orders.discovered', { order: o.infigoOrderId, store: o.storeId }));
      return this.byId(id);
    })();
  }

  /**
   * Records Infigo orders placed before go-live (docs/go-live.md) in one transaction: each in
   * state `before_go_live` with its reason and one timeline event. Ids already known are left
   * alone. Returns how many were recorded.
   */
  insertBeforeGoLive(storeId: string, orders: { infigoOrderId: number; orderReferenceId: string; reason: string | Msg }[]): number {
    const t = now();
    return this.db.transaction(() => {
      const ins = this.stmt(
        `INSERT INTO orders (store_id, infigo_order_id, order_reference_id, state, attention_reason, attention_msg_json, created_at, updated_at, search_text)
         VALUES (?, ?, ?, 'before_go_live', ?, ?, ?, ?, ?) ON CONFLICT (store_id, infigo_order_id) DO NOTHING`,
      );
      let n = 0;
      for (const o of orders) {
        const { attention_reason: text, attention_msg_json: msgJson } = attentionColumns(o.reason);
        const res = ins.run(storeId, o.infigoOrderId, o.orderReferenceId, text, msgJson, t, t, `${o.orderReferenceId} ${o.infigoOrderId} ${text}`.toLowerCase());
        if (res.changes === 0) continue;
        this.addEvent(Number(res.lastInsertRowid), 'before_go_live', 'info', o.reason);
        n++;
      }
      return n;
    })();
  }

  /**
   * Moves an order to a new state with one timeline event, in one transaction.
   * `extra` sets columns that belong to the same step (payload, GelatoConnect id, …).
   */
  transition(
    id: number,
    to: OrderState,
    event: TimelineEntry,
    extra: Partial<{
      attentionCode: string | null;
      /** Why a person must look (held, failed, skipped): a message, or text. */
      attentionReason: string | Msg | null;
      resumeState: OrderState | null;
      gelatoOrderId: string | null;
      gelatoStatus: string | null;
      customerName: string | null;
      country: string | null;
      infigoJson: string | null;
      payloadJson: string | null;
    }> = {},
  ): OrderRecord {
    return this.db.transaction(() => {
      const cur = this.byId(id);
      if (!cur) throw new Error(`order ${id} does not exist`);
      if (!canTransition(cur.state, to)) {
        throw new IllegalTransition(`order ${id}: ${cur.state} → ${to} is not allowed`);
      }
      const leavingAttention = to !== 'needs_attention';
      const cols: Record<string, unknown> = {
        state: to,
        updated_at: now(),
        attention_code: extra.attentionCode !== undefined ? extra.attentionCode : leavingAttention ? null : cur.attentionCode,
        ...attentionColumns(extra.attentionReason !== undefined ? extra.attentionReason : leavingAttention && to !== 'failed' ? null : keep(cur)),
        resume_state: extra.resumeState !== undefined ? extra.resumeState : cur.resumeState,
        gelato_order_id: extra.gelatoOrderId !== undefined ? extra.gelatoOrderId : cur.gelatoOrderId,
        gelato_status: extra.gelatoStatus !== undefined ? extra.gelatoStatus : cur.gelatoStatus,
        customer_name: extra.customerName !== undefined ? extra.customerName : cur.customerName,
        country: extra.country !== undefined ? extra.country : cur.country,
        infigo_json: extra.infigoJson !== undefined ? extra.infigoJson : cur.infigoJson,
        payload_json: extra.payloadJson !== undefined ? extra.payloadJson : cur.payloadJson,
      };
      const search = [cur.orderReferenceId, cur.infigoOrderId, cols.gelato_order_id ?? '', cols.customer_name ?? '', cols.attention_reason ?? '']
        .join(' ')
        .toLowerCase();
      cols.search_text = search;
      const keys = Object.keys(cols);
      this.stmt(`UPDATE orders SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...cols, id });
      this.addEvent(id, event.kind, event.outcome ?? (to === 'needs_attention' || to === 'failed' ? 'error' : 'ok'), event.message, event.detail);
      return this.byId(id)!;
    })();
  }

  /** One timeline event; `message` is a message (shared/messages) or, from older code, plain text. */
  addEvent(orderId: number | null, kind: string, outcome: TimelineEvent['outcome'], message: string | Msg, detail?: unknown): void {
    this
      .stmt('INSERT INTO events (order_id, at, kind, outcome, message, msg_json, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(orderId, now(), kind, outcome, textOf(message), isMsg(message) ? JSON.stringify(message) : null, detail === undefined ? null : JSON.stringify(detail));
  }

  timeline(orderId: number): TimelineEvent[] {
    const rows = this.stmt('SELECT * FROM events WHERE order_id = ? ORDER BY id').all(orderId) as {
      id: number; at: string; kind: string; outcome: TimelineEvent['outcome']; message: string; msg_json: string | null; detail_json: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      kind: r.kind,
      outcome: r.outcome,
      message: r.message,
      msg: r.msg_json ? (JSON.parse(r.msg_json) as Msg) : null,
      detail: r.detail_json ? JSON.parse(r.detail_json) : null,
    }));
  }

  list(f: ListFilter): { rows: OrderRow[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (f.states?.length) {
      where.push(`state IN (${f.states.map((_, i) => `@s${i}`).join(', ')})`);
      f.states.forEach((s, i) => (params[`s${i}`] = s));
    }
    if (f.attention) where.push(ATTENTION_SQL);
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
    const q = f.q?.trim().toLowerCase() ?? '';
    if (q && searchIndexAnswers(q)) {
      const indexed = this.listIndexed(f, q, where, params);
      if (indexed) return indexed;
    }
    if (q) {
      where.push(LIKE_SEARCH);
      params.q = likePattern(q);
    }
    // The page walks the date index and stops at its limit; the count reads the attention indexes instead.
    const countWhere = where.map((w) => (w === ATTENTION_SQL ? ATTENTION_BY_INDEX_SQL : w));
    const total = this.stmt(`SELECT count(*) FROM orders ${whereSql(countWhere)}`).pluck().get(params) as number;
    return { rows: this.page(f, where, params), total };
  }

  /**
   * Text search through the trigram index, which answers exactly as LIKE does (see
   * searchIndexAnswers), so the choice between them is only about speed. Returns
   * undefined when, with other filters, the text is so common that LIKE is as fast.
   */
  private listIndexed(f: ListFilter, q: string, where: string[], params: Record<string, unknown>): { rows: OrderRow[]; total: number } | undefined {
    // The number of orders, near enough for choosing a plan, without counting them.
    const orders = (this.stmt('SELECT max(id) FROM orders').pluck().get() as number | null) ?? 0;
    const match = ftsPhrase(q);
    let matches: number;
    if (!where.length) {
      // However common the text, the index counts its matches in about the time LIKE
      // takes to read every order (up to twice that for a long text all of whose
      // trigrams are in every order), and far faster once orders carry their Infigo and
      // GelatoConnect JSON, which LIKE reads through to reach search_text.
      matches = this.stmt('SELECT count(*) FROM orders_search WHERE orders_search MATCH @match').pluck().get({ match }) as number;
    } else {
      // With other filters each match must also be read by id, while LIKE reads only the
      // filtered orders: for a common text LIKE is no slower, so it keeps those. How far
      // back the SAMPLE newest matches reach tells such a text apart for the price of
      // reading them; the capped count settles the rest.
      const nth = this
        .stmt('SELECT rowid FROM orders_search WHERE orders_search MATCH @match ORDER BY rowid DESC LIMIT 1 OFFSET @k')
        .pluck()
        .get({ match, k: SAMPLE - 1 }) as number | undefined;
      if (nth !== undefined && SAMPLE * FILTERED_SHARE > orders - nth + 1) return undefined;
      const cap = Math.floor(orders / FILTERED_SHARE) + 1;
      matches = this
        .stmt('SELECT count(*) FROM (SELECT 1 FROM orders_search WHERE orders_search MATCH @match LIMIT @cap)')
        .pluck()
        .get({ match, cap }) as number;
      if (matches >= cap) return undefined;
    }
    const total = where.length
      ? (this.stmt(`SELECT count(*) FROM ${INDEX_HITS} ${whereSql(where)}`).pluck().get({ ...params, match }) as number)
      : matches;
    if (total === 0 || f.offset >= total) return { rows: [], total };
    // The page: walking the log in date order with LIKE (as without the index) reads
    // about wanted × orders / total rows; reading every match by id and sorting
    // reads `matches` rows at LOOKUP_COST each. Common texts favour the walk.
    const wanted = f.offset + f.limit;
    if (wanted * orders < LOOKUP_COST * matches * total) {
      return { rows: this.page(f, [...where, LIKE_SEARCH], { ...params, q: likePattern(q) }), total };
    }
    return { rows: this.page(f, where, { ...params, match }, INDEX_HITS), total };
  }

  private page(f: ListFilter, where: string[], params: Record<string, unknown>, from = 'orders'): OrderRow[] {
    const dir = f.sort === 'oldest' ? 'ASC' : 'DESC';
    const rows = this
      .stmt(`SELECT orders.* FROM ${from} ${whereSql(where)} ORDER BY created_at ${dir}, id ${dir} LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: f.limit, offset: f.offset }) as OrderDbRow[];
    return rows.map((r) => toRow(toRecord(r)));
  }

  counts(): Partial<Record<OrderState, number>> {
    const rows = this.stmt('SELECT state, count(*) AS n FROM orders GROUP BY state').all() as { state: OrderState; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** Ids of the orders in these states changed at or after `since` (ISO time); no row data read. */
  idsUpdatedSince(states: readonly OrderState[], since: string): Set<number> {
    const ids = this.stmt(`SELECT id FROM orders WHERE state IN (${states.map(() => '?').join(',')}) AND updated_at >= ?`)
      .pluck()
      .all(...states, since) as number[];
    return new Set(ids);
  }

  inStates(states: readonly OrderState[], storeId?: string): OrderRecord[] {
    const rows = this
      .stmt(`SELECT * FROM orders WHERE state IN (${states.map(() => '?').join(',')})${storeId ? ' AND store_id = ?' : ''} ORDER BY id`)
      .all(...states, ...(storeId ? [storeId] : [])) as OrderDbRow[];
    return rows.map(toRecord);
  }

  // ---- lines and files --------------------------------------------------

  replaceLines(orderId: number, lines: (OrderLine & { raw?: unknown })[]): void {
    this.db.transaction(() => {
      this.stmt('DELETE FROM order_lines WHERE order_id = ?').run(orderId);
      const ins = this.stmt(
        'INSERT INTO order_lines (order_id, job_id, sku, name, quantity, product_type, kind, attributes_json, line_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const l of lines) {
        ins.run(orderId, l.jobId, l.sku, l.name, l.quantity, l.productType, l.kind, JSON.stringify(l.attributes), l.raw === undefined ? null : JSON.stringify(l.raw));
      }
    })();
  }

  lines(orderId: number): OrderLine[] {
    return (this.stmt('SELECT * FROM order_lines WHERE order_id = ? ORDER BY rowid').all(orderId) as LineDbRow[]).map(toLine);
  }

  /** Records a print file's state; `error` is a message (shared/messages) or, for a service's own words, text. */
  upsertFile(f: { orderId: number; jobId: string; name: string; path: string; state: OrderFile['state']; bytes?: number | null; totalBytes?: number | null; sha256?: string | null; error?: MsgParam | null; deliveredUrl?: string | null }): number {
    const { error, ...rest } = f;
    this
      .stmt(
        `INSERT INTO files (order_id, job_id, name, path, state, bytes, total_bytes, sha256, error, error_msg_json, delivered_url, updated_at)
         VALUES (@orderId, @jobId, @name, @path, @state, @bytes, @totalBytes, @sha256, @error, @errorMsg, @deliveredUrl, @t)
         ON CONFLICT (order_id, job_id) DO UPDATE SET name = excluded.name, path = excluded.path, state = excluded.state,
           bytes = excluded.bytes, total_bytes = excluded.total_bytes, sha256 = excluded.sha256, error = excluded.error, error_msg_json = excluded.error_msg_json,
           delivered_url = coalesce(excluded.delivered_url, files.delivered_url), updated_at = excluded.updated_at`,
      )
      .run({
        bytes: null,
        totalBytes: null,
        sha256: null,
        deliveredUrl: null,
        ...rest,
        error: error === undefined || error === null ? null : paramText(error),
        errorMsg: isMsg(error) ? JSON.stringify(error) : null,
        t: now(),
      });
    return this.stmt('SELECT id FROM files WHERE order_id = ? AND job_id = ?').pluck().get(f.orderId, f.jobId) as number;
  }

  files(orderId: number): (OrderFile & { path: string; deliveredUrl: string | null })[] {
    const rows = this.stmt('SELECT * FROM files WHERE order_id = ? ORDER BY id').all(orderId) as {
      id: number; job_id: string; name: string; path: string; state: OrderFile['state']; bytes: number | null; total_bytes: number | null; sha256: string | null; error: string | null; error_msg_json: string | null; delivered_url: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      lineId: r.job_id,
      name: r.name,
      path: r.path,
      state: r.state,
      bytes: r.bytes,
      totalBytes: r.total_bytes,
      sha256: r.sha256,
      error: r.error,
      errorMsg: r.error_msg_json ? (JSON.parse(r.error_msg_json) as Msg) : null,
      deliveredUrl: r.delivered_url,
    }));
  }

  fileById(id: number): { id: number; orderId: number; path: string; name: string; state: string } | undefined {
    return this.stmt('SELECT id, order_id AS orderId, path, name, state FROM files WHERE id = ?').get(id) as
      | { id: number; orderId: number; path: string; name: string; state: string }
      | undefined;
  }

  tracking(orderId: number): { code: string; url: string | null; carrier: string | null }[] {
    return this.stmt('SELECT code, url, carrier FROM tracking WHERE order_id = ? ORDER BY created_at, code').all(orderId) as {
      code: string; url: string | null; carrier: string | null;
    }[];
  }

  // ---- named queries --------------------------------------------------------

  /**
   * How many orders need a person: the one count behind the badge, the tray, the
   * health model and the order log's "Needs attention" filter.
   */
  attentionCount(): number {
    return this.stmt(ATTENTION_COUNT_SQL).pluck().get() as number;
  }

  countInStore(storeId: string): number {
    return this.stmt('SELECT count(*) FROM orders WHERE store_id = ?').pluck().get(storeId) as number;
  }

  newestIds(limit: number): number[] {
    return this.stmt('SELECT id FROM orders ORDER BY id DESC LIMIT ?').pluck().all(limit) as number[];
  }

  idsCreatedSince(since: string, limit: number): number[] {
    return this.stmt('SELECT id FROM orders WHERE created_at >= ? ORDER BY id DESC LIMIT ?').pluck().all(since, limit) as number[];
  }

  /** A store's orders with the highest Infigo ids (the newest placed). */
  newestOfStore(storeId: string, limit: number): { id: number; infigoOrderId: number }[] {
    return this.stmt('SELECT id, infigo_order_id AS infigoOrderId FROM orders WHERE store_id = ? ORDER BY infigo_order_id DESC LIMIT ?').all(storeId, limit) as {
      id: number;
      infigoOrderId: number;
    }[];
  }

  /** Orders in a state carrying one of these attention codes, newest first; the reason as text and, where written as one, as a message. */
  withAttentionCode(codes: readonly string[], opts: { state?: string; limit: number }): { infigoOrderId: number; storeId: string; code: string; reason: string; msg: Msg | null }[] {
    const rows = this.stmt(
      `SELECT infigo_order_id AS infigoOrderId, store_id AS storeId, attention_code AS code, attention_reason AS reason, attention_msg_json AS msgJson FROM orders
       WHERE ${opts.state ? 'state = ? AND ' : ''}attention_code IN (${codes.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT ?`,
    ).all(...(opts.state ? [opts.state] : []), ...codes, opts.limit) as { infigoOrderId: number; storeId: string; code: string; reason: string; msgJson: string | null }[];
    return rows.map(({ msgJson, ...r }) => ({ ...r, msg: msgJson ? (JSON.parse(msgJson) as Msg) : null }));
  }

  /** Orders GelatoConnect failed for a reason that mentions their files (the reason as text and, where written as one, as a message). */
  failedForFiles(limit: number): { infigoOrderId: number; storeId: string; reason: string; msg: Msg | null }[] {
    const rows = this.stmt(
      "SELECT infigo_order_id AS infigoOrderId, store_id AS storeId, attention_reason AS reason, attention_msg_json AS msgJson FROM orders WHERE state = 'failed' AND attention_reason LIKE '%file%' ORDER BY id DESC LIMIT ?",
    ).all(limit) as { infigoOrderId: number; storeId: string; reason: string; msgJson: string | null }[];
    return rows.map(({ msgJson, ...r }) => ({ ...r, msg: msgJson ? (JSON.parse(msgJson) as Msg) : null }));
  }

  /** Puts a visible marker on an order whose state stays as it is, with its timeline event, in one transaction. */
  mark(id: number, code: string, reason: string | Msg): OrderRecord | undefined {
    return this.db.transaction(() => {
      const { attention_reason: text, attention_msg_json: msgJson } = attentionColumns(reason);
      this.stmt("UPDATE orders SET attention_code = ?, attention_reason = ?, attention_msg_json = ?, updated_at = ?, search_text = search_text || ' ' || lower(?) WHERE id = ?").run(code, text, msgJson, now(), text, id);
      this.addEvent(id, code, 'error', reason);
      return this.byId(id);
    })();
  }

  /** GelatoConnect's status of an order whose state does not change with it. */
  setGelatoStatus(id: number, status: string): void {
    this.stmt('UPDATE orders SET gelato_status = ?, updated_at = ? WHERE id = ?').run(status, now(), id);
  }

  /**
   * A deliberate new submission after GelatoConnect failed the order: the new reference, the
   * outbox entry of the old one dropped, and the move back to `discovered` with its event,
   * in one transaction.
   */
  resubmit(id: number, reference: string, dropOutbox: () => void, event: TimelineEntry): OrderRecord {
    return this.db.transaction(() => {
      dropOutbox();
      this.stmt('UPDATE orders SET order_reference_id = ?, gelato_order_id = NULL, gelato_status = NULL WHERE id = ?').run(reference, id);
      return this.transition(id, 'discovered', event, { attentionCode: null, attentionReason: null });
    })();
  }

  // ---- timeline -------------------------------------------------------------

  /** The newest event kinds of an order, newest first, leaving out one kind (e.g. retries). */
  recentEventKinds(orderId: number, limit: number, except: string): string[] {
    return this.stmt('SELECT kind FROM events WHERE order_id = ? AND kind != ? ORDER BY id DESC LIMIT ?').pluck().all(orderId, except, limit) as string[];
  }

  /** When an order last had an event of this kind. */
  lastEventAt(orderId: number, kind: string): string | undefined {
    return this.stmt('SELECT at FROM events WHERE order_id = ? AND kind = ? ORDER BY id DESC LIMIT 1').pluck().get(orderId, kind) as string | undefined;
  }

  eventCount(kind: string): number {
    return this.stmt('SELECT count(*) FROM events WHERE kind = ?').pluck().get(kind) as number;
  }

  // ---- lines ------------------------------------------------------------------

  /** Lines of several orders with the raw Infigo line each was read from. */
  linesWithRaw(orderIds: number[]): (OrderLine & { orderId: number; raw: unknown })[] {
    if (!orderIds.length) return [];
    const rows = this.stmt(
      `SELECT * FROM order_lines WHERE order_id IN (${orderIds.map(() => '?').join(',')}) ORDER BY order_id, rowid`,
    ).all(...orderIds) as (LineDbRow & { order_id: number; line_json: string | null })[];
    return rows.map((r) => ({ ...toLine(r), orderId: r.order_id, raw: r.line_json ? JSON.parse(r.line_json) : null }));
  }

  /** Printable lines grouped by SKU and attributes: how often each was ordered and when last. */
  printableSkus(limit: number): { sku: string | null; attributesJson: string; count: number; last: string }[] {
    return this.stmt(
      `SELECT l.sku, l.attributes_json AS attributesJson, count(*) AS count, max(o.created_at) AS last
       FROM order_lines l JOIN orders o ON o.id = l.order_id
       WHERE l.kind = 'printable' GROUP BY l.sku, l.attributes_json ORDER BY count DESC LIMIT ?`,
    ).all(limit) as { sku: string | null; attributesJson: string; count: number; last: string }[];
  }

  // ---- files --------------------------------------------------------------------

  /** Forgets an order's print files (their rows; the caller removes them from disk). */
  deleteFiles(orderId: number): void {
    this.stmt('DELETE FROM files WHERE order_id = ?').run(orderId);
  }

  downloadedFileCount(): number {
    return this.stmt("SELECT count(*) FROM files WHERE state = 'downloaded'").pluck().get() as number;
  }

  /** Print files that failed, or are waiting after an error, newest first. */
  filesWithProblems(limit: number): { name: string; jobId: string; state: string; error: string | null; errorMsg: Msg | null; infigoOrderId: number; storeId: string }[] {
    const rows = this.stmt(
      `SELECT f.name, f.job_id AS jobId, f.state, f.error, f.error_msg_json AS msgJson, o.infigo_order_id AS infigoOrderId, o.store_id AS storeId FROM files f JOIN orders o ON o.id = f.order_id
       WHERE f.state = 'failed' OR (f.state = 'pending' AND f.error IS NOT NULL) ORDER BY f.updated_at DESC LIMIT ?`,
    ).all(limit) as { name: string; jobId: string; state: string; error: string | null; msgJson: string | null; infigoOrderId: number; storeId: string }[];
    return rows.map(({ msgJson, ...r }) => ({ ...r, errorMsg: msgJson ? (JSON.parse(msgJson) as Msg) : null }));
  }

  // ---- tracking -----------------------------------------------------------------

  /** Tracking codes in the order GelatoConnect reported them ("the first parcel" first). */
  trackingByArrival(orderId: number): { code: string; url: string | null; carrier: string | null }[] {
    return this.stmt('SELECT code, url, carrier FROM tracking WHERE order_id = ? ORDER BY rowid').all(orderId) as { code: string; url: string | null; carrier: string | null }[];
  }

  /** Keeps every package's tracking code (filling in what an earlier report lacked); returns the codes that are new. */
  addTracking(orderId: number, tracking: { code: string | null; url: string | null; carrier?: string | null; packageId: string | null }[]): string[] {
    const added: string[] = [];
    const ins = this.stmt('INSERT INTO tracking (order_id, code, url, carrier, package_id, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
    const fill = this.stmt('UPDATE tracking SET url = coalesce(url, ?), carrier = coalesce(carrier, ?), package_id = coalesce(package_id, ?) WHERE order_id = ? AND code = ?');
    for (const t of tracking) {
      if (!t.code) continue;
      if (ins.run(orderId, t.code, t.url, t.carrier ?? null, t.packageId, now()).changes) added.push(t.code);
      else fill.run(t.url, t.carrier ?? null, t.packageId, orderId, t.code);
    }
    return added;
  }

  // ---- statistics -----------------------------------------------------------------

  /** Orders per UTC day since `since`, and how many of them are held or failed. */
  perDay(since: string): { day: string; orders: number; failures: number }[] {
    return this.stmt(
      `SELECT substr(created_at, 1, 10) AS day, count(*) AS orders,
              sum(CASE WHEN state IN ('needs_attention', 'failed') THEN 1 ELSE 0 END) AS failures
       FROM orders WHERE created_at >= ? GROUP BY day`,
    ).all(since) as { day: string; orders: number; failures: number }[];
  }
}

interface LineDbRow {
  job_id: string;
  sku: string | null;
  name: string | null;
  quantity: number;
  product_type: number | null;
  kind: OrderLine['kind'];
  attributes_json: string;
}

const toLine = (r: LineDbRow): OrderLine => ({
  jobId: r.job_id,
  sku: r.sku,
  name: r.name,
  quantity: r.quantity,
  productType: r.product_type,
  kind: r.kind,
  attributes: JSON.parse(r.attributes_json) as Record<string, string>,
});
