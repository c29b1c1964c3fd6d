import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../shared/config';
import { classifyLine, globToRegExp } from '../../shared/domain/classify';
import { convertOrder, type ConvertInput } from '../../shared/domain/convert';
import type { OrderLine } from '../../shared/domain/order-line';
import { orderReferenceId, resubmissionOf } from '../../shared/domain/reference';
import { canTransition } from '../../shared/domain/order-state';
import { insideRoot, printFilePath, safeFileName } from '../../electron/core/files/safe-names';
import { renderMsg } from '../../electron/core/i18n';

const config = ConfigSchema.parse({
  products: [
    { sku: 'BC', attributes: { Paper: 'Silk' }, productUid: 'cards_silk' },
    { sku: 'BC', attributes: { Paper: 'Matt' }, productUid: 'cards_matt' },
    { sku: 'FLYER', productName: 'Flyer', productVariant: { Size: 'A5' }, attributeMap: { Paper: 'Paper stock' } },
    { sku: 'POSTER', productUid: 'poster_a2' },
  ],
  shipping: { methods: { 'First Class': 'standard', Express: 'express' } },
});

const address = {
  FirstName: 'Łukasz', LastName: 'Żółć', CompanyName: '', AddressLine1: 'ul. Długa 5', AddressLine2: '', Town: 'Kraków',
  ZipPostalCode: '30-001', StateProvince: '', Country: 'Poland', Telephone: '', FaxNumber: '', Email: 'l@example.pl', CountryCode: 'PL',
};

function line(over: Partial<OrderLine>): OrderLine {
  return { jobId: 's1', sku: 'POSTER', name: 'Poster', quantity: 1, productType: 30, kind: 'printable', attributes: {}, ...over };
}

function input(lines: OrderLine[], over: Partial<ConvertInput> = {}): ConvertInput {
  return {
    store: { id: 'acme', gelatoCustomerReferenceId: 'acme-ltd', currency: 'GBP' },
    order: { Id: 10, ShippingMethod: 'First Class', ShippingAddress: address, PurchaseOrderNumber: 'PO-1', CurrencyCode: null },
    lines,
    config,
    orderReferenceId: 'PL-acme-10',
    fileUrls: { s1: 'https://x/1.pdf', s2: 'https://x/2.pdf' },
    ...over,
  };
}

describe('Infigo order → GelatoConnect payload', () => {
  it('maps products by SKU and attributes, copies variant attributes, tags the customer and resolves the country name', () => {
    const r = convertOrder(input([line({ jobId: 's1', sku: 'BC', attributes: { paper: 'matt' } }), line({ jobId: 's2', sku: 'FLYER', attributes: { Paper: '170gsm Silk' } })]));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.payload.customerReferenceId).toBe('acme-ltd');
    expect(r.payload.preventDuplicate).toBe(true);
    expect(r.payload.shipmentMethodUid).toBe('standard');
    expect(r.payload.shippingAddress).toMatchObject({ country: 'PL', firstName: 'Łukasz', city: 'Kraków', postCode: '30-001' });
    expect(r.payload.items[0]).toMatchObject({ productUid: 'cards_matt', files: [{ type: 'default', url: 'https://x/1.pdf' }] });
    expect(r.payload.items[1]).toMatchObject({ productName: 'Flyer', productVariant: { Size: 'A5', 'Paper stock': '170gsm Silk' } });
  });

  it('collects every problem at once, each with what to do', () => {
    const r = convertOrder(
      input(
        [line({ jobId: 's1', sku: 'NOPE' }), line({ jobId: 's2', sku: 'BC', attributes: {} }), line({ jobId: 's3', quantity: 0 }), line({ jobId: 's4', kind: 'unsupported', productType: 60 })],
        { order: { Id: 10, ShippingMethod: 'Pigeon Post', ShippingAddress: { ...address, ZipPostalCode: '', Country: 'Narnia', CountryCode: null }, PurchaseOrderNumber: '', CurrencyCode: null } },
      ),
    );
    expect(r.ok).toBe(false);
    if (r.ok || r.nothingToProduce) return;
    const codes = r.problems.map((p) => p.code);
    expect(codes).toEqual(['unmapped_sku', 'missing_variant_attribute', 'bad_quantity', 'unsupported_product', 'unknown_country', 'address_missing', 'unknown_shipping_method']);
    // Problems are messages (shared/messages): the same words in English, and Italian beside them.
    expect(renderMsg(r.problems[0]!.message)).toBe('No GelatoConnect product is mapped for SKU "NOPE".');
    expect(renderMsg(r.problems[0]!.message, 'it')).toBe('Nessun prodotto GelatoConnect è associato allo SKU "NOPE".');
    expect(renderMsg(r.problems[6]!.message)).toMatch(/"Pigeon Post" is not mapped/);
    for (const p of r.problems) expect(renderMsg(p.fix).length).toBeGreaterThan(10);
  });

  it('uses the default shipping method when the order’s method is unknown', () => {
    const cfg = ConfigSchema.parse({ ...config, shipping: { methods: {}, default: 'normal' } });
    const r = convertOrder(input([line({})], { config: cfg }));
    expect(r.ok && r.payload.shipmentMethodUid).toBe('normal');
  });

  it('applies the stock policy: leave out, send as stock, or hold', () => {
    const lines = [line({ jobId: 's1' }), line({ jobId: '77', sku: 'PEN', kind: 'stock', productType: 10 })];
    const exclude = convertOrder(input(lines));
    expect(exclude.ok && exclude.payload.items.map((i) => i.itemReferenceId)).toEqual(['s1']);
    const send = convertOrder(input(lines, { config: ConfigSchema.parse({ ...config, orderTypes: { stockPolicy: 'send-as-stock' } }) }));
    expect(send.ok && send.payload.items[1]).toMatchObject({ itemReferenceId: '77', productName: 'PEN', files: [] });
    const hold = convertOrder(input(lines, { config: ConfigSchema.parse({ ...config, orderTypes: { stockPolicy: 'hold' } }) }));
    expect(!hold.ok && !hold.nothingToProduce && hold.problems[0]!.code).toBe('stock_hold');
    const stockOnly = convertOrder(input([lines[1]!]));
    expect(!stockOnly.ok && stockOnly.nothingToProduce).toBe(true);
  });
});

