import type { SecretBackend } from './secret-store';
import { normalizeSettings, type DesktopSettings } from './settings';

// The two electron-store files: desktop preferences beside Electron's own
// user data, and the encrypted secrets beside the engine's data (so a
// per-test or per-shop PRESSLINK_DATA_DIR keeps its secrets with it).

export interface SettingsStore {
  get(): DesktopSettings;
  set<K extends keyof DesktopSettings>(key: K, value: DesktopSettings[K]): void;
}

export async function openStores(opts: { userDataDir: string; dataDir: string }): Promise<{ settings: SettingsStore; secrets: SecretBackend }> {
  // electron-store is ESM-only; a dynamic import keeps the CommonJS main bundle loading it correctly.
  const { default: Store } = await import('electron-store');
  const settingsFile = new Store<Record<string, unknown>>({
    name: 'desktop-settings',
    cwd: opts.userDataDir,
    clearInvalidConfig: true,
  });
  const secretsFile = new Store<{ values: Record<string, string> }>({
    name: 'secrets-desktop',
    cwd: opts.dataDir,
    defaults: { values: {} },
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
  });
  return {
    settings: {
      get: () => normalizeSettings(settingsFile.store),
      set: (key, value) => settingsFile.set(key, value),
    },
    secrets: {
      read: () => {
        const v = secretsFile.get('values');
        return v && typeof v === 'object' ? { ...v } : {};
      },
      write: (values) => secretsFile.set('values', values),
    },
  };
}
