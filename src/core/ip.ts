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
  if (isIPv6(s)) {
    const ip = compressV6(s);
    return port === undefined ? { ip, version: 6 } : { ip, port, version: 6 };
  }
  // Elastic's edge case "::2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6" (a stray leading "::" on a full address)
  if (s.startsWith('::') && isIPv6(s.slice(2)) && s.slice(2).split(':').length === 8) {
    const ip = compressV6(s.slice(2));
    return port === undefined ? { ip, version: 6 } : { ip, port, version: 6 };
  }
  return undefined;
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

/** The /64 prefix of an IPv6 address ("2001:db8:1:2::/64"), used so one roaming host is one place. */
export function v6Prefix64(ip: string): string | undefined {
  const g = expandV6(ip);
  if (!g) return undefined;
  return g.slice(0, 4).map((x) => x.toString(16)).join(':') + '::/64';
}

/** Numeric IPv4 for CIDR math. */
export function v4ToInt(ip: string): number {
  const o = ip.split('.').map(Number);
  return ((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!;
}

/** Does `ip` fall inside `cidr` (v4 or v6)? Invalid input answers false. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsStr] = cidr.split('/');
  if (!base) return false;
  if (isIPv4(ip) && isIPv4(base)) {
    const bits = bitsStr === undefined ? 32 : Number(bitsStr);
    if (!(bits >= 0 && bits <= 32)) return false;
    if (bits === 0) return true;
    const mask = (0xffffffff << (32 - bits)) >>> 0;
    return ((v4ToInt(ip) & mask) >>> 0) === ((v4ToInt(base) & mask) >>> 0);
  }
  if (isIPv6(ip) && isIPv6(base)) {
    const a = expandV6(ip), b = expandV6(base);
    if (!a || !b) return false;
    let bits = bitsStr === undefined ? 128 : Number(bitsStr);
    if (!(bits >= 0 && bits <= 128)) return false;
    for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
      const m = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
      if ((a[i]! & m) !== (b[i]! & m)) return false;
    }
    return true;
  }
  return false;
}
