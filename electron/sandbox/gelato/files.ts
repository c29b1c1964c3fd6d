/**
 * Asynchronous print-file download and checks, as GelatoConnect does after accepting an order
 * (reference §2 "Processing", §5: URLs must be reachable; format validated later). Only the
 * first bytes are inspected (`%PDF-`); resolution, dimensions and fonts are not simulated.
 */
import { createHash } from 'node:crypto';

export interface FileFetchOptions {
  timeoutMs?: number;
  concurrency?: number;
  /** Host names (or host:port) that may be fetched; absent = any http(s) URL. */
  allowHosts?: string[];
  /** Extra attempts after a network error or a 5xx (simulator-only assumption; default 2). */
  retries?: number;
}

export interface FileCheckResult {
  ok: boolean;
  httpStatus: number | null;
  bytes: number;
  sha256: string | null;
  contentType: string | null;
  attempts: number;
  /** Why the file was rejected (without the item/URL prefix). */
  problem: string | null;
}

/** The URL as it may appear in a reason or log: signed query strings are credentials. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

/** A small counting semaphore: at most `limit` downloads at a time per sandbox. */
export class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

const PDF_MAGIC = Buffer.from('%PDF-');

type Attempt = FileCheckResult & { retryable: boolean };

async function attemptOnce(url: string, timeoutMs: number, signal: AbortSignal): Promise<Attempt> {
  const base = { httpStatus: null, bytes: 0, sha256: null, contentType: null, attempts: 1 };
  const ctl = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  let res: Response;
  try {
    res = await fetch(url, { signal: ctl, redirect: 'follow' });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const why = err.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
    return { ...base, ok: false, problem: `could not be downloaded (${why})`, retryable: !signal.aborted };
  }
  const contentType = res.headers.get('content-type');
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    return { ...base, contentType, httpStatus: res.status, ok: false, problem: `could not be downloaded (HTTP ${res.status})`, retryable: res.status >= 500 };
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const head: Buffer[] = [];
  let headLen = 0;
  try {
    if (res.body) {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk);
        bytes += chunk.length;
        if (headLen < PDF_MAGIC.length) {
          head.push(Buffer.from(chunk.subarray(0, PDF_MAGIC.length - headLen)));
          headLen += Math.min(chunk.length, PDF_MAGIC.length - headLen);
        }
      }
    }
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const why = err.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (err.cause?.code ?? err.message);
    return { ...base, contentType, httpStatus: res.status, bytes, ok: false, problem: `download broke off after ${bytes} bytes (${why})`, retryable: !signal.aborted };
  }
  const sha256 = hash.digest('hex');
  const done = { ...base, contentType, httpStatus: res.status, bytes, sha256 };
  if (bytes === 0) return { ...done, ok: false, problem: 'is empty (0 bytes)', retryable: false };
  if (!Buffer.concat(head).equals(PDF_MAGIC)) {
    return { ...done, ok: false, problem: `is not a PDF (does not start with %PDF-; Content-Type ${contentType ?? 'none'})`, retryable: false };
  }
  return { ...done, ok: true, problem: null, retryable: false };
}

export async function checkFile(url: string, opts: FileFetchOptions, signal: AbortSignal): Promise<FileCheckResult> {
  if (opts.allowHosts && opts.allowHosts.length > 0) {
    let host = '';
    let hostname = '';
    try {
      const u = new URL(url);
      host = u.host.toLowerCase();
      hostname = u.hostname.toLowerCase();
    } catch {
      /* validated at submit */
    }
    const allowed = opts.allowHosts.map((h) => h.toLowerCase());
    if (!allowed.includes(host) && !allowed.includes(hostname)) {
      return { ok: false, httpStatus: null, bytes: 0, sha256: null, contentType: null, attempts: 0, problem: `is on a host this tenant does not fetch from (${hostname})` };
    }
  }
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const retries = opts.retries ?? 2;
  let last: Attempt | undefined;
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    last = await attemptOnce(url, timeoutMs, signal);
    last.attempts = attempt;
    if (last.ok || !last.retryable || signal.aborted) break;
    await new Promise((r) => setTimeout(r, 100 * attempt));
  }
  const { retryable: _r, ...result } = last!;
  return result;
}
