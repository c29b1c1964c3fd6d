import type { ConfigInput } from '../../shared/config';
import type { FaultConfig } from './faults';
import { startGelatoSandbox, type GelatoSandbox, type GelatoSandboxOptions } from './gelato/index';
import { startInfigoSandbox, type InfigoSandbox, type InfigoSandboxOptions } from './infigo/index';

// Both simulated services together, and the Presslink configuration that
// connects to them: what `presslink sandbox`, the wizard's "try the sandbox",
// the tests and the benchmarks all start from.

export interface SandboxOptions {
  host?: string;
  infigoPort?: number;
  gelatoPort?: number;
  seed?: number;
  storeCount?: number;
  ordersPerStore?: number;
  pdfBytes?: number;
  faults?: FaultConfig;
  progression?: 'manual' | { stepMs: number };
  /** Further GelatoConnect tenant options (file fetching, rate limit, postback retries). */
  gelato?: Partial<GelatoSandboxOptions>;
  /** Infigo storefront options that make it behave like a real store where it differs (infigo/index.ts). */
  infigo?: Pick<InfigoSandboxOptions, 'realism' | 'megaScriptRunner'>;
}

export interface Sandbox {
  infigo: InfigoSandbox;
  gelato: GelatoSandbox;
  /** A complete Presslink configuration for this sandbox (inline secrets; import moves them to the secret store). */
  connection(opts?: { publicBaseUrl?: string }): { config: SandboxConfig };
  close(): Promise<void>;
}

export type SandboxConfig = ConfigInput & {
  stores: NonNullable<ConfigInput['stores']>;
  gelato: NonNullable<ConfigInput['gelato']>;
};

const STORE_IDS = ['acme', 'bellaprint', 'northwind', 'globex', 'initech'];

/** GelatoConnect products for the sandbox catalogue's printable SKUs. */
export const SANDBOX_PRODUCT_MAPPINGS: NonNullable<ConfigInput['products']> = [
  { sku: 'BC-85x55-400', attributes: { Paper: '400gsm Silk' }, productUid: 'cards_pf_85x55-mm_pt_400-gsm-coated-silk_cl_4-4_ver' },
  { sku: 'BC-85x55-400', attributes: { Paper: '400gsm Matt' }, productUid: 'cards_pf_85x55-mm_pt_400-gsm-coated-matt_cl_4-4_ver' },
  { sku: 'FLYER-A5', productName: 'Flyer A5', productVariant: {}, attributeMap: { Paper: 'Paper', Sides: 'Sides' } },
  { sku: 'POSTER-A2', productUid: 'large-posters_pf_a2_pt_200-gsm-coated-silk_cl_4-0_ver' },
  { sku: 'BROCHURE-A4-8PP', productUid: 'brochures_pf_a4_pt_130-gsm-coated-silk_cl_4-4_bt_saddle-stitch_ver' },
  { sku: 'LETTERHEAD-A4', productUid: 'flat_product_pf_a4_pt_100-gsm-uncoated_cl_4-0_ct_none_prt_none_sft_none_set_none_ver' },
  { sku: 'BANNER-ROLLUP-850', productName: 'Roll-up Banner', productVariant: { Size: '850x2000' } },
];

/**
 * The sandbox storefront's own status route (SIMULATOR-ONLY: Infigo publishes no REST route for
 * status updates). Only the sandbox's configuration names it; Presslink has no default path.
 */
export const SANDBOX_STATUS_PATH = 'presslink-sim/order/{orderId}/status';

/** Infigo delivery method → the GCL method uid the sandbox's GCL quotes (carrier uids when GCL has its own host). */
export const SANDBOX_GCL_CARRIER_METHODS = { 'First Class': 'dhl_global_parcel', Express: 'dhl_express' };

/** Where the sandbox's parcels leave from (GCL quote `sender`). */
export const SANDBOX_SENDER = { companyName: 'Sandbox Print Ltd', addressLine1: '1 Press Lane', city: 'Crawley', postcode: 'RH10 1HU', country: 'GB' };

export const SANDBOX_SHIPPING = {
  methods: { 'First Class': 'normal', 'Second Class': 'standard', Express: 'express', Collect: 'normal' },
  default: 'normal',
};

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const seed = opts.seed ?? 1;
  const storeCount = Math.max(1, Math.min(opts.storeCount ?? 2, STORE_IDS.length));
  const stores = STORE_IDS.slice(0, storeCount).map((id) => ({ id, orders: opts.ordersPerStore ?? 20 }));
  const infigo = await startInfigoSandbox({ host: opts.host, port: opts.infigoPort ?? 0, seed, stores, pdfBytes: opts.pdfBytes, faults: opts.faults, ...opts.infigo });
  let gelato: GelatoSandbox;
  try {
    gelato = await startGelatoSandbox({
      host: opts.host,
      port: opts.gelatoPort ?? 0,
      seed,
      customerAgnostic: true,
      progression: opts.progression ?? 'manual',
      faults: opts.faults,
      ...opts.gelato,
    });
  } catch (e) {
    await infigo.close();
    throw e;
  }
  return {
    infigo,
    gelato,
    connection: ({ publicBaseUrl } = {}) => ({
      config: {
        stores: infigo.stores.map((s) => ({
          id: s.id,
          name: s.name,
          infigo: { baseUrl: s.baseUrl, apiToken: s.token, statusWriter: { kind: 'rest' as const, pathTemplate: SANDBOX_STATUS_PATH } },
          gelatoCustomerReferenceId: `${s.id}-ltd`,
          currency: 'GBP',
        })),
        gelato: {
          apiKey: gelato.apiKey,
          endpoints: {
            submitOrder: gelato.endpoints.submitOrder,
            getOrder: gelato.endpoints.getOrder,
            searchOrders: gelato.endpoints.searchOrders,
            cancelOrder: gelato.endpoints.cancelOrder,
            updateShipment: gelato.endpoints.updateShipment,
            shippingQuote: gelato.endpoints.shippingQuote,
          },
          customerAgnostic: true,
        },
        products: SANDBOX_PRODUCT_MAPPINGS,
        shipping: SANDBOX_SHIPPING,
        orderTypes: { stockPolicy: 'exclude' as const },
        files: { delivery: { kind: 'signed-url' as const, publicBaseUrl: publicBaseUrl ?? 'http://127.0.0.1:4780' } },
        // GCL is not switched on here (source stays the rate table until a face chooses it); its own address and key are ready.
        shippingQuotes: {
          gcl: {
            environment: 'test' as const,
            baseUrl: gelato.gcl.url,
            apiKey: gelato.gcl.apiKey,
            methods: gelato.gcl.ownHost ? SANDBOX_GCL_CARRIER_METHODS : { ...SANDBOX_SHIPPING.methods },
            sender: SANDBOX_SENDER,
          },
        },
      },
    }),
    close: async () => {
      await Promise.allSettled([infigo.close(), gelato.close()]);
    },
  };
}
