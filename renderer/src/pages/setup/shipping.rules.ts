import { GclConfig } from '../../../../shared/config';
import type { Cfg } from '../../api/config';
import { issuesToErrors, type FieldErrors } from '../../setup/fieldErrors';
import type { StepRules } from './types';

// Step 6: Infigo shipping method → GelatoConnect method, the default, and checkout quotes: from
// the rate table or from GelatoConnect Logistics (GCL: its own environment, key, method map and
// sender address). The public address the checkout MegaScript calls is set in step 7, with the
// other ways the outside world reaches this Presslink.

export type GclDraft = NonNullable<NonNullable<Cfg['shippingQuotes']>['gcl']>;

export interface ShippingSlice {
  methods: Record<string, string>;
  default?: string;
  quotes: boolean;
  source: 'gelato' | 'rate-table';
  gcl?: GclDraft;
}

/** A row of the method table, kept by the step while it is being typed. */
export type MethodRow = [infigo: string, gelato: string];

export const shippingRules: StepRules<ShippingSlice> = {
  name: 'shipping',
  pick: (cfg) => ({
    methods: cfg.shipping?.methods ?? {},
    default: cfg.shipping?.default || undefined,
    quotes: cfg.shippingQuotes?.enabled ?? false,
    source: cfg.shippingQuotes?.source ?? 'rate-table',
    gcl: cfg.shippingQuotes?.gcl ? compactGcl(cfg.shippingQuotes.gcl) : undefined,
  }),
  put: (cfg, s) => ({
    ...cfg,
    shipping: { ...(cfg.shipping ?? {}), methods: s.methods, default: s.default },
    shippingQuotes: { ...(cfg.shippingQuotes ?? {}), enabled: s.quotes, source: s.source, gcl: s.gcl ? compactGcl(s.gcl) : undefined },
  }),
  validate: (cfg) => {
    const q = cfg.shippingQuotes;
    // GCL settings are asked only when the checkout quotes come from GelatoConnect Logistics.
    if (!q?.enabled || q.source !== 'gelato') return {};
    if (!q.gcl) return { 'shippingQuotes.gcl.apiKey': { key: 'setup.errors.gclKeyRequired' } };
    const r = GclConfig.safeParse(compactGcl(q.gcl));
    return r.success ? {} : issuesToErrors(r.error.issues, compactGcl(q.gcl), ['shippingQuotes', 'gcl']);
  },
  owns: (path) => /^(shipping|shippingQuotes)(\.|$|\[)/.test(path),
};

/** GCL settings without the optional fields left empty (an empty sender is no sender). */
export function compactGcl(g: GclDraft): GclDraft {
  const out: GclDraft = { ...g };
  if (!out.baseUrl) delete out.baseUrl;
  if (!out.partnerClientName) delete out.partnerClientName;
  if (out.sender) {
    const sender = Object.fromEntries(Object.entries(out.sender).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as NonNullable<GclDraft['sender']>;
    if (Object.keys(sender).length === 0) delete out.sender;
    else out.sender = sender;
  }
  return out;
}

/** The complete rows as the config holds them; half-filled rows are reported by rowErrors. */
export function rowsToMethods(rows: readonly MethodRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter(([k, v]) => k.trim() && v.trim()).map(([k, v]) => [k.trim(), v.trim()]));
}

/**
 * Row errors by "<prefix>[i].infigo" / ".gelato": a half-filled row, or a method named twice.
 * The prefix names the table: "shipping.row" (order-intake methods) or "shippingQuotes.gcl.row"
 * (GelatoConnect Logistics method uids).
 */
export function rowErrors(rows: readonly MethodRow[], prefix = 'shipping.row', targetKey = 'setup.errors.methodTargetRequired'): FieldErrors {
  const out: FieldErrors = {};
  const seen = new Set<string>();
  rows.forEach(([k, v], i) => {
    const name = k.trim();
    if (!name && v.trim()) out[`${prefix}[${i}].infigo`] = { key: 'setup.errors.methodNameRequired' };
    if (name && !v.trim()) out[`${prefix}[${i}].gelato`] = { key: targetKey, values: { name } };
    if (name && seen.has(name.toLowerCase())) out[`${prefix}[${i}].infigo`] = { key: 'setup.errors.methodTwice', values: { name } };
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
