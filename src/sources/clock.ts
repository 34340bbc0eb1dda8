// Time for collectors, injectable: `watch` and `collect` wait on Retry-After, back off and poll with `sleep`; tests
// use VirtualClock so that an hour of throttling or "a day later" costs no real time.

export interface Clock {
  now(): number;
  /** resolves after `ms` (or rejects with the signal's reason when aborted first) */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new DOMException('aborted', 'AbortError');
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(t);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/**
 * A clock that only moves when told to, or when someone sleeps: `sleep(ms)` advances virtual time by `ms` and
 * resolves on the next macrotask, so concurrent sleepers each advance it (tests care about "no real waiting",
 * not about exact interleaving). `slept` sums every requested wait, so tests can assert Retry-After was honoured.
 */
export class VirtualClock implements Clock {
  slept = 0;
  readonly sleeps: number[] = [];
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(t: number): void {
    this.t = t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const d = Math.max(0, ms);
    this.t += d;
    this.slept += d;
    this.sleeps.push(d);
    return new Promise((resolve) => setImmediate(resolve));
  }
}
