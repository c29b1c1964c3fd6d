// Streaming, resumable, verified download of an Infigo output file.
//
// The file goes to `<dest>.part` chunk by chunk (never whole in memory: outputs can be 1 GB);
// an existing .part is resumed with `Range: bytes=N-`; the result is checked (size against
// Content-Length/Content-Range, `%PDF-` signature, sha256 when a checksum is known) and only
// then renamed into place, so a file at `dest` is always complete.
//
// Limits, so that one bad file cannot take the disk or the sync with it: a file larger than
// `maxBytes` is refused (before a byte is read when its size is announced, at the limit
// otherwise) and its part removed; the whole download, retries included, gets `deadlineMs`,
// after which it stops with its part kept for a Range resume next time; and `signal` (engine
// stop, cycle deadline) ends it at once, the part kept likewise.
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { HttpError, nodeBody, type HttpClient, type RetryInfo } from '../http';
import { msg } from '../../../shared/messages/index';
import { bytesMsg, durationMsg, limitMsg } from '../http/body';
import { textOf } from '../i18n';

export type DownloadOptions = {
  onProgress?(bytes: number, total: number | null): void;
  signal?: AbortSignal;
  /** Hex (or base64) sha256 the file must have; otherwise the server's X-Content-SHA256 is used. */
  expectedSha256?: string;
  /** Abort a body that sends nothing for this long (default 60 s). */
  idleTimeoutMs?: number;
  /** Download attempts, each resuming where the previous stopped (default: the retry policy's). */
  maxAttempts?: number;
  onRetry?: (info: RetryInfo) => void;
  /** fsync the file before it is renamed into place (default true). The engine passes false
   *  and syncs an order's files together just before they leave the machine; see
   *  docs/order-sync.md. */
  fsync?: boolean;
  /** Largest file accepted (files.maxFileSizeMB); a larger one fails with `too_large`. */
  maxBytes?: number;
  /** Time for the whole download, retries included (files.downloadDeadlineMinutes); then it
   *  stops with `timeout`, its part kept for resuming. */
  deadlineMs?: number;
};

export type DownloadResult = {
  path: string;
  bytes: number;
  sha256: string;
  /** Bytes already on disk (from an earlier interrupted download) when this call started. */
  resumedFrom: number;
};

const PDF_SIGNATURE = Buffer.from('%PDF-');
const WRITE_BATCH_BYTES = 1024 * 1024;

type Deps = {
  http: HttpClient;
  url: string;
  headers: Record<string, string>;
  /** Maps a 404 etc. to the wording for this download. */
  describeStatus: (e: HttpError) => HttpError;
};

/** `bytes 100-199/1000` → {start:100, end:199, total:1000}; total null for `*`. */
export function parseContentRange(v: string | null): { start: number; end: number; total: number | null } | null {
  const m = v ? /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(v.trim()) : null;
  if (!m) return null;
  return { start: Number(m[1]), end: Number(m[2]), total: m[3] === '*' ? null : Number(m[3]) };
}

