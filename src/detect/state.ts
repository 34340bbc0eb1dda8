// Keyed detector state, bounded two ways: a TTL in event time (state untouched for `ttl` is dead: no future event
// can join it) evicted as the watermark advances, and a hard cap on keys with least-recently-touched eviction.
// Keys sit in a doubly-linked list in touch order (a touch moves a key to the tail), and events are processed in
// event-time order, so the oldest entries are always at the head: both evictions pop from the head in O(evicted).
// (A JS Map re-inserted on every touch would do the same, but its deleted slots make head iteration O(holes).)
// Keys are (tenant, rule key), held in a map per tenant: the rule key is usually a string straight from the
// record, whose hash V8 has already computed, where a concatenated "tenant|key" would be hashed anew per lookup.

export interface StoreStats {
  expired: number;
  evicted: number;
}

interface Node<S> {
  tenant: string;
  key: string;
  s: S;
  touched: number;
  prev: Node<S> | null;
  next: Node<S> | null;
}

/** A snapshot row: rule key, last touch, state, tenant (absent in older snapshots: see load). */
export type StoreRow<J> = [string, number, J, string?];

const LEGACY_SEP = '\u0000';

export class KeyedStore<S> {
  private tenants = new Map<string, Map<string, Node<S>>>();
  private n = 0;
  private head: Node<S> | null = null; // least recently touched
  private tail: Node<S> | null = null;

  constructor(
    readonly ttl: number,
    readonly cap: number,
    private readonly stats: StoreStats,
    /** told about state the store drops (expired, evicted or deleted), e.g. to release what it held */
    private readonly onDrop?: (s: S) => void,
  ) {}

  get size(): number {
    return this.n;
  }

  /** The state for (tenant, key), marked as touched at `now`; created with `make` when absent (may evict the LRU key). */
  touch(tenant: string, key: string, now: number, make: () => S): S {
    let m = this.tenants.get(tenant);
    let n = m?.get(key);
    if (n && n.touched + this.ttl < now) {
      // dead state the housekeeping has not reached yet (it runs after the event that ends a long gap): expire it
      // here, so what an event sees never depends on when housekeeping last ran
      this.remove(n);
      this.stats.expired++;
      n = undefined;
      m = this.tenants.get(tenant); // gone when that was the tenant's last key
    }
    if (n) {
      n.touched = now;
      if (n !== this.tail) {
        this.unlink(n);
        this.append(n);
      }
      return n.s;
    }
    if (!m) this.tenants.set(tenant, (m = new Map()));
    n = { tenant, key, s: make(), touched: now, prev: null, next: null };
    m.set(key, n);
    this.n++;
    this.append(n);
    if (this.n > this.cap) {
      this.remove(this.head!);
      this.stats.evicted++;
    }
    return n.s;
  }

  peek(tenant: string, key: string): S | undefined {
    return this.tenants.get(tenant)?.get(key)?.s;
  }

  delete(tenant: string, key: string): void {
    const n = this.tenants.get(tenant)?.get(key);
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
    this.onDrop?.(n.s);
    this.unlink(n);
    const m = this.tenants.get(n.tenant)!;
    m.delete(n.key);
    if (m.size === 0) this.tenants.delete(n.tenant);
    this.n--;
  }

  /** [key, touched, state, tenant] in touch order, for snapshots. */
  save<J>(enc: (s: S) => J): StoreRow<J>[] {
    const out: StoreRow<J>[] = [];
    for (let n = this.head; n; n = n.next) out.push([n.key, n.touched, enc(n.s), n.tenant]);
    return out;
  }

  load<J>(rows: readonly StoreRow<J>[], dec: (j: J) => S): void {
    this.tenants.clear();
    this.n = 0;
    this.head = this.tail = null;
    for (const row of rows) {
      const [k0, touched, j, t0] = row;
      let key = k0, tenant = t0;
      if (tenant === undefined) {
        // snapshots written before keys were split held "tenant\u0000key"
        const i = key.indexOf(LEGACY_SEP);
        tenant = i < 0 ? '' : key.slice(0, i);
        key = i < 0 ? key : key.slice(i + 1);
      }
      let m = this.tenants.get(tenant);
      if (!m) this.tenants.set(tenant, (m = new Map()));
      const n: Node<S> = { tenant, key, s: dec(j), touched, prev: null, next: null };
      m.set(key, n);
      this.n++;
      this.append(n);
    }
  }
}
