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

/** GelatoConnect product UIDs are lower-case words joined by underscores, e.g. flat_product_pf_a4_pt_200-gsm-coated-silk_cl_4-4_ver. */
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
  removed: EditRow[];
  unchanged: number;
}

/** An import replaces the whole set: rows missing from the file are removed. */
export function diffRows(current: EditRow[], incoming: EditRow[]): ImportDiff {
  const cur = new Map(current.map((r) => [rowKey(r), r]));
  const diff: ImportDiff = { added: [], changed: [], removed: [], unchanged: 0 };
  const seen = new Set<string>();
  for (const r of incoming) {
    const k = rowKey(r);
    seen.add(k);
    const before = cur.get(k);
    if (!before) diff.added.push(r);
    else if (target(before) !== target(r)) diff.changed.push({ before, after: r });
    else diff.unchanged++;
  }
  for (const [k, r] of cur) if (!seen.has(k)) diff.removed.push(r);
  return diff;
}

/** Maps a config problem path like "products[3].productUid" to the row it concerns. */
export function problemRow(path: string): number | null {
  const m = /^products\[(\d+)\]/.exec(path);
  return m ? Number(m[1]) : null;
}
