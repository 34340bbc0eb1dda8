// Parallel reading (docs/ARCHITECTURE.md "Parallel decoding"): worker threads run framing + decoders, per file
// and per byte range of large NDJSON files (split at newlines), and post back the outcomes in order; the main
// thread keeps what needs one global view — dedup and the per-file accounting of events — and replays the
// outcomes in input order. The sink sees exactly the calls `readInputs` would make, in the same order, and the
// summary is identical: results never depend on the thread count.
//
// What crosses the boundary: task descriptions in; Event batches out (structured clone, so an Event arrives
// exactly as it was built), plus filtered / quarantined outcomes and the per-file stats. Flow control: a worker posts at most WINDOW batches ahead of the main thread, so memory stays
// bounded however far the workers could run ahead.
import { availableParallelism } from 'node:os';
import { closeSync, openSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Event, Fact } from '../core/event.js';
import { expandInputs, type InputFile } from '../io/inputs.js';
import { readAt } from '../io/read-at.js';
import { Deduper } from './dedup.js';
import { countEvent, readInputs, readOne, splittableNdjson, type ByteRange, type FileStats, type ReadOptions, type ReadSink, type ReadSummary } from './read.js';

export interface ParallelOptions extends ReadOptions {
  /**
   * Threads in all, this one included: N - 1 worker threads decode while this thread replays their outcomes (and
   * the hunt detects). 1 reads in this thread (readInputs). Default: the machine's cores.
   */
  threads?: number;
  /**
   * NDJSON files of at least 8 times this size are split into ranges of about this size (default 4 MiB; the
   * first range is at least 16 MiB, so it holds the records that decide whether the file is a log at all).
   * Small ranges handed out in turn keep every thread busy with little read-ahead: results are used in order.
   */
  rangeBytes?: number;
  /** the first range's least size (default 16 MiB; tests lower it to split small files) */
  firstRangeBytes?: number;
}

/** The options a worker needs (functions and streams stay here). */
export interface WorkerReadOptions {
  since?: number;
  until?: number;
  tz?: string;
  dayFirst?: boolean;
  keepReasons?: number;
  leaveTexts?: boolean;
}

export type Task =
  | { id: number; kind: 'file'; path: string; size?: number }
  | { id: number; kind: 'range'; path: string; range: ByteRange }
  | { id: number; kind: 'hash'; path: string };

/** One outcome, in input order: an event (with the decoder id), filtered, quarantined. */
export type Outcome = ['e', Event, string] | ['f', number | undefined, string, string | undefined] | ['q', number | undefined, string, string, string | undefined];

export type ToWorker = { t: 'task'; task: Task; opts: WorkerReadOptions } | { t: 'ack'; task: number } | { t: 'exit' };
export type FromWorker =
  | { t: 'batch'; task: number; items: Outcome[]; bytes: number }
  | { t: 'done'; task: number; stats: FileStats; lines: number }
  | { t: 'hash'; task: number; sha256: string }
  | { t: 'error'; task: number; message: string };

