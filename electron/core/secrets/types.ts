/**
 * Where secrets live, apart from the database. Headless uses an owner-only file
 * (file-store.ts); the desktop app provides one backed by Electron safeStorage
 * + electron-store (electron/main). Keys are opaque names such as
 * "stores.acme.infigo.apiToken"; values never reach logs or the renderer.
 *
 * Another process may use the same store at the same time (the CLI beside a running
 * engine): `get` sees what it wrote, and `set`/`delete` change one key without undoing
 * the others' changes.
 */
export interface SecretStore {
  readonly kind: string;
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  /** The stored value, or `make()` stored and returned when there is none: one value, even with two processes racing. */
  setIfAbsent(key: string, make: () => string): string;
  delete(key: string): void;
  keys(): string[];
}
