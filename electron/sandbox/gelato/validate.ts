/**
 * Synchronous checks on a Submit Order body. The field names are documented (reference §2.1,
 * §8.1); which fields are required, the limits and the error shape are not ([unknown] §10.1–2),
 * so the rules below are the simulator's reading of the documented examples. Deliberately
 * written apart from the client's schema in shared/ so a client mistake is not mirrored here.
 */
import { FX_PER_EUR } from './catalogue';

export interface FieldError {
  field: string;
  message: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function isHttpUrl(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

// Countries whose addresses have no postal code; everywhere else postCode must be filled.
const NO_POSTCODE = new Set(['AE', 'AG', 'AO', 'BS', 'BZ', 'HK', 'IE', 'JM', 'QA']);

function checkMetadata(errors: FieldError[], field: string, v: unknown): void {
  if (v === undefined) return;
  if (!Array.isArray(v)) {
    errors.push({ field, message: 'must be an array of {key, value} objects' });
    return;
  }
  v.forEach((m, i) => {
    if (!isObj(m) || !nonEmpty(m.key) || typeof m.value !== 'string') {
      errors.push({ field: `${field}[${i}]`, message: 'must be an object with a non-empty string "key" and a string "value"' });
    }
  });
}

function checkAddress(errors: FieldError[], field: string, a: unknown, partial: boolean): void {
  if (!isObj(a)) {
    errors.push({ field, message: 'is required and must be an object' });
    return;
  }
  const required = ['firstName', 'lastName', 'addressLine1', 'city', 'country'];
  for (const k of required) {
    if (partial && a[k] === undefined) continue;
    if (!nonEmpty(a[k])) errors.push({ field: `${field}.${k}`, message: 'is required' });
  }
  if (a.country !== undefined && nonEmpty(a.country) && !/^[A-Z]{2}$/.test(a.country)) {
    errors.push({ field: `${field}.country`, message: `must be an ISO 3166-1 alpha-2 code such as "GB" (got "${a.country}")` });
  }
  const country = typeof a.country === 'string' ? a.country : '';
  if (!(partial && a.postCode === undefined)) {
    if (a.postCode === undefined && a.postcode !== undefined) {
      errors.push({ field: `${field}.postCode`, message: 'is required (found "postcode"; the field is spelled postCode)' });
    } else if (a.postCode !== undefined && typeof a.postCode !== 'string') {
      errors.push({ field: `${field}.postCode`, message: 'must be a string' });
    } else if (!nonEmpty(a.postCode) && !NO_POSTCODE.has(country)) {
      errors.push({ field: `${field}.postCode`, message: 'is required' });
    }
  }
  for (const k of ['companyName', 'addressLine2', 'state', 'email', 'phone', 'federalTaxId', 'stateTaxId', 'registrationState']) {
    if (a[k] !== undefined && a[k] !== null && typeof a[k] !== 'string') errors.push({ field: `${field}.${k}`, message: 'must be a string' });
  }
  if (nonEmpty(a.email) && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a.email)) {
    errors.push({ field: `${field}.email`, message: `is not an e-mail address ("${a.email}")` });
  }
  if (a.isBusiness !== undefined && typeof a.isBusiness !== 'boolean') errors.push({ field: `${field}.isBusiness`, message: 'must be a boolean' });
}

export function validateAddress(a: unknown, field = 'shippingAddress', partial = false): FieldError[] {
  const errors: FieldError[] = [];
  checkAddress(errors, field, a, partial);
  return errors;
}

export function isSupportedCurrency(c: unknown): c is string {
  return typeof c === 'string' && Object.prototype.hasOwnProperty.call(FX_PER_EUR, c);
}

export function validateSubmit(body: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (!isObj(body)) return [{ field: '(body)', message: 'must be a JSON object' }];

  if (!nonEmpty(body.orderReferenceId)) errors.push({ field: 'orderReferenceId', message: 'is required' });
  if (body.orderType !== undefined && body.orderType !== 'order' && body.orderType !== 'draft') {
    errors.push({ field: 'orderType', message: `must be "order" or "draft" (got ${JSON.stringify(body.orderType)})` });
  }
  if (body.preventDuplicate !== undefined && typeof body.preventDuplicate !== 'boolean') {
    errors.push({ field: 'preventDuplicate', message: 'must be a boolean' });
  }
  if (body.customerReferenceId !== undefined && !nonEmpty(body.customerReferenceId)) {
    errors.push({ field: 'customerReferenceId', message: 'must be a non-empty string when given' });
  }
  if (!nonEmpty(body.currency)) errors.push({ field: 'currency', message: 'is required' });
  else if (!isSupportedCurrency(body.currency)) {
    errors.push({ field: 'currency', message: `"${body.currency}" is not a supported currency (supported: ${Object.keys(FX_PER_EUR).join(', ')})` });
  }
  if (body.retailCurrency !== undefined && !isSupportedCurrency(body.retailCurrency)) {
    errors.push({ field: 'retailCurrency', message: `"${String(body.retailCurrency)}" is not a supported currency` });
  }
  if (body.retailShippingPriceInclVat !== undefined) {
    const v = body.retailShippingPriceInclVat;
    // one third-party client sends it as a string (reference §2.1)
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
      errors.push({ field: 'retailShippingPriceInclVat', message: 'must be a non-negative number' });
    }
  }
  if (!nonEmpty(body.shipmentMethodUid)) errors.push({ field: 'shipmentMethodUid', message: 'is required' });
  checkAddress(errors, 'shippingAddress', body.shippingAddress, false);
  checkMetadata(errors, 'metadata', body.metadata);