/** batches (about 1 MB of input each) a worker may post ahead of the main thread */
export const WINDOW = 8;
const DEFAULT_RANGE = 4 * 1024 * 1024;
const FIRST_RANGE = 16 * 1024 * 1024;

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** readInputs on `threads` worker threads: same sink calls in the same order, same summary. */
export async function readInputsParallel(paths: string[], sink: ReadSink, opts: ParallelOptions = {}): Promise<ReadSummary> {
  const threads = opts.threads ?? defaultThreads();
  if (threads <= 1) return readInputs(paths, sink, opts);
  const { files, skipped } = await expandInputs(paths);
  const tasks = planTasks(files, opts.rangeBytes ?? DEFAULT_RANGE, opts.firstRangeBytes ?? FIRST_RANGE);
  const workOrder = tasks.filter((t) => !(t.kind === 'file' && t.path === '-'));
  const wopts: WorkerReadOptions = { since: opts.since, until: opts.until, tz: opts.tz, dayFirst: opts.dayFirst, keepReasons: opts.keepReasons, leaveTexts: opts.leaveTexts };
  const pool = new Pool(Math.min(threads - 1, Math.max(1, workOrder.length)), workOrder, wopts, (n) => opts.onBytes?.(n));
  const dedup = opts.dedup === false ? undefined : new Deduper();
  const stats: FileStats[] = [];
  try {
    const byFile = groupByFile(tasks);
    for (const group of byFile) {
      if (opts.stop?.()) break;
      const first = group.parts[0]!;
      if (first.kind === 'file' && first.path === '-') {
        // standard input is one stream: read here, in its turn
        const st = await readOne({ path: '-' }, sink, opts, dedup);
        if (st.skipped) skipped.push({ path: st.path, reason: st.skipped });
        stats.push(st);
        continue;
      }
      const st = await replayFile(group, pool, sink, dedup, opts.keepReasons ?? 10, opts.stop);
      if (st.skipped) skipped.push({ path: st.path, reason: st.skipped });
      stats.push(st);
    }
  } finally {
    dedup?.close();
    await pool.close();
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

interface FileGroup {
  path: string;
  parts: Task[]; // a 'file' task, or the 'range' tasks of one file in order
  hash?: Task;
}

function groupByFile(tasks: Task[]): FileGroup[] {
  const out: FileGroup[] = [];
  for (const t of tasks) {
    const last = out[out.length - 1];
    if (t.kind === 'hash') last!.hash = t;
    else if (t.kind === 'range' && !t.range.first) last!.parts.push(t);
    else out.push({ path: t.path, parts: [t] });
  }
  return out;
}

/** Files in input order; a large NDJSON file becomes ranges split at newlines, plus a task hashing it whole. */
export function planTasks(files: InputFile[], rangeBytes: number, firstRange = FIRST_RANGE): Task[] {
  const tasks: Task[] = [];
  let id = 0;
  for (const f of files) {
    const size = f.size ?? 0;
    const cuts = f.path !== '-' && size >= Math.max(8 * rangeBytes, 2 * firstRange) ? splitPoints(f.path, size, rangeBytes, firstRange) : undefined;
    if (!cuts) {
      tasks.push({ id: id++, kind: 'file', path: f.path, size: f.size });
      continue;
    }
    for (let i = 0; i + 1 < cuts.length; i++) tasks.push({ id: id++, kind: 'range', path: f.path, range: { start: cuts[i]!, end: cuts[i + 1]!, first: i === 0 } });
    tasks.push({ id: id++, kind: 'hash', path: f.path });
  }
  return tasks;
}

/** Range boundaries (each just after a newline), or undefined when the file should be read whole. */
function splitPoints(path: string, size: number, rangeBytes: number, firstRange: number): number[] | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined; // readOne reports it
  }
  try {
    // the decisions the reader makes from its first line (encoding, NDJSON) must be the same for the whole file
    let head: Buffer;
    for (let want = 64 * 1024; ; want *= 4) {
      head = readAt(fd, 0, Math.min(want, size));
      const ok = splittableNdjson(head);
      if (ok === false) return undefined;
      if (ok === true) break;
      if (head.length >= size || want >= 1 << 20) return undefined;
    }
    const cuts = [0];
    for (let p = Math.max(rangeBytes, firstRange); p < size - rangeBytes / 2; ) {
      const nl = nextNewline(fd, p, size);
      if (nl < 0 || nl + 1 >= size) break;
      cuts.push(nl + 1);
      p = nl + 1 + rangeBytes;
    }
    cuts.push(size);
    return cuts.length > 2 ? cuts : undefined;
  } finally {
    closeSync(fd);
  }
}

function nextNewline(fd: number, pos: number, size: number): number {
  for (let p = pos; p < size; p += 64 * 1024) {
    const b = readAt(fd, p, Math.min(64 * 1024, size - p));
    const i = b.indexOf(0x0a);
    if (i >= 0) return p + i;
  }
  return -1;
}

/**
 * Replay one file's outcomes (its ranges in order) through dedup and the per-file event accounting, and merge
 * the per-range stats the workers counted (records, filtered, quarantined, reasons).
 */
async function replayFile(
  group: FileGroup, pool: Pool, sink: ReadSink, dedup: Deduper | undefined, keep: number, stop?: () => boolean,
): Promise<FileStats> {
  const facts = new Set<Fact>();
  const counts = blankCounts(group.path); // the event accounting, done here across the file's ranges
  let st: FileStats | undefined;
  let lineOffset = 0;
  for (const part of group.parts) {
    const res = await pool.consume(part.id, (items) => {
      for (let i = 0; i < items.length; i++) {
        const it = items[i]!;
        if (it[0] === 'e') {
          const e = it[1];
          if (lineOffset && e.raw.line !== undefined) e.raw.line += lineOffset;
          countEvent(counts, facts, dedup, sink, e, it[2]);
        } else if (it[0] === 'f') {
          sink.filtered?.({ file: group.path, line: shift(it[1], lineOffset), format: it[3] }, it[2]);
        } else {
          sink.quarantined?.({ file: group.path, line: shift(it[1], lineOffset), format: it[4] }, it[2], it[3]);
        }
      }
    });
    if (!st) st = res.stats;
    else mergeRange(st, res.stats, lineOffset, keep);
    lineOffset += res.lines;
    if (st.skipped) break; // the first range found no log: the rest of the file is not read
    if (stop?.()) return st;
  }
  st = st!;
  if (st.skipped) {
    for (const p of group.parts) pool.discard(p.id);
    if (group.hash) pool.discard(group.hash.id);
    return st;
  }
  if (group.hash) st.sha256 = await pool.hashOf(group.hash.id);
  // the worker counted every event as new; dedup and these counts are the main thread's
  st.events = counts.events;
  st.duplicates = counts.duplicates;
  st.formats = counts.formats;
  st.actions = counts.actions;
  if (counts.timeMin !== undefined) {
    st.timeMin = counts.timeMin;
    st.timeMax = counts.timeMax;
  } else {
    delete st.timeMin;
    delete st.timeMax;
  }
  st.facts = [...facts].sort();
  return st;
}

