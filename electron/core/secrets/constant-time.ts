import { createHash, timingSafeEqual } from 'node:crypto';

// The one comparison of a presented secret with the expected one (postback
// secret, quote token, access token). Both sides are hashed first, so the
// comparison takes the same time whatever their lengths and contents.

const digest = (s: string) => createHash('sha256').update(s).digest();

/** True only when `given` is a non-empty string equal to `expected`, compared in constant time. */
export function secretEquals(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  return timingSafeEqual(digest(given), digest(expected));
}
