// Where the raw texts of evidence wait while detection state holds it. State keeps evidence for hours or days
// (a spray window, a session's earlier use) for up to 50,000 keys per rule; with the record texts inside (4 KB
// for a sign-in) state would grow with the tenant, not with the rules. So evidence in state carries a ref, the
// text waits here, and it is put back when an alert is built. State releases a ref when it drops the evidence.
//
// Texts live in memory up to a budget (characters). Past it, the oldest live texts either go to a temporary file
// (`spill`: one-shot hunts, which must never lose evidence) or are given up (live watch: the alert then says
// the text is missing). Only texts still held by state are ever written: most are released within minutes.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TextStoreOptions {
  /** characters kept in memory (default 64 Mi) */
  budget?: number;
  /** past the budget, write the oldest live texts to a temporary file under this directory ('' = the OS temp dir); absent: give them up */
  spill?: string;
}

export interface TextStoreStats {
  /** texts given up (no spill) */
  dropped: number;
  /** texts written to the spill file, and its size */
  spilled: number;
  spilledBytes: number;
}

export class TextStore {
  private mem = new Map<number, string>();
  /** ref -> position in the spill file (offset * 2^16 + byte length) */
  private onDisk = new Map<number, number>();
  private next = 0;
  private size = 0;
  private readonly budget: number;
  private file: SpillFile | undefined;
  readonly stats: TextStoreStats = { dropped: 0, spilled: 0, spilledBytes: 0 };

  constructor(private readonly opts: TextStoreOptions = {}) {
    this.budget = opts.budget ?? 64 * 1024 * 1024;
  }

  put(text: string): number {
    const ref = this.next++;
    this.mem.set(ref, text);
    this.size += text.length;
    // insertion order is age order: the oldest live texts leave memory first
    while (this.size > this.budget && this.mem.size > 1) {
      const [old, t] = this.mem.entries().next().value as [number, string];
      this.mem.delete(old);
      this.size -= t.length;
      if (this.opts.spill !== undefined) {
        this.file ??= new SpillFile(this.opts.spill);
        this.onDisk.set(old, this.file.write(t));
        this.stats.spilled++;
        this.stats.spilledBytes = this.file.bytes;
      } else this.stats.dropped++;
    }
    return ref;
  }

  /** the text, or undefined when it was given up */
  get(ref: number): string | undefined {
    const t = this.mem.get(ref);
    if (t !== undefined) return t;
    const at = this.onDisk.get(ref);
    return at === undefined ? undefined : this.file?.read(at);
  }

  /** state no longer holds this text */
  release(ref: number): void {
    const t = this.mem.get(ref);
    if (t !== undefined) {
      this.mem.delete(ref);
      this.size -= t.length;
    } else this.onDisk.delete(ref);
  }

  /** texts held now (memory and file) */
  get held(): number {
    return this.mem.size + this.onDisk.size;
  }

  close(): void {
    this.mem.clear();
    this.onDisk.clear();
    this.size = 0;
    this.file?.close();
    this.file = undefined;
  }
}

const WRITE_BUFFER = 1 << 20;
const LEN_SPAN = 1 << 16;

/** An append-only temporary file of UTF-8 texts (each at most 49,152 bytes: 16,384 characters). */
class SpillFile {
  private dir: string | undefined;
  private fd: number | undefined;
  private buf = Buffer.allocUnsafe(WRITE_BUFFER);
  private used = 0;
  private flushed = 0;

  constructor(private readonly tmpDir: string) {}

  get bytes(): number {
    return this.flushed + this.used;
  }

  write(text: string): number {
    const len = Buffer.byteLength(text);
    if (len >= LEN_SPAN) throw new Error(`evidence text of ${len} bytes is over the spill limit`);
    if (this.used + len > this.buf.length) this.flush();
    const at = this.flushed + this.used;
    this.buf.write(text, this.used);
    this.used += len;
    return at * LEN_SPAN + len;
  }

  read(pos: number): string | undefined {
    const len = pos % LEN_SPAN, start = (pos - len) / LEN_SPAN;
    if (start >= this.flushed) return this.buf.toString('utf8', start - this.flushed, start - this.flushed + len);
    const out = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = readSync(this.fd!, out, got, len - got, start + got);
      if (n <= 0) return undefined;
      got += n;
    }
    return out.toString('utf8');
  }

  private flush(): void {
    if (this.used === 0) return;
    if (this.fd === undefined) {
      this.dir = mkdtempSync(join(this.tmpDir || tmpdir(), 'tenantwatch-evidence-'));
      this.fd = openSync(join(this.dir, 'texts'), 'w+');
    }
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off, this.flushed + off);
    this.flushed += this.used;
    this.used = 0;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.fd = this.dir = undefined;
  }
}
