// Streaming JSON framing: text chunks in, one record's text out at a time, in bounded memory.
// Handles NDJSON, concatenated (pretty) values, a top-level array of records, and envelope objects whose
// `value` / `records` array holds the records (Graph pages, Event Hub blobs) — descending into the array so a
// multi-gigabyte page never has to sit in one string. Everything else is unwrapped after JSON.parse (unwrap.ts).

export type JsonFrame =
  | { kind: 'value'; text: string; line: number }
  | { kind: 'error'; reason: string; line: number; text: string };

/** Records bigger than this are quarantined without being held in memory. */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

const ENVELOPE_KEYS = new Set(['value', 'records']);

export class JsonFramer {
  private buf = ''; // text not yet consumed
  private pos = 0; // scan position in buf
  private line = 1; // line of buf[pos]
  private depth = 0; // absolute nesting depth at pos
  private inString = false;
  private escape = false;
  /** depth at which a container opening starts a record: 0 = top-level values, 1 = top-level array elements,
   *  2 = elements of an envelope's records array */
  private recordDepth = 0;
  private start = -1; // start of the record in progress (index into buf), -1 when none
  private startLine = 1;
  private oversize = false;
  private recordChars = 0; // chars scanned in an oversize record
  // A top-level object is either a record or an envelope ({"value": [...]}); we decide on its keys.
  private topObject = false; // inside a top-level object (depth >= 1)
  private expectKey = false;
  private keyStart = -1;
  private lastKey = '';
  private afterColonKey = ''; // key whose value comes next at depth 1
  private inEnvelopeArray = false;
  private garbageStart = -1;
  private garbageLine = 1;
  private scalarReported = false;
  private prevNewline = true;
  private lastSig = 0; // last significant character outside strings
  private containers: number[] = []; // open '{' / '[' (char codes), innermost last

  /** Could a value validly start here? After "[" or ":", or after "," inside an array. */
  private valueMayStart(): boolean {
    const l = this.lastSig;
    return l === 91 || l === 58 || (l === 44 && this.containers[this.containers.length - 1] === 91);
  }

  /** Feed a chunk; returns the frames completed by it. */
  push(chunk: string): JsonFrame[] {
    const out: JsonFrame[] = [];
    this.buf += chunk;
    this.scan(out);
    this.compact();
    return out;
  }

  /** Signal end of input; returns an error frame when a record was cut off or garbage remains. */
  end(): JsonFrame[] {
    const out: JsonFrame[] = [];
    this.scan(out);
    if (this.garbageStart >= 0) {
      const text = this.buf.slice(this.garbageStart);
      if (text.trim()) out.push({ kind: 'error', reason: garbageReason(text), line: this.garbageLine, text: clip(text) });
    } else if (this.start >= 0 || this.oversize) {
      out.push({
        kind: 'error',
        reason: 'truncated record at end of input (the JSON value never closes): the export was cut off; re-export it or ignore this record',
        line: this.startLine,
        text: clip(this.start >= 0 ? this.buf.slice(this.start) : ''),
      });
    } else if (this.depth > 0) {
      out.push({
        kind: 'error',
        reason: 'input ends inside an unclosed array or object (truncated export); the records before this point were read',
        line: this.line,
        text: '',
      });
    }
    this.buf = '';
    this.pos = 0;
    this.start = -1;
    return out;
  }

  private compact(): void {
    // Drop consumed text so memory holds only the record in progress.
    if (this.oversize) {
      this.buf = '';
      this.pos = 0;
      this.start = -1;
      this.keyStart = -1;
      return;
    }
    let keep = this.pos;
    if (this.start >= 0) keep = Math.min(keep, this.start);
    if (this.garbageStart >= 0) keep = Math.min(keep, this.garbageStart);
    if (this.keyStart >= 0) keep = Math.min(keep, this.keyStart);
    if (keep > 0) {
      this.buf = this.buf.slice(keep);
      this.pos -= keep;
      if (this.start >= 0) this.start -= keep;
      if (this.garbageStart >= 0) this.garbageStart -= keep;
      if (this.keyStart >= 0) this.keyStart -= keep;
    }
  }

