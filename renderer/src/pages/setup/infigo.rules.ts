import { StoreConfig } from '../../../../shared/config';
import type { Cfg } from '../../api/config';
import type { ConnectionSpec } from '../../setup/connection';
import { issuesToErrors, type FieldErrors } from '../../setup/fieldErrors';
import type { StepRules, Store } from './types';

// Step 2: the Infigo stores — name, id, base URL and API token of each. The GelatoConnect
// customer of a store is asked in step 3, so it is neither validated nor required here.

export interface InfigoStoreSlice {
  id: string;
  name: string;
  baseUrl: string;
  apiToken: string;
}

// Loose: the store carries the fields of other steps too; only these two are this step's.
const identity = StoreConfig.pick({ id: true, name: true }).loose();
const access = StoreConfig.shape.infigo.pick({ baseUrl: true, apiToken: true }).loose();

export function emptyStore(): Store {
  return { id: '', name: '', infigo: { baseUrl: '', apiToken: '' }, gelatoCustomerReferenceId: '' };
}

export const infigoRules: StepRules<InfigoStoreSlice[]> = {
  name: 'infigo',
  pick: (cfg) => {
    const list = (cfg.stores ?? []).map((s) => ({ id: s.id ?? '', name: s.name ?? '', baseUrl: s.infigo?.baseUrl ?? '', apiToken: s.infigo?.apiToken ?? '' }));
    // A store added and left blank at the end is not a change (the step adds one to a new install).
    while (list.length && Object.values(list[list.length - 1]!).every((v) => v === '')) list.pop();
    return list;
  },
  put: (cfg, slice) => ({
    ...cfg,
    stores: slice.map((x, i) => {
      const cur = cfg.stores?.[i] ?? emptyStore();
      return { ...cur, id: x.id, name: x.name, infigo: { ...cur.infigo, baseUrl: x.baseUrl, apiToken: x.apiToken } };
    }),
  }),
  validate: (cfg) => validateStores(cfg),
  // A store's GelatoConnect customer is step 3's, its status writer step 7's.
  owns: (path) => path === 'stores' || (/^stores\[\d+\]/.test(path) && !/^stores\[\d+\]\.(gelatoCustomerReferenceId|infigo\.statusWriter)/.test(path)),
  connections: (cfg) =>
    (cfg.stores ?? []).map(
      (s, i): ConnectionSpec => ({
        id: `store-${i}`,
        label: s.name || s.id || `#${i + 1}`,
        call: 'setup.checkInfigo',
        input: { baseUrl: s.infigo?.baseUrl ?? '', apiToken: s.infigo?.apiToken ?? '' },
      }),
    ),
};

function validateStores(cfg: Cfg): FieldErrors {
  const stores = cfg.stores ?? [];
  if (stores.length === 0) return { stores: { key: 'setup.errors.storesRequired' } };
  const out: FieldErrors = {};
  const seen = new Map<string, number>();
  stores.forEach((s, i) => {
    const a = identity.safeParse(s);
    if (!a.success) Object.assign(out, issuesToErrors(a.error.issues, s, ['stores', i]));
    const b = access.safeParse(s.infigo ?? {});
    if (!b.success) Object.assign(out, issuesToErrors(b.error.issues, s.infigo ?? {}, ['stores', i, 'infigo']));
    const id = s.id ?? '';
    if (id && seen.has(id) && !out[`stores[${i}].id`]) out[`stores[${i}].id`] = { key: 'setup.errors.storeIdDuplicate', values: { id } };
    if (id && !seen.has(id)) seen.set(id, i);
  });
  return out;
}
