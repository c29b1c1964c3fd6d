import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isSecretReference, secretPaths, type Config } from '../../../shared/config';
import { parseConfigWorded } from '../config/problems';
import type { CheckResult } from '../../../shared/contract';
import { list, msg, type Msg, type MsgParam } from '../../../shared/messages/index';
import type { EngineContext } from '../context';
import { checkStatusUpdates } from '../backsync/check';
import { quickCheck } from '../db/maintenance';
import { isHttpError, userMsg } from '../http';
import { reasonOf, textOf } from '../i18n';
import { callOther, gelatoCheckClient, infigoCheckClient, INFIGO_PUSH_OUTBOX, linesOf, STATUS_PUSH_FAILED } from './evidence';
import { where } from './places';
import { fail, guarded, pass, said, skip, warn, type Said } from './result';
import { describeReach, httpReason, INFIGO_BASE_URL_FIX, INFIGO_TOKEN_FIX } from './setup-infigo';
import { GELATO_KEY_FIX } from './setup-gelato';

// Troubleshooting: GelatoConnect's list of common Infigo problems ("Come
// risolvere i problemi più comuni") as automatic checks, plus the engine's own
// health. Local checks need no network; the few remote ones use short timeouts,
// so `presslink doctor` answers in seconds on a machine that is offline.

export const DOCTOR_CHECKS = [
  'configured',
  'config-valid',
  'secrets',
  'database',
  'disk-space',
  'orders-not-appearing',
  'gelato-connection',
  'print-files',
  'product-mapping',
  'status-updates',
  'mixed-order-types',
  'shipping-methods',
] as const;

type DoctorCheck = (typeof DOCTOR_CHECKS)[number];
const TITLES = Object.fromEntries(DOCTOR_CHECKS.map((id) => [id, msg(`doctor.title.${id}`)])) as Record<DoctorCheck, Msg>;

const NOT_SET_UP = msg('doctor.notSetUp');
const MIN_FREE = 512 * 1024 * 1024;
const LOW_FREE = 2 * 1024 * 1024 * 1024;
const REMOTE_BUDGET_MS = 20_000;

/** "<subject>: <text>", a finding about one thing. */
const about = (subject: MsgParam, text: MsgParam): Msg => msg('common.about', { subject, text });
/** Findings listed in one sentence, separated by semicolons. */
const listed = (items: MsgParam[]): Msg => msg('common.listed', { items: list(items, 'clauses') });
/** Whole sentences one after the other. */
const sentences = (items: MsgParam[]): Msg => msg('common.sentences', { items: list(items, 'sentences') });
/** The same fixes once each, as sentences. */
function fixes(items: Said[]): Msg {
  const seen = new Set<string>();
  return sentences(items.filter((f) => !seen.has(textOf(f)) && !!seen.add(textOf(f))));
}

export async function runDoctor(ctx: EngineContext): Promise<CheckResult[]> {
  const cfg = ctx.config.get();
  const configured = ctx.config.isConfigured();
  const secretsOk = new Set<string>();
  const run = (id: DoctorCheck, fn: () => Promise<CheckResult | CheckResult[]> | CheckResult | CheckResult[]) => guarded(id, TITLES[id], fn);
  const local = [
    ...(await run('configured', () => configuredCheck(ctx, cfg))),
    ...(await run('config-valid', () => configValid(ctx))),
    ...(await run('secrets', () => secretsCheck(ctx, cfg, secretsOk))),
    ...(await run('database', () => databaseCheck(ctx))),
    ...(await run('disk-space', () => diskCheck(ctx, cfg))),
  ];
  // Remote checks run side by side under one time budget so an offline machine still gets an answer.
  const remote = await Promise.all([
    run('orders-not-appearing', () => (configured ? withBudget('orders-not-appearing', ordersNotAppearing(ctx, cfg)) : skip('orders-not-appearing', TITLES['orders-not-appearing'], NOT_SET_UP))),
    run('gelato-connection', () => (cfg.gelato ? withBudget('gelato-connection', gelatoConnection(ctx, cfg)) : skip('gelato-connection', TITLES['gelato-connection'], NOT_SET_UP))),
  ]);
  const rest = [
    ...(await run('print-files', () => printFiles(ctx, cfg))),
    ...(await run('product-mapping', () => productMapping(ctx, cfg))),
    ...(await run('status-updates', () => (configured ? withBudget('status-updates', statusUpdates(ctx, cfg)) : skip('status-updates', TITLES['status-updates'], NOT_SET_UP)))),
    ...(await run('mixed-order-types', () => mixedOrderTypes(ctx, cfg))),
    ...(await run('shipping-methods', () => (configured ? withBudget('shipping-methods', shippingMethods(ctx, cfg)) : skip('shipping-methods', TITLES['shipping-methods'], NOT_SET_UP)))),
  ];
  return [...local, ...remote.flat(), ...rest];
}

