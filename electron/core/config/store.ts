import fs from 'node:fs';
import path from 'node:path';
import {
  ConfigSchema,
  forbiddenKeyMsg,
  isForbiddenKey,
  isSecretReference,
  secretPaths,
  type Config,
  type ConfigProblem,
} from '../../../shared/config';
import type { ConfigBackup } from '../../../shared/contract';
import { list, msg, type Msg } from '../../../shared/messages/index';
import { errorWith } from '../i18n';
import { registerSecret } from '../log';
import { parseConfigWorded, problem } from './problems';
import { VERSION } from '../version';
import { openExport, openExportV1, sealExport, type EncryptedBlobV1 } from './export-file';
import { fileStamp, withFileLock, writeFileAtomic } from './shared-file';
import type { SecretStore } from '../secrets/types';

// config.json in the data directory holds the configuration with every secret
// replaced by a reference ("secret:KEY" into the secret store, or "env:NAME").
// A save or import that fails validation changes nothing: the previous config
// stays in force, and the caller gets every problem by path.
//
// The CLI and a running engine share the file (see shared-file.ts): every read checks
// whether another process replaced it and loads the new one, a running engine also watches
// the folder so it applies a configuration imported beside it at once (onChange), and a
// save is written under the file's lock and replaced atomically.

export type SaveResult = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };
export type BackupReason = ConfigBackup['reason'];

/** The folder in the data directory where replaced configurations are kept, and how many. */
export const BACKUP_DIR = 'config-backups';
export const BACKUPS_KEPT = 10;
const BACKUP_NAME = /^config-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-(save|import|restore)\.json$/;

/** 2026-05-12T10:15:02.123Z as it can appear in a file name: 2026-05-12T10-15-02-123Z. */
function backupStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[:.]/g, '-');
}
function stampToIso(stamp: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/.exec(stamp)!;
  return `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`;
}

export class ConfigStore {
  private current: Config;
  private stamp: string | null;
  private readonly listeners = new Set<(cfg: Config) => void>();
  private watcher: fs.FSWatcher | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  private badStamp: string | null = null;
  private warn: (message: string) => void = () => {};

  constructor(
    private readonly file: string,
    private readonly secrets: SecretStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.stamp = fileStamp(file);
    this.current = this.readFromDisk();
    this.registerSecrets(this.current);
  }

  /** The configuration in force: the one on disk, re-read when another process replaced it. */
  get(): Config {
    this.refresh();
    return this.current;
  }

  isConfigured(cfg: Config = this.get()): boolean {
    return cfg.stores.length > 0 && !!cfg.gelato;
  }

