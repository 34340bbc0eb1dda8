// Ordering without sorting, for input that is already (nearly) in event-time order — one NDJSON export, or the
// byte ranges of one read in parallel. Events wait in a small heap until the newest event time seen is `windowMs`
// past them (diagnostic exports are ordered by processing time, which trails the event time by minutes), then
// go to detection in exactly the order the external sort would give them: (time, id, format, file, line), copies
// of one record (same time and id) dropped. An event that would have to go before one already released makes
// `add` return false; the hunt then starts over with the external sort, so results never depend on the input
// order. Memory: the heap holds at most `budget` estimated bytes; past it the oldest is released early (which
// only makes such a restart more likely).
import type { Event } from '../core/event.js';
import { Heap } from '../detect/heap.js';
import type { ReadSink, ReadSummary } from '../pipeline/read.js';
import { cmp, estimate } from './sort.js';
import type { TenantJoin, TenantTally } from './tenant.js';
import { isUalDirectoryRecord } from './twins.js';

export interface StreamOrderOptions {
  /** how far behind the newest event time an event may still arrive (default 15 minutes) */
  windowMs?: number;
  /** estimated bytes of events held (default 32 MiB) */
  budget?: number;
}

export class StreamOrder {
  private readonly heap = new Heap<Event>((a, b) => cmp(a, b) < 0);
  private readonly windowMs: number;
  private readonly budget: number;
  private held = 0;
  private maxTime = -Infinity;
  /** the last event released (kept or dropped as a copy) */
  private lastOut: Event | undefined;
  /** the last event kept */
  private lastKept: Event | undefined;
  readonly stats = { events: 0, copies: 0 };

  constructor(
    private readonly emit: (ev: Event) => void,
    opts: StreamOrderOptions = {},
  ) {
    this.windowMs = opts.windowMs ?? 15 * 60_000;
    this.budget = opts.budget ?? 32 * 1024 * 1024;
  }

  /** false: `ev` belongs before an event already released; the input is not in order. */
  add(ev: Event): boolean {
    if (this.lastOut && cmp(ev, this.lastOut) < 0) return false;
    this.heap.push(ev);
    this.held += estimate(ev);
    this.stats.events++;
    if (ev.time > this.maxTime) this.maxTime = ev.time;
    const due = this.maxTime - this.windowMs;
    for (let top = this.heap.peek(); top && (top.time < due || this.held > this.budget); top = this.heap.peek()) this.release();
    return true;
  }

  /** Release everything held (end of input). */
  end(): void {
    while (this.heap.size) this.release();
  }

  private release(): void {
    const ev = this.heap.pop()!;
    this.held -= estimate(ev);
    this.lastOut = ev;
    const last = this.lastKept;
    if (last && last.time === ev.time && last.id === ev.id) {
      this.stats.copies++;
      return;
    }
    this.lastKept = ev;
    this.emit(ev);
  }
}

export interface StreamInOrderOptions {
  tenants: TenantTally;
  /** --tenant: what tenant-less events become (without it, such an event ends the attempt) */
  tenant?: string;
  /** detection of one event, in order */
  detect: (ev: Event) => void;
  onEvent?: () => void;
}

export interface StreamedRead {
  summary: ReadSummary;
  order: { events: number; runs: number; spilledBytes: number; copies: number };
}

/**
 * One pass: read and detect together, when the input comes in event-time order. Gives up (undefined) at the
 * first event that would change what the sorted path does: out of order, tenant-less without --tenant (the
 * tenant join is decided on the whole input), or a UAL directory record (whose Entra twin may come later).
 */
export async function streamInOrder(read: (sink: ReadSink, stop: () => boolean) => Promise<ReadSummary>, o: StreamInOrderOptions): Promise<StreamedRead | undefined> {
  const join: TenantJoin = o.tenant ? { assign: o.tenant } : {};
  const order = new StreamOrder((ev) => o.detect(o.tenants.apply(ev, join)));
  let broken = false;
  const add = (e: Event): void => {
    if (broken) return;
    if ((!o.tenant && (e.tenant === 'unknown' || e.tenant === '')) || isUalDirectoryRecord(e) || !order.add(e)) broken = true;
  };
  const summary = await read(
    {
      event: (e) => {
        o.tenants.observe(e.tenant);
        add(e);
        o.onEvent?.();
      },
      duplicate: add,
    },
    () => broken,
  );
  if (broken) return undefined;
  order.end();
  return { summary, order: { events: order.stats.events, runs: 1, spilledBytes: 0, copies: order.stats.copies } };
}
