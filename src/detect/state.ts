// Keyed detector state, bounded two ways: a TTL in event time (state untouched for `ttl` is dead: no future event
// can join it) evicted as the watermark advances, and a hard cap on keys with least-recently-touched eviction.
// Keys sit in a doubly-linked list in touch order (a touch moves a key to the tail), and events are processed in
// event-time order, so the oldest entries are always at the head: both evictions pop from the head in O(evicted).
// (A JS Map re-inserted on every touch would do the same, but its deleted slots make head iteration O(holes).)

export interface StoreStats {
  expired: number;
  evicted: number;
}

interface Node<S> {
  key: string;
  s: S;
  touched: number;
  prev: Node<S> | null;
  next: Node<S> | null;
}

export class KeyedStore<S> {
  private map = new Map<string, Node<S>>();
  private head: Node<S> | null = null; // least recently touched
  private tail: Node<S> | null = null;

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
    let n = this.map.get(key);
    if (n) {
      n.touched = now;
      if (n !== this.tail) {
        this.unlink(n);
        this.append(n);
      }
      return n.s;
    }
    n = { key, s: make(), touched: now, prev: null, next: null };
    this.map.set(key, n);
    this.append(n);
    if (this.map.size > this.cap) {
      this.remove(this.head!);
      this.stats.evicted++;
    }
    return n.s;
  }

  peek(key: string): S | undefined {
    return this.map.get(key)?.s;
  }

  delete(key: string): void {
    const n = this.map.get(key);
    if (n) this.remove(n);
  }

  /** Drop state untouched since before `now - ttl`. */
  expire(now: number): void {
    while (this.head && this.head.touched + this.ttl < now) {
      this.remove(this.head);
      this.stats.expired++;
    }
  }

  private append(n: Node<S>): void {
    n.prev = this.tail;
    n.next = null;
    if (this.tail) this.tail.next = n;
    else this.head = n;
    this.tail = n;
  }

  private unlink(n: Node<S>): void {
    if (n.prev) n.prev.next = n.next;
    else this.head = n.next;
    if (n.next) n.next.prev = n.prev;
    else this.tail = n.prev;
    n.prev = n.next = null;
  }

  private remove(n: Node<S>): void {
    this.unlink(n);
    this.map.delete(n.key);
  }

  /** [key, touched, state] in touch order, for snapshots. */
  save<J>(enc: (s: S) => J): [string, number, J][] {
    const out: [string, number, J][] = [];
    for (let n = this.head; n; n = n.next) out.push([n.key, n.touched, enc(n.s)]);
    return out;
  }

  load<J>(rows: readonly [string, number, J][], dec: (j: J) => S): void {
    this.map.clear();
    this.head = this.tail = null;
    for (const [key, touched, j] of rows) {
      const n: Node<S> = { key, s: dec(j), touched, prev: null, next: null };
      this.map.set(key, n);
      this.append(n);
    }
  }
}
