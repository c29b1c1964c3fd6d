import { GelatoEndpoints, SecretValue, StoreConfig } from '../../../../shared/config';
import type { ConnectionSpec } from '../../setup/connection';
import { issuesToErrors, type FieldErrors } from '../../setup/fieldErrors';
import type { Gelato, StepRules } from './types';

// Step 3: the GelatoConnect connector (API key and endpoint addresses) and, per store, the
// GelatoConnect customer its orders are tagged with.

export interface GelatoSlice {
  gelato: Gelato | null;
  customers: string[];
}

export const emptyEndpoints = (): Gelato['endpoints'] => ({ submitOrder: '', getOrder: '', searchOrders: '', cancelOrder: '', updateShipment: '' });

/** Endpoints without empty optional ones: a cleared "shipping quote" field means "none", not "". */
export function compactEndpoints(e: Partial<Gelato['endpoints']> | undefined): Gelato['endpoints'] {
  const out: Record<string, string> = { ...emptyEndpoints() };
  for (const [k, v] of Object.entries(e ?? {})) {
    if (typeof v !== 'string') continue;
    if (v.trim() === '' && k === 'shippingQuote') delete out[k];
    else out[k] = v;
  }
  return out as Gelato['endpoints'];
}

const customer = StoreConfig.pick({ gelatoCustomerReferenceId: true }).loose();

export const gelatoRules: StepRules<GelatoSlice> = {
  name: 'gelato',
  pick: (cfg) => ({
    gelato: cfg.gelato ? { ...cfg.gelato, endpoints: compactEndpoints(cfg.gelato.endpoints) } : null,
    customers: (cfg.stores ?? []).map((s) => s.gelatoCustomerReferenceId ?? ''),
  }),
  put: (cfg, slice) => {
    const { gelato: _old, ...rest } = cfg;
    return {
      ...rest,
      ...(slice.gelato ? { gelato: { ...slice.gelato, endpoints: compactEndpoints(slice.gelato.endpoints) } } : {}),
      stores: (cfg.stores ?? []).map((s, i) => (i < slice.customers.length ? { ...s, gelatoCustomerReferenceId: slice.customers[i] ?? '' } : s)),
    };
  },
  validate: (cfg) => {
    const out: FieldErrors = {};
    const g = cfg.gelato ?? { apiKey: '', endpoints: emptyEndpoints() };
    const key = SecretValue.safeParse(g.apiKey ?? '');
    if (!key.success) out['gelato.apiKey'] = { key: 'setup.errors.apiKeyRequired' };
    const endpoints = compactEndpoints(g.endpoints);
    const e = GelatoEndpoints.safeParse(endpoints);
    if (!e.success) Object.assign(out, issuesToErrors(e.error.issues, endpoints, ['gelato', 'endpoints']));
    (cfg.stores ?? []).forEach((s, i) => {
      const c = customer.safeParse({ gelatoCustomerReferenceId: s.gelatoCustomerReferenceId ?? '' });
      if (!c.success) Object.assign(out, issuesToErrors(c.error.issues, s, ['stores', i]));
    });
    return out;
  },
  owns: (path) => /^gelato(\.|$)/.test(path) || /^stores\[\d+\]\.gelatoCustomerReferenceId/.test(path),
  connections: (cfg) => {
    const g = cfg.gelato;
    const endpoints = Object.fromEntries(Object.entries(compactEndpoints(g?.endpoints)).filter(([, v]) => typeof v === 'string' && v.trim() !== ''));
    const base = { apiKey: g?.apiKey ?? '', endpoints };
    const stores = cfg.stores ?? [];
    const customers = [...new Set(stores.map((s) => (s.gelatoCustomerReferenceId ?? '').trim()).filter(Boolean))];
    if (customers.length === 0) return [{ id: 'gelato', label: 'GelatoConnect', call: 'setup.checkGelato', input: base }];
    return customers.map(
      (c): ConnectionSpec => ({
        id: `customer-${c}`,
        label: stores.filter((s) => (s.gelatoCustomerReferenceId ?? '').trim() === c).map((s) => s.name || s.id).join(', ') || c,
        call: 'setup.checkGelato',
        input: { ...base, customerReferenceId: c },
      }),
    );
  },
};
