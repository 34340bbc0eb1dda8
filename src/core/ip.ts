// IP fields in Microsoft logs are not clean IPs: "1.2.3.4:12345", "[::1]:443", "::ffff:1.2.3.4", "<null>",
// hostnames, even "123.456.147.68" in Microsoft's own docs. cleanIp returns a valid IP (IPv6 compressed,
// lower-case) and the port when there was one, or undefined with the raw value left to the caller.
import { isIPv4, isIPv6 } from 'node:net';

export interface CleanIp {
  ip: string;
  port?: number;
  version: 4 | 6;
}

export function cleanIp(value: unknown): CleanIp | undefined {
  if (typeof value !== 'string') return undefined;
  let s = value.trim();
  if (isPlainV4(s)) return { ip: s, version: 4 };
  if (s === '' || s === '<null>' || s.toLowerCase() === 'null' || s === '-') return undefined;
  let port: number | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(s);
  if (bracket) {
    s = bracket[1]!;
    if (bracket[2]) port = Number(bracket[2]);
  } else {
    const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(s);
    if (v4port) {
      s = v4port[1]!;
      port = Number(v4port[2]);
    }
  }
  // zone index (fe80::1%eth0) carries no meaning across hosts
  const pct = s.indexOf('%');
  if (pct > 0) s = s.slice(0, pct);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(s);
  if (mapped) s = mapped[1]!;
  if (isIPv4(s)) return port === undefined ? { ip: s, version: 4 } : { ip: s, port, version: 4 };
  const v6 = v6Canonical(s);
  if (v6 !== null) {
    const ip = v6;
    return port === undefined ? { ip, version: 6 } : { ip, port, version: 6 };
  }
  // Elastic's edge case "::2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6" (a stray leading "::" on a full address)
  if (s.startsWith('::') && isIPv6(s.slice(2)) && s.slice(2).split(':').length === 8) {
    const ip = compressV6(s.slice(2));
    return port === undefined ? { ip, version: 6 } : { ip, port, version: 6 };
  }
  return undefined;
}

// IPv6 addresses repeat (a phone's address for hours, a host's for days) and their validation and RFC 5952
// form cost a few regexes and splits: remember the answer for recent spellings (bounded).
const V6 = new Map<string, string | null>();
function v6Canonical(s: string): string | null {
  let r = V6.get(s);
  if (r === undefined) {
    r = isIPv6(s) ? compressV6(s) : null;
    if (s.length <= 64) {
      if (V6.size >= 50_000) V6.clear();
      V6.set(s, r);
    }
  }
  return r;
}

/** A dotted quad as isIPv4 accepts it (0-255, no leading zeros), by character tests: the common case, fast. */
function isPlainV4(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let parts = 0, val = 0, len = 0, first = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (len === 0 || val > 255 || (len > 1 && first === 48)) return false;
      if (++parts > 4) return false;
      val = len = 0;
    } else if (c >= 48 && c <= 57) {
      if (len === 0) first = c;
      if (++len > 3) return false;
      val = val * 10 + (c - 48);
    } else return false;
  }
  return parts === 4;
}

/** Canonical RFC 5952 form so one address is one string. */
export function compressV6(addr: string): string {
  const groups = expandV6(addr);
  if (!groups) return addr.toLowerCase();
  const hex = groups.map((g) => g.toString(16));
  // longest run of zero groups (length >= 2) becomes "::"
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestStart < 0) return hex.join(':');
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

export function expandV6(addr: string): number[] | undefined {
  let s = addr.toLowerCase();
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const o = v4.slice(1, 5).map(Number);
    if (o.some((x) => x > 255)) return undefined;
    s = s.slice(0, v4.index) + ((o[0]! << 8) | o[1]!).toString(16) + ':' + ((o[2]! << 8) | o[3]!).toString(16);
  }
  const parts = s.split('::');
  if (parts.length > 2) return undefined;
  const head = parts[0] ? parts[0].split(':') : [];
  const rest = parts.length === 2 && parts[1] ? parts[1].split(':') : [];
  const fill = parts.length === 2 ? 8 - head.length - rest.length : 0;
  if (fill < 0) return undefined;
  const all = [...head, ...Array<string>(fill).fill('0'), ...rest].map((h) => (/^[0-9a-f]{1,4}$/.test(h) ? parseInt(h, 16) : NaN));
  if (all.length !== 8 || all.some((g) => !Number.isFinite(g))) return undefined;
  return all;
}

