// The stateful primitives at run time: one class per detector kind, each holding its keyed state in a KeyedStore.
// They see events already in event-time order (the engine's job) and report firings; suppression, alert ids and
// evidence caps are the engine's. `now` is the processing time: the event's time, except for late events (see
// docs/detection.md). All state is plain data so snapshots are JSON.
import type { Event } from '../core/event.js';
import type { Evidence, Severity } from './alert.js';
import type {
  BaselineDetector,
  DetectorMatch,
  FirstSeenDetector,
  RuleContext,
  SequenceDetector,
  ThresholdDetector,
  WindowView,
} from './spec.js';
import { Recency } from './recency.js';
import { KeyedStore, type StoreRow, type StoreStats } from './state.js';

export interface Firing {
  match: DetectorMatch;
  /** evidence for this firing, oldest first (the engine caps and merges); built only when the engine needs it */
  evidence: () => Evidence[];
  /** the event ids of that evidence, same order (cheap: folding a repeat into a full alert only counts them) */
  ids: string[];
  /** ids of evidence the alert must show even past the evidence cap (a threshold window's proofs) */
  must?: string[];
  /** how many events this firing rests on (evidence may hold fewer) */
  total: number;
  /** a repeat that cannot raise the open alert: fold it in without building a draft (ThresholdDetector.condition) */
  repeat?: boolean;
  first: number;
  last: number;
}

export interface FireArgs {
  ev: Event;
  /** the state key is (tenant, ruleKey); the tenant is the event's */
  tenant: string;
  /** when the lane began watching this tenant (ThresholdState.since) */
  since: number;
  ruleKey: string;
  now: number;
  fire: (f: Firing) => void;
  /** the severity of the key's alert while its suppression period is open (see ThresholdState.open) */
  open: () => Severity | undefined;
}

export interface Runtime {
  on(step: number, a: FireArgs): void;
  expire(now: number): void;
  readonly keys: number;
  save(): unknown;
  load(j: unknown): void;
}

export interface RuntimeEnv {
  ctx: RuleContext;
  /** evidence with its text, for a firing now */
  evidence: (ev: Event) => Evidence;
  /** evidence to keep in state: its text waits in the engine's text store */
  hold: (ev: Event) => Evidence;
  /** an event to keep in state (a sequence's step): a copy whose text waits in the text store */
  holdEvent: (ev: Event) => Event;
  /** held evidence / events with their text back (snapshots), and the reverse (restore) */
  unhold: (e: Evidence) => Evidence;
  unholdEvent: (ev: Event) => Event;
  rehold: (e: Evidence) => Evidence;
  /** state dropped held evidence or a held event: its text may go */
  release: (x: Evidence | Event) => void;
  evidenceCap: number;
  maxKeys: number;
  stats: StoreStats & { truncated: number; judged: number };
}

const MAX_ENTRIES_PER_KEY = 10_000;
const MAX_VALUES_PER_KEY = 500;

/** Fires on every event. Stateless. */
export class MatchRuntime implements Runtime {
  readonly keys = 0;
  constructor(private readonly env: RuntimeEnv) {}
  on(_step: number, a: FireArgs): void {
    const ev = a.ev;
    a.fire({
      match: { kind: 'match', key: a.ruleKey, tenant: ev.tenant, event: ev },
      evidence: () => [this.env.evidence(ev)],
      ids: [ev.id],
      total: 1,
      first: ev.time,
      last: ev.time,
    });
  }
  expire(): void {}
  save(): unknown {
    return null;
  }
  load(): void {}
}

// ---------------------------------------------------------------------------------------------------------------
// threshold: sliding window of entries per key; entry = processing time + distinct value (+ one value per extra
// dimension). A bounded set of evidence holders (one per distinct value of the metric) slides with the window.

