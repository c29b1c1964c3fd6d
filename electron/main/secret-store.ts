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

export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'safe-storage';

  /**
   * `legacy` is the headless file store of the same data directory: secrets
   * entered under `presslink serve` stay readable here, while every new value
   * is written encrypted. Nothing is ever written to it.
   */
  constructor(
    private readonly cipher: SecretCipher,
    private readonly backend: SecretBackend,
    private readonly legacy?: Pick<SecretStore, 'get' | 'delete' | 'keys'>,
  ) {}

  /** Why encryption cannot be used right now, or null when it can. */
  unavailableReason(): string | null {
    if (!this.cipher.isEncryptionAvailable()) return 'the operating system keychain is not available.';
    // On Linux without a keyring Electron falls back to a fixed key, which is plaintext in all but name.
    if (this.cipher.getSelectedStorageBackend?.() === 'basic_text') return 'no keyring service (GNOME Keyring or KWallet) is running.';
    return null;
  }

  get(key: string): string | undefined {
    const stored = this.backend.read()[key];
    if (stored === undefined) return this.legacy?.get(key);
    const reason = this.unavailableReason();
    if (reason) throw new SecretStorageUnavailableError(reason);
    try {
      return this.cipher.decryptString(Buffer.from(stored, 'base64'));
    } catch {
      // Never echo the stored value; the key name is safe to show.
      throw new Error(`The saved secret "${key}" could not be decrypted (the system keychain may have changed). Enter it again in Settings.`);
    }
  }

  set(key: string, value: string): void {
    const reason = this.unavailableReason();
    if (reason) throw new SecretStorageUnavailableError(reason);
    const values = { ...this.backend.read() };
    values[key] = this.cipher.encryptString(value).toString('base64');
    this.backend.write(values);
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
