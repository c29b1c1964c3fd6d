import type { en } from './en';

// The engine's words, as codes with parameters. Every text the engine shows a
// person — timeline events, held-order reasons, check titles and fixes, sync
// errors, call errors — is a Msg: a catalogue key and its parameters. The
// engine stores and sends the Msg beside its English text; the renderer (and
// the CLI, by --lang or LANG) renders it in the person's language with
// i18next. The catalogue is plain data here in shared/ (en.ts, it.ts); the
// Italian one is typed from the English one, so a key without Italian does
// not compile, and test/unit/messages.test.ts checks both say the same
// placeholders.

/**
 * A parameter: a value shown as is, a nested message rendered in the same language, or a
 * list of such values joined the way the language joins them (see `list`).
 */
export type MsgParam = string | number | null | Msg | MsgList;

/**
 * How a list's items are joined: `and` / `or` by the language's own rules (Intl.ListFormat:
 * "a, b, and c" / "a, b e c"); `comma` for plain enumerations ("1001, 1002"); `clauses` for
 * items that are clauses of their own and may contain commas ("a; b"); `sentences` for whole
 * sentences ("A. B.").
 */
export type ListStyle = 'and' | 'or' | 'comma' | 'clauses' | 'sentences';

/**
 * A list in a sentence: several problems found by one check, the fixes for them, the orders
 * concerned. The engine cannot join its items itself, because each may be a message whose
 * words depend on the language, and because the joining words ("and", "e") do too: it sends
 * the items and the renderer joins them. A count for a plural form is a separate parameter.
 */
export interface MsgList {
  list: MsgParam[];
  style: ListStyle;
}

export interface Msg {
  key: MessageKey;
  params?: Record<string, MsgParam>;
}

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** i18next's plural forms live in sibling keys (`x_one`, `x_other`); a Msg names the stem. */
type Stem<K extends string> = K extends `${infer S}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}` ? S : K;

export type MessageKey = Stem<Leaves<typeof en>>;

/**
 * What the Italian translation must provide: the English shape with every leaf a string, and
 * beside each plural key's `_other` form a `_many` form too — Italian has three plural forms
 * (Intl.PluralRules('it'): one, many, other; "many" is chosen for 1,000,000), English two, and
 * i18next shows nothing at all for a form that is missing. A language with other forms (e.g.
 * `_few`) would get its own type the same way.
 */
export type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> } & {
  [K in keyof T & string as K extends `${infer S}_other` ? `${S}_many` : never]: string;
};

export function msg(key: MessageKey, params?: Record<string, MsgParam>): Msg {
  return params ? { key, params } : { key };
}

export function isMsg(v: unknown): v is Msg {
  return typeof v === 'object' && v !== null && typeof (v as { key?: unknown }).key === 'string' && !Array.isArray(v);
}

/**
 * The same message with `f` applied to every text parameter, nested ones and list items too
 * (keys and numbers untouched): for scrubbing secrets from a message before it leaves the engine.
 */
export function mapMsgText(m: Msg, f: (s: string) => string): Msg {
  const param = (v: MsgParam): MsgParam => {
    if (typeof v === 'string') return f(v);
    if (isMsg(v)) return mapMsgText(v, f);
    if (isMsgList(v)) return { list: v.list.map(param), style: v.style };
    return v;
  };
  return m.params ? { key: m.key, params: Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, param(v)])) } : { key: m.key };
}

/** A list parameter: its items joined in the person's language (see MsgList). */
export function list(items: readonly MsgParam[], style: ListStyle = 'and'): MsgList {
  return { list: [...items], style };
}

export function isMsgList(v: unknown): v is MsgList {
  return typeof v === 'object' && v !== null && Array.isArray((v as { list?: unknown }).list);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A parameter that is a moment (an ISO timestamp) is handed to i18next as a Date, so the
 * catalogue formats it in the person's language and time zone: `{{at, datetime}}`.
 */
export function asDate(v: MsgParam): Date | null {
  return typeof v === 'string' && ISO_TIME.test(v) ? new Date(v) : null;
}

/** How one language turns a key and its (already rendered) parameters into text: i18next's `t`. */
export type Translate = (key: string, params: Record<string, string | number | Date>) => string;

/**
 * A message as text, given a language's translate function: each parameter first (nested
 * messages and lists in the same language, moments as dates), then the message itself. The
 * engine (electron/core/i18n.ts) and the renderer (renderer/src/i18n/engine-text.ts) both
 * render through this, each with its own i18next instance.
 */
export function renderWith(t: Translate, lang: string, m: Msg): string {
  const params: Record<string, string | number | Date> = {};
  for (const [k, v] of Object.entries(m.params ?? {})) params[k] = renderParam(t, lang, v);
  return t(m.key, params);
}

/** One parameter as it goes into a message: nested messages and lists rendered, moments as dates. */
export function renderParam(t: Translate, lang: string, v: MsgParam): string | number | Date {
  if (isMsg(v)) return renderWith(t, lang, v);
  if (isMsgList(v)) return joinList(v.list.map((item) => String(renderParam(t, lang, item) ?? '')), v.style, lang);
  return asDate(v) ?? v ?? '';
}

/** Joins rendered items by the list's style, in the language's way for `and` / `or`. */
export function joinList(items: string[], style: ListStyle, lang: string): string {
  switch (style) {
    case 'and':
    case 'or':
      return new Intl.ListFormat(lang, { type: style === 'and' ? 'conjunction' : 'disjunction' }).format(items);
    case 'comma':
      return items.join(', ');
    case 'clauses':
      return items.join('; ');
    case 'sentences':
      return items.join(' ');
  }
}

/** The i18next namespace the catalogue is loaded under, in the renderer and the engine. */
export const MESSAGES_NS = 'engine';
