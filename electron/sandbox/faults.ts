import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fault injection shared by the sandbox servers (Infigo storefront, GelatoConnect tenant).
 * Simulator-only: nothing here mirrors a documented behaviour of either real API; it exists so
 * the engine can be tested against the failures real networks and real servers produce.
 */

export interface FaultRule {
  /** Substring or `/regex/flags` matched against the request path (case-insensitive); absent = all. */
  route?: string;
  /** HTTP method; absent = all. */
  method?: string;
  /** 0..1 — answer `errorStatus` (default 503) with a JSON body. */
  errorRate?: number;
  errorStatus?: number;
  /** 0..1 — destroy the socket without answering. */
  resetRate?: number;
  /** 0..1 — answer 429 with `Retry-After: retryAfterSeconds` (default 1). */
  rateLimitRate?: number;
  retryAfterSeconds?: number;
  /** Add `latencyMs` before handling to a `latencyRate` share of requests (rate defaults to 1). */
  latencyMs?: number;
  latencyRate?: number;
  /** 0..1 — send headers with the full Content-Length, then cut the body midway and drop the socket. */
  truncateRate?: number;
  /** 0..1 — send the body at `dripBytesPerSecond` (default 16384). */
  dripRate?: number;
  dripBytesPerSecond?: number;
}

export interface FaultConfig {
  seed?: number;
  rules: FaultRule[];
}

export interface FaultLogEntry {
  at: number;
  method: string;
  path: string;
  fault: string;
}

export interface FaultStats {
  total: number;
  errors: number;
  resets: number;
  rateLimited: number;
  delayed: number;
  truncated: number;
  dripped: number;
  log: FaultLogEntry[];
}

/** What happens to one request. `answer` faults are exclusive; latency combines with any. */
export interface FaultDecision {
  answer: 'none' | 'error' | 'reset' | 'rateLimit';
  status?: number;
  retryAfterSeconds?: number;
  latencyMs: number;
  body: 'none' | 'truncate' | 'drip';
  dripBytesPerSecond?: number;
}

export const DEFAULT_FAULT_SEED = 0x5eed;
const DEFAULT_DRIP_BPS = 16_384;
const LOG_LIMIT = 2_000;

/** The faults issue asks the engine to survive: 10 % 5xx, 5 % resets, 429s, 2 s spikes, bad bodies. */
export const FAULTS_ISSUE_PRESET: FaultConfig = Object.freeze({
  seed: 42,
  rules: [
    {
      errorRate: 0.1,
      resetRate: 0.05,
      rateLimitRate: 0.05,
      retryAfterSeconds: 1,
      latencyMs: 2000,
      latencyRate: 0.05,
      truncateRate: 0.02,
      dripRate: 0.02,
      dripBytesPerSecond: 20_000,
    },
  ],
}) as FaultConfig;

/** A light mix for demos: rare enough that a human clicking around still sees progress. */
export const FAULTS_LIGHT_PRESET: FaultConfig = Object.freeze({
  seed: 7,
  rules: [{ errorRate: 0.03, resetRate: 0.01, rateLimitRate: 0.02, retryAfterSeconds: 1, latencyMs: 800, latencyRate: 0.05 }],
}) as FaultConfig;

export const FAULT_PRESETS: Record<string, FaultConfig> = {
  issue: FAULTS_ISSUE_PRESET,
  light: FAULTS_LIGHT_PRESET,
  none: { rules: [] },
};

// ---------------------------------------------------------------------------------------------
// Seeded randomness. Each request gets its own generator derived from (seed, method, path, n-th
// occurrence of that method+path), so a decision does not depend on how concurrent requests to
// other routes interleave — the same client behaviour replays the same faults.

