import { en } from './en';

// The engine's words, as codes with parameters. Every text the engine shows a
// person — timeline events, held-order reasons, check titles and fixes, sync
// errors, call errors — is a Msg: a catalogue key and its parameters. The
// engine stores and sends the Msg beside its English text; the renderer (and
// the CLI, by --lang or LANG) renders it in the person's language with
// i18next. The catalogue is plain data here in shared/ (en.ts, it.ts); the
// Italian one is typed from the English one, so a key without Italian does
// not compile, and test/unit/messages.test.ts checks both say the same
// placeholders.

/** A parameter: a value shown as is, or a nested message rendered in the same language. */
export type MsgParam = string | number | null | Msg;

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

/** The same shape with every leaf a string: what a translation must provide. */
export type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };

export function msg(key: MessageKey, params?: Record<string, MsgParam>): Msg {
  return params ? { key, params } : { key };
}

export function isMsg(v: unknown): v is Msg {
  return typeof v === 'object' && v !== null && typeof (v as { key?: unknown }).key === 'string' && !Array.isArray(v);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A parameter that is a moment (an ISO timestamp) is handed to i18next as a Date, so the
 * catalogue formats it in the person's language and time zone: `{{at, datetime}}`.
 */
export function asDate(v: MsgParam): Date | null {
  return typeof v === 'string' && ISO_TIME.test(v) ? new Date(v) : null;
}

/** The i18next namespace the catalogue is loaded under, in the renderer and the engine. */
export const MESSAGES_NS = 'engine';
