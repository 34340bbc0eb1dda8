// The read stage: inputs -> bytes -> text -> records -> decoders -> Events, with every record accounted for.
// read = events + duplicates + filtered + quarantined, per file and in total. Skipped files are listed with a reason.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Event, Fact } from '../core/event.js';
import { textAtOf } from '../core/fingerprint.js';
import { isObject } from '../core/json.js';
import { csvDecoders, jsonDecoders } from '../decoders/index.js';
import type { DecodeContext, Decoder, RawRecord } from '../decoders/types.js';
import { CsvFramer, type CsvRow } from '../io/csv-frame.js';
import { expandInputs, openBytes, type InputFile, type SkippedInput } from '../io/inputs.js';
import { JsonFramer, type JsonFrame } from '../io/json-frame.js';
import { sniffEncoding, TextStreamDecoder, type Encoding } from '../io/text-decode.js';
import { factsOf } from './coverage.js';
import { Deduper } from './dedup.js';
import { unwrapRecords } from './unwrap.js';
import { notMicrosoftWords, otherProductOf } from './other-products.js';

export interface RecordRef {
  file: string;
  line?: number;
  format?: string;
}

export interface ReadSink {
  /** `format`: the id of the decoder that produced the event */
  event(e: Event, format?: string): void;
  duplicate?(e: Event): void;
  filtered?(ref: RecordRef, reason: string): void;
  quarantined?(ref: RecordRef, reason: string, text: string): void;
}

export interface ReadOptions extends DecodeContext {
  since?: number;
  until?: number;
  /** drop duplicates (same source id seen again); on by default */
  dedup?: boolean;
  stdin?: NodeJS.ReadableStream;
  /** called with raw bytes read, for progress */
  onBytes?: (n: number) => void;
  /** keep at most this many quarantine reasons per file in the stats */
  keepReasons?: number;
  /** awaited after each chunk of input is handled (the parallel reader's flow control) */
  afterChunk?: () => Promise<void> | void;
  /** told the number of NDJSON lines read, when a file (or byte range) is done */
  onLines?: (n: number) => void;
  /** asked after each chunk: true abandons the read (the summary is then incomplete; the caller knows why) */
  stop?: () => boolean;
  /**
   * Events whose text is the file's bytes at a known place carry that place (`raw.at`) instead of the text: the
   * hunt, which needs the texts of evidence only, reads those back (src/detect/texts.ts).
   */
  leaveTexts?: boolean;
}

/**
 * A byte range of a large NDJSON file (parallel reading, src/pipeline/parallel.ts). The range starts at a line
 * start and ends after a newline (or at the end of the file); lines are numbered from 1 within the range.
 * A range after the first skips the file-level decisions the first range makes: encoding (UTF-8), container
 * (NDJSON) and whether the file is a log at all.
 */
export interface ByteRange {
  start: number;
  /** exclusive */
  end: number;
  first: boolean;
}

export interface FileStats {
  path: string;
  sha256: string;
  bytes: number;
  encoding?: Encoding;
  container?: 'json' | 'ndjson' | 'csv';
  formats: Record<string, number>; // decoder id -> events
  records: number;
  events: number;
  duplicates: number;
  filtered: number;
  quarantined: number;
  filteredReasons: Record<string, number>;
  quarantineSamples: { line?: number; reason: string }[];
  quarantineReasons: Record<string, number>;
  timeMin?: number;
  timeMax?: number;
  actions: Record<string, number>;
  facts: Fact[];
  skipped?: string; // reason when the file was not read as a log
}

export interface ReadSummary {
  files: FileStats[];
  skipped: SkippedInput[];
  totals: { records: number; events: number; duplicates: number; filtered: number; quarantined: number };
}

// A file is judged "not a log" when none of its first records match a format. Mixed files (another product's
// records first) still count as logs as soon as one record is recognised within this bound.
const PEEK_RECORDS = 1000;
const PEEK_CHARS = 8 * 1024 * 1024;