async function withBudget(id: DoctorCheck, p: Promise<CheckResult>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve(fail(id, TITLES[id], msg('doctor.noAnswer', { seconds: REMOTE_BUDGET_MS / 1000 }), msg('doctor.noAnswerFix', { where: where.setup }))), REMOTE_BUDGET_MS);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- engine health ---------------------------------------------------------------

function configuredCheck(ctx: EngineContext, cfg: Config): CheckResult {
  const id = 'configured';
  if (ctx.config.isConfigured()) {
    return pass(id, TITLES[id], msg('doctor.configured.ok', { count: cfg.stores.length, stores: list(cfg.stores.map((s) => s.id), 'comma') }));
  }
  const missing = [cfg.stores.length ? null : msg('doctor.configured.noStore'), cfg.gelato ? null : msg('doctor.configured.noGelato')].filter((m): m is Msg => !!m);
  return fail(id, TITLES[id], msg('doctor.configured.missing', { missing: list(missing) }), msg('doctor.configured.fix'), { dataDir: ctx.opts.dataDir });
}

function configValid(ctx: EngineContext): CheckResult {
  const id = 'config-valid';
  const file = ctx.files.config;
  if (!fs.existsSync(file)) return skip(id, TITLES[id], msg('doctor.config.noFile', { file }));
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(id, TITLES[id], msg('doctor.config.notJson', { file, reason: (e as Error).message }), msg('doctor.config.notJsonFix'));
  }
  const r = parseConfigWorded(json);
  if (!r.ok) {
    const problems = r.problems.slice(0, 5).map((p) => about(p.path, p.msg ?? p.message));
    return fail(id, TITLES[id], msg('doctor.config.problems', { file, count: r.problems.length, problems: list(problems, 'clauses') }), msg('doctor.config.problemsFix'), { problems: r.problems });
  }
  return pass(id, TITLES[id], msg('doctor.config.ok'));
}

function secretsCheck(ctx: EngineContext, cfg: Config, okPaths: Set<string>): CheckResult {
  const id = 'secrets';
  const paths = secretPaths(cfg);
  if (!paths.length) return skip(id, TITLES[id], msg('doctor.secrets.none'));
  const problems: MsgParam[] = [];
  const evidence: { path: string; source: string; ok: boolean }[] = [];
  for (const p of paths) {
    const dotted = p.join('.');
    const ref = p.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], cfg) as string | undefined;
    if (!ref) continue;
    const source = ref.startsWith('env:') ? `environment variable ${ref.slice(4)}` : ref.startsWith('secret:') ? 'secret store' : 'inline value';
    try {
      ctx.config.resolveSecret(ref);
      okPaths.add(dotted);
      evidence.push({ path: dotted, source, ok: true });
    } catch (e) {
      problems.push(about(dotted, reasonOf(e)));
      evidence.push({ path: dotted, source, ok: false });
    }
    if (!isSecretReference(ref)) problems.push(msg('doctor.secrets.inline', { path: dotted }));
  }
  if (problems.length) {
    return fail(id, TITLES[id], msg('doctor.secrets.problems', { count: problems.length, problems: list(problems, 'clauses') }), msg('doctor.secrets.fix', { where: where.setup }), evidence);
  }
  return pass(id, TITLES[id], msg('doctor.secrets.ok', { count: evidence.length }), { evidence });
}

