// The impossible-travel map: each leg as a great-circle arc on an equirectangular world (world.ts), zoomed to the
// legs, numbered to match the table under it. Geometry is computed here; only numbers reach SVG attributes, and
// place names are escaped text. Strokes do not scale with the zoom (vector-effect), font sizes and radii do.
import { escapeHtml } from '../../core/text.js';
import type { TravelLeg, TravelPoint } from '../types.js';
import { count, cut, list, num, v, visible, when } from './escape.js';
import { MAP_HEIGHT, MAP_WIDTH, project, worldOutline, type OutlineLoader } from './world.js';

const RAD = Math.PI / 180;

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
const validPoint = (p: TravelPoint | undefined): p is TravelPoint =>
  !!p && finite(p.lat) && finite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;

/** Points along the great circle from a to b as [lon, lat], longitudes unwrapped (continuous across ±180). */
export function greatCircle(a: { lat: number; lon: number }, b: { lat: number; lon: number }, steps = 48): [number, number][] {
  const vec = (p: { lat: number; lon: number }) => [Math.cos(p.lat * RAD) * Math.cos(p.lon * RAD), Math.cos(p.lat * RAD) * Math.sin(p.lon * RAD), Math.sin(p.lat * RAD)] as const;
  const va = vec(a);
  const vb = vec(b);
  const dot = Math.min(1, Math.max(-1, va[0] * vb[0] + va[1] * vb[1] + va[2] * vb[2]));
  const d = Math.acos(dot);
  const pts: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const f = i / steps;
    let lon: number;
    let lat: number;
    if (d < 1e-9 || Math.PI - d < 1e-6) {
      // same point, or antipodes (no unique great circle): straight line in the projection
      lon = a.lon + (b.lon - a.lon) * f;
      lat = a.lat + (b.lat - a.lat) * f;
    } else {
      const A = Math.sin((1 - f) * d) / Math.sin(d);
      const B = Math.sin(f * d) / Math.sin(d);
      const x = A * va[0] + B * vb[0];
      const y = A * va[1] + B * vb[1];
      const z = A * va[2] + B * vb[2];
      lat = Math.atan2(z, Math.sqrt(x * x + y * y)) / RAD;
      lon = Math.atan2(y, x) / RAD;
    }
    const prev = pts[pts.length - 1];
    if (prev) {
      while (lon - prev[0] > 180) lon -= 360;
      while (lon - prev[0] < -180) lon += 360;
    }
    pts.push([lon, lat]);
  }
  return pts;
}