/** Read every input, calling the sink for each outcome. Never throws for bad data; throws only for bugs. */
export async function readInputs(paths: string[], sink: ReadSink, opts: ReadOptions = {}): Promise<ReadSummary> {
  const { files, skipped } = await expandInputs(paths);
  const dedup = opts.dedup === false ? undefined : new Deduper();
  const stats: FileStats[] = [];
  try {
    for (const f of files) {
      if (opts.stop?.()) break;
      const st = await readOne(f, sink, opts, dedup);
      if (st.skipped) skipped.push({ path: st.path, reason: st.skipped });
      stats.push(st);
    }
  } finally {
    dedup?.close();
  }
  const totals = { records: 0, events: 0, duplicates: 0, filtered: 0, quarantined: 0 };
  for (const s of stats) {
    totals.records += s.records;
    totals.events += s.events;
    totals.duplicates += s.duplicates;
    totals.filtered += s.filtered;
    totals.quarantined += s.quarantined;
  }
  return { files: stats, skipped, totals };
}

function newStats(path: string): FileStats {
  return {
    path, sha256: '', bytes: 0, formats: {}, records: 0, events: 0, duplicates: 0, filtered: 0, quarantined: 0,
    filteredReasons: {}, quarantineSamples: [], quarantineReasons: {}, actions: {}, facts: [],
  };
}

/** Per-file record handling shared by JSON and CSV paths. */
class FileReader {
  readonly st: FileStats;
  readonly facts = new Set<Fact>();
  private readonly jsonDecs = jsonDecoders();
  /** records held back until we know the file is a log at all */
  peeked: { value: unknown; text: string; line: number; at: number; bytes: number }[] | undefined = [];
  private recognized = false;
  private peekedChars = 0;

  constructor(
    path: string,
    private readonly sink: ReadSink,
    private readonly opts: ReadOptions,
    private readonly dedup: Deduper | undefined,
  ) {
    this.st = newStats(path);
  }

  quarantine(line: number | undefined, reason: string, text: string, format?: string): void {
    this.st.records++;
    this.st.quarantined++;
    const key = reason.length > 160 ? reason.slice(0, 160) : reason;
    this.st.quarantineReasons[key] = (this.st.quarantineReasons[key] ?? 0) + 1;
    if (this.st.quarantineSamples.length < (this.opts.keepReasons ?? 10)) this.st.quarantineSamples.push({ line, reason });
    this.sink.quarantined?.({ file: this.st.path, line, format }, reason, text);
  }

  private filter(line: number | undefined, reason: string, format?: string): void {
    this.st.records++;
    this.countFiltered(line, reason, format);
  }

  /** A record already counted as read that ends as filtered (decoder noise, --since/--until). */
  private countFiltered(line: number | undefined, reason: string, format?: string): void {
    this.st.filtered++;
    this.st.filteredReasons[reason] = (this.st.filteredReasons[reason] ?? 0) + 1;
    this.sink.filtered?.({ file: this.st.path, line, format }, reason);
  }

