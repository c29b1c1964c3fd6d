export {
  GelatoClient,
  fieldErrorsOf,
  type GelatoClientOptions,
  type GelatoEndpoints,
  type GelatoCallOptions,
  type SubmitOrderResult,
  type CancelResult,
} from './client';
export { GELATO_KEY_REFUSED, describeGelatoError } from './messages';