interface View {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The part of the world to show: the legs' bounding box with a margin, 2:1, at least 40° wide, inside the map. */
export function viewFor(arcs: [number, number][][]): View {
  const world: View = { x: 0, y: 6, w: MAP_WIDTH, h: 150 }; // 84°N .. 66°S: the inhabited world
  const pts = arcs.flat();
  if (!pts.length || pts.some(([lon]) => lon < -180 || lon > 180)) return world;
  const xs = pts.map(([lon, lat]) => project(lon, lat)[0]);
  const ys = pts.map(([lon, lat]) => project(lon, lat)[1]);
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  const mx = Math.max(8, (x1 - x0) * 0.15);
  const my = Math.max(6, (y1 - y0) * 0.2);
  x0 -= mx; x1 += mx; y0 -= my; y1 += my;
  let w = Math.max(40, x1 - x0, (y1 - y0) * 2);
  if (w >= MAP_WIDTH * 0.75) return world;
  w = Math.min(w, MAP_WIDTH);
  const h = w / 2;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const x = Math.min(Math.max(cx - w / 2, 0), MAP_WIDTH - w);
  const y = Math.min(Math.max(cy - h / 2, 0), MAP_HEIGHT - h);
  return { x, y, w, h };
}

function arcPath(arc: [number, number][], shift: number): string {
  return arc.map(([lon, lat], i) => {
    const [x, y] = project(lon + shift, lat);
    return `${i ? 'L' : 'M'}${num(x)} ${num(y)}`;
  }).join('');
}

function placeName(p: TravelPoint): string {
  const city = typeof p.city === 'string' ? p.city : '';
  const country = typeof p.country === 'string' ? p.country : '';
  if (city && country) return `${city}, ${country}`;
  return city || country || (typeof p.ip === 'string' ? p.ip : '') || `${num(p.lat)}, ${num(p.lon)}`;
}

function svgText(s: string, max: number): string {
  const vis = visible(s);
  return escapeHtml(vis.length > max ? cut(vis, max - 1) + '…' : vis);
}

function graticule(view: View): string {
  const step = view.w > 180 ? 30 : view.w > 60 ? 10 : 5;
  let d = '';
  for (let lon = -180 + step; lon < 180; lon += step) d += `M${num(lon + 180)} 0V${MAP_HEIGHT}`;
  for (let lat = -90 + step; lat < 90; lat += step) d += `M0 ${num(90 - lat)}H${MAP_WIDTH}`;
  return `<path class="tw-grat" vector-effect="non-scaling-stroke" d="${d}"/>`;
}

export interface MapOptions {
  /** where the coastline comes from; false draws no outline (tests, or to keep the file small) */
  outline?: OutlineLoader | false;
}

/** The travel section body: map + legs table; '' when there are no legs with coordinates. */
export function renderTravel(legs: TravelLeg[], alertLink: (id: string) => string, opts: MapOptions = {}): string {
  const usable = list(legs).filter((l) => l && validPoint(l.from) && validPoint(l.to));
  if (!usable.length) return '';
  const arcs = usable.map((l) => greatCircle(l.from, l.to));
  const view = viewFor(arcs);
  const s = view.w / MAP_WIDTH; // 1 at world scale
  const sz = (k: number) => String(Math.round(k * s * 1000) / 1000); // sizes that follow the zoom
  const outline = opts.outline === false ? { missing: 'the map outline was turned off' } : worldOutline(opts.outline || undefined);
  const out: string[] = [];
  out.push(`<figure class="tw-map"><svg class="tw-svg" xmlns="http://www.w3.org/2000/svg" viewBox="${num(view.x)} ${num(view.y)} ${num(view.w)} ${num(view.h)}" width="1200" height="${num(1200 * view.h / view.w)}" role="img" aria-label="Map of ${usable.length} impossible-travel leg${usable.length === 1 ? '' : 's'}">`);
  out.push(`<rect class="tw-sea" x="0" y="0" width="${MAP_WIDTH}" height="${MAP_HEIGHT}"/>`);
  if ('path' in outline) out.push(`<path class="tw-land" vector-effect="non-scaling-stroke" d="${outline.path}"/>`);
  out.push(graticule(view));
  // one label per place, even when several legs start or end there
  const places = new Map<string, { x: number; y: number; name: string }>();
  usable.forEach((leg, i) => {
    const arc = arcs[i]!;
    const lons = arc.map(([lon]) => lon);
    const shifts = [0, ...(Math.max(...lons) > 180 ? [-360] : []), ...(Math.min(...lons) < -180 ? [360] : [])];
    for (const sh of shifts) out.push(`<path class="tw-leg" vector-effect="non-scaling-stroke" d="${arcPath(arc, sh)}"><title>${svgText(`Leg ${i + 1}: ${placeName(leg.from)} → ${placeName(leg.to)}`, 300)}</title></path>`);
    const [sx, sy] = project(leg.from.lon, leg.from.lat);
    const [ex, ey] = project(leg.to.lon, leg.to.lat);
    out.push(`<circle class="tw-leg-start" vector-effect="non-scaling-stroke" cx="${num(sx)}" cy="${num(sy)}" r="${sz(1.6)}"/>`);
    out.push(`<circle class="tw-leg-end" vector-effect="non-scaling-stroke" cx="${num(ex)}" cy="${num(ey)}" r="${sz(1.6)}"/>`);
    const mid = arc[Math.floor(arc.length / 2)]!;
    const [mxp, myp] = project(((mid[0] + 540) % 360) - 180, mid[1]); // the copy of the midpoint inside the map
    out.push(`<text class="tw-leg-label" x="${num(mxp)}" y="${num(myp - 1.6 * s)}" font-size="${sz(5.5)}" stroke-width="${sz(1.2)}" text-anchor="middle" font-weight="700">${i + 1}</text>`);
    for (const p of [leg.from, leg.to]) {
      const key = `${num(p.lon)},${num(p.lat)}`;
      const [x, y] = project(p.lon, p.lat);
      if (!places.has(key)) places.set(key, { x, y, name: placeName(p) });
    }
  });
  for (const p of places.values()) {
    out.push(`<text class="tw-leg-label" x="${num(p.x + 2 * s)}" y="${num(p.y + 3.6 * s)}" font-size="${sz(4.4)}" stroke-width="${sz(1)}">${svgText(p.name, 40)}</text>`);
  }
  out.push('</svg>');
  const note = 'path' in outline ? `Coastline: ${escapeHtml(outline.source)}.` : `No coastline: ${escapeHtml(outline.missing)}.`;
  out.push(`<figcaption>Equirectangular projection; arcs are great circles; hollow dot = earlier sign-in, filled dot = later one. ${note}</figcaption></figure>`);

  out.push('<table class="tw-legs"><thead><tr><th>#</th><th>Account</th><th>From</th><th>To</th><th class="tw-num">Distance</th><th class="tw-num">Speed</th><th>Alert</th></tr></thead><tbody>');
  usable.forEach((leg, i) => {
    const point = (p: TravelPoint) => `${v(placeName(p), 80)}<br><span class="tw-when">${escapeHtml(when(p.time))}</span>${p.ip ? ` <code>${v(p.ip, 60)}</code>` : ''}<br><span class="tw-muted">${num(p.lat)}, ${num(p.lon)}</span>`;
    const km = finite(leg.distanceKm) ? `${count(Math.round(leg.distanceKm))} km` : '—';
    const kmh = finite(leg.speedKmh) ? `${count(Math.round(leg.speedKmh))} km/h` : '—';
    out.push(`<tr><td class="tw-num">${i + 1}</td><td>${v(leg.user ?? '', 120)}</td><td>${point(leg.from)}</td><td>${point(leg.to)}</td><td class="tw-num">${km}</td><td class="tw-num">${kmh}</td><td>${alertLink(String(leg.alertId))}</td></tr>`);
  });
  out.push('</tbody></table>');
  const dropped = list(legs).length - usable.length;
  if (dropped > 0) out.push(`<p class="tw-muted">${dropped} leg${dropped === 1 ? '' : 's'} without valid coordinates not drawn.</p>`);
  return out.join('');
}
