import { describe, expect, it } from 'vitest';
import {
  GELATO_STATUSES,
  gelatoOrderPayloadSchema,
  isStatusAdvance,
  isTerminal,
  normaliseGelatoStatus,
  parseGelatoOrder,
  statusRank,
  validateGelatoOrderPayload,
} from '../../shared/domain/gelato';

const payload = {
  orderReferenceId: 'INF-100245',
  customerReferenceId: 'acme-ltd',
  orderType: 'order',
  preventDuplicate: true,
  currency: 'GBP',
  shipmentMethodUid: 'standard,normal',
  shippingAddress: {
    country: 'GB', firstName: 'Jane', lastName: 'Smith', addressLine1: '11 London Rd', city: 'Brighton', postCode: 'BN1 8YQ',
  },
  items: [
    { itemReferenceId: 'INF-100245-1', productUid: 'flat_product_pf_a4', quantity: 250, files: [{ type: 'default', url: 'https://f.example/1.pdf' }], metadata: [{ key: 'sku', value: 'FLYER' }] },
    { itemReferenceId: 'INF-100245-2', productName: 'Business Card', productVariant: { Paper: 'Matte' }, quantity: 100, files: [{ type: 'front', url: 'https://f.example/2.pdf' }] },
  ],
};

describe('GelatoConnect payload schema', () => {
  it('accepts the reference example (productUid and customer-product items)', () => {
    expect(validateGelatoOrderPayload(payload)).toEqual([]);
    expect(gelatoOrderPayloadSchema.parse(payload).items).toHaveLength(2);
  });

  it('reports the fields that are wrong', () => {
    const bad = {
      ...payload,
      currency: 'pounds',
      shippingAddress: { ...payload.shippingAddress, country: 'United Kingdom', postcode: 'x', postCode: undefined },
      items: [{ itemReferenceId: 'a', quantity: 0, files: [{ type: 'default', url: 'not a url' }] }],
    };
    const problems = validateGelatoOrderPayload(bad).join('\n');
    expect(problems).toMatch(/^currency:/m);
    expect(problems).toMatch(/^shippingAddress\.country:/m);
    expect(problems).toMatch(/^shippingAddress\.postCode:/m);
    expect(problems).toMatch(/^items\.0/m);
  });

  it('rejects an item that names its product both ways', () => {
    const both = { ...payload, items: [{ ...payload.items[0]!, productName: 'Flyer', productVariant: { Paper: 'Silk' } }] };
    expect(validateGelatoOrderPayload(both).join()).toMatch(/items\.0\.productUid: give either/);
  });

  it('rejects an order without items', () => {
    expect(validateGelatoOrderPayload({ ...payload, items: [] }).join()).toMatch(/items/);
  });
});

describe('GelatoConnect statuses', () => {
  it('normalises UI names, spellings and separators', () => {
    expect(normaliseGelatoStatus('Canceled')).toBe('canceled');
    expect(normaliseGelatoStatus('cancelled')).toBe('canceled');
    expect(normaliseGelatoStatus('In Production')).toBe('in_production');
    expect(normaliseGelatoStatus('in-transit')).toBe('in_transit');
    expect(normaliseGelatoStatus('SHIPPED')).toBe('shipped');
    expect(normaliseGelatoStatus('teleported')).toBeNull();
    expect(normaliseGelatoStatus(3)).toBeNull();
  });

  it('ranks the lifecycle so a late earlier status never overwrites a later one', () => {
    const happy = ['received', 'passed', 'created', 'in_production', 'printed', 'packaged', 'shipped', 'in_transit', 'delivered'] as const;
    for (let i = 1; i < happy.length; i++) expect(statusRank(happy[i]!)).toBeGreaterThan(statusRank(happy[i - 1]!));
    expect(isStatusAdvance('shipped', 'received')).toBe(false);
    expect(isStatusAdvance('received', 'shipped')).toBe(true);
    expect(isStatusAdvance('shipped', 'shipped')).toBe(false);
    expect(isStatusAdvance(null, 'received')).toBe(true);
    expect(isStatusAdvance('canceled', 'in_production')).toBe(false);
    expect(isStatusAdvance('in_production', 'canceled')).toBe(true);
    expect(isStatusAdvance('shipped', 'failed')).toBe(true);
  });

  it('marks end states terminal', () => {
    const terminal = GELATO_STATUSES.filter(isTerminal);
    expect(terminal.sort()).toEqual(['canceled', 'delivered', 'failed', 'returned']);
  });
});

describe('Get Order response', () => {
  it('normalises status and flattens package tracking', () => {
    const o = parseGelatoOrder({
      id: '32884a3e', orderReferenceId: 'INF-1', fulfillmentStatus: 'Shipped', financialStatus: 'paid',
      shipment: { shipmentMethodUid: 'standard', packages: [{ id: 'p1', trackingCode: 'JD01', trackingUrl: 'https://t/JD01' }, { id: 'p2' }] },
      items: [{ id: 'i1', itemReferenceId: 'INF-1-1', fulfillmentStatus: 'printed' }],
    });
    expect(o.status).toBe('shipped');
    expect(o.rawStatus).toBe('Shipped');
    expect(o.tracking).toEqual([{ code: 'JD01', url: 'https://t/JD01', packageId: 'p1' }]);
    expect(o.items[0]?.status).toBe('printed');
  });

  it('reads `status` when fulfillmentStatus is absent and keeps unknown statuses raw', () => {
    expect(parseGelatoOrder({ id: 'a', status: 'received' }).status).toBe('received');
    const o = parseGelatoOrder({ id: 'a', status: 'on_hold' });
    expect(o.status).toBeNull();
    expect(o.rawStatus).toBe('on_hold');
  });

  it('throws a readable error for an order without id', () => {
    expect(() => parseGelatoOrder({ status: 'received' })).toThrow(/id/);
  });
});
