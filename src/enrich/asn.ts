// ASN enrichment: IP -> autonomous system from an offline range table (the @ip-location-db/asn CSV files, or a
// network table of your own), and what kind of network an ASN is: VPN / SASE egress (the address says nothing
// about where the user is), hosting / cloud (typical attacker infrastructure), mobile carrier (geolocation of
// carrier-grade NAT is coarse). Default lists below; config and network tables extend them.
import { eachLine, splitCsvLine } from './csv-line.js';
import { RangeBuilder, bound4, bound6 } from './ranges.js';

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
  names: Map<number, string>;
  /** lines that could not be read (1-based), at most 20 kept */
  bad: number[];
  badCount: number;
}

export function emptyAsnCsv(): ParsedAsnCsv {
  return { ranges: new RangeBuilder(), names: new Map(), bad: [], badCount: 0 };
}

/**
 * Parse the ip-location-db ASN CSV ("ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization",
 * no header; bounds as addresses or as numbers). `v6` says the file is the IPv6 one (numeric bounds are 128-bit).
 */
export function parseAsnCsv(text: string, opts: { v6?: boolean; into?: ParsedAsnCsv } = {}): ParsedAsnCsv {
  const out = opts.into ?? emptyAsnCsv();
  eachLine(text, (line, no) => {
    // fast path: the first three fields are never quoted
    const c1 = line.indexOf(','), c2 = line.indexOf(',', c1 + 1), c3 = line.indexOf(',', c2 + 1);
    if (c1 < 0 || c2 < 0) return bad(out, no);
    const a = line.slice(0, c1), b = line.slice(c1 + 1, c2);
    const asn = Number(c3 < 0 ? line.slice(c2 + 1) : line.slice(c2 + 1, c3));
    const okAsn = Number.isInteger(asn) && asn > 0 && asn < 0xffffffff;
    const v6 = opts.v6 || a.includes(':');
    if (v6) {
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
      if (name) out.names.set(asn, name);
    }
  });
  return out;
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

/** An AsnDb over parsed ranges. */
export function asnDbFrom(parsed: ParsedAsnCsv): AsnDb {
  const table = parsed.ranges.build();
  return {
    asn: (ip) => table.lookup(ip),
    name: (asn) => parsed.names.get(asn),
  };
}
