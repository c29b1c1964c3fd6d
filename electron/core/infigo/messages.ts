// Plain-language wording for Infigo failures: what happened, and what a person should do.
import { bodyMessage, type HttpError } from '../http';

export const INFIGO_TOKEN_REFUSED =
  'The Infigo API token was refused: check it in Infigo admin and that it has API access (ask Infigo support to enable API access)';
export const INFIGO_TOKEN_HINT =
  "Paste the storefront's API token again in Presslink's store settings. If it is correct, ask Infigo support to enable API access for this storefront.";
export const INFIGO_FILE_MISSING =
  "The print file is not available: the output has not been produced — check the product's output/export settings in Infigo";
export const INFIGO_FILE_MISSING_HINT =
  'In Infigo admin, check that the product creates an output file and that the order line shows "OutputCreated"; Presslink asks for the output and tries again.';

export function cannotReach(host: string): string {
  return `Cannot reach ${host}: check the store's base URL`;
}

/** Client-wide wording; methods replace it where they know more (e.g. a missing print file). */
export function describeInfigoError(host: string) {
  return (e: HttpError): HttpError => {
    switch (e.code) {
      case 'unauthorized':
        return e.withMessage(INFIGO_TOKEN_REFUSED, INFIGO_TOKEN_HINT);
      case 'unreachable':
        return e.withMessage(cannotReach(host), `Check the base URL (for example https://yourstore.infigo.net) and this computer's internet connection.`);
      case 'network':
        return e.withMessage(`The connection to ${host} was interrupted.`, 'Usually temporary: Presslink tries again. If it keeps happening, check the network or proxy.');
      case 'timeout':
        return e.withMessage(`The Infigo store at ${host} did not answer in time.`, 'Usually temporary: Presslink tries again. If it persists, check that the store is up.');
      case 'invalid_response':
        return e.withMessage(
          `The address ${host} did not answer like an Infigo API.`,
          "Check the store's base URL: it should be the storefront address (Presslink adds /services/api).",
        );
      case 'redirect_blocked':
        return e.withMessage(
          `The Infigo store redirected Presslink to another host, which Presslink does not follow.`,
          "Use the storefront's final https address as the base URL.",
        );
      case 'client_error':
      case 'conflict': {
        const why = bodyMessage(e.detail);
        return why ? e.withMessage(`Infigo refused the request: ${why}`, 'Check the order or job in Infigo admin.') : e;
      }
      default:
        return e;
    }
  };
}
