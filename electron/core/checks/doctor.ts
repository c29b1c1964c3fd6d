import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isSecretReference, parseConfig, secretPaths, type Config } from '../../../shared/config';
import type { CheckResult } from '../../../shared/contract';
import type { EngineContext } from '../context';
import { checkStatusUpdates } from '../backsync/check';
import { quickCheck } from '../db/maintenance';
import { isHttpError } from '../http';
import { callOther, gelatoCheckClient, infigoCheckClient, INFIGO_PUSH_OUTBOX, linesOf, STATUS_PUSH_FAILED } from './evidence';
import { fail, guarded, pass, plural, skip, warn } from './result';
import { describeReach, INFIGO_BASE_URL_FIX, INFIGO_TOKEN_FIX } from './setup-infigo';
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

const TITLES: Record<(typeof DOCTOR_CHECKS)[number], string> = {
  configured: 'Presslink is set up',
  'config-valid': 'Configuration file is valid',
  secrets: 'Secrets can be read',
  database: 'Database integrity',
  'disk-space': 'Disk space for print files',
  'orders-not-appearing': 'Orders not appearing in GelatoConnect',
  'gelato-connection': 'GelatoConnect accepts the API key',
  'print-files': 'Print files missing or wrong',
  'product-mapping': 'Product mapping problems',
  'status-updates': 'Status updates not reaching Infigo',
  'mixed-order-types': 'Mixed order types (printable and stock)',
  'shipping-methods': 'Shipping method errors',
};

const NOT_SET_UP = 'Not checked: Presslink is not set up yet.';
const MIN_FREE = 512 * 1024 * 1024;
const LOW_FREE = 2 * 1024 * 1024 * 1024;
const REMOTE_BUDGET_MS = 20_000;

export async function runDoctor(ctx: EngineContext): Promise<CheckResult[]> {
  const cfg = ctx.config.get();
  const configured = ctx.config.isConfigured();
  const secretsOk = new Set<string>();
  const run = (id: (typeof DOCTOR_CHECKS)[number], fn: () => Promise<CheckResult | CheckResult[]> | CheckResult | CheckResult[]) => guarded(id, TITLES[id], fn);
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

async function withBudget(id: (typeof DOCTOR_CHECKS)[number], p: Promise<CheckResult>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve(fail(id, TITLES[id], `No answer within ${REMOTE_BUDGET_MS / 1000} seconds.`, "Check this computer's internet connection and the addresses in the settings, then run the checks again.")),
      REMOTE_BUDGET_MS,
    );
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
    return pass(id, TITLES[id], `${plural(cfg.stores.length, 'store')} (${cfg.stores.map((s) => s.id).join(', ')}) and the GelatoConnect connection are set up.`);
  }
  const missing = [cfg.stores.length ? null : 'no Infigo store', cfg.gelato ? null : 'no GelatoConnect connection'].filter(Boolean).join(' and ');
  return fail(
    id,
    TITLES[id],
    `Presslink is not configured yet: ${missing}. Nothing can sync until it is.`,
    'Run the setup wizard in the app, or import a configuration: presslink config import FILE.',
    { dataDir: ctx.opts.dataDir },
  );
}

function configValid(ctx: EngineContext): CheckResult {
  const id = 'config-valid';
  const file = ctx.files.config;
  if (!fs.existsSync(file)) return skip(id, TITLES[id], `There is no configuration file yet (${file}).`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return fail(id, TITLES[id], `${file} is not valid JSON (${(e as Error).message}); Presslink keeps running with the configuration it loaded at start.`, 'Import a configuration again (presslink config import FILE), or undo the hand edit.');
  }
  const r = parseConfig(json);
  if (!r.ok) {
    return fail(id, TITLES[id], `${file} has ${plural(r.problems.length, 'problem')}: ${r.problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ')}.`, 'Correct these settings (or import a configuration again); Presslink will refuse to start with this file.', { problems: r.problems });
  }
  return pass(id, TITLES[id], 'The configuration file matches the schema.');
}

