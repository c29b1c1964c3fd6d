// Typed HTTP errors. Every field is safe to show or log: URLs and body snippets are redacted
// before an HttpError is built, and the original low-level error is reduced to its code (an
// undici error object can carry request details we do not control). As a second line of
// defence the constructor also masks anything credential-shaped in every text field.
import { isMsg, list, mapMsgText, msg, type Msg, type MsgParam } from '../../../shared/messages/index';
import { reasonOf, textOf } from '../i18n';
import { redact } from './redact';

export type HttpErrorCode =
  | 'unauthorized' // 401/403: credentials refused
  | 'not_found' // 404 or an explicit "nothing here"
  | 'rate_limited' // 429 after all attempts
  | 'server_error' // 5xx after all attempts
  | 'client_error' // other 4xx
  | 'conflict' // 409 (other than a duplicate submit)
  | 'timeout' // no answer in time
  | 'unreachable' // connection refused / DNS failure: the request never left
  | 'network' // connection reset or dropped mid-way
  | 'aborted' // cancelled by the caller
  | 'invalid_response' // answered, but not with something we can read
  | 'redirect_blocked' // redirect to another host (SSRF guard)
  | 'download_incomplete'
  | 'checksum_mismatch'
  | 'not_pdf'
  | 'too_large' // a body over the configured size cap (JSON answer or print file)
  | 'validation_failed' // the receiver rejected the data (field messages attached)
  | 'unknown_outcome' // the request may have been processed; look it up before repeating
  | 'not_configured';

export type HttpErrorInit = {
  code: HttpErrorCode;
  service: string;
  method: string;
  url: string; // already redacted
  status?: number;
  userMessage: string;
  hint: string;
  /** The user message as a message (shared/messages), where Presslink wrote it; `userMessage` is its English. */
  msg?: Msg;
  /** The hint as a message, where Presslink wrote it. */
  hintMsg?: Msg;
  attempts?: number;
  retryable?: boolean;
  detail?: string; // redacted, truncated response body or low-level reason
  causeCode?: string;
  fieldErrors?: FieldError[];
};

export type FieldError = { field: string | null; message: string };

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly code: HttpErrorCode;
  readonly service: string;
  readonly method: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly userMessage: string;
  readonly hint: string;
  readonly attempts: number;
  /** Whether trying again later may succeed without anyone changing anything. */
  readonly retryable: boolean;
  readonly detail: string | undefined;
  readonly causeCode: string | undefined;
  readonly fieldErrors: FieldError[];
  /** `userMessage` as a message, for a person's language (reasonOf finds it); undefined for a service's own words. */
  readonly msg: Msg | undefined;
  readonly hintMsg: Msg | undefined;

  constructor(init: HttpErrorInit) {
    const url = redact(init.url);
    const userMessage = redact(init.userMessage);
    super(`${userMessage} (${init.service} ${init.method} ${url}${init.status ? ` → HTTP ${init.status}` : ''})`);
    this.code = init.code;
    this.service = init.service;
    this.method = init.method;
    this.url = url;
    this.status = init.status;
    this.userMessage = userMessage;
    this.hint = redact(init.hint);
    this.attempts = init.attempts ?? 1;
    this.retryable = init.retryable ?? defaultRetryable(init.code);
    this.detail = init.detail === undefined ? undefined : redact(init.detail);
    this.causeCode = init.causeCode;
    this.fieldErrors = (init.fieldErrors ?? []).map((f) => ({ field: f.field, message: redact(f.message) }));
    this.msg = init.msg ? mapMsgText(init.msg, (t) => redact(t)) : undefined;
    this.hintMsg = init.hintMsg ? mapMsgText(init.hintMsg, (t) => redact(t)) : undefined;
  }

  /**
   * Same error with the plain-language message and hint replaced (clients add specifics). Given
   * as messages (shared/messages), both are kept as messages and as their English text.
   */
  withMessage(userMessage: string | Msg, hint: string | Msg, extra: Partial<HttpErrorInit> = {}): HttpError {
    return new HttpError({ ...this.toInit(), ...worded(userMessage, hint), ...extra });
  }

  /** Same error and words, other fields changed (e.g. the attempts made). */
  with(extra: Partial<HttpErrorInit>): HttpError {
    return new HttpError({ ...this.toInit(), ...extra });
  }

  toInit(): HttpErrorInit {
    return {
      code: this.code,
      service: this.service,
      method: this.method,
      url: this.url,
      status: this.status,
      userMessage: this.userMessage,
      hint: this.hint,
      attempts: this.attempts,
      retryable: this.retryable,
      detail: this.detail,
      causeCode: this.causeCode,
      fieldErrors: this.fieldErrors,
      msg: this.msg,
      hintMsg: this.hintMsg,
    };
  }

  toJSON(): HttpErrorInit & { name: string; message: string } {
    return { name: this.name, message: this.message, ...this.toInit() };
  }
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
}

