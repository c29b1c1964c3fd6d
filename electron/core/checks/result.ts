import type { CheckResult } from '../../../shared/contract';
import { isMsg, msg, type Msg } from '../../../shared/messages/index';
import { reasonOf, textOf } from '../i18n';

// One shape for every check a person reads (setup, checklist, doctor): what was
// checked, what was found, and — when something is wrong — what to do. Each text
// is given as a message (shared/messages) and stored twice: as English text in
// `title` / `message` / `fix` (logs, the JSON output, older faces) and as the
// message in `msgs`, which the renderer and the CLI show in the person's language.

/** What a check says: a message, or (only for words Presslink does not own) plain text. */
export type Said = string | Msg;

type Extra = { fix?: Said; evidence?: unknown };

/** A check's result with the status given: the builders below name the usual four. */
export function build(id: string, status: CheckResult['status'], title: Said, message: Said, fix?: Said, evidence?: unknown): CheckResult {
  const msgs: NonNullable<CheckResult['msgs']> = {};
  if (isMsg(title)) msgs.title = title;
  if (isMsg(message)) msgs.message = message;
  if (fix !== undefined && isMsg(fix)) msgs.fix = fix;
  return {
    id,
    ok: status !== 'fail',
    status,
    title: textOf(title),
    message: textOf(message),
    ...(fix === undefined ? {} : { fix: textOf(fix) }),
    ...(Object.keys(msgs).length ? { msgs } : {}),
    ...(evidence === undefined ? {} : { evidence }),
  };
}

export const pass = (id: string, title: Said, message: Said, extra: Extra = {}): CheckResult => build(id, 'pass', title, message, extra.fix, extra.evidence);
export const fail = (id: string, title: Said, message: Said, fix: Said, evidence?: unknown): CheckResult => build(id, 'fail', title, message, fix, evidence);
/** Works, but something deserves a look; does not fail the run. */
export const warn = (id: string, title: Said, message: Said, extra: Extra = {}): CheckResult => build(id, 'warn', title, message, extra.fix, extra.evidence);
/** Could not be checked (not configured, depends on an earlier failure, not available yet). */
export const skip = (id: string, title: Said, message: Said, extra: Extra = {}): CheckResult => build(id, 'skip', title, message, extra.fix, extra.evidence);

/** A result with some of its texts replaced, English and message kept together. */
export function restate(r: CheckResult, texts: { title?: Said; message?: Said; fix?: Said }): CheckResult {
  const next = build(r.id, r.status, texts.title ?? said(r, 'title'), texts.message ?? said(r, 'message'), texts.fix ?? (r.fix === undefined ? undefined : said(r, 'fix')), r.evidence);
  return { ...next, ok: r.ok };
}

/** What a result says in one of its fields, as a message where it has one (to put inside another message). */
export function said(r: CheckResult, field: 'title' | 'message' | 'fix'): Said {
  return r.msgs?.[field] ?? r[field] ?? '';
}

/** Runs a check; an unexpected exception becomes a failed result instead of failing the whole list. */
export async function guarded(id: string, title: Said, fn: () => Promise<CheckResult | CheckResult[]> | CheckResult | CheckResult[]): Promise<CheckResult[]> {
  try {
    const r = await fn();
    return Array.isArray(r) ? r : [r];
  } catch (e) {
    return [fail(id, title, msg('check.couldNotRun', { reason: reasonOf(e) }), msg('check.tryAgainOrSupport'))];
  }
}

/** Replaces every occurrence of a secret (raw or URL-encoded) in the results' text, messages' parameters included, with "***". */
export function scrubSecrets<T>(value: T, secrets: (string | undefined | null)[]): T {
  const list = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 4).flatMap((s) => [s, encodeURIComponent(s)]))].sort((a, b) => b.length - a.length);
  if (!list.length) return value;
  const scrub = (v: unknown): unknown => {
    if (typeof v === 'string') return list.reduce((acc, s) => acc.split(s).join('***'), v);
    if (Array.isArray(v)) return v.map(scrub);
    // A message's key names a catalogue entry, never a secret: a short wrong token typed into
    // the wizard ("test") must not turn "checklist.testOrders" into a key that does not exist.
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'key' && isMsg(v) ? x : scrub(x)]));
    return v;
  };
  return scrub(value) as T;
}