function secretsCheck(ctx: EngineContext, cfg: Config, okPaths: Set<string>): CheckResult {
  const id = 'secrets';
  const paths = secretPaths(cfg);
  if (!paths.length) return skip(id, TITLES[id], 'No secrets are configured yet.');
  const problems: string[] = [];
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
      problems.push(`${dotted}: ${(e as Error).message}`);
      evidence.push({ path: dotted, source, ok: false });
    }
    if (!isSecretReference(ref)) problems.push(`${dotted} is stored inline in the configuration instead of the secret store`);
  }
  if (problems.length) {
    return fail(id, TITLES[id], `${plural(problems.length, 'secret problem')}: ${problems.join('; ')}.`, 'Set the named environment variables for the Presslink service (or enter the secrets again in Settings, which keeps them in the secret store).', evidence);
  }
  return pass(id, TITLES[id], `All ${plural(evidence.length, 'secret')} can be read (values not shown).`, { evidence });
}

function databaseCheck(ctx: EngineContext): CheckResult {
  const id = 'database';
  const rows = quickCheck(ctx.db);
  const journal = ctx.db.pragma('journal_mode', { simple: true }) as string;
  const size = fs.existsSync(ctx.files.db) ? fs.statSync(ctx.files.db).size : 0;
  if (rows.length === 1 && rows[0] === 'ok') {
    return pass(id, TITLES[id], `The database passed its integrity check (${(size / 1024 / 1024).toFixed(1)} MB, ${journal} journal).`, { evidence: { file: ctx.files.db, bytes: size, journal } });
  }
  return fail(id, TITLES[id], `The database integrity check found problems: ${rows.slice(0, 5).join('; ')}.`, 'Stop Presslink, copy the data folder as a backup, and contact support with the diagnostics bundle.', { problems: rows.slice(0, 50) });
}

async function diskCheck(ctx: EngineContext, cfg: Config): Promise<CheckResult> {
  const id = 'disk-space';
  const folder = cfg.files.folder ?? ctx.files.files;
  let probe = folder;
  while (!fs.existsSync(probe) && path.dirname(probe) !== probe) probe = path.dirname(probe);
  const s = await fs.promises.statfs(probe);
  const free = s.bavail * s.bsize;
  const evidence = { folder, freeBytes: free };
  const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (free < MIN_FREE) return fail(id, TITLES[id], `Only ${gb(free)} free on the disk holding ${folder}; downloads stop below 0.5 GB.`, 'Free some space, or choose a files folder on a larger disk in Settings → Files.', evidence);
  if (free < LOW_FREE) return warn(id, TITLES[id], `${gb(free)} free on the disk holding ${folder}; large print files may soon not fit.`, { evidence, fix: 'Free some space or choose a larger disk in Settings → Files.' });
  return pass(id, TITLES[id], `${gb(free)} free on the disk holding ${folder}.`, { evidence });
}

// ---- orders not appearing ----------------------------------------------------------

