import { ConfigSchema } from '../../../../shared/config';
import type { Cfg } from '../../api/config';
import { issuesToErrors } from '../../setup/fieldErrors';
import type { StepRules } from './types';

// Step 4: which Infigo product types and tags are printed and which are stock, and what
// happens to stock lines.

type OrderTypes = NonNullable<Cfg['orderTypes']>;

export const DEFAULT_ORDER_TYPES: OrderTypes = {
  printable: { productTypes: [20, 30, 40, 50, 80], tags: [], skuPatterns: [] },
  stock: { productTypes: [10], tags: [], skuPatterns: [] },
  stockPolicy: 'exclude',
};

export const orderTypesRules: StepRules<OrderTypes> = {
  name: 'orderTypes',
  pick: (cfg) => cfg.orderTypes ?? DEFAULT_ORDER_TYPES,
  put: (cfg, slice) => ({ ...cfg, orderTypes: slice }),
  validate: (cfg) => {
    const r = ConfigSchema.shape.orderTypes.safeParse(cfg.orderTypes ?? DEFAULT_ORDER_TYPES);
    return r.success ? {} : issuesToErrors(r.error.issues, cfg.orderTypes, ['orderTypes']);
  },
  owns: (path) => /^orderTypes(\.|$)/.test(path),
};