function databaseCheck(ctx: EngineContext): CheckResult {
  const id = 'database';
  const rows = quickCheck(ctx.db);
  const journal = ctx.db.pragma('journal_mode', { simple: true }) as string;
  const size = fs.existsSync(ctx.files.db) ? fs.statSync(ctx.files.db).size : 0;
  if (rows.length === 1 && rows[0] === 'ok') {
    return pass(id, TITLES[id], msg('doctor.database.ok', { size: size / 1024 / 1024, journal }), { evidence: { file: ctx.files.db, bytes: size, journal } });
  }
  return fail(id, TITLES[id], msg('doctor.database.problems', { problems: list(rows.slice(0, 5), 'clauses') }), msg('doctor.database.fix'), { problems: rows.slice(0, 50) });
}

async function diskCheck(ctx: EngineContext, cfg: Config): Promise<CheckResult> {
  const id = 'disk-space';
  const folder = cfg.files.folder ?? ctx.files.files;
  let probe = folder;
  while (!fs.existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  const s = await fs.promises.statfs(probe);
  const free = s.bavail * s.bsize;
  const evidence = { folder, freeBytes: free };
  const gb = (n: number) => n / 1024 ** 3;
  const config = where.configFile('files.folder');
  if (free < MIN_FREE) return fail(id, TITLES[id], msg('doctor.disk.full', { free: gb(free), folder }), msg('doctor.disk.fullFix', { config }), evidence);
  if (free < LOW_FREE) return warn(id, TITLES[id], msg('doctor.disk.low', { free: gb(free), folder }), { evidence, fix: msg('doctor.disk.lowFix', { config }) });
  return pass(id, TITLES[id], msg('doctor.disk.ok', { free: gb(free), folder }), { evidence });
}

// ---- orders not appearing ----------------------------------------------------------

async function ordersNotAppearing(ctx: EngineContext, cfg: Config): Promise<CheckResult> {
  const id = 'orders-not-appearing';
  const last = ctx.repos.runs.last();
  const stores = cfg.stores.filter((s) => s.enabled);
  if (!stores.length) return fail(id, TITLES[id], msg('doctor.orders.allOff'), msg('doctor.orders.allOffFix', { where: where.settingsStores }));
  type StoreResult = { store: string; baseUrl: string; lastSyncErrors: string[]; ok: boolean; problem?: Msg; fix?: Said; orders?: number; notImportedYet?: number };
  const perStore = await Promise.all(
    stores.map(async (store): Promise<StoreResult> => {
      const ownErrors = (last?.errors ?? []).filter((e) => e.storeId === store.id && !e.orderId);
      const syncErrors = ownErrors.map((e) => e.reason);
      const base = { store: store.id, baseUrl: store.infigo.baseUrl, lastSyncErrors: syncErrors };
      const problem = (m: Msg): Msg => msg('doctor.orders.store', { store: store.id, problem: m });
      let client;
      try {
        client = infigoCheckClient(ctx, store);
      } catch (e) {
        return { ...base, ok: false, problem: problem(msg('doctor.orders.tokenUnreadable', { reason: reasonOf(e) })), fix: msg('doctor.orders.tokenUnreadableFix', { where: where.setupInfigo }) };
      }
      const t = await client.checkToken();
      if (!t.ok) {
        if (t.reason === 'unauthorized') return { ...base, ok: false, problem: problem(msg('doctor.orders.tokenRefused', { host: client.host })), fix: INFIGO_TOKEN_FIX };
        if (t.reason === 'unreachable') return { ...base, ok: false, problem: problem(msg('doctor.orders.unreachable', { host: client.host, why: describeReach(t.error) })), fix: INFIGO_BASE_URL_FIX };
        return { ...base, ok: false, problem: problem(msg('doctor.orders.tokenUnchecked', { reason: t.error.userMessage })), fix: INFIGO_BASE_URL_FIX };
      }
      try {
        const ids = await client.listOrderIds();
        const known = ctx.repo.knownInfigoIds(store.id);
        const waiting = ids.filter((i) => !known.has(i)).length;
        if (syncErrors.length) {
          return { ...base, ok: false, problem: problem(msg('doctor.orders.lastSync', { errors: list(ownErrors.map((e) => e.msg ?? e.reason), 'sentences') })), fix: msg('doctor.orders.lastSyncFix'), orders: ids.length };
        }
        return { ...base, ok: true, orders: ids.length, notImportedYet: waiting };
      } catch (e) {
        const reason = userMsg(e);
        return { ...base, ok: false, problem: problem(msg('doctor.orders.listFailed', { reason })), fix: msg('doctor.orders.listFailedFix') };
      }
    }),
  );
  const bad = perStore.filter((s) => !s.ok);
  const counts = ctx.repo.counts();
  const evidence = {
    stores: perStore.map(({ fix: _f, problem, ...s }) => ({ ...s, ...(problem ? { problem: textOf(problem) } : {}) })),
    lastSync: last ? { at: last.finishedAt, ok: last.ok, discovered: last.discovered, submitted: last.submitted } : null,
    held: (counts.needs_attention ?? 0) + (counts.failed ?? 0),
    skipped: counts.skipped ?? 0,
  };
  if (bad.length) {
    return fail(id, TITLES[id], listed(bad.map((b) => b.problem!)), fixes(bad.map((b) => b.fix!)), evidence);
  }
  const ok = msg('doctor.orders.ok', { stores: list(perStore.map((s) => about(s.store, s.orders ?? 0)), 'comma') });
  const notes: Msg[] = [ok];
  if (evidence.held) notes.push(msg('doctor.orders.held', { count: evidence.held, where: where.attention }));
  if (counts.skipped) notes.push(msg('doctor.orders.skipped', { count: counts.skipped }));
  return pass(id, TITLES[id], notes.length > 1 ? sentences(notes) : ok, { evidence });
}

async function gelatoConnection(ctx: EngineContext, cfg: Config): Promise<CheckResult> {
  const id = 'gelato-connection';
  let client;
  try {
    client = gelatoCheckClient(ctx, cfg);
  } catch (e) {
    return fail(id, TITLES[id], msg('doctor.gelato.keyUnusable', { reason: reasonOf(e) }), GELATO_KEY_FIX);
  }
  const ref = `presslink-doctor-${crypto.randomBytes(6).toString('hex')}`;
  try {
    await client.getOrder(ref, { customerReferenceId: cfg.stores[0]?.gelatoCustomerReferenceId });
    return warn(id, TITLES[id], msg('doctor.gelato.answeredImpossible', { reference: ref }));
  } catch (e) {
    if (isHttpError(e) && e.code === 'not_found') return pass(id, TITLES[id], msg('doctor.gelato.ok'));
    if (isHttpError(e) && e.code === 'unauthorized') return fail(id, TITLES[id], msg('doctor.gelato.refused'), GELATO_KEY_FIX);
    return fail(id, TITLES[id], msg('doctor.gelato.couldNotAsk', { reason: httpReason(e) }), msg('doctor.gelato.couldNotAskFix', { where: where.setupGelato }));
  }
}

// ---- print files -----------------------------------------------------------------

function printFiles(ctx: EngineContext, cfg: Config): CheckResult {
  const id = 'print-files';
  const rows = ctx.repo.filesWithProblems(50);
  const unreachable = ctx.repo.withAttentionCode(['file_unreachable'], { state: 'needs_attention', limit: 20 });
  const gelatoFailed = ctx.repo.failedForFiles(20);
  const evidence = {
    failedFiles: rows.map((r) => ({ store: r.storeId, infigoOrderId: r.infigoOrderId, jobId: r.jobId, file: r.name, state: r.state, error: r.error })),
    unreachable: unreachable.map((r) => ({ store: r.storeId, infigoOrderId: r.infigoOrderId, reason: r.reason })),
    failedInGelato: gelatoFailed.map((r) => ({ store: r.storeId, infigoOrderId: r.infigoOrderId, reason: r.reason })),
  };
  if (!cfg.files.delivery && ctx.config.isConfigured()) {
    return fail(id, TITLES[id], msg('doctor.files.noDelivery'), msg('doctor.files.noDeliveryFix', { config: where.configFile('files.delivery'), where: where.setupStatusUpdates }), evidence);
  }
  if (rows.length || gelatoFailed.length) {
    const items = [
      ...rows.slice(0, 5).map((r) => about(msg('doctor.files.line', { order: r.infigoOrderId, line: r.jobId, store: r.storeId }), r.errorMsg ?? r.error ?? r.state)),
      ...gelatoFailed.slice(0, 3).map((r) => about(msg('doctor.files.order', { order: r.infigoOrderId, store: r.storeId }), r.msg ?? r.reason)),
    ];
    return fail(id, TITLES[id], msg('doctor.files.problems', { count: rows.length + gelatoFailed.length, problems: list(items, 'clauses') }), msg('doctor.files.problemsFix'), evidence);
  }
  if (unreachable.length) {
    const orders = list(unreachable.map((r) => `${r.storeId} ${r.infigoOrderId}`), 'comma');
    return fail(id, TITLES[id], msg('doctor.files.unreachable', { count: unreachable.length, orders }), msg('doctor.files.unreachableFix', { where: where.setupStatusUpdates }), evidence);
  }
  const done = ctx.repo.downloadedFileCount();
  return pass(id, TITLES[id], done ? msg('doctor.files.ok', { count: done }) : msg('doctor.files.okNone'));
}

// ---- product mapping -----------------------------------------------------------------

/** GelatoConnect product UIDs are lower-case words joined by underscores (e.g. cards_pf_85x55-mm_…). */
const PRODUCT_UID = /^[a-z0-9]+(?:[_-][a-z0-9.]+)*$/;

async function productMapping(ctx: EngineContext, cfg: Config): Promise<CheckResult> {
  const id = 'product-mapping';
  const unmappedCall = await callOther(() => ctx.call('mappings.unmapped', {}));
  const unmapped = unmappedCall.ok ? unmappedCall.value : [];
  const held = ctx.repo.withAttentionCode(['unmapped_sku', 'missing_variant_attribute'], { state: 'needs_attention', limit: 20 });
  const badUids = cfg.products.filter((p) => 'productUid' in p && !PRODUCT_UID.test(p.productUid)).map((p) => ({ sku: p.sku, productUid: (p as { productUid: string }).productUid }));
  const spaced = [...new Set([...cfg.products.map((p) => p.sku), ...unmapped.map((u) => u.sku)].filter((s) => s !== s.trim() || /\s{2,}/.test(s)))];
  const norm = (s: string) => s.trim().toUpperCase().replace(/[\s_]+/g, '-');
  const nearMisses = unmapped
    .map((u) => ({ sku: u.sku, like: cfg.products.find((p) => norm(p.sku) === norm(u.sku) && p.sku.toLowerCase() !== u.sku.trim().toLowerCase())?.sku }))
    .filter((x): x is { sku: string; like: string } => !!x.like);
  const evidence = { unmapped: unmapped.slice(0, 50), held: held.map((h) => ({ infigoOrderId: h.infigoOrderId, reason: h.reason })), badProductUids: badUids, skuWhitespace: spaced, nearMisses };
  const problems: Msg[] = [];
  if (unmapped.length) {
    const skus = unmapped.slice(0, 5).map((u) => {
      const attrs = Object.entries(u.attributes);
      return attrs.length ? msg('doctor.mapping.skuWith', { sku: u.sku, attributes: list(attrs.map(([k, v]) => about(k, v)), 'comma'), times: u.count }) : msg('doctor.mapping.sku', { sku: u.sku, times: u.count });
    });
    problems.push(msg('doctor.mapping.unmapped', { count: unmapped.length, skus: list(skus, 'clauses') }));
  }
  if (nearMisses.length) problems.push(msg('doctor.mapping.nearMisses', { pairs: list(nearMisses.map((n) => msg('doctor.mapping.nearMiss', { sku: n.sku, like: n.like })), 'clauses') }));
  if (spaced.length) problems.push(msg('doctor.mapping.spaced', { count: spaced.length, skus: list(spaced.map((s) => `"${s}"`), 'comma') }));
  if (badUids.length) problems.push(msg('doctor.mapping.badUids', { count: badUids.length, uids: list(badUids.map((b) => `${b.sku} → ${b.productUid}`), 'clauses') }));
  if (held.length && !unmapped.length) problems.push(msg('doctor.mapping.held', { count: held.length, orders: list(held.slice(0, 3).map((h) => about(h.infigoOrderId, h.msg ?? h.reason)), 'clauses') }));
  if (problems.length) {
    return fail(id, TITLES[id], sentences(problems), msg('doctor.mapping.fix', { where: where.mappings }), evidence);
  }
  if (!cfg.products.length && ctx.config.isConfigured()) return fail(id, TITLES[id], msg('doctor.mapping.none'), msg('doctor.mapping.noneFix', { where: where.mappings }), evidence);
  return pass(id, TITLES[id], msg('doctor.mapping.ok', { count: cfg.products.length }), { evidence });
}

// ---- status updates ----------------------------------------------------------------

async function statusUpdates(ctx: EngineContext, cfg: Config): Promise<CheckResult> {
  const id = 'status-updates';
  const mode = cfg.statusUpdates.mode;
  const { failed: pushFailed, retrying: pushRetrying, lastError: lastPushError } = ctx.repos.outbox.health(INFIGO_PUSH_OUTBOX);
  const marked = ctx.repo.withAttentionCode([STATUS_PUSH_FAILED], { limit: 10 });
  const lastPostback = ctx.repos.postbacks.lastReceivedAt();
  const evidence: Record<string, unknown> = { mode, pushFailed, pushRetrying, lastPushError, heldForPush: marked.map((m) => m.infigoOrderId), lastPostbackAt: lastPostback };
  const problems: Said[] = [];
  const fixList: Said[] = [];
  const config = where.configFile('stores[].infigo.statusWriter');
  if (pushFailed || marked.length) {
    const count = Math.max(pushFailed, marked.length);
    problems.push(
      marked[0]
        ? msg('doctor.status.pushFailedExample', { count, order: marked[0].infigoOrderId, reason: marked[0].msg ?? marked[0].reason })
        : lastPushError
          ? msg('doctor.status.pushFailedReason', { count, reason: lastPushError })
          : msg('doctor.status.pushFailed', { count }),
    );
    fixList.push(msg('doctor.status.pushFailedFix', { config }));
  } else if (pushRetrying) {
    problems.push(lastPushError ? msg('doctor.status.retryingReason', { count: pushRetrying, reason: lastPushError }) : msg('doctor.status.retrying', { count: pushRetrying }));
    fixList.push(msg('doctor.status.retryingFix', { config }));
  }
  let channel: CheckResult | null = null;
  if (mode === 'postback') {
    // Back-sync's own probe: posts a ping with the postback secret to the webhook at the public
    // address, exactly where GelatoConnect posts, and knows when the last postback arrived.
    channel = await checkStatusUpdates(ctx).catch((e: unknown) => fail(id, TITLES[id], msg('doctor.status.channelUnchecked', { reason: reasonOf(e) }), msg('check.tryAgainOrSupport')));
    evidence.postbacks = channel.evidence ?? null;
    if (channel.status === 'fail') {
      problems.push(said(channel, 'message'));
      if (channel.fix) fixList.push(said(channel, 'fix'));
    }
  }
  if (problems.length) return fail(id, TITLES[id], sentences(problems), fixes(fixList), evidence);
  if (channel) {
    const text = pushRetrying || pushFailed ? said(channel, 'message') : sentences([said(channel, 'message'), msg('doctor.status.noFailed')]);
    return channel.status === 'warn' ? warn(id, TITLES[id], text, { evidence, ...(channel.fix ? { fix: said(channel, 'fix') } : {}) }) : pass(id, TITLES[id], text, { evidence });
  }
  return pass(id, TITLES[id], msg('doctor.status.polling', { count: cfg.statusUpdates.pollMinutes }), { evidence });
}

// ---- mixed order types -----------------------------------------------------------------

function mixedOrderTypes(ctx: EngineContext, cfg: Config): CheckResult {
  const id = 'mixed-order-types';
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const orderIds = ctx.repo.idsCreatedSince(since, 2000);
  const lines = linesOf(ctx, orderIds);
  const unsupported = lines.filter((l) => l.kind === 'unsupported');
  const unmarked = lines.filter((l) => l.kind !== 'unsupported' && !l.tags.some((t) => /^(normal|stock)$/i.test(t)) && !cfg.orderTypes.printable.skuPatterns.length && !cfg.orderTypes.stock.skuPatterns.length);
  const held = ctx.repo.withAttentionCode(['unsupported_product', 'stock_hold'], { state: 'needs_attention', limit: 20 });
  const bySku = (ls: typeof lines) => {
    const m = new Map<string, { sku: string; productType: number | null; because: string | null; lines: number }>();
    for (const l of ls) {
      const k = `${l.sku ?? l.jobId}|${l.productType}`;
      const e = m.get(k) ?? { sku: l.sku ?? `(job ${l.jobId})`, productType: l.productType, because: l.because, lines: 0 };
      e.lines++;
      m.set(k, e);
    }
    return [...m.values()];
  };
  const evidence = { policy: cfg.orderTypes.stockPolicy, linesChecked: lines.length, unsupported: bySku(unsupported), notMarked: bySku(unmarked).slice(0, 20), held: held.map((h) => ({ infigoOrderId: h.infigoOrderId, code: h.code, reason: h.reason })) };
  const policy = msg(`checklist.policy.${cfg.orderTypes.stockPolicy}`);
  if (unsupported.length) {
    const items = evidence.unsupported.slice(0, 5).map((u) => msg('doctor.mixed.line', { sku: u.sku, type: u.productType ?? msg('checklist.types.noType') }));
    return fail(id, TITLES[id], msg('doctor.mixed.unsupported', { count: unsupported.length, lines: list(items, 'comma') }), msg('doctor.mixed.unsupportedFix', { where: where.setupOrderTypes }), evidence);
  }
  const stockHeld = held.filter((h) => h.code === 'stock_hold');
  if (stockHeld.length) {
    return warn(id, TITLES[id], msg('doctor.mixed.stockHeld', { count: stockHeld.length, policy: msg('checklist.policy.hold'), orders: list(stockHeld.map((h) => h.infigoOrderId), 'comma') }), {
      evidence,
      fix: msg('doctor.mixed.stockHeldFix', { where: where.setupOrderTypes }),
    });
  }
  if (unmarked.length) {
    return warn(id, TITLES[id], msg('doctor.mixed.unmarked', { count: evidence.notMarked.length, skus: list(evidence.notMarked.slice(0, 5).map((u) => u.sku), 'comma') }), { evidence, fix: msg('doctor.mixed.unmarkedFix') });
  }
  return pass(id, TITLES[id], lines.length ? msg('doctor.mixed.ok', { count: lines.length, policy }) : msg('doctor.mixed.noLines'), { evidence });
}

// ---- shipping methods -------------------------------------------------------------------

async function shippingMethods(ctx: EngineContext, cfg: Config): Promise<CheckResult> {
  const id = 'shipping-methods';
  const q = cfg.shippingQuotes;
  const problems: Said[] = [];
  const fixList: Said[] = [];
  const unknownMethod = ctx.repo.withAttentionCode(['unknown_shipping_method'], { state: 'needs_attention', limit: 20 });
  if (unknownMethod.length) {
    problems.push(msg('doctor.shipping.unmapped', { count: unknownMethod.length, reason: unknownMethod[0]!.msg ?? unknownMethod[0]!.reason }));
    fixList.push(msg('doctor.shipping.unmappedFix', { where: where.setupShipping }));
  }
  const evidence: Record<string, unknown> = { enabled: q.enabled, currency: q.currency, source: q.source, tokenSet: !!q.token, url: cfg.server.publicBaseUrl ?? null, unmappedMethodOrders: unknownMethod.map((u) => u.infigoOrderId) };
  if (!q.enabled) {
    if (problems.length) return fail(id, TITLES[id], sentences(problems), fixes(fixList), evidence);
    return skip(id, TITLES[id], msg('doctor.shipping.off'), { evidence });
  }
  if (!cfg.server.publicBaseUrl) {
    problems.push(msg('doctor.shipping.noUrl'));
    fixList.push(msg('doctor.shipping.noUrlFix', { where: where.setupShipping }));
  }
  // Without a configured token the MegaScript uses the one Presslink made (shipping/settings.ts),
  // shown in its configuration in Setup → Shipping: only a configured one that cannot be read is wrong.
  if (q.token) {
    try {
      ctx.config.resolveSecret(q.token);
    } catch (e) {
      problems.push(msg('doctor.shipping.tokenUnreadable', { reason: reasonOf(e) }));
      fixList.push(msg('doctor.shipping.tokenUnreadableFix', { config: where.configFile('shippingQuotes.token') }));
    }
  }
  if (q.source === 'rate-table' && !q.rateTable.length) {
    problems.push(msg('doctor.shipping.noRates'));
    fixList.push(msg('doctor.shipping.noRatesFix', { config: where.configFile('shippingQuotes.rateTable') }));
  }
  const currencies = [...new Set(cfg.stores.map((s) => s.currency))].filter((c) => c !== q.currency);
  if (currencies.length) {
    problems.push(msg('doctor.shipping.currency', { currency: q.currency, currencies: list(currencies) }));
    fixList.push(msg('doctor.shipping.currencyFix', { config: where.configFile('shippingQuotes.currency') }));
  }
  const self = await callOther(() => ctx.call('shipping.selfTest', {}));
  if (self.ok) {
    evidence.selfTest = { status: self.value.status, message: self.value.message };
    if (self.value.status === 'fail') {
      problems.push(msg('doctor.shipping.selfTestFailed', { reason: said(self.value, 'message') }));
      if (self.value.fix) fixList.push(said(self.value, 'fix'));
    }
  } else {
    evidence.selfTest = self.unavailable ? 'not available yet' : self.message;
  }
  if (problems.length) return fail(id, TITLES[id], sentences(problems), msg('doctor.shipping.fix', { fixes: fixes(fixList) }), evidence);
  if (!self.ok) {
    return skip(id, TITLES[id], self.unavailable ? msg('doctor.shipping.noSelfTest', { currency: q.currency }) : msg('doctor.shipping.noSelfTestReason', { currency: q.currency, reason: self.reason }), { evidence });
  }
  return pass(id, TITLES[id], msg('doctor.shipping.ok', { currency: q.currency }), { evidence });
}
