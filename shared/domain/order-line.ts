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

/** The fields production needs from an order line; where each may come from is in docs/clients.md. */
export const REQUIRED_LINE_FIELDS = ['Quantity', 'Sku', 'ProductName'] as const;
export type RequiredLineField = (typeof REQUIRED_LINE_FIELDS)[number];

/** What a line's missing fields were filled from (the product's SKU and name in the catalogue). */
export interface LineFallbacks {
  sku?: string | null;
  name?: string | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);

/** The line's SKU and product name: its own, else `Name` (the MegaScript model's), else the fallbacks. */
export function lineIdentity(line: InfigoOrderLine, fb: LineFallbacks = {}): { sku: string | null; name: string | null } {
  const raw = line as unknown as Record<string, unknown>;
  return { sku: text(line.Sku) ?? text(fb.sku), name: text(line.ProductName) ?? text(raw.Name) ?? text(fb.name) };
}

/**
 * The fields a line that goes to production lacks after every fallback: production needs to know
 * how many (Quantity), which product (Sku, for the mapping) and what to call it (ProductName).
 */
export function missingLineFields(line: InfigoOrderLine, fb: LineFallbacks = {}): RequiredLineField[] {
  const id = lineIdentity(line, fb);
  const out: RequiredLineField[] = [];
  if (line.Quantity === null) out.push('Quantity');
  if (!id.sku) out.push('Sku');
  if (!id.name) out.push('ProductName');
  return out;
}

/** One Infigo line → an order line, classified by the shop's rules; `because` says why in words. */
export function toOrderLine(line: InfigoOrderLine, rules: Config['orderTypes'], fb: LineFallbacks = {}): { line: OrderLine; because: string } {
  const id = lineIdentity(line, fb);
  const c = classifyLine({ sku: id.sku, productType: line.Type, tags: lineTags(line) }, rules);
  return {
    line: {
      jobId: line.Id,
      sku: id.sku,
      name: id.name,
      // A line without a quantity is held before it gets here (pipeline); 0 would be refused by the conversion anyway.
      quantity: line.Quantity ?? 0,
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
