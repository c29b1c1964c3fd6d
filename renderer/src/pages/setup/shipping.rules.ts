import { ConfigSchema } from '../../../../shared/config';
import { issuesToErrors, type FieldErrors } from '../../setup/fieldErrors';
import type { StepRules } from './types';

// Step 6: Infigo shipping method → GelatoConnect method, the default, checkout quotes, and the
// public address the checkout MegaScript calls.

export interface ShippingSlice {
  methods: Record<string, string>;
  default?: string;
  quotes: boolean;
  publicBaseUrl?: string;
}

/** A row of the method table, kept by the step while it is being typed. */
export type MethodRow = [infigo: string, gelato: string];

export const shippingRules: StepRules<ShippingSlice> = {
  name: 'shipping',
  pick: (cfg) => ({
    methods: cfg.shipping?.methods ?? {},
    default: cfg.shipping?.default || undefined,
    quotes: cfg.shippingQuotes?.enabled ?? false,
    publicBaseUrl: cfg.server?.publicBaseUrl || undefined,
  }),
  put: (cfg, s) => ({
    ...cfg,
    shipping: { ...(cfg.shipping ?? {}), methods: s.methods, default: s.default },
    shippingQuotes: { ...(cfg.shippingQuotes ?? {}), enabled: s.quotes },
    server: { ...(cfg.server ?? {}), publicBaseUrl: s.publicBaseUrl },
  }),
  validate: (cfg) => {
    const r = ConfigSchema.shape.server.safeParse(cfg.server ?? {});
    return r.success ? {} : issuesToErrors(r.error.issues, cfg.server, ['server']);
  },
  owns: (path) => /^(shipping|shippingQuotes)(\.|$|\[)/.test(path) || path === 'server.publicBaseUrl',
};

/** The complete rows as the config holds them; half-filled rows are reported by rowErrors. */
export function rowsToMethods(rows: readonly MethodRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter(([k, v]) => k.trim() && v.trim()).map(([k, v]) => [k.trim(), v.trim()]));
}

/** Row errors by "shipping.row[i].infigo" / ".gelato": a half-filled row, or a method named twice. */
export function rowErrors(rows: readonly MethodRow[]): FieldErrors {
  const out: FieldErrors = {};
  const seen = new Set<string>();
  rows.forEach(([k, v], i) => {
    const name = k.trim();
    if (!name && v.trim()) out[`shipping.row[${i}].infigo`] = { key: 'setup.errors.methodNameRequired' };
    if (name && !v.trim()) out[`shipping.row[${i}].gelato`] = { key: 'setup.errors.methodTargetRequired', values: { name } };
    if (name && seen.has(name.toLowerCase())) out[`shipping.row[${i}].infigo`] = { key: 'setup.errors.methodTwice', values: { name } };
    if (name) seen.add(name.toLowerCase());
  });
  return out;
}

export interface StoreScriptConfig {
  storeId: string;
  name: string;
  config: string;
}

/**
 * The checkout MegaScript's configuration for every store. The engine (shipping.megascript)
 * answers one configuration, naming the first store as "storefront"; each store pastes the
 * same script with its own storefront, so the others are that configuration with their own
 * address. When the engine answers per store (`perStore`), its answer is used as it is.
 */
export function scriptConfigsPerStore(
  result: { config: string; perStore?: { storeId: string; config: string }[] },
  stores: readonly { id?: string; name?: string; infigo?: { baseUrl?: string } }[],
): StoreScriptConfig[] {
  const name = (id: string) => stores.find((s) => s.id === id)?.name || id;
  if (result.perStore?.length) return result.perStore.map((p) => ({ storeId: p.storeId, name: name(p.storeId), config: p.config }));
  let base: Record<string, unknown>;
  try {
    base = JSON.parse(result.config) as Record<string, unknown>;
  } catch {
    return [{ storeId: stores[0]?.id ?? '', name: stores[0]?.name ?? '', config: result.config }];
  }
  if (stores.length <= 1 || !('storefront' in base)) return [{ storeId: stores[0]?.id ?? '', name: stores[0]?.name ?? '', config: result.config }];
  return stores.map((s) => ({
    storeId: s.id ?? '',
    name: s.name || s.id || '',
    config: JSON.stringify({ ...base, storefront: s.infigo?.baseUrl ?? '' }, null, 2),
  }));
}