async function ordersNotAppearing(ctx: EngineContext, cfg: Config): Promise<CheckResult> {
  const id = 'orders-not-appearing';
  const last = ctx.repos.runs.last();
  const stores = cfg.stores.filter((s) => s.enabled);
  if (!stores.length) return fail(id, TITLES[id], 'Every store is switched off, so no orders are read.', 'Switch a store on in Settings → Stores.');
  type StoreResult = { store: string; baseUrl: string; lastSyncErrors: string[]; ok: boolean; problem?: string; fix?: string; orders?: number; notImportedYet?: number };
  const perStore = await Promise.all(
    stores.map(async (store): Promise<StoreResult> => {
      const syncErrors = (last?.errors ?? []).filter((e) => e.storeId === store.id && !e.orderId).map((e) => e.reason);
      const base = { store: store.id, baseUrl: store.infigo.baseUrl, lastSyncErrors: syncErrors };
      let client;
      try {
        client = infigoCheckClient(ctx, store);
      } catch (e) {
        return { ...base, ok: false, problem: `store "${store.id}": its API token cannot be read (${(e as Error).message})`, fix: 'Set the environment variable or enter the token again in Settings → Stores.' };
      }
      const t = await client.checkToken();
      if (!t.ok) {
        if (t.reason === 'unauthorized') return { ...base, ok: false, problem: `store "${store.id}": ${client.host} refused the API token`, fix: INFIGO_TOKEN_FIX };
        if (t.reason === 'unreachable') return { ...base, ok: false, problem: `store "${store.id}": cannot reach ${client.host}: ${describeReach(t.error).replace(/\.$/, '')}`, fix: INFIGO_BASE_URL_FIX };
        return { ...base, ok: false, problem: `store "${store.id}": the token could not be checked (${t.error.userMessage})`, fix: INFIGO_BASE_URL_FIX };
      }
      try {
        const ids = await client.listOrderIds();
        const known = ctx.repo.knownInfigoIds(store.id);
        const waiting = ids.filter((i) => !known.has(i)).length;
        if (syncErrors.length) return { ...base, ok: false, problem: `store "${store.id}": the last sync reported ${syncErrors.join(' ')}`, fix: 'Run "Sync now"; if the error repeats, follow its advice.', orders: ids.length };
        return { ...base, ok: true, orders: ids.length, notImportedYet: waiting };
      } catch (e) {
        const msg = isHttpError(e) ? e.userMessage : (e as Error).message;
        return { ...base, ok: false, problem: `store "${store.id}": the token is valid but listing orders failed (${msg})`, fix: 'In Infigo admin make sure the API user may list orders; ask your Infigo account manager to enable API access if needed.' };
      }
    }),
  );
  const bad = perStore.filter((s) => !s.ok);
  const counts = ctx.repo.counts();
  const evidence = { stores: perStore.map(({ fix: _f, ...s }) => s), lastSync: last ? { at: last.finishedAt, ok: last.ok, discovered: last.discovered, submitted: last.submitted } : null, held: (counts.needs_attention ?? 0) + (counts.failed ?? 0), skipped: counts.skipped ?? 0 };
  if (bad.length) {
    return fail(id, TITLES[id], `${bad.map((b) => b.problem).join('; ')}.`, [...new Set(bad.map((b) => b.fix))].join(' '), evidence);
  }
  const note = evidence.held ? ` ${plural(evidence.held, 'order')} ${evidence.held === 1 ? 'is' : 'are'} held in Needs attention (each says why).` : '';
  const skipped = counts.skipped ? ` ${plural(counts.skipped, 'order')} ${counts.skipped === 1 ? 'was' : 'were'} skipped on purpose (cancelled, before the import date, or nothing to produce).` : '';
  return pass(id, TITLES[id], `Every store's API token is valid and may list orders (${perStore.map((s) => `${s.store}: ${s.orders ?? 0}`).join(', ')}).${note}${skipped}`, { evidence });
}

