import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config';
import {
  applyImport,
  diffRows,
  fromCsvRecords,
  fromProducts,
  hasErrors,
  parsePairs,
  problemRow,
  PRODUCT_UID_RE,
  toProducts,
  validateRows,
  type EditRow,
} from '../../renderer/src/mappings/model';
import { slugify } from '../../renderer/src/setup/endpoints';

const t = (key: string, opts?: Record<string, unknown>) => (opts ? `${key} ${JSON.stringify(opts)}` : key);
const row = (p: Partial<EditRow>): EditRow => ({ rowId: Math.random().toString(36), sku: '', attributes: '', mode: 'uid', productUid: '', productName: '', productVariant: '', attributeMap: '', ...p });

describe('mappings editor model', () => {
  it('accepts GelatoConnect-style product UIDs and rejects others', () => {
    expect(PRODUCT_UID_RE.test('flat_product_pf_a4_pt_200-gsm-coated-silk_cl_4-4_ver')).toBe(true);
    expect(PRODUCT_UID_RE.test('cards_pf_bx_pt_110-lb-cover-uncoated_cl_4-0_hor')).toBe(true);
    for (const bad of ['Flat_Product', 'flat product', 'flat', '_flat_a4', 'flat__a4', 'flat_a4_']) expect(PRODUCT_UID_RE.test(bad), bad).toBe(false);
  });

  it('reports missing fields, bad UIDs, bad pairs and duplicates per row', () => {
    const errs = validateRows(
      [
        row({ sku: 'BC', productUid: 'flat_product_a4' }),
        row({ sku: '', productUid: 'Not A Uid' }),
        row({ sku: 'bc', attributes: '', productUid: 'flat_product_a5' }),
        row({ sku: 'FLY', mode: 'name', productName: '', productVariant: 'Paper' }),
        row({ sku: 'FLY', attributes: 'Paper=Silk;oops', productUid: 'x_y' }),
      ],
      t,
    );
    expect(errs[0]).toEqual({});
    expect(Object.keys(errs[1]!).sort()).toEqual(['productUid', 'sku']);
    expect(errs[1]!.productUid).toBe('mappings.err.uidFormat');
    // SKU matching is case-insensitive, as in the engine's mappingKey.
    expect(errs[2]!.sku).toContain('mappings.err.duplicate');
    expect(Object.keys(errs[3]!).sort()).toEqual(['productName', 'productVariant']);
    expect(errs[4]!.attributes).toContain('oops');
    expect(hasErrors(errs)).toBe(true);
    expect(hasErrors([{}, {}])).toBe(false);
  });

  it('round-trips config.products and produces a config the schema accepts', () => {
    const products = [
      { sku: 'BC-85x55-400', productUid: 'flat_product_pf_bc_pt_400-gsm' },
      { sku: 'FLYER', attributes: { Paper: 'Silk' }, productName: 'Flyer', productVariant: { Paper: 'Silk 170gsm' } },
      // attributeMap must survive an edit: losing it would silently change what is produced.
      { sku: 'FLYER-A5', productName: 'Flyer A5', productVariant: {}, attributeMap: { Paper: 'Paper', Sides: 'Sides' } },
    ];
    const rows = fromProducts(products);
    expect(rows.map((r) => r.mode)).toEqual(['uid', 'name', 'name']);
    expect(toProducts(rows)).toEqual(products);
    expect(parseConfig({ products: toProducts(rows) }).ok).toBe(true);
  });

  it('diffs a CSV import against the current rows (added, changed, removed)', () => {
    const current = fromProducts([
      { sku: 'A', productUid: 'a_one' },
      { sku: 'B', productUid: 'b_one' },
      { sku: 'C', productUid: 'c_one' },
    ]);
    const incoming = fromCsvRecords([
      { sku: 'A', productUid: 'a_one' },
      { sku: 'B', productUid: 'b_two' },
      { sku: 'D', attributes: 'Size=A4', productName: 'Dee', productVariant: 'Size=A4' },
    ]);
    const d = diffRows(current, incoming);
    expect(d.unchanged).toBe(1);
    expect(d.changed.map((c) => c.after.sku)).toEqual(['B']);
    expect(d.added.map((r) => r.sku)).toEqual(['D']);
    expect(d.added[0]!.mode).toBe('name');
    expect(d.removed.map((r) => r.sku)).toEqual(['C']);
  });

  it('merges a CSV import: updates shared rows, adds new ones, keeps the rest (and says which)', () => {
    const current = fromProducts([
      { sku: 'A', productUid: 'a_one' },
      { sku: 'B', productUid: 'b_one' },
      { sku: 'C', productUid: 'c_one' },
    ]);
    const incoming = fromCsvRecords([
      { sku: 'D', productUid: 'd_one' },
      { sku: 'b', productUid: 'b_two' },
      { sku: 'A', productUid: 'a_one' },
    ]);
    const d = diffRows(current, incoming, 'merge');
    expect(d.added.map((r) => r.sku)).toEqual(['D']);
    expect(d.changed.map((c) => [c.before.productUid, c.after.productUid])).toEqual([['b_one', 'b_two']]);
    expect(d.removed).toEqual([]);
    expect(d.kept.map((r) => r.sku)).toEqual(['C']);
    expect(d.unchanged).toBe(1);
    const merged = applyImport(current, incoming, 'merge');
    // The table's order and its SKUs as typed stay; the file's target wins; new rows go last.
    expect(merged.map((r) => [r.sku, r.productUid])).toEqual([
      ['A', 'a_one'],
      ['B', 'b_two'],
      ['C', 'c_one'],
      ['D', 'd_one'],
    ]);
    expect(merged[1]!.rowId).toBe(current[1]!.rowId);
    // Replace: the file is the whole table.
    const r = diffRows(current, incoming, 'replace');
    expect(r.removed.map((x) => x.sku)).toEqual(['C']);
    expect(r.kept).toEqual([]);
    expect(applyImport(current, incoming, 'replace').map((x) => x.sku)).toEqual(['D', 'b', 'A']);
  });

  it('maps a problem path to its row', () => {
    expect(problemRow('products[3].productUid')).toBe(3);
    expect(problemRow('stores[0].id')).toBeNull();
    expect(parsePairs(' Paper = Silk ; Size=A4 ;')).toEqual({ ok: true, value: { Paper: 'Silk', Size: 'A4' } });
  });
});

describe('setup helpers', () => {
  it('makes store ids the config accepts', () => {
    expect(slugify('Acme Storefront')).toBe('acme-storefront');
    expect(slugify('Café Stampa')).toBe('cafe-stampa');
    expect(slugify('!!!')).toBe('store');
  });
});
