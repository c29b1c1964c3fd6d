import fs from 'node:fs';
import path from 'node:path';
import type { StoreConfig } from '../../../shared/config';
import { convertOrder, type AttentionProblem } from '../../../shared/domain/convert';
import { InfigoDataError, type InfigoOrder, type InfigoOrderLine } from '../../../shared/domain/infigo';
import { toOrderLine, uniqueJobIds, type LineFallbacks, type OrderLine } from '../../../shared/domain/order-line';
import type { OrderState } from '../../../shared/domain/order-state';
import type { EngineContext } from '../context';
import { toRow, type OrderRecord } from '../db/orders-repo';
import { defaultSleep, describeError, describeMsg, HttpError, isHttpError, userMsg } from '../http';
import { bytesMsg, MB } from '../http/body';
import { list, msg as m, type Msg, type MsgParam } from '../../../shared/messages/index';
import { asMsg, errorWith, reasonOf, sentences, syncError, textOf } from '../i18n';
import { printFilePath } from '../files/safe-names';
import { currentOrder, type Connections } from '../connections';
import { limiter } from '../limit';
import { LINE_MSG, lineFallbacks, missingFieldsProblem, type ProductCache } from './line-fields';
import { OUTBOX, type OutboxRepo } from '../db/outbox-repo';
import { storeCutover } from '../golive/activation';
import { GOLIVE_MSG } from '../golive/messages';
import { DATE_UNREADABLE, sentByPerson } from '../golive/older-orders';

// One order, one step at a time. Each step reads the order's state from the
// database, does its outside work, and records the result as one transition,
// so a crash anywhere resumes at the step that was interrupted. Nothing here
// drops an order: it proceeds, waits for the next cycle (a transient failure),
// or stops in Needs attention with the reason and what to do.

export interface StepTally {
  submitted: number;
  needsAttention: number;
  skipped: number;
  failed: number;
  errors: { storeId?: string; orderId?: number; reason: string; msg?: Msg }[];
}

export interface PipelineDeps {
  ctx: EngineContext;
  conns: Connections;
  outbox: OutboxRepo;
  /** Shared across the cycle so the download concurrency setting holds for the whole engine. */
  downloads: ReturnType<typeof limiter>;
  tally: StepTally;
  /** The cycle's stop (engine stopping, cycle deadline): ends transfers in flight, parts kept.
   *  Its reason is an Error carrying a message that says why ("because Presslink is stopping"). */
  signal?: AbortSignal;
}

const ACTIVE: OrderState[] = ['discovered', 'classified', 'files', 'submitting'];
/** How long to wait for Infigo to produce an output that was not ready. */
const OUTPUT_WAIT_MS = 30_000;
const MIN_FREE_BYTES = 512 * 1024 * 1024;

export async function processOrder(d: PipelineDeps, store: StoreConfig, orderId: number): Promise<void> {
  await currentOrder.run({ orderId }, async () => {
    for (let guard = 0; guard < 8; guard++) {
      if (d.ctx.stopping.value || d.signal?.aborted) return;
      const o = d.ctx.repo.byId(orderId);
      if (!o || !ACTIVE.includes(o.state)) return;
      const before = o.state;
      try {
        switch (o.state) {
          case 'discovered':
            await stepDiscovered(d, store, o);
            break;
          case 'classified':
            stepClassified(d, store, o);
            break;
          case 'files':
            await stepFiles(d, store, o);
            break;
          case 'submitting':
            await stepSubmit(d, store, o);
            break;
        }
      } catch (e) {
        // Stopped from outside, not failed: no failure is counted against the order.
        if (d.signal?.aborted) interrupted(d, o);
        else transientFailure(d, store, o, e);
        return;
      }
      const after = d.ctx.repo.byId(orderId)!;
      if (after.state !== before) d.ctx.bus.emit('order.changed', toRow(after));
      // A step that did not move the order is waiting (for payment, a retry, the next cycle).
      if (after.state === before) return;
    }
  });
}