interface Win {
  t: number[];
  v: (string | null)[];
  /** per extra dimension (in `names` order), values parallel to `t`; null while the dimension has had no value */
  d: ((string | null)[] | null)[];
  head: number;
  counts: Map<string, number> | null;
  /** per extra dimension: value -> entries in the window; null while the dimension has had no value */
  dc: (Map<string, number> | null)[];
  /**
   * evidence holders, compact (not the events: a window must not pin whole records for its lifetime)
   */
  ev: Holder[];
}
interface Holder {
  t: number;
  e: Evidence;
  /** a context event's dimension values (in `names` order), kept when the detector judges proofs */
  d?: (string | null)[];
}
type WinJson = { t: number[]; v: (string | null)[]; ev: Holder[]; d?: ((string | null)[] | null)[] };

const EMPTY_MAP: ReadonlyMap<string, number> = new Map();

/** The read-only window view handed to dims / admit / condition / alert; re-pointed at a window before each use. */
class View implements WindowView {
  w: Win | undefined;
  constructor(private readonly index: ReadonlyMap<string, number>) {}
  private map(dim: string): ReadonlyMap<string, number> {
    if (!this.w) {
      if (dim !== 'distinct' && !this.index.has(dim)) throw new Error(`threshold window has no dimension "${dim}"`);
      return EMPTY_MAP;
    }
    if (dim === 'distinct') return this.w.counts ?? EMPTY_MAP;
    const i = this.index.get(dim);
    if (i === undefined) throw new Error(`threshold window has no dimension "${dim}"`);
    return this.w.dc[i] ?? EMPTY_MAP;
  }
  count(dim: string, value: string): number {
    return this.map(dim).get(value) ?? 0;
  }
  size(dim: string): number {
    return this.map(dim).size;
  }
  values(dim: string): Iterable<string> {
    return this.map(dim).keys();
  }
}

export class ThresholdRuntime implements Runtime {
  private store: KeyedStore<Win>;
  private readonly distinct: boolean;
  private readonly names: string[];
  private readonly fns: ((ev: Event, ctx: RuleContext, before: WindowView) => string | undefined)[];
  /** index of the metric dimension in `names`; -1 = main distinct / count */
  private readonly metric: number;
  private readonly view: View;
  private readonly dimIndex: Map<string, number>;
  constructor(
    private readonly d: ThresholdDetector,
    private readonly env: RuntimeEnv,
  ) {
    this.store = new KeyedStore(d.windowMs, env.maxKeys, env.stats, (w) => {
      for (const h of w.ev) env.release(h.e);
    });
    this.distinct = d.distinct !== undefined;
    this.names = Object.keys(d.dims ?? {});
    if (this.names.includes('distinct')) throw new Error("threshold dims: 'distinct' is reserved for the main distinct value");
    this.fns = this.names.map((n) => d.dims![n]!);
    this.metric = d.metric === undefined || d.metric === 'distinct' ? -1 : this.names.indexOf(d.metric);
    if (d.metric !== undefined && d.metric !== 'distinct' && this.metric < 0) throw new Error(`threshold metric "${d.metric}" is not one of its dims`);
    this.dimIndex = new Map(this.names.map((n, i) => [n, i]));
    this.view = new View(this.dimIndex);
    this.dv = this.names.map(() => null);
  }
  private readonly dv: (string | null)[];
  get keys(): number {
    return this.store.size;
  }

  // dimension columns and maps are created on their first value: most windows (a user's successes) fill few
  private make = (): Win => ({
    t: [], v: [], d: this.names.map(() => null), head: 0, counts: this.distinct ? new Map() : null, dc: this.names.map(() => null), ev: [],
  });

