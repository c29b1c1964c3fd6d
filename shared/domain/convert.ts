import { mappingKey, type Config, type ProductMapping } from '../config';
import type { GelatoAddress, GelatoItem, GelatoOrderPayload } from './gelato';
import { countryToIso2, type InfigoOrder } from './infigo';
import type { OrderLine } from './order-line';

// Infigo order → GelatoConnect Submit Order payload, as a pure function: the
// engine submits what it returns, and the mapping editor previews the very
// same result. Every problem is collected (not just the first) and worded for
// the person who has to fix it.

export type AttentionCode =
  | 'unmapped_sku'
  | 'missing_variant_attribute'
  | 'address_missing'
  | 'address_invalid'
  | 'unknown_country'
  | 'unknown_shipping_method'
  | 'bad_quantity'
  | 'unsupported_product'
  | 'stock_hold'
  | 'no_lines'
  | 'file_missing'
  | 'file_invalid'
  | 'file_unreachable'
  | 'gelato_rejected'
  | 'gelato_failed'
  | 'infigo_data'
  /** The order's date could not be read, so it is not known whether it was placed before go-live. */
  | 'date_unreadable'
  /** A line lacks a field production needs (Quantity, Sku, ProductName) and no fallback gave it. */
  | 'line_fields_missing'
  | 'status_push_failed';

export interface AttentionProblem {
  code: AttentionCode;
  message: string;
  fix: string;
  params?: Record<string, string | number>;
}

export interface ConvertInput {
  store: { id: string; gelatoCustomerReferenceId: string; currency: string };
  order: Pick<InfigoOrder, 'Id' | 'ShippingMethod' | 'ShippingAddress' | 'PurchaseOrderNumber' | 'CurrencyCode'>;
  lines: OrderLine[];
  config: Pick<Config, 'products' | 'shipping' | 'orderTypes'>;
  orderReferenceId: string;
  /** Delivered print-file URL per printable job id; absent while only checking mappings. */
  fileUrls?: Record<string, string>;
}

export type ConvertResult =
  | { ok: true; payload: GelatoOrderPayload; excludedStockLines: string[] }
  | { ok: false; nothingToProduce: true; reason: string }
  | { ok: false; nothingToProduce?: false; problems: AttentionProblem[] };

export const MAX_QUANTITY = 1_000_000;

export function convertOrder(input: ConvertInput): ConvertResult {
  const { config, order, lines } = input;
  const problems: AttentionProblem[] = [];
  const items: GelatoItem[] = [];
  const excludedStockLines: string[] = [];

  if (lines.length === 0) {
    return { ok: false, problems: [{ code: 'no_lines', message: `Infigo order ${order.Id} has no order lines.`, fix: 'Check the order in Infigo; if it is empty, skip it.' }] };
  }

  for (const line of lines) {
    const label = lineLabel(line);
    if (line.kind === 'unsupported') {
      problems.push({
        code: 'unsupported_product',
        message: `${label} is an Infigo product of type ${line.productType ?? 'unknown'}, which is neither printable nor a stock item in the settings.`,
        fix: 'Mark the product as printable ("normal") or stock in Infigo, or add its type in Settings → Order types, then press Retry.',
        params: { jobId: line.jobId, productType: line.productType ?? 'unknown' },
      });
      continue;
    }
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      problems.push({
        code: 'bad_quantity',
        message: `${label} has quantity ${line.quantity}; GelatoConnect needs a whole number from 1 to ${MAX_QUANTITY.toLocaleString('en')}.`,
        fix: 'Correct the quantity in Infigo, or skip the order.',
        params: { jobId: line.jobId, quantity: line.quantity },
      });
      continue;
    }
    if (line.kind === 'stock') {
      if (config.orderTypes.stockPolicy === 'exclude') {
        excludedStockLines.push(line.jobId);
        continue;
      }
      if (config.orderTypes.stockPolicy === 'hold') {
        problems.push({
          code: 'stock_hold',
          message: `${label} is a stock item, and the settings hold orders with stock items for review.`,
          fix: 'Pick the stock items by hand, then press Retry to send the printable lines, or change the stock policy in Settings → Order types.',
          params: { jobId: line.jobId },
        });
        continue;
      }
      // send-as-stock: the warehouse item travels with the order, without files.
      items.push({
        itemReferenceId: line.jobId,
        productName: line.sku ?? line.name ?? line.jobId,
        productVariant: {},
        quantity: line.quantity,
        files: [],
        metadata: [{ key: 'item-type', value: 'stock' }, ...(line.sku ? [{ key: 'sku', value: line.sku }] : [])],
      });
      continue;
    }
    const product = resolveProduct(line, config.products);
    if (!product.ok) {
      problems.push(product.problem);
      continue;
    }
    const url = input.fileUrls?.[line.jobId];
    const files = url ? [{ type: 'default', url }] : [];
    const metadata = [{ key: 'infigoJobId', value: line.jobId }, ...(line.sku ? [{ key: 'sku', value: line.sku }] : [])];
    items.push(
      'productUid' in product.value
        ? { itemReferenceId: line.jobId, productUid: product.value.productUid, quantity: line.quantity, files, metadata }
        : { itemReferenceId: line.jobId, productName: product.value.productName, productVariant: product.value.productVariant, quantity: line.quantity, files, metadata },
    );
  }

  const address = convertAddress(order.ShippingAddress, problems);
  const method = resolveShipping(order.ShippingMethod, config.shipping, problems);

  if (problems.length) return { ok: false, problems };
  const printable = lines.filter((l) => l.kind === 'printable');
  if (printable.length === 0 && items.length === 0) {
    return { ok: false, nothingToProduce: true, reason: 'The order has only stock items, which the settings leave out of production.' };
  }

  const payload: GelatoOrderPayload = {
    orderReferenceId: input.orderReferenceId,
    customerReferenceId: input.store.gelatoCustomerReferenceId,
    orderType: 'order',
    preventDuplicate: true,
    currency: (order.CurrencyCode && /^[A-Z]{3}$/.test(order.CurrencyCode) ? order.CurrencyCode : input.store.currency).toUpperCase(),
    shipmentMethodUid: method!,
    shippingAddress: address!,
    items,
    metadata: [
      { key: 'infigoOrderId', value: String(order.Id) },
      { key: 'store', value: input.store.id },
      ...(order.PurchaseOrderNumber ? [{ key: 'purchaseOrderNumber', value: order.PurchaseOrderNumber }] : []),
    ],
  };
  return { ok: true, payload, excludedStockLines };
}

