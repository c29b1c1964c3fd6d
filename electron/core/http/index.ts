export { backoffDelay, parseRetryAfter, DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
export { HttpError, isHttpError, defaultMessage, bodyMessage, describeError, describeMsg, userMsg, asSentence, worded, joinSentences, type HttpErrorCode, type HttpErrorInit, type FieldError } from './errors';
export { redact, redactUrl, redactHeaders, isSensitiveHeader } from './redact';
export {
  HttpClient,
  defaultSleep,
  networkErrorCode,
  type HttpClientOptions,
  type RequestOptions,
  type RetryMode,
  type RetryInfo,
  type JsonResponse,
  type FetchLike,
  type SleepLike,
} from './request';
export { nodeBody, nodeStreamFetch } from './node-stream';
