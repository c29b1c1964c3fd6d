import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../electron/core/secrets/file-store';
import { ensureGeneratedSecrets, GENERATED_SECRETS } from '../../electron/core/secrets/generated';
import { tempDir } from '../helpers/tmp';
import { SafeStorageSecretStore, SecretStorageUnavailableError, maskSecret, type SecretBackend, type SecretCipher } from '../../electron/main/secret-store';

// A stand-in for the OS keychain: reversible, but nothing like the plaintext.
function cipher(opts: { available?: boolean; backend?: string } = {}): SecretCipher & { available: boolean } {
  const c = {
    available: opts.available ?? true,
    isEncryptionAvailable: () => c.available,
    encryptString: (s: string) => Buffer.concat([Buffer.from('v10'), Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a))]),
    decryptString: (b: Buffer) => {
      if (b.subarray(0, 3).toString() !== 'v10') throw new Error('bad blob');
      return Buffer.from(b.subarray(3).map((x) => x ^ 0x5a)).toString('utf8');
    },
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
  };
  return c;
}

function memory(): SecretBackend & { file: Record<string, string> } {
  const m = {
    file: {} as Record<string, string>,
    read: () => ({ ...m.file }),
    write: (v: Record<string, string>) => {
      m.file = { ...v };
    },
  };
  return m;
}

