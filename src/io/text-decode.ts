// Bytes -> text. Microsoft exports come as UTF-8 with or without BOM, UTF-16LE with BOM (Windows PowerShell,
import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
// historical message trace), occasionally UTF-16BE or UTF-32 (some Extractor Suite scripts).
// The encoding is decided from the first bytes; decoding is streaming (multi-byte sequences may span chunks).

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

export function sniffEncoding(head: Buffer): { encoding: Encoding; bomLength: number } {
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0) return { encoding: 'utf-32le', bomLength: 4 };
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff) return { encoding: 'utf-32be', bomLength: 4 };
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8-bom', bomLength: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // No BOM: ASCII text in UTF-16 shows NULs in every other byte.
  if (head.length >= 4) {
    let evenNul = 0, oddNul = 0;
    const n = Math.min(head.length, 512) & ~1;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenNul++;
      if (head[i + 1] === 0) oddNul++;
    }
    if (oddNul > n / 2 * 0.6 && evenNul === 0) return { encoding: 'utf-16le', bomLength: 0 };
    if (evenNul > n / 2 * 0.6 && oddNul === 0) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

/** A streaming decoder for one encoding. */
export class TextStreamDecoder {
  private td?: TextDecoder;
  private rest: Buffer = Buffer.alloc(0);
  private readonly utf8: boolean;
  constructor(readonly encoding: Encoding) {
    this.utf8 = encoding === 'utf-8' || encoding === 'utf-8-bom';
    if (encoding === 'utf-8' || encoding === 'utf-8-bom') this.td = new TextDecoder('utf-8', { ignoreBOM: true });
    else if (encoding === 'utf-16le') this.td = new TextDecoder('utf-16le', { ignoreBOM: true });
    else if (encoding === 'utf-16be') this.td = new TextDecoder('utf-16be', { ignoreBOM: true });
  }

  /** UTF-8 only: the streaming decoder holds no partial multi-byte sequence (the last byte it saw was ASCII). */
  private asciiSafe = true;

  /**
   * Whether `chunk` may be cut into lines as bytes instead of going through `write`: UTF-8 with nothing pending in
   * the stream. 'ascii': every line reads as Latin-1 (a plain copy); 'utf8': each line through `line`.
   */
  byteChunk(chunk: Buffer): 'ascii' | 'utf8' | undefined {
    if (!this.utf8 || !this.asciiSafe) return undefined;
    return isAscii(chunk) ? 'ascii' : 'utf8';
  }

  /**
   * One line of a UTF-8 byte chunk as text: the text streaming decoding gives for it, since a line ends at a
   * newline byte, which is never part of a multi-byte sequence (a sequence it cuts short is replaced the same way).
   */
  line(buf: Buffer, start: number, end: number): string {
    return (this.lineTd ??= new TextDecoder('utf-8', { ignoreBOM: true })).decode(buf.subarray(start, end));
  }
  private lineTd: TextDecoder | undefined;

  write(chunk: Buffer): string {
    if (this.td) {
      if (this.utf8) {
        // Pure-ASCII chunks (most logs) decode identically as Latin-1, which is a plain copy.
        if (this.asciiSafe && isAscii(chunk)) return chunk.toString('latin1');
        if (chunk.length) this.asciiSafe = chunk[chunk.length - 1]! < 0x80;
      }
      return this.td.decode(chunk, { stream: true });
    }
    return this.utf32(chunk, false);
  }

  end(): string {
    if (this.td) return this.td.decode();
    return this.utf32(Buffer.alloc(0), true);
  }

  private utf32(chunk: Buffer, final: boolean): string {
    const buf = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const whole = buf.length - (buf.length % 4);
    let s = '';
    for (let i = 0; i < whole; i += 4) {
      const cp = this.encoding === 'utf-32le' ? buf.readUInt32LE(i) : buf.readUInt32BE(i);
      s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
    }
    this.rest = final ? Buffer.alloc(0) : buf.subarray(whole);
    if (final && buf.length % 4) s += '\ufffd';
    return s;
  }
}