  /** A framed JSON value (already parsed or not). */
  jsonValue(text: string, line: number): void {
    text = ownString(text);
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      this.quarantine(line, `invalid JSON: ${(e as Error).message}; fix or re-export the record`, text);
      return;
    }
    this.parsedValue(v, text, line);
  }

  /** `at`, `bytes`: where `text` is in the file, as bytes that decode to it (at -1: not known) */
  parsedValue(v: unknown, text: string, line: number, at = -1, bytes = 0): void {
    if (this.notLog) return;
    if (!this.peeked && isPlainRecord(v)) return this.jsonRecord(v, text, line, at, bytes);
    const recs = unwrapRecords(v);
    const single = recs.length === 1 && recs[0] === v;
    for (const r of recs) {
      const rtext = single ? text : safeStringify(r);
      const rat = single ? at : -1;
      if (this.peeked) {
        this.peeked.push({ value: r, text: rtext, line, at: rat, bytes });
        this.peekedChars += rtext.length;
        if (this.findDecoder(r)) this.recognized = true;
        if (this.recognized || this.peeked.length >= PEEK_RECORDS || this.peekedChars >= PEEK_CHARS) this.releasePeeked();
      } else this.jsonRecord(r, rtext, line, rat, bytes);
    }
  }

  private releasePeeked(): void {
    if (!this.recognized) {
      this.markNotLog();
      return;
    }
    const p = this.peeked!;
    this.peeked = undefined;
    for (const x of p) this.jsonRecord(x.value, x.text, x.line, x.at, x.bytes);
  }

  /** set when the first records matched no format: the file is skipped with this reason */
  notLog?: string;

  private markNotLog(): void {
    const first = this.peeked?.[0]?.value;
    const keys = isObject(first) ? Object.keys(first).slice(0, 6).join(', ') : Array.isArray(first) ? 'an array' : typeof first;
    const product = otherProductOf(first);
    this.notLog = product
      ? `not a Microsoft log: the first record is ${notMicrosoftWords(first)}; none of the first ${this.peeked?.length ?? 0} records matched a Microsoft format (first record keys: ${keys})`
      : `not a recognized log: none of the first ${this.peeked?.length ?? 0} records matched a known Microsoft format (first record keys: ${keys})`;
    this.peeked = undefined;
  }

  /** Registry order decides: the first decoder whose matcher accepts the record wins (matchers are cheap key checks). */
  private findDecoder(r: unknown): Decoder | undefined {
    if (!isObject(r)) return undefined;
    for (const d of this.jsonDecs) if (d.matchRecord?.(r)) return d;
    return undefined;
  }

  private jsonRecord(r: unknown, text: string, line: number, at: number, bytes: number): void {
    if (!isObject(r)) {
      this.quarantine(line, `JSON value is ${Array.isArray(r) ? 'an array' : typeof r}, not a log record object`, text);
      return;
    }
    const d = this.findDecoder(r);
    if (!d) {
      const keys = Object.keys(r).slice(0, 6).join(', ');
      this.quarantine(line, `unrecognized record (keys: ${keys}): ${notMicrosoftWords(r)}`, text);
      return;
    }
    const rec: RawRecord = { value: r, text, file: this.st.path, line, container: 'json' };
    if (at >= 0) {
      rec.offset = at;
      rec.bytes = bytes;
    }
    this.decodeWith(d, rec);
  }

  decodeWith(d: Decoder, rec: RawRecord): void {
    let res;
    try {
      res = d.decode(rec, this.opts);
    } catch (e) {
      // A decoder bug must not lose the record: quarantine it and say it is a bug.
      this.quarantine(rec.line, `decoder ${d.id} failed (a tenantwatch bug, please report): ${(e as Error).message}`, rec.text, d.id);
      return;
    }
    if (res.kind === 'quarantine') return this.quarantine(rec.line, res.reason, rec.text, d.id);
    if (res.kind === 'filtered') return this.filter(rec.line, res.reason, d.id);
    if (res.events.length === 0) return this.filter(rec.line, 'record carries no event (decoder produced none)', d.id);
    // One record may yield several events (e.g. a message trace row per recipient); count the record once
    // and each extra event as an event of the same record.
    this.st.records += res.events.length;
    for (const e of res.events) {
      // the byte offset says where the event's text is in the file: only for an event whose text is the record's
      if (rec.offset !== undefined) {
        if (e.raw.text === rec.text) {
          e.raw.offset = rec.offset;
          e.raw.bytes = rec.bytes;
          if (this.opts.leaveTexts) leaveText(e);
        } else {
          delete e.raw.offset;
          delete e.raw.bytes;
        }
      }
      this.accept(e, d.id);
    }
  }

  private accept(e: Event, format: string): void {
    const { since, until } = this.opts;
    if (since !== undefined && e.time < since) return this.countFiltered(e.raw.line, 'before --since', format);
    if (until !== undefined && e.time >= until) return this.countFiltered(e.raw.line, 'after --until', format);
    countEvent(this.st, this.facts, this.dedup, this.sink, e, format);
  }

  /** End of file: a file none of whose first records matched a format is not a log; say so instead of quarantining. */
  finish(): void {
    if (this.peeked && this.peeked.length > 0) this.markNotLog();
    if (this.notLog) {
      // the records of a file that is not a log are not counted as read; the file is listed as skipped
      this.st.skipped = this.notLog;
      this.st.records = this.st.quarantined = 0;
      this.st.quarantineReasons = {};
      this.st.quarantineSamples = [];
      return;
    }
    this.st.facts = [...this.facts].sort();
  }
}

