// ASN enrichment: IP -> autonomous system from an offline range table (the @ip-location-db/asn CSV files, or a
// network table of your own), and what kind of network an ASN is: VPN / SASE egress (the address says nothing
// about where the user is), hosting / cloud (typical attacker infrastructure), mobile carrier (geolocation of
// carrier-grade NAT is coarse). Default lists below; config and network tables extend them.
import { countLines, eachLine, eachLineOfFile, splitCsvLine } from './csv-line.js';
import { RangeBuilder, bound4, bound6, type IpRangeTable } from './ranges.js';

export type AsnKind = 'vpn' | 'hosting' | 'mobile';

export interface AsnDb {
  asn(ip: string): number | undefined;
  /** the registered organisation name, when the table has it */
  name(asn: number): string | undefined;
}

// Default lists. Organisation names are as registered (RouteViews / RIR data with DB-IP ASN Lite names, shipped
// in @ip-location-db/asn 2.3.2026061719), checked when the list was written. Keep them to networks whose address
// is not the user's location (vpn), that rent servers to anyone (hosting) or that are mainly mobile (mobile).

/** VPN, SASE and secure-web-gateway egress: the sign-in's address is the provider's PoP, not the user. */
export const DEFAULT_VPN_ASNS: Readonly<Record<number, string>> = {
  // SASE / secure web gateways
  22616: 'ZSCALER, INC.',
  53813: 'ZSCALER, INC.',
  53444: 'ZSCALER, INC.',
  62907: 'ZSCALER, INC.',
  62044: 'Zscaler Switzerland GmbH',
  55256: 'Netskope Inc',
  13335: 'Cloudflare, Inc. (WARP / Zero Trust egress; also CDN)',
  209242: 'Cloudflare London, LLC (WARP egress)',
  54538: 'PALO ALTO NETWORKS (Prisma Access; most Prisma egress is in Google Cloud / AWS, list those IPs in allowlists.trustedIps)',
  36692: 'Cisco OpenDNS, LLC (Cisco Umbrella)',
  25605: 'Cisco OpenDNS, LLC (Cisco Umbrella)',
  137922: 'IBOSS Inc.',
  202276: 'IBOSS, INC',
  396253: 'iboss,inc',
  44444: 'Forcepoint UK Limited',
  13448: 'Forcepoint LLC',
  43251: 'Forcepoint Overseas Limited',
  62654: 'MENLO SECURITY, INC.',
  13150: 'CATO NETWORKS LTD',
  138627: 'Cato Networks, Inc.',
  14600: 'SKYHIGH SECURITY LLC',
  133374: 'Versa Networks Inc',
  400318: 'Versa Networks, Inc.',
  213176: 'CHECK POINT SSE SOLUTIONS LTD (Harmony SASE, formerly Perimeter 81)',
  // commercial VPNs with their own networks (most others rent servers from the hosting networks listed below)
  39351: '31173 Services AB (Mullvad)',
  216025: 'Mullvad VPN AB',
  62371: 'Proton AG',
  209103: 'Proton AG',
  199218: 'Proton AG',
  208172: 'Proton AG',
  203619: 'IVPN Limited',
  397540: 'Windscribe',
};

/** Hosting and cloud networks: anyone can rent an address there (AiTM proxies, token replay, password spraying). */
export const DEFAULT_HOSTING_ASNS: Readonly<Record<number, string>> = {
  16509: 'Amazon.com, Inc.',
  14618: 'Amazon.com, Inc.',
  8075: 'Microsoft Corporation (Azure)',
  15169: 'Google LLC',
  396982: 'Google LLC (Google Cloud)',
  31898: 'Oracle Corporation',
  45102: 'Alibaba (US) Technology Co., Ltd.',
  132203: 'Shenzhen Tencent Computer Systems Company Limited',
  14061: 'DigitalOcean, LLC',
  16276: 'OVH SAS',
  24940: 'Hetzner Online GmbH',
  63949: 'Akamai Technologies, Inc. (Linode)',
  20473: 'The Constant Company, LLC (Vultr)',
  9009: 'M247 Europe SRL',
  60068: 'Datacamp Limited',
  212238: 'Datacamp Limited',
  60781: 'LeaseWeb Netherlands B.V.',
  28753: 'Leaseweb Deutschland GmbH',
  7203: 'Leaseweb USA, Inc.',
  51167: 'Contabo GmbH',
  12876: 'Scaleway SAS',
  8560: 'IONOS SE',
  53667: 'FranTech Solutions',
  136787: 'PacketHub S.A.',
  207137: 'PacketHub S.A.',
  47583: 'Hostinger International Limited',
  62240: 'Clouvider Limited',
  49453: 'Global Layer B.V.',
  202425: 'IP Volume inc',
  40065: 'CNSERVERS LLC',
};

