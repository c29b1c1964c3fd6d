import crypto from 'node:crypto';
import fs from 'node:fs';
import { secretEquals } from '../secrets/constant-time';
import { msg } from '../../../shared/messages/index';
import { errorWith } from '../i18n';

// The local API's credentials. Every /api call needs one a foreign web page cannot
// have (docs/security.md, "The local API"):
//
// - a session cookie (HttpOnly, SameSite=Strict) for the browser UI, obtained by
//   exchanging a one-time sign-in code: `presslink serve` prints a link carrying one,
//   and `presslink open-link` asks the running server for a fresh one;
// - an API key sent as `Authorization: Bearer <key>` for the CLI, scripts and tests
//   on this machine: it is derived from the data directory's server secret, which
//   only the owner can read (server-auth.json, 0600), so knowing it means being the
//   person the data directory belongs to.
//
// Cookies and the API key are HMACs of that secret: they survive a restart of the
// server and need no session table. One-time codes live only in the running
// server's memory, so each is used at most once and dies with the process.

const SECRET_BYTES = 32;
/** A session lasts 30 days; after that the browser needs a new sign-in link. */
export const SESSION_SECONDS = 30 * 24 * 3600;
/** A one-time sign-in code is good for 15 minutes. */
export const CODE_SECONDS = 15 * 60;

const b64url = (b: Buffer) => b.toString('base64url');

/**
 * The data directory's server secret, made once (exclusive create, so two
 * processes starting together agree on one) and readable only by its owner.
 * Without a file (tests that start a bare server) the secret lives in memory.
 */
export function loadServerSecret(file?: string): Buffer {
  if (!file) return crypto.randomBytes(SECRET_BYTES);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as { key?: unknown };
      if (typeof stored.key === 'string' && stored.key.length >= 40) return Buffer.from(stored.key, 'base64url');
      throw errorWith(msg('server.secretDamaged', { file }));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        if (e instanceof SyntaxError) throw Object.assign(errorWith(msg('server.secretDamagedShort', { file })), { cause: e });
        throw e;
      }
    }
    const key = crypto.randomBytes(SECRET_BYTES);
    try {
      fs.writeFileSync(file, JSON.stringify({ key: b64url(key), createdAt: new Date().toISOString() }, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
      return key;
    } catch (e) {
      // Another process made it between our read and our write: read theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw errorWith(msg('server.secretUnreadable', { file }));
}

const mac = (secret: Buffer, ...parts: string[]) => b64url(crypto.createHmac('sha256', secret).update(parts.join('|')).digest());

/** The key local tools send as `Authorization: Bearer <key>`. */
export function apiKeyFor(secret: Buffer): string {
  return mac(secret, 'presslink-api-key', 'v1');
}

/** The API key of a data directory, for the CLI and tests (reads the owner-only secret file). */
export function apiKeyFromFile(file: string): string {
  if (!fs.existsSync(file)) throw errorWith(msg('server.secretMissing', { file }));
  return apiKeyFor(loadServerSecret(file));
}

export function mintSession(secret: Buffer, now = Date.now()): string {
  const exp = String(Math.floor(now / 1000) + SESSION_SECONDS);
  const nonce = b64url(crypto.randomBytes(12));
  return `v1.${exp}.${nonce}.${mac(secret, 'session', 'v1', exp, nonce)}`;
}

export function verifySession(secret: Buffer, value: string | undefined, now = Date.now()): boolean {
  if (!value) return false;
  const parts = value.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return false;
  const [, exp, nonce, sig] = parts as [string, string, string, string];
  if (!/^\d{1,12}$/.test(exp) || Number(exp) * 1000 <= now) return false;
  return secretEquals(sig, mac(secret, 'session', 'v1', exp, nonce));
}

/** One-time sign-in codes: random, single use, short-lived, kept only in this process. */
export class OneTimeCodes {
  private readonly pending = new Map<string, number>();
  constructor(
    private readonly ttlMs = CODE_SECONDS * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  mint(): string {
    this.prune();
    // Bounded: a flood of requests for links cannot grow memory without end.
    if (this.pending.size >= 50) this.pending.delete(this.pending.keys().next().value!);
    const code = b64url(crypto.randomBytes(24));
    this.pending.set(digest(code), this.now() + this.ttlMs);
    return code;
  }

  /** True once for a pending, unexpired code; the code is spent either way. */
  redeem(code: string | undefined): boolean {
    if (typeof code !== 'string' || code.length < 16 || code.length > 200) return false;
    const key = digest(code);
    const exp = this.pending.get(key);
    this.pending.delete(key);
    return exp !== undefined && exp > this.now();
  }

  private prune(): void {
    const t = this.now();
    for (const [k, exp] of this.pending) if (exp <= t) this.pending.delete(k);
  }
}

const digest = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** Where a running server says it listens, so `presslink open-link` can find it. Not secret. */
export interface ServerInfo {
  url: string;
  pid: number;
  /** False for the desktop app's server, which serves no web UI (its window uses IPC). */
  ui: boolean;
  startedAt: string;
}

export function writeServerInfo(file: string, info: ServerInfo): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function readServerInfo(file: string): ServerInfo | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ServerInfo>;
    if (typeof v.url !== 'string' || typeof v.pid !== 'number') return null;
    return { url: v.url, pid: v.pid, ui: v.ui !== false, startedAt: String(v.startedAt ?? '') };
  } catch {
    return null;
  }
}

/** Removes the file only if it still describes this process (another server may have taken over). */
export function removeServerInfo(file: string, pid = process.pid): void {
  if (readServerInfo(file)?.pid === pid) fs.rmSync(file, { force: true });
}