/** The /24 network of a dotted-quad IPv4 address ("203.0.113.0/24"). */
export function v4Prefix24(ip: string): string {
  return `${ip.slice(0, ip.lastIndexOf('.'))}.0/24`;
}

/** The /64 prefix of an IPv6 address ("2001:db8:1:2::/64"), used so one roaming host is one place. */
export function v6Prefix64(ip: string): string | undefined {
  // asked per event by several rules for the same few addresses: remembered (bounded)
  let r = PREFIX64.get(ip);
  if (r === undefined) {
    const g = expandV6(ip);
    r = g ? g.slice(0, 4).map((x) => x.toString(16)).join(':') + '::/64' : null;
    if (ip.length <= 64) {
      if (PREFIX64.size >= 50_000) PREFIX64.clear();
      PREFIX64.set(ip, r);
    }
  }
  return r ?? undefined;
}
const PREFIX64 = new Map<string, string | null>();

/** expandV6 for read-only use, remembered for recent addresses (bounded): never mutate the result. */
function groupsOf(ip: string): readonly number[] | undefined {
  let g = GROUPS.get(ip);
  if (g === undefined) {
    g = expandV6(ip) ?? null;
    if (ip.length <= 64) {
      if (GROUPS.size >= 50_000) GROUPS.clear();
      GROUPS.set(ip, g);
    }
  }
  return g ?? undefined;
}
const GROUPS = new Map<string, number[] | null>();

/** Numeric IPv4 for CIDR math. */
export function v4ToInt(ip: string): number {
  const o = ip.split('.').map(Number);
  return ((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!;
}

/** A dotted quad already known valid (isPlainV4) as a number, by character arithmetic. */
function plainV4Int(ip: string): number {
  let n = 0, part = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + part;
      part = 0;
    } else part = part * 10 + (c - 48);
  }
  return n * 256 + part;
}

interface ParsedCidr {
  /** base as a number when it is IPv4, its groups when it is IPv6 */
  v4?: number;
  v6?: number[];
  /** prefix length as written (NaN when not a number), undefined when absent */
  bits?: number;
}
// CIDRs come from a handful of lists (config allowlists, private ranges) and are checked per event: parse once.
const CIDRS = new Map<string, ParsedCidr | null>();
function parseCidr(cidr: string): ParsedCidr | null {
  const [base, bitsStr] = cidr.split('/');
  if (!base) return null;
  const bits = bitsStr === undefined ? undefined : Number(bitsStr);
  if (isIPv4(base)) return { v4: v4ToInt(base), bits };
  if (isIPv6(base)) {
    const g = expandV6(base);
    return g ? { v6: g, bits } : null;
  }
  return null;
}

/** Does `ip` fall inside `cidr` (v4 or v6)? Invalid input answers false. */
export function inCidr(ip: string, cidr: string): boolean {
  let c = CIDRS.get(cidr);
  if (c === undefined) {
    c = parseCidr(cidr);
    if (CIDRS.size >= 10_000) CIDRS.clear();
    CIDRS.set(cidr, c);
  }
  if (c === null) return false;
  if (c.v4 !== undefined) {
    if (!isPlainV4(ip)) return false;
    const bits = c.bits === undefined ? 32 : c.bits;
    if (!(bits >= 0 && bits <= 32)) return false;
    if (bits === 0) return true;
    const mask = (0xffffffff << (32 - bits)) >>> 0;
    return ((plainV4Int(ip) & mask) >>> 0) === ((c.v4 & mask) >>> 0);
  }
  if (isPlainV4(ip) || v6Canonical(ip) === null) return false;
  const a = groupsOf(ip), b = c.v6!;
  if (!a) return false;
  let bits = c.bits === undefined ? 128 : c.bits;
  if (!(bits >= 0 && bits <= 128)) return false;
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const m = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((a[i]! & m) !== (b[i]! & m)) return false;
  }
  return true;
}