const PER_ORDER_CODES = new Set(['invalid_response', 'client_error', 'not_pdf', 'checksum_mismatch', 'download_incomplete', 'validation_failed', 'redirect_blocked', 'conflict', 'too_large']);
const STORE_WIDE_CODES = new Set(['unauthorized', 'unreachable', 'not_configured']);

/** After this many cycles in a row failing at the same step, a person is asked to look. */
export const MAX_TRANSIENT_FAILURES = 5;

/**
 * A failure that may pass by itself: the order keeps its state and is tried
 * again next cycle. A failure that will not pass by itself (the other side
 * answered, but with something unusable), or one that keeps repeating, goes to
 * Needs attention instead, so no order is retried silently forever.
 */
function transientFailure(d: PipelineDeps, store: StoreConfig, o: OrderRecord, e: unknown): void {
  const said = describeMsg(e);
  const permanent = isHttpError(e) && !e.retryable && PER_ORDER_CODES.has(e.code);
  // Credentials and reachability are the store's problem, reported once per cycle, not per order.
  const storeWide = isHttpError(e) && STORE_WIDE_CODES.has(e.code);
  const repeated = !storeWide && consecutiveFailures(d, o.id) + 1 >= MAX_TRANSIENT_FAILURES;
  if (permanent || repeated) {
    const code = isHttpError(e) && e.service === 'Infigo' ? 'infigo_data' : o.state === 'files' ? 'file_invalid' : o.state === 'submitting' ? 'gelato_rejected' : 'infigo_data';
    const failed = repeated && !permanent ? m('pipeline.failedRepeated', { step: stepName(o.state), count: MAX_TRANSIENT_FAILURES, reason: userMsg(e) }) : m('pipeline.failed', { step: stepName(o.state), reason: userMsg(e) });
    const fields = fieldList(e);
    const hint = isHttpError(e) && e.hint ? (e.hintMsg ?? e.hint) : null;
    attention(
      d,
      o,
      [
        {
          code,
          message: fields ? m('pipeline.withFields', { text: failed, fields }) : failed,
          fix: hint ? sentences(hint, m('pipeline.thenRetry')) : m('pipeline.thenRetry'),
        },
      ],
      o.state,
    );
    d.ctx.bus.emit('order.changed', toRow(d.ctx.repo.byId(o.id)!));
    return;
  }
  d.ctx.repo.addEvent(o.id, 'step_failed', 'error', m('pipeline.stepFailed', { step: stepName(o.state), reason: said }), isHttpError(e) ? e.toJSON() : { message: (e as Error).message });
  d.tally.errors.push(syncError(asMsg(said), { storeId: store.id, orderId: o.infigoOrderId }));
  d.ctx.log.warn({ orderId: o.id, state: o.state, err: describeError(e) }, 'order step failed; will retry next cycle');
}

/** The step was cut short by the cycle's stop; it resumes where it stopped (a download from its part). */
function interrupted(d: PipelineDeps, o: OrderRecord): void {
  const why = d.signal?.reason instanceof Error ? reasonOf(d.signal.reason) : m('pipeline.why.stopped');
  d.ctx.repo.addEvent(o.id, 'interrupted', 'info', m('pipeline.interrupted', { step: stepName(o.state), why }));
}

/** "Quantity: expected a number; …" — which data was unusable, so the fix can be found (null: none named). */
function fieldList(e: unknown): MsgParam | null {
  if (!isHttpError(e) || e.fieldErrors.length === 0) return null;
  const items = e.fieldErrors.slice(0, 5).map((f) => (f.field ? `${f.field}: ${f.message}` : f.message));
  return list(e.fieldErrors.length > 5 ? [...items, '…'] : items, 'clauses');
}

function consecutiveFailures(d: PipelineDeps, orderId: number): number {
  const kinds = d.ctx.repo.recentEventKinds(orderId, MAX_TRANSIENT_FAILURES, 'retry');
  let n = 0;
  for (const k of kinds) {
    if (k !== 'step_failed') break;
    n++;
  }
  return n;
}