/** A user message and hint as the init fields: the English text, and the messages where given as such. */
export function worded(userMessage: string | Msg, hint: string | Msg): Pick<HttpErrorInit, 'userMessage' | 'hint' | 'msg' | 'hintMsg'> {
  return { userMessage: textOf(userMessage), hint: textOf(hint), msg: isMsg(userMessage) ? userMessage : undefined, hintMsg: isMsg(hint) ? hint : undefined };
}

/** Sentences joined into one text, each ending in punctuation, so two never run together. */
export function joinSentences(...parts: (string | null | undefined)[]): string {
  return parts
    .map((p) => p?.trim() ?? '')
    .filter(Boolean)
    .map((p) => (/[.!?…:;]$/.test(p) ? p : `${p}.`))
    .join(' ');
}

/** What went wrong and what to do about it, as one text: an HttpError's message and hint, or any error's message. */
export function describeError(e: unknown): string {
  if (isHttpError(e)) return joinSentences(e.userMessage, e.hint);
  return e instanceof Error ? e.message : String(e);
}

/** What describeError says, as a message: the error's message and hint as sentences (its English is describeError's text). */
export function describeMsg(e: unknown): MsgParam {
  if (!isHttpError(e)) return reasonOf(e);
  const parts = [e.msg ?? e.userMessage, e.hintMsg ?? e.hint].filter((p) => textOf(p).trim() !== '');
  return msg('common.sentences', { items: list(parts.map(asSentence), 'sentences') });
}

/** The user message of an error as a message where it has one (without the hint), else its text. */
export function userMsg(e: unknown): MsgParam {
  if (isHttpError(e)) return e.msg ?? e.userMessage;
  return reasonOf(e);
}

/** A text or message as a sentence: ended with a full stop when its English ends without punctuation (as joinSentences does). */
export function asSentence(p: string | Msg): MsgParam {
  const t = textOf(p).trim();
  if (/[.!?…:;]$/.test(t)) return typeof p === 'string' ? t : p;
  return msg('common.sentence', { text: typeof p === 'string' ? t : p });
}

function defaultRetryable(code: HttpErrorCode): boolean {
  return ['rate_limited', 'server_error', 'timeout', 'unreachable', 'network', 'download_incomplete'].includes(code);
}

/** Generic wording; the Infigo and GelatoConnect clients replace it with specific advice. */
export function defaultMessage(code: HttpErrorCode, service: string, host: string, status?: number): Pick<HttpErrorInit, 'userMessage' | 'hint' | 'msg' | 'hintMsg'> {
  const p = { service, host, status: status ?? (code === 'server_error' ? '5xx' : '4xx') };
  return worded(msg(`http.${code}.message`, p), msg(`http.${code}.hint`, p));
}

/** The human message inside an error body, when it is JSON in a common shape (Infigo's
 *  `ContextInfo.ErrorList[].ErrorMessage`, `{message}`, `{error}`); null otherwise. */
export function bodyMessage(detail: string | undefined): string | null {
  if (!detail) return null;
  let d: unknown;
  try {
    d = JSON.parse(detail);
  } catch {
    return null;
  }
  if (!d || typeof d !== 'object') return null;
  const o = d as Record<string, unknown>;
  const list = (o.ContextInfo as { ErrorList?: unknown } | undefined)?.ErrorList;
  if (Array.isArray(list)) {
    const msgs = list.map((x) => (x && typeof x === 'object' ? (x as { ErrorMessage?: unknown }).ErrorMessage : x)).filter((x): x is string => typeof x === 'string' && x !== '');
    if (msgs.length) return msgs.join('; ');
  }
  for (const k of ['message', 'Message', 'error', 'detail', 'title']) if (typeof o[k] === 'string' && o[k]) return o[k] as string;
  return null;
}
