// Delivers the outbox: every pending (alert revision, sink) row whose time has come goes to its sink, oldest first,
// one sink's rows in order and different sinks side by side (a slow receiver delays only itself). A sink makes one
// attempt per call; here: a retryable failure waits the receiver's Retry-After or an exponential back-off
// (backoff × 2^(attempt−1), capped, jittered down to half) and is tried again up to maxAttempts; a failure that
// cannot pass (a 4xx, a bad certificate) or the last attempt moves the row to the dead-letter file. The attempt
// count and the next try are stored after every attempt, so a restart neither forgets nor resets them.
// Marking a row delivered happens after the receiver took it: a crash in between sends it again (same key).
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Alert } from '../detect/alert.js';
import type { Logger, Redactor } from '../sources/auth/redact.js';
import type { Clock } from '../sources/clock.js';
import type { Sink } from '../sinks/types.js';
import { M, type Metrics } from './metrics.js';
import type { DeliveryRow, WatchState } from './state.js';

export interface DispatcherOptions {
  state: WatchState;
  sinks: readonly Sink[];
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
  metrics: Metrics;
  maxAttempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  /** NDJSON file of deliveries that failed for good; undefined = only the store keeps them (state dead) */
  deadLetter?: string;
  random?: () => number;
  /** test seam: called after a sink accepted a message and before the row is marked delivered */
  onDelivered?: (row: DeliveryRow) => void;
}

export class Dispatcher {
  private readonly sinks: Map<string, Sink>;
  private readonly lastSent = new Map<string, number>();
  private running: Promise<number> | undefined;
  private halted: unknown;

  constructor(private readonly o: DispatcherOptions) {
    this.sinks = new Map(o.sinks.map((s) => [s.name, s]));
  }

  /** Deliver every row due now (one pass). Returns how many were delivered. Concurrent calls share one pass. */
  deliverDue(signal?: AbortSignal): Promise<number> {
    if (this.halted) return Promise.reject(this.halted as Error);
    this.running ??= this.pass(signal).finally(() => (this.running = undefined));
    return this.running;
  }

  /** When the next pending row is due (undefined: nothing pending). */
  nextDue(): number | undefined {
    return this.o.state.nextDue();
  }

  /**
   * Deliver until nothing is pending, waiting (on the clock) for retries — for `watch --once` and tests. Stops after
   * `maxPasses` passes or when the next try is further away than `maxWaitMs`.
   */
  async drain(o: { signal?: AbortSignal; maxPasses?: number; maxWaitMs?: number } = {}): Promise<number> {
    let n = 0;
    for (let i = 0; i < (o.maxPasses ?? 1000); i++) {
      n += await this.deliverDue(o.signal);
      const next = this.nextDue();
      if (next === undefined || o.signal?.aborted) break;
      const wait = next - this.o.clock.now();
      if (wait > (o.maxWaitMs ?? Infinity)) break;
      if (wait > 0) await this.o.clock.sleep(wait, o.signal);
    }
    return n;
  }

  private async pass(signal?: AbortSignal): Promise<number> {
    const rows = this.o.state.pending();
    const bySink = new Map<string, DeliveryRow[]>();
    for (const r of rows) {
      let l = bySink.get(r.sink);
      if (!l) bySink.set(r.sink, (l = []));
      l.push(r);
    }
    const counts = await Promise.all([...bySink].map(([name, list]) => this.sinkPass(name, list, signal)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async sinkPass(name: string, rows: DeliveryRow[], signal?: AbortSignal): Promise<number> {
    const sink = this.sinks.get(name);
    let delivered = 0;
    for (const row of rows) {
      if (signal?.aborted) break;
      // the sink's first row waits for its retry time: the rows behind it wait too (order per sink)
      if (row.nextAt > this.o.clock.now()) break;
      if (!sink) {
        await this.dead(row, row.attempts, `the sink "${name}" is no longer configured`);
        continue;
      }
      const gap = (this.lastSent.get(name) ?? -Infinity) + sink.minIntervalMs - this.o.clock.now();
      if (gap > 0) await this.o.clock.sleep(gap, signal).catch(() => undefined);
      if (signal?.aborted) break;
      let alert: Alert;
      try {
        alert = JSON.parse(row.body) as Alert;
      } catch {
        await this.dead(row, row.attempts, 'the stored alert is not readable JSON');
        continue;
      }
      const attempt = row.attempts + 1;
      const res = await sink.send({ key: row.key, alert, attempt }, signal);
      // halted while sending (a crash elsewhere): record nothing more
      if (this.halted) throw this.halted as Error;
      this.lastSent.set(name, this.o.clock.now());
      const now = this.o.clock.now();
      if (res.ok) {
        try {
          this.o.onDelivered?.(row);
        } catch (e) {
          this.halted = e;
          throw e;
        }
        this.o.state.markDelivered(row.seq, attempt, now);
        this.o.metrics.inc(...M.deliveries, { sink: name, outcome: 'delivered' });
        delivered++;
        continue;
      }
      const error = this.o.redactor.redact(res.error);
      this.o.metrics.inc(...M.deliveryErrors, { sink: name, code: res.code });
      if (!res.retryable || attempt >= this.o.maxAttempts) {
        await this.dead(row, attempt, res.retryable ? `gave up after ${attempt} attempts (last: ${error})` : error);
        continue;
      }
      const exp = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** (attempt - 1));
      const wait = res.retryAfterMs !== undefined ? Math.min(res.retryAfterMs, 24 * 3_600_000) : exp / 2 + (this.o.random ?? Math.random)() * (exp / 2);
      this.o.state.markRetry(row.seq, attempt, now + wait, error, now);
      this.o.metrics.inc(...M.deliveries, { sink: name, outcome: 'retry' });
      this.o.logger.debug(`sink ${name}: delivery ${row.key} failed (${error}); attempt ${attempt + 1}/${this.o.maxAttempts} in ${Math.round(wait / 1000)} s${res.retryAfterMs !== undefined ? ' (Retry-After)' : ''}`);
      // later rows of this sink would likely fail the same way and must not overtake this one
      break;
    }
    return delivered;
  }

  private async dead(row: DeliveryRow, attempts: number, error: string): Promise<void> {
    const now = this.o.clock.now();
    this.o.logger.warn(`sink ${row.sink}: alert ${row.alertId} (revision ${row.revision}) could not be delivered: ${error}${this.o.deadLetter ? ` — written to ${this.o.deadLetter}` : ''}`);
    if (this.o.deadLetter) {
      let alert: unknown;
      try {
        alert = JSON.parse(row.body);
      } catch {
        alert = null;
      }
      const line = JSON.stringify({ time: new Date(now).toISOString(), sink: row.sink, idempotencyKey: row.key, alertId: row.alertId, revision: row.revision, attempts, error, alert }) + '\n';
      await mkdir(path.dirname(this.o.deadLetter), { recursive: true, mode: 0o700 });
      await appendFile(this.o.deadLetter, line, { mode: 0o600 });
    }
    this.o.state.markDead(row.seq, attempts, error, now);
    this.o.metrics.inc(...M.deliveries, { sink: row.sink, outcome: 'dead' });
  }
}