function stepName(s: OrderState): MsgParam {
  return s === 'discovered' || s === 'classified' || s === 'files' || s === 'submitting' ? m(`pipeline.step.${s}`) : s;
}

export function attention(
  d: PipelineDeps,
  o: OrderRecord,
  problems: AttentionProblem[],
  resume: OrderState,
  kind = 'needs_attention',
  extra: { customerName?: string | null; country?: string | null; infigoJson?: string | null } = {},
): void {
  const first = problems[0]!;
  const reason = sentences(...problems.map((p) => p.message), first.fix);
  // The detail keeps each problem's English (for diagnostics); the reason is the message.
  const detail = { problems: problems.map((p) => ({ code: p.code, message: textOf(p.message), fix: textOf(p.fix), ...(p.params ? { params: p.params } : {}) })) };
  d.ctx.repo.transition(
    o.id,
    'needs_attention',
    { kind, message: reason, detail },
    { attentionCode: first.code, attentionReason: reason, resumeState: resume, ...extra },
  );
  d.tally.needsAttention++;
}

// ---- discovered: read the order and its lines, classify ---------------------

async function stepDiscovered(d: PipelineDeps, store: StoreConfig, o: OrderRecord): Promise<void> {
  const cfg = d.ctx.config.get();
  const infigo = d.conns.infigo(store);
  let order: InfigoOrder;
  try {
    order = await infigo.getOrder(o.infigoOrderId);
  } catch (e) {
    if (e instanceof InfigoDataError) return attention(d, o, [dataProblem(e)], 'discovered');
    if (isHttpError(e) && e.code === 'not_found') {
      return attention(d, o, [{ code: 'infigo_data', message: m('pipeline.orderGone', { order: o.infigoOrderId }), fix: m('pipeline.orderGoneFix') }], 'discovered');
    }
    throw e;
  }
  const customerName = [order.ShippingAddress?.FirstName, order.ShippingAddress?.LastName].filter(Boolean).join(' ') || order.ShippingAddress?.CompanyName || null;
  const country = order.ShippingAddress?.CountryCode ?? order.ShippingAddress?.Country ?? null;

  const keep = { customerName, country, infigoJson: JSON.stringify(order) };
  // A person who sent an older order on purpose decided already: only a cancellation stops it.
  const sentOnPurpose = sentByPerson(d.ctx, o.id);
  const cancelled = !!order.OrderStatus && /^cancel+ed$/i.test(order.OrderStatus);
  if (!sentOnPurpose) {
    const placed = order.CreatedOnUtc && Number.isFinite(Date.parse(order.CreatedOnUtc)) ? new Date(Date.parse(order.CreatedOnUtc)).toISOString() : null;
    if (!placed) {
      const reason = GOLIVE_MSG.dateUnreadable(o.infigoOrderId, order.CreatedOnUtc);
      return attention(d, o, [{ code: DATE_UNREADABLE, message: reason, fix: GOLIVE_MSG.dateUnreadableFix() }], 'discovered', 'needs_attention', keep);
    }
    const cut = storeCutover(d.ctx, store.id);
    if (cut?.newestCreatedOnUtc && placed < cut.newestCreatedOnUtc) {
      const reason = GOLIVE_MSG.beforeGoLiveByDate(o.infigoOrderId, placed, cut.newestCreatedOnUtc);
      d.ctx.repo.transition(o.id, 'before_go_live', { kind: 'before_go_live', outcome: 'info', message: reason }, { attentionReason: reason, ...keep });
      d.tally.skipped++;
      return;
    }
  }
  const skipStatus = (list: string[], v: string | null) => !!v && list.some((s) => squash(s) === squash(v));
  if ((cancelled || !sentOnPurpose) && skipStatus(cfg.sync.skipOrderStatuses, order.OrderStatus)) {
    const message = GOLIVE_MSG.skippedOrderStatus(order.OrderStatus!);
    d.ctx.repo.transition(o.id, 'skipped', { kind: 'skipped', outcome: 'info', message }, { attentionReason: m('pipeline.skip.status', { status: order.OrderStatus! }), ...keep });
    d.tally.skipped++;
    return;
  }
  if (!sentOnPurpose && skipStatus(cfg.sync.skipShippingStatuses, order.ShippingStatus)) {
    const message = GOLIVE_MSG.skippedShippingStatus(order.ShippingStatus!);
    d.ctx.repo.transition(o.id, 'skipped', { kind: 'skipped', outcome: 'info', message }, { attentionReason: m('pipeline.skip.shippingStatus', { status: order.ShippingStatus! }), ...keep });
    d.tally.skipped++;
    return;
  }
  if (!sentOnPurpose && cfg.sync.importSince && order.CreatedOnUtc && Date.parse(order.CreatedOnUtc) < Date.parse(cfg.sync.importSince)) {
    const message = m('pipeline.skip.beforeImport', { placed: order.CreatedOnUtc.slice(0, 10), since: cfg.sync.importSince.slice(0, 10) });
    d.ctx.repo.transition(o.id, 'skipped', { kind: 'skipped', outcome: 'info', message }, { attentionReason: m('pipeline.skip.beforeImportReason'), ...keep });
    d.tally.skipped++;
    return;
  }
  if (cfg.sync.requirePaid && !['Paid', 'Authorized'].includes(order.PaymentStatus ?? '')) {
    const last = d.ctx.repo.timeline(o.id).at(-1);
    if (last?.kind !== 'awaiting_payment') {
      d.ctx.repo.addEvent(o.id, 'awaiting_payment', 'info', m('pipeline.awaitingPayment', { status: order.PaymentStatus ?? m('convert.unknownType') }));
    }
    return;
  }

  const lines: (OrderLine & { raw: unknown })[] = [];
  const read: { line: InfigoOrderLine; fallbacks: LineFallbacks; kind: OrderLine['kind'] }[] = [];
  const products: ProductCache = new Map();
  for (const jobId of uniqueJobIds(order.OrderLineItems)) {
    let line: InfigoOrderLine;
    try {
      line = await infigo.getOrderLine(jobId);
    } catch (e) {
      if (e instanceof InfigoDataError) return attention(d, o, [dataProblem(e)], 'discovered');
      if (isHttpError(e) && e.code === 'not_found') {
        return attention(d, o, [{ code: 'infigo_data', message: m('pipeline.lineGone', { line: jobId, order: o.infigoOrderId }), fix: m('pipeline.lineGoneFix') }], 'discovered');
      }
      throw e;
    }
    const { fallbacks, used } = await lineFallbacks(infigo, line, products);
    if (used.length) d.ctx.repo.addEvent(o.id, 'line_fallback', 'info', LINE_MSG.fallbackUsed(line.Id, used));
    const { line: l, because } = toOrderLine(line, cfg.orderTypes, fallbacks);
    lines.push({ ...l, raw: { ...line, classifiedBecause: because } });
    read.push({ line, fallbacks, kind: l.kind });
  }
  // Lines that go to production must say how many and of what; stock lines left out by the
  // policy and unsupported lines (held by the conversion) need not.
  const produced = read.filter((r) => r.kind === 'printable' || (r.kind === 'stock' && cfg.orderTypes.stockPolicy !== 'exclude'));
  const gaps = missingFieldsProblem(o.infigoOrderId, produced);
  if (gaps) return attention(d, o, [gaps], 'discovered', 'needs_attention', { customerName, country, infigoJson: JSON.stringify(order) });
  d.ctx.repo.replaceLines(o.id, lines);
  const kinds = lines.map((l) => l.kind);
  d.ctx.repo.transition(
    o.id,
    'classified',
    { kind: 'classified', message: m('pipeline.classified', { count: lines.length, printable: count(kinds, 'printable'), stock: count(kinds, 'stock'), unsupported: count(kinds, 'unsupported') }) },
    { customerName, country, infigoJson: JSON.stringify(order) },
  );
}

