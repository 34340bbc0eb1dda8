// Values with the time each was last seen, oldest first: a first-seen key's history. Most keys of a large tenant
// (a user's networks, a user's addresses) hold a handful of values, where two short arrays cost a fraction of a
// Map; past SMALL values it switches to a Map (delete + re-insert keeps Map order = recency order).
const SMALL = 24;

export class Recency {
  private vs: string[] | null = [];
  private ts: number[] | null = [];
  private map: Map<string, number> | null = null;

  get size(): number {
    return this.map ? this.map.size : this.vs!.length;
  }

  has(v: string): boolean {
    return this.map ? this.map.has(v) : this.vs!.includes(v);
  }

  /** Forget values last seen before `limit`. */
  forgetBefore(limit: number): void {
    if (this.map) {
      for (const [v, t] of this.map) {
        if (t >= limit) break;
        this.map.delete(v);
      }
      return;
    }
    let n = 0;
    while (n < this.ts!.length && this.ts![n]! < limit) n++;
    if (n) {
      this.vs!.splice(0, n);
      this.ts!.splice(0, n);
    }
  }

  /** `v` seen at `t`: it becomes the newest. */
  touch(v: string, t: number): void {
    if (this.map) {
      this.map.delete(v);
      this.map.set(v, t);
      return;
    }
    const i = this.vs!.indexOf(v);
    if (i >= 0) {
      this.vs!.splice(i, 1);
      this.ts!.splice(i, 1);
    }
    if (this.vs!.length >= SMALL) {
      this.map = new Map();
      for (let k = 0; k < this.vs!.length; k++) this.map.set(this.vs![k]!, this.ts![k]!);
      this.map.set(v, t);
      this.vs = this.ts = null;
      return;
    }
    if (i >= 0) {
      this.vs!.push(v);
      this.ts!.push(t);
    } else {
      // a new value: exact-size copies (a push past the end reserves 17 slots, for a history of two or three)
      this.vs = this.vs!.concat(v);
      this.ts = this.ts!.concat(t);
    }
  }

  dropOldest(): void {
    if (this.map) this.map.delete(this.map.keys().next().value as string);
    else {
      this.vs!.shift();
      this.ts!.shift();
    }
  }

  /** The newest value that starts with `prefix` (a scan: for alert builders, not per event). */
  newestWith(prefix: string): string | undefined {
    const vs = this.map ? [...this.map.keys()] : this.vs!;
    for (let i = vs.length - 1; i >= 0; i--) if (vs[i]!.startsWith(prefix)) return vs[i];
    return undefined;
  }

  /** Up to `n` values that do not start with `prefix`, newest first. */
  newestExcept(n: number, prefix: string): string[] {
    const vs = this.map ? [...this.map.keys()] : this.vs!;
    const out: string[] = [];
    for (let i = vs.length - 1; i >= 0 && out.length < n; i--) if (!vs[i]!.startsWith(prefix)) out.push(vs[i]!);
    return out;
  }

  /** How many values do not start with `prefix`. */
  countExcept(prefix: string): number {
    let n = 0;
    for (const v of this.map ? this.map.keys() : this.vs!) if (!v.startsWith(prefix)) n++;
    return n;
  }

  /** Up to `n` values, newest first. */
  newest(n: number): string[] {
    if (this.map) return [...this.map.keys()].reverse().slice(0, n);
    return this.vs!.slice(-n).reverse();
  }

  /** [value, time], oldest first (snapshots). */
  entries(): [string, number][] {
    if (this.map) return [...this.map];
    return this.vs!.map((v, i) => [v, this.ts![i]!]);
  }

  static of(entries: readonly [string, number][]): Recency {
    const r = new Recency();
    for (const [v, t] of entries) r.touch(v, t);
    return r;
  }
}
