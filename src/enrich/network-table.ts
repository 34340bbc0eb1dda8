// A network table of your own: one CSV row per network with its ASN, organisation, kind and place. It serves as
// both a geo and an ASN database (offices and egress NATs with their real city, a lab's documentation ranges, the
// simulator's geo/networks.csv) and is looked up before the shipped databases. Format (header required, column
// names case-insensitive, any order, unknown columns ignored):
//   network | cidr | prefix            "203.0.113.0/24", "2001:db8:1::/48" (or ip_range_start + ip_range_end)
//   asn | autonomous_system_number     64500 or "AS64500"
//   org | autonomous_system_organization | as_organization
//   kind                               vpn | sase | swg -> VPN/SASE; hosting | cloud | datacenter; mobile | cellular
//   city, state, country (ISO alpha-2), latitude | lat, longitude | lon | lng
import type { Geo } from '../core/event.js';
import type { AsnDb, AsnKind } from './asn.js';
import { eachLine, splitCsvLine } from './csv-line.js';
import type { GeoDb } from './geo.js';
import { RangeBuilder, bound4, bound6, type IpRangeTable } from './ranges.js';

export interface NetworkRow {
  asn?: number;
  org?: string;
  kind?: AsnKind;
  /** the kind as written, e.g. "office", "isp" */
  kindText?: string;
  geo?: Geo;
}

export interface NetworkTable extends GeoDb, AsnDb {
  rows: NetworkRow[];
  /** the network's row for an IP */
  row(ip: string): NetworkRow | undefined;
  /** ASNs per kind, for the ASN classifier */
  kinds: { vpn: number[]; hosting: number[]; mobile: number[] };
}

export class NetworkTableError extends Error {}

const COLS: Record<string, readonly string[]> = {
  network: ['network', 'cidr', 'prefix', 'ip_range', 'range'],
  start: ['ip_range_start', 'start', 'first'],
  end: ['ip_range_end', 'end', 'last'],
  asn: ['asn', 'autonomous_system_number', 'as_number'],
  org: ['org', 'organization', 'organisation', 'autonomous_system_organization', 'as_organization', 'as_name'],
  kind: ['kind', 'type', 'network_type'],
  city: ['city'],
  state: ['state', 'state1', 'region'],
  country: ['country', 'country_code', 'countryorregion'],
  lat: ['latitude', 'lat'],
  lon: ['longitude', 'lon', 'lng'],
};

const KINDS: Record<string, AsnKind> = {
  vpn: 'vpn', sase: 'vpn', swg: 'vpn', ztna: 'vpn',
  hosting: 'hosting', cloud: 'hosting', datacenter: 'hosting', 'data center': 'hosting',
  mobile: 'mobile', cellular: 'mobile', carrier: 'mobile',
};

/** Parse a network table; throws NetworkTableError naming the file and line for anything it cannot use. */
export function parseNetworkTable(text: string, file = 'network table'): NetworkTable {
  const rows: NetworkRow[] = [];
  const ranges = new RangeBuilder();
  let col: Record<string, number> | undefined;
  const problems: string[] = [];
  eachLine(text, (line, no) => {
    const cells = splitCsvLine(line).map((c) => c.trim());
    if (!col) {
      col = {};
      const names = cells.map((c) => c.toLowerCase());
      for (const [k, aliases] of Object.entries(COLS)) {
        const i = names.findIndex((n) => aliases.includes(n));
        if (i >= 0) col[k] = i;
      }
      if (col.network === undefined && (col.start === undefined || col.end === undefined)) {
        throw new NetworkTableError(`${file}:${no}: the header needs a "network" (CIDR) column or "ip_range_start" and "ip_range_end"; got: ${cells.join(', ')}`);
      }
      return;
    }
    const get = (k: string): string | undefined => {
      const i = col![k];
      const v = i === undefined ? undefined : cells[i];
      return v === undefined || v === '' ? undefined : v;
    };
    const row = rowOf(get);
    if (typeof row === 'string') {
      if (problems.length < 5) problems.push(`${file}:${no}: ${row}`);
      return;
    }
    const idx = rows.length;
    let ok: boolean;
    const net = get('network');
    if (net) ok = ranges.addCidr(net, idx);
    else ok = addRange(ranges, get('start') ?? '', get('end') ?? '', idx);
    if (!ok) {
      if (problems.length < 5) problems.push(`${file}:${no}: not a CIDR or IP range: ${net ?? `${get('start')}-${get('end')}`}`);
      return;
    }
    rows.push(row);
  });
  if (problems.length) throw new NetworkTableError(`${problems.join('\n')}\nfix these lines (format: docs/enrichment.md#network-tables)`);
  return tableOf(rows, ranges.build());
}

function addRange(b: RangeBuilder, start: string, end: string, value: number): boolean {
  if (start.includes(':') || end.includes(':')) {
    const s = bound6(start), e = bound6(end);
    if (s === undefined || e === undefined || e < s) return false;
    b.add6(s, e, value);
    return true;
  }
  const s = bound4(start), e = bound4(end);
  if (s === undefined || e === undefined || e < s) return false;
  b.add4(s, e, value);
  return true;
}

function rowOf(get: (k: string) => string | undefined): NetworkRow | string {
  const row: NetworkRow = {};
  const asnText = get('asn');
  if (asnText) {
    const asn = Number(asnText.replace(/^AS/i, ''));
    if (!Number.isInteger(asn) || asn <= 0 || asn >= 0xffffffff) return `not an ASN: ${asnText}`;
    row.asn = asn;
  }
  const org = get('org');
  if (org) row.org = org;
  const kindText = get('kind')?.toLowerCase();
  if (kindText) {
    row.kindText = kindText;
    const k = KINDS[kindText];
    if (k) row.kind = k;
  }
  const geo: Geo = { from: 'db' };
  const city = get('city'), state = get('state'), country = get('country');
  if (city) geo.city = city;
  if (state) geo.state = state;
  if (country) geo.country = country.toUpperCase();
  const latText = get('lat'), lonText = get('lon');
  if (latText !== undefined || lonText !== undefined) {
    const lat = Number(latText), lon = Number(lonText);
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return `bad coordinates: ${latText},${lonText}`;
    geo.lat = lat;
    geo.lon = lon;
  }
  if (Object.keys(geo).length > 1) row.geo = geo;
  return row;
}

function tableOf(rows: NetworkRow[], table: IpRangeTable): NetworkTable {
  const names = new Map<number, string>();
  const kinds = { vpn: new Set<number>(), hosting: new Set<number>(), mobile: new Set<number>() };
  for (const r of rows) {
    if (r.asn === undefined) continue;
    if (r.org && !names.has(r.asn)) names.set(r.asn, r.org);
    if (r.kind) kinds[r.kind].add(r.asn);
  }
  const row = (ip: string): NetworkRow | undefined => {
    const i = table.lookup(ip);
    return i === undefined ? undefined : rows[i];
  };
  return {
    rows,
    row,
    geo: (ip) => row(ip)?.geo,
    asn: (ip) => row(ip)?.asn,
    name: (asn) => names.get(asn),
    kinds: { vpn: [...kinds.vpn], hosting: [...kinds.hosting], mobile: [...kinds.mobile] },
  };
}