function squash(s: string): string {
  return s.toLowerCase().replace(/[\s_-]+/g, '').replace(/^canceled$/, 'cancelled');
}

function count<T>(xs: T[], x: T): number {
  return xs.filter((v) => v === x).length;
}

function dataProblem(e: InfigoDataError): AttentionProblem {
  return { code: 'infigo_data', message: m('pipeline.unreadable', { reason: e.message }), fix: m('pipeline.unreadableFix') };
}

// ---- classified: mapping, address, shipping ---------------------------------

function stepClassified(d: PipelineDeps, store: StoreConfig, o: OrderRecord): void {
  const r = convert(d, store, o);
  if (r.ok) {
    const hasPrintable = d.ctx.repo.lines(o.id).some((l) => l.kind === 'printable');
    const checked = m('pipeline.checked', { count: r.payload.items.length, shipping: r.payload.shipmentMethodUid, customer: r.payload.customerReferenceId ?? '' });
    d.ctx.repo.transition(o.id, hasPrintable ? 'files' : 'submitting', {
      kind: 'checked',
      message: r.excludedStockLines.length ? sentences(checked, m('pipeline.stockLeftOut', { count: r.excludedStockLines.length })) : checked,
    });
    return;
  }
  if (r.nothingToProduce) {
    d.ctx.repo.transition(o.id, 'skipped', { kind: 'skipped', outcome: 'info', message: r.reason }, { attentionReason: r.reason });
    d.tally.skipped++;
    return;
  }
  attention(d, o, r.problems, 'classified');
}