function mulberry32(a: number): () => number {
  let s = a >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashString(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche so near-identical keys give unrelated streams
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------

function routeMatcher(route: string | undefined): (path: string) => boolean {
  if (route === undefined || route === '') return () => true;
  const re = /^\/(.+)\/([a-z]*)$/.exec(route);
  if (re) {
    const flags = new Set((re[2] ?? '').split('').filter((f) => f !== 'g' && f !== 'y'));
    flags.add('i');
    const rx = new RegExp(re[1] ?? '', [...flags].join(''));
    return (path) => rx.test(path);
  }
  const needle = route.toLowerCase();
  return (path) => path.toLowerCase().includes(needle);
}

interface CompiledRule {
  rule: FaultRule;
  matches: (method: string, path: string) => boolean;
}

function compile(rule: FaultRule): CompiledRule {
  const matchRoute = routeMatcher(rule.route);
  const method = rule.method?.toUpperCase();
  return {
    rule,
    matches: (m, p) => (method === undefined || method === m.toUpperCase()) && matchRoute(p),
  };
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function isSandboxControlPath(path: string): boolean {
  return path.toLowerCase().startsWith('/__sandbox');
}

function validateConfig(cfg: FaultConfig): void {
  if (!cfg || !Array.isArray(cfg.rules)) throw new Error('Fault config needs a "rules" array');
  if (cfg.seed !== undefined && !Number.isFinite(cfg.seed)) throw new Error('Fault config "seed" must be a number');
  cfg.rules.forEach((r, i) => {
    const rates: (keyof FaultRule)[] = ['errorRate', 'resetRate', 'rateLimitRate', 'latencyRate', 'truncateRate', 'dripRate'];
    for (const k of rates) {
      const v = r[k];
      if (v !== undefined && (typeof v !== 'number' || !(v >= 0 && v <= 1))) {
        throw new Error(`Fault rule ${i}: "${k}" must be a number between 0 and 1 (got ${JSON.stringify(v)})`);
      }
    }
    const positives: (keyof FaultRule)[] = ['latencyMs', 'retryAfterSeconds', 'dripBytesPerSecond'];
    for (const k of positives) {
      const v = r[k];
      if (v !== undefined && (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))) {
        throw new Error(`Fault rule ${i}: "${k}" must be a non-negative number (got ${JSON.stringify(v)})`);
      }
    }
    if (r.dripBytesPerSecond !== undefined && r.dripBytesPerSecond <= 0) {
      throw new Error(`Fault rule ${i}: "dripBytesPerSecond" must be greater than 0`);
    }
    if (r.errorStatus !== undefined && !(Number.isInteger(r.errorStatus) && r.errorStatus >= 400 && r.errorStatus <= 599)) {
      throw new Error(`Fault rule ${i}: "errorStatus" must be an HTTP error status 400..599 (got ${JSON.stringify(r.errorStatus)})`);
    }
    if (r.route !== undefined && typeof r.route !== 'string') throw new Error(`Fault rule ${i}: "route" must be a string`);
    if (r.method !== undefined && typeof r.method !== 'string') throw new Error(`Fault rule ${i}: "method" must be a string`);
    try {
      routeMatcher(r.route);
    } catch (e) {
      throw new Error(`Fault rule ${i}: "route" is not a valid regular expression: ${(e as Error).message}`);
    }
  });
}

function emptyStats(): FaultStats {
  return { total: 0, errors: 0, resets: 0, rateLimited: 0, delayed: 0, truncated: 0, dripped: 0, log: [] };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class FaultController {
  private cfg: FaultConfig = { rules: [] };
  private compiled: CompiledRule[] = [];
  private occurrences = new Map<string, number>();
  private counters: FaultStats = emptyStats();
  private readonly decisions = new WeakMap<object, FaultDecision>();

  constructor(cfg?: FaultConfig) {
    if (cfg) this.set(cfg);
  }

  /** Replace the configuration; restarts the decision sequence and the statistics. */
  set(cfg: FaultConfig): void {
    validateConfig(cfg);
    this.cfg = { seed: cfg.seed, rules: cfg.rules.map((r) => ({ ...r })) };
    this.compiled = this.cfg.rules.map(compile);
    this.occurrences.clear();
    this.counters = emptyStats();
  }

  clear(): void {
    this.set({ rules: [] });
  }

  config(): FaultConfig {
    return { seed: this.cfg.seed, rules: this.cfg.rules.map((r) => ({ ...r })) };
  }

  stats(): FaultStats {
    return { ...this.counters, log: this.counters.log.slice() };
  }

  /**
   * Decide the fate of the next request for method+path. Deterministic for a given seed and
   * sequence of calls per method+path. Does not touch statistics (install() records them).
   */
  decide(method: string, path: string): FaultDecision {
    const m = method.toUpperCase();
    const p = pathOf(path);
    const key = `${m} ${p}`;
    const n = (this.occurrences.get(key) ?? 0) + 1;
    this.occurrences.set(key, n);
    const decision: FaultDecision = { answer: 'none', latencyMs: 0, body: 'none' };
    if (this.compiled.length === 0) return decision;
    const rnd = mulberry32(hashString(this.cfg.seed ?? DEFAULT_FAULT_SEED, `${key}#${n}`));
    for (const c of this.compiled) {
      // Always draw the same number of values per rule so one rule's settings never shift
      // another's decisions.
      const [uReset, uError, uLimit, uLatency, uTruncate, uDrip] = [rnd(), rnd(), rnd(), rnd(), rnd(), rnd()];
      if (!c.matches(m, p)) continue;
      const r = c.rule;
      if (decision.answer === 'none') {
        if (r.resetRate && uReset < r.resetRate) decision.answer = 'reset';
        else if (r.errorRate && uError < r.errorRate) {
          decision.answer = 'error';
          decision.status = r.errorStatus ?? 503;
        } else if (r.rateLimitRate && uLimit < r.rateLimitRate) {
          decision.answer = 'rateLimit';
          decision.retryAfterSeconds = r.retryAfterSeconds ?? 1;
        }
      }
      if (decision.latencyMs === 0 && r.latencyMs && r.latencyMs > 0 && uLatency < (r.latencyRate ?? 1)) {
        decision.latencyMs = r.latencyMs;
      }
      if (decision.body === 'none') {
        if (r.truncateRate && uTruncate < r.truncateRate) decision.body = 'truncate';
        else if (r.dripRate && uDrip < r.dripRate) {
          decision.body = 'drip';
          decision.dripBytesPerSecond = r.dripBytesPerSecond ?? DEFAULT_DRIP_BPS;
        }
      }
    }
    // A request that is not answered normally has no body to damage.
    if (decision.answer !== 'none') {
      decision.body = 'none';
      delete decision.dripBytesPerSecond;
    }
    return decision;
  }

  /**
   * Add the fault hooks to a fastify app (call before `listen`). Paths under `/__sandbox` are
   * always excluded so tests and the demo can steer the sandbox while faults are on.
   */
  install(app: FastifyInstance, opts?: { exclude?: (path: string) => boolean }): void {
    const excluded = (path: string) => isSandboxControlPath(path) || (opts?.exclude?.(path) ?? false);

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const path = pathOf(request.url);
      if (excluded(path)) return;
      const d = this.decide(request.method, path);
      this.counters.total++;
      this.decisions.set(request.raw, d);
      const method = request.method;
      if (d.latencyMs > 0) {
        this.counters.delayed++;
        this.record(method, path, `latency:${d.latencyMs}`);
        await sleep(d.latencyMs);
      }
      if (d.answer === 'reset') {
        this.counters.resets++;
        this.record(method, path, 'reset');
        reply.hijack();
        request.raw.socket?.destroy();
        return reply;
      }
      if (d.answer === 'error') {
        this.counters.errors++;
        const status = d.status ?? 503;
        this.record(method, path, `error:${status}`);
        return reply
          .code(status)
          .header('content-type', 'application/json; charset=utf-8')
          .send({ code: status, message: `Simulated server error (${status}) injected by the sandbox` });
      }
      if (d.answer === 'rateLimit') {
        this.counters.rateLimited++;
        const secs = d.retryAfterSeconds ?? 1;
        this.record(method, path, `429:${secs}`);
        return reply
          .code(429)
          .header('retry-after', String(secs))
          .header('content-type', 'application/json; charset=utf-8')
          .send({ code: 429, message: `Too many requests (simulated); retry after ${secs} s` });
      }
      return;
    });

    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      const d = this.decisions.get(request.raw);
      if (!d || d.body === 'none') return payload;
      if (request.method === 'HEAD' || reply.statusCode === 204 || reply.statusCode === 304) return payload;
      const body = await bodySource(payload, reply);
      if (body === null || body.length === 0) return payload;
      const path = pathOf(request.url);
      reply.header('content-length', String(body.length));
      if (d.body === 'truncate') {
        const cut = Math.floor(body.length / 2);
        this.counters.truncated++;
        this.record(request.method, path, `truncate:${cut}/${body.length}`);
        return Readable.from(cutAfter(body.chunks, cut, reply), { objectMode: false });
      }
      const bps = d.dripBytesPerSecond ?? DEFAULT_DRIP_BPS;
      this.counters.dripped++;
      this.record(request.method, path, `drip:${bps}`);
      return Readable.from(drip(body.chunks, bps), { objectMode: false });
    });
  }

  private record(method: string, path: string, fault: string): void {
    const log = this.counters.log;
    log.push({ at: Date.now(), method, path, fault });
    if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
  }
}

