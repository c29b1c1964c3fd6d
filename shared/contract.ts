import { z } from 'zod';
import type { Health, HealthFix } from './domain/health';
import type { RefusalCode } from './domain/order-actions';
import type { OrderLine } from './domain/order-line';
import { msg, type Msg } from './messages/index';
import { issueMsg } from './messages/zod';
import { ORDER_STATES, type OrderState } from './domain/order-state';

export type { Msg, OrderLine };

// The one contract between a face (desktop window, browser, tray) and the engine.
// Inputs are zod schemas because they cross a trust boundary (IPC, HTTP) and are
// validated on arrival; outputs are plain types because the engine produces them.
// The preload exposes exactly `PresslinkApi`; the headless server serves exactly
// these calls at POST /api/call/<name> and these events at GET /api/events (SSE).

const empty = z.object({}).strict().default({});
const ids = z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000) }).strict();
const OrderStateZ = z.enum(ORDER_STATES);

export const calls = {
  'engine.status': empty,
  'sync.now': empty,
  'sync.pause': empty,
  'sync.resume': empty,

  'orders.list': z
    .object({
      states: z.array(OrderStateZ).optional(),
      /** Orders a person must look at: held or failed, or marked (e.g. a status update Infigo keeps refusing). */
      attention: z.boolean().optional(),
      storeId: z.string().optional(),
      from: z.string().datetime({ offset: true }).optional(),
      to: z.string().datetime({ offset: true }).optional(),
      q: z.string().max(200).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      sort: z.enum(['newest', 'oldest']).default('newest'),
    })
    .strict(),
  'orders.get': z.object({ id: z.number().int().positive() }).strict(),
  'orders.counts': empty,
  'orders.retry': ids,
  'orders.skip': ids.extend({ reason: z.string().max(500).optional() }).strict(),
  'orders.cancel': z.object({ id: z.number().int().positive() }).strict(),
  'orders.redownload': z.object({ id: z.number().int().positive() }).strict(),
  /** What "send these older orders" would do with the chosen orders (read from Infigo; nothing changes). */
  'orders.olderPreview': z.object({ ids: z.array(z.number().int().positive()).min(1).max(200) }).strict(),
  /** Sends orders recorded as before go-live (or held because their date was unreadable): each is read again and submitted. */
  'orders.sendOlder': ids,

  'config.get': empty,
  'config.validate': z.object({ config: z.unknown() }).strict(),
  'config.save': z.object({ config: z.unknown() }).strict(),
  'config.export': z
    .object({ includeSecrets: z.boolean().default(false), passphrase: z.string().min(8).optional() })
    .strict()
    .refine((v) => !v.includeSecrets || !!v.passphrase, {
      message: 'a passphrase of at least 8 characters is needed to export secrets',
      path: ['passphrase'],
    }),
  'config.import': z
    .object({
      json: z.string().min(2),
      passphrase: z.string().optional(),
      /** Accept an export made by an earlier Presslink (format 1), whose configuration is not sealed. */
      acceptFormat1: z.boolean().optional(),
    })
    .strict(),
  /** The configurations replaced by the last saves, imports and restores (newest first). */
  'config.backups': empty,
  /** Puts a backed-up configuration back in force (the current one is backed up first). */
  'config.restore': z.object({ id: z.string().min(1).max(100) }).strict(),

  'setup.progress': empty,
  'setup.saveProgress': z
    .object({ step: z.number().int().min(1).max(9), completed: z.array(z.number().int()).optional() })
    .strict(),
  'setup.checkInfigo': z.object({ baseUrl: z.string(), apiToken: z.string() }).strict(),
  'setup.checkGelato': z
    .object({
      apiKey: z.string(),
      endpoints: z.record(z.string(), z.string()),
      customerReferenceId: z.string().optional(),
    })
    .strict(),
  /** Tests how GelatoConnect and Infigo reach this Presslink: the public address, or an S3 bucket for print files. */
  'setup.checkDelivery': z
    .object({
      /** The public address to test (server.publicBaseUrl or the signed-URL delivery's). */
      publicBaseUrl: z.string().max(2000).optional(),
      /** An S3-compatible delivery to test (as in config files.delivery; secrets may be the saved references). */
      s3: z.unknown().optional(),
    })
    .strict(),
  'setup.useSandbox': z.object({ orders: z.number().int().min(0).max(5000).default(20) }).strict(),
  /** Goes live: records the activation time and each store's cut-over, starts the schedule. Idempotent. */
  'setup.activate': empty,
  /** Writes one harmless test update (a note) to one order through the store's status writer and reads the order back. */
  'setup.checkStatusWriter': z.object({ storeId: z.string().optional(), infigoOrderId: z.number().int().positive().optional() }).strict(),

  'mappings.unmapped': empty,
  'mappings.preview': z.object({ orderId: z.number().int().positive() }).strict(),
  'mappings.classifyPreview': z.object({ storeId: z.string().optional(), limit: z.number().int().min(1).max(200).default(25) }).strict(),

  'checklist.run': empty,
  /** The checklist's last results and when they were taken (kept across reloads and restarts), without running it. */
  'checklist.last': empty,
  'checklist.waive': z.object({ id: z.string(), waived: z.boolean() }).strict(),
  'checklist.placeTestOrders': empty,
  'doctor.run': empty,

  'shipping.megascript': empty,
  'shipping.selfTest': empty,
  /** Checks GelatoConnect Logistics quotes: its own address and key, a sample quote, the method map, recent fallbacks. */
  'shipping.checkGcl': empty,

  /** The ways status and tracking can reach Infigo, described for the wizard, and each store's choice. */
  'statusWriter.choices': empty,
  /** The order-status MegaScript to paste into Infigo and its configuration (with the store's token). */
  'statusWriter.megascript': z.object({ storeId: z.string().min(1) }).strict(),
  /** Runs the generated status MegaScript the way Presslink calls it, on an in-memory order. */
  'statusWriter.selfTest': z.object({ storeId: z.string().optional() }).strict(),
  'postbacks.triggers': empty,
  /** Replaces the install's postback secret (the old one is refused from then on) and returns the new triggers to paste. */
  'postbacks.rotateSecret': empty,

  'diagnostics.bundle': empty,
  'stats.daily': z.object({ days: z.number().int().min(1).max(365).default(30) }).strict(),
} as const;

