/**
 * The sandbox tenant's shipping set-up and currencies. Which methods exist is PSP configuration
 * in GelatoConnect (reference §4), so everything here is a simulator-only choice; the method
 * uids reuse the example values the reference quotes (normal, standard, express, fed_ex_2_day,
 * dhl_express, usps_ground_advantage, dhl_global_parcel).
 */

export interface Carrier {
  name: string;
  uid: string;
  trackingUrl: (code: string) => string;
  trackingCode: (digits: (n: number) => string) => string;
}

export interface ShippingMethod {
  uid: string;
  name: string;
  carrier: Carrier;
  tier: 'standard' | 'express';
  /** EUR base price for the first kilogram, by zone. */
  basePriceEur: { domestic: number; europe: number; world: number };
  perExtraKgEur: number;
  days: { domestic: [number, number]; europe: [number, number]; world: [number, number] };
}

const ROYAL_MAIL: Carrier = {
  name: 'Royal Mail',
  uid: 'royal_mail',
  trackingUrl: (c) => `https://www.royalmail.com/track-your-item#/tracking-results/${c}`,
  trackingCode: (d) => `RM${d(9)}GB`,
};
const DHL: Carrier = {
  name: 'DHL',
  uid: 'dhl',
  trackingUrl: (c) => `https://www.dhl.com/track?tracking-id=${c}`,
  trackingCode: (d) => `JD01460000${d(10)}`,
};
const FEDEX: Carrier = {
  name: 'FedEx',
  uid: 'fedex',
  trackingUrl: (c) => `https://www.fedex.com/fedextrack/?trknbr=${c}`,
  trackingCode: (d) => d(12),
};
const USPS: Carrier = {
  name: 'USPS',
  uid: 'usps',
  trackingUrl: (c) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${c}`,
  trackingCode: (d) => `9400${d(18)}`,
};

export const SHIPPING_METHODS: readonly ShippingMethod[] = [
  {
    uid: 'normal',
    name: 'Royal Mail Tracked 48',
    carrier: ROYAL_MAIL,
    tier: 'standard',
    basePriceEur: { domestic: 4.2, europe: 9.5, world: 14.9 },
    perExtraKgEur: 1.1,
    days: { domestic: [2, 4], europe: [4, 8], world: [6, 14] },
  },
  {
    uid: 'standard',
    name: 'DHL Global Parcel',
    carrier: DHL,
    tier: 'standard',
    basePriceEur: { domestic: 3.32, europe: 7.8, world: 12.4 },
    perExtraKgEur: 0.9,
    days: { domestic: [2, 5], europe: [3, 6], world: [5, 10] },
  },
  {
    uid: 'dhl_global_parcel',
    name: 'DHL Global Parcel',
    carrier: DHL,
    tier: 'standard',
    basePriceEur: { domestic: 3.32, europe: 7.8, world: 12.4 },
    perExtraKgEur: 0.9,
    days: { domestic: [2, 5], europe: [3, 6], world: [5, 10] },
  },
  {
    uid: 'express',
    name: 'DHL Express Worldwide',
    carrier: DHL,
    tier: 'express',
    basePriceEur: { domestic: 11.5, europe: 24.0, world: 39.0 },
    perExtraKgEur: 3.5,
    days: { domestic: [1, 1], europe: [1, 2], world: [2, 4] },
  },
  {
    uid: 'dhl_express',
    name: 'DHL Express Worldwide',
    carrier: DHL,
    tier: 'express',
    basePriceEur: { domestic: 11.5, europe: 24.0, world: 39.0 },
    perExtraKgEur: 3.5,
    days: { domestic: [1, 1], europe: [1, 2], world: [2, 4] },
  },
  {
    uid: 'fed_ex_2_day',
    name: 'FedEx 2Day',
    carrier: FEDEX,
    tier: 'express',
    basePriceEur: { domestic: 9.9, europe: 21.0, world: 33.0 },
    perExtraKgEur: 2.8,
    days: { domestic: [2, 2], europe: [2, 3], world: [3, 5] },
  },
  {
    uid: 'usps_ground_advantage',
    name: 'USPS Ground Advantage',
    carrier: USPS,
    tier: 'standard',
    basePriceEur: { domestic: 5.4, europe: 16.0, world: 19.0 },
    perExtraKgEur: 1.6,
    days: { domestic: [2, 5], europe: [7, 12], world: [7, 14] },
  },
];

export function findMethod(uid: string): ShippingMethod | undefined {
  return SHIPPING_METHODS.find((m) => m.uid === uid.trim().toLowerCase());
}

/** First known method of a comma-separated preference list ([inferred] reference §2.1). */
export function chooseMethod(shipmentMethodUid: string): ShippingMethod | undefined {
  for (const part of shipmentMethodUid.split(',')) {
    const m = findMethod(part);
    if (m) return m;
  }
  return undefined;
}

/** Units of currency per 1 EUR. Fixed so quotes are reproducible; the set is the currency list of
 *  the old public Gelato API (reference §4), which is all the reference knows. */
export const FX_PER_EUR: Readonly<Record<string, number>> = {
  EUR: 1,
  GBP: 0.85,
  USD: 1.08,
  AUD: 1.65,
  BRL: 5.4,
  CAD: 1.47,
  CHF: 0.95,
  DKK: 7.46,
  INR: 90,
  JPY: 162,
  NOK: 11.6,
  NZD: 1.8,
  PLN: 4.3,
  SEK: 11.4,
};

const ZERO_DECIMAL = new Set(['JPY']);

export function convertFromEur(amountEur: number, currency: string): number {
  const rate = FX_PER_EUR[currency];
  if (rate === undefined) throw new Error(`unsupported currency ${currency}`);
  const v = amountEur * rate;
  return ZERO_DECIMAL.has(currency) ? Math.round(v) : Math.round(v * 100) / 100;
}

const EUROPE = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE NO CH IS LI GB'.split(' '),
);

export type Zone = 'domestic' | 'europe' | 'world';

export function zoneFor(fromCountry: string, toCountry: string): Zone {
  if (fromCountry === toCountry) return 'domestic';
  if (EUROPE.has(fromCountry) && EUROPE.has(toCountry)) return 'europe';
  return 'world';
}

export function priceEur(method: ShippingMethod, zone: Zone, weightGrams: number): number {
  const extraKg = Math.max(0, Math.ceil((weightGrams - 1000) / 1000));
  return method.basePriceEur[zone] + extraKg * method.perExtraKgEur;
}
