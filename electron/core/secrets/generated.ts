import crypto from 'node:crypto';
import type { SecretStore } from './types';

// The secrets Presslink makes itself: the key that signs print-file links, the secret
// GelatoConnect sends with each postback, and the token the checkout MegaScript sends. Every
// process on a data directory must use the same ones — links signed by `sync --once` are
// checked by `presslink serve`, and `doctor` pings serve's webhook with the postback secret —
// so they are made once, when an engine first starts on the directory, not by whichever
// process happens to need one first. `setIfAbsent` makes that safe when two processes start
// at once: one value is stored and both use it.

/** Secret-store keys of the generated secrets (never written into config.json). */
export const GENERATED_SECRETS = {
  fileSigningKey: 'server.fileSigningKey',
  postbackSecret: 'backsync.postbackSecret',
  quoteToken: 'shipping.quoteToken',
} as const;

/** Generated per store: the token the store's status MegaScript expects (status-writer/settings.ts). */
export const statusScriptTokenKey = (storeId: string) => `stores.${storeId}.statusScriptToken` as const;

export type GeneratedSecretKey = (typeof GENERATED_SECRETS)[keyof typeof GENERATED_SECRETS] | ReturnType<typeof statusScriptTokenKey>;

/** Whether a secret-store key holds a secret Presslink generates (shared by every process on the data directory). */
export function isGeneratedSecretKey(key: string): boolean {
  return (Object.values(GENERATED_SECRETS) as string[]).includes(key) || /^stores\.[^.]+\.statusScriptToken$/.test(key);
}

/** 32 random bytes: long enough that guessing is hopeless, URL- and header-safe. */
export function newGeneratedSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The generated secret under `key`, made now if the store has none yet (an engine that started before this existed). */
export function generatedSecret(secrets: Pick<SecretStore, 'get' | 'setIfAbsent'>, key: GeneratedSecretKey): string {
  return secrets.get(key) ?? secrets.setIfAbsent(key, newGeneratedSecret);
}

/**
 * Called once as an engine starts: makes every generated secret that does not exist yet.
 * Never throws: a store that cannot be written now (a locked or read-only file) is reported,
 * and the secret is made when it is first needed instead.
 */
export function ensureGeneratedSecrets(secrets: Pick<SecretStore, 'get' | 'setIfAbsent'>): string | null {
  try {
    for (const key of Object.values(GENERATED_SECRETS)) secrets.setIfAbsent(key, newGeneratedSecret);
    return null;
  } catch (e) {
    return `The secrets Presslink generates (file-link key, postback secret, quote token) could not be stored yet: ${(e as Error).message}`;
  }
}