  on(_step: number, a: FireArgs): void {
    const { ev, now } = a;
    const ctx = this.env.ctx;
    let value: string | null = null;
    if (this.distinct) {
      const v = this.d.distinct!(ev, ctx);
      if (v === undefined) return;
      value = v;
    }
    const horizon = now - this.d.windowMs;
    const existing = this.store.peek(a.tenant, a.ruleKey);
    if (existing) this.slide(existing, horizon);
    const view = this.view;
    view.w = existing;
    if (this.d.admit && !this.d.admit(ev, view, ctx)) return;
    // one buffer for every event's dimension values (nothing below keeps it)
    const dv = this.dv;
    for (let i = 0; i < this.fns.length; i++) dv[i] = this.fns[i]!(ev, ctx, view) ?? null;

    const w = this.store.touch(a.tenant, a.ruleKey, now, this.make);
    view.w = w;
    if (w.t.length - w.head >= MAX_ENTRIES_PER_KEY) {
      this.dropHead(w);
      this.env.stats.truncated++;
    }
    if (w.head > 64 && w.head * 2 > w.t.length) {
      w.t = w.t.slice(w.head);
      w.v = w.v.slice(w.head);
      w.d = w.d.map((col) => (col ? col.slice(w.head) : null));
      w.head = 0;
    }
    let newMain = true;
    if (w.counts && value !== null) {
      const c = w.counts.get(value) ?? 0;
      newMain = c === 0;
      w.counts.set(value, c + 1);
    }
    let newMetric = this.metric < 0 ? newMain : false;
    let newAny = false;
    for (let i = 0; i < dv.length; i++) {
      const x = dv[i]!;
      let col = w.d[i]!;
      if (col === null) {
        if (x === null) continue;
        // first value of this dimension: back-fill the entries before it (an exact-size array: a pushed-to empty
        // array reserves 17 slots, and most windows of a large tenant hold one or two entries)
        col = w.d[i] = new Array<string | null>(w.t.length + 1).fill(null);
        col[w.t.length] = x;
        w.dc[i] = new Map();
      } else col.push(x);
      if (x === null) continue;
      const m = w.dc[i]!;
      const c = m.get(x) ?? 0;
      if (c === 0) {
        newAny = true;
        if (i === this.metric) newMetric = true;
      }
      m.set(x, c + 1);
    }
    if (w.t.length === 0) {
      w.t = [now];
      w.v = [value];
    } else {
      w.t.push(now);
      w.v.push(value);
    }
    let evStart = 0;
    while (evStart < w.ev.length && w.ev[evStart]!.t < horizon) this.env.release(w.ev[evStart++]!.e);
    if (evStart) w.ev.splice(0, evStart);
    // keep one slot for the trigger event; one example per metric value, and events that bring a new value to
    // another dimension without counting in the metric once the metric has begun (e.g. the success that proves a
    // password). Context before the first metric event (an account's own successes) is counted in the dimensions
    // but not kept as evidence: in a large tenant most windows never see a metric event.
    const context = !newMetric && this.metric >= 0 && dv[this.metric] === null && newAny && (w.dc[this.metric]?.size ?? 0) > 0;
    // A detector that judges proofs (ThresholdDetector.proof) gets a second cap's worth of room for context, and
    // context that is no proof (an account's own sign-in at its office) makes room for a newer one when it is full.
    const cap = this.env.evidenceCap;
    const judged = context && this.d.proof !== undefined && this.proofOf(dv, view) !== 'never';
    if (judged && w.ev.length >= 2 * cap - 1) this.makeRoom(w, view);
    if ((newMetric || context) && w.ev.length < (judged ? 2 * cap - 1 : cap - 1)) {
      const h: Holder = judged ? { t: now, e: this.env.hold(ev), d: dv.slice() } : { t: now, e: this.env.hold(ev) };
      if (w.ev.length === 0) w.ev = [h];
      else w.ev.push(h);
    }

    const count = w.t.length - w.head;
    const distinct = w.counts ? w.counts.size : count;
    const metric = this.metric >= 0 ? (w.dc[this.metric]?.size ?? 0) : this.distinct ? distinct : count;
    if (metric < this.d.min) return;
    const firstTime = w.t[w.head]!;
    let dims: Record<string, number> | undefined;
    const dimCounts = (): Record<string, number> => (dims ??= Object.fromEntries(this.names.map((n, i) => [n, w.dc[i]?.size ?? 0])));
    let repeat = false;
    if (this.d.condition) {
      const open = a.open();
      const c = this.d.condition({ count, distinct, dims: dimCounts(), event: ev, firstTime, view, open, since: a.since, ctx });
      if (c === false) return;
      repeat = c === 'repeat' && open !== undefined;
    }

    const kept = w.ev.map((x) => x.e);
    const ids = kept.map((e) => e.eventId);
    const must = this.d.proof ? w.ev.filter((x) => this.isProof(x, view)).map((x) => x.e.eventId) : [];
    const withTrigger = ids.includes(ev.id);
    if (!withTrigger) ids.push(ev.id);
    const evidence = (): Evidence[] => (withTrigger ? kept : [...kept, this.env.evidence(ev)]);
    // a repeat is folded without a draft: the builder's summaries are not needed
    const values: string[] = [];
    if (w.counts && !repeat) for (const k of w.counts.keys()) if (values.length < 50) values.push(k);
    const dimSummary: Record<string, { distinct: number; values: string[] }> = {};
    if (!repeat) this.names.forEach((n, i) => {
      const m = w.dc[i] ?? EMPTY_MAP;
      const vals: string[] = [];
      for (const k of m.keys()) {
        if (vals.length >= 50) break;
        vals.push(k);
      }
      dimSummary[n] = { distinct: m.size, values: vals };
    });
    a.fire({
      match: {
        kind: 'threshold',
        key: a.ruleKey,
        tenant: ev.tenant,
        event: ev,
        count,
        distinct,
        values,
        windowMs: this.d.windowMs,
        firstTime,
        dims: dimSummary,
        view,
      },
      evidence,
      ids,
      ...(must.length ? { must } : {}),
      total: count,
      first: firstTime,
      last: now,
      repeat,
    });
    // a crossing consumes the window (unless the detector says otherwise): the next alert for this key needs `min` new events
    if (this.d.consume !== false) this.store.delete(a.tenant, a.ruleKey);
    view.w = undefined;
  }

