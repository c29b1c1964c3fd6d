import i18next, { type i18n } from 'i18next';
import { isMsg, list, MESSAGES_NS, msg, renderParam, renderWith, type Msg, type MsgParam } from '../../shared/messages/index';
import { en } from '../../shared/messages/en';
import { it } from '../../shared/messages/it';

// The engine renders its messages (shared/messages) with the same library and
// catalogue as the renderer: in English for the log, the database's text
// columns and the search index; in the person's language for the CLI.

export const ENGINE_LANGUAGES = ['en', 'it'] as const;
export type EngineLanguage = (typeof ENGINE_LANGUAGES)[number];

let instance: i18n | null = null;

function translator(): i18n {
  if (!instance) {
    instance = i18next.createInstance();
    void instance.init({
      resources: { en: { [MESSAGES_NS]: en }, it: { [MESSAGES_NS]: it } },
      lng: 'en',
      fallbackLng: 'en',
      ns: [MESSAGES_NS],
      defaultNS: MESSAGES_NS,
      interpolation: { escapeValue: false },
      initAsync: false,
      returnNull: false,
    });
  }
  return instance;
}

/** A message as text in a language (English by default); nested messages and lists in its parameters too. */
export function renderMsg(m: Msg, lang: EngineLanguage = 'en'): string {
  const t = translator().getFixedT(lang, MESSAGES_NS);
  return renderWith((key, params) => t(key, params), lang, m);
}

/** A parameter (text, a message, a list) as text in a language: English by default. */
export function paramText(v: MsgParam, lang: EngineLanguage = 'en'): string {
  const t = translator().getFixedT(lang, MESSAGES_NS);
  const r = renderParam((key, params) => t(key, params), lang, v);
  return r instanceof Date ? r.toISOString() : String(r);
}

/** Text or a message, as English text (for the log and the text columns). */
export function textOf(m: string | Msg): string {
  return typeof m === 'string' ? m : renderMsg(m);
}

/**
 * An error as a reason inside a message: the message it carries where it has one (a CallError,
 * or any error given a `msg`), else its text — the words of a library or a service, shown as
 * they came.
 */
export function reasonOf(e: unknown): MsgParam {
  return reasonOr(e, e instanceof Error ? e.message : String(e));
}

/** The same, with the English words to use when the error carries no message (e.g. describeError's). */
export function reasonOr(e: unknown, text: string): MsgParam {
  const m = (e as { msg?: unknown } | null)?.msg;
  return isMsg(m) ? m : text;
}

/** Whole sentences one after the other, as one message ("A. B."): each a message or text. */
export function sentences(...parts: MsgParam[]): Msg {
  return msg('common.sentences', { items: list(parts, 'sentences') });
}

/**
 * A parameter as a message: itself when it is one, else its text wrapped as it came (the
 * words of a service or a library, which have no translation).
 */
export function asMsg(p: MsgParam): Msg {
  return isMsg(p) ? p : msg('common.text', { text: p });
}

/** A sync error (SyncSummary.errors) from a message: its English text and the message. */
export function syncError(m: Msg, where: { storeId?: string; orderId?: number } = {}): { storeId?: string; orderId?: number; reason: string; msg: Msg } {
  return { ...where, reason: textOf(m), msg: m };
}

/** An Error that carries its message (shared/messages), for reasonOf to find. */
export function errorWith(m: Msg): Error & { msg: Msg } {
  return Object.assign(new Error(textOf(m)), { msg: m });
}

/** The language a command-line user asked for: --lang, else LANG / LC_ALL / LC_MESSAGES. */
export function cliLanguage(flag?: string, env: NodeJS.ProcessEnv = process.env): EngineLanguage {
  const pick = (v: string | undefined) => (v && /^it\b|^it[_-]/i.test(v) ? 'it' : v && /^en\b|^en[_-]/i.test(v) ? 'en' : null);
  return pick(flag) ?? pick(env.LC_ALL) ?? pick(env.LC_MESSAGES) ?? pick(env.LANG) ?? 'en';
}
