// An append-only temporary file of UTF-8 texts, each read back by its place: what a one-shot hunt keeps out of
// the heap (evidence texts past their memory budget, finished alerts until detection ends). Writes go through a
// 1 MB buffer; the file (in a directory of its own under the temp dir) exists only once the buffer first fills,
// and close() removes it.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAt } from './read-at.js';

const WRITE_BUFFER = 1 << 20;

export interface SpillPlace {
  offset: number;
  bytes: number;
}

export class SpillFile {
  private dir: string | undefined;
  private fd: number | undefined;
  private buf = Buffer.allocUnsafe(WRITE_BUFFER);
  private used = 0;
  private flushed = 0;

  /** `tmpDir`: where the file's directory goes ('' = the OS temp dir); `prefix`: the directory's name prefix */
  constructor(
    private readonly tmpDir: string,
    private readonly prefix: string,
    private readonly name: string,
  ) {}

  /** bytes written so far */
  get bytes(): number {
    return this.flushed + this.used;
  }

  /** where the file is (for messages) */
  get where(): string | undefined {
    return this.dir;
  }

  append(text: string): SpillPlace {
    const bytes = Buffer.byteLength(text);
    if (this.used + bytes > this.buf.length) this.flush();
    const offset = this.flushed + this.used;
    if (bytes > this.buf.length) {
      // larger than the buffer: straight to the file
      const b = Buffer.from(text);
      this.writeOut(b, bytes);
      return { offset, bytes };
    }
    this.buf.write(text, this.used);
    this.used += bytes;
    return { offset, bytes };
  }

  /** the text at `p`, or undefined when the file was cut short */
  read(p: SpillPlace): string | undefined {
    if (p.offset >= this.flushed) return this.buf.toString('utf8', p.offset - this.flushed, p.offset - this.flushed + p.bytes);
    const b = readAt(this.fd!, p.offset, p.bytes);
    return b.length === p.bytes ? b.toString('utf8') : undefined;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.fd = this.dir = undefined;
    this.used = this.flushed = 0;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.writeOut(this.buf, this.used);
    this.used = 0;
  }

  private writeOut(b: Buffer, n: number): void {
    if (this.fd === undefined) {
      this.dir = mkdtempSync(join(this.tmpDir || tmpdir(), this.prefix));
      this.fd = openSync(join(this.dir, this.name), 'w+');
    }
    let off = 0;
    while (off < n) off += writeSync(this.fd, b, off, n - off, this.flushed + off);
    this.flushed += n;
  }
}
