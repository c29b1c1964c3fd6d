import { z } from 'zod';
import { GELATO_STATUSES } from './domain/gelato';
import { msg, type Msg } from './messages/index';
import { issueMsg } from './messages/zod';

// The configuration a shop imports, edits in the wizard and exports for support.
// It is the single authority for config shape: docs/config.schema.json is
// generated from it (scripts/gen-config-schema.ts) so the two cannot drift.

/**
 * A secret is never kept inline once imported. In a stored config it is
 * `secret:<key>` (a value in the secret store) or `env:<NAME>` (read from the
 * environment at use). `config import` accepts a plain value and moves it into
 * the secret store.
 */
export const SecretValue = z
  .string()
  .min(1, 'must not be empty')
  .describe('A secret: an inline value (moved to the secret store on import), "env:NAME" or "secret:KEY".');

const httpUrl = z
  .string()
  .url('must be a full URL such as https://example.com')
  .refine((u) => /^https?:\/\//i.test(u), 'must start with http:// or https://');

const storeId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'use 1-40 lower-case letters, digits or dashes, starting with a letter or digit');

/** Body field names of the REST status writer, each overridable (the real Infigo route is unknown). */
export const RestStatusFieldNames = z
  .object({
    orderStatus: z.string().min(1).optional(),
    shippingStatus: z.string().min(1).optional(),
    paymentStatus: z.string().min(1).optional(),
    trackingNumber: z.string().min(1).optional(),
    trackingUrl: z.string().min(1).optional(),
    carrier: z.string().min(1).optional(),
    note: z.string().min(1).optional(),
    lineStatuses: z.string().min(1).optional(),
    lineJobId: z.string().min(1).optional(),
    lineStatus: z.string().min(1).optional(),
  })
  .strict()
  .describe('Body field names, e.g. {"trackingNumber": "TrackingCode"}; unset names keep OrderStatus, ShippingStatus, PaymentStatus, TrackingNumber, TrackingUrl, Carrier, Note, LineStatuses[{JobId, Status}].');

/**
 * How status and tracking reach Infigo (docs/status-updates.md). Infigo publishes no REST route
 * for it, so nothing is assumed: `none` (the default) keeps updates waiting in Presslink and
 * fails the setup check until a writer is chosen; `megascript` posts to the status MegaScript
 * Presslink generates (the documented way, types-for-megascript v1); `rest` posts to a path the
 * shop names, with configurable method and field names.
 */
export const StatusWriterConfig = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }).describe('Not configured yet: status and tracking wait in Presslink until a writer is chosen.'),
  z.strictObject({
    kind: z.literal('rest'),
    /** Path under /services/api with {orderId}; Infigo publishes none, so there is no default. */
    pathTemplate: z
      .string({ error: 'is required: the path under /services/api where your Infigo accepts status updates (Infigo publishes none), e.g. "order/{orderId}/status"; or use the MegaScript writer' })
      .min(1, 'must not be empty')
      .refine((p) => p.includes('{orderId}'), 'must contain {orderId}, where the Infigo order id goes'),
    method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
    fieldNames: RestStatusFieldNames.optional(),
  }),
  z.strictObject({
    kind: z.literal('megascript'),
    /** Where the shop's Infigo runs the generated status MegaScript (its "Trigger via API" address). */
    url: httpUrl,
    /** Shared with the script's configuration; made once and kept in the secret store when absent. */
    token: SecretValue.optional(),
  }),
]);
export type StatusWriterConfig = z.infer<typeof StatusWriterConfig>;

export const StoreConfig = z.strictObject({
  id: storeId,
  name: z.string().min(1).max(120),
  enabled: z.boolean().default(true),
  infigo: z.strictObject({
    baseUrl: httpUrl,
    apiToken: SecretValue,
    statusWriter: StatusWriterConfig.default({ kind: 'none' }),
  }),
  gelatoCustomerReferenceId: z.string().min(1, 'every store must name its GelatoConnect customer'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'use a three-letter ISO 4217 code such as GBP').default('GBP'),
});
export type StoreConfig = z.infer<typeof StoreConfig>;

export const GelatoEndpoints = z.strictObject({
  submitOrder: httpUrl,
  getOrder: httpUrl,
  searchOrders: httpUrl,
  cancelOrder: httpUrl,
  updateShipment: httpUrl,
  /** No longer used: the GCL quote is a separate API with its own address and key (shippingQuotes.gcl). */
  shippingQuote: httpUrl.optional().describe('Not used: GelatoConnect Logistics has its own address and key, set in shippingQuotes.gcl.'),
});