async function gelatoConnection(ctx: EngineContext, cfg: Config): Promise<CheckResult> {
  const id = 'gelato-connection';
  let client;
  try {
    client = gelatoCheckClient(ctx, cfg);
  } catch (e) {
    return fail(id, TITLES[id], `The GelatoConnect API key cannot be used: ${(e as Error).message}`, GELATO_KEY_FIX);
  }
  const ref = `presslink-doctor-${crypto.randomBytes(6).toString('hex')}`;
  try {
    await client.getOrder(ref, { customerReferenceId: cfg.stores[0]?.gelatoCustomerReferenceId });
    return warn(id, TITLES[id], `GelatoConnect answered for a reference that cannot exist (${ref}); check the getOrder address.`);
  } catch (e) {
    if (isHttpError(e) && e.code === 'not_found') return pass(id, TITLES[id], 'GelatoConnect accepted the API key.');
    if (isHttpError(e) && e.code === 'unauthorized') return fail(id, TITLES[id], 'GelatoConnect refused the API key.', GELATO_KEY_FIX);
    const msg = isHttpError(e) ? `${e.userMessage}${e.status ? ` (HTTP ${e.status})` : ''}` : (e as Error).message;
    return fail(id, TITLES[id], `GelatoConnect could not be asked: ${msg}`, "Check the connector's endpoint addresses in Settings → GelatoConnect and this computer's internet connection.");
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
    return fail(id, TITLES[id], 'File delivery is not set up, so GelatoConnect cannot fetch any print file.', 'Choose signed URLs (with the public address of this machine) or an S3 bucket in Settings → Files.', evidence);
  }
  if (rows.length || gelatoFailed.length) {
    const list = [
      ...rows.slice(0, 5).map((r) => `order ${r.infigoOrderId} line ${r.jobId} (store ${r.storeId}): ${r.error ?? r.state}`),
      ...gelatoFailed.slice(0, 3).map((r) => `order ${r.infigoOrderId} (store ${r.storeId}): ${r.reason}`),
    ];
    return fail(
      id,
      TITLES[id],
      `${plural(rows.length + gelatoFailed.length, 'print file problem')}: ${list.join('; ')}.`,
      'Check the file export settings in Infigo: each printable product must produce an output file (PDF) for its order lines. Then press Retry on the orders.',
      evidence,
    );
  }
  if (unreachable.length) {
    return fail(id, TITLES[id], `GelatoConnect could not reach the print files of ${plural(unreachable.length, 'order')} (${unreachable.map((r) => `${r.storeId} ${r.infigoOrderId}`).join(', ')}).`, 'Check the public address in Settings → Files: it must reach this machine while Presslink runs. Then press Retry.', evidence);
  }
  const done = ctx.repo.downloadedFileCount();
  return pass(id, TITLES[id], done ? `No print file problems; ${plural(done, 'file')} transferred and verified.` : 'No print file problems (no files transferred yet).');
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
  const problems: string[] = [];
  if (unmapped.length) problems.push(`${plural(unmapped.length, 'SKU')} seen in orders ${unmapped.length === 1 ? 'has' : 'have'} no GelatoConnect product: ${unmapped.slice(0, 5).map((u) => `${u.sku}${Object.keys(u.attributes).length ? ` (${Object.entries(u.attributes).map(([k, v]) => `${k}: ${v}`).join(', ')})` : ''} ×${u.count}`).join('; ')}`);
  if (nearMisses.length) problems.push(`SKU format differs from the mapping: ${nearMisses.map((n) => `"${n.sku}" in Infigo vs "${n.like}" in the mapping`).join('; ')}`);
  if (spaced.length) problems.push(`SKU(s) with stray spaces: ${spaced.map((s) => `"${s}"`).join(', ')}`);
  if (badUids.length) problems.push(`product UID(s) not in GelatoConnect's format: ${badUids.map((b) => `${b.sku} → ${b.productUid}`).join('; ')}`);
  if (held.length && !unmapped.length) problems.push(`${plural(held.length, 'order')} held for mapping: ${held.slice(0, 3).map((h) => `${h.infigoOrderId}: ${h.reason}`).join('; ')}`);
  if (problems.length) {
    return fail(id, TITLES[id], `${problems.join('. ')}.`, 'Make sure the SKUs in Infigo match the mapped SKUs exactly (the format GelatoConnect expects), and map every printable SKU in Mappings ("Map this SKU now"); then press Retry on the held orders.', evidence);
  }
  if (!cfg.products.length && ctx.config.isConfigured()) return fail(id, TITLES[id], 'No product is mapped to GelatoConnect yet, so no printable line can be produced.', 'Map your printable SKUs in Mappings.', evidence);
  return pass(id, TITLES[id], `${plural(cfg.products.length, 'mapping')}; every printable SKU seen in orders is mapped.`, { evidence });
}

// ---- status updates ----------------------------------------------------------------

