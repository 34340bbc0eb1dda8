// Streaming RFC 4180 CSV framing: quoted cells with doubled quotes, line breaks inside quotes, CRLF or LF,
// a leading "#TYPE …" line from Windows PowerShell Export-Csv, and the delimiter sniffed from the header
// (comma; tab or semicolon for some locales). Rows come out with their own text and starting line.

export interface CsvRow {
  cells: string[];
  text: string;
  line: number;
  /** set when the row could not be framed (unterminated quote, oversize) */
  error?: string;
}

export const MAX_ROW_CHARS = 64 * 1024 * 1024;

export class CsvFramer {
  private buf = '';
  private pos = 0;
  private line = 1;
  private rowStart = 0;
  private rowLine = 1;
  private cells: string[] = [];
  private cell = '';
  private cellStart = 0;
  private inQuotes = false;
  private quoted = false; // current cell began with a quote
  private delimiter = -1; // char code, decided on the first line
  private oversize = false;
  /** text of a "#TYPE ..." preamble line, when present */
  typeLine?: string;

  push(chunk: string): CsvRow[] {
    this.buf += chunk;
    const out: CsvRow[] = [];
    this.scan(out, false);
    this.compact();
    return out;
  }

  end(): CsvRow[] {
    const out: CsvRow[] = [];
    this.scan(out, true);
    if (this.pos > this.rowStart || this.cells.length || this.cell) {
      // last row without a trailing newline, or an unterminated quote
      if (this.inQuotes) {
        out.push({ cells: [], text: this.buf.slice(this.rowStart, this.rowStart + 4096), line: this.rowLine, error: 'unterminated quoted cell: the file ends inside quotes (truncated export?); the rows before it were read' });
      } else {
        this.endCell(this.buf.length);
        this.emit(this.buf.length, out);
      }
    }
    return out;
  }

  private compact(): void {
    if (this.rowStart > 0) {
      const k = this.rowStart;
      this.buf = this.buf.slice(k);
      this.pos -= k;
      this.cellStart -= k;
      this.rowStart = 0;
    }
    if (this.pos > MAX_ROW_CHARS) this.oversize = true;
  }

  private sniffDelimiter(): boolean {
    const nl = this.buf.indexOf('\n', this.rowStart);
    if (nl < 0) return false;
    let first = this.buf.slice(this.rowStart, nl);
    if (first.charCodeAt(0) === 0xfeff) first = first.slice(1);
    if (first.startsWith('#TYPE') || first.startsWith('#TYPE'.toLowerCase())) {
      this.typeLine = first.replace(/\r$/, '');
      this.pos = nl + 1;
      this.rowStart = nl + 1;
      this.cellStart = nl + 1;
      this.line++;
      this.rowLine = this.line;
      return this.sniffDelimiter();
    }
    const counts = { ',': 0, '\t': 0, ';': 0 };
    let q = false;
    for (const ch of first) {
      if (ch === '"') q = !q;
      else if (!q && ch in counts) counts[ch as ','] += 1;
    }
    const best = (Object.entries(counts) as [string, number][]).sort((a, b) => b[1] - a[1])[0]!;
    this.delimiter = (best[1] > 0 ? best[0] : ',').charCodeAt(0);
    return true;
  }

  private scan(out: CsvRow[], final: boolean): void {
    if (this.delimiter < 0) {
      if (!this.sniffDelimiter()) {
        if (!final) return;
        this.delimiter = 44;
      }
      if (this.buf.charCodeAt(this.pos) === 0xfeff) {
        this.pos++;
        this.rowStart = this.pos;
        this.cellStart = this.pos;
      }
    }
    const buf = this.buf;
    const n = buf.length;
    const d = this.delimiter;
    let i = this.pos;
    for (; i < n; i++) {
      const c = buf.charCodeAt(i);
      if (this.inQuotes) {
        if (c === 34) {
          if (i + 1 >= n && !final) break; // need the next char to tell "" from "
          if (buf.charCodeAt(i + 1) === 34) {
            this.cell += buf.slice(this.cellStart, i + 1);
            i++;
            this.cellStart = i + 1;
          } else {
            this.cell += buf.slice(this.cellStart, i);
            this.inQuotes = false;
            this.cellStart = i + 1;
          }
        } else if (c === 10) this.line++;
        continue;
      }
      if (c === 34 && i === this.cellStart && this.cell === '') {
        this.inQuotes = true;
        this.quoted = true;
        this.cellStart = i + 1;
      } else if (c === d) {
        this.endCell(i);
        this.cellStart = i + 1;
      } else if (c === 10) {
        const end = i > 0 && buf.charCodeAt(i - 1) === 13 ? i - 1 : i;
        this.endCell(end);
        this.emit(i, out);
        this.line++;
        this.rowStart = i + 1;
        this.rowLine = this.line;
        this.cellStart = i + 1;
      }
    }
    this.pos = i;
  }

  private endCell(end: number): void {
    // after a closing quote, any text up to the delimiter is appended (lenient, like Excel)
    const tail = this.buf.slice(this.cellStart, Math.max(this.cellStart, end));
    this.cells.push(this.cell + tail);
    this.cell = '';
    this.quoted = false;
  }

  private emit(end: number, out: CsvRow[]): void {
    const text = this.buf.slice(this.rowStart, end).replace(/\r?\n$/, '');
    const cells = this.cells;
    this.cells = [];
    if (cells.length === 1 && cells[0] === '' ) return; // blank line
    if (this.oversize) {
      this.oversize = false;
      out.push({ cells: [], text: '', line: this.rowLine, error: `row larger than ${MAX_ROW_CHARS / 1048576} MB: skipped` });
      return;
    }
    out.push({ cells, text, line: this.rowLine });
  }
}