const iso2 = z.string().regex(/^[A-Z]{2}$/, 'use a two-letter country code such as GB');

/** The address parcels leave from, as GCL's quote takes it (`sender`). */
export const GclSender = z
  .object({
    companyName: z.string().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    email: z.string().optional(),
    phone: z.string().optional(),
    addressLine1: z.string().min(1, 'is required'),
    addressLine2: z.string().optional(),
    city: z.string().min(1, 'is required'),
    postcode: z.string().min(1, 'is required'),
    state: z.string().optional(),
    country: iso2,
    vatNumber: z.string().optional(),
    eoriNumber: z.string().optional(),
  })
  .strict();

/**
 * GelatoConnect Logistics (GCL) shipping quotes: a separate API from order intake, with its own
 * address (live or test) and its own key, offered by Gelato to a limited number of partners.
 */
export const GclConfig = z
  .object({
    environment: z.enum(['live', 'test']).default('live'),
    /** Overrides the environment's address (https://connect.live.gelato.tech or https://connect.test.gelato.tech). */
    baseUrl: httpUrl.optional(),
    /** The GCL key for this environment, as Gelato issued it (not the order-intake connector key). */
    apiKey: SecretValue,
    /** Header the key travels in; X-API-KEY is inferred from GelatoConnect's other APIs. */
    authHeader: z.string().min(1).default('X-API-KEY'),
    /** Infigo delivery method name → GCL shipping method uid, e.g. {"First Class": "dhl_global_parcel"}. */
    methods: z.record(z.string(), z.string().min(1)).default({}),
    sender: GclSender.optional(),
    /** Sent as partner.clientName when set (in the documented example; whether it is required is not stated). */
    partnerClientName: z.string().min(1).optional(),
  })
  .strict();
export type GclConfig = z.infer<typeof GclConfig>;

const productBase = {
  sku: z.string().min(1, 'SKU is required'),
  /** Variant attributes an order line must carry for this row to apply. */
  attributes: z.record(z.string(), z.string()).optional(),
};
export const ProductMapping = z.union([
  z.strictObject({ ...productBase, productUid: z.string().min(1) }),
  z.strictObject({
    ...productBase,
    productName: z.string().min(1),
    productVariant: z.record(z.string(), z.string()).default({}),
    /** Infigo attribute name → GelatoConnect variant option, value copied from the line. */
    attributeMap: z.record(z.string(), z.string()).optional(),
  }),
]);
export type ProductMapping = z.infer<typeof ProductMapping>;

export const RateRow = z.strictObject({
  method: z.string().min(1),
  country: z.string().regex(/^(\*|[A-Z]{2})$/, 'use a two-letter country code or *'),
  maxWeightGrams: z.number().int().positive(),
  price: z.number().nonnegative(),
});

export const FileDelivery = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('signed-url'),
    /** The address GelatoConnect uses to reach this machine's file server. */
    publicBaseUrl: httpUrl,
    ttlMinutes: z.number().int().min(5).max(60 * 24 * 14).default(60 * 24 * 3),
  }),
  z.strictObject({
    kind: z.literal('s3'),
    endpoint: httpUrl.optional(),
    region: z.string().default('us-east-1'),
    bucket: z.string().min(3, 'bucket names have at least 3 characters'),
    prefix: z.string().default('presslink/'),
    accessKeyId: SecretValue,
    secretAccessKey: SecretValue,
    forcePathStyle: z.boolean().default(false),
    ttlMinutes: z.number().int().min(5).max(60 * 24 * 7).default(60 * 24 * 3),
  }),
]);

/** Keys of the status mapping: GelatoConnect's statuses, one list for the whole app. */
export { GELATO_STATUSES } from './domain/gelato';