type Chunks = AsyncIterable<unknown> | Iterable<unknown>;

const asBuffer = (c: unknown): Buffer => (typeof c === 'string' ? Buffer.from(c) : Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));

/**
 * The body as chunks plus its length. A stream whose Content-Length the route already set is
 * passed through unbuffered (a large PDF download stays streamed); any other stream is read
 * into memory first, because truncation has to announce the full length up front.
 */
async function bodySource(payload: unknown, reply: FastifyReply): Promise<{ chunks: Chunks; length: number } | null> {
  if (payload === null || payload === undefined) return null;
  if (typeof payload === 'string' || payload instanceof Uint8Array) {
    const b = asBuffer(payload);
    return { chunks: [b], length: b.length };
  }
  if (typeof payload === 'object' && Symbol.asyncIterator in (payload as object)) {
    const declared = Number(reply.getHeader('content-length'));
    if (Number.isInteger(declared) && declared > 0) return { chunks: payload as AsyncIterable<unknown>, length: declared };
    const parts: Buffer[] = [];
    for await (const chunk of payload as AsyncIterable<unknown>) parts.push(asBuffer(chunk));
    const b = Buffer.concat(parts);
    return { chunks: [b], length: b.length };
  }
  return null;
}

/**
 * The first `cut` bytes, then a dropped connection. The pauses let those bytes reach the client
 * before the socket goes, so it sees a short body against the full Content-Length rather than
 * no response at all.
 */
