import crypto from 'node:crypto';
import type { SecretStore } from './types';

// Secrets Presslink makes itself when the shop has not set one (postback
// secret, checkout quote token, file-link signing key): made once, kept in the
// secret store, never written into config.json.

export const GENERATED_SECRET_KEYS = {
  postback: 'backsync.postbackSecret',
  quoteToken: 'shipping.quoteToken',
  fileSigningKey: 'server.fileSigningKey',
} as const;

/** The stored value, made now if there is none yet (32 random bytes: URL and header safe). */
export function generatedSecret(secrets: SecretStore, key: string): string {
  let v = secrets.get(key);
  if (!v) {
    v = crypto.randomBytes(32).toString('base64url');
    secrets.set(key, v);
  }
  return v;
}
