// Infigo REST shapes as Presslink reads them. Pure (zod only).
//
// Real stores are inconsistent (reference infigo-api.md §3, §4.1, §7): statuses may arrive as
// nopCommerce names or integers, ProductAttributes is sometimes empty or null, the country is an
// ISO2 code or a name, job ids carry a type letter or not. The schemas accept all of that and
// normalise it, so the rest of the app sees one shape. Unknown extra fields are kept (loose
// objects) because the full OpenAPI order schema is unknown.
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Status tables (nopCommerce lineage, reference §4.1 [third-party]; names [inferred] for Infigo)

export const INFIGO_ORDER_STATUS = { 10: 'Pending', 20: 'Processing', 30: 'Complete', 40: 'Cancelled' } as const;
export const INFIGO_PAYMENT_STATUS = {
  10: 'Pending', 20: 'Authorized', 30: 'Paid', 35: 'PartiallyRefunded', 40: 'Refunded', 50: 'Voided',
} as const;
export const INFIGO_SHIPPING_STATUS = {
  10: 'ShippingNotRequired', 20: 'NotYetShipped', 25: 'PartiallyShipped', 30: 'Shipped', 40: 'Delivered',
} as const;

export type InfigoOrderStatus = (typeof INFIGO_ORDER_STATUS)[keyof typeof INFIGO_ORDER_STATUS];
export type InfigoPaymentStatus = (typeof INFIGO_PAYMENT_STATUS)[keyof typeof INFIGO_PAYMENT_STATUS];
export type InfigoShippingStatus = (typeof INFIGO_SHIPPING_STATUS)[keyof typeof INFIGO_SHIPPING_STATUS];

type StatusTable = Record<number, string>;

function squash(s: string): string {
  return s.toLowerCase().replace(/[\s_-]+/g, '');
}

/**
 * Maps a status given as a name (any case/spacing, "Canceled" or "Cancelled") or as an integer
 * (number or numeric string) to its canonical name. Values outside the table are kept as their
 * string form rather than rejected: an unknown status must not stop an order being imported.
 * Returns null for null/undefined/empty.
 */
export function normaliseStatus(table: StatusTable, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+\s*$/.test(value))) {
    const n = Number(value);
    return table[n] ?? String(n);
  }
  if (typeof value !== 'string') return String(value);
  const key = squash(value).replace(/^canceled$/, 'cancelled');
  for (const name of Object.values(table)) if (squash(name) === key) return name;
  return value.trim();
}

export const normaliseOrderStatus = (v: unknown): string | null => normaliseStatus(INFIGO_ORDER_STATUS, v);
export const normalisePaymentStatus = (v: unknown): string | null => normaliseStatus(INFIGO_PAYMENT_STATUS, v);
export const normaliseShippingStatus = (v: unknown): string | null => normaliseStatus(INFIGO_SHIPPING_STATUS, v);

// ---------------------------------------------------------------------------------------------
// Product types (reference §7 [documented] enum; classification is a project decision)

export type InfigoLineKind = 'stock' | 'printable' | 'unsupported';

/** Infigo's numeric product Type → what Presslink does with it. Never match on names:
 *  Infigo's "Normal" (10) is the *stock* type. */
export const INFIGO_PRODUCT_TYPES: ReadonlyArray<{ type: number; name: string; kind: InfigoLineKind }> = [
  { type: 10, name: 'Normal', kind: 'stock' },
  { type: 20, name: 'Variable', kind: 'printable' },
  { type: 30, name: 'Static', kind: 'printable' },
  { type: 40, name: 'MultiPart', kind: 'printable' },
  { type: 50, name: 'Dynamic', kind: 'printable' },
  { type: 60, name: 'Sms', kind: 'unsupported' },
  { type: 70, name: 'Symphony', kind: 'unsupported' },
  { type: 80, name: 'Custom', kind: 'printable' },
];

/** Kind of an Infigo product type; unknown or missing types are 'unsupported' so they are held
 *  for a person to decide instead of being guessed. */
export function classifyProductType(type: number | null | undefined): InfigoLineKind {
  if (type === null || type === undefined) return 'unsupported';
  return INFIGO_PRODUCT_TYPES.find((t) => t.type === type)?.kind ?? 'unsupported';
}

// ---------------------------------------------------------------------------------------------
// Countries: ISO2 or English name → ISO2

// ISO 3166-1 alpha-2, used with Intl.DisplayNames to resolve English country names.
const ISO2_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO ' +
  'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE ' +
  'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO ' +
  'MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW ' +
  'PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM ' +
  'TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
).split(' ');