  /**
   * Calls `listener` after a configuration written by another process was loaded, and
   * watches the folder meanwhile (a stat on every read covers file systems without events).
   * Returns the function that stops listening.
   */
  onChange(listener: (cfg: Config) => void): () => void {
    this.listeners.add(listener);
    this.startWatching();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopWatching();
    };
  }

  /** Where a configuration on disk that cannot be loaded is reported (the engine's log). */
  onWarning(warn: (message: string) => void): void {
    this.warn = warn;
  }

  private startWatching(): void {
    if (this.watcher) return;
    try {
      const name = path.basename(this.file);
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      this.watcher = fs.watch(path.dirname(this.file), { persistent: false }, (_event, changed) => {
        if (changed && changed !== name) return;
        // A rename arrives as several events; look once they have settled.
        if (this.watchTimer) clearTimeout(this.watchTimer);
        this.watchTimer = setTimeout(() => {
          this.watchTimer = null;
          this.refresh();
        }, 25);
        this.watchTimer.unref();
      });
      this.watcher.on('error', () => this.stopWatching());
    } catch {
      this.watcher = null; // no events on this file system: reads still notice changes
    }
  }

  private stopWatching(): void {
    if (this.watchTimer) clearTimeout(this.watchTimer);
    this.watchTimer = null;
    this.watcher?.close();
    this.watcher = null;
  }

  /** Loads config.json again if another process replaced it since this one last read or wrote it. */
  private refresh(): void {
    const stamp = fileStamp(this.file);
    if (stamp === this.stamp || stamp === this.badStamp) return;
    let cfg: Config;
    try {
      cfg = this.readFromDisk();
    } catch (e) {
      // A hand edit that does not validate: keep running with the configuration in force.
      this.badStamp = stamp;
      this.warn(`${(e as Error).message}\nPresslink keeps using the configuration it had loaded.`);
      return;
    }
    this.stamp = stamp;
    this.badStamp = null;
    this.current = cfg;
    this.registerSecrets(cfg);
    // Listeners run outside the caller's call stack (it may be in the middle of a transaction).
    if (this.listeners.size) setImmediate(() => this.listeners.forEach((l) => l(cfg)));
  }

  private readFromDisk(): Config {
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ConfigSchema.parse({});
      throw e;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      throw errorWith(msg('config.fileNotJson', { file: this.file, reason: (e as Error).message }));
    }
    const r = parseConfigWorded(json);
    if (!r.ok) {
      // The text keeps one problem a line (the command line prints it so); the message lists them.
      const m = msg('config.fileInvalid', { file: this.file, problems: list(r.problems.map((p) => msg('common.about', { subject: p.path, text: p.msg ?? p.message })), 'clauses') });
      throw Object.assign(new Error(`The configuration file ${this.file} is not valid:\n` + r.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')), { msg: m });
    }
    return r.config;
  }

  validate(input: unknown): { ok: boolean; problems: ConfigProblem[] } {
    const r = parseConfigWorded(input);
    return r.ok ? { ok: true, problems: [] } : { ok: false, problems: r.problems };
  }

  /**
   * Validates, moves inline secrets into the secret store, and replaces config.json
   * atomically under its lock. A save replaces the whole configuration.
   */
  save(input: unknown, reason: BackupReason = 'save'): SaveResult {
    const r = parseConfigWorded(input);
    if (!r.ok) return r;
    const cfg = structuredClone(r.config);
    const problems: ConfigProblem[] = [];
    const inline: { path: string[]; key: string; value: string }[] = [];
    for (const p of secretPaths(cfg)) {
      const value = getAt(cfg, p) as string;
      if (value.startsWith('env:')) {
        if (!this.env[value.slice(4)]) problems.push(problem(dotted(p), msg('config.envNotSet', { name: value.slice(4) })));
        continue;
      }
      if (value.startsWith('secret:')) {
        if (this.secrets.get(value.slice(7)) === undefined) problems.push(problem(dotted(p), msg('config.secretNotStored')));
        continue;
      }
      inline.push({ path: p, key: dotted(secretKeyPath(cfg, p)), value });
    }
    if (problems.length) return { ok: false, problems };
    withFileLock(this.file, () => {
      // Secrets first: config.json never names a secret that is not stored yet.
      for (const s of inline) {
        this.secrets.set(s.key, s.value);
        registerSecret(s.value);
        setAt(cfg, s.path, `secret:${s.key}`);
      }
      const text = JSON.stringify(cfg, null, 2) + '\n';
      this.backUpPrevious(text, reason);
      writeFileAtomic(this.file, text, 0o600);
      this.stamp = fileStamp(this.file);
      this.badStamp = null;
      this.current = cfg;
    });
    return { ok: true, config: cfg };
  }

  /** The value behind a secret reference; throws a plain-language error when it cannot be found. */
  resolveSecret(ref: string): string {
    if (ref.startsWith('env:')) {
      const v = this.env[ref.slice(4)];
      if (!v) throw errorWith(msg('config.envNotSetError', { name: ref.slice(4) }));
      registerSecret(v);
      return v;
    }
    if (ref.startsWith('secret:')) {
      const v = this.secrets.get(ref.slice(7));
      if (v === undefined) throw errorWith(msg('config.secretMissing', { key: ref.slice(7), where: msg('where.setup') }));
      // Another process may have stored it since this one started: scrub it from logs too.
      registerSecret(v);
      return v;
    }
    return ref;
  }

  private registerSecrets(cfg: Config): void {
    for (const p of secretPaths(cfg)) {
      try {
        registerSecret(this.resolveSecret(getAt(cfg, p) as string));
      } catch {
        // An unset env var is reported when the secret is used, not at start-up.
      }
    }
  }

  /**
   * Export for support. Without secrets: references only ("secret:…" names a slot, never a
   * value). With secrets: format 2 of export-file.ts — the values encrypted with a key derived
   * from the passphrase, and the whole file sealed with it, so it is safe to mail, useless
   * without the passphrase, and refused on import if anything in it was changed.
   */
  export(opts: { includeSecrets?: boolean; passphrase?: string } = {}): string {
    const cfg = structuredClone(this.get());
    if (!opts.includeSecrets) return JSON.stringify(cfg, null, 2);
    if (!opts.passphrase || opts.passphrase.length < 8) throw errorWith(msg('config.passphraseShort'));
    const values: Record<string, string> = {};
    for (const p of secretPaths(cfg)) {
      const ref = getAt(cfg, p) as string;
      if (ref.startsWith('secret:')) values[dotted(p)] = this.resolveSecret(ref);
    }
    return JSON.stringify(sealExport(cfg, values, opts.passphrase, VERSION), null, 2);
  }

  /**
   * Accepts a plain config (inline secrets or env: references) or an export with secrets.
   * An export of format 2 is opened only if nothing in it was changed; one of format 1
   * (earlier versions, configuration not sealed) only with `acceptFormat1`, after the
   * refusal has said where its secrets would be sent.
   */
  import(json: string, passphrase?: string, opts: { acceptFormat1?: boolean } = {}): SaveResult {
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch (e) {
      return { ok: false, problems: [problem('(file)', msg('config.importNotJson', { reason: (e as Error).message }))] };
    }
    if (!data || typeof data !== 'object' || Array.isArray(data) || !('presslinkExport' in data)) return this.save(data, 'import');
    const file = data as Record<string, unknown>;
    const format = file.presslinkExport;
    if (format !== 1 && format !== 2) {
      const newer = typeof format === 'number' && format > 2;
      return { ok: false, problems: [problem('presslinkExport', newer ? msg('config.exportNewer', { format: format as number }) : msg('config.notAnExport'))] };
    }
    if (!passphrase) return { ok: false, problems: [problem('encryptedSecrets', msg('config.needPassphrase'))] };
    if (format === 2) {
      // Authenticated first: a changed file is reported as changed, not as a setting to fix.
      const opened = openExport(file, passphrase);
      if (!opened.ok) return { ok: false, problems: [problem('(file)', opened.msg)] };
      // Then checked like any configuration (forbidden names, unknown keys): a file sealed
      // with a passphrase its sender chose proves nothing about its content.
      const parsed = parseConfigWorded(opened.config);
      if (!parsed.ok) return parsed;
      const filled = fillSecrets(parsed.config, opened.secrets);
      if (!filled.ok) return filled;
      return this.save(filled.config, 'import');
    }
    // Format 1: the configuration is checked before the secrets can fill its fields.
    const parsed = parseConfigWorded(file.config);
    if (!parsed.ok) return parsed;
    const opened = openExportV1(file.encryptedSecrets as EncryptedBlobV1, passphrase);
    if (!opened.ok) return { ok: false, problems: [problem('encryptedSecrets', opened.msg)] };
    const filled = fillSecrets(parsed.config, opened.secrets);
    if (!filled.ok) return filled;
    if (!opts.acceptFormat1) return { ok: false, problems: [problem('presslinkExport', format1Refusal(filled.config))] };
    return this.save(filled.config, 'import');
  }

  // ---- backups ----------------------------------------------------------------------

  private backupDir(): string {
    return path.join(path.dirname(this.file), BACKUP_DIR);
  }

  /** Keeps the config.json about to be replaced (called under the lock); the newest BACKUPS_KEPT stay. */
  private backUpPrevious(next: string, reason: BackupReason): void {
    let previous: string;
    try {
      previous = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    if (previous === next) return;
    const dir = this.backupDir();
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    const newest = this.backups()[0];
    // Ids sort by time: one made in the same millisecond as the newest is moved a millisecond on.
    let at = Date.now();
    if (newest) at = Math.max(at, Date.parse(newest.createdAt) + 1);
    writeFileAtomic(path.join(dir, `config-${backupStamp(at)}-${reason}.json`), previous, 0o600);
    for (const old of this.backups().slice(BACKUPS_KEPT)) fs.rmSync(path.join(dir, `config-${old.id}.json`), { force: true });
  }

  /** The configurations replaced by saves, imports and restores, newest first. */
  backups(): ConfigBackup[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.backupDir());
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: ConfigBackup[] = [];
    for (const name of names) {
      const m = BACKUP_NAME.exec(name);
      if (!m) continue;
      const file = path.join(this.backupDir(), name);
      let stores: string[] = [];
      let bytes = 0;
      try {
        const text = fs.readFileSync(file, 'utf8');
        bytes = Buffer.byteLength(text);
        const json = JSON.parse(text) as { stores?: { id?: unknown }[] };
        stores = (json.stores ?? []).map((st) => String(st.id));
      } catch {
        // Listed all the same: restoring it says what is wrong with it.
      }
      out.push({ id: `${m[1]}-${m[2]}`, createdAt: stampToIso(m[1]!), reason: m[2] as BackupReason, stores, bytes });
    }
    return out.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  /**
   * Puts a backup back in force (by id, or a prefix naming one backup). It goes through the
   * same checks as a save, and the configuration it replaces is backed up in turn.
   */
  restore(id: string): SaveResult {
    const all = this.backups();
    const matches = all.some((b) => b.id === id) ? all.filter((b) => b.id === id) : all.filter((b) => id.length >= 4 && b.id.startsWith(id));
    if (matches.length !== 1) {
      const m = matches.length === 0 ? msg('config.noBackup', { id }) : msg('config.ambiguousBackup', { id, count: matches.length });
      return { ok: false, problems: [problem('id', m)] };
    }
    const backup = matches[0]!;
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(path.join(this.backupDir(), `config-${backup.id}.json`), 'utf8'));
    } catch (e) {
      return { ok: false, problems: [problem('id', msg('config.backupUnreadable', { id: backup.id, reason: (e as Error).message }))] };
    }
    const r = this.save(json, 'restore');
    // The engine applies it like a configuration written by another process.
    if (r.ok && this.listeners.size) setImmediate(() => this.listeners.forEach((l) => l(r.config)));
    return r;
  }
}