  if (!Array.isArray(body.items) || body.items.length === 0) {
    errors.push({ field: 'items', message: 'must be a non-empty array' });
    return errors;
  }
  const seenRefs = new Set<string>();
  body.items.forEach((item: unknown, i: number) => {
    const f = `items[${i}]`;
    if (!isObj(item)) {
      errors.push({ field: f, message: 'must be an object' });
      return;
    }
    if (!nonEmpty(item.itemReferenceId)) errors.push({ field: `${f}.itemReferenceId`, message: 'is required' });
    else if (seenRefs.has(item.itemReferenceId)) {
      errors.push({ field: `${f}.itemReferenceId`, message: `"${item.itemReferenceId}" is used by another item of this order` });
    } else seenRefs.add(item.itemReferenceId);

    const hasUid = item.productUid !== undefined;
    const hasName = item.productName !== undefined || item.productVariant !== undefined;
    if (hasUid && hasName) {
      errors.push({ field: `${f}.productUid`, message: 'give either productUid or productName + productVariant, not both' });
    } else if (hasUid) {
      if (!nonEmpty(item.productUid)) errors.push({ field: `${f}.productUid`, message: 'must be a non-empty string' });
    } else if (hasName) {
      if (!nonEmpty(item.productName)) errors.push({ field: `${f}.productName`, message: 'is required with productVariant' });
      if (!isObj(item.productVariant)) {
        errors.push({ field: `${f}.productVariant`, message: 'is required with productName and must be an object of option → value' });
      } else {
        for (const [k, v] of Object.entries(item.productVariant)) {
          if (typeof v !== 'string') errors.push({ field: `${f}.productVariant.${k}`, message: 'must be a string' });
        }
      }
    } else {
      errors.push({ field: `${f}.productUid`, message: 'a product is required: productUid, or productName + productVariant' });
    }

    if (item.quantity === undefined) errors.push({ field: `${f}.quantity`, message: 'is required' });
    else if (typeof item.quantity !== 'number' || !Number.isInteger(item.quantity) || item.quantity <= 0) {
      errors.push({ field: `${f}.quantity`, message: `must be a whole number greater than 0 (got ${JSON.stringify(item.quantity)})` });
    }
    if (item.retailPriceInclVat !== undefined && (typeof item.retailPriceInclVat !== 'number' || item.retailPriceInclVat < 0)) {
      errors.push({ field: `${f}.retailPriceInclVat`, message: 'must be a non-negative number' });
    }
    // Items without files are accepted as stock items ([unknown] whether GelatoConnect allows it).
    if (item.files !== undefined) {
      if (!Array.isArray(item.files)) errors.push({ field: `${f}.files`, message: 'must be an array of {type, url}' });
      else
        item.files.forEach((file: unknown, j: number) => {
          const ff = `${f}.files[${j}]`;
          if (!isObj(file)) {
            errors.push({ field: ff, message: 'must be an object {type, url}' });
            return;
          }
          if (!nonEmpty(file.type)) errors.push({ field: `${ff}.type`, message: 'is required (e.g. "default", "front", "back")' });
          if (!nonEmpty(file.url)) errors.push({ field: `${ff}.url`, message: 'is required' });
          else if (!isHttpUrl(file.url)) errors.push({ field: `${ff}.url`, message: 'must be an http(s) URL' });
        });
    }
    checkMetadata(errors, `${f}.metadata`, item.metadata);
  });
  return errors;
}

export function describeErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}
