import { mappingKey, type Config, type ProductMapping } from '../config';
import type { GelatoAddress, GelatoItem, GelatoOrderPayload } from './gelato';
import { countryToIso2, type InfigoOrder } from './infigo';
import type { OrderLine } from './order-line';
import { list, msg, type Msg } from '../messages/index';

// Infigo order → GelatoConnect Submit Order payload, as a pure function: the
// engine submits what it returns, and the mapping editor previews the very
// same result. Every problem is collected (not just the first) and worded for
// the person who has to fix it, as messages (shared/messages, `convert.*`) the
// engine stores beside their English and each face shows in its language.

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
  /** What is wrong, and what to do about it (the engine stores their English beside them). */
  message: Msg;
  fix: Msg;
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
  | { ok: false; nothingToProduce: true; reason: Msg }
  | { ok: false; nothingToProduce?: false; problems: AttentionProblem[] };

export const MAX_QUANTITY = 1_000_000;

export function convertOrder(input: ConvertInput): ConvertResult {
  const { config, order, lines } = input;
  const problems: AttentionProblem[] = [];
  const items: GelatoItem[] = [];
  const excludedStockLines: string[] = [];

  if (lines.length === 0) {
    return { ok: false, problems: [{ code: 'no_lines', message: msg('convert.noLines', { order: order.Id }), fix: msg('convert.noLinesFix') }] };
  }

  for (const line of lines) {
    const label = lineLabel(line);
    if (line.kind === 'unsupported') {
      problems.push({
        code: 'unsupported_product',
        message: msg('convert.unsupported', { label, type: line.productType ?? msg('convert.unknownType') }),
        fix: msg('convert.unsupportedFix', { where: msg('where.setupOrderTypes') }),
        params: { jobId: line.jobId, productType: line.productType ?? 'unknown' },
      });
      continue;
    }
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      problems.push({
        code: 'bad_quantity',
        message: msg('convert.badQuantity', { label, quantity: line.quantity, max: MAX_QUANTITY }),
        fix: msg('convert.badQuantityFix'),
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
          message: msg('convert.stockHold', { label }),
          fix: msg('convert.stockHoldFix', { where: msg('where.setupOrderTypes') }),
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
    return { ok: false, nothingToProduce: true, reason: msg('convert.stockOnly') };
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

function lineLabel(line: OrderLine): Msg {
  return line.sku ? msg('convert.lineSku', { line: line.jobId, sku: line.sku }) : msg('convert.line', { line: line.jobId });
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
      problem: { code: 'unmapped_sku', message: msg('convert.noSku', { line: line.jobId }), fix: msg('convert.noSkuFix'), params: { jobId: line.jobId } },
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
          message: described ? msg('convert.unmappedWith', { sku, attributes: described }) : msg('convert.unmapped', { sku }),
          fix: msg('convert.unmappedFix', { sku, where: msg('where.mappings') }),
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
          message: msg('convert.attributesMissing', { sku, attributes: list(missing.map((m) => `"${m}"`), 'comma'), line: line.jobId, count: missing.length }),
          fix: msg('convert.attributesMissingFix'),
          params: { sku, attribute: missing.join(', '), jobId: line.jobId },
        },
      };
    }
    return {
      ok: false,
      problem: {
        code: 'unmapped_sku',
        message: msg('convert.notForVariant', { sku, attributes: described }),
        fix: msg('convert.notForVariantFix', { sku, attributes: described, where: msg('where.mappings') }),
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
          message: msg('convert.optionMissing', { line: line.jobId, sku, attribute: infigoAttr, product: best.productName, option }),
          fix: msg('convert.optionMissingFix'),
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
    message: name ? msg('convert.shippingUnmapped', { method: name }) : msg('convert.shippingNone'),
    fix: msg('convert.shippingFix', { where: msg('where.setupShipping') }),
    params: { method: name ?? '' },
  });
  return undefined;
}

/** The address fields as the problem's `params.fields` names them (English, as before messages). */
const ADDRESS_FIELD = { name: 'name', line1: 'address line 1', town: 'town/city', country: 'country', postcode: 'postcode' } as const;

/** Countries whose addresses have no postcode, so an empty one is not an error there. */
const NO_POSTCODE = new Set(['IE', 'HK', 'AE', 'QA', 'PA', 'JM', 'BS', 'FJ', 'GH', 'ZW', 'AO', 'BO']);

function convertAddress(a: InfigoOrder['ShippingAddress'], problems: AttentionProblem[]): GelatoAddress | undefined {
  const fix = msg('convert.addressFix');
  if (!a) {
    problems.push({ code: 'address_missing', message: msg('convert.noAddress'), fix });
    return undefined;
  }
  const missing: ('name' | 'line1' | 'town' | 'country' | 'postcode')[] = [];
  const first = a.FirstName?.trim() || '';
  const last = a.LastName?.trim() || '';
  if (!first && !last && !a.CompanyName?.trim()) missing.push('name');
  if (!a.AddressLine1?.trim()) missing.push('line1');
  if (!a.Town?.trim()) missing.push('town');
  if (!a.Country?.trim()) missing.push('country');
  const country = a.Country?.trim() ? countryToIso2(a.Country) : null;
  if (a.Country?.trim() && !country) {
    problems.push({
      code: 'unknown_country',
      message: msg('convert.unknownCountry', { country: a.Country }),
      fix: msg('convert.unknownCountryFix'),
      params: { country: a.Country },
    });
  }
  if (!a.ZipPostalCode?.trim() && !(country && NO_POSTCODE.has(country))) missing.push('postcode');
  if (missing.length) {
    problems.push({
      code: 'address_missing',
      message: msg('convert.addressMissing', { fields: list(missing.map((f) => msg(`convert.field.${f}`)), 'comma') }),
      fix,
      params: { fields: missing.map((f) => ADDRESS_FIELD[f]).join(', ') },
    });
  }
  if (a.Email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(a.Email.trim())) {
    problems.push({ code: 'address_invalid', message: msg('convert.badEmail', { email: a.Email }), fix, params: { email: a.Email } });
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
