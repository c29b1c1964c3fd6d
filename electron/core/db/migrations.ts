// Versioned, append-only migrations. A released migration is never edited:
// a change to the schema is a new entry, so every older database can be
// brought forward step by step (tested from each earlier version).

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'stores, orders, lines, files, timeline events, outbox, sync runs, settings',
    sql: `
      CREATE TABLE stores (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE orders (
        id INTEGER PRIMARY KEY,
        store_id TEXT NOT NULL,
        infigo_order_id INTEGER NOT NULL,
        order_reference_id TEXT NOT NULL,
        state TEXT NOT NULL,
        resume_state TEXT,
        attention_code TEXT,
        attention_reason TEXT,
        gelato_order_id TEXT,
        gelato_status TEXT,
        customer_name TEXT,
        country TEXT,
        infigo_created_at TEXT,
        infigo_json TEXT,
        payload_json TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (store_id, infigo_order_id)
      );
      CREATE INDEX orders_state_updated ON orders (state, updated_at);
      CREATE INDEX orders_created ON orders (created_at);
      CREATE TABLE order_lines (
        order_id INTEGER NOT NULL REFERENCES orders (id),
        job_id TEXT NOT NULL,
        sku TEXT,
        name TEXT,
        quantity INTEGER NOT NULL,
        product_type INTEGER,
        kind TEXT NOT NULL,
        attributes_json TEXT NOT NULL DEFAULT '{}',
        line_json TEXT,
        PRIMARY KEY (order_id, job_id)
      );
      CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        order_id INTEGER NOT NULL REFERENCES orders (id),
        job_id TEXT NOT NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        state TEXT NOT NULL,
        bytes INTEGER,
        total_bytes INTEGER,
        sha256 TEXT,
        error TEXT,
        delivered_url TEXT,
        updated_at TEXT NOT NULL,
        UNIQUE (order_id, job_id)
      );
      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        order_id INTEGER REFERENCES orders (id),
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        outcome TEXT NOT NULL,
        message TEXT NOT NULL,
        detail_json TEXT
      );
      CREATE INDEX events_order ON events (order_id, id);
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        order_id INTEGER REFERENCES orders (id),
        kind TEXT NOT NULL,
        dedupe_key TEXT NOT NULL UNIQUE,
        payload_json TEXT NOT NULL,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
      CREATE TABLE sync_runs (
        id INTEGER PRIMARY KEY,
        trigger TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        ok INTEGER,
        discovered INTEGER NOT NULL DEFAULT 0,
        submitted INTEGER NOT NULL DEFAULT 0,
        needs_attention INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        errors_json TEXT NOT NULL DEFAULT '[]'
      );
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'tracking packages, durable postback inbox, search text for the order log',
    sql: `
      CREATE TABLE tracking (
        order_id INTEGER NOT NULL REFERENCES orders (id),
        code TEXT NOT NULL,
        url TEXT,
        carrier TEXT,
        package_id TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (order_id, code)
      );
      CREATE TABLE postbacks (
        id INTEGER PRIMARY KEY,
        dedupe_key TEXT NOT NULL UNIQUE,
        received_at TEXT NOT NULL,
        order_reference_id TEXT,
        status TEXT,
        body_json TEXT NOT NULL,
        applied_at TEXT,
        result TEXT
      );
      ALTER TABLE orders ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
      UPDATE orders SET search_text = lower(
        order_reference_id || ' ' || infigo_order_id || ' ' || coalesce(gelato_order_id, '') || ' ' ||
        coalesce(customer_name, '') || ' ' || coalesce(attention_reason, ''));
      CREATE INDEX orders_store_created ON orders (store_id, created_at);
    `,
  },
  {
    version: 3,
    description: 'indexes for lookups by reference (postbacks, exactly-once checks) and the order log filtered by state',
    sql: `
      CREATE INDEX orders_reference ON orders (order_reference_id);
      CREATE INDEX orders_state_created ON orders (state, created_at);
      CREATE INDEX orders_attention ON orders (attention_code) WHERE attention_code IS NOT NULL;
      CREATE INDEX outbox_order ON outbox (order_id);
      CREATE INDEX postbacks_reference ON postbacks (order_reference_id);
    `,
  },
  {
    version: 4,
    description: 'trigram index over the order log search text, kept in step with orders by triggers',
    // The index must answer exactly what `search_text LIKE '%q%'` answers (see
    // orders-repo list()), so it holds the text as LIKE sees it: cut at the first
    // NUL (LIKE stops there; the tokenizer would skip it) and ASCII-lowercased
    // (LIKE folds ASCII case only), with a case-sensitive tokenizer so no other
    // folding happens. Contentless with delete support: the text is already in
    // orders, and rows are removed by id without having to repeat the old text.
    // The update trigger fires only when the text really changes, so the sync's
    // many state transitions (which rewrite search_text with the same value) never
    // touch the index.
    sql: `
      CREATE VIRTUAL TABLE orders_search USING fts5(
        text, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1'
      );
      INSERT INTO orders_search (rowid, text)
        SELECT id, lower(CASE WHEN instr(search_text, char(0)) > 0 THEN substr(search_text, 1, instr(search_text, char(0)) - 1) ELSE search_text END) FROM orders;
      CREATE TRIGGER orders_search_insert AFTER INSERT ON orders BEGIN
        INSERT INTO orders_search (rowid, text) VALUES (new.id, lower(CASE WHEN instr(new.search_text, char(0)) > 0 THEN substr(new.search_text, 1, instr(new.search_text, char(0)) - 1) ELSE new.search_text END));
      END;
      CREATE TRIGGER orders_search_update AFTER UPDATE OF id, search_text ON orders
        WHEN old.id IS NOT new.id OR old.search_text IS NOT new.search_text BEGIN
        DELETE FROM orders_search WHERE rowid = old.id;
        INSERT INTO orders_search (rowid, text) VALUES (new.id, lower(CASE WHEN instr(new.search_text, char(0)) > 0 THEN substr(new.search_text, 1, instr(new.search_text, char(0)) - 1) ELSE new.search_text END));
      END;
      CREATE TRIGGER orders_search_delete AFTER DELETE ON orders BEGIN
        DELETE FROM orders_search WHERE rowid = old.id;
      END;
    `,
  },
  {
    version: 5,
    description: 'an install that was already syncing counts as activated (gone live) at its first order, each store cut over at its newest known order',
    // Before version 5 there was no activation: a configured install synced at once. Such an
    // install keeps syncing after the upgrade: it is recorded as activated when its first order
    // arrived, and each store's cut-over is the newest Infigo order it already knew (all of
    // those are in the database already, so nothing is re-sent or newly held). A fresh install
    // (no orders) stays unactivated until the admin activates it (electron/core/golive).
    sql: `
      INSERT INTO settings (key, value_json)
        SELECT 'golive.activation', json_object('activatedAt', (SELECT min(created_at) FROM orders), 'by', 'migration')
        WHERE EXISTS (SELECT 1 FROM orders)
        ON CONFLICT (key) DO NOTHING;
      INSERT INTO settings (key, value_json)
        SELECT 'golive.cutover.' || store_id,
               json_object('newestInfigoOrderId', max(infigo_order_id), 'newestCreatedOnUtc', NULL, 'takenAt', min(created_at), 'by', 'migration')
        FROM orders WHERE true GROUP BY store_id
        ON CONFLICT (key) DO NOTHING;
    `,
  },
  {
    version: 6,
    description: 'engine messages as codes with parameters beside their English text (timeline events, held-order reasons)',
    // The text columns keep the English wording (the log, the search index and older
    // versions read them); the *_msg_json columns hold the message key and parameters
    // (shared/messages) so each face can show it in its person's language. Rows written
    // before this version have no message and are shown as their text.
    sql: `
      ALTER TABLE events ADD COLUMN msg_json TEXT;
      ALTER TABLE orders ADD COLUMN attention_msg_json TEXT;
    `,
  },
  {
    version: 7,
    description: "a print file's error as a message beside its English text",
    // As version 6 for events and reasons: `error` keeps the English, `error_msg_json` the
    // message key and parameters (shared/messages); older rows are shown as their text.
    sql: `
      ALTER TABLE files ADD COLUMN error_msg_json TEXT;
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
