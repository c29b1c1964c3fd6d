// Typed HTTP errors. Every field is safe to show or log: URLs and body snippets are redacted
// before an HttpError is built, and the original low-level error is reduced to its code (an
// undici error object can carry request details we do not control). As a second line of
// defence the constructor also masks anything credential-shaped in every text field.
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
  }

  /** Same error with the plain-language message and hint replaced (clients add specifics). */
  withMessage(userMessage: string, hint: string, extra: Partial<HttpErrorInit> = {}): HttpError {
    return new HttpError({ ...this.toInit(), userMessage, hint, ...extra });
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
    };
  }

  toJSON(): HttpErrorInit & { name: string; message: string } {
    return { name: this.name, message: this.message, ...this.toInit() };
  }
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof HttpError;
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

function defaultRetryable(code: HttpErrorCode): boolean {
  return ['rate_limited', 'server_error', 'timeout', 'unreachable', 'network', 'download_incomplete'].includes(code);
}

/** Generic wording; the Infigo and GelatoConnect clients replace it with specific advice. */
export function defaultMessage(code: HttpErrorCode, service: string, host: string, status?: number): { userMessage: string; hint: string } {
  switch (code) {
    case 'unauthorized':
      return { userMessage: `${service} refused the credentials.`, hint: `Check the ${service} API key or token in the settings.` };
    case 'not_found':
      return { userMessage: `${service} says the requested item does not exist.`, hint: 'Check the id, or that the address in the settings is right.' };
    case 'rate_limited':
      return { userMessage: `${service} is limiting requests (too many in a short time).`, hint: 'Presslink will try again later; nothing to do unless this persists.' };
    case 'server_error':
      return { userMessage: `${service} had an internal error (HTTP ${status ?? '5xx'}).`, hint: 'Usually temporary: Presslink will try again. If it persists, check the service status.' };
    case 'client_error':
      return { userMessage: `${service} rejected the request (HTTP ${status ?? '4xx'}).`, hint: 'See the details; this usually needs a settings or data change.' };
    case 'conflict':
      return { userMessage: `${service} refused the change because of the item's current state.`, hint: 'Check the item in the service itself.' };
    case 'timeout':
      return { userMessage: `${service} did not answer in time.`, hint: `Check the network connection to ${host}; Presslink will try again.` };
    case 'unreachable':
      return { userMessage: `Cannot reach ${host}.`, hint: `Check the address of ${service} in the settings and the network connection.` };
    case 'network':
      return { userMessage: `The connection to ${host} was interrupted.`, hint: 'Usually temporary: Presslink will try again.' };
    case 'aborted':
      return { userMessage: 'The request was cancelled.', hint: 'Start it again when ready.' };
    case 'invalid_response':
      return { userMessage: `${service} answered with something Presslink cannot read.`, hint: `Check that the address points at ${service} and not at another site or a login page.` };
    case 'redirect_blocked':
      return { userMessage: `${service} redirected the request to another host, which Presslink does not follow.`, hint: 'Check the address in the settings (use the final https address).' };
    case 'download_incomplete':
      return { userMessage: 'The download stopped before the whole file arrived.', hint: 'Presslink resumes it on the next attempt.' };
    case 'checksum_mismatch':
      return { userMessage: 'The downloaded file is damaged (its checksum does not match).', hint: 'Presslink will download it again; if this repeats, regenerate the output.' };
    case 'not_pdf':
      return { userMessage: 'The downloaded file is not a PDF.', hint: 'Check the product output settings.' };
    case 'too_large':
      return { userMessage: `${service} sent more data than Presslink accepts in one answer.`, hint: `Check that the address in the settings points at ${service}; if the answer is genuine, raise the size limit in the configuration.` };
    case 'validation_failed':
      return { userMessage: `${service} rejected the data.`, hint: 'Fix the listed fields and retry.' };
    case 'unknown_outcome':
      return { userMessage: `It is not known whether ${service} received the request.`, hint: 'Presslink looks it up before trying again, so it is not sent twice.' };
    case 'not_configured':
      return { userMessage: `This ${service} feature is not configured.`, hint: 'Add the missing address in the settings.' };
  }
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
