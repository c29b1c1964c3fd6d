// Figures of the HTTP faces of `presslink serve` (built) with a large database:
// cold start, the order log (HTTP and Chromium), postback intake and shipping quotes.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import type { Page } from 'playwright-core';
import { cleanMarker, closeDatabase, openDatabase, type DB } from '../../electron/core/db/open';
import { freePort, writeConfig } from '../reliability/lib';
import { CLI, importConfigOnly, startServe, waitHealthy, type Serve } from './serve';
import { percentile, round, run } from './util';

const STATES = ['submitted', 'submitted', 'submitted', 'in_production', 'shipped', 'delivered', 'delivered', 'delivered', 'skipped', 'needs_attention', 'failed', 'canceled'];
const NAMES = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth', 'Margaret Hamilton', 'Zoë Øberg', '山田 太郎'];

export const POSTBACK_SECRET = `bench-postback-${crypto.randomBytes(8).toString('hex')}`;
export const QUOTE_TOKEN = `bench-quote-${crypto.randomBytes(8).toString('hex')}`;

/** A data directory with `n` orders (a realistic mix of states) and a configuration. */
/**
 * What a real order carries besides its row: the Infigo order as read (~4.5 KB of JSON here),
 * the payload sent to GelatoConnect (~2.5 KB), two lines with their Infigo JSON and six timeline
 * events. Without them a 100,000-order database is 40 MB instead of ~1.3 GB, and every figure
 * that reads the file (the integrity check at start, scans) would flatter the engine.
 */
function padLikeRealOrders(db: DB): void {
  const text = (n: number, seed: string) => seed.repeat(Math.ceil(n / seed.length)).slice(0, n);
  const infigo = JSON.stringify({ Items: [0, 1].map((i) => ({ Sku: 'POSTER-A2', Attributes: Array.from({ length: 12 }, (_, k) => ({ Key: `Attr${k}`, Value: text(40, `value ${i}.${k} `) })) })), Notes: text(2500, 'customer note ') });
  const payload = JSON.stringify({ items: [text(1200, 'item a '), text(1200, 'item b ')] });
  const line = JSON.stringify({ OrderLineItem: text(1500, 'line detail ') });
  db.transaction(() => {
    db.prepare('UPDATE orders SET infigo_json = ?, payload_json = ?').run(infigo, payload);
    const li = db.prepare("INSERT INTO order_lines (order_id, job_id, sku, name, quantity, product_type, kind, attributes_json, line_json) VALUES (?, ?, 'POSTER-A2', 'Poster A2', 1, 20, 'printable', '{}', ?)");
    const ev = db.prepare("INSERT INTO events (order_id, at, kind, outcome, message, detail_json) VALUES (?, ?, 'step', 'ok', ?, '{}')");
    for (const { id, at } of db.prepare('SELECT id, created_at AS at FROM orders').all() as { id: number; at: string }[]) {
      li.run(id, `${id}a`, line);
      li.run(id, `${id}b`, line);
      for (let k = 0; k < 6; k++) ev.run(id, at, `Step ${k + 1} of the order done: print file downloaded and verified (1.0 MB, sha256 0123456789ab…).`);
    }
  })();
}

export function makeBigDataDir(dataDir: string, n: number): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const cfg = writeConfig(dataDir, {
    stores: [{ id: 'acme', name: 'Acme storefront', infigo: { baseUrl: 'http://127.0.0.1:9/s/acme', apiToken: 'bench-token-not-used' }, gelatoCustomerReferenceId: 'acme-ltd', currency: 'GBP' }],
    gelato: { apiKey: 'k:s', endpoints: { submitOrder: 'http://127.0.0.1:9/o', getOrder: 'http://127.0.0.1:9/o', searchOrders: 'http://127.0.0.1:9/o/search', cancelOrder: 'http://127.0.0.1:9/o', updateShipment: 'http://127.0.0.1:9/o' }, customerAgnostic: true },
    statusUpdates: { mode: 'postback', postbackSecret: POSTBACK_SECRET },
    shippingQuotes: { enabled: true, token: QUOTE_TOKEN, currency: 'GBP', source: 'rate-table', rateTable: [{ method: 'normal', country: '*', maxWeightGrams: 30_000, price: 4.95 }, { method: 'express', country: 'GB', maxWeightGrams: 30_000, price: 12.5 }] },
    files: { delivery: { kind: 'signed-url', publicBaseUrl: 'http://127.0.0.1:4780' } },
  });
  importConfigOnly(dataDir, cfg);
  const db = openDatabase(path.join(dataDir, 'presslink.db'));
  try {
    const ins = db.prepare(
      `INSERT INTO orders (store_id, infigo_order_id, order_reference_id, state, attention_reason, gelato_order_id, gelato_status, customer_name, country, infigo_created_at, created_at, updated_at, search_text)
       VALUES ('acme', @id, @ref, @state, @reason, @gid, @gstatus, @name, @country, @created, @created, @created, @search)`,
    );
    const t0 = Date.parse('2025-01-01T00:00:00Z');
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const id = 100_000 + i;
        const state = STATES[i % STATES.length]!;
        const name = NAMES[(i * 7) % NAMES.length]!;
        const ref = `PL-acme-${id}`;
        const created = new Date(t0 + i * 300_000).toISOString();
        ins.run({
          id,
          ref,
          state,
          reason: state === 'needs_attention' ? 'No GelatoConnect product is mapped for SKU "X".' : null,
          gid: state === 'skipped' || state === 'needs_attention' ? null : crypto.randomUUID(),
          gstatus: null,
          name,
          country: i % 5 === 0 ? 'DE' : 'GB',
          created,
          search: `${id} ${ref} ${name}`.toLowerCase(),
        });
      }
    })();
    padLikeRealOrders(db);
  } finally {
    // Closed as the engine closes it, so the first start is like any start after a clean stop.
    closeDatabase(db, path.join(dataDir, 'presslink.db'));
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return percentile(s, 50);
}

