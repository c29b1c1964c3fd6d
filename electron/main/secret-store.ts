import { isGeneratedSecretKey } from '../core/secrets/generated';
import type { SecretStore } from '../core/secrets/types';

// SecretStore for the desktop app: each value is encrypted with the OS
// keychain (Electron safeStorage) and kept base64 in an electron-store file.
// The cipher and the file are passed in, so this class is tested without
// Electron; index.ts hands it `safeStorage` and a real electron-store.

/** The part of Electron's safeStorage this store uses. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keyring, i.e. a hard-coded key. */
  getSelectedStorageBackend?(): string;
}

/** Where the encrypted values live: one map, so dotted key names are never read as paths. */
export interface SecretBackend {
  read(): Record<string, string>;
  write(values: Record<string, string>): void;
}

export class SecretStorageUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `Presslink cannot store secrets safely on this computer: ${detail} ` +
        'Nothing was saved. Unlock or install the system keychain (on Linux: GNOME Keyring or KWallet) and try again, ' +
        'or run Presslink headless (`presslink serve`), which keeps secrets in an owner-only file.',
    );
    this.name = 'SecretStorageUnavailableError';
  }
}

/** What the desktop store needs of the data directory's headless store (secrets.json). */
export type HeadlessSecrets = Pick<SecretStore, 'get' | 'delete' | 'keys'> & Partial<Pick<SecretStore, 'set' | 'setIfAbsent'>>;


export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'safe-storage';

  /**
   * `headless` is the file store of the same data directory (secrets.json, 0600), which the
   * CLI uses. Secrets entered under `presslink serve` stay readable here, while every value a
   * person enters in the app is written encrypted. The secrets Presslink generates (the
   * file-link signing key, the postback secret, the quote token) are kept there instead of in
   * the keychain, because `presslink sync --once` and `doctor` beside the app must sign and
   * check with the same ones; the file store re-reads the file when another process changed it.
   */
  constructor(
    private readonly cipher: SecretCipher,
    private readonly backend: SecretBackend,
    private readonly legacy?: HeadlessSecrets,
  ) {}

  /** Why encryption cannot be used right now, or null when it can. */
  unavailableReason(): string | null {
    if (!this.cipher.isEncryptionAvailable()) return 'the operating system keychain is not available.';
    // On Linux without a keyring Electron falls back to a fixed key, which is plaintext in all but name.
    if (this.cipher.getSelectedStorageBackend?.() === 'basic_text') return 'no keyring service (GNOME Keyring or KWallet) is running.';
    return null;
  }

  /** Generated secrets live in the shared headless file when there is one that can be written. */
  private shared(key: string): boolean {
    return isGeneratedSecretKey(key) && !!this.legacy?.set && !!this.legacy.setIfAbsent;
  }

  get(key: string): string | undefined {
    if (this.shared(key)) return this.legacy!.get(key) ?? this.encryptedValue(key);
    const stored = this.backend.read()[key];
    if (stored === undefined) return this.legacy?.get(key);
    return this.decrypt(key, stored);
  }

  private decrypt(key: string, stored: string): string {
    const reason = this.unavailableReason();
    if (reason) throw new SecretStorageUnavailableError(reason);
    try {
      return this.cipher.decryptString(Buffer.from(stored, 'base64'));
    } catch {
      // Never echo the stored value; the key name is safe to show.
      throw new Error(`The saved secret "${key}" could not be decrypted (the system keychain may have changed). Enter it again in Settings.`);
    }
  }

  /** A generated secret an earlier version kept encrypted, when it can still be read. */
  private encryptedValue(key: string): string | undefined {
    const stored = this.backend.read()[key];
    if (stored === undefined) return undefined;
    try {
      return this.decrypt(key, stored);
    } catch {
      return undefined;
    }
  }

  set(key: string, value: string): void {
    if (this.shared(key)) return this.legacy!.set!(key, value);
    const reason = this.unavailableReason();
    if (reason) throw new SecretStorageUnavailableError(reason);
    const values = { ...this.backend.read() };
    values[key] = this.cipher.encryptString(value).toString('base64');
    this.backend.write(values);
  }

  setIfAbsent(key: string, make: () => string): string {
    // An encrypted value made by an earlier version moves to the shared file unchanged, so the
    // links it signed keep working.
    if (this.shared(key)) return this.legacy!.setIfAbsent!(key, () => this.encryptedValue(key) ?? make());
    const there = this.get(key);
    if (there !== undefined) return there;
    const v = make();
    this.set(key, v);
    return v;
  }

  delete(key: string): void {
    // Also from the headless file, or the old value would come back on the next read.
    this.legacy?.delete(key);
    const values = { ...this.backend.read() };
    if (!(key in values)) return;
    delete values[key];
    this.backend.write(values);
  }

  keys(): string[] {
    return [...new Set([...Object.keys(this.backend.read()), ...(this.legacy?.keys() ?? [])])].sort();
  }
}

/**
 * How a secret is shown anywhere in the UI or logs: bullets and, for values
 * long enough that it gives nothing away, the last four characters.
 */
export function maskSecret(value: string | null | undefined): string {
  if (!value) return '';
  const bullets = '••••••••';
  if (value.length < 12) return bullets;
  return bullets + value.slice(-4);
}