export function convert(d: Pick<PipelineDeps, 'ctx'>, store: StoreConfig, o: OrderRecord, fileUrls?: Record<string, string>) {
  const order = JSON.parse(o.infigoJson ?? '{}') as InfigoOrder;
  return convertOrder({
    store: { id: store.id, gelatoCustomerReferenceId: store.gelatoCustomerReferenceId, currency: store.currency },
    order,
    lines: d.ctx.repo.lines(o.id),
    config: d.ctx.config.get(),
    orderReferenceId: o.orderReferenceId,
    fileUrls,
  });
}

// ---- files: download, verify, deliver, preflight ----------------------------

function filesRoot(ctx: EngineContext): string {
  return ctx.config.get().files.folder ?? ctx.files.files;
}

async function stepFiles(d: PipelineDeps, store: StoreConfig, o: OrderRecord): Promise<void> {
  const infigo = d.conns.infigo(store);
  const delivery = d.conns.delivery();
  const root = filesRoot(d.ctx);
  const printable = d.ctx.repo.lines(o.id).filter((l) => l.kind === 'printable');
  const existing = new Map(d.ctx.repo.files(o.id).map((f) => [f.lineId, f]));
  const problems: AttentionProblem[] = [];

  await Promise.all(
    printable.map((line) =>
      d.downloads(async () => {
        const dest = printFilePath(root, store.id, o.infigoOrderId, line.jobId, line.name);
        const name = path.basename(dest);
        const prev = existing.get(line.jobId);
        if (prev?.state === 'downloaded' && prev.sha256 && fileSize(dest) === prev.bytes) return;
        await ensureFreeSpace(root);
        const fileId = d.ctx.repo.upsertFile({ orderId: o.id, jobId: line.jobId, name, path: dest, state: 'downloading' });
        try {
          const res = await downloadWithOutput(d, infigo, o, line.jobId, dest, fileId);
          d.ctx.repo.upsertFile({ orderId: o.id, jobId: line.jobId, name, path: dest, state: 'downloaded', bytes: res.bytes, totalBytes: res.bytes, sha256: res.sha256 });
          const said = { file: name, size: bytesMsg(res.bytes), sha256: res.sha256.slice(0, 12) };
          d.ctx.repo.addEvent(o.id, 'file_downloaded', 'ok', res.resumedFrom ? m('pipeline.fileResumed', { ...said, from: bytesMsg(res.resumedFrom) }) : m('pipeline.fileDownloaded', said), {
            jobId: line.jobId,
            bytes: res.bytes,
            sha256: res.sha256,
            resumedFrom: res.resumedFrom,
          });
        } catch (e) {
          if (d.signal?.aborted || !isHttpError(e) || e.retryable) {
            d.ctx.repo.upsertFile({ orderId: o.id, jobId: line.jobId, name, path: dest, state: 'pending', error: userMsg(e) });
            throw e;
          }
          d.ctx.repo.upsertFile({ orderId: o.id, jobId: line.jobId, name, path: dest, state: 'failed', error: userMsg(e) });
          problems.push({
            code: e.code === 'not_found' ? 'file_missing' : 'file_invalid',
            message: line.sku ? m('pipeline.fileFailedSku', { line: line.jobId, sku: line.sku, reason: userMsg(e) }) : m('pipeline.fileFailed', { line: line.jobId, reason: userMsg(e) }),
            fix: e.hint ? asMsg(e.hintMsg ?? e.hint) : m('pipeline.fileFailedFix'),
            params: { jobId: line.jobId },
          });
        }
      }),
    ),
  );
  if (problems.length) return attention(d, o, problems, 'files');

  // Files are written without an fsync each (that would stall every transfer on the disk);
  // they are made durable here, together, before anyone outside this machine is sent to them.
  const ready = d.ctx.repo.files(o.id).filter((f) => f.state === 'downloaded');
  await Promise.all(ready.map((f) => syncToDisk(f.path)));

  // GelatoConnect fetches the files itself: make sure the links answer before submitting.
  for (const f of ready) {
    const url = await delivery.deliver({ id: f.id, path: f.path, name: f.name, bytes: f.bytes ?? 0 });
    const check = await preflight(url, d.signal);
    if (d.signal?.aborted) throw d.signal.reason;
    if (!check.ok) {
      return attention(
        d,
        o,
        [
          {
            code: 'file_unreachable',
            message: m('pipeline.fileUnreachable', { file: f.name, url: redactQuery(url), why: check.reason }),
            fix: delivery.kind === 'signed-url' ? m('pipeline.fileUnreachableFix', { where: m('where.setupStatusUpdates') }) : m('pipeline.fileUnreachableS3Fix'),
          },
        ],
        'files',
      );
    }
    d.ctx.repo.upsertFile({ orderId: o.id, jobId: f.lineId, name: f.name, path: f.path, state: 'downloaded', bytes: f.bytes, totalBytes: f.totalBytes, sha256: f.sha256, deliveredUrl: url });
  }
  d.ctx.repo.transition(o.id, 'submitting', { kind: 'files_ready', message: m('pipeline.filesReady', { count: printable.length, delivery: m(delivery.kind === 's3' ? 'pipeline.delivery.s3' : 'pipeline.delivery.signed') }) });
}

