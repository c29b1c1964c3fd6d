/** A small valid configuration with inline secrets, for tests of the config store. */
export function validConfig(overrides: Record<string, unknown> = {}) {
  return {
    stores: [
      { id: 'acme', name: 'Acme storefront', infigo: { baseUrl: 'https://acme.infigo.net', apiToken: 'infigo-token-5f1d2c9a7e' }, gelatoCustomerReferenceId: 'acme-ltd' },
    ],
    gelato: {
      apiKey: 'gck_live_9x8y7z:sekret-77aa',
      endpoints: {
        submitOrder: 'https://api.partner-connect.io/api/psp/order',
        getOrder: 'https://api.partner-connect.io/api/psp/order',
        searchOrders: 'https://api.partner-connect.io/api/psp/order/search',
        cancelOrder: 'https://api.partner-connect.io/api/psp/order',
        updateShipment: 'https://api.partner-connect.io/api/psp/order/shipment',
      },
    },
    products: [{ sku: 'BC-85x55-400', productUid: 'flat_product_pf_a4' }],
    ...overrides,
  };
}
