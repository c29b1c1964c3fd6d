import type { AttentionProblem } from '../../../shared/domain/convert';
import type { InfigoOrderLine } from '../../../shared/domain/infigo';
import { lineIdentity, missingLineFields, type LineFallbacks, type RequiredLineField } from '../../../shared/domain/order-line';
import type { InfigoClient } from '../infigo';
import { list, msg, type Msg } from '../../../shared/messages/index';
import { sentences } from '../i18n';

// Reading Infigo order lines tolerantly. Quantity, Sku and ProductName are known only from
// Infigo's MegaScript model, not from public REST samples (reference real-api-check.md), so a
// real store may leave any of them out. A line without a SKU or name takes the product's, read
// from the catalogue by the line's ProductId where Infigo gives one; what is still missing is
// named on the order (Needs attention) rather than the whole order being rejected as unreadable.

/** What a line's missing fields say (shared/messages, `lines.*`). */
export const LINE_MSG = {
  fieldsMissing: (jobId: string, infigoOrderId: number, fields: RequiredLineField[]): Msg =>
    msg('lines.fieldsMissing', { line: jobId, order: infigoOrderId, fields: list(fields, 'comma') }),
  fieldsMissingFix: (): Msg => msg('lines.fieldsMissingFix'),
  fallbackUsed: (jobId: string, what: Msg[]): Msg => msg('lines.fallbackUsed', { line: jobId, what: list(what, 'and') }),
} as const;

/** One catalogue read per product per order, whatever the number of lines. */
export type ProductCache = Map<number, Promise<{ sku: string | null; name: string | null } | null>>;

/** The product's SKU and name when the line lacks its own and Infigo says which product it is. */
export async function lineFallbacks(infigo: Pick<InfigoClient, 'getProduct'>, line: InfigoOrderLine, cache: ProductCache): Promise<{ fallbacks: LineFallbacks; used: Msg[] }> {
  const own = lineIdentity(line);
  const productId = typeof line.ProductId === 'number' && line.ProductId > 0 ? line.ProductId : null;
  if ((own.sku && own.name) || productId === null) return { fallbacks: {}, used: [] };
  let p = cache.get(productId);
  if (!p) {
    p = infigo.getProduct(productId).then(
      (x) => ({ sku: x.Sku.trim() || null, name: x.Name.trim() || null }),
      () => null,
    );
    cache.set(productId, p);
  }
  const product = await p;
  if (!product) return { fallbacks: {}, used: [] };
  const used: Msg[] = [];
  if (!own.sku && product.sku) used.push(msg('lines.sku', { sku: product.sku }));
  if (!own.name && product.name) used.push(msg('lines.name', { name: product.name }));
  return { fallbacks: { sku: product.sku, name: product.name }, used };
}

/** The problem to hold an order with when lines going to production lack fields. */
export function missingFieldsProblem(infigoOrderId: number, lines: { line: InfigoOrderLine; fallbacks: LineFallbacks }[]): AttentionProblem | null {
  const gaps = lines.map((l) => ({ jobId: l.line.Id, missing: missingLineFields(l.line, l.fallbacks) })).filter((g) => g.missing.length > 0);
  if (!gaps.length) return null;
  return {
    code: 'line_fields_missing',
    message: sentences(...gaps.map((g) => LINE_MSG.fieldsMissing(g.jobId, infigoOrderId, g.missing))),
    fix: LINE_MSG.fieldsMissingFix(),
    params: { fields: [...new Set(gaps.flatMap((g) => g.missing))].join(','), jobIds: gaps.map((g) => g.jobId).join(',') },
  };
}