/**
 * Puts decrypted secret values into a parsed configuration. Each key must name one of that
 * configuration's secret fields exactly ("stores.0.infigo.apiToken"); any other key — a
 * prototype name, a setting that is not a secret, a store that is not there — refuses the file.
 */
function fillSecrets(config: Config, values: unknown): SaveResult {
  if (!values || typeof values !== 'object' || Array.isArray(values)) {
    return { ok: false, problems: [problem('encryptedSecrets', msg('config.secretsForm'))] };
  }
  const slots = new Map(secretPaths(config).map((p) => [dotted(p), p]));
  const problems: ConfigProblem[] = [];
  const cfg = structuredClone(config);
  for (const [key, value] of Object.entries(values)) {
    const forbidden = key.split('.').find(isForbiddenKey);
    const slot = slots.get(key);
    if (forbidden) problems.push(problem('encryptedSecrets', msg('config.secretNamesForbidden', { key, reason: forbiddenKeyMsg(forbidden) })));
    else if (!slot) problems.push(problem('encryptedSecrets', msg('config.secretNotAField', { key })));
    else if (typeof value !== 'string' || !value) problems.push(problem(key, msg('config.secretEmpty')));
    else setAt(cfg, slot, value);
  }
  return problems.length ? { ok: false, problems } : { ok: true, config: cfg };
}

