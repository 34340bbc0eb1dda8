// A decoding thread of the parallel reader (parallel.ts): runs readOne on a file or byte range without dedup and
// posts its outcomes in order, at most WINDOW batches ahead of the main thread.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { Event } from '../core/event.js';
import { WINDOW, type FromWorker, type Outcome, type Task, type ToWorker, type WorkerReadOptions } from './parallel.js';
import { readOne } from './read.js';

const port = parentPort!;
/** batches posted and not yet used by the main thread, over all tasks (a small task must not reset the count) */
let inFlight = 0;
let waiter: (() => void) | undefined;

port.on('message', (m: ToWorker) => {
  if (m.t === 'ack') {
    inFlight--;
    const w = waiter;
    waiter = undefined;
    w?.();
  } else if (m.t === 'task') {
    run(m.task, m.opts).catch((e: Error) => port.postMessage({ t: 'error', task: m.task.id, message: e.stack ?? e.message } satisfies FromWorker));
  } else process.exit(0);
});

async function run(task: Task, opts: WorkerReadOptions): Promise<void> {
  if (task.kind === 'hash') {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(task.path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
    port.postMessage({ t: 'hash', task: task.id, sha256: h.digest('hex') } satisfies FromWorker);
    return;
  }
  let items: Outcome[] = [];
  let bytes = 0;
  let lines = 0;
  const flush = async (): Promise<void> => {
    if (items.length === 0 && bytes === 0) return;
    port.postMessage({ t: 'batch', task: task.id, items, bytes } satisfies FromWorker);
    items = [];
    bytes = 0;
    inFlight++;
    while (inFlight >= WINDOW) await new Promise<void>((res) => (waiter = res));
  };
  const stats = await readOne(
    { path: task.path, size: task.kind === 'file' ? task.size : undefined },
    {
      event: (e: Event, format?: string) => {
        items.push(['e', e, format ?? e.raw.format]);
      },
      filtered: (ref, reason) => {
        items.push(['f', ref.line, reason, ref.format]);
      },
      quarantined: (ref, reason, text) => {
        items.push(['q', ref.line, reason, text, ref.format]);
      },
    },
    {
      ...opts,
      dedup: false,
      onBytes: (n) => (bytes += n),
      afterChunk: () => (bytes >= 1 << 20 ? flush() : undefined),
      onLines: (n) => (lines = n),
    },
    undefined,
    task.kind === 'range' ? task.range : undefined,
  );
  await flush();
  port.postMessage({ t: 'done', task: task.id, stats, lines } satisfies FromWorker);
}