/** Cold start of `presslink serve` to a healthy /api/health, vs a bare Node HTTP server. */
async function timeServeStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const p = run(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', String(port), '--no-schedule']);
  await waitHealthy(`http://127.0.0.1:${port}`, p, 60_000, 2);
  const ms = performance.now() - t0;
  p.child.kill('SIGTERM'); // a clean stop: the engine closes the database and marks it so
  await p.exited;
  return ms;
}

/** Starts after a clean stop; then one start after an unclean end, which checks the whole file. */
export async function benchColdStart(dataDir: string, runs = 5): Promise<{ serveMs: number[]; bareMs: number[]; serveMedianMs: number; bareMedianMs: number; ratio: number; afterCrashMs: number }> {
  const serveMs: number[] = [];
  const bareMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    serveMs.push(await timeServeStart(dataDir));
    {
      const port = await freePort();
      const t0 = performance.now();
      const child = spawn(process.execPath, ['-e', `require('node:http').createServer((q, s) => s.end('{"ok":true}')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
      await waitHealthy(`http://127.0.0.1:${port}`, null, 30_000, 2);
      bareMs.push(performance.now() - t0);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
  // As after a crash or power cut: no clean-close marker, so the full integrity check runs.
  fs.rmSync(cleanMarker(path.join(dataDir, 'presslink.db')), { force: true });
  const afterCrashMs = await timeServeStart(dataDir);
  return { serveMs, bareMs, serveMedianMs: median(serveMs), bareMedianMs: median(bareMs), ratio: median(serveMs) / median(bareMs), afterCrashMs };
}

async function timeCall(s: Serve, name: string, body: unknown, n = 15): Promise<{ medianMs: number; p95Ms: number }> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await s.call(name, body);
    xs.push(performance.now() - t0);
  }
  xs.sort((a, b) => a - b);
  return { medianMs: percentile(xs, 50), p95Ms: percentile(xs, 95) };
}

export interface OrderLogFigures {
  orders: number;
  http: Record<string, { medianMs: number; p95Ms: number }>;
  ui:
    | {
        firstRowsMs: number;
        /** Text search, median: from the input event to the new total and first row in the DOM. */
        filterMs: number;
        /** The same, to the end of the frame that draws them (layout and paint included). */
        filterFrameMs: number;
        /** State filter, medians, measured the same way from the click on the state's option. */
        stateFilterMs: number;
        stateFilterFrameMs: number;
        filterSamples: FilterTime[];
        stateFilterSamples: FilterTime[];
        note: string;
      }
    | { notMeasured: string };
}

/** The search box's text, or a click on a state in the state filter's open list. */
type FilterAction = { search: string } | { option: string };
interface FilterTime {
  domMs: number;
  frameMs: number;
}

/**
 * Changes a filter the way a user does and times it inside the page, so no Playwright round
 * trip is counted: from the input (or click) event to the first DOM mutation after which the
 * table shows the expected total (aria-rowcount) and the expected first row. The total and
 * first row are asked of the engine over HTTP beforehand, so the wait cannot end on stale rows.
 * Also to the end of the next frame (a task queued from its requestAnimationFrame callback runs
 * after that frame's style, layout and paint), which is closer to when a user sees them.
 */
async function timeFilter(page: Page, action: FilterAction, want: { total: number; firstId: number }): Promise<FilterTime> {
  // A string, not a function: tsx would wrap inner functions in a helper the page lacks.
  const script = `new Promise((resolve, reject) => {
    const action = ${JSON.stringify(action)}, want = ${JSON.stringify(want)};
    const table = document.querySelector('[data-testid="orders-table"]');
    const shows = () => table.getAttribute('aria-rowcount') === String(want.total + 1)
      && table.querySelector('[role="row"][aria-rowindex="2"]')?.getAttribute('data-testid') === 'order-row-' + want.firstId;
    let t0 = 0;
    const timer = setTimeout(() => { obs.disconnect(); reject(new Error('the filter did not show ' + JSON.stringify(want) + ' within 30 s')); }, 30000);
    const obs = new MutationObserver(() => {
      if (!shows()) return;
      const domMs = performance.now() - t0;
      obs.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => setTimeout(() => resolve({ domMs, frameMs: performance.now() - t0 }), 0));
    });
    obs.observe(table, { subtree: true, childList: true, attributes: true, characterData: true });
    if ('search' in action) {
      const input = document.querySelector('[data-testid="orders-search"]');
      // React tracks the value it last set; the native setter makes the input event count as a change.
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, action.search);
      t0 = performance.now();
      input.dispatchEvent(new Event('input', { bubbles: true }));
    } else {
      const option = [...document.querySelectorAll('[role="option"]')].find((o) => o.textContent.trim() === action.option);
      if (!option) { obs.disconnect(); clearTimeout(timer); reject(new Error('no option ' + action.option)); return; }
      t0 = performance.now();
      option.click();
    }
  })`;
  return page.evaluate(script) as Promise<FilterTime>;
}

export async function benchOrderLog(s: Serve, n: number): Promise<OrderLogFigures> {
  const http = {
    'first page (100 newest)': await timeCall(s, 'orders.list', { limit: 100 }),
    'state filter (needs attention)': await timeCall(s, 'orders.list', { states: ['needs_attention'], limit: 100 }),
    'text search ("hopper")': await timeCall(s, 'orders.list', { q: 'hopper', limit: 100 }),
    'search, no match': await timeCall(s, 'orders.list', { q: 'no-such-customer', limit: 100 }),
    'page 500 (offset 50,000)': await timeCall(s, 'orders.list', { offset: 50_000, limit: 100 }),
    counts: await timeCall(s, 'orders.counts', {}),
  };
  let ui: OrderLogFigures['ui'];
  const chromiumPath = process.env.PRESSLINK_CHROMIUM ?? '/usr/bin/chromium';
  const rendererBuilt = fs.existsSync(path.join(path.dirname(CLI), '../dist/renderer/index.html'));
  if (!rendererBuilt) ui = { notMeasured: 'the UI is not built (npm run build:renderer)' };
  else if (!fs.existsSync(chromiumPath)) ui = { notMeasured: `no Chromium at ${chromiumPath}` };
  else {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      // Sign in and load the app once (cold cache would measure asset download, not the order log).
      await page.goto(await s.signInUrl('#/dashboard'));
      await page.waitForLoadState('networkidle');
      const firsts: number[] = [];
      for (let i = 0; i < 3; i++) {
        await page.goto(`${s.url}/#/dashboard`);
        await page.waitForLoadState('domcontentloaded');
        const t0 = Date.now();
        await page.evaluate(() => (window.location.hash = '#/orders'));
        await page.locator('[data-testid^="order-row-"]').first().waitFor({ timeout: 30_000 });
        firsts.push(Date.now() - t0);
      }
      // What the table must show for given filters: the engine's total and newest row.
      const expect = async (f: { q?: string; states?: string[] }) => {
        const r = await s.call<{ rows: { id: number }[]; total: number }>('orders.list', { ...f, sort: 'newest', offset: 0, limit: 1 });
        if (!r.rows[0]) throw new Error(`no orders match ${JSON.stringify(f)}`);
        return { total: r.total, firstId: r.rows[0].id };
      };
      const all = await expect({});
      // Text: each query replaces the previous one in a single input event (as a paste would).
      const filters: FilterTime[] = [];
      for (const q of ['hopper', 'turing', '12345', 'liskov', 'knuth', 'hopper', 'turing', '12345', 'liskov', 'knuth']) filters.push(await timeFilter(page, { search: q }, await expect({ q })));
      await timeFilter(page, { search: '' }, all);
      // State: from all states, one click on a state in the open list; then back to all.
      const states: FilterTime[] = [];
      const stateFilter = page.getByTestId('orders-state-filter');
      for (const [state, label] of [['needs_attention', 'Needs attention'], ['failed', 'Failed'], ['shipped', 'Shipped'], ['skipped', 'Skipped'], ['canceled', 'Canceled']] as const) {
        for (let pass = 0; pass < 2; pass++) {
          await stateFilter.click();
          await page.getByRole('option', { name: label }).waitFor();
          states.push(await timeFilter(page, { option: label }, await expect({ states: [state] })));
          await page.keyboard.press('Escape');
          await stateFilter.press('Backspace');
          await page.waitForFunction((n) => document.querySelector('[data-testid="orders-table"]')?.getAttribute('aria-rowcount') === String(n + 1), all.total, { timeout: 30_000 });
        }
      }
      ui = {
        firstRowsMs: median(firsts),
        filterMs: round(median(filters.map((f) => f.domMs)), 1),
        filterFrameMs: round(median(filters.map((f) => f.frameMs)), 1),
        stateFilterMs: round(median(states.map((f) => f.domMs)), 1),
        stateFilterFrameMs: round(median(states.map((f) => f.frameMs)), 1),
        filterSamples: filters.map((f) => ({ domMs: round(f.domMs, 1), frameMs: round(f.frameMs, 1) })),
        stateFilterSamples: states.map((f) => ({ domMs: round(f.domMs, 1), frameMs: round(f.frameMs, 1) })),
        note: 'first rows: Node-side, from setting #/orders to the first row (Playwright); filters: inside the page, from the input event (search: one event with the whole text; state: a click on the option) to the DOM mutation that shows the engine\'s total and newest row for the new filter (filterMs, stateFilterMs) and to the end of the next frame (…FrameMs); no debounce in the UI',
      };
    } finally {
      await browser.close();
    }
  }
  return { orders: n, http, ui };
}