async function downloadWithOutput(d: PipelineDeps, infigo: ReturnType<Connections['infigo']>, o: OrderRecord, jobId: string, dest: string, fileId: number) {
  let lastEmit = 0;
  const files = d.ctx.config.get().files;
  const opts = {
    signal: d.signal,
    maxBytes: files.maxFileSizeMB * MB,
    deadlineMs: Math.round(files.downloadDeadlineMinutes * 60_000),
    fsync: false, // stepFiles syncs the order's files together before delivering them
    onProgress: (bytes: number, total: number | null) => {
      const now = Date.now();
      if (now - lastEmit < 250 && bytes !== total) return;
      lastEmit = now;
      d.ctx.bus.emit('download.progress', { orderId: o.id, fileId, bytes, totalBytes: total });
    },
  };
  try {
    return await infigo.downloadOutput(jobId, dest, opts);
  } catch (e) {
    if (!(isHttpError(e) && e.code === 'not_found')) throw e;
  }
  // Output not produced yet: ask Infigo to create it, then wait for it.
  d.ctx.repo.addEvent(o.id, 'output_requested', 'info', m('pipeline.outputRequested', { line: jobId }));
  await infigo.createOutput(jobId);
  const deadline = Date.now() + OUTPUT_WAIT_MS;
  let delay = 250;
  for (;;) {
    await defaultSleep(delay, d.signal);
    try {
      return await infigo.downloadOutput(jobId, dest, opts);
    } catch (e) {
      if (!(isHttpError(e) && e.code === 'not_found') || Date.now() > deadline) throw e;
      delay = Math.min(delay * 2, 4000);
    }
  }
}