  /** The detector's verdict on an event with dimension values `d` (in `names` order), as the window stands. */
  private proofOf(d: readonly (string | null)[], view: WindowView): boolean | 'never' {
    return this.d.proof!((n) => d[this.dimIndex.get(n) ?? -1] ?? undefined, view, this.env.ctx);
  }

  private isProof(h: Holder, view: WindowView): boolean {
    return h.d !== undefined && this.proofOf(h.d, view) === true;
  }

  /** The oldest held context that is no proof (as the window stands now) goes. */
  private makeRoom(w: Win, view: WindowView): void {
    const i = w.ev.findIndex((h) => h.d !== undefined && !this.isProof(h, view));
    if (i < 0) return;
    this.env.release(w.ev[i]!.e);
    w.ev.splice(i, 1);
  }

  /** Drop entries (and evidence) older than the window. */
  private slide(w: Win, horizon: number): void {
    while (w.head < w.t.length && w.t[w.head]! < horizon) this.dropHead(w);
  }

  private dropHead(w: Win): void {
    const h = w.head;
    const v = w.v[h];
    if (w.counts && v !== null && v !== undefined) dec(w.counts, v);
    for (let i = 0; i < w.d.length; i++) {
      const x = w.d[i]?.[h];
      if (x !== null && x !== undefined) dec(w.dc[i]!, x);
    }
    w.head++;
  }