export type CallName = keyof typeof calls;
export type CallInput<N extends CallName> = z.input<(typeof calls)[N]>;
export type ParsedCallInput<N extends CallName> = z.output<(typeof calls)[N]>;

// ---- outputs --------------------------------------------------------------

export interface SyncSummary {
  runId: number;
  startedAt: string;
  finishedAt: string | null;
  trigger: 'schedule' | 'manual' | 'startup';
  ok: boolean;
  discovered: number;
  submitted: number;
  needsAttention: number;
  skipped: number;
  failed: number;
  durationMs: number | null;
  /** Each with its reason in English and, where the engine wrote it as one, as a message to translate. */
  errors: { storeId?: string; orderId?: number; reason: string; msg?: Msg }[];
}

export type { Health, HealthFix };

export interface EngineStatus {
  version: string;
  mode: 'desktop' | 'headless';
  dataDir: string;
  configured: boolean;
  health: Health;
  /** Why the health is not green, in words (shared/domain/health.ts); null when all is well. */
  healthCause: Msg | null;
  /** Where to fix it. */
  healthFix: HealthFix | null;
  paused: boolean;
  syncing: boolean;
  lastSync: SyncSummary | null;
  nextSyncAt: string | null;
  attentionCount: number;
  counts: Partial<Record<OrderState, number>>;
  stores: { id: string; name: string }[];
  /** Sandbox mode: simulated services running beside this engine, stopped (gone with a restart), or not in use. */
  sandbox: 'running' | 'stopped' | null;
  statusMode: 'postback' | 'polling';
  /** When the admin activated Presslink (docs/go-live.md); null before: nothing is imported or submitted. */
  activatedAt: string | null;
  /**
   * Checkout quotes GelatoConnect Logistics could not price in the last 24 hours (the rate table
   * answered instead): how many, since when, and the last reason. Null when there were none.
   */
  quoteFallback: { firstAt: string; lastAt: string; reason: string; reasonMsg?: Msg; count: number } | null;
}