/** Normalises a sha256 given as hex or base64 to lower-case hex; null if neither. */
export function normaliseSha256(v: string | null | undefined): string | null {
  if (!v) return null;
  const s = v.trim().replace(/^sha-?256[=:]/i, '');
  if (/^[0-9a-f]{64}$/i.test(s)) return s.toLowerCase();
  if (/^[A-Za-z0-9+/]{43}=$/.test(s)) return Buffer.from(s, 'base64').toString('hex');
  return null;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function hashExisting(path: string, bytes: number, hash: Hash): Promise<void> {
  if (bytes === 0) return;
  for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1 })) hash.update(chunk as Buffer);
}

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function downloadToFile(deps: Deps, destPath: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
  const deadline = new AbortController();
  const timer = opts.deadlineMs !== undefined ? setTimeout(() => deadline.abort(new Error('deadline')), opts.deadlineMs) : undefined;
  try {
    return await download(deps, destPath, opts, deadline.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function download(deps: Deps, destPath: string, opts: DownloadOptions, deadline: AbortSignal): Promise<DownloadResult> {
  const { http, url } = deps;
  const part = `${destPath}.part`;
  await mkdir(dirname(destPath), { recursive: true, mode: 0o700 }); // print files are customer data: owner-only
  const maxAttempts = Math.max(1, opts.maxAttempts ?? http.policy.maxAttempts);
  const idleTimeoutMs = opts.idleTimeoutMs ?? 60_000;
  const resumedFrom = await sizeOf(part);
  const fail = (code: HttpError['code'], extra: { status?: number; detail?: string; attempts?: number; retryable?: boolean } = {}) =>
    deps.describeStatus(http.error(code, 'GET', url, extra));
  const outer = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  /** Stopped from outside, or out of time: the part stays for the next attempt to resume. */
  const stopped = (kept: number, total: number | null): HttpError => {
    if (opts.signal?.aborted || !deadline.aborted) return fail('aborted', { detail: `kept ${kept} bytes for resuming` });
    const limit = durationMsg(opts.deadlineMs ?? 0);
    return fail('timeout', { detail: `deadline ${opts.deadlineMs} ms; kept ${kept} bytes for resuming`, retryable: true }).withMessage(
      total !== null ? msg('download.deadlineOf', { limit, kept: bytesMsg(kept), total: bytesMsg(total) }) : msg('download.deadline', { limit, kept: bytesMsg(kept) }),
      msg('download.deadlineHint'),
    );
  };
  const tooLarge = (total: number | null): HttpError => {
    const limit = limitMsg(opts.maxBytes ?? 0);
    return fail('too_large', { detail: total !== null ? `announced ${total} bytes; limit ${opts.maxBytes}` : `more than ${opts.maxBytes} bytes`, retryable: false }).withMessage(
      total !== null ? msg('download.tooLarge', { size: bytesMsg(total), limit }) : msg('download.tooLargeUnknown', { limit }),
      msg('download.tooLargeHint'),
    );
  };

  let lastError: HttpError | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1 && lastError) {
      const delayMs = http.retryDelay(attempt - 1);
      const reasonMsg = msg('download.resuming', { code: lastError.code });
      http.reportRetry({ attempt: attempt - 1, delayMs, reason: textOf(reasonMsg), reasonMsg, code: lastError.code, status: lastError.status, method: 'GET', url: lastError.url }, opts.onRetry);
      try {
        await http.wait(delayMs, outer);
      } catch {
        throw stopped(await sizeOf(part), null);
      }
    }
    // The first attempt already knows the size (a download of many small files pays per syscall).
    const offset = attempt === 1 ? resumedFrom : await sizeOf(part);
    const headers: Record<string, string> = { ...deps.headers, Accept: 'application/pdf, application/octet-stream;q=0.9, */*;q=0.1' };
    if (offset > 0) headers.Range = `bytes=${offset}-`;

    const idle = new AbortController();
    const signal = AbortSignal.any([idle.signal, outer]);
    let res: Response;
    try {
      res = await http.stream(url, { headers, signal, acceptStatus: [416], onRetry: opts.onRetry });
    } catch (e) {
      if (outer.aborted) throw stopped(offset, null);
      if (e instanceof HttpError) throw deps.describeStatus(e);
      throw e;
    }

    // 416: our .part is at or past the end. Complete if its size is the file's size.
    if (res.status === 416) {
      await res.body?.cancel().catch(() => undefined);
      const total = parseContentRange(res.headers.get('content-range')?.replace('*', '0-0') ?? null)?.total ?? null;
      if (total !== null && total === offset) {
        return finish(part, destPath, offset, res.headers, opts, resumedFrom, fail);
      }
      await rm(part, { force: true });
      lastError = fail('download_incomplete', { status: 416, detail: 'partial file did not match the server file; starting again' });
      continue;
    }

    let start = 0;
    let total: number | null = null;
    const contentLength = res.headers.get('content-length');
    if (res.status === 206) {
      const cr = parseContentRange(res.headers.get('content-range'));
      if (!cr || cr.start !== offset) {
        // A range we did not ask for: the partial file cannot be trusted to line up.
        await res.body?.cancel().catch(() => undefined);
        await rm(part, { force: true });
        lastError = fail('download_incomplete', { status: 206, detail: `unexpected Content-Range ${res.headers.get('content-range') ?? '(none)'}` });
        continue;
      }
      start = offset;
      total = cr.total ?? (contentLength !== null ? offset + Number(contentLength) : null);
    } else {
      // 200 answers a Range request with the whole file: start over.
      total = contentLength !== null ? Number(contentLength) : null;
    }
    if (opts.maxBytes !== undefined && total !== null && total > opts.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      await rm(part, { force: true });
      throw tooLarge(total);
    }

    const hash = createHash('sha256');
    if (start > 0) await hashExisting(part, start, hash);
    // Chunks go to a write stream without waiting for each write: network reads and disk writes
    // overlap, and the stream gathers chunks into large writes (up to 1 MB buffered). On any
    // failure the stream is ended, not destroyed, so every byte that arrived reaches the file;
    // `out.bytesWritten` then counts what the file holds and a retry resumes exactly there.
    const out = createWriteStream(part, { flags: start > 0 ? 'a' : 'w', mode: 0o600, highWaterMark: WRITE_BATCH_BYTES, flush: opts.fsync !== false });
    const outFailed = new Promise<never>((_, reject) => out.once('error', reject));
    outFailed.catch(() => undefined);
    let received = 0;
    let reported = 0;
    let head = Buffer.alloc(0);
    let lastData = Date.now();
    // One timer for the whole body instead of one per chunk.
    const idleTimer = setInterval(() => {
      if (Date.now() - lastData > idleTimeoutMs) idle.abort(new Error('idle'));
    }, Math.max(10, Math.min(1000, Math.floor(idleTimeoutMs / 4))));
    let streamError: unknown;
    try {
      for await (const chunk of nodeBody(res) as AsyncIterable<Buffer>) {
        lastData = Date.now();
        if (start === 0 && head.length < PDF_SIGNATURE.length) {
          head = Buffer.concat([head, chunk.subarray(0, PDF_SIGNATURE.length)]);
          // Fail fast on an HTML login page instead of writing a gigabyte of it.
          if (head.length >= PDF_SIGNATURE.length && !head.subarray(0, 5).equals(PDF_SIGNATURE)) {
            throw fail('not_pdf', { status: res.status, detail: `file starts with ${JSON.stringify(head.toString('latin1').slice(0, 16))}` });
          }
        }
        if (opts.maxBytes !== undefined && start + received + chunk.length > opts.maxBytes) throw tooLarge(null);
        hash.update(chunk);
        received += chunk.length;
        if (!out.write(chunk)) await Promise.race([once(out, 'drain'), outFailed]);
        // First bytes at once (the timeline shows the transfer started), then every megabyte.
        if (reported === 0 || received - reported >= WRITE_BATCH_BYTES) {
          reported = received;
          opts.onProgress?.(start + received, total);
        }
      }
    } catch (e) {
      streamError = e;
    } finally {
      clearInterval(idleTimer);
      if (!out.destroyed) out.end();
      await Promise.race([once(out, 'close'), outFailed]).catch((e: unknown) => {
        streamError ??= e;
      });
    }
    const written = out.bytesWritten;
    if (streamError === undefined) opts.onProgress?.(start + written, total);

    if (streamError instanceof HttpError && (streamError.code === 'not_pdf' || streamError.code === 'too_large')) {
      await rm(part, { force: true });
      throw streamError;
    }
    if (outer.aborted) throw stopped(start + written, total);
    const size = start + written;
    if (streamError !== undefined || (total !== null && size < total)) {
      lastError = fail(idle.signal.aborted ? 'timeout' : 'download_incomplete', {
        status: res.status,
        detail: `received ${size} of ${total ?? 'unknown'} bytes`,
        attempts: attempt,
      });
      continue;
    }
    if (total !== null && size > total) {
      await rm(part, { force: true });
      lastError = fail('download_incomplete', { detail: `received ${size} bytes, more than the announced ${total}` });
      continue;
    }
    try {
      // Read from its first byte, the body's signature was checked as it arrived (a mismatch
      // throws); a resumed or tiny file's head is read back from disk.
      return await finish(part, destPath, size, res.headers, opts, resumedFrom, fail, hash.digest('hex'), start === 0 && head.length >= PDF_SIGNATURE.length);
    } catch (e) {
      if (e instanceof HttpError && e.code === 'checksum_mismatch') {
        lastError = e;
        continue;
      }
      throw e;
    }
  }
  throw lastError ? lastError.with({ attempts: maxAttempts }) : fail('download_incomplete');
}

async function finish(
  part: string,
  destPath: string,
  size: number,
  headers: Headers,
  opts: DownloadOptions,
  resumedFrom: number,
  fail: (code: HttpError['code'], extra?: { status?: number; detail?: string }) => HttpError,
  digest?: string,
  headSeen = false,
): Promise<DownloadResult> {
  const head = headSeen ? PDF_SIGNATURE : await readHead(part, PDF_SIGNATURE.length);
  if (!head.equals(PDF_SIGNATURE)) {
    await rm(part, { force: true });
    throw fail('not_pdf', { detail: `file starts with ${JSON.stringify(head.toString('latin1'))}` });
  }
  let sha256 = digest;
  if (sha256 === undefined) {
    const h = createHash('sha256');
    await hashExisting(part, size, h);
    sha256 = h.digest('hex');
  }
  const expected = normaliseSha256(opts.expectedSha256) ?? normaliseSha256(headers.get('x-content-sha256'));
  if (expected && expected !== sha256) {
    await rm(part, { force: true });
    throw fail('checksum_mismatch', { detail: `expected sha256 ${expected}, got ${sha256}` });
  }
  await rename(part, destPath);
  return { path: destPath, bytes: size, sha256, resumedFrom };
}
