// Load test of the checkout quote endpoint (POST /shipping/quote, rate-table source):
// starts a Presslink engine + HTTP server in a temporary data directory (in a child process,
// so the load generator does not share its event loop), then sends requests at a fixed
// rate (default 200/s for 15 s) and prints latency percentiles and errors.
//
//   npx tsx scripts/quote-load.ts [--rate 200] [--seconds 15]
//
// Latency is measured from each request's *scheduled* send time, so a stall on either side
// shows up in the figures instead of silently lowering the rate (no coordinated omission).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { startEngine } from '../electron/core/engine';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const RATE = arg('rate', 200);
const SECONDS = arg('seconds', 15);
const TOKEN = 'load-test-token-0123456789abcdef';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Child process: engine + server with a rate table; prints its URL, runs until stdin closes. */
async function serve() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'presslink-quote-load-'));
  const engine = await startEngine({ dataDir: dir, mode: 'headless', schedule: false, logLevel: 'warn' });
  // Server-side time per quote (request received → response sent), to tell the endpoint's own
  // cost from queueing on a busy machine.
  const serverMs: number[] = [];
  const timing = (app: FastifyInstance) => {
    app.addHook('onResponse', (req, reply, done) => {
      if (req.url === '/shipping/quote') serverMs.push(reply.elapsedTime);
      done();
    });
  };
  const server = await engine.serve({ port: 0, routes: [timing] });
  const methods = ['First Class', 'Second Class', 'Express'];
  const countries = ['GB', 'IE', 'FR', 'DE', '*'];
  const rateTable = methods.flatMap((method, m) =>
    countries.flatMap((country, c) => [500, 2000, 5000, 10000, 30000].map((maxWeightGrams, b) => ({ method, country, maxWeightGrams, price: 2.5 + m * 4 + c + b * 1.5 }))),
  );
  const r = await engine.call('config.import', {
    json: JSON.stringify({
      server: { publicBaseUrl: server.url },
      shipping: { methods: { 'First Class': 'normal', 'Second Class': 'standard', Express: 'express' } },
      shippingQuotes: { enabled: true, token: TOKEN, currency: 'GBP', exchangeRates: { EUR: 1.17 }, source: 'rate-table', rateTable },
    }),
  });
  if (!r.ok) throw new Error(`config rejected: ${JSON.stringify(r.problems)}`);
  console.log(JSON.stringify({ url: `${server.url}/shipping/quote` }));
  process.stdin.resume();
  process.stdin.on('end', () => {
    void (async () => {
      console.log(JSON.stringify({ serverMs: serverMs.slice(100) }));
      await server.close();
      await engine.stop();
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    })();
  });
}

function post(agent: http.Agent, url: URL, body: string): Promise<{ status: number; options: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${TOKEN}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { shippingOptions?: unknown[] };
            resolve({ status: res.statusCode ?? 0, options: json.shippingOptions?.length ?? 0 });
          } catch (e) {
            reject(e as Error);
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)));
    });
  const first = await nextLine();
  const url = new URL((JSON.parse(first) as { url: string }).url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  try {
    const bodies = ['GB', 'France', 'DE', 'US'].map((Country, i) =>
      JSON.stringify({
        storefront: 'load',
        currency: i % 2 ? 'EUR' : 'GBP',
        customerId: 42,
        shippingAddress: { FirstName: 'Ann', LastName: 'Lee', AddressLine1: '1 High St', Town: 'Crawley', ZipPostalCode: 'RH10 1HU', Country },
        items: [
          { productId: 501, sku: 'BC-85x55-400', quantity: 500, productType: 30, attributes: { Paper: '400gsm Silk' }, weightGrams: 2300 + i * 700, deliveryType: ['print'] },
          { productId: 502, sku: 'FLYER-A5', quantity: 250, productType: 30, attributes: {}, weightGrams: 900, deliveryType: ['print'] },
        ],
      }),
    );
    // Warm-up (JIT, connections) — not counted.
    for (let i = 0; i < 100; i++) await post(agent, url, bodies[i % bodies.length]!);

    const total = Math.round(RATE * SECONDS);
    const interval = 1000 / RATE;
    const latencies: number[] = [];
    const errors = new Map<string, number>();
    const count = (k: string): void => {
      errors.set(k, (errors.get(k) ?? 0) + 1);
    };
    const inflight: Promise<void>[] = [];
    const start = performance.now();
    console.log(`Firing ${total} requests at ${RATE}/s for ${SECONDS} s at ${url.href} …`);
    for (let i = 0; i < total; i++) {
      const scheduled = start + i * interval;
      const wait = scheduled - performance.now();
      if (wait > 1) await new Promise((res) => setTimeout(res, wait));
      inflight.push(
        post(agent, url, bodies[i % bodies.length]!)
          .then((r) => {
            if (r.status !== 200 || r.options === 0) count(`HTTP ${r.status}, ${r.options} options`);
            latencies.push(performance.now() - scheduled);
          })
          .catch((e: Error) => count(e.message)),
      );
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    const f = (n: number) => `${n.toFixed(2)} ms`;
    const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
    console.log(`requests: ${total}, answered: ${latencies.length}, errors: ${errorCount}${errorCount ? ` ${JSON.stringify(Object.fromEntries(errors))}` : ''}`);
    console.log(`achieved rate: ${(latencies.length / elapsed).toFixed(1)} req/s over ${elapsed.toFixed(1)} s`);
    console.log(`latency p50 ${f(percentile(latencies, 50))}  p95 ${f(percentile(latencies, 95))}  p99 ${f(percentile(latencies, 99))}  max ${f(latencies.at(-1) ?? NaN)}`);
    process.exitCode = errorCount > 0 ? 1 : 0;
    const stats = nextLine();
    child.stdin!.end();
    const server = ((JSON.parse(await stats) as { serverMs: number[] }).serverMs ?? []).sort((a, b) => a - b);
    console.log(`server time p50 ${f(percentile(server, 50))}  p95 ${f(percentile(server, 95))}  p99 ${f(percentile(server, 99))}  max ${f(server.at(-1) ?? NaN)}  (request in → response out, inside Presslink)`);
  } finally {
    agent.destroy();
    if (child.exitCode === null) {
      child.stdin!.end();
      await new Promise((r) => child.once('exit', r));
    }
  }
}

(process.argv.includes('--serve') ? serve() : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
