// Sorted, non-overlapping IP ranges with a binary search: the lookup structure behind the ASN table and custom
// network tables. IPv4 keys are the 32-bit address; IPv6 keys are the top 64 bits (the routing prefix: networks
// are announced and geolocated at /64 or shorter, and one host roams inside its /64). Each range carries one
// uint32 value (an ASN, or a row index into the caller's records). Memory: 12 bytes per IPv4 range, 20 per IPv6.
import { isIPv4, isIPv6 } from 'node:net';
import { expandV6, v4ToInt } from '../core/ip.js';

/** A range before packing: inclusive bounds as bigint keys (v4: the address, v6: the top 64 bits). */
export interface RawRange {
  start: bigint;
  end: bigint;
  value: number;
}

/** "no value" in the packed value arrays */
const NONE = 0xffffffff;

export type IpKey = { v: 4; key: number } | { v: 6; key: bigint };

/** The lookup key of a clean IP, or undefined for anything else. */
export function ipKeyOf(ip: string): IpKey | undefined {
  if (isIPv4(ip)) return { v: 4, key: v4ToInt(ip) };
  if (isIPv6(ip)) {
    const g = expandV6(ip);
    if (!g) return undefined;
    return { v: 6, key: (BigInt(g[0]!) << 48n) | (BigInt(g[1]!) << 32n) | (BigInt(g[2]!) << 16n) | BigInt(g[3]!) };
  }
  return undefined;
}

/** Bounds of a CIDR ("203.0.113.0/24", "2001:db8::/48") as keys; IPv6 prefixes longer than /64 widen to the /64. */
export function cidrBounds(cidr: string): { v: 4 | 6; start: bigint; end: bigint } | undefined {
  const slash = cidr.indexOf('/');
  const base = slash < 0 ? cidr : cidr.slice(0, slash);
  const bitsText = slash < 0 ? undefined : cidr.slice(slash + 1);
  const k = ipKeyOf(base.trim());
  if (!k) return undefined;
  const width = k.v === 4 ? 32 : 64;
  let bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > (k.v === 4 ? 32 : 128)) return undefined;
  bits = Math.min(bits, width);
  const key = BigInt(k.key);
  const hostBits = BigInt(width - bits);
  const start = (key >> hostBits) << hostBits;
  const end = start | ((1n << hostBits) - 1n);
  return { v: k.v, start, end };
}

/** An IPv4 range bound written as an address ("1.0.0.0") or a number ("16777216"); undefined otherwise. */
export function bound4(text: string): number | undefined {
  const s = text.trim();
  if (/^\d{1,10}$/.test(s)) {
    const n = Number(s);
    return n <= 0xffffffff ? n : undefined;
  }
  return isIPv4(s) ? v4ToInt(s) : undefined;
}

/** An IPv6 range bound as its top-64-bit key, written as an address ("2001:200::") or a 128-bit number. */
export function bound6(text: string): bigint | undefined {
  const s = text.trim();
  if (/^\d{1,39}$/.test(s)) {
    const n = BigInt(s);
    return n < 1n << 128n ? n >> 64n : undefined;
  }
  const k = isIPv6(s) ? ipKeyOf(s) : undefined;
  return k?.v === 6 ? k.key : undefined;
}

/**
 * Make ranges sorted and disjoint. Input already sorted and disjoint (the ip-location-db files) passes in one
 * linear check; otherwise nested ranges are split so the most specific range wins where they overlap (a /24
 * listed inside a /16 keeps its own value), and for crossing ranges the later-starting one wins.
 */