async function statusUpdates(ctx: EngineContext, cfg: Config): Promise<CheckResult> {
  const id = 'status-updates';
  const mode = cfg.statusUpdates.mode;
  const { failed: pushFailed, retrying: pushRetrying, lastError: lastPushError } = ctx.repos.outbox.health(INFIGO_PUSH_OUTBOX);
  const marked = ctx.repo.withAttentionCode([STATUS_PUSH_FAILED], { limit: 10 });
  const lastPostback = ctx.repos.postbacks.lastReceivedAt();
  const evidence: Record<string, unknown> = { mode, pushFailed, pushRetrying, lastPushError, heldForPush: marked.map((m) => m.infigoOrderId), lastPostbackAt: lastPostback };
  const problems: string[] = [];
  const fixes: string[] = [];
  if (pushFailed || marked.length) {
    problems.push(`Infigo did not accept the status update of ${plural(Math.max(pushFailed, marked.length), 'order')}${marked[0] ? ` (e.g. order ${marked[0].infigoOrderId}: ${marked[0].reason})` : lastPushError ? ` (${lastPushError})` : ''}`);
    fixes.push("Check the store's status writer (Settings → Stores → Status updates to Infigo: the MegaScript URL and token, or the REST path).");
  } else if (pushRetrying) {
    problems.push(`${plural(pushRetrying, 'status update')} to Infigo ${pushRetrying === 1 ? 'is' : 'are'} being retried${lastPushError ? `: ${lastPushError}` : ''}`);
    fixes.push("Check the store's status writer settings if this does not clear after the next sync.");
  }
  let channel: CheckResult | null = null;
  if (mode === 'postback') {
    // Back-sync's own probe: posts a ping with the postback secret to the webhook at the public
    // address, exactly where GelatoConnect posts, and knows when the last postback arrived.
    channel = await checkStatusUpdates(ctx).catch((e: unknown) => fail(id, TITLES[id], `The postback channel could not be checked: ${(e as Error).message}`, 'Try again; if it persists, send the diagnostics bundle.'));
    evidence.postbacks = channel.evidence ?? null;
    if (channel.status === 'fail') {
      problems.push(channel.message.replace(/\.$/, ''));
      if (channel.fix) fixes.push(channel.fix);
    }
  }
  if (problems.length) return fail(id, TITLES[id], `${problems.join('; ')}.`, [...new Set(fixes)].join(' '), evidence);
  if (channel) {
    const text = `${channel.message}${pushRetrying || pushFailed ? '' : ' No failed updates to Infigo.'}`;
    return channel.status === 'warn' ? warn(id, TITLES[id], text, { evidence, fix: channel.fix }) : pass(id, TITLES[id], text, { evidence });
  }
  return pass(id, TITLES[id], `Status updates come by polling GelatoConnect every ${cfg.statusUpdates.pollMinutes} minutes; no failed updates to Infigo.`, { evidence });
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
  if (unsupported.length) {
    return fail(
      id,
      TITLES[id],
      `${plural(unsupported.length, 'order line')} could not be classified as printable or stock: ${evidence.unsupported.slice(0, 5).map((u) => `${u.sku} (type ${u.productType ?? 'none'})`).join(', ')}.`,
      'In Infigo, mark printable products as "normal" and warehouse items as "stock" (or add the product type in Settings → Order types); then press Retry on the held orders.',
      evidence,
    );
  }
  const stockHeld = held.filter((h) => h.code === 'stock_hold');
  if (stockHeld.length) {
    return warn(id, TITLES[id], `${plural(stockHeld.length, 'mixed order')} held for review because of stock items, as the stock policy "hold" says (${stockHeld.map((h) => h.infigoOrderId).join(', ')}).`, { evidence, fix: 'Pick the stock items, then press Retry; or change the stock policy in Settings → Order types.' });
  }
  if (unmarked.length) {
    return warn(id, TITLES[id], `${plural(evidence.notMarked.length, 'product')} ${evidence.notMarked.length === 1 ? 'is' : 'are'} classified only by Infigo product type, not marked "normal" or "stock" in Infigo: ${evidence.notMarked.slice(0, 5).map((u) => u.sku).join(', ')}.`, { evidence, fix: 'Mark the products "normal" (printable) or "stock" in Infigo so classification does not depend on the product type.' });
  }
  return pass(id, TITLES[id], lines.length ? `All ${plural(lines.length, 'order line')} of the last 30 days are classified; stock lines follow the policy "${cfg.orderTypes.stockPolicy}".` : 'No order lines in the last 30 days to check.', { evidence });
}