/** Mainly-mobile carriers: addresses sit behind carrier-grade NAT and geolocate to a gateway city, not the user. */
export const DEFAULT_MOBILE_ASNS: Readonly<Record<number, string>> = {
  21928: 'T-Mobile USA, Inc.',
  22140: 'T-Mobile USA, Inc.',
  6167: 'Verizon Business (Verizon Wireless)',
  20057: 'AT&T Enterprises, LLC (AT&T Mobility)',
  25135: 'Vodafone Limited (UK mobile)',
  35228: 'Telefonica UK Limited (O2)',
  206067: 'Hutchison 3G UK Limited (Three)',
  6805: 'Telefonica Germany GmbH & Co.OHG (O2)',
  51207: 'Free Mobile SAS',
  55836: 'Reliance Jio Infocomm Limited',
  45609: 'Bharti Airtel Limited',
  45271: 'Vodafone Idea Ltd. (VIL)',
  38266: 'Vodafone Idea Ltd. (VIL)',
  9605: 'NTT DOCOMO, INC.',
  26615: 'TIM S/A',
  45727: 'PT Indosat Ooredoo Hutchison',
  132199: 'Globe Telecom Inc.',
};

export interface AsnKindLists {
  vpn?: Iterable<number>;
  hosting?: Iterable<number>;
  mobile?: Iterable<number>;
}

/**
 * What kind of network an ASN is: the defaults above plus `extra` (config, network tables). An ASN listed as a
 * VPN anywhere is a VPN (it decides "this address is no location"), then mobile, then hosting.
 */
export function asnClassifier(extra: AsnKindLists = {}, defaults = true): (asn?: number) => AsnKind | undefined {
  const vpn = new Set<number>(defaults ? Object.keys(DEFAULT_VPN_ASNS).map(Number) : []);
  const mobile = new Set<number>(defaults ? Object.keys(DEFAULT_MOBILE_ASNS).map(Number) : []);
  const hosting = new Set<number>(defaults ? Object.keys(DEFAULT_HOSTING_ASNS).map(Number) : []);
  for (const a of extra.vpn ?? []) vpn.add(a);
  for (const a of extra.mobile ?? []) mobile.add(a);
  for (const a of extra.hosting ?? []) hosting.add(a);
  return (asn) => {
    if (asn === undefined) return undefined;
    if (vpn.has(asn)) return 'vpn';
    if (mobile.has(asn)) return 'mobile';
    if (hosting.has(asn)) return 'hosting';
    return undefined;
  };
}

/** The name a default list gives an ASN (used when no table with names is loaded). */
export function defaultAsnName(asn: number): string | undefined {
  return DEFAULT_VPN_ASNS[asn] ?? DEFAULT_HOSTING_ASNS[asn] ?? DEFAULT_MOBILE_ASNS[asn];
}

export interface ParsedAsnCsv {
  ranges: RangeBuilder;
  /** organisation names (the first one seen per ASN); `names.build()` packs them */
  names: AsnNamesBuilder;
  /** lines that could not be read (1-based), at most 20 kept */
  bad: number[];
  badCount: number;
}

/** `names`: the table of files parsed before (its ASNs keep their names; only new ASNs are collected). */
export function emptyAsnCsv(names?: AsnNameTable): ParsedAsnCsv {
  return { ranges: new RangeBuilder(), names: new AsnNamesBuilder(names), bad: [], badCount: 0 };
}

export interface AsnCsvOptions {
  /** the file is the IPv6 one (numeric bounds are 128-bit) */
  v6?: boolean;
  into?: ParsedAsnCsv;
}

/**
 * Parse the ip-location-db ASN CSV ("ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization",
 * no header; bounds as addresses or as numbers).
 */
export function parseAsnCsv(text: string, opts: AsnCsvOptions = {}): ParsedAsnCsv {
  const out = opts.into ?? emptyAsnCsv();
  eachLine(text, (line, no) => parseAsnLine(line, no, out, opts.v6 ?? false));
  return out;
}

