import { mappingKey } from '../../../shared/config';

// Pure model of the mappings editor: rows as the person edits them, conversion to and
// from config.products and CSV, validation and the import diff. No React, so it is
// unit-testable.

export interface EditRow {
  rowId: string;
  sku: string;
  /** "Name=Value; Name=Value" */
  attributes: string;
  mode: 'uid' | 'name';
  productUid: string;
  productName: string;
  /** "Option=Value; Option=Value" */
  productVariant: string;
  /** "InfigoAttribute=VariantOption; …": option values copied from the order line (name mode only). */
  attributeMap: string;
}

export type RowErrors = Partial<Record<'sku' | 'attributes' | 'productUid' | 'productName' | 'productVariant' | 'attributeMap', string>>;

/**
 * The format check of a product UID: GelatoConnect product UIDs are lower-case words joined by
 * underscores, e.g. flat_product_pf_a4_pt_200-gsm-coated-silk_cl_4-4_ver. It is the only check
 * there is: GelatoConnect's Order Intake API documents no product catalogue or lookup (see
 * ../shared/reference/gelatoconnect-api.md §5), so a UID in the right format that GelatoConnect
 * does not know shows up only when it fails the order. The editor says so next to the table.
 */
export const PRODUCT_UID_RE = /^[a-z0-9][a-z0-9.-]*(?:_[a-z0-9][a-z0-9.-]*)+$/;

let seq = 0;
export const newRowId = () => `r${++seq}`;