  private scan(out: JsonFrame[]): void {
    const buf = this.buf;
    const n = buf.length;
    for (let i = this.pos; i < n; i++) {
      const c = buf.charCodeAt(i);
      const lineStart = this.prevNewline;
      this.prevNewline = c === 10;
      if (c === 10) this.line++;
      if (this.garbageStart >= 0) {
        if (c === 10) this.flushGarbage(i, out);
        continue;
      }
      if (this.inString) {
        if (c === 10) {
          // JSON strings cannot hold a raw newline: the record is broken (an unbalanced quote).
          // Resynchronise at the next line instead of letting one bad quote swallow the rest of the file.
          this.brokenString(i, out);
          continue;
        }
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) {
          this.inString = false;
          this.lastSig = 34;
          if (this.keyStart >= 0) {
            this.lastKey = buf.slice(this.keyStart + 1, i);
            this.keyStart = -1;
          }
        }
        continue;
      }
      if (c === 34) {
        this.inString = true;
        if (this.topObject && this.depth === 1 && this.expectKey) this.keyStart = i;
        else this.scalarAt(i, out);
        continue;
      }
      if (c === 123 && lineStart && this.start >= 0 && !this.valueMayStart()) {
        // "{" at the start of a line where valid JSON cannot start a value (after "}" or "]", or after "," inside
        // an object): the open record lost a closing brace. Resynchronise here instead of swallowing the rest.
        this.brokenRecord(i, out, 'invalid JSON: the record never closes before the next record starts on a new line (unbalanced braces); the record was skipped');
      }
      if (c === 123 || c === 91) {
        this.open(c, i);
        this.containers.push(c);
      } else if (c === 125 || c === 93) {
        this.close(i, out);
        this.containers.pop();
      }
      else if (c === 58) {
        if (this.topObject && this.depth === 1) {
          this.expectKey = false;
          this.afterColonKey = this.lastKey;
        }
      } else if (c === 44) {
        if (this.topObject && this.depth === 1) {
          this.expectKey = true;
          this.afterColonKey = '';
        }
        if (this.depth === this.recordDepth) this.scalarReported = false;
      } else if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) {
        if (this.depth === 0) {
          this.garbageStart = i;
          this.garbageLine = this.line;
        } else this.scalarAt(i, out);
      }
      if (this.oversize) this.recordChars++;
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) this.lastSig = c;
    }
    this.pos = n;
  }

  private brokenString(i: number, out: JsonFrame[]): void {
    this.brokenRecord(i, out, 'invalid JSON: a string runs past the end of its line (unbalanced quote); the record was skipped and reading resumed on the next line');
  }

  private brokenRecord(i: number, out: JsonFrame[], reason: string): void {
    this.inString = false;
    this.escape = false;
    this.keyStart = -1;
    if (this.start >= 0 || this.oversize) {
      out.push({
        kind: 'error',
        reason,
        line: this.startLine,
        text: clip(this.start >= 0 ? this.buf.slice(this.start, i) : ''),
      });
      this.start = -1;
      this.oversize = false;
    }
    if (this.recordDepth === 0) {
      this.depth = 0;
      this.topObject = false;
      this.inEnvelopeArray = false;
    } else this.depth = this.recordDepth;
    this.containers.length = this.depth;
    this.lastSig = 44; // as after a "," between records
  }

  /** A scalar where a record should start (e.g. [1, "x"]): say so once per element. */
  private scalarAt(i: number, out: JsonFrame[]): void {
    if (this.depth === this.recordDepth && this.depth > 0 && this.start < 0 && !this.scalarReported && !(this.topObject && this.depth === 1)) {
      this.scalarReported = true;
      out.push({ kind: 'error', reason: 'array element is not a JSON object, so it cannot be a log record', line: this.line, text: clip(this.buf.slice(i, i + 200)) });
    }
  }

  private flushGarbage(i: number, out: JsonFrame[]): void {
    const text = this.buf.slice(this.garbageStart, i);
    if (text.trim()) out.push({ kind: 'error', reason: garbageReason(text), line: this.garbageLine, text: clip(text) });
    this.garbageStart = -1;
  }

  private open(c: number, i: number): void {
    if (this.depth === 0) {
      if (c === 91) {
        this.recordDepth = 1; // top-level array: elements are records (or pages, unwrapped after parsing)
      } else {
        // top-level object: record or envelope; hold its text until we know
        this.topObject = true;
        this.expectKey = true;
        this.lastKey = '';
        this.afterColonKey = '';
        this.beginRecord(i);
      }
      this.depth = 1;
      return;
    }
    if (this.topObject && this.depth === 1 && c === 91 && ENVELOPE_KEYS.has(this.afterColonKey) && !this.inEnvelopeArray) {
      // {"value": [ ... ]}: descend; the envelope itself is metadata, not a record
      this.start = -1;
      this.oversize = false;
      this.inEnvelopeArray = true;
      this.recordDepth = 2;
      this.depth = 2;
      return;
    }
    if (this.depth === this.recordDepth && this.start < 0 && !this.oversize) {
      if (c === 91) {
        this.depth++;
        return; // nested array inside an array of records: its items are not records either; scalars report
      }
      this.beginRecord(i);
    }
    this.depth++;
    this.checkSize(i);
  }

  private beginRecord(i: number): void {
    this.start = i;
    this.startLine = this.line;
    this.oversize = false;
    this.recordChars = 0;
  }

  private checkSize(i: number): void {
    if (this.start >= 0 && i - this.start > MAX_RECORD_CHARS) {
      this.oversize = true;
      this.start = -1;
    }
  }

  private close(i: number, out: JsonFrame[]): void {
    if (this.depth === 0) {
      this.garbageStart = i;
      this.garbageLine = this.line;
      return;
    }
    this.checkSize(i);
    this.depth--;
    if (this.depth === this.recordDepth && (this.start >= 0 || this.oversize) && this.depth > 0) {
      this.emit(i, out);
      return;
    }
    if (this.depth === 0) {
      if (this.topObject && (this.start >= 0 || this.oversize)) this.emit(i, out); // object without records array
      this.topObject = false;
      this.inEnvelopeArray = false;
      this.recordDepth = 0;
      return;
    }
    if (this.inEnvelopeArray && this.depth === 1) {
      // left the records array; the rest of the envelope (e.g. @odata.nextLink) is metadata
      this.inEnvelopeArray = false;
      this.recordDepth = 0;
      this.afterColonKey = '';
    }
  }

  private emit(i: number, out: JsonFrame[]): void {
    if (this.oversize) {
      out.push({
        kind: 'error',
        reason: `record larger than ${MAX_RECORD_CHARS / 1048576} MB: not a log record tenantwatch can use; it was skipped`,
        line: this.startLine,
        text: '',
      });
      this.oversize = false;
    } else out.push({ kind: 'value', text: this.buf.slice(this.start, i + 1), line: this.startLine });
    this.start = -1;
    this.scalarReported = false;
  }
}

function clip(s: string): string {
  return s.length > 4096 ? s.slice(0, 4096) + '…' : s;
}

function garbageReason(text: string): string {
  const bin = /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text);
  return bin
    ? 'binary or undecodable bytes where a JSON record was expected; the file may be corrupt or not a log'
    : 'text that is not JSON where a record was expected; check the export';
}