export const InfigoStatusTarget = z.strictObject({
  orderStatus: z.string().optional(),
  shippingStatus: z.string().optional(),
  /** Hold the order in Needs attention and notify instead of pushing anything. */
  hold: z.boolean().optional(),
});

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    stores: z.array(StoreConfig).default([]),
    gelato: z
      .strictObject({
        apiKey: SecretValue,
        endpoints: GelatoEndpoints,
        customerAgnostic: z.boolean().default(true),
      })
      .optional(),
    sync: z
      .strictObject({
        intervalMinutes: z.number().int().min(1).max(1440).default(15),
        /** Infigo order statuses (nopCommerce names: Pending, Processing, Complete, Cancelled) that are
         *  recorded but never produced. */
        skipOrderStatuses: z.array(z.string()).default(['Cancelled', 'Complete']),
        /** Infigo shipping statuses (ShippingNotRequired, NotYetShipped, PartiallyShipped, Shipped,
         *  Delivered) whose orders are recorded but never produced: they were fulfilled already. */
        skipShippingStatuses: z.array(z.string()).default(['Shipped', 'Delivered']),
        /** Only produce orders whose payment status is Paid (or Authorized). */
        requirePaid: z.boolean().default(false),
        /** On first run, only orders created on or after this date are imported (no backlog flood). */
        importSince: z.string().datetime({ offset: true }).optional(),
        downloadConcurrency: z.number().int().min(1).max(16).default(4),
        /** Largest JSON answer read from Infigo or GelatoConnect, in MB (docs/config.md says why 50). */
        maxResponseMB: z.number().int().min(1).max(1024).default(50),
        /** A cycle stops after this long (fractions allowed); interrupted work resumes on the next one. */
        cycleDeadlineMinutes: z.number().min(0.05).max(1440).default(45),
      })
      .default({ intervalMinutes: 15, skipOrderStatuses: ['Cancelled', 'Complete'], skipShippingStatuses: ['Shipped', 'Delivered'], requirePaid: false, downloadConcurrency: 4, maxResponseMB: 50, cycleDeadlineMinutes: 45 }),
    orderTypes: z
      .strictObject({
        printable: z
          .strictObject({
            productTypes: z.array(z.number().int()).default([20, 30, 40, 50, 80]),
            tags: z.array(z.string()).default([]),
            skuPatterns: z.array(z.string()).default([]),
          })
          .default({ productTypes: [20, 30, 40, 50, 80], tags: [], skuPatterns: [] }),
        stock: z
          .strictObject({
            productTypes: z.array(z.number().int()).default([10]),
            tags: z.array(z.string()).default([]),
            skuPatterns: z.array(z.string()).default([]),
          })
          .default({ productTypes: [10], tags: [], skuPatterns: [] }),
        /** What happens to stock lines: leave them out, send them as stock items, or hold the order. */
        stockPolicy: z.enum(['exclude', 'send-as-stock', 'hold']).default('exclude'),
      })
      .default({
        printable: { productTypes: [20, 30, 40, 50, 80], tags: [], skuPatterns: [] },
        stock: { productTypes: [10], tags: [], skuPatterns: [] },
        stockPolicy: 'exclude',
      }),
    products: z.array(ProductMapping).default([]),
    shipping: z
      .strictObject({
        methods: z.record(z.string(), z.string()).default({}),
        default: z.string().optional(),
      })
      .default({ methods: {} }),
    files: z
      .strictObject({
        folder: z.string().optional(),
        delivery: FileDelivery.optional(),
        /** Largest print file accepted, in MB; a larger one holds its order in Needs attention. */
        maxFileSizeMB: z.number().int().min(1).max(102_400).default(2048),
        /** Time for one print file's download (fractions allowed); then it resumes on the next sync. */
        downloadDeadlineMinutes: z.number().min(0.05).max(1440).default(15),
      })
      .default({ maxFileSizeMB: 2048, downloadDeadlineMinutes: 15 }),
    statusUpdates: z
      .strictObject({
        /** "postback" takes effect once the first postback has arrived; until then Presslink keeps polling. */
        mode: z.enum(['postback', 'polling']).default('polling'),
        pollMinutes: z.number().int().min(1).max(1440).default(10),
        postbackSecret: SecretValue.optional(),
        /** How GelatoConnect proves a postback is its own: a secret segment in the URL (workflow triggers
         *  document no custom headers), or the X-Presslink-Secret header where the trigger can send one. */
        postbackAuth: z.enum(['path', 'header']).default('path'),
        /** Overrides the defaults status by status: list only the statuses to change. */
        mapping: z.partialRecord(z.enum(GELATO_STATUSES), InfigoStatusTarget).optional(),
      })
      .default({ mode: 'polling', pollMinutes: 10, postbackAuth: 'path' }),
    shippingQuotes: z
      .strictObject({
        enabled: z.boolean().default(false),
        token: SecretValue.optional(),
        currency: z.string().regex(/^[A-Z]{3}$/).default('GBP'),
        /** "gelato": GelatoConnect Logistics (shippingQuotes.gcl), with the rate table as the visible fallback. */
        source: z.enum(['gelato', 'rate-table']).default('rate-table'),
        rateTable: z.array(RateRow).default([]),
        gcl: GclConfig.optional(),
        /** Units of another currency per one unit of `currency`, e.g. {"EUR": 1.17}: a checkout in
         *  EUR is then quoted by converting. Currencies not listed (and not `currency`) are refused. */
        exchangeRates: z.record(z.string().regex(/^[A-Z]{3}$/, 'use a three-letter ISO 4217 code'), z.number().positive()).optional(),
      })
      .default({ enabled: false, currency: 'GBP', source: 'rate-table', rateTable: [] }),
    server: z
      .strictObject({
        /** The address the outside world (GelatoConnect, the Infigo MegaScript) uses for this machine. */
        publicBaseUrl: httpUrl.optional(),
      })
      .default({}),
    notifications: z.strictObject({ enabled: z.boolean().default(true) }).default({ enabled: true }),
    ui: z.strictObject({ language: z.enum(['en', 'it']).default('en') }).default({ language: 'en' }),
  })
  .superRefine((cfg, ctx) => {
    const ids = new Set<string>();
    cfg.stores.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: ['stores', i, 'id'], message: `store id "${s.id}" is used twice`, params: { msg: msg('config.storeIdTwice', { store: s.id }) } });
      ids.add(s.id);
    });
    const keys = new Set<string>();
    cfg.products.forEach((p, i) => {
      const key = mappingKey(p.sku, p.attributes);
      if (keys.has(key)) ctx.addIssue({ code: 'custom', path: ['products', i, 'sku'], message: `SKU "${p.sku}" with these attributes is mapped twice`, params: { msg: msg('config.skuTwice', { sku: p.sku }) } });
      keys.add(key);
    });
  });

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export function mappingKey(sku: string, attributes?: Record<string, string>): string {
  const attrs = Object.entries(attributes ?? {})
    .map(([k, v]) => `${k.toLowerCase()}=${v.toLowerCase()}`)
    .sort()
    .join('&');
  return `${sku.toLowerCase()}?${attrs}`;
}

