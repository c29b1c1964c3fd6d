import { describe, expect, it } from 'vitest';
import { parseConnectorUrls } from '../../shared/domain/connector-urls';
import { endpointProblems, normaliseStoreUrl } from '../../electron/core/checks/index';
import { scrubSecrets } from '../../electron/core/checks/result';

const P = 'https://api.partner-connect.io/api/acme-psp';
const C = '7c0c1f5e-4b7a-4d8e-9a34-1f2a3b4c5d6e';

describe('parseConnectorUrls', () => {
  it('sorts a pasted connector page into the five endpoints, placeholders removed', () => {
    const text = [
      `Submit order: ${P}/${C}/order`,
      `Get order: ${P}/order/${C}/{orderId}`,
      `Search orders: ${P}/order/${C}/search`,
      `Cancel order: ${P}/order/${C}/{orderRef}/cancel`,
      `Update shipment: ${P}/order/${C}/{orderRef}/shipment.`,
    ].join('\n');
    const r = parseConnectorUrls(text);
    expect(r.endpoints).toEqual({
      submitOrder: `${P}/${C}/order`,
      getOrder: `${P}/order/${C}`,
      searchOrders: `${P}/order/${C}/search`,
      cancelOrder: `${P}/order/${C}`,
      updateShipment: `${P}/order/${C}`,
    });
    expect(r.derived).toEqual([]);
    expect(r.missing).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it('derives the others from the submit URL alone and says they are derived', () => {
    const r = parseConnectorUrls(`${P}/${C}/order`);
    expect(r.endpoints.getOrder).toBe(`${P}/order/${C}`);
    expect(r.endpoints.searchOrders).toBe(`${P}/order/${C}/search`);
    expect(r.derived.sort()).toEqual(['cancelOrder', 'getOrder', 'searchOrders', 'updateShipment']);
    expect(r.missing).toEqual([]);
  });

  it('reports unrecognised and conflicting URLs and what is still missing', () => {
    const r = parseConnectorUrls(`https://example.com/hello\n${P}/order/${C}/search\n${P}/order/other/search`);
    expect(r.problems.some((p) => p.includes('https://example.com/hello'))).toBe(true);
    expect(r.problems.some((p) => p.includes('Two different searchOrders'))).toBe(true);
    expect(r.endpoints.searchOrders).toBe(`${P}/order/${C}/search`);
  });

  it('picks up the GCL quote URL and an empty paste gives all five missing', () => {
    expect(parseConnectorUrls('https://gcl.example.net/v1/shipping-methods/quote').endpoints.shippingQuote).toBe('https://gcl.example.net/v1/shipping-methods/quote');
    expect(parseConnectorUrls('').missing).toHaveLength(5);
  });
});

describe('address and secret helpers', () => {
  it('accepts a bare store host and refuses what is not an address', () => {
    const ok = normaliseStoreUrl(' acme.infigo.net ');
    expect(ok.ok && ok.url.toString()).toBe('https://acme.infigo.net/');
    expect(normaliseStoreUrl('').ok).toBe(false);
    expect(normaliseStoreUrl('ftp://acme.infigo.net').ok).toBe(false);
    expect(normaliseStoreUrl('acme').ok).toBe(false);
    expect(normaliseStoreUrl('https://user:pw@acme.infigo.net').ok).toBe(false);
  });

  it('lists endpoint problems by name: missing, not https, not an address, unknown', () => {
    const probs = endpointProblems({ submitOrder: 'http://api.example.com/x/order', getOrder: 'nonsense', searchOrders: 'http://127.0.0.1:9/s', cancelOrder: 'https://a.b/c', extra: 'https://a.b' });
    expect(probs).toEqual(
      expect.arrayContaining([
        'updateShipment: missing',
        'submitOrder: must be https:// (the API key travels with every call)',
        'getOrder: "nonsense" is not a web address',
        expect.stringMatching(/^extra: not a GelatoConnect endpoint/),
      ]),
    );
    expect(probs.some((p) => p.startsWith('searchOrders'))).toBe(false);
  });

  it('scrubs secrets, raw and URL-encoded, from nested results', () => {
    const secret = 'abc+def/ghi==';
    const out = scrubSecrets({ a: `token ${secret}`, b: [`/auth/${encodeURIComponent(secret)}`], n: 3 }, [secret]);
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(JSON.stringify(out)).not.toContain(encodeURIComponent(secret));
    expect(out).toEqual({ a: 'token ***', b: ['/auth/***'], n: 3 });
  });
});
