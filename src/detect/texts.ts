// Where the raw texts of evidence wait while detection state holds it. State keeps evidence for hours or days
// (a spray window, a session's earlier use) for up to 50,000 keys per rule; with the record texts inside (4 KB
// for a sign-in) state would grow with the tenant, not with the rules. So evidence in state carries a ref, the
// text waits here, and it is put back when an alert is built. State releases a ref when it drops the evidence.
//
// Texts live in memory up to a budget (characters). Past it, the oldest live texts either go to a temporary file
// (`spill`: one-shot hunts, which must never lose evidence) or are given up (live watch: the alert then says
// the text is missing). Only texts still held by state are ever written: most are released within minutes.
//
// A text still in its input file (an NDJSON line a hunt read as bytes: RawRef.at, or raw.offset + raw.bytes) is
// held as its place and read back, checked against its fingerprint.
import { closeSync, openSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import type { TextAt } from '../core/event.js';
import { textFingerprint } from '../core/fingerprint.js';
import { readAt } from '../io/read-at.js';
import { SpillFile } from '../io/spill-file.js';

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

/** Why a held text is missing (said in the evidence's raw.textDropped). */
export const BUDGET_DROPPED = 'detection state gave up this text to stay within its memory budget (engine texts budget)';

export class TextStore {
  private mem = new Map<number, string>();
  /** texts left in their input files: refs below 0 (a hunt holds up to millions, so no object per text) */
  private readonly inFile = new Places();
  private readonly inputs = new InputFiles();
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
        this.file ??= new SpillFile(this.opts.spill, 'tenantwatch-evidence-', 'texts');
        const p = this.file.append(t);
        if (p.bytes >= LEN_SPAN) throw new Error(`evidence text of ${p.bytes} bytes is over the spill limit`);
        this.onDisk.set(old, p.offset * LEN_SPAN + p.bytes);
        this.stats.spilled++;
        this.stats.spilledBytes = this.file.bytes;
      } else this.stats.dropped++;
    }
    return ref;
  }

  /** Hold a text that is still in its input file: only its place is kept, nothing counts against the budget. */
  putAt(file: string, at: TextAt): number {
    return -1 - this.inFile.add(file, at);
  }

  /** the text, or undefined when it was given up (or its input file changed) */
  get(ref: number): string | undefined {
    const t = this.textOrWhy(ref);
    return typeof t === 'string' ? t : undefined;
  }

  /** the text, or why it is missing */
  textOrWhy(ref: number): string | { why: string } {
    if (ref < 0) {
      const place = this.inFile.get(-1 - ref);
      return place ? this.readAt(place.file, place) : { why: 'the place of this text was released before the alert was built (a tenantwatch bug, please report)' };
    }
    const t = this.mem.get(ref);
    if (t !== undefined) return t;
    const at = this.onDisk.get(ref);
    return (at === undefined ? undefined : this.file?.read({ offset: Math.floor(at / LEN_SPAN), bytes: at % LEN_SPAN })) ?? { why: BUDGET_DROPPED };
  }

  /** A text left in its input file, read back and checked against its fingerprint. */
  readAt(file: string, at: TextAt): string | { why: string } {
    return this.inputs.read(file, at);
  }

  /** state no longer holds this text */
  release(ref: number): void {
    if (ref < 0) return this.inFile.remove(-1 - ref);
    const t = this.mem.get(ref);
    if (t !== undefined) {
      this.mem.delete(ref);
      this.size -= t.length;
    } else this.onDisk.delete(ref);
  }

  /** texts held now (memory, spill file and places in input files) */
  get held(): number {
    return this.mem.size + this.onDisk.size + this.inFile.size;
  }

  close(): void {
    this.mem.clear();
    this.onDisk.clear();
    this.inFile.clear();
    this.size = 0;
    this.file?.close();
    this.file = undefined;
    this.inputs.close();
  }
}

const SLOTS = 2 ** 32;

