import { z } from 'zod';
import { list, msg, type Msg, type MessageKey, type MsgParam } from './index';

// zod's problems with a value as messages. Presslink's own wording in a schema (the second
// argument of .min/.regex/.refine, custom issues) is found in a table and given its message;
// zod's own texts ("Too small: expected string to have >=1 characters") are mapped by issue
// code to a few plain messages (`zod.*`), so a person reads the same kind of sentence in
// either language. Anything else is kept as it came.

type Issue = z.core.$ZodIssue;

/** Presslink's wording inside schemas (shared/config.ts, the postback format), by its English text. */
const OWN_WORDS: Record<string, MessageKey> = {
  'must not be empty': 'zod.notEmpty',
  'is required': 'zod.required',
  'SKU is required': 'zod.skuRequired',
  'must be a full URL such as https://example.com': 'zod.url',
  'must start with http:// or https://': 'zod.httpUrl',
  'use 1-40 lower-case letters, digits or dashes, starting with a letter or digit': 'zod.storeId',
  'is required: the path under /services/api where your Infigo accepts status updates (Infigo publishes none), e.g. "order/{orderId}/status"; or use the MegaScript writer': 'zod.restPathRequired',
  'must contain {orderId}, where the Infigo order id goes': 'zod.restPathOrderId',
  'every store must name its GelatoConnect customer': 'zod.customer',
  'use a three-letter ISO 4217 code such as GBP': 'zod.currency',
  'use a three-letter ISO 4217 code': 'zod.currency',
  'use a two-letter country code such as GB': 'zod.country',
  'use a two-letter country code or *': 'zod.countryOrAny',
  'bucket names have at least 3 characters': 'zod.bucket',
  '"event" is required (a text such as "order.shipped")': 'zod.eventRequired',
  '"event" must not be empty': 'zod.eventEmpty',
  '"orderReferenceId" is required': 'zod.referenceRequired',
  '"orderReferenceId" must not be empty': 'zod.referenceEmpty',
};

const TYPES = ['string', 'number', 'boolean', 'object', 'array', 'int'] as const;

let defaults: ((issue: Issue) => string | undefined) | null = null;
/** What zod itself would say for an issue (its English locale), to tell its words from a schema's own. */
function zodDefault(issue: Issue): string | undefined {
  if (!defaults) {
    const { localeError } = z.locales.en();
    defaults = (i) => {
      const r = localeError(i as never);
      return typeof r === 'string' ? r : r?.message;
    };
  }
  return defaults(issue);
}

/** One issue as a message: a schema's own words by the table, zod's by code, custom issues by their `params.msg`. */
export function issueMsg(issue: Issue): Msg {
  const own = OWN_WORDS[issue.message];
  if (own) return msg(own);
  const carried = (issue as { params?: { msg?: unknown } }).params?.msg;
  if (carried && typeof carried === 'object' && typeof (carried as Msg).key === 'string') return carried as Msg;
  const fromZod = zodDefault(issue);
  if (fromZod !== undefined && fromZod !== issue.message) return msg('common.text', { text: issue.message });
  switch (issue.code) {
    case 'invalid_type': {
      if (/received undefined$/.test(issue.message)) return msg('zod.required');
      const t = (TYPES as readonly string[]).includes(issue.expected) ? msg(`zod.type.${issue.expected as (typeof TYPES)[number]}`) : issue.expected;
      return msg('zod.invalidType', { expected: t });
    }
    case 'too_small':
    case 'too_big': {
      const side = issue.code === 'too_small' ? 'min' : 'max';
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      if (issue.code === 'too_small' && issue.origin === 'string' && bound === 1) return msg('zod.notEmpty');
      const origin = issue.origin === 'string' || issue.origin === 'array' ? issue.origin : 'number';
      return msg(`zod.${side}.${origin}${issue.inclusive === false ? 'Exclusive' : ''}` as MessageKey, { count: bound, n: bound });
    }
    case 'invalid_format':
      return issue.format === 'url' ? msg('zod.url') : issue.format === 'email' ? msg('zod.email') : msg('zod.format', { format: issue.format });
    case 'invalid_value':
      return msg('zod.oneOf', { values: list(issue.values.map((v) => JSON.stringify(v) as MsgParam), 'or') });
    case 'not_multiple_of':
      return msg('zod.multipleOf', { n: Number(issue.divisor) });
    case 'unrecognized_keys':
      return msg('zod.unknownKeys', { keys: list(issue.keys.map((k) => `"${k}"`), 'comma'), count: issue.keys.length });
    case 'invalid_union':
      return msg('zod.union');
    default:
      return msg('common.text', { text: issue.message });
  }
}

/** Where an issue is, as a person reads it ("stores[0].name", "(input)" for the whole value). */
export function issuePath(path: readonly PropertyKey[], whole = '(input)'): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || whole;
}
