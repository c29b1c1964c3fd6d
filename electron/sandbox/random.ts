/**
 * Seeded pseudo-random helpers for the sandbox.
 *
 * Everything the sandbox invents (orders, names, tokens, file bytes) must be reproducible from a
 * seed, so tests can compare runs and bug reports can name the seed that showed a problem.
 * Sub-streams are derived by hashing (seed, label, index) instead of drawing sequentially, which
 * lets order N be generated without generating orders 0..N-1 first.
 */

/** 32-bit FNV-1a over the string forms of the parts, finished with a murmur-style mix. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (let p = 0; p < parts.length; p++) {
    const text = String(parts[p]);
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 1;
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** A version-4-shaped GUID string. */
  guid(): string;
  hex(length: number): string;
  /** A new independent stream labelled by `label`. */
  fork(label: string | number): Rng;
}

/**
 * mulberry32: tiny, fast and good enough for test data (not for anything secret). A class, not
 * closures, because thousands of generators are created per second when orders are generated.
 */
class Mulberry32 implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }

  guid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = '89ab'[parseInt(h[16] ?? '0', 16) & 3] ?? '8';
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  fork(label: string | number): Rng {
    return new Mulberry32(hashSeed(this.state, label));
  }
}

export function createRng(seed: number): Rng {
  return new Mulberry32(seed);
}

/** Convenience: a stream for (seed, ...labels), independent of any other stream. */
export function rngFor(seed: number, ...labels: (string | number)[]): Rng {
  return createRng(hashSeed(seed, ...labels));
}

/**
 * Fills `out` with deterministic bytes for block `blockIndex` of a byte stream identified by
 * `streamSeed`. xorshift32 per block keeps arbitrary offsets cheap to compute (no need to
 * generate everything before them), which is what HTTP Range support on huge files needs.
 */
export function fillBlock(streamSeed: number, blockIndex: number, out: Uint8Array): void {
  let x = mix32((streamSeed ^ Math.imul(blockIndex + 1, 0x9e3779b1)) >>> 0) || 0x6d2b79f5;
  const words = out.length >>> 2;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < words; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    view.setUint32(i * 4, x >>> 0, true);
  }
  for (let i = words * 4; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
}