// ---- shipping methods -------------------------------------------------------------------

async function shippingMethods(ctx: EngineContext, cfg: Config): Promise<CheckResult> {
  const id = 'shipping-methods';
  const q = cfg.shippingQuotes;
  const problems: string[] = [];
  const fixes: string[] = [];
  const unknownMethod = ctx.repo.withAttentionCode(['unknown_shipping_method'], { state: 'needs_attention', limit: 20 });
  if (unknownMethod.length) {
    problems.push(`${plural(unknownMethod.length, 'order')} held because a delivery method is not mapped (${unknownMethod[0]!.reason})`);
    fixes.push('Map the delivery method (or set a default) in Settings → Shipping, then press Retry.');
  }
  const evidence: Record<string, unknown> = { enabled: q.enabled, currency: q.currency, source: q.source, tokenSet: !!q.token, url: cfg.server.publicBaseUrl ?? null, unmappedMethodOrders: unknownMethod.map((u) => u.infigoOrderId) };
  if (!q.enabled) {
    if (problems.length) return fail(id, TITLES[id], `${problems.join('; ')}.`, fixes.join(' '), evidence);
    return skip(id, TITLES[id], 'Checkout shipping (the Infigo MegaScript) is not switched on; orders use the mapped or default shipping method.', { evidence });
  }
  if (!cfg.server.publicBaseUrl) {
    problems.push('the MegaScript has no URL to call: the public address of this machine is not set');
    fixes.push('Set the public address in Settings → Server, then paste the regenerated MegaScript into Infigo.');
  }
  if (!q.token) {
    problems.push('no MegaScript token is set');
    fixes.push('Generate the MegaScript token in Settings → Checkout shipping and paste the MegaScript config into Infigo.');
  } else {
    try {
      ctx.config.resolveSecret(q.token);
    } catch (e) {
      problems.push(`the MegaScript token cannot be read (${(e as Error).message})`);
      fixes.push('Set the environment variable or enter the token again.');
    }
  }
  if (q.source === 'rate-table' && !q.rateTable.length) {
    problems.push('the rate table is empty, so the checkout would offer no shipping method');
    fixes.push('Add rates in Settings → Checkout shipping, or use GelatoConnect quotes.');
  }
  const currencies = [...new Set(cfg.stores.map((s) => s.currency))].filter((c) => c !== q.currency);
  if (currencies.length) {
    problems.push(`the MegaScript quotes in ${q.currency} but store(s) sell in ${currencies.join(', ')}`);
    fixes.push('Use the same currency in the MegaScript config and the store.');
  }
  const self = await callOther(() => ctx.call('shipping.selfTest', {}));
  if (self.ok) {
    evidence.selfTest = { status: self.value.status, message: self.value.message };
    if (self.value.status === 'fail') {
      problems.push(`the self-test (calling the quote URL the way Infigo does) failed: ${self.value.message}`);
      if (self.value.fix) fixes.push(self.value.fix);
    }
  } else {
    evidence.selfTest = self.unavailable ? 'not available yet' : self.message;
  }
  if (problems.length) return fail(id, TITLES[id], `${problems.join('; ')}.`, `Make sure the shipping MegaScript in Infigo has the right URL, currency and token. ${[...new Set(fixes)].join(' ')}`, evidence);
  if (!self.ok) return skip(id, TITLES[id], `The MegaScript settings look right (URL, currency ${q.currency}, token set); the self-test is not available yet${self.unavailable ? '' : `: ${self.message}`}.`, { evidence });
  return pass(id, TITLES[id], `The MegaScript settings look right (URL, currency ${q.currency}, token set) and the self-test passed.`, { evidence });
}
