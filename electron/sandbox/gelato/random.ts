/** Seeded randomness for the GelatoConnect sandbox: ids, tracking codes and package splits
 *  replay for a given seed and request sequence. Not for secrets (the API key uses node:crypto). */

export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  digits(n: number): string;
  uuid(): string;
}

export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number) => Array.from({ length: n }, () => int(0, 15).toString(16)).join('');
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      const v = items[int(0, items.length - 1)];
      if (v === undefined) throw new Error('pick from an empty list');
      return v;
    },
    digits: (n) => Array.from({ length: n }, () => String(int(0, 9))).join(''),
    // RFC 4122 version-4 layout so clients that check the shape accept it
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`,
  };
}

/** A stable UUID-shaped id for a name (e.g. a customer), independent of request order. */
export function stableUuid(seed: number, name: string): string {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return createRng(h).uuid();
}