  expire(now: number): void {
    this.store.expire(now);
  }
  save(): unknown {
    return this.store.save<WinJson>((w) => {
      const j: WinJson = { t: w.t.slice(w.head), v: w.v.slice(w.head), ev: w.ev.map((h) => ({ t: h.t, e: this.env.unhold(h.e), ...(h.d ? { d: h.d } : {}) })) };
      if (this.names.length) j.d = w.d.map((col) => (col ? col.slice(w.head) : null));
      return j;
    });
  }
  load(j: unknown): void {
    this.store.load(j as StoreRow<WinJson>[], (x) => {
      let counts: Map<string, number> | null = null;
      if (this.distinct) {
        counts = new Map();
        for (const v of x.v) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const d = this.names.map((_, i) => x.d?.[i] ?? null);
      const dc = d.map((col) => {
        if (!col) return null;
        const m = new Map<string, number>();
        for (const v of col) if (v !== null) m.set(v, (m.get(v) ?? 0) + 1);
        return m;
      });
      // snapshots before evidence was kept compact held whole events
      const ev = x.ev.map((h): Holder => ({ t: h.t, e: isEvent(h.e) ? this.env.hold(h.e) : this.env.rehold(h.e), ...(h.d ? { d: h.d } : {}) }));
      return { t: x.t, v: x.v, d, head: 0, counts, dc, ev };
    });
  }
}

/** The held events of a key's partial sequences (a later partial shares the earlier ones' events). */
function heldEvents(s: Seq): Set<Event> {
  const out = new Set<Event>();
  for (const c of s.p) if (c) for (const e of c.events) out.add(e);
  return out;
}

function isEvent(x: Evidence | Event): x is Event {
  return (x as Event).actor !== undefined;
}

function dec(m: Map<string, number>, v: string): void {
  const c = m.get(v)! - 1;
  if (c <= 0) m.delete(v);
  else m.set(v, c);
}

// ---------------------------------------------------------------------------------------------------------------
// sequence: per key, for each step k the latest partial chain that completed steps 0..k (latest start = the one
// most likely to still be inside the window). The last step fires without consuming the chain, so repeats of the
// last step within the window fold into the same alert as occurrences.

interface Chain {
  start: number;
  /** the steps' events, held: their texts wait in the text store (RuntimeEnv.holdEvent) */
  events: Event[];
}
interface Seq {
  p: (Chain | null)[];
}

export class SequenceRuntime implements Runtime {
  private store: KeyedStore<Seq>;
  constructor(
    private readonly d: SequenceDetector,
    private readonly env: RuntimeEnv,
  ) {
    this.store = new KeyedStore(d.withinMs, env.maxKeys, env.stats, (s) => {
      for (const e of heldEvents(s)) env.release(e);
    });
  }
  get keys(): number {
    return this.store.size;
  }

  on(step: number, a: FireArgs): void {
    const { ev, now } = a;
    if (step < 0) {
      // the `unless` event cancels every partial sequence of the key
      this.store.delete(a.tenant, a.ruleKey);
      return;
    }
    const last = this.d.steps.length - 1;
    const s = this.store.touch(a.tenant, a.ruleKey, now, () => ({ p: this.d.steps.map(() => null) }));
    let prev: Chain | null = null;
    if (step > 0) {
      prev = s.p[step - 1]!;
      if (!prev || now - prev.start > this.d.withinMs) return;
    }
    if (step < last) {
      const old = s.p[step];
      // the held event of this step keeps its place while the rule says the newer one must not take over
      if (old && this.d.replace && now - old.start <= this.d.withinMs && !this.d.replace(old.events[step]!, ev, this.env.ctx)) return;
      // a partial sequence waits in state: keep its events lean and their texts out of memory
      const held = this.env.holdEvent(this.d.keep ? this.d.keep(ev) : ev);
      s.p[step] = { start: prev ? prev.start : now, events: prev ? [...prev.events, held] : [held] };
      // the replaced partial's own events go, unless another partial of the key still holds them
      if (old) {
        // two steps: only the first is ever kept, nothing shares it
        const live = this.d.steps.length > 2 ? heldEvents(s) : undefined;
        for (const e of old.events) if (!live?.has(e)) this.env.release(e);
      }
      return;
    }
    const events = prev ? [...prev.events, ev] : [ev];
    const held = prev ? prev.events : [];
    const first = events[0]!;
    a.fire({
      match: {
        kind: 'sequence',
        key: a.ruleKey,
        tenant: ev.tenant,
        event: ev,
        steps: events.map((e, i) => ({ name: this.d.steps[i]!.name, event: e })),
        elapsedMs: ev.time - first.time,
        withinMs: this.d.withinMs,
      },
      evidence: () => [...held.map(this.env.evidence), this.env.evidence(ev)],
      ids: events.map((e) => e.id),
      total: events.length,
      first: first.time,
      last: ev.time,
    });
  }

