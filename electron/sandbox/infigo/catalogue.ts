/**
 * The sandbox storefront's small product catalogue. Type numbers follow Infigo's documented
 * product-type enum (reference §7); the type letters follow the documented job prefixes
 * (d = MegaEdit, s = static PDF, m = upload/MultiPart). Letters for Variable (20) and Custom (80)
 * jobs are not documented: the sandbox uses 'd' and 'm' (assumption).
 */

export interface CatalogueAttribute {
  id: number;
  name: string;
  values: { id: string; name: string; priceAdjustment: number }[];
}

export interface CatalogueProduct {
  id: number;
  name: string;
  sku: string;
  type: number;
  tags: string[];
  /** Price per unit, excluding tax. */
  unitPrice: number;
  /** Grams per unit. */
  unitWeight: number;
  widthMm: number;
  heightMm: number;
  pages: number;
  quantities: number[];
  attributes: CatalogueAttribute[];
  shortDescription: string;
}

export const PRINTABLE_TYPES = new Set([20, 30, 40, 50, 80]);
export const STOCK_TYPE = 10;

export function typeLetter(type: number): string {
  switch (type) {
    case 30:
      return 's';
    case 50:
    case 20:
      return 'd';
    case 40:
    case 80:
      return 'm';
    default:
      return '';
  }
}

const paper = (id: number, values: [string, number][]): CatalogueAttribute => ({
  id,
  name: 'Paper',
  values: values.map(([name, priceAdjustment], i) => ({ id: String(id * 10 + i + 1), name, priceAdjustment })),
});

export const CATALOGUE: CatalogueProduct[] = [
  {
    id: 501, name: 'Business Cards 85x55', sku: 'BC-85x55-400', type: 50, tags: ['normal', 'cards'],
    unitPrice: 0.09, unitWeight: 2.3, widthMm: 85, heightMm: 55, pages: 2, quantities: [100, 250, 500, 1000],
    attributes: [paper(3, [['400gsm Silk', 0], ['400gsm Matt', 0]])],
    shortDescription: 'Double-sided business cards on 400gsm board',
  },
  {
    id: 502, name: 'Flyer A5', sku: 'FLYER-A5', type: 40, tags: ['normal', 'leaflets'],
    unitPrice: 0.06, unitWeight: 3.7, widthMm: 148, heightMm: 210, pages: 2, quantities: [250, 500, 1000, 2500],
    attributes: [
      paper(4, [['170gsm Silk', 0], ['150gsm Gloss', 0], ['120gsm Uncoated', 0.01]]),
      { id: 5, name: 'Sides', values: [{ id: '51', name: 'Single sided', priceAdjustment: 0 }, { id: '52', name: 'Double sided', priceAdjustment: 0.02 }] },
    ],
    shortDescription: 'A5 flyers from your own PDF',
  },
  {
    id: 503, name: 'Poster A2', sku: 'POSTER-A2', type: 30, tags: ['normal', 'large-format'],
    unitPrice: 7.5, unitWeight: 50, widthMm: 420, heightMm: 594, pages: 1, quantities: [1, 2, 5, 10, 25],
    attributes: [paper(6, [['200gsm Satin', 0], ['250gsm Gloss', 0.8]])],
    shortDescription: 'A2 posters, static artwork',
  },
  {
    id: 504, name: 'Brochure A4 8pp', sku: 'BROCHURE-A4-8PP', type: 40, tags: ['normal', 'brochures'],
    unitPrice: 1.45, unitWeight: 40, widthMm: 210, heightMm: 297, pages: 8, quantities: [50, 100, 250, 500],
    attributes: [
      paper(7, [['130gsm Silk', 0], ['150gsm Gloss', 0.1]]),
      { id: 8, name: 'Binding', values: [{ id: '81', name: 'Saddle stitched', priceAdjustment: 0 }] },
    ],
    shortDescription: '8-page A4 brochure, saddle stitched',
  },
  {
    id: 505, name: 'Letterhead A4', sku: 'LETTERHEAD-A4', type: 50, tags: ['normal', 'stationery'],
    unitPrice: 0.11, unitWeight: 5, widthMm: 210, heightMm: 297, pages: 1, quantities: [250, 500, 1000],
    attributes: [paper(9, [['100gsm Bond', 0], ['120gsm Laid', 0.03]])],
    shortDescription: 'Personalised letterheads edited online',
  },
  {
    id: 506, name: 'Roll-up Banner 850x2000', sku: 'BANNER-ROLLUP-850', type: 80, tags: ['normal', 'large-format'],
    unitPrice: 59, unitWeight: 4200, widthMm: 850, heightMm: 2000, pages: 1, quantities: [1, 2, 3],
    attributes: [],
    shortDescription: 'Roll-up banner with stand (custom product)',
  },
  {
    id: 601, name: 'Ballpoint Pen (blue)', sku: 'PEN-BLUE', type: 10, tags: ['stock', 'merchandise'],
    unitPrice: 0.45, unitWeight: 12, widthMm: 0, heightMm: 0, pages: 0, quantities: [10, 25, 50, 100],
    attributes: [], shortDescription: 'Branded pen from stock',
  },
  {
    id: 602, name: 'Lanyard', sku: 'LANYARD', type: 10, tags: ['stock', 'merchandise'],
    unitPrice: 0.8, unitWeight: 15, widthMm: 0, heightMm: 0, pages: 0, quantities: [10, 50, 100],
    attributes: [{ id: 10, name: 'Colour', values: [{ id: '101', name: 'Navy', priceAdjustment: 0 }, { id: '102', name: 'Black', priceAdjustment: 0 }] }],
    shortDescription: 'Woven lanyard from stock',
  },
  {
    id: 603, name: 'Mug (white)', sku: 'MUG-WHITE', type: 10, tags: ['stock', 'merchandise'],
    unitPrice: 3.2, unitWeight: 350, widthMm: 0, heightMm: 0, pages: 0, quantities: [1, 6, 12, 36],
    attributes: [], shortDescription: 'White ceramic mug from stock',
  },
  {
    id: 701, name: 'SMS Campaign', sku: 'SMS-CAMPAIGN', type: 60, tags: ['digital'],
    unitPrice: 0.05, unitWeight: 0, widthMm: 0, heightMm: 0, pages: 0, quantities: [500, 1000],
    attributes: [], shortDescription: 'Text-message campaign (no print output)',
  },
];

export const PRINTABLE_PRODUCTS = CATALOGUE.filter((p) => PRINTABLE_TYPES.has(p.type));
export const STOCK_PRODUCTS = CATALOGUE.filter((p) => p.type === STOCK_TYPE);

export function productBySku(sku: string): CatalogueProduct | undefined {
  const s = sku.toLowerCase();
  return CATALOGUE.find((p) => p.sku.toLowerCase() === s);
}

export function productById(id: number): CatalogueProduct | undefined {
  return CATALOGUE.find((p) => p.id === id);
}

/** A stand-in product for SKUs outside the catalogue (addOrder with an unknown SKU). */
export function adHocProduct(sku: string, type: number): CatalogueProduct {
  return {
    id: 900 + (Math.abs([...sku].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7)) % 99),
    name: `Custom item ${sku}`, sku, type, tags: type === STOCK_TYPE ? ['stock'] : ['normal'],
    unitPrice: 1, unitWeight: 10, widthMm: 210, heightMm: 297, pages: 1, quantities: [1], attributes: [],
    shortDescription: 'Not in the sandbox catalogue',
  };
}
