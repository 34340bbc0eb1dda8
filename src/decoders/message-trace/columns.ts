// CSV column lookup for message-trace exports. Exports spell one column many ways ("SenderAddress",
// "sender_address", "Sender address", "Date (UTC+02:00)"), so columns are matched by a normalized key:
// lower-case, zone suffix "(UTC…)"/"[UTC…]" removed, everything but letters and digits removed.

/** "Date (UTC+02:00)" -> "date"; "sender_address" -> "senderaddress"; "Recipient_address" -> "recipientaddress". */
export function columnKey(header: string): string {
  return header
    .replace(/^\ufeff/, '')
    .replace(/\s*[[(][^\])]*[\])]\s*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The set of normalized keys of a header, for matchHeader. */
export function headerKeys(header: string[]): Set<string> {
  return new Set(header.map(columnKey));
}

const cache = new WeakMap<string[], Columns>();

/** Columns for a header array, cached: framing hands every row of a file the same header array. */
export function columnsFor(header: string[]): Columns {
  let c = cache.get(header);
  if (!c) {
    c = new Columns(header);
    cache.set(header, c);
  }
  return c;
}

/** Row access by normalized column key, remembering which header each key came from (first one wins). */
export class Columns {
  private readonly byKey = new Map<string, string>();

  constructor(header: string[]) {
    for (const h of header) {
      const k = columnKey(h);
      if (k && !this.byKey.has(k)) this.byKey.set(k, h);
    }
  }

  /** The header (as written) of the first alias present. */
  header(...aliases: string[]): string | undefined {
    for (const a of aliases) {
      const h = this.byKey.get(a);
      if (h !== undefined) return h;
    }
    return undefined;
  }

  /** The trimmed cell of the first alias present with a non-empty value. */
  get(row: Record<string, unknown>, ...aliases: string[]): string | undefined {
    for (const a of aliases) {
      const h = this.byKey.get(a);
      if (h === undefined) continue;
      const v = row[h];
      if (typeof v === 'string' && v.trim() !== '' && v.trim() !== '<null>') return v.trim();
    }
    return undefined;
  }

  /** The cell as written (not trimmed): for subjects, which are data. */
  raw(row: Record<string, unknown>, ...aliases: string[]): string | undefined {
    for (const a of aliases) {
      const h = this.byKey.get(a);
      if (h === undefined) continue;
      const v = row[h];
      if (typeof v === 'string' && v !== '') return v;
    }
    return undefined;
  }
}

/**
 * The zone a date header names: "Date (UTC)" -> 'UTC'; "Date (UTC+02:00)" / "[GMT-5]" -> '+02:00' / '-05:00';
 * another bracketed suffix -> 'local' (a zone we can't read); no suffix -> undefined.
 */
export function zoneOfHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /[[(]([^\])]*)[\])]\s*$/.exec(header);
  if (!m) return undefined;
  const z = m[1]!.trim();
  const off = /^(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?$/i.exec(z);
  if (!off) return 'local';
  if (!off[1]) return 'UTC';
  const offset = `${off[1]}${off[2]!.padStart(2, '0')}:${off[3] ?? '00'}`;
  return offset === '+00:00' || offset === '-00:00' ? 'UTC' : offset;
}

/** Message sizes: "87891" bytes, or the EAC's display form "45 KB" / "1.2 MB". */
export function parseSize(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const m = /^([\d.,]+)\s*(b|bytes|kb|mb|gb)?$/i.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]!.replace(/,/g, ''));
  if (!Number.isFinite(n)) return undefined;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit === 'kb' ? 1024 : unit === 'mb' ? 1024 ** 2 : unit === 'gb' ? 1024 ** 3 : 1;
  return Math.round(n * mult);
}