describe('line classification', () => {
  const rules = ConfigSchema.parse({ orderTypes: { printable: { skuPatterns: ['BC-*'] }, stock: { tags: ['warehouse'] } } }).orderTypes;
  it('uses SKU patterns, then tags, then Infigo product types; unknown types are unsupported', () => {
    expect(classifyLine({ sku: 'BC-1', productType: 10, tags: [] }, rules).kind).toBe('printable');
    expect(classifyLine({ sku: 'X', productType: 30, tags: ['Warehouse'] }, rules).kind).toBe('stock');
    expect(classifyLine({ sku: 'X', productType: 10, tags: [] }, rules).kind).toBe('stock');
    expect(classifyLine({ sku: 'X', productType: 50, tags: [] }, rules).kind).toBe('printable');
    expect(classifyLine({ sku: 'X', productType: 60, tags: [] }, rules)).toMatchObject({ kind: 'unsupported' });
    expect(classifyLine({ sku: 'X', productType: null, tags: [] }, rules).because).toMatch(/no product type/);
    expect(globToRegExp('a.b*').test('A.B-c')).toBe(true);
    expect(globToRegExp('a.b*').test('axb')).toBe(false);
  });
});

describe('references and states', () => {
  it('derives the same reference for the same store and order, with a visible resubmission suffix', () => {
    expect(orderReferenceId('acme', 10453)).toBe('PL-acme-10453');
    expect(orderReferenceId('acme', 10453, 2)).toBe('PL-acme-10453-R2');
    expect(resubmissionOf('PL-acme-10453-R2')).toBe(2);
    expect(resubmissionOf('PL-acme-10453')).toBe(0);
  });
  it('never lets an order go back from shipped to production or out of delivered', () => {
    expect(canTransition('shipped', 'in_production')).toBe(false);
    expect(canTransition('delivered', 'failed')).toBe(false);
    expect(canTransition('submitting', 'submitted')).toBe(true);
    expect(canTransition('submitting', 'skipped')).toBe(false);
  });
});

describe('safe file names', () => {
  it('keeps remote names inside the files folder', () => {
    expect(safeFileName('../../etc/passwd')).toBe('etc_passwd');
    expect(safeFileName('a\u0000b\nc')).toBe('a_b_c');
    expect(safeFileName('CON')).toBe('file_CON');
    expect(safeFileName('')).toBe('file');
    const p = printFilePath('/data/files', '../evil', 5, '../../x', 'Business Cards: 85/55 ü');
    expect(p.startsWith('/data/files/evil/5/')).toBe(true);
    expect(p).toMatch(/\/x_Business_Cards_85_55_u\.pdf$/);
    expect(() => insideRoot('/data/files', '..', 'outside')).toThrow(/outside the files folder/);
  });
});