async function syncToDisk(file: string): Promise<void> {
  // A file gone missing is reported by the delivery check that follows, in plain words.
  const fh = await fs.promises.open(file, 'r+').catch(() => null);
  if (!fh) return;
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function preflight(url: string, stop?: AbortSignal): Promise<{ ok: true } | { ok: false; reason: Msg }> {
  try {
    const timeout = AbortSignal.timeout(15_000);
    const res = await fetch(url, { headers: { range: 'bytes=0-4' }, signal: stop ? AbortSignal.any([timeout, stop]) : timeout });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200 && res.status !== 206) return { ok: false, reason: m('pipeline.link.status', { status: res.status }) };
    if (!body.subarray(0, 5).equals(Buffer.from('%PDF-'))) return { ok: false, reason: m('pipeline.link.notPdf') };
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: m('pipeline.link.unreachable', { reason: (e as Error).message }) };
  }
}

function redactQuery(url: string): string {
  const i = url.indexOf('?');
  return i < 0 ? url : `${url.slice(0, i)}?…`;
}

function fileSize(p: string): number | null {
  try {
    return fs.statSync(p).size;
  } catch {
    return null;
  }
}

async function ensureFreeSpace(root: string): Promise<void> {
  fs.mkdirSync(root, { recursive: true, mode: 0o700 }); // print files are customer data: owner-only
  const s = await fs.promises.statfs(root);
  const free = s.bavail * s.bsize;
  if (free < MIN_FREE_BYTES) {
    throw errorWith(m('pipeline.diskFull', { folder: root, free: bytesMsg(free), config: m('where.configFile', { setting: 'files.folder' }) }));
  }
}

// ---- submitting: exactly once -------------------------------------------------

/** An order read from Infigo longer ago than this is read again just before it is submitted. */
const RECHECK_BEFORE_SUBMIT_MS = 60_000;

/**
 * Large files can take minutes; an order cancelled in Infigo meanwhile must not reach
 * production. Orders read moments ago are not read again (a large import would double its calls).
 */
async function cancelledSinceRead(d: PipelineDeps, store: StoreConfig, o: OrderRecord): Promise<string | null> {
  const readAt = d.ctx.repo.lastEventAt(o.id, 'classified');
  if (readAt && Date.now() - Date.parse(readAt) < RECHECK_BEFORE_SUBMIT_MS) return null;
  const order = await d.conns.infigo(store).getOrder(o.infigoOrderId);
  // Only a cancellation stops an order at the last moment; the other skip statuses are decided when it is read.
  return order.OrderStatus && /^cancel+ed$/i.test(order.OrderStatus) ? order.OrderStatus : null;
}