describe('safeStorage secret store', () => {
  it('round-trips values and never writes the plaintext', () => {
    const file = memory();
    const store = new SafeStorageSecretStore(cipher(), file);
    store.set('stores.acme.infigo.apiToken', 'tok-1234567890-abcdef');
    expect(store.get('stores.acme.infigo.apiToken')).toBe('tok-1234567890-abcdef');
    const onDisk = JSON.stringify(file.file);
    expect(onDisk).not.toContain('tok-1234567890-abcdef');
    // Stored as base64 of the encrypted blob, under the literal dotted key.
    expect(Object.keys(file.file)).toEqual(['stores.acme.infigo.apiToken']);
    expect(file.file['stores.acme.infigo.apiToken']).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('lists, overwrites and deletes keys', () => {
    const store = new SafeStorageSecretStore(cipher(), memory());
    store.set('gelato.apiKey', 'a');
    store.set('b.key', 'b');
    store.set('gelato.apiKey', 'c');
    expect(store.keys()).toEqual(['b.key', 'gelato.apiKey']);
    expect(store.get('gelato.apiKey')).toBe('c');
    store.delete('b.key');
    store.delete('never-set');
    expect(store.keys()).toEqual(['gelato.apiKey']);
    expect(store.get('b.key')).toBeUndefined();
  });

  it('refuses to store anything when encryption is unavailable, with a clear reason', () => {
    const file = memory();
    const store = new SafeStorageSecretStore(cipher({ available: false }), file);
    expect(() => store.set('gelato.apiKey', 'secret-value-123')).toThrow(SecretStorageUnavailableError);
    expect(() => store.set('gelato.apiKey', 'secret-value-123')).toThrow(/cannot store secrets safely.*keychain/);
    expect(file.file).toEqual({});
  });

  it("treats Linux's hard-coded-key fallback as unavailable", () => {
    const file = memory();
    const store = new SafeStorageSecretStore(cipher({ backend: 'basic_text' }), file);
    expect(store.unavailableReason()).toMatch(/keyring/);
    expect(() => store.set('k', 'v')).toThrow(/GNOME Keyring or KWallet/);
    expect(file.file).toEqual({});
  });

  it('keeps the secret out of the error when a value cannot be decrypted', () => {
    const file = memory();
    file.file['gelato.apiKey'] = Buffer.from('garbage-not-encrypted-key-material').toString('base64');
    const store = new SafeStorageSecretStore(cipher(), file);
    let message = '';
    try {
      store.get('gelato.apiKey');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/"gelato.apiKey" could not be decrypted/);
    expect(message).not.toContain('garbage');
  });

  it('reports an unavailable keychain on read instead of returning nothing', () => {
    const c = cipher();
    const store = new SafeStorageSecretStore(c, memory());
    store.set('k', 'value');
    c.available = false;
    expect(() => store.get('k')).toThrow(SecretStorageUnavailableError);
    expect(store.get('missing')).toBeUndefined();
  });
});

describe('secrets entered while running headless', () => {
  function legacy(values: Record<string, string>) {
    return {
      values: { ...values },
      get(k: string) {
        return this.values[k];
      },
      delete(k: string) {
        delete this.values[k];
      },
      keys() {
        return Object.keys(this.values);
      },
    };
  }

  it('stay readable, while new values are written encrypted only', () => {
    const old = legacy({ 'gelato.apiKey': 'from-headless', 'stores.acme.infigo.apiToken': 'old-token' });
    const file = memory();
    const store = new SafeStorageSecretStore(cipher(), file, old);
    expect(store.get('gelato.apiKey')).toBe('from-headless');
    store.set('stores.acme.infigo.apiToken', 'new-token');
    expect(store.get('stores.acme.infigo.apiToken')).toBe('new-token');
    expect(old.values['stores.acme.infigo.apiToken']).toBe('old-token'); // never written to
    expect(JSON.stringify(file.file)).not.toContain('new-token');
    expect(store.keys()).toEqual(['gelato.apiKey', 'stores.acme.infigo.apiToken']);
  });

  it('are deleted from both places, so a removed secret does not come back', () => {
    const old = legacy({ 'gelato.apiKey': 'from-headless' });
    const store = new SafeStorageSecretStore(cipher(), memory(), old);
    store.delete('gelato.apiKey');
    expect(store.get('gelato.apiKey')).toBeUndefined();
    expect(store.keys()).toEqual([]);
  });
});

describe('secrets the engine generates, in the desktop app', () => {
  it('are kept in the shared secrets.json, so the CLI beside the app signs and checks with the same ones', () => {
    const t = tempDir();
    try {
      const file = path.join(t.dir, 'secrets.json');
      const encrypted = memory();
      const desktop = new SafeStorageSecretStore(cipher(), encrypted, new FileSecretStore(file));
      expect(ensureGeneratedSecrets(desktop)).toBeNull();
      const cli = new FileSecretStore(file);
      for (const key of Object.values(GENERATED_SECRETS)) {
        expect(desktop.get(key)).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(cli.get(key)).toBe(desktop.get(key));
      }
      expect(encrypted.file).toEqual({});
      // The CLI made one first (a fresh directory): the app uses that one.
      cli.set(GENERATED_SECRETS.quoteToken, 'made-by-the-cli-0123456789');
      expect(desktop.get(GENERATED_SECRETS.quoteToken)).toBe('made-by-the-cli-0123456789');
      // A person's secrets still go to the keychain only.
      desktop.set('gelato.apiKey', 'key:secret-entered-in-the-app');
      expect(cli.get('gelato.apiKey')).toBeUndefined();
    } finally {
      t.cleanup();
    }
  });

  it('made and encrypted by an earlier version move to secrets.json unchanged (links it signed keep working)', () => {
    const t = tempDir();
    try {
      const file = path.join(t.dir, 'secrets.json');
      const encrypted = memory();
      new SafeStorageSecretStore(cipher(), encrypted).set(GENERATED_SECRETS.fileSigningKey, 'old-signing-key-kept-in-keychain');
      const desktop = new SafeStorageSecretStore(cipher(), encrypted, new FileSecretStore(file));
      ensureGeneratedSecrets(desktop);
      expect(new FileSecretStore(file).get(GENERATED_SECRETS.fileSigningKey)).toBe('old-signing-key-kept-in-keychain');
      expect(desktop.get(GENERATED_SECRETS.fileSigningKey)).toBe('old-signing-key-kept-in-keychain');
    } finally {
      t.cleanup();
    }
  });

  it('work without a keychain', () => {
    const t = tempDir();
    try {
      const desktop = new SafeStorageSecretStore(cipher({ available: false }), memory(), new FileSecretStore(path.join(t.dir, 'secrets.json')));
      expect(ensureGeneratedSecrets(desktop)).toBeNull();
      expect(desktop.get(GENERATED_SECRETS.postbackSecret)).toBeDefined();
    } finally {
      t.cleanup();
    }
  });
});

describe('maskSecret', () => {
  it('shows bullets and the last four characters of a long secret', () => {
    expect(maskSecret('sk_live_0123456789abcdef3f2a')).toBe('••••••••3f2a');
  });

  it('hides short secrets entirely', () => {
    expect(maskSecret('abc123')).toBe('••••••••');
    expect(maskSecret('12345678901')).toBe('••••••••');
  });

  it('gives no hint of the length', () => {
    expect(maskSecret('a'.repeat(12)).length).toBe(maskSecret('b'.repeat(200)).length);
  });

  it('shows nothing for no secret', () => {
    expect(maskSecret('')).toBe('');
    expect(maskSecret(undefined)).toBe('');
    expect(maskSecret(null)).toBe('');
  });
});
