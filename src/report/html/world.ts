// The world outline behind the impossible-travel map: Natural Earth land (1:110m, public domain) as TopoJSON from the
// `world-atlas` npm package, decoded with `topojson-client`, projected equirectangularly into one SVG path.
// There is no build step, so the outline is computed at render time (once per process, then cached). When either
// package is missing the map is drawn without an outline; the legs and their labels are still there.
import { createRequire } from 'node:module';

/** The map's coordinate system: x = longitude + 180 (0..360), y = 90 - latitude (0..180). */
export const MAP_WIDTH = 360;
export const MAP_HEIGHT = 180;

export function project(lon: number, lat: number): [number, number] {
  return [lon + 180, 90 - lat];
}

type Position = number[]; // [lon, lat]
type Ring = Position[];
type Polygon = Ring[];

export interface WorldOutline {
  /** SVG path data (equirectangular, MAP_WIDTH x MAP_HEIGHT units); fill with fill-rule evenodd */
  path: string;
  /** where the data came from, shown under the map */
  source: string;
}

/** Why there is no outline, for the note under the map. */
export interface OutlineMissing {
  missing: string;
}

const fmt = (n: number) => {
  const r = Math.round(n * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
};

/** Make a ring's longitudes continuous (a stitched ring crossing the antimeridian jumps by ~360). */
function unwrap(ring: Ring): Ring {
  const out: Ring = [];
  let offset = 0;
  let prev: number | undefined;
  for (const p of ring) {
    const lon = p[0] ?? 0;
    if (prev !== undefined) {
      const d = lon + offset - prev;
      if (d > 180) offset -= 360;
      else if (d < -180) offset += 360;
    }
    const x = lon + offset;
    out.push([x, p[1] ?? 0]);
    prev = x;
  }
  return out;
}

function ringPath(ring: Ring, shift: number): string {
  let d = '';
  ring.forEach((p, i) => {
    const [x, y] = project((p[0] ?? 0) + shift, p[1] ?? 0);
    d += `${i === 0 ? 'M' : 'L'}${fmt(x)} ${fmt(y)}`;
  });
  return d + 'Z';
}

/**
 * SVG path data for land polygons. Rings that cross the antimeridian are unwrapped and drawn a second time shifted by
 * 360°, so the viewport clips them into both edges instead of drawing a band across the map; a ring that encircles
 * a pole (Antarctica) is closed along the pole.
 */
export function polygonsToPath(polygons: Polygon[]): string {
  const parts: string[] = [];
  for (const poly of polygons) {
    for (const raw of poly) {
      if (raw.length < 3) continue;
      let ring = unwrap(raw);
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (Math.abs((last[0] ?? 0) - (first[0] ?? 0)) > 180) {
        // encircles a pole: close it along the pole on the side the ring lies on
        const meanLat = ring.reduce((s, p) => s + (p[1] ?? 0), 0) / ring.length;
        const pole = meanLat < 0 ? -90 : 90;
        ring = [...ring, [last[0] ?? 0, pole], [first[0] ?? 0, pole]];
      }
      const lons = ring.map((p) => p[0] ?? 0);
      const min = Math.min(...lons);
      const max = Math.max(...lons);
      parts.push(ringPath(ring, 0));
      if (max > 180) parts.push(ringPath(ring, -360));
      if (min < -180) parts.push(ringPath(ring, 360));
    }
  }
  return parts.join('');
}

interface TopoClient {
  feature(topology: unknown, object: unknown): { type: string; features?: { geometry?: Geometry }[]; geometry?: Geometry };
}
interface Geometry {
  type: string;
  coordinates: unknown;
}

function geometryPolygons(g: Geometry | undefined): Polygon[] {
  if (!g) return [];
  if (g.type === 'Polygon') return [g.coordinates as Polygon];
  if (g.type === 'MultiPolygon') return g.coordinates as Polygon[];
  return [];
}

export type OutlineLoader = () => WorldOutline | OutlineMissing;

const ATLAS_FILE = 'world-atlas/land-110m.json';

/** Load world-atlas + topojson-client from node_modules (resolved from this file, like any dependency). */
export const loadFromNodeModules: OutlineLoader = () => {
  const req = createRequire(import.meta.url);
  let topology: { objects?: { land?: unknown } };
  let client: TopoClient;
  try {
    topology = req(ATLAS_FILE) as typeof topology;
  } catch {
    return { missing: 'the world-atlas package is not installed (npm install world-atlas), so the map has no coastline' };
  }
  try {
    client = req('topojson-client') as TopoClient;
  } catch {
    return { missing: 'the topojson-client package is not installed (npm install topojson-client), so the map has no coastline' };
  }
  try {
    const land = topology.objects?.land;
    if (!land) return { missing: `${ATLAS_FILE} has no "land" object, so the map has no coastline` };
    const f = client.feature(topology, land);
    const polygons = f.features ? f.features.flatMap((x) => geometryPolygons(x.geometry)) : geometryPolygons(f.geometry);
    return { path: polygonsToPath(polygons), source: 'Natural Earth 1:110m land (public domain), via world-atlas' };
  } catch (e) {
    return { missing: `could not read ${ATLAS_FILE} (${(e as Error).message}), so the map has no coastline` };
  }
};

let cached: WorldOutline | OutlineMissing | undefined;

/** The outline from the default loader, computed once per process. Pass a loader to bypass the cache (tests). */
export function worldOutline(loader?: OutlineLoader): WorldOutline | OutlineMissing {
  if (loader) return loader();
  cached ??= loadFromNodeModules();
  return cached;
}