function shift(line: number | undefined, by: number): number | undefined {
  return line === undefined ? undefined : line + by;
}

function blankCounts(path: string): FileStats {
  return {
    path, sha256: '', bytes: 0, formats: {}, records: 0, events: 0, duplicates: 0, filtered: 0, quarantined: 0,
    filteredReasons: {}, quarantineSamples: [], quarantineReasons: {}, actions: {}, facts: [],
  };
}

/** Add a later range's worker-side counts to the file's stats. */
function mergeRange(st: FileStats, r: FileStats, lineOffset: number, keep: number): void {
  st.bytes += r.bytes;
  st.records += r.records;
  st.filtered += r.filtered;
  st.quarantined += r.quarantined;
  for (const [k, v] of Object.entries(r.filteredReasons)) st.filteredReasons[k] = (st.filteredReasons[k] ?? 0) + v;
  for (const [k, v] of Object.entries(r.quarantineReasons)) st.quarantineReasons[k] = (st.quarantineReasons[k] ?? 0) + v;
  for (const q of r.quarantineSamples) {
    if (st.quarantineSamples.length >= keep) break;
    st.quarantineSamples.push({ line: shift(q.line, lineOffset), reason: q.reason });
  }
}

interface TaskResult {
  stats: FileStats;
  lines: number;
}

type BatchFn = (items: Outcome[]) => void;

/** The worker script beside this module; from TypeScript sources (tests under tsx) it loads tsx first. */
function startWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  const url = new URL(`./parallel-worker${extname(here)}`, import.meta.url);
  // a worker holds one chunk of input and a few batches: a small heap keeps the process under its RSS cap
  const resourceLimits = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 12 };
  if (extname(here) !== '.ts') return new Worker(url, { resourceLimits });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { eval: true, resourceLimits });
}

/** Worker threads taking tasks in order; results are consumed in task order. */
class Pool {
  private readonly workers: Worker[] = [];
  private next = 0;
  private readonly owner = new Map<number, Worker>();
  private readonly batches = new Map<number, FromWorker[]>();
  private readonly results = new Map<number, TaskResult>();
  private readonly hashes = new Map<number, string>();
  private readonly discarded = new Set<number>();
  private wake: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(
    n: number,
    private readonly tasks: Task[],
    private readonly opts: WorkerReadOptions,
    private readonly onBytes: (n: number) => void,
  ) {
    for (let i = 0; i < n; i++) {
      const w = startWorker();
      w.on('message', (m: FromWorker) => this.onMessage(w, m));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0 && !this.closing) this.fail(new Error(`parallel reader: a worker exited with code ${code}`));
      });
      this.workers.push(w);
      this.assign(w);
    }
  }

  private closing = false;

  private assign(w: Worker): void {
    const task = this.tasks[this.next];
    if (!task) return;
    this.next++;
    this.owner.set(task.id, w);
    w.postMessage({ t: 'task', task, opts: this.opts } satisfies ToWorker);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private onMessage(w: Worker, m: FromWorker): void {
    if (m.t === 'error') return this.fail(new Error(m.message));
    if (m.t === 'batch') {
      this.onBytes(m.bytes);
      if (this.discarded.has(m.task)) {
        w.postMessage({ t: 'ack', task: m.task } satisfies ToWorker);
        return;
      }
      let q = this.batches.get(m.task);
      if (!q) this.batches.set(m.task, (q = []));
      q.push(m);
    } else if (m.t === 'done') {
      this.results.set(m.task, { stats: m.stats, lines: m.lines });
      this.assign(w);
    } else {
      this.hashes.set(m.task, m.sha256);
      this.assign(w);
    }
    this.notify();
  }

  private wait(): Promise<void> {
    return new Promise((res) => (this.wake = res));
  }

  /** Hand each batch of task `id` to `fn` in order; resolves with the task's stats when it is done. */
  async consume(id: number, fn: BatchFn): Promise<TaskResult> {
    for (;;) {
      if (this.failure) throw this.failure;
      const q = this.batches.get(id);
      if (q && q.length) {
        const m = q.shift() as Extract<FromWorker, { t: 'batch' }>;
        fn(m.items);
        this.owner.get(id)?.postMessage({ t: 'ack', task: id } satisfies ToWorker);
        continue;
      }
      const r = this.results.get(id);
      if (r) {
        this.results.delete(id);
        this.batches.delete(id);
        return r;
      }
      await this.wait();
    }
  }

  async hashOf(id: number): Promise<string> {
    for (;;) {
      if (this.failure) throw this.failure;
      const h = this.hashes.get(id);
      if (h !== undefined) return h;
      await this.wait();
    }
  }

  /** Results of this task are not needed (the file turned out not to be a log). */
  discard(id: number): void {
    this.discarded.add(id);
    const q = this.batches.get(id);
    if (q) for (let i = 0; i < q.length; i++) this.owner.get(id)?.postMessage({ t: 'ack', task: id } satisfies ToWorker);
    this.batches.delete(id);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
