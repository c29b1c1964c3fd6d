import i18next from 'i18next';
import { CallError, type CheckResult, type EngineStatus, type OlderOrderPreview, type OrderFile, type Problem } from '../../../shared/contract';
import { MESSAGES_NS, renderWith, type Msg } from '../../../shared/messages/index';

// What the engine says, in the UI's language. The engine sends each text twice:
// in English, and as a message (a catalogue key with parameters, shared/messages).
// A message is rendered from the catalogue; text without one (rows written by an
// older Presslink, or a service's own words) is shown as it came.

export function engineText(text: string | null | undefined, m?: Msg | null): string {
  if (m && known(m)) return renderMsg(m);
  return text ?? '';
}

/** Whether the catalogue has the message; a plural one exists only in its forms (`_one`, `_other`), found by its count. */
function known(m: Msg): boolean {
  const count = m.params?.count;
  return i18next.exists(m.key, { ns: MESSAGES_NS, ...(typeof count === 'number' ? { count } : {}) });
}

export function renderMsg(m: Msg): string {
  return renderWith((key, params) => i18next.t(key, { ...params, ns: MESSAGES_NS }), i18next.language || 'en', m);
}

/** A timeline event's heading: the catalogue's words for its kind, else the kind made readable. */
export function eventHeading(kind: string): string {
  const key = `timeline.${kind}`;
  if (i18next.exists(key, { ns: MESSAGES_NS })) return i18next.t(key, { ns: MESSAGES_NS });
  const words = kind.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// What the engine sends with its words: check results, problems, refused calls. Each field is
// shown from its message where the engine wrote one, else as the text it came with.

/** A check's title in the UI's language. */
export const checkTitle = (r: CheckResult): string => engineText(r.title, r.msgs?.title);
/** What a check found, in the UI's language. */
export const checkMessage = (r: CheckResult): string => engineText(r.message, r.msgs?.message);
/** What to do about it ('' when the check gives no fix). */
export const checkFix = (r: CheckResult): string => (r.fix === undefined ? '' : engineText(r.fix, r.msgs?.fix));
/** A problem with a setting or an input (its path is shown beside it). */
export const problemText = (p: Problem): string => engineText(p.message, p.msg);

/** A failed call's words in the UI's language: a CallError's message, else the error's text. */
export function callErrorText(error: unknown): string {
  if (error instanceof CallError) return engineText(error.message, error.msg);
  return error instanceof Error ? error.message : String(error);
}

// The engine's other words sent beside their English (pass B of the catalogue): each in the UI's
// language from its message, else as the text it came with.

/** Why a print file failed or waits (the order drawer's Files tab, troubleshooting). */
export const fileErrorText = (f: Pick<OrderFile, 'error' | 'errorMsg'>): string => engineText(f.error, f.errorMsg);
/** The notes of an older order's preview ("Send older orders"). */
export const olderNoteTexts = (o: Pick<OlderOrderPreview, 'notes' | 'noteMsgs'>): string[] => o.notes.map((n, i) => engineText(n, o.noteMsgs?.[i]));
/** Why the last checkout quotes came from the rate table (the dashboard). */
export const quoteFallbackText = (f: NonNullable<EngineStatus['quoteFallback']>): string => engineText(f.reason, f.reasonMsg);
