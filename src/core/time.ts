// Permissive timestamp parsing. Microsoft logs carry at least eight shapes (see docs/formats.md):
// ISO with 0-9 fractional digits and Z / offset / no zone, US-locale "M/d/yyyy h:mm:ss AM" with or without
// an offset, the Log Analytics portal's "M/d/yyyy, h:mm:ss.fff AM", OData v2 "/Date(ms)/", and epoch numbers.
// A value without a zone is UTC unless the caller passes a zone (`--tz` for locale CSV exports).

export interface TimeOptions {
  /** IANA zone name or a fixed offset like "+02:00" for values that carry no zone. Default UTC. */
  tz?: string;
  /** For d/m/y vs m/d/y slash dates: true when the export's locale writes the day first. */
  dayFirst?: boolean;
}

// hour may have one digit: Identity Protection writes "2023-10-26T5:32:08.107Z" (SEKOIA user_risk_detection_2)
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/;
const SLASH =
  /^(\d{1,2})([/.-])(\d{1,2})[/.-](\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const ODATA = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

function offsetMinutes(z: string): number {
  if (z === 'Z' || z === 'z') return 0;
  const sign = z[0] === '-' ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

function fracMs(frac: string | undefined): number {
  if (!frac) return 0;
  return Number((frac + '000').slice(0, 3));
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of an IANA zone (minutes east of UTC) at a given UTC instant. */
export function zoneOffsetMinutes(tz: string, utcMs: number): number {
  let f = zoneFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    zoneFormatters.set(tz, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!);
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

/** True when `tz` is a usable zone: a fixed offset or an IANA name this runtime knows. */
export function isValidZone(tz: string): boolean {
  if (/^(Z|UTC|[+-]\d{2}:?\d{2})$/i.test(tz)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function localToUtc(wallMs: number, tz: string | undefined): number {
  if (!tz || /^(Z|UTC)$/i.test(tz)) return wallMs;
  if (/^[+-]\d{2}:?\d{2}$/.test(tz)) return wallMs - offsetMinutes(tz) * 60000;
  // Two passes settle the offset around DST changes.
  let guess = wallMs - zoneOffsetMinutes(tz, wallMs) * 60000;
  guess = wallMs - zoneOffsetMinutes(tz, guess) * 60000;
  return guess;
}

/** Parse a timestamp to epoch ms UTC, or undefined when it isn't one. Never throws. */
export function parseTime(value: unknown, opts: TimeOptions = {}): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    // seconds, milliseconds or microseconds since the epoch, judged by magnitude
    if (value > 1e14) return Math.floor(value / 1000);
    if (value > 1e11) return value;
    if (value > 1e8) return value * 1000;
    return undefined;
  }
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (s === '') return undefined;
  const fast = isoFast(s, opts.tz);
  if (fast !== undefined) return fast;
  let m = ISO.exec(s);
  if (m) {
    const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0, fracMs(m[7]));
    if (!validParts(+m[2]!, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0)) return undefined;
    return m[8] ? wall - offsetMinutes(m[8]) * 60000 : localToUtc(wall, opts.tz);
  }
  m = SLASH.exec(s);
  if (m) {
    // "/" is the US order (month first) unless --day-first; "." and "-" are European (day first: 19.9.2023, 9-4-2025).
    // A date that can be read one way only is read that way whatever the order asked for (13/9 is day first,
    // 9/19 month first: a US export hunted with --day-first beside a European one keeps its unambiguous rows).
    let month = +m[1]!, day = +m[3]!;
    const dayFirst = opts.dayFirst || m[2] !== '/';
    if ((dayFirst && day <= 12) || month > 12) [month, day] = [day, month];
    let hour = +m[5]!;
    const ampm = m[9]?.toUpperCase();
    if (ampm) {
      if (hour < 1 || hour > 12) return undefined;
      if (ampm === 'PM' && hour !== 12) hour += 12;
      if (ampm === 'AM' && hour === 12) hour = 0;
    }
    const sec = m[7] ? +m[7] : 0;
    if (!validParts(month, day, hour, +m[6]!, sec)) return undefined;
    const wall = Date.UTC(+m[4]!, month - 1, day, hour, +m[6]!, sec, fracMs(m[8]));
    return m[10] ? wall - offsetMinutes(m[10]) * 60000 : localToUtc(wall, opts.tz);
  }
  m = ODATA.exec(s);
  if (m) return Number(m[1]);
  if (/^\d{10,16}$/.test(s)) return parseTime(Number(s));
  return undefined;
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};
const two = (s: string, i: number): number => {
  const a = digit(s, i), b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
};

/**
 * The common ISO shape read with character tests instead of the ISO regex: "yyyy-MM-ddTHH:mm:ss", an optional
 * fraction of 1-9 digits, then Z, ±HH:MM, ±HHMM or nothing. Anything else (and any invalid part) returns
 * undefined and is left to the regexes, so this only ever answers what they would.
 */
function isoFast(s: string, tz: string | undefined): number | undefined {
  const n = s.length;
  if (n < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const t = s.charCodeAt(10);
  if (t !== 84 && t !== 32) return undefined;
  const y1 = two(s, 0), y2 = two(s, 2), mo = two(s, 5), d = two(s, 8), h = two(s, 11), mi = two(s, 14), sec = two(s, 17);
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return undefined;
  let i = 19;
  let ms = 0;
  const sep = s.charCodeAt(i);
  if (sep === 46 || sep === 44) {
    let k = 0;
    for (i++; i < n && digit(s, i) >= 0; i++, k++) if (k < 3) ms += digit(s, i) * (k === 0 ? 100 : k === 1 ? 10 : 1);
    if (k < 1 || k > 9) return undefined;
  }
  let off = 0;
  let zoned = true;
  if (i === n) zoned = false;
  else {
    const z = s.charCodeAt(i);
    if ((z === 90 || z === 122) && i + 1 === n) off = 0;
    else if (z === 43 || z === 45) {
      const oh = two(s, i + 1);
      const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
      const om = two(s, i + 3 + colon);
      if (oh < 0 || om < 0 || i + 5 + colon !== n) return undefined;
      off = (z === 45 ? -1 : 1) * (oh * 60 + om);
    } else return undefined;
  }
  if (!validParts(mo, d, h, mi, sec)) return undefined;
  const wall = Date.UTC(y1 * 100 + y2, mo - 1, d, h, mi, sec, ms);
  return zoned ? wall - off * 60000 : localToUtc(wall, tz);
}

function validParts(month: number, day: number, hour: number, minute: number, second: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60;
}

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}

/** Parse "30d", "12h", "15m", "90s" or an absolute time into epoch ms (relative to `now`). */
export function parseSince(value: string, now: number): number | undefined {
  const rel = /^(\d+)\s*([smhdw])$/i.exec(value.trim());
  if (rel) {
    const unit = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[rel[2]!.toLowerCase() as 's'];
    return now - Number(rel[1]) * unit;
  }
  return parseTime(value);
}

/** Parse a duration like "15m", "24h", "90d" into ms. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return value;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 }[m[2]!.toLowerCase() as 's'];
  return Number(m[1]) * unit;
}
