import { describe, expect, it } from 'vitest';
import {
  classifyProductType,
  countryToIso2,
  InfigoDataError,
  INFIGO_PRODUCT_TYPES,
  lineAttributeMap,
  parseInfigoOrder,
  parseInfigoOrderLine,
  parseInfigoProduct,
  safeParseInfigoOrder,
} from '../../shared/domain/infigo';

const order = {
  Id: 10453,
  OrderGuid: '7d9f3c3e-5b7a-4f62-9a51-2f1e4c0b8a11',
  CreatedOnUtc: '2025-03-14T09:21:07Z',
  OrderStatus: 'Processing',
  PaymentStatus: 'Paid',
  ShippingStatus: 'NotYetShipped',
  ShippingMethod: 'First Class',
  TrackingNumber: null,
  ShippingAddress: {
    FirstName: 'Ann', LastName: 'Lee', CompanyName: 'Acme Ltd', AddressLine1: 'Unit 4, Mill Lane', AddressLine2: '',
    Town: 'Horsham', ZipPostalCode: 'RH12 1AA', StateProvince: 'West Sussex', Country: 'GB', Telephone: '+44', Email: 'a@b.c',
  },
  CheckoutAttributes: [{ Name: 'Cost Center', Values: [{ Content: '4410' }] }],
  OrderLineItems: [67890, 67891],
  SomethingNew: { kept: true },
};

describe('Infigo order parsing', () => {
  it('reads the reference example and keeps unknown fields', () => {
    const o = parseInfigoOrder(order);
    expect(o.Id).toBe(10453);
    expect(o.OrderStatus).toBe('Processing');
    expect(o.OrderLineItems).toEqual(['67890', '67891']);
    expect(o.ShippingAddress?.CountryCode).toBe('GB');
    expect(o.BillingAddress).toBeNull();
    expect((o as Record<string, unknown>).SomethingNew).toEqual({ kept: true });
  });

  it('normalises integer statuses and odd spellings to nopCommerce names', () => {
    const o = parseInfigoOrder({ ...order, OrderStatus: 40, PaymentStatus: '30', ShippingStatus: 'not yet shipped' });
    expect([o.OrderStatus, o.PaymentStatus, o.ShippingStatus]).toEqual(['Cancelled', 'Paid', 'NotYetShipped']);
    expect(parseInfigoOrder({ ...order, OrderStatus: 'canceled' }).OrderStatus).toBe('Cancelled');
    expect(parseInfigoOrder({ ...order, ShippingStatus: 99 }).ShippingStatus).toBe('99');
    expect(parseInfigoOrder({ ...order, OrderStatus: undefined }).OrderStatus).toBeNull();
  });

  it('accepts a country given by name', () => {
    const o = parseInfigoOrder({ ...order, ShippingAddress: { ...order.ShippingAddress, Country: 'United Kingdom' } });
    expect(o.ShippingAddress?.CountryCode).toBe('GB');
    expect(countryToIso2('Germany')).toBe('DE');
    expect(countryToIso2('united states of america')).toBe('US');
    expect(countryToIso2('uk')).toBe('GB');
    expect(countryToIso2('Atlantis')).toBeNull();
    expect(countryToIso2('ZZ')).toBeNull();
  });

  it('rejects malformed data with an error that lists the fields, without throwing anything else', () => {
    const r = safeParseInfigoOrder({ Id: 'abc', OrderLineItems: 'nope', ShippingAddress: 5 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toBeInstanceOf(InfigoDataError);
    const fields = r.error.fields.join('\n');
    expect(fields).toMatch(/^Id:/m);
    expect(fields).toMatch(/^OrderLineItems:/m);
    expect(fields).toMatch(/^ShippingAddress:/m);
    expect(() => parseInfigoOrder(null)).toThrow(InfigoDataError);
    expect(() => parseInfigoOrder('<html>')).toThrow(/cannot read/);
  });
});

describe('Infigo order line parsing', () => {
  const line = {
    Id: 's67890', JobId: 67890, OpvId: 23001, OrderId: 10453, Type: 30, TypeLetter: 's', ProductId: 501,
    ProductName: 'Business Cards', Sku: 'BC-85x55-400', Quantity: 500, ShippedQuantity: 0, Price: 180,
    ProductAttributes: [{ Id: 7, Name: 'Paper', Values: [{ Id: '31', Content: '400gsm Silk' }] }],
    OrderProductStatus: 'OutputCreated', DeliveryType: ['print'],
  };

  it('classifies by product type and exposes attributes', () => {
    const l = parseInfigoOrderLine(line);
    expect(l.Kind).toBe('printable');
    expect(l.Id).toBe('s67890');
    expect(lineAttributeMap(l)).toEqual({ Paper: '400gsm Silk' });
  });

  it('tolerates empty/null ProductAttributes and string numbers', () => {
    const l = parseInfigoOrderLine({ ...line, Type: '10', Quantity: '3', ProductAttributes: null, DeliveryType: 'print' });
    expect(l.Kind).toBe('stock');
    expect(l.Quantity).toBe(3);
    expect(l.ProductAttributes).toEqual([]);
    expect(l.DeliveryType).toEqual(['print']);
    expect(lineAttributeMap(l)).toEqual({});
  });

  it('lists the missing fields of a broken line', () => {
    expect(() => parseInfigoOrderLine({ Type: 30 })).toThrow(/Id:/);
    // Quantity is known only from the MegaScript model: a line without it is read (null), and the
    // pipeline holds the order naming the field (order-line.ts missingLineFields).
    expect(parseInfigoOrderLine({ Id: 's1', Type: 30 })).toMatchObject({ Quantity: null, Sku: '', ProductName: '' });
    expect(() => parseInfigoOrderLine({ Id: 's1', Type: 30, Quantity: 'many' })).toThrow(/Quantity:/);
  });
});

describe('product types', () => {
  it('maps the documented table and holds unknown types', () => {
    const kinds = Object.fromEntries(INFIGO_PRODUCT_TYPES.map((t) => [t.type, classifyProductType(t.type)]));
    expect(kinds).toEqual({ 10: 'stock', 20: 'printable', 30: 'printable', 40: 'printable', 50: 'printable', 60: 'unsupported', 70: 'unsupported', 80: 'printable' });
    expect(classifyProductType(99)).toBe('unsupported');
    expect(classifyProductType(null)).toBe('unsupported');
  });

  it('parses product details', () => {
    const p = parseInfigoProduct({
      Id: 501, Name: 'Cards', Type: 30, Sku: 'BC', Price: 10,
      ProductAttributes: [{ Name: 'Paper', IsRequired: true, ProductAttributeValues: [{ Id: 1, Name: 'Silk' }] }],
    });
    expect(p.Kind).toBe('printable');
    expect(p.ProductAttributes[0]?.ProductAttributeValues[0]?.Name).toBe('Silk');
  });
});

describe('missing optional fields', () => {
  it('parses an order that has only an id and line ids', () => {
    const o = parseInfigoOrder({ Id: 1, OrderLineItems: [] });
    expect(o.OrderStatus).toBeNull();
    expect(o.ShippingAddress).toBeNull();
    expect(o.CheckoutAttributes).toEqual([]);
  });
});
