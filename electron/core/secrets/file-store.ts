import fs from 'node:fs';
import path from 'node:path';
import type { SecretStore } from './types';

/**
 * Headless secret store: one JSON file readable only by its owner (0600),
 * written atomically. The desktop app replaces it with safeStorage-backed
 * storage; both keep secrets out of the database and out of config.json.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  private values: Record<string, string>;

  constructor(private readonly file: string) {
    this.values = FileSecretStore.read(file);
  }

  private static read(file: string): Record<string, string> {
    try {
      const raw = fs.readFileSync(file, 'utf8');
      const parsed = JSON.parse(raw) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, string>;
      throw new Error('not an object');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`The secret store ${file} cannot be read (${(e as Error).message}). Fix or remove it, then import the configuration again.`);
    }
  }

  get(key: string): string | undefined {
    return this.values[key];
  }
  set(key: string, value: string): void {
    this.values[key] = value;
    this.flush();
  }
  delete(key: string): void {
    delete this.values[key];
    this.flush();
  }
  keys(): string[] {
    return Object.keys(this.values);
  }

  private flush(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.values, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
    fs.chmodSync(this.file, 0o600);
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
  delete(key: string) {
    this.values.delete(key);
  }
  keys() {
    return [...this.values.keys()];
  }
}