async function stepSubmit(d: PipelineDeps, store: StoreConfig, o: OrderRecord): Promise<void> {
  const gelato = d.conns.gelato();
  const customer = { customerReferenceId: store.gelatoCustomerReferenceId };
  const key = OUTBOX.submitKey(o.orderReferenceId);
  const entry = d.outbox.get(key);

  // An earlier attempt may have reached GelatoConnect (crash, timeout): ask before sending again.
  if (entry && entry.attempts > 0 && entry.state !== 'done') {
    const found = await gelato.findByReference(o.orderReferenceId, customer);
    if (found) {
      d.outbox.done(key);
      d.ctx.repo.transition(o.id, 'submitted', {
        kind: 'submitted',
        message: m('pipeline.recovered', { id: found.id }),
        detail: { gelatoOrderId: found.id, recovered: true },
      }, { gelatoOrderId: found.id, gelatoStatus: found.status });
      d.tally.submitted++;
      return;
    }
  }

  // Only now is it certain GelatoConnect does not have the order: a last look at Infigo.
  const cancelledAs = await cancelledSinceRead(d, store, o);
  if (cancelledAs) {
    if (entry) d.outbox.fail(key, `${cancelledAs} in Infigo before submission`);
    d.ctx.repo.transition(o.id, 'canceled', { kind: 'canceled', outcome: 'info', message: m('pipeline.canceledBeforeSubmit', { status: cancelledAs.toLowerCase() }) }, { attentionReason: m('pipeline.canceledBeforeSubmitReason', { status: cancelledAs }) });
    d.tally.skipped++;
    return;
  }

  const files = d.ctx.repo.files(o.id);
  const delivery = files.length ? d.conns.delivery() : null;
  const fileUrls: Record<string, string> = {};
  for (const f of files) {
    if (f.state !== 'downloaded') continue;
    // Signed links are re-issued at submission so they are fresh when GelatoConnect fetches them.
    fileUrls[f.lineId] = delivery ? await delivery.deliver({ id: f.id, path: f.path, name: f.name, bytes: f.bytes ?? 0 }) : f.deliveredUrl ?? '';
  }
  const r = convert(d, store, o, fileUrls);
  if (!r.ok) {
    if (r.nothingToProduce) {
      d.ctx.repo.transition(o.id, 'needs_attention', { kind: 'needs_attention', message: r.reason }, { attentionReason: r.reason, attentionCode: 'no_lines', resumeState: 'classified' });
      d.tally.needsAttention++;
      return;
    }
    return attention(d, o, r.problems, 'classified');
  }
  const payload = r.payload;
  d.outbox.begin(key, o.id, 'submit', payload);
  d.ctx.repo.addEvent(o.id, 'submit_attempt', 'info', m('pipeline.submitting', { reference: o.orderReferenceId, customer: store.gelatoCustomerReferenceId }));
  try {
    const res = await gelato.submitOrder(payload, customer);
    let gelatoId = res.id;
    if (res.outcome === 'duplicate' && !gelatoId) gelatoId = (await gelato.findByReference(o.orderReferenceId, customer))?.id ?? null;
    d.outbox.done(key);
    d.ctx.repo.transition(
      o.id,
      'submitted',
      {
        kind: 'submitted',
        message:
          res.outcome === 'created'
            ? m('pipeline.submitted', { id: gelatoId })
            : gelatoId
              ? m('pipeline.duplicateId', { reference: o.orderReferenceId, id: gelatoId })
              : m('pipeline.duplicate', { reference: o.orderReferenceId }),
        detail: { gelatoOrderId: gelatoId, outcome: res.outcome },
      },
      { gelatoOrderId: gelatoId, gelatoStatus: 'received', payloadJson: JSON.stringify(payload) },
    );
    d.tally.submitted++;
  } catch (e) {
    if (!(e instanceof HttpError)) {
      d.outbox.unknown(key, (e as Error).message);
      throw e;
    }
    if (e.code === 'validation_failed' || e.code === 'client_error') {
      d.outbox.fail(key, e.userMessage);
      const fields = e.fieldErrors.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message));
      return attention(
        d,
        o,
        [{ code: 'gelato_rejected', message: m('pipeline.rejected', { reason: fields.length ? list(fields, 'clauses') : userMsg(e) }), fix: m('pipeline.rejectedFix') }],
        'classified',
      );
    }
    if (e.code === 'unknown_outcome' || e.code === 'timeout' || e.code === 'network') {
      d.outbox.unknown(key, e.userMessage);
      d.ctx.repo.addEvent(o.id, 'submit_unknown', 'retry', m('pipeline.submitUnknown', { reason: userMsg(e), reference: o.orderReferenceId }));
      d.tally.errors.push(syncError(asMsg(userMsg(e)), { storeId: store.id, orderId: o.infigoOrderId }));
      return;
    }
    // Not accepted (unreachable, rate limited, server error, key refused): safe to try next cycle.
    d.outbox.notSent(key, e.userMessage);
    throw e;
  }
}