export interface ConfigProblem {
  path: string;
  /** English. The engine sets it from `msg` (electron/core/config/problems.ts); here zod's text where it has no better. */
  message: string;
  /** The problem as a message (shared/messages), for a person's language. */
  msg?: Msg;
}

/** Renders a zod path the way a person reads it: stores[0].infigo.baseUrl */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

export type ConfigParse = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

/**
 * Names that would reach an object's prototype when used as a key or a path segment
 * (`obj["__proto__"]` is Object.prototype). None of them is ever a setting, a store id, a
 * shipping method or an attribute name, so a configuration holding one is refused whole.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** Every place in a parsed JSON value where a forbidden key appears, by path (own keys only). */
export function forbiddenKeyProblems(value: unknown, path: (string | number)[] = []): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const walk = (v: unknown, p: (string | number)[]) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        if (isForbiddenKey(k)) out.push({ path: formatPath([...p, k]), message: forbiddenKeyMessage(k), msg: forbiddenKeyMsg(k) });
        else walk((v as Record<string, unknown>)[k], [...p, k]);
      }
    }
  };
  walk(value, path);
  return out;
}

export function forbiddenKeyMessage(key: string): string {
  return `"${key}" is not allowed as a name anywhere in a configuration (it could change how Presslink itself works); remove it. Nothing was changed.`;
}

export function forbiddenKeyMsg(key: string): Msg {
  return msg('config.forbiddenKey', { key });
}

export function parseConfig(input: unknown): ConfigParse {
  const forbidden = forbiddenKeyProblems(input);
  if (forbidden.length) return { ok: false, problems: forbidden };
  const r = ConfigSchema.safeParse(input);
  if (r.success) return { ok: true, config: r.data };
  const problems = issueProblems(r.error.issues, input, []);
  const seen = new Set<string>();
  return { ok: false, problems: problems.filter((p) => !seen.has(`${p.path}\n${p.message}`) && !!seen.add(`${p.path}\n${p.message}`)) };
}

// ---- problems a person can act on -------------------------------------------------

type Issue = z.core.$ZodIssue;

/**
 * zod's issues as problems by path. An unknown key becomes one problem per key with a
 * "did you mean" hint from the keys the schema knows at that place; a value that matches
 * no kind of product row (a union) reports the problems of the kind it came closest to.
 */
