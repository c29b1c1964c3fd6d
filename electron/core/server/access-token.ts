import crypto from 'node:crypto';
import fs from 'node:fs';
import { secretEquals } from '../secrets/constant-time';

// The access token for a non-loopback bind is shown once and kept only as a
// salted hash, so a copied data directory does not leak a usable credential.
// It is what a person on another computer, or a script there, presents: as
// `Authorization: Bearer <token>`, or once on the sign-in page, which trades it
// for a session cookie like the one-time link does (credentials.ts).

interface StoredToken {
  salt: string;
  hash: string;
  createdAt: string;
}

function hashToken(token: string, salt: string): string {
  return crypto.createHash('sha256').update(`${salt}:${token}`).digest('hex');
}

/** Returns the verifier, and the plain token only when it was just created (to print once). */
export function ensureAccessToken(file: string, reset = false): { verify: (t: string | undefined) => boolean; created?: string } {
  let stored: StoredToken | undefined;
  if (!reset) {
    try {
      stored = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredToken;
    } catch {
      stored = undefined;
    }
  }
  let created: string | undefined;
  if (!stored) {
    created = crypto.randomBytes(24).toString('base64url');
    const salt = crypto.randomBytes(16).toString('hex');
    stored = { salt, hash: hashToken(created, salt), createdAt: new Date().toISOString() };
    fs.writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  const s = stored;
  return {
    created,
    verify: (t) => {
      if (!t) return false;
      return secretEquals(hashToken(t, s.salt), s.hash);
    },
  };
}
