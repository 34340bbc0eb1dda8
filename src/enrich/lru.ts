// A bounded cache that keeps what was used recently: two generations of at most max/2 entries each. New and
// re-used entries go to the young map; when it is full it becomes the old one and the previous old map is
// dropped. An entry survives while it is used at least once per max/2 insertions, like an LRU, but a hit costs
// one Map lookup (a Map used as an exact LRU, delete + set on every hit, leaves holes that make V8's eviction scan
// slow). Used for the MMDB reader's lookup, record and value caches.
export class LruCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();
  private readonly half: number;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 2) throw new RangeError(`cache size must be an integer >= 2, got ${max}`);
    this.half = Math.floor(max / 2);
  }

  /** entries held (at most `max`; an entry promoted from the old generation may count twice until it is dropped) */
  get size(): number {
    return this.young.size + this.old.size;
  }

  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) this.put(key, o);
    return o;
  }

  set(key: K, value: V): void {
    if (this.young.has(key)) this.young.set(key, value);
    else this.put(key, value);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  private put(key: K, value: V): void {
    this.young.set(key, value);
    if (this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
  }
}