/** A store's cut-over: orders up to this one were placed before go-live. */
export interface StoreCutoverInfo {
  storeId: string;
  name: string;
  /** Null until the store's cut-over is taken (at activation, or its first sync after it). 0 = the store had no orders. */
  newestInfigoOrderId: number | null;
  newestCreatedOnUtc: string | null;
  takenAt: string | null;
  by: 'admin' | 'sandbox' | 'migration' | 'first-sync' | null;
}

export interface ActivationInfo {
  activatedAt: string;
  by: 'admin' | 'sandbox' | 'migration';
  /** True when Presslink was active before this call (nothing changed). */
  alreadyActive: boolean;
  stores: StoreCutoverInfo[];
  /** One sentence for the admin (English). */
  message: string;
  /** The same as a message, for the admin's language. */
  msg?: Msg;
  nextSyncAt: string | null;
}

/** One GelatoConnect postback trigger to paste (customer profile → Triggers). */
export interface PostbackTrigger {
  event: string;
  name: string;
  /** Carries the secret as its last path segment unless `headers` does. */
  url: string;
  method: string;
  format: string;
  /** Empty unless the header is chosen (statusUpdates.postbackAuth = "header"). */
  headers: Record<string, string>;
  template: string;
  /** True for a trigger that may be missing from GelatoConnect's trigger list; status updates work without it. */
  optional: boolean;
  /** A whole sentence saying what the trigger is for, when there is more to say. */
  note: string | null;
  /** The note as a message, for the admin's language. */
  noteMsg?: Msg | null;
  /** When GelatoConnect last posted this trigger's event to this Presslink; null until the first arrives. */
  lastReceivedAt: string | null;
}

/** One way status and tracking can reach Infigo, as the setup wizard explains it. */
export interface StatusWriterChoice {
  kind: 'megascript' | 'rest' | 'none';
  title: string;
  /** What it is, in whole sentences. */
  summary: string;
  /** When to choose it. */
  when: string;
  /** Whether it rests on what Infigo documents (MegaScript) or on an assumption (a REST route). */
  documented: boolean;
  recommended: boolean;
  /** What the admin must do or enter. */
  needs: string[];
  /** How to prove it works. */
  verify: string;
  /** The same texts as messages, for the admin's language. */
  msgs?: { title: Msg; summary: Msg; when: Msg; needs: Msg[]; verify: Msg };
}

export interface StatusWriterChoices {
  choices: StatusWriterChoice[];
  stores: {
    storeId: string;
    name: string;
    kind: StatusWriterChoice['kind'];
    lastTest: { at: string; infigoOrderId: number | null; status: CheckResult['status']; message: string; msg?: Msg } | null;
  }[];
}

/** One order of a "send these older orders" preview. */
export interface OlderOrderPreview {
  id: number;
  storeId: string;
  infigoOrderId: number;
  state: OrderState;
  /** Read from Infigo now (null when it could not be read). */
  placedAt: string | null;
  orderStatus: string | null;
  shippingStatus: string | null;
  customerName: string | null;
  lines: number | null;
  /** Whether sending it would submit it (false: refused, with the reason in `notes`). */
  willSend: boolean;
  /** Whole sentences: why it would not be sent, or what to know before sending it. */
  notes: string[];
  /** The notes as messages, in the same order, for the admin's language. */
  noteMsgs?: Msg[];
}

