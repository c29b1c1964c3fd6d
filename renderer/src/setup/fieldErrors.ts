import { formatPath } from '../../../shared/config';
import type { Problem } from '../../../shared/contract';
import { problemText } from '../i18n/engine-text';

// The config schema (shared/config.ts) decides what is valid; this module decides what a person
// reads when something is not. A schema issue carries developer text ("Too small: expected
// string to have >=1 characters") and a path ("stores[0].name"); here it becomes a message key
// under `setup.errors` chosen by the field and by what is wrong (missing or not valid), so the
// message is plain, specific to the field, and in the UI's language.

export interface FieldError {
  /** i18n key. */
  key: string;
  values?: Record<string, string | number>;
}

/** Path as formatPath writes it ("stores[0].infigo.baseUrl") → error. */
export type FieldErrors = Record<string, FieldError>;

export interface IssueLike {
  path: readonly PropertyKey[];
  code?: string;
  message: string;
}

/** "stores[2].infigo.baseUrl" → "stores[].infigo.baseUrl": the field, whichever store it is. */
export function fieldKey(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}

type Kind = 'required' | 'invalid';

/** Per field: the message for a missing value and for a value that is not valid. */
const FIELD_MESSAGES: Record<string, Partial<Record<Kind, string>>> = {
  stores: { required: 'setup.errors.storesRequired' },
  'stores[].name': { required: 'setup.errors.storeNameRequired', invalid: 'setup.errors.storeNameTooLong' },
  'stores[].id': { required: 'setup.errors.storeIdRequired', invalid: 'setup.errors.storeIdInvalid' },
  'stores[].infigo.baseUrl': { required: 'setup.errors.baseUrlRequired', invalid: 'setup.errors.baseUrlInvalid' },
  'stores[].infigo.apiToken': { required: 'setup.errors.tokenRequired' },
  'stores[].gelatoCustomerReferenceId': { required: 'setup.errors.customerRequired' },
  'stores[].currency': { invalid: 'setup.errors.currencyInvalid' },
  'gelato.apiKey': { required: 'setup.errors.apiKeyRequired' },
  'server.publicBaseUrl': { required: 'setup.errors.publicBaseUrlRequired', invalid: 'setup.errors.publicBaseUrlInvalid' },
  'statusUpdates.pollMinutes': { required: 'setup.errors.pollMinutesRange', invalid: 'setup.errors.pollMinutesRange' },
  'stores[].infigo.statusWriter.url': { required: 'setup.errors.writerUrlRequired', invalid: 'setup.errors.writerUrlInvalid' },
  'stores[].infigo.statusWriter.pathTemplate': { required: 'setup.errors.writerPathRequired', invalid: 'setup.errors.writerPathInvalid' },
  'files.delivery.publicBaseUrl': { required: 'setup.errors.publicBaseUrlForFiles', invalid: 'setup.errors.publicBaseUrlInvalid' },
  'files.delivery.bucket': { required: 'setup.errors.bucketRequired', invalid: 'setup.errors.bucketInvalid' },
  'files.delivery.accessKeyId': { required: 'setup.errors.s3KeyRequired' },
  'files.delivery.secretAccessKey': { required: 'setup.errors.s3KeyRequired' },
  'files.delivery.endpoint': { invalid: 'setup.errors.s3EndpointInvalid' },
  'shippingQuotes.gcl.apiKey': { required: 'setup.errors.gclKeyRequired' },
  'shippingQuotes.gcl.baseUrl': { invalid: 'setup.errors.endpointInvalid' },
  'shippingQuotes.gcl.sender.country': { required: 'setup.errors.countryInvalid', invalid: 'setup.errors.countryInvalid' },
};

const ENDPOINT = /^gelato\.endpoints\.(\w+)$/;

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** The plain-language error for a field, by what is wrong with it. */
export function plainError(path: string, kind: Kind): FieldError {
  const endpoint = ENDPOINT.exec(path);
  if (endpoint) return { key: kind === 'required' ? 'setup.errors.endpointRequired' : 'setup.errors.endpointInvalid' };
  const known = FIELD_MESSAGES[fieldKey(path)]?.[kind];
  if (known) return { key: known };
  return { key: kind === 'required' ? 'setup.errors.required' : 'setup.errors.invalid' };
}

/**
 * Turns schema issues into field errors. `prefix` is the path of the object that was checked
 * within the config (e.g. ['stores', 0]), so the keys are config paths. The first issue per
 * field wins: a missing URL is reported as missing, not also as "not a URL".
 */
export function issuesToErrors(issues: readonly IssueLike[], checked: unknown, prefix: readonly PropertyKey[] = []): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const path = formatPath([...prefix, ...issue.path]);
    if (out[path]) continue;
    out[path] = plainError(path, isEmpty(valueAt(checked, issue.path)) ? 'required' : 'invalid');
  }
  return out;
}

/**
 * Problems the engine reported on save (by path, in its own words). The ones it words for
 * people — a secret that is not in the secret store, an unset environment variable — get a
 * translated message; anything else keeps the engine's text, next to the field it names.
 */
export function problemToError(p: Problem): FieldError {
  const params = p.msg?.params ?? {};
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? v : '');
  switch (p.msg?.key) {
    case 'config.secretNotStored':
      return { key: 'setup.errors.secretMissing' };
    case 'config.envNotSet':
      return { key: 'setup.errors.envMissing', values: { name: text(params.name) } };
    case 'config.storeIdTwice':
      return { key: 'setup.errors.storeIdDuplicate', values: { id: text(params.store) } };
  }
  // Anything else in the engine's own words, in the UI's language where it sent a message.
  return { key: 'setup.errors.engine', values: { message: problemText(p) } };
}

export function mergeErrors(...all: FieldErrors[]): FieldErrors {
  return Object.assign({}, ...all) as FieldErrors;
}

export function hasErrors(e: FieldErrors): boolean {
  return Object.keys(e).length > 0;
}
