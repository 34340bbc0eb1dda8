// Geo enrichment: where an IP is, from the record when the log says so (Geo.from = 'record') or from an offline
// database (Geo.from = 'db': DB-IP City Lite as MMDB, or a network table of your own). Distances are great-circle
// (haversine). Rules that compare two places use `comparablePlaces`, which never mixes a record place with a
// database place: two geolocation sources disagree by tens to hundreds of km for the same address.
import { isIP } from 'node:net';
import type { Event, Geo } from '../core/event.js';
import { inCidr } from '../core/ip.js';
import { MmdbReader } from './mmdb.js';
import type { Enrichment } from './types.js';

export interface GeoDb {
  geo(ip: string): Geo | undefined;
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km between two coordinates. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Half the Earth's circumference: no two places are further apart. */
export const MAX_SURFACE_KM = Math.PI * EARTH_RADIUS_KM;

export type Located = Geo & { lat: number; lon: number };

export function hasCoords(g: Geo | undefined): g is Located {
  return g !== undefined && typeof g.lat === 'number' && typeof g.lon === 'number' && Number.isFinite(g.lat) && Number.isFinite(g.lon);
}

/** "Seattle, US" / "US" / "47.61,-122.33" for explanations. */
export function placeName(g: Geo | undefined): string {
  if (!g) return 'an unknown place';
  const parts = [g.city, g.country].filter((x): x is string => !!x);
  if (parts.length) return parts.join(', ');
  if (hasCoords(g)) return `${g.lat.toFixed(2)},${g.lon.toFixed(2)}`;
  return 'an unknown place';
}

/**
 * Two events' places from ONE source, ready for a distance: both from the records when both records carry
 * coordinates; otherwise both from the database when it knows both IPs (a record place is never set against a
 * database place). `undefined` when no common source has both.
 */
export function comparablePlaces(a: Event, b: Event, enrich: Pick<Enrichment, 'geo'>): { from: 'record' | 'db'; a: Located; b: Located } | undefined {
  const ra = a.actor.geo, rb = b.actor.geo;
  if (hasCoords(ra) && ra.from === 'record' && hasCoords(rb) && rb.from === 'record') return { from: 'record', a: ra, b: rb };
  if (!enrich.geo || !a.actor.ip || !b.actor.ip) return undefined;
  const da = enrich.geo(a.actor.ip), db = enrich.geo(b.actor.ip);
  if (hasCoords(da) && hasCoords(db)) return { from: 'db', a: da, b: db };
  return undefined;
}

/** An event's own place: the record's when it has coordinates, else the database's. */
export function placeOf(ev: Event, enrich: Pick<Enrichment, 'geo'>): Located | undefined {
  const r = ev.actor.geo;
  if (hasCoords(r) && r.from === 'record') return r;
  if (!ev.actor.ip || !enrich.geo) return undefined;
  const d = enrich.geo(ev.actor.ip);
  return hasCoords(d) ? d : undefined;
}

// --- DB-IP City Lite (MMDB) --------------------------------------------------------------------------------

/** A DB-IP city record as ip-location-db writes it: {country_code, state1, state2, city, postcode, latitude, longitude, timezone}. */
export function geoFromDbipRecord(v: unknown): Geo | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  const s = (k: string): string | undefined => (typeof r[k] === 'string' && r[k] !== '' ? (r[k] as string) : undefined);
  const n = (k: string): number | undefined => (typeof r[k] === 'number' && Number.isFinite(r[k]) ? Math.round((r[k] as number) * 1e4) / 1e4 : undefined);
  const g: Geo = { from: 'db' };
  const city = s('city'), state = s('state1'), country = s('country_code')?.toUpperCase(), lat = n('latitude'), lon = n('longitude');
  if (city) g.city = city;
  if (state) g.state = state;
  if (country) g.country = country;
  if (lat !== undefined && lon !== undefined && !(lat === 0 && lon === 0)) {
    g.lat = lat;
    g.lon = lon;
  }
  return Object.keys(g).length > 1 ? g : undefined;
}

/**
 * A GeoDb over one MMDB database per address family, each opened on its first lookup (a run that sees only IPv4
 * never opens the IPv6 file). `open` returns a reader (MmdbReader.open(file): read on demand, a few MB of memory)
 * or the file's bytes (tests).
 */
export function geoDbFromMmdb(files: { v4?: () => MmdbReader | Buffer; v6?: () => MmdbReader | Buffer }, toGeo = geoFromDbipRecord): GeoDb {
  const readers: { v4?: MmdbReader | null; v6?: MmdbReader | null } = {};
  const reader = (fam: 'v4' | 'v6'): MmdbReader | null => {
    let r = readers[fam];
    if (r === undefined) {
      const open = files[fam];
      const got = open ? open() : null;
      r = readers[fam] = got === null || got instanceof MmdbReader ? got : new MmdbReader(got);
    }
    return r;
  };
  return {
    geo: (ip) => {
      const r = reader(ip.includes(':') ? 'v6' : 'v4');
      return r ? toGeo(r.get(ip)) : undefined;
    },
  };
}

// --- addresses that are no place --------------------------------------------------------------------------

const NON_PUBLIC = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16',
  '224.0.0.0/3', '::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8',
];

/**
 * Not a private, loopback, link-local, CGNAT or multicast address: something a database could place. The
 * documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) count as public so
 * examples and tests behave like real addresses.
 */
export function isPublicIp(ip: string | undefined): boolean {
  if (!ip) return false;
  // several rules ask for every sign-in, and a tenant's addresses repeat: remember the answers (bounded)
  let p = PUBLIC.get(ip);
  if (p === undefined) {
    p = isIP(ip) !== 0 && !NON_PUBLIC.some((c) => inCidr(ip, c));
    if (PUBLIC.size >= 50_000) PUBLIC.clear();
    PUBLIC.set(ip, p);
  }
  return p;
}
const PUBLIC = new Map<string, boolean>();