// ---- helpers --------------------------------------------------------------

function dotted(p: string[]): string {
  return p.join('.');
}

/** Secret keys name the store by id, not by position, so reordering stores keeps their secrets. */
function secretKeyPath(cfg: Config, p: string[]): string[] {
  if (p[0] === 'stores') {
    const store = cfg.stores[Number(p[1])];
    if (store) return ['stores', store.id, ...p.slice(2)];
  }
  return p;
}

/** Reads a path through own properties only; a prototype name never resolves. */
function getAt(obj: unknown, p: string[]): unknown {
  let cur: unknown = obj;
  for (const k of p) {
    if (isForbiddenKey(k) || cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, k)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/**
 * Sets a value at a path that already exists in `obj` (only the last segment may be new).
 * A prototype name anywhere in the path is refused, so no input can reach Object.prototype.
 */
function setAt(obj: unknown, p: string[], value: unknown): void {
  const bad = p.find(isForbiddenKey);
  if (bad !== undefined || p.length === 0) throw new Error(`Refusing to set the configuration path "${p.join('.')}".`);
  let cur = obj;
  for (const k of p.slice(0, -1)) {
    const next = cur !== null && typeof cur === 'object' && Object.hasOwn(cur, k) ? (cur as Record<string, unknown>)[k] : undefined;
    if (next === null || typeof next !== 'object') throw new Error(`The configuration has no field "${p.join('.')}".`);
    cur = next;
  }
  (cur as Record<string, unknown>)[p[p.length - 1]!] = value;
}

/** Where each secret of a configuration is sent, for the refusal of a format-1 export. */
function secretDestinations(cfg: Config): Msg[] {
  const host = (u: string | undefined) => {
    try {
      return u ? new URL(u).host : '(no address)';
    } catch {
      return u ?? '(no address)';
    }
  };
  const out: Msg[] = [];
  for (const s of cfg.stores) {
    out.push(msg('config.dest.infigo', { store: s.id, host: host(s.infigo.baseUrl) }));
    if (s.infigo.statusWriter.kind === 'megascript') out.push(msg('config.dest.script', { store: s.id, host: host(s.infigo.statusWriter.url) }));
  }
  if (cfg.gelato) {
    const hosts = [...new Set(Object.values(cfg.gelato.endpoints).filter((u): u is string => !!u).map(host))];
    out.push(msg('config.dest.gelato', { hosts: list(hosts, 'comma') }));
  }
  const d = cfg.files.delivery;
  if (d?.kind === 's3') out.push(d.endpoint ? msg('config.dest.s3', { host: host(d.endpoint) }) : msg('config.dest.amazon', { region: d.region }));
  return out;
}

function format1Refusal(cfg: Config): Msg {
  const where = secretDestinations(cfg);
  return where.length ? msg('config.format1', { destinations: list(where, 'clauses') }) : msg('config.format1NoSecrets');
}

export { isSecretReference };