  expire(now: number): void {
    this.store.expire(now);
  }
  save(): unknown {
    // snapshots carry the texts (a restored engine has its own text store); shared events are held once again
    return this.store.save((s) => ({ p: s.p.map((c) => (c ? { start: c.start, events: c.events.map(this.env.unholdEvent) } : null)) }));
  }
  load(j: unknown): void {
    this.store.load(j as StoreRow<Seq>[], (s) => ({
      p: s.p.map((c) => (c ? { start: c.start, events: c.events.map(this.env.holdEvent) } : null)),
    }));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// first-seen: per key, the values seen within the history window (Map in recency order) and when the key began.

interface Seen {
  since: number;
  vals: Recency;
}
type SeenJson = { since: number; vals: [string, number][] };

/** Marks the values a first-seen detector's `also` taught (never a value from `value`: those are the rule's keys). */
const ALSO = '\u0001';

export class FirstSeenRuntime implements Runtime {
  private store: KeyedStore<Seen>;
  constructor(
    private readonly d: FirstSeenDetector,
    private readonly env: RuntimeEnv,
  ) {
    this.store = new KeyedStore(d.historyMs, env.maxKeys, env.stats);
  }
  get keys(): number {
    return this.store.size;
  }

  on(_step: number, a: FireArgs): void {
    const { ev, now } = a;
    const value = this.d.value(ev, this.env.ctx);
    if (value === undefined) return;
    const s = this.store.touch(a.tenant, a.ruleKey, now, () => ({ since: now, vals: new Recency() }));
    // forget values not seen within the history window (oldest first)
    s.vals.forgetBefore(now - this.d.historyMs);
    const known = s.vals.has(value);
    const past = now - s.since >= this.d.warmupMs;
    if (past) this.env.stats.judged++;
    if (!known && past && (!this.d.alertIf || this.d.alertIf(ev, this.env.ctx))) {
      // `also` values are the builder's to look up, not values it was learning: known lists leave them out
      const also = this.d.also !== undefined;
      const recent = also ? s.vals.newestExcept(20, ALSO) : s.vals.newest(20);
      a.fire({
        match: {
          kind: 'firstSeen',
          key: a.ruleKey,
          tenant: ev.tenant,
          event: ev,
          value,
          known: recent,
          knownCount: also ? s.vals.countExcept(ALSO) : s.vals.size,
          keySince: s.since,
          findKnown: (p) => s.vals.newestWith(ALSO + p)?.slice(ALSO.length),
          historyMs: this.d.historyMs,
        },
        evidence: () => [this.env.evidence(ev)],
        ids: [ev.id],
        total: 1,
        first: ev.time,
        last: ev.time,
      });
    }
    s.vals.touch(value, now);
    const extra = this.d.also?.(ev, this.env.ctx);
    if (extra !== undefined) s.vals.touch(ALSO + extra, now);
    while (s.vals.size > MAX_VALUES_PER_KEY) {
      s.vals.dropOldest();
      this.env.stats.truncated++;
    }
  }

  expire(now: number): void {
    this.store.expire(now);
  }
  save(): unknown {
    return this.store.save<SeenJson>((s) => ({ since: s.since, vals: s.vals.entries() }));
  }
  load(j: unknown): void {
    this.store.load(j as StoreRow<SeenJson>[], (x) => ({ since: x.since, vals: Recency.of(x.vals) }));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// baseline: per key, sparse counts per closed bucket over the history, the open bucket's count and evidence.

interface Base {
  first: number; // first bucket index seen
  cur: number;
  n: number;
  fired: boolean;
  hist: [number, number][]; // [bucket index, count], ascending, non-zero only
  /** the open bucket's evidence, held (texts in the text store) */
  ev: Evidence[];
}

export class BaselineRuntime implements Runtime {
  private store: KeyedStore<Base>;
  constructor(
    private readonly d: BaselineDetector,
    private readonly env: RuntimeEnv,
  ) {
    this.store = new KeyedStore(d.bucketMs * (d.historyBuckets + 1), env.maxKeys, env.stats, (s) => {
      for (const e of s.ev) env.release(e);
    });
  }
  get keys(): number {
    return this.store.size;
  }

  on(_step: number, a: FireArgs): void {
    const { ev, now } = a;
    const b = Math.floor(now / this.d.bucketMs);
    const s = this.store.touch(a.tenant, a.ruleKey, now, () => ({ first: b, cur: b, n: 0, fired: false, hist: [], ev: [] }));
    if (b !== s.cur) {
      if (s.n > 0) s.hist.push([s.cur, s.n]);
      s.cur = b;
      s.n = 0;
      s.fired = false;
      for (const e of s.ev) this.env.release(e);
      s.ev = [];
    }
    const oldest = b - this.d.historyBuckets;
    let drop = 0;
    while (drop < s.hist.length && s.hist[drop]![0] < oldest) drop++;
    if (drop) s.hist.splice(0, drop);
    s.n++;
    if (s.ev.length < this.env.evidenceCap - 1) s.ev.push(this.env.hold(ev));
    if (s.fired) return;
    const learned = Math.min(this.d.historyBuckets, b - s.first);
    if (learned < this.d.minHistoryBuckets || learned <= 0) return;
    let sum = 0, sq = 0;
    for (const [, c] of s.hist) {
      sum += c;
      sq += c * c;
    }
    const mean = sum / learned;
    const stddev = Math.sqrt(Math.max(0, sq / learned - mean * mean));
    const thr = Math.max(this.d.minCount, mean * this.d.factor, mean + this.d.zScore * stddev);
    if (s.n < thr) return;
    s.fired = true;
    const held = [...s.ev];
    const withTrigger = held.some((e) => e.eventId === ev.id);
    const evidence = (): Evidence[] => (withTrigger ? held : [...held, this.env.evidence(ev)]);
    const ids = held.map((e) => e.eventId);
    if (!withTrigger) ids.push(ev.id);
    a.fire({
      match: {
        kind: 'baseline',
        key: a.ruleKey,
        tenant: ev.tenant,
        event: ev,
        count: s.n,
        bucketMs: this.d.bucketMs,
        bucketStart: b * this.d.bucketMs,
        mean,
        stddev,
        learnedBuckets: learned,
        threshold: thr,
      },
      evidence,
      ids,
      total: s.n,
      first: s.ev.length ? Date.parse(s.ev[0]!.time) : ev.time,
      last: ev.time,
    });
  }

  expire(now: number): void {
    this.store.expire(now);
  }
  save(): unknown {
    return this.store.save((s) => ({ ...s, ev: s.ev.map(this.env.unhold) }));
  }
  load(j: unknown): void {
    this.store.load(j as StoreRow<Base>[], (s) => ({
      ...s,
      // snapshots before evidence was held kept whole events
      ev: (s.ev as (Evidence | Event)[]).map((e) => (isEvent(e) ? this.env.hold(e) : this.env.rehold(e))),
    }));
  }
}