/**
 * The event without its text, which stays in the file: `raw.at` says where, with a fingerprint to check it by when
 * it is read back. The text is most of an event's size (4 KB of a sign-in): a hunt holds events while it orders
 * them, and a decoding thread copies them to the main thread, and neither needs the text of more than a few.
 */
function leaveText(e: Event): void {
  const at = textAtOf(e.raw);
  if (at === undefined) return;
  const { text: _t, ...rest } = e.raw;
  e.raw = { ...rest, at };
}

/** An object that is no envelope (what unwrapRecords would return as the one record): the NDJSON common case. */
function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (!isObject(v)) return false;
  return v.value === undefined && v.records === undefined && v.d === undefined;
}

/**
 * The accounting of a record that became an event: duplicate or new, then the per-file counts. Shared with the
 * parallel reader, whose main thread does this part (dedup needs one global view, in input order).
 */
export function countEvent(st: FileStats, facts: Set<Fact>, dedup: Deduper | undefined, sink: ReadSink, e: Event, format: string): void {
  // The same record exported as Graph, diagnostic export or Sentinel row keeps its id, its source kind (an
  // interactive sign-in stays interactive) and its event time; the second counts too, because exports that reuse
  // ids (anonymised ones) have different records under one id. (Seconds: a CSV may keep fewer digits of it.)
  if (dedup && dedup.isDuplicate(`${e.source}|${e.id}|${Math.floor(e.time / 1000)}`, e.time)) {
    st.duplicates++;
    sink.duplicate?.(e);
    return;
  }
  st.events++;
  st.formats[format] = (st.formats[format] ?? 0) + 1;
  st.actions[e.action] = (st.actions[e.action] ?? 0) + 1;
  if (st.timeMin === undefined || e.time < st.timeMin) st.timeMin = e.time;
  if (st.timeMax === undefined || e.time > st.timeMax) st.timeMax = e.time;
  factsOf(e, (f) => facts.add(f));
  sink.event(e, format);
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return '';
  }
}