/**
 * parseAsnCsv over a file read in chunks. The shipped IPv4 table is 21 MB / 412 k lines: lines of plain numbers
 * are read from the bytes (no string per line), strings are made only for new organisation names, and anything
 * else (addresses as bounds, quotes in the first fields, a header, a bad line) goes through the string parser.
 */
export function parseAsnFile(file: string, opts: AsnCsvOptions = {}): ParsedAsnCsv {
  const out = opts.into ?? emptyAsnCsv();
  const v6File = opts.v6 ?? false;
  // one allocation of the range arrays at their final size, not a series of doublings
  const lines = countLines(file) + 1;
  out.ranges.reserve(v6File ? 0 : lines, v6File ? lines : 0);
  const limbs = new Float64Array(4);
  eachLineOfFile(file, (buf, start, end, no) => {
    const c1 = buf.indexOf(44, start), c2 = c1 < 0 ? -1 : buf.indexOf(44, c1 + 1), c3 = c2 < 0 ? -1 : buf.indexOf(44, c2 + 1);
    const asnEnd = c3 >= 0 && c3 < end ? c3 : end;
    const asn = c2 >= 0 && c2 < end ? digits(buf, c2 + 1, asnEnd) : -1;
    let ok = asn > 0 && asn < 0xffffffff;
    if (ok && v6File) {
      const s = top64(buf, start, c1, limbs), e = top64(buf, c1 + 1, c2, limbs);
      ok = s !== undefined && e !== undefined && e >= s;
      if (ok) out.ranges.add6(s!, e!, asn);
    } else if (ok) {
      const s = digits(buf, start, c1), e = digits(buf, c1 + 1, c2);
      ok = s >= 0 && e >= s && e <= 0xffffffff;
      if (ok) out.ranges.add4(s, e, asn);
    }
    if (!ok) {
      const line = buf.toString('utf8', start, end);
      return line.trim() === '' ? undefined : parseAsnLine(line, no, out, v6File);
    }
    if (asnEnd < end && !out.names.has(asn)) {
      const name = buf[asnEnd + 1] === 34 ? (splitCsvLine(buf.toString('utf8', asnEnd + 1, end))[0] ?? '') : buf.toString('utf8', asnEnd + 1, end);
      if (name) out.names.add(asn, name);
    }
  });
  return out;
}

/** A decimal number of 1-10 digits in buf[start, end), or -1. */
function digits(buf: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 10) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** The top 64 bits of a 128-bit decimal number in buf[start, end) (an IPv6 bound as ip-location-db writes it). */
function top64(buf: Buffer, start: number, end: number, limbs: Float64Array): bigint | undefined {
  if (end <= start || end - start > 39) return undefined;
  limbs.fill(0);
  for (let i = start; i < end; i++) {
    let carry = buf[i]! - 48;
    if (carry < 0 || carry > 9) return undefined;
    // four 32-bit limbs, least significant first; limb * 10 + carry stays below 2^36
    for (let k = 0; k < 4; k++) {
      const v = limbs[k]! * 10 + carry;
      carry = Math.floor(v / 4294967296);
      limbs[k] = v - carry * 4294967296;
    }
    if (carry) return undefined; // >= 2^128
  }
  return (BigInt(limbs[3]!) << 32n) | BigInt(limbs[2]!);
}

function parseAsnLine(line: string, no: number, out: ParsedAsnCsv, v6File: boolean): void {
  // fast path: the first three fields are never quoted
  const c1 = line.indexOf(','), c2 = line.indexOf(',', c1 + 1), c3 = line.indexOf(',', c2 + 1);
  if (c1 < 0 || c2 < 0) return bad(out, no);
  const a = line.slice(0, c1), b = line.slice(c1 + 1, c2);
  const asn = Number(c3 < 0 ? line.slice(c2 + 1) : line.slice(c2 + 1, c3));
  const okAsn = Number.isInteger(asn) && asn > 0 && asn < 0xffffffff;
  if (v6File || a.includes(':')) {
    const s = bound6(a), e = bound6(b);
    if (s === undefined || e === undefined || e < s || !okAsn) return header(line, a, no, out);
    out.ranges.add6(s, e, asn);
  } else {
    const s = bound4(a), e = bound4(b);
    if (s === undefined || e === undefined || e < s || !okAsn) return header(line, a, no, out);
    out.ranges.add4(s, e, asn);
  }
  if (c3 >= 0 && !out.names.has(asn)) {
    const rest = line.slice(c3 + 1);
    const name = rest.startsWith('"') ? (splitCsvLine(rest)[0] ?? '') : rest;
    if (name) out.names.add(asn, name);
  }
}

