export { InfigoClient, type InfigoClientOptions, type InfigoTokenCheck, type CreateOutputResult } from './client';
export { infigoApiBase, assertJobId } from './base-url';
export { parseContentRange, normaliseSha256, type DownloadOptions, type DownloadResult } from './download';
export { INFIGO_TOKEN_REFUSED, INFIGO_FILE_MISSING, cannotReach } from './messages';
export {
  RestPathStatusWriter,
  MegaScriptStatusWriter,
  createStatusWriter,
  DEFAULT_STATUS_PATH_TEMPLATE,
  DEFAULT_REST_FIELD_NAMES,
  type InfigoStatusWriter,
  type InfigoStatusUpdate,
  type StatusWriterConfig,
  type StatusWriterDeps,
  type RestStatusFieldNames,
  type MegaScriptStatusWriterOptions,
} from './status-writer';
