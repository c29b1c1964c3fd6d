/**
 * Where secrets live, apart from the database. Headless uses an owner-only file
 * (file-store.ts); the desktop app provides one backed by Electron safeStorage
 * + electron-store (electron/main). Keys are opaque names such as
 * "stores.acme.infigo.apiToken"; values never reach logs or the renderer.
 */
export interface SecretStore {
  readonly kind: string;
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  keys(): string[];
}
