// Deterministic randomness for the simulator. Never Math.random: the same seed must give byte-identical output.
// mulberry32 is small, fast and good enough for synthetic logs; `derive` gives every (user, day, event …) its own
// independent stream, so generating days in any order, or skipping an output format, never shifts other values.

/** 32-bit hash of the parts (FNV-1a over the joined text, then a murmur3 finalizer for avalanche). */
export function hash32(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const s = parts.join('\u0000');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ALNUM_UP = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';

export class Rng {
  private s: number;
  /** the seed this stream started from, so derive() is a pure function of (seed, parts) */
  readonly base: number;

  constructor(seed: number) {
    this.base = seed >>> 0;
    this.s = this.base;
  }

  /** A new independent stream keyed by this stream's seed and the parts (not by how far this one has run). */
  derive(...parts: (string | number)[]): Rng {
    return new Rng(hash32(this.base, ...parts));
  }

  /** uniform [0, 1) */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** integer in [lo, hi] inclusive */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** float in [lo, hi) */
  range(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(arr: readonly T[]): T {
    if (arr.length === 0) throw new Error('Rng.pick on an empty list');
    return arr[Math.floor(this.next() * arr.length)]!;
  }

  /** pick by weight: [[value, weight], ...] */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let r = this.next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1]![0];
  }

  /** n distinct elements (order random); all of them when n >= length */
  sample<T>(arr: readonly T[], n: number): T[] {
    const a = arr.slice();
    const k = Math.min(n, a.length);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.next() * (a.length - i));
      const tmp = a[i]!;
      a[i] = a[j]!;
      a[j] = tmp;
    }
    return a.slice(0, k);
  }

  /** standard normal via Box-Muller, scaled */
  normal(mean = 0, sd = 1): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** exponential with the given mean */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Poisson-distributed count (Knuth; fine for small means) */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const l = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }

  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += HEX[Math.floor(this.next() * 16)];
    return s;
  }

  /** upper-case letters and digits, e.g. the middle part of a directoryAudit id */
  alnum(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += ALNUM_UP[Math.floor(this.next() * ALNUM_UP.length)];
    return s;
  }

  digits(n: number): string {
    let s = String(1 + Math.floor(this.next() * 9));
    for (let i = 1; i < n; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }

  /** base64url text of n random bytes (no padding), like an Entra uniqueTokenIdentifier */
  b64url(bytes: number): string {
    const chars = Math.ceil((bytes * 4) / 3);
    let s = '';
    for (let i = 0; i < chars; i++) s += B64URL[Math.floor(this.next() * 64)];
    return s;
  }

  /** RFC 4122 version-4 shaped GUID, lower case */
  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = '89ab'[Math.floor(this.next() * 4)]!;
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

export const rngFor = (seed: number, ...parts: (string | number)[]): Rng => new Rng(hash32(seed, ...parts));
