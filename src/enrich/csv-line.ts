// The small CSV dialect of IP range tables: comma-separated, fields optionally in double quotes with "" inside.
// One record per line (these tables have no multi-line cells), so a file is split on newlines first.
import { closeSync, openSync, readSync } from 'node:fs';

/** Split one CSV line into fields. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i <= n) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          s += line.slice(i);
          i = n;
          break;
        }
        s += line.slice(i, q);
        if (line[q + 1] === '"') {
          s += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(s);
      const c = line.indexOf(',', i);
      i = c < 0 ? n + 1 : c + 1;
    } else {
      const c = line.indexOf(',', i);
      if (c < 0) {
        out.push(line.slice(i));
        break;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
  return out;
}

/** Call `fn` for each non-empty line (CRLF and a BOM tolerated), with its 1-based line number. */
export function eachLine(text: string, fn: (line: string, lineNo: number) => void): void {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() !== '') fn(line, lineNo);
    start = end + 1;
  }
}

/**
 * The lines of a file read in chunks (1 MiB), as byte ranges of `buf` (valid during the call only; CR, LF and a
 * UTF-8 BOM removed; empty lines skipped), for the large shipped tables: the file is never one string in memory,
 * and a parser can read numbers from the bytes and make strings only for what it keeps. A string sliced from a
 * whole-file string would also keep the whole file alive for as long as the slice lives.
 */
export function eachLineOfFile(file: string, fn: (buf: Buffer, start: number, end: number, lineNo: number) => void, chunkSize = 1 << 20): void {
  const fd = openSync(file, 'r');
  try {
    let buf = Buffer.allocUnsafe(chunkSize);
    let carry = 0; // bytes of an unfinished line at the start of buf
    let filePos = 0;
    let lineNo = 0;
    const emit = (start: number, end: number): void => {
      lineNo++;
      if (end > start && buf[end - 1] === 13) end--;
      if (end > start) fn(buf, start, end, lineNo);
    };
    for (;;) {
      const got = readSync(fd, buf, carry, buf.length - carry, filePos);
      const end = carry + got;
      let start = filePos === 0 && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      filePos += got;
      if (got === 0) {
        if (start < end) emit(start, end);
        return;
      }
      for (let nl = buf.indexOf(10, start); nl >= 0 && nl < end; nl = buf.indexOf(10, start)) {
        emit(start, nl);
        start = nl + 1;
      }
      carry = end - start;
      if (carry === buf.length) {
        // one line longer than the buffer: grow it
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      } else buf.copy(buf, 0, start, end);
    }
  } finally {
    closeSync(fd);
  }
}

/** How many line feeds a file holds (to size arrays before parsing it, instead of growing them). */
export function countLines(file: string, chunkSize = 1 << 20): number {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(chunkSize);
    let n = 0;
    for (let pos = 0, got = 0; (got = readSync(fd, buf, 0, chunkSize, pos)) > 0; pos += got) {
      for (let i = buf.indexOf(10, 0); i >= 0 && i < got; i = buf.indexOf(10, i + 1)) n++;
    }
    return n;
  } finally {
    closeSync(fd);
  }
}
