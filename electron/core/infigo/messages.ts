// Plain-language wording for Infigo failures: what happened, and what a person should do. Each
// is a message (shared/messages, `infigo.*`); the error keeps it beside its English text.
import { msg, type Msg } from '../../../shared/messages/index';
import { bodyMessage, type HttpError } from '../http';
import { textOf } from '../i18n';

export const INFIGO_MSG = {
  tokenRefused: (): Msg => msg('infigo.tokenRefused'),
  tokenHint: (): Msg => msg('infigo.tokenHint'),
  fileMissing: (): Msg => msg('infigo.fileMissing'),
  fileMissingHint: (): Msg => msg('infigo.fileMissingHint'),
  cannotReach: (host: string): Msg => msg('infigo.cannotReach', { host }),
} as const;

/** The English texts, for callers and tests that compare an error's userMessage. */
export const INFIGO_TOKEN_REFUSED = textOf(INFIGO_MSG.tokenRefused());
export const INFIGO_TOKEN_HINT = textOf(INFIGO_MSG.tokenHint());
export const INFIGO_FILE_MISSING = textOf(INFIGO_MSG.fileMissing());
export const INFIGO_FILE_MISSING_HINT = textOf(INFIGO_MSG.fileMissingHint());

export function cannotReach(host: string): string {
  return textOf(INFIGO_MSG.cannotReach(host));
}

/** Client-wide wording; methods replace it where they know more (e.g. a missing print file). */
export function describeInfigoError(host: string) {
  return (e: HttpError): HttpError => {
    switch (e.code) {
      case 'unauthorized':
        return e.withMessage(INFIGO_MSG.tokenRefused(), INFIGO_MSG.tokenHint());
      case 'unreachable':
        return e.withMessage(INFIGO_MSG.cannotReach(host), msg('infigo.cannotReachHint'));
      case 'network':
        return e.withMessage(msg('infigo.network', { host }), msg('infigo.networkHint'));
      case 'timeout':
        return e.withMessage(msg('infigo.timeout', { host }), msg('infigo.timeoutHint'));
      case 'invalid_response':
        return e.withMessage(msg('infigo.invalid', { host }), msg('infigo.invalidHint'));
      case 'redirect_blocked':
        return e.withMessage(msg('infigo.redirect'), msg('infigo.redirectHint'));
      case 'client_error':
      case 'conflict': {
        const why = bodyMessage(e.detail);
        return why ? e.withMessage(msg('infigo.refused', { why }), msg('infigo.refusedHint')) : e;
      }
      default:
        return e;
    }
  };
}