const COUNTRY_ALIASES: Record<string, string> = {
  uk: 'GB', unitedkingdom: 'GB', greatbritain: 'GB', england: 'GB', scotland: 'GB', wales: 'GB',
  northernireland: 'GB', unitedkingdomofgreatbritainandnorthernireland: 'GB',
  usa: 'US', us: 'US', unitedstates: 'US', unitedstatesofamerica: 'US', america: 'US',
  holland: 'NL', thenetherlands: 'NL', deutschland: 'DE', republicofireland: 'IE', eire: 'IE',
  czechrepublic: 'CZ', southkorea: 'KR', russia: 'RU', uae: 'AE',
};

let countryNameIndex: Map<string, string> | null = null;
function countryIndex(): Map<string, string> {
  if (countryNameIndex) return countryNameIndex;
  const index = new Map<string, string>();
  try {
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const code of ISO2_CODES) {
      const name = names.of(code);
      if (name && name !== code) index.set(squashCountry(name), code);
    }
  } catch {
    // No ICU data: aliases and ISO2 codes still work.
  }
  for (const [alias, code] of Object.entries(COUNTRY_ALIASES)) index.set(alias, code);
  countryNameIndex = index;
  return index;
}

function squashCountry(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');
}

/** ISO2 code for a country given as ISO2 ("gb"), or as an English name ("United Kingdom");
 *  null when it cannot be resolved (a person must fix the address). */
export function countryToIso2(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    const code = trimmed.toUpperCase();
    if (code === 'UK') return 'GB';
    return ISO2_CODES.includes(code) ? code : null;
  }
  return countryIndex().get(squashCountry(trimmed)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Schemas

const optStr = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined ? '' : String(v)));
const nullableStr = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));
const intLike = z.union([z.number().int(), z.string().regex(/^\s*-?\d+\s*$/, 'expected an integer')]).transform(Number);
const numLike = z
  .union([z.number(), z.string().regex(/^\s*-?\d+(\.\d+)?\s*$/, 'expected a number')])
  .nullish()
  .transform((v) => (v === null || v === undefined ? null : Number(v)));
const arrayOrEmpty = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);

export const infigoAddressSchema = z
  .looseObject({
    FirstName: optStr,
    LastName: optStr,
    CompanyName: optStr,
    AddressLine1: optStr,
    AddressLine2: optStr,
    Town: optStr,
    ZipPostalCode: optStr,
    StateProvince: optStr,
    Country: optStr,
    Telephone: optStr,
    FaxNumber: optStr,
    Email: optStr,
  })
  .transform((a) => ({ ...a, CountryCode: countryToIso2(a.Country) }));
export type InfigoAddress = z.output<typeof infigoAddressSchema>;

const attributeValueSchema = z.looseObject({ Id: nullableStr, Content: optStr });
export const infigoProductAttributeSchema = z.looseObject({
  Id: nullableStr,
  Name: optStr,
  Values: arrayOrEmpty(attributeValueSchema),
});
export type InfigoProductAttribute = z.output<typeof infigoProductAttributeSchema>;

const checkoutAttributeSchema = z.looseObject({
  Name: optStr,
  Values: arrayOrEmpty(z.looseObject({ Content: optStr })),
});

/** Job ids are numbers, or strings with a type letter (`s67890`); kept as strings. */
const jobIdSchema = z.union([z.number().int(), z.string().min(1)]).transform(String);

export const infigoOrderSchema = z.looseObject({
  Id: intLike,
  OrderGuid: nullableStr,
  CreatedOnUtc: nullableStr,
  OrderStatus: z.unknown().optional().transform(normaliseOrderStatus),
  PaymentStatus: z.unknown().optional().transform(normalisePaymentStatus),
  ShippingStatus: z.unknown().optional().transform(normaliseShippingStatus),
  ShippingMethod: optStr,
  ShippingMethodExternalId: optStr,
  PaymentMethod: optStr,
  PurchaseOrderNumber: optStr,
  ExternalOrderId: nullableStr,
  CustomerId: numLike,
  CustomerEmail: optStr,
  TrackingNumber: nullableStr,
  DispatchBy: nullableStr,
  DeliverBy: nullableStr,
  BillingAddress: infigoAddressSchema.nullish().transform((v) => v ?? null),
  ShippingAddress: infigoAddressSchema.nullish().transform((v) => v ?? null),
  CheckoutAttributes: arrayOrEmpty(checkoutAttributeSchema),
  OrderNotes: z.array(z.unknown()).nullish().transform((v) => v ?? []),
  ExtraData: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {}),
  OrderTotal: numLike,
  CurrencyCode: nullableStr,
  OrderLineItems: z.array(jobIdSchema),
});
export type InfigoOrder = z.output<typeof infigoOrderSchema>;

