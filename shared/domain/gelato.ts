// GelatoConnect Order Intake shapes. Pure (zod only). The single source of these types.
// Field names follow reference gelatoconnect-api.md §2.1 / §8.1 (submit), §2.2 (get), §2.3
// (search, [inferred] from Gelato v4), §3.1 (statuses, lower-case, `canceled` with one l).
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Statuses

/** Lower-case API statuses in lifecycle order ([inferred] enum of reference §3.1). */
export const GELATO_STATUSES = [
  'draft',
  'received',
  'passed',
  'created',
  'in_production',
  'printed',
  'packaged',
  'shipped',
  'in_transit',
  'delivered',
  'returned',
  'failed',
  'canceled',
] as const;
export type GelatoStatus = (typeof GELATO_STATUSES)[number];

// Rank: a status may only replace one of lower rank, so a late-arriving "received" postback can
// never overwrite "shipped". Side exits rank above the whole happy path: once failed or
// canceled, an order does not come back to production in the same GelatoConnect order.
const RANK: Record<GelatoStatus, number> = {
  draft: 0,
  received: 10,
  passed: 20,
  created: 30,
  in_production: 40,
  printed: 50,
  packaged: 60,
  shipped: 70,
  in_transit: 80,
  delivered: 90,
  returned: 100,
  failed: 110,
  canceled: 110,
};

export function statusRank(s: GelatoStatus): number {
  return RANK[s];
}

/** No further change is expected in the normal flow. */
export function isTerminal(s: GelatoStatus): boolean {
  return s === 'delivered' || s === 'returned' || s === 'failed' || s === 'canceled';
}

/** True when `next` should replace `current` (strictly later in the lifecycle). */
export function isStatusAdvance(current: GelatoStatus | null | undefined, next: GelatoStatus): boolean {
  if (!current) return true;
  return statusRank(next) > statusRank(current);
}

const STATUS_ALIASES: Record<string, GelatoStatus> = {
  cancelled: 'canceled', // Production API and UK spelling (§3.5)
  inproduction: 'in_production',
  intransit: 'in_transit',
  produced: 'printed', // "Order produced" trigger (§3.2)
  error: 'failed', // Production API (§3.5)
};

/** Canonical status for a wire/UI value ("Canceled", "In Production", "in-transit", "cancelled");
 *  null when unrecognised (callers keep the raw value for display). */
export function normaliseGelatoStatus(value: unknown): GelatoStatus | null {
  if (typeof value !== 'string') return null;
  const snake = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if ((GELATO_STATUSES as readonly string[]).includes(snake)) return snake as GelatoStatus;
  return STATUS_ALIASES[snake.replace(/_/g, '')] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Submit Order payload

export const gelatoFileSchema = z.object({
  type: z.string().min(1),
  url: z.string().url(),
});
export type GelatoFile = z.infer<typeof gelatoFileSchema>;

export const gelatoMetadataSchema = z.array(z.object({ key: z.string().min(1), value: z.string() }));
export type GelatoMetadata = z.infer<typeof gelatoMetadataSchema>;

export const gelatoAddressSchema = z.object({
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 two-letter code, e.g. GB'),
  firstName: z.string().min(1),
  lastName: z.string(),
  companyName: z.string().optional(),
  addressLine1: z.string().min(1),
  addressLine2: z.string().optional(),
  city: z.string().min(1),
  postCode: z.string(),
  state: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  isBusiness: z.boolean().optional(),
  federalTaxId: z.string().optional(),
  stateTaxId: z.string().optional(),
  registrationState: z.string().optional(),
});
export type GelatoAddress = z.infer<typeof gelatoAddressSchema>;

const itemBase = {
  itemReferenceId: z.string().min(1),
  quantity: z.number().int().positive(),
  retailPriceInclVat: z.number().optional(),
  files: z.array(gelatoFileSchema),
  metadata: gelatoMetadataSchema.optional(),
};

// The union below would quietly accept an item with both (it strips the extra keys), so the
// "one or the other" rule is checked on the raw item first.
const exclusiveProduct = z.looseObject({}).superRefine((v, ctx) => {
  if (v.productUid !== undefined && (v.productName !== undefined || v.productVariant !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['productUid'], message: 'give either productUid or productName + productVariant, not both' });
  }
});