/**
 * Places in input files, in columns of slots. A freed slot is reused under a new generation, and the id handed
 * out is slot + generation * 2^32: an id kept past its release finds nothing rather than another record's text.
 */
class Places {
  private offset = new Float64Array(1024);
  private bytes = new Uint32Array(1024);
  private fp = new Uint32Array(1024);
  private file = new Uint32Array(1024);
  private gen = new Uint32Array(1024);
  private readonly files: string[] = [];
  private readonly fileIdx = new Map<string, number>();
  private readonly free: number[] = [];
  private top = 0;
  size = 0;

  add(file: string, at: TextAt): number {
    let f = this.fileIdx.get(file);
    if (f === undefined) {
      f = this.files.push(file) - 1;
      this.fileIdx.set(file, f);
    }
    const slot = this.free.pop() ?? this.top++;
    if (slot >= this.offset.length) this.grow();
    this.offset[slot] = at.offset;
    this.bytes[slot] = at.bytes;
    this.fp[slot] = at.fp;
    this.file[slot] = f + 1; // 0: a free slot
    this.size++;
    return slot + this.gen[slot]! * SLOTS;
  }

  get(id: number): (TextAt & { file: string }) | undefined {
    const slot = this.live(id);
    if (slot < 0) return undefined;
    return { file: this.files[this.file[slot]! - 1]!, offset: this.offset[slot]!, bytes: this.bytes[slot]!, fp: this.fp[slot]! };
  }

  remove(id: number): void {
    const slot = this.live(id);
    if (slot < 0) return;
    this.file[slot] = 0;
    this.gen[slot] = (this.gen[slot]! + 1) % 2 ** 20; // (ids stay below 2^53)
    this.free.push(slot);
    this.size--;
  }

  /** the slot of a live id, else -1 */
  private live(id: number): number {
    const slot = id % SLOTS;
    return slot < this.top && this.file[slot] !== 0 && this.gen[slot] === Math.floor(id / SLOTS) ? slot : -1;
  }

  clear(): void {
    this.file.fill(0);
    this.gen.fill(0);
    this.free.length = 0;
    this.top = 0;
    this.size = 0;
  }

  private grow(): void {
    const n = this.offset.length * 2;
    const widen = <T extends Float64Array | Uint32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.offset = widen(this.offset, new Float64Array(n));
    this.bytes = widen(this.bytes, new Uint32Array(n));
    this.fp = widen(this.fp, new Uint32Array(n));
    this.file = widen(this.file, new Uint32Array(n));
    this.gen = widen(this.gen, new Uint32Array(n));
  }
}

const MAX_OPEN_INPUTS = 16;

/** Input files opened to read texts back (a hunt's inputs; the least recently used are closed past a few). */
class InputFiles {
  private fds = new Map<string, number>();
  private td: TextDecoder | undefined;

  read(file: string, at: TextAt): string | { why: string } {
    let fd = this.fds.get(file);
    try {
      if (fd === undefined) {
        fd = openSync(file, 'r');
        if (this.fds.size >= MAX_OPEN_INPUTS) {
          const [oldest, ofd] = this.fds.entries().next().value as [string, number];
          this.fds.delete(oldest);
          closeSync(ofd);
        }
      } else this.fds.delete(file);
      this.fds.set(file, fd);
      const buf = readAt(fd, at.offset, at.bytes);
      if (buf.length === at.bytes) {
        // decoded as the reader decoded the line (src/io/text-decode.ts TextStreamDecoder.line)
        const text = (this.td ??= new TextDecoder('utf-8', { ignoreBOM: true })).decode(buf);
        if (textFingerprint(text) === at.fp) return text;
      }
    } catch (e) {
      return { why: `the input file could not be read again for this text (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the event's file and line say where it was` };
    }
    return { why: `the input file changed after it was read (its bytes at offset ${at.offset} are no longer this record), so the text is not shown; the event's file and line say where it was` };
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

/** spill-file places are kept as one number: offset * 2^16 + byte length (texts are capped well below 64 KB) */
const LEN_SPAN = 1 << 16;