function lineLabel(line: OrderLine): string {
  return `Line ${line.jobId}${line.sku ? ` (SKU ${line.sku})` : ''}`;
}

type ResolvedProduct = { productUid: string } | { productName: string; productVariant: Record<string, string> };

/**
 * The most specific mapping row whose attributes the line carries. A row with
 * `attributeMap` copies the line's attribute values into the customer product's
 * variant options.
 */
export function resolveProduct(
  line: Pick<OrderLine, 'jobId' | 'sku' | 'attributes'>,
  products: ProductMapping[],
): { ok: true; value: ResolvedProduct; mapping: ProductMapping } | { ok: false; problem: AttentionProblem } {
  const attrs = lowerKeys(line.attributes);
  const sku = line.sku?.trim();
  const described = describeAttrs(line.attributes);
  if (!sku) {
    return {
      ok: false,
      problem: { code: 'unmapped_sku', message: `Line ${line.jobId} has no SKU, so it cannot be matched to a GelatoConnect product.`, fix: 'Give the product a SKU in Infigo, then press Retry.', params: { jobId: line.jobId } },
    };
  }
  const rows = products.filter((p) => p.sku.toLowerCase() === sku.toLowerCase());
  const matching = rows
    .filter((p) => Object.entries(p.attributes ?? {}).every(([k, v]) => attrs[k.toLowerCase()]?.toLowerCase() === v.toLowerCase()))
    .sort((a, b) => Object.keys(b.attributes ?? {}).length - Object.keys(a.attributes ?? {}).length);
  const best = matching[0];
  if (!best) {
    if (rows.length === 0) {
      return {
        ok: false,
        problem: {
          code: 'unmapped_sku',
          message: `No GelatoConnect product is mapped for SKU "${sku}"${described ? ` (${described})` : ''}.`,
          fix: `Add a mapping for SKU "${sku}" in Mappings, then press Retry.`,
          params: { sku, jobId: line.jobId },
        },
      };
    }
    const missing = [...new Set(rows.flatMap((r) => Object.keys(r.attributes ?? {})))].filter((k) => attrs[k.toLowerCase()] === undefined);
    if (missing.length) {
      return {
        ok: false,
        problem: {
          code: 'missing_variant_attribute',
          message: `SKU "${sku}" is mapped by ${missing.map((m) => `"${m}"`).join(', ')}, but line ${line.jobId} has no value for ${missing.length > 1 ? 'them' : 'it'}.`,
          fix: 'Check the product attributes in Infigo (Infigo sometimes sends them empty), or add a mapping without that attribute, then press Retry.',
          params: { sku, attribute: missing.join(', '), jobId: line.jobId },
        },
      };
    }
    return {
      ok: false,
      problem: {
        code: 'unmapped_sku',
        message: `SKU "${sku}" is mapped, but not for ${described}.`,
        fix: `Add a mapping for SKU "${sku}" with ${described} in Mappings, then press Retry.`,
        params: { sku, jobId: line.jobId },
      },
    };
  }
  if ('productUid' in best) return { ok: true, value: { productUid: best.productUid }, mapping: best };
  const variant = { ...best.productVariant };
  for (const [infigoAttr, option] of Object.entries(best.attributeMap ?? {})) {
    const v = attrs[infigoAttr.toLowerCase()];
    if (v === undefined) {
      return {
        ok: false,
        problem: {
          code: 'missing_variant_attribute',
          message: `Line ${line.jobId} (SKU ${sku}) has no "${infigoAttr}", which the customer product "${best.productName}" needs for its "${option}" option.`,
          fix: 'Check the product attributes in Infigo (Infigo sometimes sends them empty), then press Retry.',
          params: { sku, attribute: infigoAttr, jobId: line.jobId },
        },
      };
    }
    variant[option] = v;
  }
  return { ok: true, value: { productName: best.productName, productVariant: variant }, mapping: best };
}

