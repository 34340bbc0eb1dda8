// External sort of Events by event time, in bounded memory. Exports come newest-first and a directory's files in
// any order; the engine wants time order. Events collect in memory up to a budget, then the batch is sorted and
// spilled to a temp file as NDJSON (a "run"); at the end the runs are merged k-way with a heap. One run that fits
// never touches the disk.
//
// Order: (time, id, format, file, line). The tie-breakers make the order independent of the order files were
// read in; copies of one record (same id, same time: a sign-in in both the Graph and the diagnostic export) come
// out next to each other and only the first in that order is kept, so which copy wins never depends on file
// order either.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../core/event.js';
import { Heap } from '../detect/heap.js';

export interface SortOptions {
  /** estimated bytes of events held in memory before a run is spilled (default 64 MiB) */
  memoryBudget?: number;
  /** directory for run files (default: the OS temp dir) */
  tmpDir?: string;
}

export interface SortStats {
  runs: number;
  spilledBytes: number;
  events: number;
  /** copies of a record (same id and time) dropped in the merge */
  copies: number;
}

export const cmp = (a: Event, b: Event): number =>
  a.time - b.time ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
  (a.raw.format < b.raw.format ? -1 : a.raw.format > b.raw.format ? 1 : 0) ||
  (a.raw.file < b.raw.file ? -1 : a.raw.file > b.raw.file ? 1 : 0) ||
  (a.raw.line ?? 0) - (b.raw.line ?? 0);

/**
 * Rough in-memory size of an event: its raw text dominates (UTF-16, often held twice while parsing), the object
 * graph costs about 2 KB more. Measured on simulated sign-ins: within 10% of the heap growth.
 */
export function estimate(ev: Event): number {
  return 2000 + 3 * (ev.raw.text?.length ?? 0);
}

const WRITE_CHUNK = 1 << 20;

/** Per-run read buffer: small, because a merge holds one per run (100 runs = a few MB). */
const READ_CHUNK = 64 * 1024;

class RunReader {
  private readonly buf = Buffer.allocUnsafe(READ_CHUNK);
  private lines: string[] = [];
  private idx = 0;
  private rest: Buffer = Buffer.alloc(0);
  private eof = false;
  constructor(private readonly fd: number) {}

  next(): Event | undefined {
    for (;;) {
      if (this.idx < this.lines.length) {
        const line = this.lines[this.idx++]!;
        if (line) return JSON.parse(line) as Event;
        continue;
      }
      if (this.eof) {
        if (this.rest.length) {
          const line = this.rest.toString('utf8');
          this.rest = Buffer.alloc(0);
          if (line.trim()) return JSON.parse(line) as Event;
        }
        return undefined;
      }
      const n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      if (n === 0) {
        this.eof = true;
        continue;
      }
      // JSON.stringify escapes U+2028/9 and never emits a raw newline, so '\n' splits records exactly; a
      // multi-byte character split across reads is kept whole by decoding only up to the last newline
      const chunk = this.buf.subarray(0, n);
      const lastNl = chunk.lastIndexOf(0x0a);
      // (the read buffer is reused: keep copies)
      if (lastNl < 0) {
        this.rest = Buffer.concat([this.rest, chunk]);
        this.lines = [];
        this.idx = 0;
        continue;
      }
      const text = Buffer.concat([this.rest, chunk.subarray(0, lastNl)]).toString('utf8');
      this.rest = Buffer.from(chunk.subarray(lastNl + 1));
      this.lines = text.split('\n');
      this.idx = 0;
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

export class ExternalSorter {
  private batch: Event[] = [];
  private batchBytes = 0;
  private dir: string | undefined;
  private readonly runFiles: string[] = [];
  private readonly budget: number;
  readonly stats: SortStats = { runs: 0, spilledBytes: 0, events: 0, copies: 0 };
  private finished = false;

  constructor(private readonly opts: SortOptions = {}) {
    this.budget = opts.memoryBudget ?? 64 * 1024 * 1024;
  }

  add(ev: Event): void {
    if (this.finished) throw new Error('ExternalSorter: add after sorted()');
    this.batch.push(ev);
    this.stats.events++;
    this.batchBytes += estimate(ev);
    if (this.batchBytes >= this.budget) this.spill();
  }

  private spill(): void {
    if (this.batch.length === 0) return;
    this.batch.sort(cmp);
    this.dir ??= mkdtempSync(join(this.opts.tmpDir ?? tmpdir(), 'tenantwatch-sort-'));
    const file = join(this.dir, `run-${this.runFiles.length}.ndjson`);
    const fd = openSync(file, 'w');
    try {
      let chunk: string[] = [];
      let size = 0;
      for (const ev of this.batch) {
        const line = JSON.stringify(ev) + '\n';
        chunk.push(line);
        size += line.length;
        if (size >= WRITE_CHUNK) {
          this.stats.spilledBytes += writeSync(fd, chunk.join(''));
          chunk = [];
          size = 0;
        }
      }
      if (chunk.length) this.stats.spilledBytes += writeSync(fd, chunk.join(''));
    } finally {
      closeSync(fd);
    }
    this.runFiles.push(file);
    this.stats.runs++;
    this.batch = [];
    this.batchBytes = 0;
  }

  /** All events in order, copies of one record dropped. Call once; temp files are removed when it ends. */
  *sorted(): Generator<Event, void, undefined> {
    this.finished = true;
    let last: Event | undefined;
    const keep = (ev: Event): boolean => {
      if (last && last.time === ev.time && last.id === ev.id) {
        this.stats.copies++;
        return false;
      }
      last = ev;
      return true;
    };
    if (this.runFiles.length === 0) {
      const b = this.batch.sort(cmp);
      this.batch = [];
      if (b.length) this.stats.runs = 1;
      for (let i = 0; i < b.length; i++) {
        const ev = b[i]!;
        b[i] = undefined as unknown as Event; // let consumed events go
        if (keep(ev)) yield ev;
      }
      return;
    }
    this.spill();
    const readers = this.runFiles.map((f) => new RunReader(openSync(f, 'r')));
    try {
      const heap = new Heap<{ ev: Event; r: number }>((a, b) => cmp(a.ev, b.ev) < 0);
      readers.forEach((rd, r) => {
        const ev = rd.next();
        if (ev) heap.push({ ev, r });
      });
      for (let top = heap.pop(); top; top = heap.pop()) {
        const nx = readers[top.r]!.next();
        if (nx) heap.push({ ev: nx, r: top.r });
        if (keep(top.ev)) yield top.ev;
      }
    } finally {
      for (const rd of readers) rd.close();
      this.cleanup();
    }
  }

  /** Remove temp files (also safe to call after an error). */
  cleanup(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