export function normalizeRanges(rs: RawRange[]): RawRange[] {
  let clean = true;
  for (let i = 1; i < rs.length && clean; i++) if (rs[i]!.start <= rs[i - 1]!.end) clean = false;
  if (clean) return rs;
  const sorted = [...rs].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.end > b.end ? -1 : a.end < b.end ? 1 : 0));
  const out: RawRange[] = [];
  const stack: RawRange[] = [];
  let pos = -1n;
  const emit = (start: bigint, end: bigint, value: number): void => {
    if (start > end) return;
    const last = out[out.length - 1];
    if (last && last.value === value && last.end + 1n === start) last.end = end;
    else out.push({ start, end, value });
  };
  const closeBefore = (limit: bigint): void => {
    // close every open range that ends before `limit`, innermost first
    while (stack.length && stack[stack.length - 1]!.end < limit) {
      const top = stack.pop()!;
      emit(pos > top.start ? pos : top.start, top.end, top.value);
      pos = top.end + 1n;
    }
  };
  for (const r of sorted) {
    closeBefore(r.start);
    const top = stack[stack.length - 1];
    if (top) emit(pos > top.start ? pos : top.start, r.start - 1n, top.value);
    pos = r.start;
    stack.push(r);
  }
  closeBefore(1n << 128n);
  return out;
}

/** Collects ranges into growable typed arrays; `build()` packs them (normalizing only when needed). */
export class RangeBuilder {
  s4: Uint32Array;
  e4: Uint32Array;
  v4: Uint32Array;
  n4 = 0;
  s6: BigUint64Array;
  e6: BigUint64Array;
  v6: Uint32Array;
  n6 = 0;

  /** initial capacities (they grow as needed) */
  constructor(cap4 = 1024, cap6 = 256) {
    this.s4 = new Uint32Array(Math.max(1, cap4));
    this.e4 = new Uint32Array(Math.max(1, cap4));
    this.v4 = new Uint32Array(Math.max(1, cap4));
    this.s6 = new BigUint64Array(Math.max(1, cap6));
    this.e6 = new BigUint64Array(Math.max(1, cap6));
    this.v6 = new Uint32Array(Math.max(1, cap6));
  }

  /** Make room for at least `n4` more IPv4 and `n6` more IPv6 ranges. */
  reserve(n4: number, n6: number): void {
    if (this.n4 + n4 > this.s4.length) [this.s4, this.e4, this.v4] = [grow(this.s4, this.n4 + n4), grow(this.e4, this.n4 + n4), grow(this.v4, this.n4 + n4)];
    if (this.n6 + n6 > this.s6.length) [this.s6, this.e6, this.v6] = [grow(this.s6, this.n6 + n6), grow(this.e6, this.n6 + n6), grow(this.v6, this.n6 + n6)];
  }

  add4(start: number, end: number, value: number): void {
    if (this.n4 === this.s4.length) [this.s4, this.e4, this.v4] = [grow(this.s4), grow(this.e4), grow(this.v4)];
    this.s4[this.n4] = start;
    this.e4[this.n4] = end;
    this.v4[this.n4++] = value;
  }

  add6(start: bigint, end: bigint, value: number): void {
    if (this.n6 === this.s6.length) [this.s6, this.e6, this.v6] = [grow(this.s6), grow(this.e6), grow(this.v6)];
    this.s6[this.n6] = start;
    this.e6[this.n6] = end;
    this.v6[this.n6++] = value;
  }

  /** Add a CIDR ("203.0.113.0/24", "2001:db8:1::/48"); false when it is not one. */
  addCidr(cidr: string, value: number): boolean {
    const b = cidrBounds(cidr);
    if (!b) return false;
    if (b.v === 4) this.add4(Number(b.start), Number(b.end), value);
    else this.add6(b.start, b.end, value);
    return true;
  }

  get count(): number {
    return this.n4 + this.n6;
  }

  /** The packed table, in arrays of exactly the ranges' length (the builder's spare capacity is not kept). */
  build(): IpRangeTable {
    let s4 = this.s4.subarray(0, this.n4), e4 = this.e4.subarray(0, this.n4), v4 = this.v4.subarray(0, this.n4);
    if (!disjoint(s4, e4)) {
      const b = new RangeBuilder(this.n4 + 64, 1);
      fixOverlaps(s4, e4, v4, (s, e, v) => b.add4(Number(s), Number(e), v));
      [s4, e4, v4] = [b.s4.subarray(0, b.n4), b.e4.subarray(0, b.n4), b.v4.subarray(0, b.n4)];
    }
    let s6 = this.s6.subarray(0, this.n6), e6 = this.e6.subarray(0, this.n6), v6 = this.v6.subarray(0, this.n6);
    if (!disjoint(s6, e6)) {
      const b = new RangeBuilder(1, this.n6 + 64);
      fixOverlaps(s6, e6, v6, (s, e, v) => b.add6(BigInt(s), BigInt(e), v));
      [s6, e6, v6] = [b.s6.subarray(0, b.n6), b.e6.subarray(0, b.n6), b.v6.subarray(0, b.n6)];
    }
    return new IpRangeTable(exact(s4), exact(e4), exact(v4), exact(s6), exact(e6), exact(v6));
  }
}