export interface OrderRow {
  id: number;
  storeId: string;
  infigoOrderId: number;
  gelatoOrderId: string | null;
  orderReferenceId: string;
  state: OrderState;
  attentionReason: string | null;
  /** The reason as a message (shared/messages), to show in the person's language; null for older rows. */
  attentionMsg?: Msg | null;
  customerName: string | null;
  country: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TimelineEvent {
  id: number;
  at: string;
  kind: string;
  outcome: 'ok' | 'error' | 'info' | 'retry';
  message: string;
  /** The message as a code with parameters, to show in the person's language; null for older events. */
  msg?: Msg | null;
  detail: unknown;
}

export interface OrderFile {
  id: number;
  lineId: string;
  name: string;
  state: 'pending' | 'downloading' | 'downloaded' | 'failed';
  bytes: number | null;
  totalBytes: number | null;
  sha256: string | null;
  error: string | null;
  /** The error as a message, for the person's language; null for older rows or a service's own words. */
  errorMsg?: Msg | null;
}


export interface OrderDetail extends OrderRow {
  lines: OrderLine[];
  files: OrderFile[];
  timeline: TimelineEvent[];
  payload: unknown;
  infigo: unknown;
  tracking: { code: string; url: string | null; carrier: string | null }[];
  infigoUrl: string | null;
}

/** An order a bulk action left out: the rule's reason (shared/domain/order-actions.ts), in words too. */
export interface RefusedAction {
  id: number;
  reason: RefusalCode;
  msg: Msg;
}

export interface Problem {
  path: string;
  message: string;
  /** The message as a code with parameters, where the engine wrote it as one. */
  msg?: Msg;
}

export interface CheckResult {
  id: string;
  ok: boolean;
  status: 'pass' | 'fail' | 'warn' | 'skip' | 'waived';
  title: string;
  message: string;
  fix?: string;
  /** Title, message and fix as messages, to show in the person's language (the text fields are English). */
  msgs?: { title?: Msg; message?: Msg; fix?: Msg };
  evidence?: unknown;
}

export interface UnmappedSku {
  sku: string;
  attributes: Record<string, string>;
  count: number;
  lastSeen: string;
}

export interface DailyStat {
  day: string;
  orders: number;
  failures: number;
  syncRuns: number;
  avgSyncMs: number | null;
}

/** A configuration kept when a save, import or restore replaced it. */
export interface ConfigBackup {
  /** Names the backup for config.restore (and `presslink config restore <id>`). */
  id: string;
  /** When it was replaced. */
  createdAt: string;
  /** What replaced it. */
  reason: 'save' | 'import' | 'restore';
  /** Store ids it names, so a person can tell the backups apart. */
  stores: string[];
  bytes: number;
}

export interface CallOutputs {
  'engine.status': EngineStatus;
  'sync.now': { started: boolean; reason?: string; reasonMsg?: Msg; summary?: SyncSummary };
  'sync.pause': EngineStatus;
  'sync.resume': EngineStatus;
  'orders.list': { rows: OrderRow[]; total: number };
  'orders.get': OrderDetail;
  'orders.counts': Partial<Record<OrderState, number>>;
  'orders.retry': { changed: number; refused?: RefusedAction[] };
  'orders.skip': { changed: number; refused?: RefusedAction[] };
  'orders.cancel': { ok: boolean; message: string; msg?: Msg };
  'orders.redownload': { ok: boolean };
  'orders.olderPreview': { orders: OlderOrderPreview[]; willSend: number };
  'orders.sendOlder': { changed: number; refused: { id: number; reason: string; msg?: Msg }[] };
  'config.get': { config: unknown; configured: boolean };
  'config.validate': { ok: boolean; problems: Problem[] };
  'config.save': { ok: boolean; problems: Problem[] };
  'config.export': { json: string };
  'config.import': { ok: boolean; problems: Problem[] };
  'config.backups': { backups: ConfigBackup[] };
  'config.restore': { ok: boolean; problems: Problem[] };
  'setup.progress': { step: number; completed: number[] };
  'setup.saveProgress': { step: number; completed: number[] };
  'setup.checkInfigo': CheckResult[];
  'setup.checkGelato': CheckResult[];
  'setup.checkDelivery': CheckResult[];
  'setup.useSandbox': { ok: boolean; message: string; msg?: Msg };
  'setup.activate': ActivationInfo;
  'setup.checkStatusWriter': CheckResult[];
  'mappings.unmapped': UnmappedSku[];
  'mappings.preview': { payload: unknown; problems: Problem[] };
  'mappings.classifyPreview': { orderId: number; storeId: string; lines: OrderLine[] }[];
  'checklist.run': CheckResult[];
  'checklist.last': { at: string | null; results: CheckResult[] };
  'checklist.waive': CheckResult[];
  'checklist.placeTestOrders': { placed: number[] };
  'doctor.run': CheckResult[];
  /** `config` is the first store's; `perStore` has each store's (its own storefront address). */
  'shipping.megascript': { source: string; config: string; perStore: { storeId: string; name: string; config: string }[] };
  'shipping.selfTest': CheckResult;
  'shipping.checkGcl': CheckResult[];
  'statusWriter.choices': StatusWriterChoices;
  'statusWriter.megascript': { storeId: string; source: string; config: string; instructions: string[]; instructionMsgs?: Msg[] };
  'statusWriter.selfTest': CheckResult;
  'postbacks.triggers': PostbackTrigger[];
  'postbacks.rotateSecret': PostbackTrigger[];
  'diagnostics.bundle': { json: string };
  'stats.daily': DailyStat[];
}

export type CallOutput<N extends CallName> = CallOutputs[N];

// ---- events ---------------------------------------------------------------

export interface EngineEvents {
  status: EngineStatus;
  'sync.started': { runId: number; trigger: SyncSummary['trigger']; at: string };
  'sync.finished': SyncSummary;
  'order.changed': OrderRow;
  'download.progress': { orderId: number; fileId: number; bytes: number; totalBytes: number | null };
  'attention.count': { count: number };
}
export type EventName = keyof EngineEvents;
export const EVENT_NAMES: EventName[] = ['status', 'sync.started', 'sync.finished', 'order.changed', 'download.progress', 'attention.count'];

// ---- errors ---------------------------------------------------------------

export type CallErrorCode = 'invalid_input' | 'not_found' | 'unavailable' | 'conflict' | 'unauthorized' | 'failed';

/** What a failed call carries across IPC/HTTP: a plain-language message, never a stack or a secret. */
export interface CallErrorBody {
  code: CallErrorCode;
  message: string;
  /** The message as a code with parameters, where the engine wrote it as one. */
  msg?: Msg;
  problems?: Problem[];
}

export class CallError extends Error {
  constructor(
    readonly code: CallErrorCode,
    /** English text (the engine renders a message's English with electron/core/i18n.ts). */
    message: string,
    readonly problems?: Problem[],
    /** The same as a message, for a face to show in its person's language. */
    readonly msg?: Msg,
  ) {
    super(message);
    this.name = 'CallError';
  }
  toBody(): CallErrorBody {
    return { code: this.code, message: this.message, ...(this.msg ? { msg: this.msg } : {}), ...(this.problems ? { problems: this.problems } : {}) };
  }
}

/** The API a face sees. Implemented by the preload bridge and by the HTTP client. */
export interface PresslinkApi {
  call<N extends CallName>(name: N, input?: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EngineEvents[E]) => void): () => void;
}

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}

/** Validates a call's input the same way in the preload-facing IPC handler and the HTTP server. */
export function parseCallInput<N extends CallName>(name: N, input: unknown): ParsedCallInput<N> {
  const schema = calls[name] as unknown as z.ZodType<ParsedCallInput<N>>;
  const r = schema.safeParse(input ?? {});
  if (!r.success) {
    // English here (shared cannot render the catalogue); the engine words the problems from their messages.
    throw new CallError(
      'invalid_input',
      `The request "${name}" was not understood.`,
      r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(input)', message: i.message, msg: issueMsg(i) })),
      msg('calls.notUnderstood', { name }),
    );
  }
  return r.data;
}
