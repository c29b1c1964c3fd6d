// Plain-language wording for GelatoConnect failures.
import { bodyMessage, type HttpError } from '../http';

export const GELATO_KEY_REFUSED = 'GelatoConnect refused the API key.';
export const GELATO_KEY_HINT =
  "Copy the connector's API key again from GelatoConnect into Presslink's settings. It must be key:secret — both parts, joined by a colon.";

export function describeGelatoError(e: HttpError): HttpError {
  let host = 'GelatoConnect';
  try {
    host = new URL(e.url).host;
  } catch {
    // keep the generic name
  }
  switch (e.code) {
    case 'unauthorized':
      return e.withMessage(GELATO_KEY_REFUSED, GELATO_KEY_HINT);
    case 'unreachable':
      return e.withMessage(`Cannot reach ${host}: check the GelatoConnect endpoint URLs`, "Check the connector's endpoint addresses in the settings and this computer's internet connection.");
    case 'rate_limited':
      return e.withMessage('GelatoConnect is limiting requests (more than it allows per second).', 'Presslink slows down and tries again later; nothing to do unless this persists.');
    case 'timeout':
      return e.withMessage(`GelatoConnect (${host}) did not answer in time.`, 'Usually temporary: Presslink tries again.');
    case 'network':
      return e.withMessage(`The connection to GelatoConnect (${host}) was interrupted.`, 'Usually temporary: Presslink tries again.');
    case 'server_error':
      return e.withMessage(`GelatoConnect had an internal error (HTTP ${e.status ?? '5xx'}).`, 'Usually temporary: Presslink tries again. If it persists, contact Gelato support.');
    case 'invalid_response':
      return e.withMessage(`The address ${host} did not answer like GelatoConnect.`, "Check the connector's endpoint URLs in the settings.");
    case 'client_error':
    case 'conflict': {
      const why = bodyMessage(e.detail);
      return why ? e.withMessage(`GelatoConnect refused the request: ${why}`, 'Check the order in GelatoConnect and the settings.') : e;
    }
    default:
      return e;
  }
}