async function* cutAfter(chunks: Chunks, cut: number, reply: FastifyReply): AsyncGenerator<Buffer> {
  let sent = 0;
  if (cut > 0) {
    // leaving the loop early closes the source stream
    for await (const c of chunks) {
      const take = asBuffer(c).subarray(0, cut - sent);
      if (take.length > 0) {
        sent += take.length;
        yield take;
      }
      if (sent >= cut) break;
    }
  }
  await sleep(30);
  if (!reply.raw.headersSent) reply.raw.flushHeaders();
  await sleep(30);
  throw new Error('simulated truncated body');
}

/** The body in ten slices a second at the given rate. */
async function* drip(chunks: Chunks, bytesPerSecond: number): AsyncGenerator<Buffer> {
  const slice = Math.max(1, Math.floor(bytesPerSecond / 10));
  let pending: Buffer = Buffer.alloc(0);
  for await (const c of chunks) {
    pending = pending.length === 0 ? asBuffer(c) : Buffer.concat([pending, asBuffer(c)]);
    while (pending.length >= slice) {
      await sleep(100);
      yield pending.subarray(0, slice);
      pending = pending.subarray(slice);
    }
  }
  if (pending.length > 0) {
    await sleep(100);
    yield pending;
  }
}

// ---------------------------------------------------------------------------------------------
// CLI form: comma-separated key=value pairs; several rules separated by ';'.
//   5xx=RATE[:STATUS]   reset=RATE   429=RATE[:RETRY_AFTER_S]   latency=MS[@RATE]
//   truncate=RATE   drip=RATE[:BYTES_PER_S]   route=SUBSTRING|/REGEX/   method=GET   seed=INT
// A preset name ("issue", "light", "none") may stand alone or as preset=NAME.

const SPEC_KEYS = ['5xx', 'error', 'reset', '429', 'ratelimit', 'latency', 'truncate', 'drip', 'route', 'method', 'seed', 'preset'];

function parseRate(spec: string, key: string, text: string | undefined): number {
  const v = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new Error(`Invalid fault spec "${spec}": ${key} needs a rate between 0 and 1 (got "${text ?? ''}")`);
  }
  return v;
}

function parsePositive(spec: string, key: string, what: string, text: string | undefined, integer = false): number {
  const v = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new Error(`Invalid fault spec "${spec}": ${key} needs ${what} as a positive ${integer ? 'integer' : 'number'} (got "${text ?? ''}")`);
  }
  return v;
}

