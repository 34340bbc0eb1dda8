// Log Analytics / Sentinel table exports. The portal CSV names the zone in datetime headers
// ("TimeGenerated [UTC]", "CreatedDateTime [UTC]"); a non-UTC export ("[Local Time]", "[UTC+02:00]") needs `--tz`.
// Dynamic columns (Status, DeviceDetail, LocationDetails, TargetResources, ...) arrive as JSON text.
import { maybeJson } from '../../core/json.js';
import { parseTime } from '../../core/time.js';
import type { DecodeContext } from '../types.js';

/** Column name without the zone suffix: "TimeGenerated [UTC]" -> "TimeGenerated". */
export function baseColumn(header: string): string {
  return header.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
}

/** The zone a header names: 'UTC', an offset like '+02:00', 'local' (unknown zone), or undefined. */
export function headerZone(header: string): string | undefined {
  const m = /\[([^\]]*)\]\s*$/.exec(header);
  if (!m) return undefined;
  const z = m[1]!.trim();
  if (/^utc$/i.test(z)) return 'UTC';
  const off = /^UTC\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$/i.exec(z);
  if (off) return `${off[1]}${off[2]!.padStart(2, '0')}:${off[3] ?? '00'}`;
  return 'local';
}

/**
 * A CSV row as a Log Analytics record: keys without zone suffixes, JSON columns decoded.
 * Returns the zone problem instead when a datetime column is not UTC and no --tz was given.
 */
export function laRowFromCsv(
  row: Record<string, unknown>,
  header: string[],
  ctx: DecodeContext,
): { record: Record<string, unknown>; tz?: string } | { error: string } {
  const record: Record<string, unknown> = {};
  let tz: string | undefined;
  for (const h of header) {
    const z = headerZone(h);
    if (z && z !== 'UTC') {
      if (z === 'local' && !ctx.tz)
        return { error: `column "${h}" is in a local time zone; re-export in UTC or pass --tz <IANA zone or ±HH:MM>` };
      tz = z === 'local' ? ctx.tz : z;
    }
    const v = row[h];
    record[baseColumn(h)] = typeof v === 'string' ? maybeJson(v) : v;
  }
  return tz ? { record, tz } : { record };
}

/** Parse a Log Analytics time cell ("9/19/2023, 1:45:17.287 PM" or ISO) in the export's zone. */
export function laTime(v: unknown, tz: string | undefined, ctx: DecodeContext): number | undefined {
  return parseTime(v, { tz: tz ?? 'UTC', dayFirst: ctx.dayFirst });
}
