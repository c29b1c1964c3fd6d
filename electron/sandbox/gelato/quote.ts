/**
 * GCL Logistics `POST /v1/shipping-methods/quote` (reference §4). Request and response field
 * names are documented; prices, zones, methods and the FX table are simulator-only, and the
 * price being in the request currency is [inferred].
 */
import { convertFromEur, FX_PER_EUR, priceEur, SHIPPING_METHODS, zoneFor } from './catalogue';
import { TenantError } from './tenant';

const QUOTED = ['normal', 'standard', 'express', 'fed_ex_2_day'];
/** What GCL really quotes: carrier method uids (reference real-api-check.md), not order-intake method tokens. */
const QUOTED_CARRIER_UIDS = ['dhl_global_parcel', 'dhl_express', 'fed_ex_2_day', 'usps_ground_advantage'];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function quote(body: unknown, fulfillmentCountry: string, carrierUidsOnly = false): { items: unknown[] } {
  if (!isObj(body)) throw new TenantError(400, 'Quote request must be a JSON object');
  const errors: string[] = [];
  const currency = body.currency;
  if (typeof currency !== 'string' || currency === '') errors.push('currency: is required');
  else if (!(currency in FX_PER_EUR)) {
    errors.push(`currency: "${currency}" is not supported (supported: ${Object.keys(FX_PER_EUR).join(', ')})`);
  }
  const receiver = isObj(body.receiver) ? body.receiver : undefined;
  const address = receiver && isObj(receiver.address) ? receiver.address : undefined;
  const country = address?.country;
  if (!address) errors.push('receiver.address: is required');
  else if (typeof country !== 'string' || !/^[A-Z]{2}$/.test(country)) errors.push('receiver.address.country: must be an ISO 3166-1 alpha-2 code such as "GB"');
  if (body.packages !== undefined && !Array.isArray(body.packages)) errors.push('packages: must be an array');
  const packages = Array.isArray(body.packages) ? body.packages : [];
  let grams = 0;
  packages.forEach((p: unknown, i: number) => {
    if (!isObj(p)) {
      errors.push(`packages[${i}]: must be an object`);
      return;
    }
    const w = p.grossWeight ?? p.netWeight;
    if (w !== undefined && (typeof w !== 'number' || w < 0)) errors.push(`packages[${i}].grossWeight: must be a non-negative number (grams)`);
    else if (typeof w === 'number') grams += w;
    else if (Array.isArray(p.items)) {
      for (const it of p.items as Record<string, unknown>[]) grams += (Number(it?.weight) || 0) * (Number(it?.quantity) || 1);
    }
  });
  if (errors.length > 0) throw new TenantError(400, `Quote rejected: ${errors.join('; ')}`);
  if (grams === 0) grams = 500;
  const zone = zoneFor(fulfillmentCountry, country as string);
  const items = SHIPPING_METHODS.filter((m) => (carrierUidsOnly ? QUOTED_CARRIER_UIDS : QUOTED).includes(m.uid)).map((m) => ({
    carrier: { name: m.carrier.name, uid: m.carrier.uid },
    method: {
      name: m.name,
      uid: m.uid,
      price: convertFromEur(priceEur(m, zone, grams), currency as string),
      minShipmentDays: m.days[zone][0],
      maxShipmentDays: m.days[zone][1],
      deliveryPaddingDays: 0,
    },
  }));
  return { items };
}