/**
 * Sorted, disjoint ranges from mostly-clean input: ranges are ordered by start (outer first), cut into runs of
 * mutually overlapping ranges, and only those runs go through normalizeRanges (real tables have a few dozen).
 */
function fixOverlaps(
  s: Uint32Array | BigUint64Array,
  e: Uint32Array | BigUint64Array,
  v: Uint32Array,
  emit: (start: number | bigint, end: number | bigint, value: number) => void,
): void {
  const n = s.length;
  // sorted by start, longer first among equal starts (the shipped tables are): no index array needed
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (s[i]! < s[i - 1]! || (s[i] === s[i - 1] && e[i]! > e[i - 1]!)) sorted = false;
  let order: number[] | undefined;
  if (!sorted) {
    order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (s[a]! < s[b]! ? -1 : s[a]! > s[b]! ? 1 : e[a]! > e[b]! ? -1 : e[a]! < e[b]! ? 1 : 0));
  }
  let run: number[] = [];
  let runEnd: number | bigint = -1;
  const flush = (): void => {
    if (run.length === 1) emit(s[run[0]!]!, e[run[0]!]!, v[run[0]!]!);
    else if (run.length > 1) {
      const rs = run.map((i) => ({ start: BigInt(s[i]!), end: BigInt(e[i]!), value: v[i]! }));
      for (const r of normalizeRanges(rs)) emit(r.start, r.end, r.value);
    }
    run = [];
  };
  for (let k = 0; k < n; k++) {
    const i = order ? order[k]! : k;
    if (s[i]! > runEnd) flush();
    run.push(i);
    if (e[i]! > runEnd) runEnd = e[i]!;
  }
  flush();
}

/** The array itself when it fills its buffer, else a copy of that length (spare capacity is not kept). */
function exact<T extends Uint32Array | BigUint64Array>(a: T): T {
  return (a.byteLength === a.buffer.byteLength ? a : a.slice()) as T;
}

function grow<T extends Uint32Array | BigUint64Array>(a: T, size = a.length * 2): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a as never);
  return b;
}

function disjoint(s: Uint32Array | BigUint64Array, e: Uint32Array | BigUint64Array): boolean {
  for (let i = 1; i < s.length; i++) if (s[i]! <= e[i - 1]!) return false;
  return true;
}

/** The packed table: binary search over range starts, then a bound check on the end. */
export class IpRangeTable {
  constructor(
    private readonly v4s: Uint32Array,
    private readonly v4e: Uint32Array,
    private readonly v4v: Uint32Array,
    private readonly v6s: BigUint64Array,
    private readonly v6e: BigUint64Array,
    private readonly v6v: Uint32Array,
  ) {}
  get size(): { v4: number; v6: number } {
    return { v4: this.v4s.length, v6: this.v6s.length };
  }

  /** The value of the range holding `ip` (a clean IP), or undefined. */
  lookup(ip: string): number | undefined {
    const k = ipKeyOf(ip);
    if (!k) return undefined;
    return k.v === 4 ? this.find4(k.key) : this.find6(k.key);
  }

  private find4(key: number): number | undefined {
    const s = this.v4s;
    let lo = 0, hi = s.length - 1, at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= key) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at < 0 || this.v4e[at]! < key) return undefined;
    const v = this.v4v[at]!;
    return v === NONE ? undefined : v;
  }

  private find6(key: bigint): number | undefined {
    const s = this.v6s;
    let lo = 0, hi = s.length - 1, at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= key) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (at < 0 || this.v6e[at]! < key) return undefined;
    const v = this.v6v[at]!;
    return v === NONE ? undefined : v;
  }
}