function issueProblems(issues: readonly Issue[], input: unknown, prefix: PropertyKey[]): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const i of issues) {
    const path = [...prefix, ...i.path];
    if (i.code === 'invalid_union' && i.errors.length > 0) {
      const best = i.errors.reduce((a, b) => (b.length < a.length ? b : a));
      out.push(...issueProblems(best, input, path));
    } else if (i.code === 'unrecognized_keys') {
      const known = knownKeysAt(ConfigSchema, path, input);
      for (const k of i.keys) {
        const hint = closest(k, known);
        out.push({ path: formatPath([...path, k]), message: unknownKeyMessage(k, known), msg: hint ? msg('config.unknownKey', { key: k, hint }) : msg('config.unknownKeyNoHint', { key: k }) });
      }
    } else {
      out.push({ path: formatPath(path), message: i.message, msg: issueMsg(i) });
    }
  }
  return out;
}

function unknownKeyMessage(key: string, known: string[]): string {
  const hint = closest(key, known);
  return hint
    ? `unknown setting "${key}"; did you mean "${hint}"?`
    : `unknown setting "${key}": Presslink has no such setting here (the settings are listed in docs/config.md)`;
}

/** The known key nearest to `key` (ignoring case), when it is near enough to be a typo. */
export function closest(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = editDistance(k, name.toLowerCase());
    if (d <= Math.min(2, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

// zod 4 schemas describe themselves in `_zod.def`; only the kinds this file uses are walked.
type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  keyType?: z.ZodType;
  entries?: Record<string, string>;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
};
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const d = defOf(s);
    if (d.innerType && ['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(d.type)) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

/** The object kinds a union may be at this place, narrowed by a discriminator when the value has one. */
function unionOptions(s: z.ZodType, value: unknown): z.ZodType[] {
  const d = defOf(s);
  const options = (d.options ?? []).map(unwrap);
  if (d.discriminator && value && typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[d.discriminator];
    const match = options.filter((o) => {
      const field = defOf(o).shape?.[d.discriminator!];
      return field ? (defOf(unwrap(field)).values ?? []).includes(tag) : false;
    });
    if (match.length) return match;
  }
  return options;
}

function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let here: z.ZodType[] = [unwrap(schema)];
  let value = input;
  for (const seg of path) {
    const next: z.ZodType[] = [];
    for (const s of here.flatMap((x) => (defOf(x).type === 'union' ? unionOptions(x, value) : [x]))) {
      const d = defOf(s);
      const child = d.type === 'object' ? d.shape?.[String(seg)] : d.type === 'array' ? d.element : d.type === 'record' ? d.valueType : undefined;
      if (child) next.push(unwrap(child));
    }
    here = next;
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  const keys = here
    .flatMap((x) => (defOf(x).type === 'union' ? unionOptions(x, value) : [x]))
    .flatMap((s) => {
      const d = defOf(s);
      // A record keyed by an enum (the status mapping) knows its keys too.
      if (d.type === 'record' && d.keyType) return Object.values(defOf(unwrap(d.keyType)).entries ?? {});
      return Object.keys(d.shape ?? {});
    });
  return [...new Set(keys)];
}

/** Every config path holding a secret, so export/redaction never misses one. */
export function secretPaths(cfg: Config): string[][] {
  const out: string[][] = [];
  cfg.stores.forEach((s, i) => {
    out.push(['stores', String(i), 'infigo', 'apiToken']);
    if (s.infigo.statusWriter.kind === 'megascript' && s.infigo.statusWriter.token) out.push(['stores', String(i), 'infigo', 'statusWriter', 'token']);
  });
  if (cfg.gelato) out.push(['gelato', 'apiKey']);
  if (cfg.files.delivery?.kind === 's3') {
    out.push(['files', 'delivery', 'accessKeyId'], ['files', 'delivery', 'secretAccessKey']);
  }
  if (cfg.statusUpdates.postbackSecret) out.push(['statusUpdates', 'postbackSecret']);
  if (cfg.shippingQuotes.token) out.push(['shippingQuotes', 'token']);
  if (cfg.shippingQuotes.gcl) out.push(['shippingQuotes', 'gcl', 'apiKey']);
  return out;
}

export function isSecretReference(v: string): boolean {
  return v.startsWith('env:') || v.startsWith('secret:');
}