/** Read one input (or one byte range of it). Exported for the parallel reader's workers. */
export async function readOne(f: InputFile, sink: ReadSink, opts: ReadOptions, dedup: Deduper | undefined, range?: ByteRange): Promise<FileStats> {
  const r = new FileReader(f.path, sink, opts, dedup);
  const st = r.st;
  const hash = createHash('sha256');
  let bytes: AsyncIterable<Buffer>;
  // where the next chunk starts in the file, when the chunks are the file's own bytes (-1: they are not)
  let pos = -1;
  const onRaw = (n: number): void => {
    st.bytes += n;
    opts.onBytes?.(n);
  };
  try {
    if (range) {
      bytes = openRange(f.path, range, onRaw);
      pos = range.start;
    } else {
      const o = await openBytes(f, opts.stdin ?? process.stdin, onRaw);
      bytes = o.chunks;
      if (o.fileBytes) pos = 0;
    }
  } catch (e) {
    st.skipped = `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
    return st;
  }
  let decoder: TextStreamDecoder | undefined;
  let mode: 'undecided' | 'json' | 'ndjson' | 'csv' | 'skip' = 'undecided';
  if (range && !range.first) {
    // the first range decided these for the file
    decoder = new TextStreamDecoder('utf-8');
    mode = 'ndjson';
    r.peeked = undefined;
  }
  let pending = '';
  const framer = new JsonFramer();
  const csv = new CsvFramer();
  let csvState: CsvState | undefined;
  // NDJSON fast path state: the line cut by the previous chunk, as text (`carry`) then bytes not yet decoded
  // (`carryBytes`: a byte chunk's tail, which may end inside a character)
  let carry = '';
  let carryBytes: Buffer[] = [];
  let carryByteLen = 0;
  /** file offset of the cut line when it is all in `carryBytes` and those are the file's own bytes; -1 otherwise */
  let carryAt = -1;
  let lineNo = 0;
  const carryText = (): string => {
    if (carryBytes.length) {
      const b = carryBytes.length === 1 ? carryBytes[0]! : Buffer.concat(carryBytes, carryByteLen);
      carry += decoder!.line(b, 0, b.length);
      carryBytes = [];
      carryByteLen = 0;
    }
    return carry;
  };

  const handleFrames = (frames: JsonFrame[]): void => {
    for (const fr of frames) {
      if (fr.kind === 'error') r.quarantine(fr.line, fr.reason, fr.text);
      else r.jsonValue(fr.text, fr.line);
    }
  };
  const ndjsonLines = (text: string, final: boolean): void => {
    // The line cut by the previous chunk is completed on its own, so the chunk (about 1 MB) is never copied
    // into one concatenated string.
    let startIdx = 0;
    carryText();
    carryAt = -1; // decoded text: its offsets in the file are not known
    if (carry.length) {
      const nl = text.indexOf('\n');
      if (nl < 0) carry += text;
      else {
        lineNo++;
        ndLine(carry + text.slice(0, nl), lineNo);
        carry = '';
      }
      startIdx = nl < 0 ? text.length : nl + 1;
    }
    for (;;) {
      const nl = text.indexOf('\n', startIdx);
      if (nl < 0) break;
      lineNo++;
      ndLine(ownString(text.slice(startIdx, nl)), lineNo);
      startIdx = nl + 1;
    }
    if (startIdx < text.length) carry += text.slice(startIdx);
    if (final && carry.length) {
      lineNo++;
      ndLine(carry, lineNo, true);
      carry = '';
    }
  };
  // UTF-8 chunks are cut into lines as bytes: each line becomes a string of its own, so an event that stays alive
  // (a rule's window, an alert's evidence) holds its line, not the whole chunk it came in; pure-ASCII chunks are
  // read as Latin-1 (a plain copy). A line is then the file's bytes at a known offset (`base`: the chunk's, -1
  // when the bytes are not the file's own), so its text can be left there (RawRef.at).
  const ndjsonBytes = (buf: Buffer, base: number, ascii: boolean): void => {
    const text = (s: number, e: number): string => (ascii ? buf.toString('latin1', s, e) : decoder!.line(buf, s, e));
    let startIdx = 0;
    if (carry.length || carryBytes.length) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        carryBytes.push(Buffer.from(buf));
        carryByteLen += buf.length;
        return;
      }
      const at = carry.length === 0 ? carryAt : -1;
      const len = carryByteLen + nl;
      let line: string;
      if (carryBytes.length) {
        carryBytes.push(buf.subarray(0, nl));
        carryByteLen += nl;
        line = carryText();
      } else line = carry + text(0, nl);
      carry = '';
      carryAt = -1;
      lineNo++;
      ndLine(line, lineNo, false, at, len);
      startIdx = nl + 1;
    }
    for (;;) {
      const nl = buf.indexOf(10, startIdx);
      if (nl < 0) break;
      lineNo++;
      ndLine(text(startIdx, nl), lineNo, false, base < 0 ? -1 : base + startIdx, nl - startIdx);
      startIdx = nl + 1;
    }
    if (startIdx < buf.length) {
      carryBytes.push(Buffer.from(buf.subarray(startIdx)));
      carryByteLen = buf.length - startIdx;
      carryAt = base < 0 ? -1 : base + startIdx;
    }
  };
  /** `at`, `bytes`: where the line is in the file and its length in bytes there (-1: not known) */
  const ndLine = (raw: string, line: number, last = false, at = -1, bytes = 0): void => {
    const cr = raw.charCodeAt(raw.length - 1) === 13;
    const text = cr ? raw.slice(0, -1) : raw;
    // (a record starts with "{": only other lines can be blank)
    if (text.length === 0 || (text.charCodeAt(0) !== 123 && /^\s*$/.test(text))) return;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      const reason = last
        ? `invalid JSON on the last line (${(e as Error).message}): the export was probably cut off`
        : `invalid JSON: ${(e as Error).message}`;
      r.quarantine(line, reason + '; fix or re-export the record', text.length > 4096 ? text.slice(0, 4096) + '…' : text);
      return;
    }
    r.parsedValue(v, text, line, at, cr ? bytes - 1 : bytes);
  };

  const decide = (text: string, final: boolean): void => {
    pending += text;
    const t = pending.replace(/^[\s\ufeff]+/, '');
    if (t.length === 0) {
      if (final) st.skipped = 'no content (only whitespace)';
      return;
    }
    const nlIdx = pending.indexOf('\n');
    if (!final && nlIdx < 0 && pending.length < 1 << 20) return; // wait for a whole first line
    if (looksBinary(pending.slice(0, 4096))) {
      mode = 'skip';
      st.skipped = 'binary content (not text in UTF-8/16/32): not a log export';
      return;
    }
    const c = t[0];
    if (c === '{' || c === '[') {
      mode = isNdjson(pending) ? 'ndjson' : 'json';
      st.container = mode;
    } else {
      mode = 'csv';
      st.container = 'csv';
      csvState = { header: undefined };
    }
    const p = pending;
    pending = '';
    feed(p, final);
  };

  const feed = (text: string, final: boolean): void => {
    if (mode === 'undecided') return decide(text, final);
    if (mode === 'ndjson') return ndjsonLines(text, final);
    if (mode === 'json') {
      handleFrames(framer.push(text));
      if (final) handleFrames(framer.end());
      return;
    }
    if (mode === 'csv') {
      const rows = csv.push(text);
      if (final) rows.push(...csv.end());
      for (const row of rows) {
        csvRow(r, csvState!, row, opts);
        if (csvState!.skip) {
          mode = 'skip';
          st.skipped = csvState!.skip;
          return;
        }
      }
    }
  };

  try {
    for await (const chunk of bytes) {
      if (!range) hash.update(chunk); // (a split file is hashed whole, apart)
      if (!decoder) {
        const { encoding, bomLength } = sniffEncoding(chunk);
        st.encoding = encoding;
        decoder = new TextStreamDecoder(encoding);
        feed(decoder.write(chunk.subarray(bomLength)), false);
      } else {
        const bytesMode = mode === 'ndjson' ? decoder.byteChunk(chunk) : undefined;
        if (bytesMode) ndjsonBytes(chunk, pos, bytesMode === 'ascii');
        else feed(decoder.write(chunk), false);
      }
      if (pos >= 0) pos += chunk.length;
      if (r.notLog) mode = 'skip';
      if (mode === 'skip') break;
      if (opts.stop?.()) return st;
      if (opts.afterChunk) await opts.afterChunk();
    }
    if (mode !== 'skip') feed(decoder ? decoder.end() : '', true);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR'
        ? 'corrupt or truncated gzip stream; the records before the damage were read'
        : `read error: ${code ?? (e as Error).message}`;
    r.quarantine(undefined, reason, '');
  }
  st.sha256 = hash.digest('hex');
  r.finish();
  opts.onLines?.(lineNo);
  if ((mode as string) === 'csv' && csvState && !csvState.header && !st.skipped) st.skipped = 'CSV without a header row';
  return st;
}

function openRange(path: string, range: ByteRange, onRaw: (n: number) => void): AsyncIterable<Buffer> {
  const src = createReadStream(path, { start: range.start, end: range.end - 1, highWaterMark: 1 << 20 });
  src.on('data', (b) => onRaw((b as Buffer).length));
  return src as AsyncIterable<Buffer>;
}

/**
 * A copy of `s` that does not hold on to the (much larger) string it was cut from: V8 keeps a slice pointing into
 * its parent, so an event kept by a rule's window would pin the whole chunk or framing buffer it came from.
 */
function ownString(s: string): string {
  return s.length < 64 ? s : (' ' + s).slice(1);
}

function looksBinary(s: string): boolean {
  if (s.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) bad++;
  }
  return bad / s.length > 0.05;
}

/**
 * Would readOne read a file starting with these bytes as NDJSON (so it can be split at newlines)? The same
 * decisions as its first chunk: UTF-8 (with or without BOM), not binary, first line a complete JSON object.
 * undefined when the head holds no complete first line.
 */
export function splittableNdjson(head: Buffer): boolean | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return false; // gzip
  const { encoding, bomLength } = sniffEncoding(head);
  if (encoding !== 'utf-8' && encoding !== 'utf-8-bom') return false;
  const text = new TextStreamDecoder(encoding).write(head.subarray(bomLength));
  if (text.indexOf('\n') < 0) return undefined;
  if (looksBinary(text.slice(0, 4096))) return false;
  const t = text.replace(/^[\s\ufeff]+/, '');
  return t[0] === '{' && isNdjson(text);
}

/** NDJSON: the first line is a complete JSON value and the next non-blank line starts a new one. */
function isNdjson(text: string): boolean {
  const nl = text.indexOf('\n');
  if (nl < 0) return false;
  const first = text.slice(0, nl).replace(/^[\s\ufeff]+/, '').trim();
  if (!first.startsWith('{')) return false;
  try {
    JSON.parse(first);
  } catch {
    return false;
  }
  return true;
}

interface CsvState {
  header?: string[];
  decoder?: Decoder;
  skip?: string;
}

function csvRow(r: FileReader, s: CsvState, row: CsvRow, _opts: ReadOptions): void {
  if (row.error) {
    r.quarantine(row.line, row.error, row.text);
    return;
  }
  if (!s.header) {
    const header = row.cells.map((h, i) => (i === 0 ? h.replace(/^\ufeff/, '') : h).trim());
    s.header = header;
    s.decoder = csvDecoders().find((d) => d.matchHeader?.(header));
    if (!s.decoder) {
      const cols = header.slice(0, 8).join(', ');
      s.skip =
        header.length < 2
          ? 'not a recognized log: neither JSON nor a CSV with a header row'
          : `CSV with an unrecognized header (${cols}${header.length > 8 ? ', …' : ''}): not an export format tenantwatch reads; see docs/formats.md for the supported headers`;
    }
    return;
  }
  const h = s.header;
  let cells = row.cells;
  if (cells.length > h.length && cells.slice(h.length).every((c) => c === '')) cells = cells.slice(0, h.length);
  if (cells.length !== h.length) {
    r.quarantine(row.line, `CSV row has ${cells.length} cells but the header has ${h.length} columns (an unescaped quote or delimiter?)`, row.text);
    return;
  }
  const value: Record<string, unknown> = {};
  for (let i = 0; i < h.length; i++) value[h[i]!] = cells[i];
  r.decodeWith(s.decoder!, { value, text: ownString(row.text), file: r.st.path, line: row.line, container: 'csv', header: h });
}
