// Time formatting in the exact shapes Microsoft writes (see /work/shared/samples/SCHEMA_NOTES.md §0.1).
// Every simulated instant is epoch ms plus `sub`, a 0..9999 count of 100 ns ticks below the millisecond, so
// seven-digit .NET fractions look real and stay deterministic.

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const p2 = (n: number) => String(n).padStart(2, '0');
const p3 = (n: number) => String(n).padStart(3, '0');
const p4 = (n: number) => String(n).padStart(4, '0');

function parts(ms: number) {
  const d = new Date(ms);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
  };
}

const datePart = (ms: number) => {
  const t = parts(ms);
  return `${t.y}-${p2(t.mo)}-${p2(t.d)}T${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}`;
};

/** "2019-10-18T09:45:48.0729893Z" (diag envelope `time`, Graph directoryAudit activityDateTime) */
export const iso7Z = (ms: number, sub = 0) => `${datePart(ms)}.${p3(parts(ms).ms)}${p4(sub)}Z`;
/** "2022-03-17T09:44:46.3097429+00:00" (diag properties.createdDateTime) */
export const iso7Offset = (ms: number, sub = 0) => `${datePart(ms)}.${p3(parts(ms).ms)}${p4(sub)}+00:00`;
/** "2022-09-05T18:10:13.4907658" (message trace Received as PowerShell 7 writes it: no zone, UTC) */
export const iso7NoZone = (ms: number, sub = 0) => `${datePart(ms)}.${p3(parts(ms).ms)}${p4(sub)}`;
/** "2021-06-30T16:34:32Z" (Graph signIn createdDateTime) */
export const isoSecZ = (ms: number) => `${datePart(ms)}Z`;
/** "2020-02-07T20:49:49" (UAL CreationTime: UTC, no zone) */
export const ualTime = (ms: number) => datePart(ms);
/** "2025-06-01" */
export const dayKey = (ms: number) => datePart(ms).slice(0, 10);
/** "/Date(1658751973240)/" (Reporting Web Service OData v2) */
export const msDate = (ms: number) => `/Date(${ms})/`;

/**
 * Locale renderings of an instant as exports write them (zone-less; our exports keep UTC).
 * us: "9/20/2023 4:05:03 AM" (Purview portal en-US, Export-Csv en-US) · gb/fr: "20/09/2023 04:05:03" ·
 * de: "20.09.2023 04:05:03" · nl: "20-9-2023 04:05:03" · iso-trailing: "2026-01-24T06:54:24.0000000Z " (newer Purview).
 */
export type DateStyle = 'us' | 'gb' | 'de' | 'fr' | 'nl' | 'iso-trailing';

export function localeDate(ms: number, style: DateStyle): string {
  const t = parts(ms);
  const hms24 = `${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}`;
  switch (style) {
    case 'us': {
      const h12 = t.h % 12 === 0 ? 12 : t.h % 12;
      return `${t.mo}/${t.d}/${t.y} ${h12}:${p2(t.mi)}:${p2(t.s)} ${t.h < 12 ? 'AM' : 'PM'}`;
    }
    case 'gb':
    case 'fr':
      return `${p2(t.d)}/${p2(t.mo)}/${t.y} ${hms24}`;
    case 'de':
      return `${p2(t.d)}.${p2(t.mo)}.${t.y} ${hms24}`;
    case 'nl':
      return `${t.d}-${t.mo}-${t.y} ${hms24}`;
    case 'iso-trailing':
      return `${datePart(ms)}.0000000Z `;
  }
}

/** Midnight UTC of the day containing ms. */
export const startOfDay = (ms: number) => Math.floor(ms / DAY) * DAY;

/** 0 = Sunday … 6 = Saturday, for a local wall clock `offsetHours` from UTC */
export const localWeekday = (ms: number, offsetHours: number) => new Date(ms + offsetHours * HOUR).getUTCDay();