/** A first line with letters in its first field is a header, not an error. */
function header(_line: string, first: string, no: number, out: ParsedAsnCsv): void {
  if (no === 1 && /[g-z]/i.test(first)) return;
  bad(out, no);
}

function bad(out: ParsedAsnCsv, no: number): void {
  out.badCount++;
  if (out.bad.length < 20) out.bad.push(no);
}

/**
 * ASN -> organisation name, packed for ~90 k ASNs: the ASNs sorted in a Uint32Array, each pointing to its name
 * in a deduplicated list, whose names are joined into one string with their start offsets (~3 MB, instead of
 * ~90 k Map entries and strings). Built by AsnNamesBuilder.
 */
export class AsnNameTable {
  constructor(
    /** sorted */
    readonly asns: Uint32Array,
    /** per ASN, the index of its name */
    readonly nameOf: Uint32Array,
    /** name k is text[starts[k], starts[k + 1]) */
    readonly starts: Uint32Array,
    readonly text: string,
  ) {}

  get size(): number {
    return this.asns.length;
  }

  /** how many distinct names */
  get nameCount(): number {
    return this.starts.length - 1;
  }

  has(asn: number): boolean {
    return this.find(asn) >= 0;
  }

  get(asn: number): string | undefined {
    const i = this.find(asn);
    if (i < 0) return undefined;
    const k = this.nameOf[i]!;
    return this.text.slice(this.starts[k]!, this.starts[k + 1]!);
  }

  private find(asn: number): number {
    const a = this.asns;
    let lo = 0, hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = a[mid]!;
      if (v === asn) return mid;
      if (v < asn) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/**
 * Collects names while a file is parsed: the first name seen per ASN, each distinct name once. On top of an
 * existing table (the other address family's file), ASNs it names are skipped and the new ones are added.
 */
export class AsnNamesBuilder {
  private readonly nameIndex = new Map<number, number>();
  private readonly distinct = new Map<string, number>();
  private readonly list: string[] = [];

  constructor(private readonly prev?: AsnNameTable) {}

  has(asn: number): boolean {
    return this.nameIndex.has(asn) || (this.prev?.has(asn) ?? false);
  }

  /** Record `name` for `asn` unless the ASN has one already. */
  add(asn: number, name: string): void {
    if (this.has(asn)) return;
    let k = this.distinct.get(name);
    if (k === undefined) {
      k = this.list.length;
      this.list.push(name);
      this.distinct.set(name, k);
    }
    this.nameIndex.set(asn, k);
  }

  /** The packed table: the previous one's entries plus the new ones (a name new here is stored again). */
  build(): AsnNameTable {
    const prev = this.prev;
    const base = prev ? prev.nameCount : 0;
    const added = Uint32Array.from(this.nameIndex.keys()).sort();
    const n0 = prev ? prev.size : 0;
    const asns = new Uint32Array(n0 + added.length);
    const nameOf = new Uint32Array(asns.length);
    // merge two sorted lists (they share no ASN)
    for (let i = 0, j = 0, o = 0; o < asns.length; o++) {
      if (j >= added.length || (i < n0 && prev!.asns[i]! < added[j]!)) {
        asns[o] = prev!.asns[i]!;
        nameOf[o] = prev!.nameOf[i++]!;
      } else {
        asns[o] = added[j]!;
        nameOf[o] = base + this.nameIndex.get(added[j++]!)!;
      }
    }
    const starts = new Uint32Array(base + this.list.length + 1);
    if (prev) starts.set(prev.starts);
    const prevLen = prev ? prev.text.length : 0;
    for (let k = 0, at = prevLen; k < this.list.length; k++) starts[base + k + 1] = at += this.list[k]!.length;
    // join copies the names into one new string: nothing keeps the parsed lines alive
    return new AsnNameTable(asns, nameOf, starts, (prev ? prev.text : '') + this.list.join(''));
  }
}

/** An AsnDb over parsed ranges (packed: the parse-time builder and name map can be dropped). */
export function asnDbFrom(parsed: ParsedAsnCsv): AsnDb {
  return asnDbOver(parsed.ranges.build(), parsed.names.build());
}

export function asnDbOver(table: IpRangeTable, names: AsnNameTable): AsnDb {
  return { asn: (ip) => table.lookup(ip), name: (asn) => names.get(asn) };
}
