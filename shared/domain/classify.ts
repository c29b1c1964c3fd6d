import type { Config } from '../config';
import { classifyProductType, type InfigoLineKind } from './infigo';

// Which lines go to production. The rule is the shop's (config.orderTypes):
// explicit SKU patterns win, then product tags, then Infigo's numeric product
// type. Infigo's own type table is the fallback, so an unknown type is held
// as "unsupported" rather than guessed.

export interface LineForClassification {
  sku: string | null;
  productType: number | null;
  tags: string[];
}

export interface Classification {
  kind: InfigoLineKind;
  /** Why, in words a shop admin recognises (shown in the preview). */
  because: string;
}

type Rules = Config['orderTypes'];

function skuMatches(patterns: string[], sku: string | null): string | undefined {
  if (!sku) return undefined;
  return patterns.find((p) => globToRegExp(p).test(sku));
}

/** `BC-*` style patterns, case-insensitive; `*` any run, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

export function classifyLine(line: LineForClassification, rules: Rules): Classification {
  const tags = line.tags.map((t) => t.toLowerCase());
  const stockSku = skuMatches(rules.stock.skuPatterns, line.sku);
  if (stockSku) return { kind: 'stock', because: `SKU matches the stock pattern "${stockSku}"` };
  const printSku = skuMatches(rules.printable.skuPatterns, line.sku);
  if (printSku) return { kind: 'printable', because: `SKU matches the printable pattern "${printSku}"` };
  const stockTag = rules.stock.tags.find((t) => tags.includes(t.toLowerCase()));
  if (stockTag) return { kind: 'stock', because: `product is tagged "${stockTag}"` };
  const printTag = rules.printable.tags.find((t) => tags.includes(t.toLowerCase()));
  if (printTag) return { kind: 'printable', because: `product is tagged "${printTag}"` };
  if (line.productType !== null) {
    if (rules.stock.productTypes.includes(line.productType)) return { kind: 'stock', because: `Infigo product type ${line.productType} is set as stock` };
    if (rules.printable.productTypes.includes(line.productType)) return { kind: 'printable', because: `Infigo product type ${line.productType} is set as printable` };
  }
  const fallback = classifyProductType(line.productType);
  return {
    kind: fallback === 'printable' || fallback === 'stock' ? 'unsupported' : fallback,
    because:
      line.productType === null
        ? 'Infigo gave no product type for this line'
        : `Infigo product type ${line.productType} is neither printable nor stock in the settings`,
  };
}
