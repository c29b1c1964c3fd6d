export { InfigoClient, type InfigoClientOptions, type InfigoTokenCheck, type CreateOutputResult } from './client';
export { infigoApiBase, assertJobId } from './base-url';
export { parseContentRange, normaliseSha256, type DownloadOptions, type DownloadResult } from './download';
export { INFIGO_TOKEN_REFUSED, INFIGO_FILE_MISSING, cannotReach } from './messages';
export {
  RestPathStatusWriter,
  MegaScriptStatusWriter,
  NotConfiguredStatusWriter,
  createStatusWriter,
  DEFAULT_REST_FIELD_NAMES,
  type InfigoStatusWriter,
  type InfigoStatusUpdate,
  type InfigoReadBack,
  type PushResult,
  type StatusWriterConfig,
  type StatusWriterDeps,
  type RestStatusFieldNames,
  type MegaScriptStatusWriterOptions,
} from './status-writer';
