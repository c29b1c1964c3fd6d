import crypto from 'node:crypto';
import { msg, type Msg } from '../../../shared/messages/index';

// The file `config export --include-secrets` writes, and what `config import` checks.
//
// Format 2 (this version): the configuration stays readable (support reads it), the secret
// values are encrypted, and ONE authentication tag covers both: AES-256-GCM with a key
// derived from the passphrase (scrypt), the secrets as the ciphertext and every other part
// of the file (format, date, version, configuration) as additional authenticated data. Any
// change to the file — a GelatoConnect address pointed at another host, a store renamed, the
// format number — makes the import fail, with or without the right passphrase. The
// authenticated bytes are the canonical JSON of those parts (keys sorted), so re-indenting
// the file does not count as a change; changing a value does.
//
// Format 1 (earlier versions) encrypted only the secrets: its configuration could be changed
// unnoticed (issue 13, item 4). store.ts accepts one only when the person says so explicitly.

export const EXPORT_FORMAT = 2;

/** scrypt cost: 32 MiB and ~0.1 s per import or export; a file may not ask for more than the caps. */
const KDF = { N: 2 ** 15, r: 8, p: 1 };
const KDF_CAPS = { N: 2 ** 20, r: 16, p: 4 };

export interface SealedSecrets {
  alg: 'aes-256-gcm';
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  data: string;
  /** What the tag covers besides the secrets: every other part of the file. */
  authenticates: 'file';
}

export interface ExportFileV2 {
  presslinkExport: 2;
  note: string;
  exportedAt: string;
  presslinkVersion: string;
  config: unknown;
  encryptedSecrets: SealedSecrets;
}

/** Format 1: the secrets alone, encrypted with scrypt's default cost; nothing else authenticated. */
export interface EncryptedBlobV1 {
  alg: 'aes-256-gcm';
  kdf: 'scrypt';
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

/** JSON with object keys sorted at every level: the same bytes for the same content. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The additional authenticated data: the file without its encrypted part. */
function aad(file: Record<string, unknown>): Buffer {
  const { encryptedSecrets: _sealed, ...rest } = file;
  return Buffer.from(`presslink-export\n${canonicalJson(rest)}`, 'utf8');
}

function deriveKey(passphrase: string, salt: Buffer, cost: { N: number; r: number; p: number }): Buffer {
  return crypto.scryptSync(passphrase, salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });
}

/** Builds a format-2 export of `config` (references only) with `secrets` (path → value) sealed. */
export function sealExport(config: unknown, secrets: Record<string, string>, passphrase: string, version: string): ExportFileV2 {
  const file = {
    presslinkExport: EXPORT_FORMAT,
    note: 'A Presslink configuration export. The secrets are encrypted with a passphrase, and the whole file is sealed with it: Presslink refuses to import it if anything in it was changed.',
    exportedAt: new Date().toISOString(),
    presslinkVersion: version,
    config,
  } as const;
  const salt = crypto.randomBytes(16);
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', deriveKey(passphrase, salt, KDF), iv);
  c.setAAD(aad(file));
  const data = Buffer.concat([c.update(JSON.stringify(secrets), 'utf8'), c.final()]);
  return {
    ...file,
    encryptedSecrets: {
      alg: 'aes-256-gcm',
      kdf: 'scrypt',
      ...KDF,
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: c.getAuthTag().toString('base64'),
      data: data.toString('base64'),
      authenticates: 'file',
    },
  };
}

export type OpenResult = { ok: true; config: unknown; secrets: unknown } | { ok: false; msg: Msg };

const ALTERED = () => msg('config.exportAltered');

/** Checks a format-2 file with the passphrase and returns its configuration and secrets. */
export function openExport(file: Record<string, unknown>, passphrase: string): OpenResult {
  const s = file.encryptedSecrets as Partial<SealedSecrets> | undefined;
  const str = (v: unknown): v is string => typeof v === 'string';
  const int = (v: unknown, max: number): v is number => Number.isInteger(v) && (v as number) > 0 && (v as number) <= max;
  if (!s || typeof s !== 'object' || s.alg !== 'aes-256-gcm' || s.kdf !== 'scrypt' || !str(s.salt) || !str(s.iv) || !str(s.tag) || !str(s.data)) {
    return { ok: false, msg: msg('config.exportIncomplete') };
  }
  if (!int(s.N, KDF_CAPS.N) || (s.N & (s.N - 1)) !== 0 || !int(s.r, KDF_CAPS.r) || !int(s.p, KDF_CAPS.p)) {
    return { ok: false, msg: msg('config.exportSettings') };
  }
  try {
    const key = deriveKey(passphrase, Buffer.from(s.salt, 'base64'), { N: s.N, r: s.r, p: s.p });
    // A shortened tag would make forging a file easier: only the full 16 bytes are accepted.
    const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'), { authTagLength: 16 });
    d.setAAD(aad(file));
    d.setAuthTag(Buffer.from(s.tag, 'base64'));
    const plain = Buffer.concat([d.update(Buffer.from(s.data, 'base64')), d.final()]).toString('utf8');
    return { ok: true, config: file.config, secrets: JSON.parse(plain) as unknown };
  } catch {
    return { ok: false, msg: ALTERED() };
  }
}

/** Decrypts the secrets of a format-1 file (its configuration is not covered by anything). */
export function openExportV1(blob: EncryptedBlobV1, passphrase: string): { ok: true; secrets: unknown } | { ok: false; msg: Msg } {
  try {
    const key = crypto.scryptSync(passphrase, Buffer.from(blob.salt, 'base64'), 32);
    const d = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(blob.iv, 'base64'), { authTagLength: 16 });
    d.setAuthTag(Buffer.from(blob.tag, 'base64'));
    const plain = Buffer.concat([d.update(Buffer.from(blob.data, 'base64')), d.final()]).toString('utf8');
    return { ok: true, secrets: JSON.parse(plain) as unknown };
  } catch {
    return { ok: false, msg: msg('config.exportV1Wrong') };
  }
}
