// Delivers the outbox: every pending (alert revision, sink) row whose time has come goes to its sink, oldest first,
// one sink's rows in order and different sinks side by side (a slow receiver delays only itself). A sink makes one
// attempt per call; here: a retryable failure waits the receiver's Retry-After or an exponential back-off
// (backoff × 2^(attempt−1), capped, jittered down to half) and is tried again up to maxAttempts; a failure that
// cannot pass (a 4xx, a bad certificate) or the last attempt moves the row to the dead-letter file — unless the
// next row fails too (the receiver is down): then the row waits, and an outage dead-letters nothing. The attempt
// count and the next try are stored after every attempt, so a restart neither forgets nor resets them.
// Marking a row delivered happens after the receiver took it: a crash in between sends it again (same key).
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Alert } from '../detect/alert.js';
import type { Logger, Redactor } from '../sources/auth/redact.js';
import type { Clock } from '../sources/clock.js';
import { failure, type SendOutcome, type Sink } from '../sinks/types.js';
import { M, type Metrics } from './metrics.js';
import type { DeliveryRow, WatchState } from './state.js';

const WARN_EVERY_MS = 60_000;

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
  /** sinks whose last attempt failed -> when a warning last said so */
  private readonly failing = new Map<string, number>();
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
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (signal?.aborted) break;
      // the sink's first row waits for its retry time: the rows behind it wait too (order per sink)
      if (row.nextAt > this.o.clock.now()) break;
      if (!sink) {
        await this.dead(row, row.attempts, `the sink "${name}" is no longer configured`);
        continue;
      }
      const res = await this.send(sink, row, signal);
      if (res === undefined) continue; // unreadable, dead-lettered
      // our own stop (SIGTERM, Ctrl-C) cut the attempt short: the receiver did not refuse it, so it costs no attempt
      if (!res.ok && signal?.aborted) break;
      const attempt = row.attempts + 1;
      const now = this.o.clock.now();
      if (res.ok) {
        this.delivered(row, attempt, now);
        delivered++;
        continue;
      }
      const error = this.o.redactor.redact(res.error);
      this.o.metrics.inc(...M.deliveryErrors, { sink: name, code: res.code });
      if (!res.retryable) {
        await this.dead(row, attempt, error);
        continue;
      }
      if (attempt >= this.o.maxAttempts) {
        // Out of attempts: is it this alert, or is the receiver down? The next row tells (its attempt is not
        // counted): taken -> this one is given up; failing too -> an outage, which delays alerts but loses none.
        const next = rows[i + 1];
        const probe = next ? await this.send(sink, next, signal) : undefined;
        if (next && probe && !probe.ok && signal?.aborted) {
          this.retry(row, attempt, now, this.o.maxBackoffMs, res.retryAfterMs, error);
          break;
        }
        if (!next || probe?.ok) {
          await this.dead(row, attempt, `gave up after ${attempt} attempts (last: ${error})`);
          if (next && probe?.ok) {
            this.delivered(next, next.attempts + 1, this.o.clock.now());
            delivered++;
            i++;
          }
          continue;
        }
        if (probe) this.o.metrics.inc(...M.deliveryErrors, { sink: name, code: probe.code });
        if (next && probe && !probe.retryable) await this.dead(next, next.attempts + 1, this.o.redactor.redact(probe.error));
        this.retry(row, attempt, now, this.o.maxBackoffMs, res.retryAfterMs ?? probe?.retryAfterMs, error);
        break;
      }
      this.retry(row, attempt, now, Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** (attempt - 1)), res.retryAfterMs, error);
      // later rows of this sink would likely fail the same way and must not overtake this one
      break;
    }
    return delivered;
  }

  /** One attempt (paced per sink). Undefined when the stored alert is unreadable (then dead-lettered). */
  private async send(sink: Sink, row: DeliveryRow, signal?: AbortSignal): Promise<SendOutcome | undefined> {
    const gap = (this.lastSent.get(sink.name) ?? -Infinity) + sink.minIntervalMs - this.o.clock.now();
    if (gap > 0) await this.o.clock.sleep(gap, signal).catch(() => undefined);
    if (signal?.aborted) return failure('stopped', 'aborted', true);
    let alert: Alert;
    try {
      alert = JSON.parse(row.body) as Alert;
    } catch {
      await this.dead(row, row.attempts, 'the stored alert is not readable JSON');
      return undefined;
    }
    const res = await sink.send({ key: row.key, alert, attempt: row.attempts + 1 }, signal);
    // halted while sending (a crash elsewhere): record nothing more
    if (this.halted) throw this.halted as Error;
    this.lastSent.set(sink.name, this.o.clock.now());
    return res;
  }

  private delivered(row: DeliveryRow, attempt: number, now: number): void {
    try {
      this.o.onDelivered?.(row);
    } catch (e) {
      this.halted = e;
      throw e;
    }
    this.o.state.markDelivered(row.seq, attempt, now);
    this.o.metrics.inc(...M.deliveries, { sink: row.sink, outcome: 'delivered' });
    if (this.failing.delete(row.sink)) this.o.logger.info(`sink ${row.sink}: delivering again`);
  }

  /** Store the failed attempt and the next try: the receiver's Retry-After, else `exp` jittered down to half. */
  private retry(row: DeliveryRow, attempt: number, now: number, exp: number, retryAfterMs: number | undefined, error: string): void {
    const wait = retryAfterMs !== undefined ? Math.min(retryAfterMs, 24 * 3_600_000) : exp / 2 + (this.o.random ?? Math.random)() * (exp / 2);
    this.o.state.markRetry(row.seq, attempt, now + wait, error, now);
    this.o.metrics.inc(...M.deliveries, { sink: row.sink, outcome: 'retry' });
    const msg = `sink ${row.sink}: delivery ${row.key} failed (${error}); attempt ${attempt + 1}${attempt < this.o.maxAttempts ? `/${this.o.maxAttempts}` : ' (the sink looks down: later alerts fail too)'} in ${Math.round(wait / 1000)} s${retryAfterMs !== undefined ? ' (Retry-After)' : ''}`;
    // a failing sink is worth a warning, but not one per retry: the first failure, then at most one a minute
    const last = this.failing.get(row.sink);
    if (last === undefined || now - last >= WARN_EVERY_MS) {
      this.failing.set(row.sink, now);
      this.o.logger.warn(msg);
    } else this.o.logger.debug(msg);
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
