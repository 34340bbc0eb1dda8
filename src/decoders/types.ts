// The decoder contract. A decoder turns one raw record of one format into zero or more Events,
// or says why it filtered or quarantined the record. Decoders are pure: no I/O, no clock, no globals.
// Framing (bytes -> records: encodings, JSON pages, NDJSON, CSV) happens before, in src/io/.
import type { Event } from '../core/event.js';

/** One raw record as framing found it. */
export interface RawRecord {
  /** JSON: the parsed value (an object). CSV: the row as {header: cell} with every cell a string. */
  value: Record<string, unknown>;
  /** the record's own text (the NDJSON line, the JSON element, the CSV row) for evidence */
  text: string;
  file: string;
  line?: number;
  /** where the record is in the file, and its length in bytes there, when its text is those bytes decoded */
  offset?: number;
  bytes?: number;
  container: 'json' | 'csv';
  /** CSV only: the header as written (e.g. "TimeGenerated [UTC]"), for zone and dialect detection */
  header?: string[];
}

export interface DecodeContext {
  /** Zone for zone-less locale timestamps in CSV exports (`--tz`); UTC when absent. */
  tz?: string;
  /** Day-first slash dates in locale CSV exports (`--day-first`). */
  dayFirst?: boolean;
}

export type DecodeResult =
  | { kind: 'events'; events: Event[] }
  | { kind: 'filtered'; reason: string } // intentionally ignored (noise the tool never uses), counted
  | { kind: 'quarantine'; reason: string }; // broken or unusable record, with what and what to do

export interface Decoder {
  /** stable format id, shown by `inspect` and in every Event's raw.format: e.g. 'graph.signin' */
  id: string;
  /** human title: "Microsoft Graph signIn (v1.0/beta)" */
  title: string;
  container: 'json' | 'csv';
  /** JSON: does this record belong to this format? Cheap: look at a few keys. */
  matchRecord?(value: Record<string, unknown>): boolean;
  /** CSV: does this header belong to this format? Headers are as written (BOM stripped). */
  matchHeader?(header: string[]): boolean;
  decode(rec: RawRecord, ctx: DecodeContext): DecodeResult;
}

export const events = (...evs: Event[]): DecodeResult => ({ kind: 'events', events: evs });
export const quarantine = (reason: string): DecodeResult => ({ kind: 'quarantine', reason });
export const filtered = (reason: string): DecodeResult => ({ kind: 'filtered', reason });