export function parseFaultSpec(spec: string): FaultConfig {
  const text = spec.trim();
  if (text === '') throw new Error('Invalid fault spec "": it is empty (example: "5xx=0.1,reset=0.05,seed=42")');
  const preset = FAULT_PRESETS[text.toLowerCase()];
  if (preset) return { seed: preset.seed, rules: preset.rules.map((r) => ({ ...r })) };

  const cfg: FaultConfig = { rules: [] };
  for (const ruleText of text.split(';')) {
    if (ruleText.trim() === '') continue;
    const rule: FaultRule = {};
    let hasFault = false;
    let presetRules: FaultRule[] | undefined;
    for (const part of ruleText.split(',')) {
      const item = part.trim();
      if (item === '') continue;
      const eq = item.indexOf('=');
      if (eq <= 0) {
        throw new Error(`Invalid fault spec "${spec}": "${item}" is not key=value (keys: ${SPEC_KEYS.join(', ')})`);
      }
      const key = item.slice(0, eq).trim().toLowerCase();
      const value = item.slice(eq + 1).trim();
      const [a, b] = value.split(':');
      switch (key) {
        case '5xx':
        case 'error': {
          rule.errorRate = parseRate(spec, key, a);
          if (b !== undefined) {
            const s = Number(b);
            if (!Number.isInteger(s) || s < 400 || s > 599) {
              throw new Error(`Invalid fault spec "${spec}": ${key} status must be an HTTP error code 400..599 (got "${b}")`);
            }
            rule.errorStatus = s;
          }
          hasFault = true;
          break;
        }
        case 'reset':
          rule.resetRate = parseRate(spec, key, value);
          hasFault = true;
          break;
        case '429':
        case 'ratelimit':
          rule.rateLimitRate = parseRate(spec, key, a);
          if (b !== undefined) rule.retryAfterSeconds = parsePositive(spec, key, 'Retry-After seconds', b, true);
          hasFault = true;
          break;
        case 'latency': {
          const [ms, rate] = value.split('@');
          rule.latencyMs = parsePositive(spec, key, 'milliseconds', ms);
          if (rate !== undefined) rule.latencyRate = parseRate(spec, key, rate);
          hasFault = true;
          break;
        }
        case 'truncate':
          rule.truncateRate = parseRate(spec, key, value);
          hasFault = true;
          break;
        case 'drip':
          rule.dripRate = parseRate(spec, key, a);
          if (b !== undefined) rule.dripBytesPerSecond = parsePositive(spec, key, 'bytes per second', b);
          hasFault = true;
          break;
        case 'route':
          if (value === '') throw new Error(`Invalid fault spec "${spec}": route is empty`);
          try {
            routeMatcher(value);
          } catch (e) {
            throw new Error(`Invalid fault spec "${spec}": route "${value}" is not a valid regular expression (${(e as Error).message})`);
          }
          rule.route = value;
          break;
        case 'method':
          if (!/^[A-Za-z]+$/.test(value)) throw new Error(`Invalid fault spec "${spec}": method "${value}" is not an HTTP method`);
          rule.method = value.toUpperCase();
          break;
        case 'seed': {
          const s = Number(value);
          if (value === '' || !Number.isInteger(s)) throw new Error(`Invalid fault spec "${spec}": seed must be an integer (got "${value}")`);
          cfg.seed = s;
          break;
        }
        case 'preset': {
          const p = FAULT_PRESETS[value.toLowerCase()];
          if (!p) throw new Error(`Invalid fault spec "${spec}": unknown preset "${value}" (known: ${Object.keys(FAULT_PRESETS).join(', ')})`);
          presetRules = p.rules;
          if (cfg.seed === undefined && p.seed !== undefined) cfg.seed = p.seed;
          break;
        }
        default:
          throw new Error(`Invalid fault spec "${spec}": unknown key "${key}" (keys: ${SPEC_KEYS.join(', ')})`);
      }
    }
    if (presetRules) {
      // route/method given next to a preset narrow every preset rule
      for (const pr of presetRules) cfg.rules.push({ ...pr, ...(rule.route ? { route: rule.route } : {}), ...(rule.method ? { method: rule.method } : {}) });
      if (hasFault) cfg.rules.push(rule);
    } else if (hasFault) {
      cfg.rules.push(rule);
    } else if (rule.route || rule.method) {
      throw new Error(`Invalid fault spec "${spec}": a rule with route/method but no fault (add e.g. 5xx=0.1)`);
    }
  }
  validateConfig(cfg);
  return cfg;
}
