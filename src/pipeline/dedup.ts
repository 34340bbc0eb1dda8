// Duplicate detection across overlapping exports in bounded memory.
// A duplicate is the same record seen again: same source family, same id and the same event time (the caller's key).
// Keys are 53-bit hashes kept in open-addressing Float64Array sets, one per hour of event time; when the
// sets together pass `maxEntries`, the least recently used hour is spilled to a temp file and reloaded on demand.
// A long-running reader (watch) gives a horizon: hours that far behind the newest one are forgotten, in memory and
// on disk, since no source re-delivers a record that late (the temp folder would otherwise grow for as long as it runs).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HOUR = 3_600_000;

class HashSet53 {
  table: Float64Array;
  size = 0;
  constructor(capacity = 1024, table?: Float64Array) {
    this.table = table ?? new Float64Array(capacity);
    if (table) for (const v of table) if (v !== 0) this.size++;
  }
  /** add; returns false when already present */
  add(h: number): boolean {
    if ((this.size + 1) * 10 > this.table.length * 7) this.grow();
    const t = this.table;
    const mask = t.length - 1;
    let i = (h % t.length) & mask;
    for (;;) {
      const v = t[i]!;
      if (v === 0) {
        t[i] = h;
        this.size++;
        return true;
      }
      if (v === h) return false;
      i = (i + 1) & mask;
    }
  }
  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.size = 0;
    for (const v of old) if (v !== 0) this.add(v);
  }
}

/** 53-bit string hash: two FNV-1a variants combined. Never 0 (0 marks an empty slot). */
export function hash53(s: string): number {
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  const h = (h2 >>> 11) * 4294967296 + (h1 >>> 0);
  return h === 0 ? 1 : h;
}

export interface DedupStats {
  entries: number;
  spilledBuckets: number;
  reloads: number;
  /** hours forgotten past the horizon */
  forgotten: number;
}

export class Deduper {
  private buckets = new Map<number, HashSet53>(); // insertion order = LRU order (re-inserted on use)
  private spilled = new Set<number>();
  private spillDir?: string;
  private entries = 0;
  private newest = -Infinity;
  readonly stats: DedupStats = { entries: 0, spilledBuckets: 0, reloads: 0, forgotten: 0 };

  /**
   * `horizonMs`: forget hours that far behind the newest hour seen (default: never). `latest`: the latest event time
   * that counts as "newest" (a watch's clock plus its skew), so one future-dated record cannot make every current
   * hour old.
   */
  constructor(
    private readonly maxEntries = 4_000_000,
    private readonly horizonMs = Infinity,
    private readonly latest: () => number = () => Infinity,
  ) {}

  /** Returns true when (key, time) was seen before. */
  isDuplicate(key: string, time: number): boolean {
    const b = Math.floor(time / HOUR);
    if (b > this.newest && Number.isFinite(this.horizonMs)) {
      const capped = Math.min(b, Math.floor(this.latest() / HOUR));
      if (capped > this.newest) {
        this.newest = capped;
        this.forgetBefore(capped - Math.ceil(this.horizonMs / HOUR));
      }
    }
    let set = this.buckets.get(b);
    if (set) {
      this.buckets.delete(b);
      this.buckets.set(b, set);
    } else {
      set = this.spilled.has(b) ? this.reload(b) : new HashSet53();
      this.buckets.set(b, set);
    }
    const before = set.size;
    const fresh = set.add(hash53(key));
    if (fresh) {
      this.entries += set.size - before;
      this.stats.entries++;
      if (this.entries > this.maxEntries) this.evict(b);
    }
    return !fresh;
  }

  private evict(keep: number): void {
    for (const [b, set] of this.buckets) {
      if (this.entries <= this.maxEntries * 0.75) break;
      if (b === keep) continue;
      this.spillDir ??= mkdtempSync(join(tmpdir(), 'tenantwatch-dedup-'));
      writeFileSync(join(this.spillDir, `${b}.bin`), Buffer.from(set.table.buffer));
      this.spilled.add(b);
      this.buckets.delete(b);
      this.entries -= set.size;
      this.stats.spilledBuckets++;
    }
  }

  /** Drop the hours before `limit`, held or spilled (their files deleted). */
  private forgetBefore(limit: number): void {
    for (const [b, set] of this.buckets) {
      if (b >= limit) continue;
      this.buckets.delete(b);
      this.entries -= set.size;
      this.stats.forgotten++;
    }
    for (const b of this.spilled) {
      if (b >= limit) continue;
      this.spilled.delete(b);
      rmSync(join(this.spillDir!, `${b}.bin`), { force: true });
      this.stats.forgotten++;
    }
  }

  private reload(b: number): HashSet53 {
    const buf = readFileSync(join(this.spillDir!, `${b}.bin`));
    const table = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    this.spilled.delete(b);
    this.stats.reloads++;
    const set = new HashSet53(0, table);
    this.entries += set.size;
    return set;
  }

  close(): void {
    if (this.spillDir) rmSync(this.spillDir, { recursive: true, force: true });
    this.buckets.clear();
  }
}
