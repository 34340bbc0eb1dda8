// Keyed detector state, bounded two ways: a TTL in event time (state untouched for `ttl` is dead: no future event
// can join it) evicted as the watermark advances, and a hard cap on keys with least-recently-touched eviction.
// The Map's insertion order is the touch order (a touch re-inserts), and events are processed in event-time order,
// so the oldest entries are always at the front: both evictions pop from the front in O(evicted).

export interface StoreStats {
  expired: number;
  evicted: number;
}

interface Slot<S> {
  s: S;
  touched: number;
}

export class KeyedStore<S> {
  private map = new Map<string, Slot<S>>();

  constructor(
    readonly ttl: number,
    readonly cap: number,
    private readonly stats: StoreStats,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** The state for `key`, marked as touched at `now`; created with `make` when absent (may evict the LRU key). */
  touch(key: string, now: number, make: () => S): S {
    const slot = this.map.get(key);
    if (slot) {
      this.map.delete(key);
      slot.touched = now;
      this.map.set(key, slot);
      return slot.s;
    }
    const s = make();
    this.map.set(key, { s, touched: now });
    if (this.map.size > this.cap) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
      this.stats.evicted++;
    }
    return s;
  }

  peek(key: string): S | undefined {
    return this.map.get(key)?.s;
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  /** Drop state untouched since before `now - ttl`. */
  expire(now: number): void {
    for (const [k, slot] of this.map) {
      if (slot.touched + this.ttl >= now) break;
      this.map.delete(k);
      this.stats.expired++;
    }
  }

  /** [key, touched, state] in touch order, for snapshots. */
  save<J>(enc: (s: S) => J): [string, number, J][] {
    const out: [string, number, J][] = [];
    for (const [k, slot] of this.map) out.push([k, slot.touched, enc(slot.s)]);
    return out;
  }

  load<J>(rows: readonly [string, number, J][], dec: (j: J) => S): void {
    this.map.clear();
    for (const [k, touched, j] of rows) this.map.set(k, { s: dec(j), touched });
  }
}
