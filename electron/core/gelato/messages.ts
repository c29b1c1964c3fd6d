// Plain-language wording for GelatoConnect failures, as messages (shared/messages, `gelato.*`).
import { msg, type Msg } from '../../../shared/messages/index';
import { bodyMessage, type HttpError } from '../http';
import { textOf } from '../i18n';

export const GELATO_MSG = {
  keyRefused: (): Msg => msg('gelato.keyRefused'),
  keyHint: (): Msg => msg('gelato.keyHint'),
} as const;

/** The English texts, for callers and tests that compare an error's userMessage. */
export const GELATO_KEY_REFUSED = textOf(GELATO_MSG.keyRefused());
export const GELATO_KEY_HINT = textOf(GELATO_MSG.keyHint());

export function describeGelatoError(e: HttpError): HttpError {
  let host = 'GelatoConnect';
  try {
    host = new URL(e.url).host;
  } catch {
    // keep the generic name
  }
  switch (e.code) {
    case 'unauthorized':
      return e.withMessage(GELATO_MSG.keyRefused(), GELATO_MSG.keyHint());
    case 'unreachable':
      return e.withMessage(msg('gelato.cannotReach', { host }), msg('gelato.cannotReachHint'));
    case 'rate_limited':
      return e.withMessage(msg('gelato.rateLimited'), msg('gelato.rateLimitedHint'));
    case 'timeout':
      return e.withMessage(msg('gelato.timeout', { host }), msg('gelato.temporaryHint'));
    case 'network':
      return e.withMessage(msg('gelato.network', { host }), msg('gelato.temporaryHint'));
    case 'server_error':
      return e.withMessage(msg('gelato.serverError', { status: e.status ?? '5xx' }), msg('gelato.serverErrorHint'));
    case 'invalid_response':
      return e.withMessage(msg('gelato.invalid', { host }), msg('gelato.invalidHint'));
    case 'client_error':
    case 'conflict': {
      const why = bodyMessage(e.detail);
      return why ? e.withMessage(msg('gelato.refused', { why }), msg('gelato.refusedHint')) : e;
    }
    default:
      return e;
  }
}