export function parsePairs(text: string): { ok: true; value: Record<string, string> } | { ok: false; bad: string } {
  const out: Record<string, string> = {};
  for (const part of text.split(';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq <= 0 || eq === p.length - 1) return { ok: false, bad: p };
    out[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
  }
  return { ok: true, value: out };
}

export function formatPairs(rec: Record<string, string> | undefined): string {
  return Object.entries(rec ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

export function fromProducts(products: unknown): EditRow[] {
  if (!Array.isArray(products)) return [];
  return products.map((p: Record<string, unknown>) => {
    const uid = typeof p.productUid === 'string' ? p.productUid : '';
    return {
      rowId: newRowId(),
      sku: typeof p.sku === 'string' ? p.sku : '',
      attributes: formatPairs(p.attributes as Record<string, string> | undefined),
      mode: uid || typeof p.productName !== 'string' ? 'uid' : 'name',
      productUid: uid,
      productName: typeof p.productName === 'string' ? p.productName : '',
      productVariant: formatPairs(p.productVariant as Record<string, string> | undefined),
      attributeMap: formatPairs(p.attributeMap as Record<string, string> | undefined),
    };
  });
}

export interface KeyFn {
  (key: string, opts?: Record<string, unknown>): string;
}

/** Validates every row; duplicates are reported on the second and later occurrences. */
export function validateRows(rows: EditRow[], t: KeyFn): RowErrors[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const e: RowErrors = {};
    if (!r.sku.trim()) e.sku = t('mappings.err.skuRequired');
    const attrs = parsePairs(r.attributes);
    if (!attrs.ok) e.attributes = t('mappings.err.pairs', { bad: attrs.bad });
    if (r.mode === 'uid') {
      if (!r.productUid.trim()) e.productUid = t('mappings.err.uidRequired');
      else if (!PRODUCT_UID_RE.test(r.productUid.trim())) e.productUid = t('mappings.err.uidFormat');
    } else {
      if (!r.productName.trim()) e.productName = t('mappings.err.nameRequired');
      const v = parsePairs(r.productVariant);
      if (!v.ok) e.productVariant = t('mappings.err.pairs', { bad: v.bad });
      const m = parsePairs(r.attributeMap);
      if (!m.ok) e.attributeMap = t('mappings.err.pairs', { bad: m.bad });
    }
    if (r.sku.trim() && attrs.ok) {
      const key = mappingKey(r.sku.trim(), attrs.value);
      const firstIdx = seen.get(key);
      if (firstIdx !== undefined) e.sku = t('mappings.err.duplicate', { row: firstIdx + 1 });
      else seen.set(key, rows.indexOf(r));
    }
    return e;
  });
}

export function hasErrors(errs: RowErrors[]): boolean {
  return errs.some((e) => Object.keys(e).length > 0);
}

export function toProducts(rows: EditRow[]): Record<string, unknown>[] {
  return rows.map((r) => {
    const attrs = parsePairs(r.attributes);
    const base: Record<string, unknown> = { sku: r.sku.trim() };
    if (attrs.ok && Object.keys(attrs.value).length) base.attributes = attrs.value;
    if (r.mode === 'uid') return { ...base, productUid: r.productUid.trim() };
    const v = parsePairs(r.productVariant);
    const m = parsePairs(r.attributeMap);
    return {
      ...base,
      productName: r.productName.trim(),
      productVariant: v.ok ? v.value : {},
      ...(m.ok && Object.keys(m.value).length ? { attributeMap: m.value } : {}),
    };
  });
}

export const CSV_COLUMNS = ['sku', 'attributes', 'productUid', 'productName', 'productVariant', 'attributeMap'] as const;

export function toCsvRecords(rows: EditRow[]): Record<(typeof CSV_COLUMNS)[number], string>[] {
  return rows.map((r) => ({
    sku: r.sku,
    attributes: r.attributes,
    productUid: r.mode === 'uid' ? r.productUid : '',
    productName: r.mode === 'name' ? r.productName : '',
    productVariant: r.mode === 'name' ? r.productVariant : '',
    attributeMap: r.mode === 'name' ? r.attributeMap : '',
  }));
}

export function fromCsvRecords(records: Record<string, string | undefined>[]): EditRow[] {
  return records.map((rec) => {
    const uid = (rec.productUid ?? '').trim();
    const name = (rec.productName ?? '').trim();
    return {
      rowId: newRowId(),
      sku: (rec.sku ?? '').trim(),
      attributes: (rec.attributes ?? '').trim(),
      mode: uid || !name ? 'uid' : 'name',
      productUid: uid,
      productName: name,
      productVariant: (rec.productVariant ?? '').trim(),
      attributeMap: (rec.attributeMap ?? '').trim(),
    };
  });
}

export function rowKey(r: EditRow): string {
  const a = parsePairs(r.attributes);
  return mappingKey(r.sku.trim(), a.ok ? a.value : {});
}

function target(r: EditRow): string {
  const norm = (text: string) => {
    const p = parsePairs(text);
    return p.ok ? formatPairs(p.value) : text;
  };
  return r.mode === 'uid' ? `uid:${r.productUid.trim()}` : `name:${r.productName.trim()}|${norm(r.productVariant)}|${norm(r.attributeMap)}`;
}

export interface ImportDiff {
  added: EditRow[];
  changed: { before: EditRow; after: EditRow }[];
  /** Replace: current rows the file does not have, which go. */
  removed: EditRow[];
  /** Merge: current rows the file does not have, which stay as they are. */
  kept: EditRow[];
  unchanged: number;
}

/**
 * How an import meets the table: `replace` makes the file the whole table (rows missing from it
 * go); `merge` adds the file's new rows and updates the ones it shares with the table (by SKU and
 * attributes), and keeps every row the file does not mention.
 */
export type ImportMode = 'merge' | 'replace';

/** What applying `incoming` in `mode` would do to `current`, row by row. */
export function diffRows(current: EditRow[], incoming: EditRow[], mode: ImportMode = 'replace'): ImportDiff {
  const cur = new Map(current.map((r) => [rowKey(r), r]));
  const diff: ImportDiff = { added: [], changed: [], removed: [], kept: [], unchanged: 0 };
  const seen = new Set<string>();
  for (const r of incoming) {
    const k = rowKey(r);
    seen.add(k);
    const before = cur.get(k);
    if (!before) diff.added.push(r);
    else if (target(before) !== target(r)) diff.changed.push({ before, after: r });
    else diff.unchanged++;
  }
  for (const [k, r] of cur) if (!seen.has(k)) (mode === 'replace' ? diff.removed : diff.kept).push(r);
  return diff;
}

/**
 * The table after the import. Replace: the file's rows, in its order. Merge: the table's rows in
 * their order, each one the file also has taking the file's target (SKU and attributes as typed
 * in the table stay), then the file's new rows in its order.
 */
export function applyImport(current: EditRow[], incoming: EditRow[], mode: ImportMode): EditRow[] {
  if (mode === 'replace') return incoming;
  const byKey = new Map(incoming.map((r) => [rowKey(r), r]));
  const used = new Set<string>();
  const merged = current.map((r) => {
    const k = rowKey(r);
    const next = byKey.get(k);
    if (!next) return r;
    used.add(k);
    return { ...next, rowId: r.rowId, sku: r.sku, attributes: r.attributes };
  });
  return [...merged, ...incoming.filter((r) => !used.has(rowKey(r)))];
}

/** Maps a config problem path like "products[3].productUid" to the row it concerns. */
export function problemRow(path: string): number | null {
  const m = /^products\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : null;
}