export const infigoOrderLineSchema = z
  .looseObject({
    Id: jobIdSchema,
    JobId: jobIdSchema.nullish().transform((v) => v ?? null),
    OpvId: numLike,
    OrderId: numLike,
    Type: z
      .union([z.number().int(), z.string().regex(/^\s*\d+\s*$/)])
      .nullish()
      .transform((v) => (v === null || v === undefined ? null : Number(v))),
    TypeLetter: nullableStr,
    ProductId: numLike,
    // Quantity, Sku and ProductName are known only from the MegaScript model, not from public
    // REST samples (real-api-check.md): a line without them is read, and the missing field is
    // named where it matters (order-line.ts `missingLineFields`) instead of rejecting the order.
    ProductName: optStr,
    Sku: optStr,
    Quantity: intLike.nullish().transform((v) => v ?? null),
    ShippedQuantity: numLike,
    Price: numLike,
    UnitPriceExclTax: numLike,
    AttributeSummary: optStr,
    ProductAttributes: arrayOrEmpty(infigoProductAttributeSchema),
    OrderProductStatus: nullableStr,
    DeliveryType: z
      .union([z.array(z.string()), z.string()])
      .nullish()
      .transform((v) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v])),
    ExtraData: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {}),
  })
  .transform((line) => ({ ...line, Kind: classifyProductType(line.Type) }));
export type InfigoOrderLine = z.output<typeof infigoOrderLineSchema>;

/** `{Name: Content}` of an order line's chosen attributes (first value when several). Empty
 *  when Infigo sent none — a known real-world gap (reference §3.3). */
export function lineAttributeMap(line: Pick<InfigoOrderLine, 'ProductAttributes'>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of line.ProductAttributes) {
    const v = a.Values[0]?.Content;
    if (a.Name && v !== undefined) out[a.Name] = v;
  }
  return out;
}

const productAttributeValueSchema = z.looseObject({
  Id: nullableStr,
  Name: optStr,
  FriendlyName: optStr,
  IsPreSelected: z.boolean().nullish(),
  PriceAdjustment: numLike,
});
export const infigoProductSchema = z
  .looseObject({
    Id: intLike,
    Name: optStr,
    ShortDescription: optStr,
    Type: z
      .union([z.number().int(), z.string().regex(/^\s*\d+\s*$/)])
      .nullish()
      .transform((v) => (v === null || v === undefined ? null : Number(v))),
    Price: numLike,
    Sku: optStr,
    StockValue: numLike,
    ProductAttributes: arrayOrEmpty(
      z.looseObject({
        Name: optStr,
        Description: optStr,
        IsRequired: z.boolean().nullish(),
        ProductAttributeValues: arrayOrEmpty(productAttributeValueSchema),
      }),
    ),
  })
  .transform((p) => ({ ...p, Kind: classifyProductType(p.Type) }));
export type InfigoProduct = z.output<typeof infigoProductSchema>;

/** Order/List: a bare array of ids [third-party]. Numeric strings are accepted. */
export const infigoOrderIdListSchema = z.array(intLike);

// ---------------------------------------------------------------------------------------------
// Parsing with readable errors

/** Thrown when Infigo sent data Presslink cannot use; `fields` says which fields and why. */
export class InfigoDataError extends Error {
  override readonly name = 'InfigoDataError';
  constructor(
    readonly what: string,
    readonly fields: string[],
  ) {
    super(`Infigo sent ${what} that Presslink cannot read: ${fields.join('; ')}`);
  }
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: InfigoDataError };

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(whole value)'}: ${i.message}`);
}

function parser<S extends z.ZodType>(schema: S, what: string) {
  const safe = (data: unknown): ParseResult<z.output<S>> => {
    const r = schema.safeParse(data);
    if (r.success) return { ok: true, value: r.data };
    return { ok: false, error: new InfigoDataError(what, describeIssues(r.error)) };
  };
  const strict = (data: unknown): z.output<S> => {
    const r = safe(data);
    if (!r.ok) throw r.error;
    return r.value;
  };
  return { safe, strict };
}

const orderParser = parser(infigoOrderSchema, 'an order');
const lineParser = parser(infigoOrderLineSchema, 'an order line');
const productParser = parser(infigoProductSchema, 'a product');
const idListParser = parser(infigoOrderIdListSchema, 'an order id list');

export const parseInfigoOrder = orderParser.strict;
export const safeParseInfigoOrder = orderParser.safe;
export const parseInfigoOrderLine = lineParser.strict;
export const safeParseInfigoOrderLine = lineParser.safe;
export const parseInfigoProduct = productParser.strict;
export const safeParseInfigoProduct = productParser.safe;
export const parseInfigoOrderIdList = idListParser.strict;