export function resolveShipping(method: string | null | undefined, shipping: Config['shipping'], problems: AttentionProblem[]): string | undefined {
  const name = method?.trim();
  if (name) {
    const hit = Object.entries(shipping.methods).find(([k]) => k.toLowerCase() === name.toLowerCase());
    if (hit) return hit[1];
  }
  if (shipping.default) return shipping.default;
  problems.push({
    code: 'unknown_shipping_method',
    message: name
      ? `The delivery method "${name}" is not mapped to a GelatoConnect shipping method, and there is no default.`
      : 'The order names no delivery method, and there is no default shipping method.',
    fix: 'Map the delivery method (or set a default) in Settings → Shipping, then press Retry.',
    params: { method: name ?? '' },
  });
  return undefined;
}

/** Countries whose addresses have no postcode, so an empty one is not an error there. */
const NO_POSTCODE = new Set(['IE', 'HK', 'AE', 'QA', 'PA', 'JM', 'BS', 'FJ', 'GH', 'ZW', 'AO', 'BO']);

function convertAddress(a: InfigoOrder['ShippingAddress'], problems: AttentionProblem[]): GelatoAddress | undefined {
  const fix = 'Correct the shipping address in Infigo, then press Retry.';
  if (!a) {
    problems.push({ code: 'address_missing', message: 'The order has no shipping address.', fix });
    return undefined;
  }
  const missing: string[] = [];
  const first = a.FirstName?.trim() || '';
  const last = a.LastName?.trim() || '';
  if (!first && !last && !a.CompanyName?.trim()) missing.push('name');
  if (!a.AddressLine1?.trim()) missing.push('address line 1');
  if (!a.Town?.trim()) missing.push('town/city');
  if (!a.Country?.trim()) missing.push('country');
  const country = a.Country?.trim() ? countryToIso2(a.Country) : null;
  if (a.Country?.trim() && !country) {
    problems.push({
      code: 'unknown_country',
      message: `The shipping country "${a.Country}" is not a country Presslink recognises.`,
      fix: 'Use the country’s name or its two-letter code (e.g. GB) in the Infigo address, then press Retry.',
      params: { country: a.Country },
    });
  }
  if (!a.ZipPostalCode?.trim() && !(country && NO_POSTCODE.has(country))) missing.push('postcode');
  if (missing.length) {
    problems.push({
      code: 'address_missing',
      message: `The shipping address is missing: ${missing.join(', ')}.`,
      fix,
      params: { fields: missing.join(', ') },
    });
  }
  if (a.Email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.Email.trim())) {
    problems.push({ code: 'address_invalid', message: `The e-mail address "${a.Email}" in the shipping address is not valid.`, fix, params: { email: a.Email } });
  }
  if (missing.length || !country) return undefined;
  return {
    country,
    firstName: first || a.CompanyName!.trim(),
    lastName: last,
    ...(a.CompanyName?.trim() ? { companyName: a.CompanyName.trim() } : {}),
    addressLine1: a.AddressLine1!.trim(),
    ...(a.AddressLine2?.trim() ? { addressLine2: a.AddressLine2.trim() } : {}),
    city: a.Town!.trim(),
    postCode: a.ZipPostalCode?.trim() ?? '',
    ...(a.StateProvince?.trim() ? { state: a.StateProvince.trim() } : {}),
    ...(a.Email?.trim() ? { email: a.Email.trim() } : {}),
    ...(a.Telephone?.trim() ? { phone: a.Telephone.trim() } : {}),
    ...(a.CompanyName?.trim() ? { isBusiness: true } : {}),
  };
}

function lowerKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v]));
}

function describeAttrs(a: Record<string, string>): string {
  return Object.entries(a)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

export { mappingKey };
