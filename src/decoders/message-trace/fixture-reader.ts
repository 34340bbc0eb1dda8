// Test support only: a small stand-in for the lead's src/pipeline/testkit.ts `decodeFixture` until it exists.
// Reads a fixture (BOM-sniffed UTF-8 / UTF-16LE; JSON document, JSON array, OData/Graph envelopes or NDJSON;
// RFC 4180 CSV) and runs every record through the real decoder registry. Not used by the product.
import { readFile } from 'node:fs/promises';
import type { Event } from '../../core/event.js';
import { csvDecoders, jsonDecoders } from '../index.js';
import type { DecodeContext, Decoder, RawRecord } from '../types.js';

export interface FixtureResult {
  events: Event[];
  quarantined: { reason: string; line?: number }[];
  filtered: { reason: string }[];
  format: string[];
}

function decodeText(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  return buf.toString('utf8');
}

function unwrap(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.flatMap(unwrap);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.value)) return o.value.flatMap(unwrap);
    if (Array.isArray(o.records)) return o.records.flatMap(unwrap);
    const d = o.d as Record<string, unknown> | undefined;
    if (d && typeof d === 'object' && Array.isArray(d.results)) return d.results.flatMap(unwrap);
    return [o];
  }
  return [];
}

function jsonRecords(text: string, file: string): RawRecord[] {
  let values: { v: unknown; line?: number }[];
  try {
    values = [{ v: JSON.parse(text) }];
  } catch {
    values = text.split(/\r?\n/).flatMap((l, i) => (l.trim() ? [{ v: JSON.parse(l) as unknown, line: i + 1 }] : []));
  }
  return values.flatMap(({ v, line }) =>
    unwrap(v).map((value) => ({ value, text: JSON.stringify(value), file, container: 'json' as const, ...(line ? { line } : {}) })),
  );
}

/** RFC 4180 rows with the source text and starting line of each. */
export function parseCsv(text: string): { cells: string[]; text: string; line: number }[] {
  const rows: { cells: string[]; text: string; line: number }[] = [];
  let i = 0, line = 1;
  while (i < text.length) {
    const start = i, startLine = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (;;) {
      const c = text[i];
      if (c === undefined) { cells.push(cell); break; }
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        if (c === '"') { quoted = false; i++; continue; }
        if (c === '\n') line++;
        cell += c; i++; continue;
      }
      if (c === '"') { quoted = true; i++; continue; }
      if (c === ',') { cells.push(cell); cell = ''; i++; continue; }
      if (c === '\r' || c === '\n') {
        cells.push(cell);
        i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        break;
      }
      cell += c; i++;
    }
    const rowText = text.slice(start, i).replace(/\r?\n$/, '');
    if (cells.length > 1 || cells[0] !== '') rows.push({ cells, text: rowText, line: startLine });
  }
  return rows;
}

export async function decodeLocalFixture(path: string, ctx: DecodeContext = {}): Promise<FixtureResult> {
  const text = decodeText(await readFile(path));
  const out: FixtureResult = { events: [], quarantined: [], filtered: [], format: [] };
  const apply = (d: Decoder, rec: RawRecord): void => {
    if (!out.format.includes(d.id)) out.format.push(d.id);
    const r = d.decode(rec, ctx);
    if (r.kind === 'events') out.events.push(...r.events);
    else if (r.kind === 'filtered') out.filtered.push({ reason: r.reason });
    else out.quarantined.push({ reason: r.reason, ...(rec.line ? { line: rec.line } : {}) });
  };
  if (/\.csv$/i.test(path)) {
    const [head, ...rows] = parseCsv(text);
    if (!head) return out;
    const header = head.cells;
    const d = csvDecoders().find((x) => x.matchHeader?.(header));
    if (!d) throw new Error(`no CSV decoder matches the header of ${path}`);
    for (const r of rows) {
      const value: Record<string, unknown> = {};
      header.forEach((h, k) => (value[h] = r.cells[k] ?? ''));
      apply(d, { value, text: r.text, file: path, line: r.line, container: 'csv', header });
    }
    return out;
  }
  for (const rec of jsonRecords(text, path)) {
    const d = jsonDecoders().find((x) => x.matchRecord?.(rec.value));
    if (!d) throw new Error(`no JSON decoder matches a record of ${path}: ${rec.text.slice(0, 120)}`);
    apply(d, rec);
  }
  return out;
}
