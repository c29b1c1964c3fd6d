import type { Config } from '../config';
import { classifyLine } from './classify';
import { lineAttributeMap, type InfigoLineKind, type InfigoOrderLine } from './infigo';

// An Infigo order line as Presslink keeps it: what it is, how many, which
// product and variant, and whether it goes to production. The sync and the
// mapping preview both read lines through here, so the preview shows exactly
// what the sync will do.

export interface OrderLine {
  jobId: string;
  sku: string | null;
  name: string | null;
  quantity: number;
  productType: number | null;
  kind: InfigoLineKind;
  attributes: Record<string, string>;
}

/** The product tags a line carries ("normal", "stock", …), whatever else the field holds. */
export function lineTags(raw: unknown): string[] {
  const tags = (raw as { ProductTags?: unknown } | null)?.ProductTags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** One Infigo line → an order line, classified by the shop's rules; `because` says why in words. */
export function toOrderLine(line: InfigoOrderLine, rules: Config['orderTypes']): { line: OrderLine; because: string } {
  const c = classifyLine({ sku: line.Sku ?? null, productType: line.Type, tags: lineTags(line) }, rules);
  return {
    line: {
      jobId: line.Id,
      sku: line.Sku ?? null,
      name: line.ProductName ?? null,
      quantity: line.Quantity,
      productType: line.Type,
      kind: c.kind,
      attributes: lineAttributeMap(line),
    },
    because: c.because,
  };
}

/** An order's job ids, each once: Infigo listing a job twice must not produce it twice. */
export function uniqueJobIds(jobIds: readonly string[]): string[] {
  return [...new Set(jobIds)];
}