export interface LoadFigures {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  baseline: { rps: number; p50Ms: number; p99Ms: number };
}

async function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** A bare Node server that parses the JSON body and answers, as the baseline for both load tests. */
async function bareJsonServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const http = await import('node:http');
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      try {
        JSON.parse(body || '{}');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(srv.address() as { port: number }).port}`, stop: () => new Promise((r) => srv.close(() => r())) };
}

export async function benchPostbacks(s: Serve, seconds: number, connections = 20, known = true): Promise<LoadFigures | { notMeasured: string }> {
  const probe = await fetch(`${s.url}/hooks/gelato`, { method: 'POST', body: '{}' });
  if (probe.status === 404) return { notMeasured: 'the postback intake (/hooks/gelato) is not there' };
  let n = 0;
  const STATUSES = ['passed', 'in_production', 'shipped', 'delivered'];
  // Each request is new news (stored, never a duplicate): for an order of this shop (stored,
  // applied, pushed to Infigo) or, with known=false, for an order it does not have (stored only).
  const body = () => {
    const i = n++;
    return JSON.stringify({ event: `order.${STATUSES[i % 4]}`, status: STATUSES[i % 4], orderReferenceId: known ? `PL-acme-${100_000 + (Math.floor(i / 4) % 90_000)}` : `PL-elsewhere-${i}`, orderId: `g-${i}`, packageId: `p-${i}` });
  };
  const headers = { 'content-type': 'application/json', 'x-presslink-secret': POSTBACK_SECRET };
  const r = await cannon({ url: `${s.url}/hooks/gelato`, method: 'POST', connections, duration: seconds, headers, requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }] });
  const bare = await bareJsonServer();
  const b = await cannon({ url: bare.url, method: 'POST', connections, duration: seconds, headers, requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }] });
  await bare.stop();
  return {
    rps: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    baseline: { rps: b.requests.average, p50Ms: b.latency.p50, p99Ms: b.latency.p99 },
  };
}

export async function benchQuotes(s: Serve, seconds: number, rate = 200): Promise<LoadFigures | { notMeasured: string }> {
  const probe = await fetch(`${s.url}/shipping/quote`, { method: 'POST', body: '{}' });
  if (probe.status === 404) return { notMeasured: 'the shipping quote endpoint (/shipping/quote) is not there' };
  const quote = JSON.stringify({
    currency: 'GBP',
    shippingAddress: { Country: 'GB', ZipPostalCode: 'SW1A 1AA', Town: 'London', AddressLine1: '1 Main St' },
    items: [{ sku: 'POSTER-A2', quantity: 2, weightGrams: 800 }],
  });
  const check = await fetch(`${s.url}/shipping/quote`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${QUOTE_TOKEN}` }, body: quote });
  if (!check.ok) return { notMeasured: `a sample quote was refused (${check.status}: ${(await check.text()).slice(0, 200)})` };
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${QUOTE_TOKEN}` };
  const r = await cannon({ url: `${s.url}/shipping/quote`, method: 'POST', connections: 10, overallRate: rate, duration: seconds, headers, body: quote });
  const bare = await bareJsonServer();
  const b = await cannon({ url: bare.url, method: 'POST', connections: 10, overallRate: rate, duration: seconds, headers, body: quote });
  await bare.stop();
  return {
    rps: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    baseline: { rps: b.requests.average, p50Ms: b.latency.p50, p99Ms: b.latency.p99 },
  };
}

export { startServe };