/** An item names its product either by `productUid` or by customer product name + variant. */
export const gelatoItemSchema = z.intersection(exclusiveProduct, z.union([
  z.object({ ...itemBase, productUid: z.string().min(1) }),
  z.object({
    ...itemBase,
    productName: z.string().min(1),
    productVariant: z.record(z.string(), z.string()),
  }),
]));
export type GelatoItem = z.infer<typeof gelatoItemSchema>;

export const gelatoOrderPayloadSchema = z.object({
  orderReferenceId: z.string().min(1),
  customerReferenceId: z.string().min(1).optional(),
  orderType: z.enum(['order', 'draft']).optional(),
  preventDuplicate: z.boolean().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code, e.g. GBP'),
  retailCurrency: z.string().regex(/^[A-Z]{3}$/).optional(),
  retailShippingPriceInclVat: z.number().optional(),
  shipmentMethodUid: z.string().min(1),
  shippingAddress: gelatoAddressSchema,
  items: z.array(gelatoItemSchema).min(1),
  metadata: gelatoMetadataSchema.optional(),
});
export type GelatoOrderPayload = z.infer<typeof gelatoOrderPayloadSchema>;

/** Field-level problems of a payload, as "path: message" strings; empty when valid. */
export function validateGelatoOrderPayload(payload: unknown): string[] {
  const r = gelatoOrderPayloadSchema.safeParse(payload);
  if (r.success) return [];
  return r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`);
}

export const gelatoSubmitResponseSchema = z.looseObject({
  id: z.string().min(1),
  orderReferenceId: z.string().nullish(),
  createdAt: z.string().nullish(),
});
export type GelatoSubmitResponse = { id: string; orderReferenceId: string; createdAt: string | null };

// ---------------------------------------------------------------------------------------------
// Get Order / Search Orders responses (lenient: most of these fields are [inferred])

const looseStatus = z
  .unknown()
  .transform((v) => ({ raw: typeof v === 'string' ? v : null, status: normaliseGelatoStatus(v) }));

export const gelatoPackageSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  trackingCode: z.string().nullish(),
  trackingUrl: z.string().nullish(),
  orderItemIds: z.array(z.union([z.string(), z.number()])).nullish(),
});

export const gelatoOrderResponseSchema = z.looseObject({
  id: z.string().min(1),
  orderReferenceId: z.string().nullish(),
  customerReferenceId: z.string().nullish(),
  status: z.unknown().optional(),
  fulfillmentStatus: z.unknown().optional(),
  financialStatus: z.string().nullish(),
  currency: z.string().nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
  shipment: z
    .looseObject({
      shipmentMethodUid: z.string().nullish(),
      shipmentMethodName: z.string().nullish(),
      packages: z.array(gelatoPackageSchema).nullish(),
      trackingCode: z.string().nullish(),
      trackingUrl: z.string().nullish(),
    })
    .nullish(),
  items: z
    .array(
      z.looseObject({
        id: z.union([z.string(), z.number()]).nullish(),
        itemReferenceId: z.string().nullish(),
        fulfillmentStatus: z.unknown().optional(),
      }),
    )
    .nullish(),
});

export type GelatoTracking = { code: string; url: string | null; packageId: string | null };

/** Get Order, normalised: `status` is canonical (null when unrecognised; `rawStatus` keeps the
 *  wire value), tracking is flattened from shipment packages. */
export type GelatoOrder = {
  id: string;
  orderReferenceId: string | null;
  customerReferenceId: string | null;
  status: GelatoStatus | null;
  rawStatus: string | null;
  financialStatus: string | null;
  currency: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  shipmentMethodUid: string | null;
  shipmentMethodName: string | null;
  tracking: GelatoTracking[];
  items: { id: string | null; itemReferenceId: string | null; status: GelatoStatus | null }[];
  raw: Record<string, unknown>;
};

/** Parses a Get Order (or search result) object; throws with the offending fields listed. */
export function parseGelatoOrder(data: unknown): GelatoOrder {
  const r = gelatoOrderResponseSchema.safeParse(data);
  if (!r.success) {
    const fields = r.error.issues.map((i) => `${i.path.join('.') || '(order)'}: ${i.message}`);
    throw new Error(`GelatoConnect sent an order Presslink cannot read: ${fields.join('; ')}`);
  }
  const o = r.data;
  // GelatoConnect's documented example uses fulfillmentStatus; the sandbox and v4 use status.
  const s = looseStatus.parse(o.fulfillmentStatus ?? o.status);
  const tracking: GelatoTracking[] = [];
  for (const p of o.shipment?.packages ?? []) {
    if (p.trackingCode) tracking.push({ code: p.trackingCode, url: p.trackingUrl ?? null, packageId: p.id == null ? null : String(p.id) });
  }
  if (tracking.length === 0 && o.shipment?.trackingCode) {
    tracking.push({ code: o.shipment.trackingCode, url: o.shipment.trackingUrl ?? null, packageId: null });
  }
  return {
    id: o.id,
    orderReferenceId: o.orderReferenceId ?? null,
    customerReferenceId: o.customerReferenceId ?? null,
    status: s.status,
    rawStatus: s.raw,
    financialStatus: o.financialStatus ?? null,
    currency: o.currency ?? null,
    createdAt: o.createdAt ?? null,
    updatedAt: o.updatedAt ?? null,
    shipmentMethodUid: o.shipment?.shipmentMethodUid ?? null,
    shipmentMethodName: o.shipment?.shipmentMethodName ?? null,
    tracking,
    items: (o.items ?? []).map((i) => ({
      id: i.id == null ? null : String(i.id),
      itemReferenceId: i.itemReferenceId ?? null,
      status: normaliseGelatoStatus(i.fulfillmentStatus),
    })),
    raw: o as Record<string, unknown>,
  };
}

/** Search Orders body ([inferred] from Gelato v4 search; pagination [unknown]). */
export type GelatoSearchQuery = {
  ids?: string[];
  orderReferenceId?: string;
  orderReferenceIds?: string[];
  fulfillmentStatuses?: string[];
  countries?: string[];
  search?: string;
  startDate?: string;
  endDate?: string;
  limit?: number;
  offset?: number;
  [extra: string]: unknown;
};

/** Update Shipment body: at least one of the two (reference §2.5). */
export type GelatoShipmentUpdate = {
  shipmentMethodUid?: string;
  shippingAddress?: Partial<GelatoAddress>;
};

// ---------------------------------------------------------------------------------------------
// Logistics quote (GCL, reference §4)

export type GelatoQuoteRequest = {
  orderReferenceId: string;
  currency: string;
  receiver: {
    person?: { firstName?: string; lastName?: string; company?: string; email?: string; phone?: string };
    address: { country: string; state?: string; city?: string; postcode?: string; addressLine1?: string; addressLine2?: string };
  };
  packages?: {
    packageReferenceId?: string;
    grossWeight?: number;
    length?: number;
    width?: number;
    height?: number;
    items?: { itemReferenceId?: string; description?: string; value?: number; quantity?: number; weight?: number }[];
  }[];
  options?: { weightUnit?: 'g'; dimensionUnit?: 'mm' };
  [extra: string]: unknown;
};

export type GelatoQuoteOption = {
  carrierName: string | null;
  carrierUid: string | null;
  methodName: string;
  methodUid: string;
  price: number;
  minShipmentDays: number | null;
  maxShipmentDays: number | null;
};

export const gelatoQuoteResponseSchema = z.looseObject({
  items: z.array(
    z.looseObject({
      carrier: z.looseObject({ name: z.string().nullish(), uid: z.string().nullish() }).nullish(),
      method: z.looseObject({
        name: z.string(),
        uid: z.string(),
        price: z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]),
        minShipmentDays: z.number().nullish(),
        maxShipmentDays: z.number().nullish(),
      }),
    }),
  ),
});
