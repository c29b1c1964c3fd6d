import fs from 'node:fs';
import { fileStamp, withFileLock, writeFileAtomic } from '../config/shared-file';
import type { SecretStore } from './types';
import { msg } from '../../../shared/messages/index';
import { errorWith } from '../i18n';

/**
 * Headless secret store: one JSON file readable only by its owner (0600). The CLI and a
 * running engine share it, so it is never rewritten from a copy in memory: a read re-reads
 * the file when it changed on disk, and a write takes the file's lock, re-reads it, changes
 * one key and replaces the file atomically (config/shared-file.ts). The desktop app keeps
 * the secrets a person enters in safeStorage instead, and reads this file too.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  private values: Map<string, string>;
  private stamp: string | null;
  private badStamp: string | null = null;

  constructor(private readonly file: string) {
    this.stamp = fileStamp(file);
    this.values = FileSecretStore.read(file);
  }

  private static read(file: string): Map<string, string> {
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw errorWith(msg('secrets.unreadable', { file, reason: (e as Error).message }));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      throw errorWith(msg('secrets.notJson', { file, reason: (e as Error).message }));
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw errorWith(msg('secrets.notObject', { file }));
    }
    return new Map(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  /** The values as they are on disk now (re-read only when the file changed). */
  private current(): Map<string, string> {
    const stamp = fileStamp(this.file);
    if (stamp !== this.stamp && stamp !== this.badStamp) {
      try {
        this.values = FileSecretStore.read(this.file);
        this.stamp = stamp;
      } catch {
        // A hand edit broke the file: keep working with the last good copy; a write says why it cannot.
        this.badStamp = stamp;
      }
    }
    return this.values;
  }

  get(key: string): string | undefined {
    return this.current().get(key);
  }

  set(key: string, value: string): void {
    this.update((m) => void m.set(key, value));
  }

  setIfAbsent(key: string, make: () => string): string {
    const known = this.current().get(key);
    if (known !== undefined) return known;
    let out = '';
    this.update((m) => {
      const there = m.get(key);
      if (there !== undefined) {
        out = there;
        return false;
      }
      out = make();
      m.set(key, out);
    });
    return out;
  }

  delete(key: string): void {
    this.update((m) => (m.delete(key) ? undefined : false));
  }

  keys(): string[] {
    return [...this.current().keys()];
  }

  /** Re-reads under the lock, applies `change` (false: nothing to write), writes atomically. */
  private update(change: (m: Map<string, string>) => void | false): void {
    withFileLock(this.file, () => {
      const m = FileSecretStore.read(this.file);
      if (change(m) === false) {
        this.values = m;
        this.stamp = fileStamp(this.file);
        return;
      }
      writeFileAtomic(this.file, JSON.stringify(Object.fromEntries(m), null, 2), 0o600);
      this.values = m;
      this.stamp = fileStamp(this.file);
    });
  }
}

/** In-memory store for tests and one-shot commands. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  private values = new Map<string, string>();
  get(key: string) {
    return this.values.get(key);
  }
  set(key: string, value: string) {
    this.values.set(key, value);
  }
  setIfAbsent(key: string, make: () => string) {
    let v = this.values.get(key);
    if (v === undefined) this.values.set(key, (v = make()));
    return v;
  }
  delete(key: string) {
    this.values.delete(key);
  }
  keys() {
    return [...this.values.keys()];
  }
}
