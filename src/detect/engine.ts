// The detection engine: pure (no I/O, no wall clock), event-time ordered, bounded and serializable.
//   push(event)                      feed events in any order within each source's lateness bound
//   advanceWatermark(source?, time)  say "no more events of this source (or of any) before `time`"
//   end()                            end of input: release and process everything still buffered
//   drain()                          take the alerts produced so far (new alerts and revisions)
//   snapshot() / Engine.restore()    JSON state; restoring mid-stream yields exactly the uninterrupted run's alerts
// Semantics (watermarks, lateness, ordering, suppression, eviction): docs/detection.md.
import type { Action, Event, SourceKind, TextAt } from '../core/event.js';
import { textAtOf } from '../core/fingerprint.js';
import { stableId } from '../core/ids.js';
import { UsageError } from '../core/errors.js';
import { defaultConfig, latenessFor, SOURCE_KINDS, type Config } from '../config/config.js';
import { resolveTunables, type TunableValue } from '../config/tunables.js';
import { createEnrichment } from '../enrich/allowlists.js';
import type { Enrichment } from '../enrich/types.js';
import type { Rule } from '../rules/types.js';
import { ALERT_SCHEMA_VERSION, RAW_TEXT_CAP, evidenceOf, iso, setEvidenceText, severityRank, type Alert, type Entity, type Evidence } from './alert.js';
import { checkAttackTags } from './attack.js';
import { Heap } from './heap.js';
import { TextStore } from './texts.js';
import {
  BaselineRuntime,
  FirstSeenRuntime,
  MatchRuntime,
  SequenceRuntime,
  ThresholdRuntime,
  type FireArgs,
  type Firing,
  type Runtime,
  type RuntimeEnv,
} from './runtime.js';
import { selectorsOf, type AlertDraft, type Detector, type KeyFn, type RuleContext, type Selector } from './spec.js';

export interface EngineOptions {
  /**
   * Sources expected in the input. Each holds back the lanes reading it from the start, until its first event or
   * an advanceWatermark for it. A source NOT declared only starts to count when first seen, so its events from
   * before the then-current release point are late. Live watch declares what it polls; a sorted hunt needs nothing.
   */
  sources?: readonly SourceKind[];
  /** geo/ASN databases and tenant-snapshot facts; built from config allowlists when absent */
  enrich?: Enrichment;
  /** hard cap of keys per rule (LRU eviction past it, counted in stats) */
  maxKeysPerRule?: number;
  /** evidence items per alert (the rest is counted in evidenceTruncated) */
  evidenceCap?: number;
  /** processed event ids remembered to drop duplicates that arrive late (event-time horizon and count cap) */
  dedupHorizonMs?: number;
  dedupMaxIds?: number;
  /** emitted alert ids remembered so a re-processed stream never emits an id twice */
  alertIdMemory?: number;
  /**
   * The caller pushes events in (time, id) order (a hunt's sorted stream): each event is processed as it is
   * pushed, with no buffering and no watermarks. The alerts are those of the buffered path on the same sorted
   * input; an event older than the last one is processed late (counted in stats.late), never reordered.
   */
  ordered?: boolean;
  /**
   * Watch: an event dated after this (its clock plus a small skew) does not move its source's watermark, so a
   * record dated in the future cannot make the events after it late. Unset (hunt): every event may.
   */
  latestEventTime?: () => number;
  /**
   * Where the texts of evidence held in state wait (src/detect/texts.ts). Default: in memory, within a budget
   * (the oldest are given up, and their alerts say so). A hunt spills them to a temporary file instead.
   */
  texts?: TextStore;
}

export interface RuleStats {
  events: number;
  fired: number;
  alerts: number;
  revisions: number;
  suppressed: number;
  dropped: number;
  keys: number;
  expired: number;
  evicted: number;
  truncated: number;
  /** repeats inside a suppression period that raised the open alert's severity (emitted as revisions at once) */
  escalated: number;
  /** first-seen: events whose key was past its warm-up, so a new value could fire (0 with events = learning only) */
  judged: number;
}

export interface EngineStats {
  pushed: number;
  /** events no enabled rule consumes (not buffered) */
  ignored: number;
  /** events currently waiting for the watermark */
  buffered: number;
  /** (event, lane) deliveries processed */
  processed: number;
  /** events older than their lane's watermark on arrival: processed at once (see docs/detection.md) */
  late: number;
  /** events dropped because the same id was already buffered or recently processed */
  duplicates: number;
  alerts: number;
  revisions: number;
  /** alert ids already emitted before (re-processed input); not emitted again */
  repeatedIds: number;
  rules: Record<string, RuleStats>;
}

interface Consumer {
  rule: Compiled;
  step: number;
  sel: Selector;
  key: KeyFn;
}

interface Suppression {
  end: number;
  alert: Alert;
  occurrences: number;
  dirty: boolean;
  first: number;
  last: number;
}

interface Compiled {
  rule: Rule;
  tunables: Record<string, TunableValue>;
  suppressMs: number;
  detector: Detector;
  runtime: Runtime;
  supp: Map<string, Suppression>;
  stats: RuleStats;
  fingerprint: string;
}

interface Timer {
  end: number;
  rule: Compiled;
  key: string;
}

const SNAPSHOT_FORMAT = 'tenantwatch.engine/1';
const TENANT_SEP = '\u0000';

const LATE = 1, DUP = 2;

const eventLess = (a: Event, b: Event): boolean => a.time < b.time || (a.time === b.time && a.id < b.id);

/**
 * A record delivered again has the same id and event time; two records that share an id but not the time (ids
 * anonymised in an export, a source that reuses them) are both processed, as the reader counted both.
 */
const dupKey = (ev: Event): string => `${ev.id}@${ev.time}`;

/** A group of rules consuming the same sources: one event-time buffer, one release point. */
class Lane {
  // The buffer: events arriving in order (the common case) append to `queue` in O(1); out-of-order ones go to
  // the heap. Release takes the smaller head of the two, so the processing order is (time, id) either way.
  readonly heap = new Heap<Event>(eventLess);
  private queue: Event[] = [];
  private qHead = 0;
  readonly buffered = new Set<string>();
  readonly timers = new Heap<Timer>((a, b) => a.end < b.end || (a.end === b.end && a.key < b.key));
  readonly byAction = new Map<Action, Consumer[]>();
  /** release point: every event with time < R has been processed */
  R = -Infinity;
  /** processing clock: the latest processing time so far (late events are processed at this time) */
  clock = -Infinity;
  private lastExpire = -Infinity;
  /** per tenant: processing time of the first event this lane processed (how long its rules have been watching) */
  readonly since = new Map<string, number>();
  private lastTenant: string | undefined;
  private lastSince = 0;

  constructor(
    readonly id: string,
    readonly sources: ReadonlySet<SourceKind> | null, // null = every source
    readonly rules: Compiled[],
    private readonly engine: Engine,
  ) {
    for (const c of rules) {
      const sels = selectorsOf(c.detector);
      // `unless` first, then later steps before earlier ones, so one event never completes a step it just started
      sels.sort((a, b) => (a.step < 0 ? -1 : b.step < 0 ? 1 : b.step - a.step));
      for (const { step, on } of sels) {
        const key = c.detector.kind === 'sequence' ? (step < 0 ? c.detector.unless!.key : c.detector.steps[step]!.key) : c.detector.key;
        for (const act of on.actions) {
          let list = this.byAction.get(act);
          if (!list) this.byAction.set(act, (list = []));
          list.push({ rule: c, step, sel: on, key });
        }
      }
    }
  }

  accepts(src: SourceKind): boolean {
    return this.sources === null || this.sources.has(src);
  }

  /** Ordered input: process the event now (time >= R is on time; older is late). */
  processNow(ev: Event): number {
    if (ev.time < this.R) {
      this.process(ev, Math.max(this.clock, ev.time));
      return LATE;
    }
    this.R = ev.time;
    this.process(ev, ev.time);
    if (ev.time - this.lastExpire >= 1000) this.housekeeping(ev.time);
    return 0;
  }

  private housekeeping(horizon: number): void {
    this.lastExpire = horizon;
    for (const c of this.rules) {
      c.runtime.expire(horizon);
      c.stats.keys = c.runtime.keys;
    }
    this.engine.pruneRecent(this.clock);
  }

  /** Buffer the event, or process it at once when it is late; returns LATE / DUP flags. */
  offer(ev: Event): number {
    if (ev.time < this.R) {
      if (this.engine.isRecent(ev)) return LATE | DUP;
      this.process(ev, Math.max(this.clock, ev.time));
      return LATE;
    }
    const k = dupKey(ev);
    if (this.buffered.has(k)) return DUP;
    this.buffered.add(k);
    const last = this.queue.length > this.qHead ? this.queue[this.queue.length - 1]! : undefined;
    if (!last || !eventLess(ev, last)) this.queue.push(ev);
    else this.heap.push(ev);
    this.engine.stats.buffered++;
    return 0;
  }

  /** The next event in (time, id) order without removing it. */
  private next(): Event | undefined {
    const q = this.qHead < this.queue.length ? this.queue[this.qHead] : undefined;
    const h = this.heap.peek();
    if (!q) return h;
    if (!h) return q;
    return eventLess(h, q) ? h : q;
  }

  private take(ev: Event): void {
    if (this.qHead < this.queue.length && this.queue[this.qHead] === ev) {
      this.queue[this.qHead++] = undefined as unknown as Event;
      if (this.qHead === this.queue.length) {
        this.queue = [];
        this.qHead = 0;
      } else if (this.qHead > 1024 && this.qHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.qHead);
        this.qHead = 0;
      }
    } else this.heap.pop();
  }

  /** Buffered events in no particular order (snapshots). */
  bufferedEvents(): Event[] {
    return [...this.queue.slice(this.qHead), ...this.heap.items()];
  }

  /** Put an event back into the buffer (restore). */
  rebuffer(ev: Event): void {
    this.buffered.add(dupKey(ev));
    this.heap.push(ev);
  }

  advance(R: number): void {
    if (R <= this.R) return;
    this.R = R;
    for (let top = this.next(); top && top.time < R; top = this.next()) {
      this.take(top);
      this.buffered.delete(dupKey(top));
      this.engine.stats.buffered--;
      this.process(top, top.time);
    }
    this.fireTimers(R);
    // TTL eviction is housekeeping (expired state can never match again), so it need not run on every advance
    const horizon = Number.isFinite(R) ? R : this.clock;
    if (horizon - this.lastExpire >= 1000 || !Number.isFinite(R)) this.housekeeping(horizon);
  }

  /** Close suppression periods that ended before `t` (a period ending at T closes after every event at T). */
  fireTimers(t: number): void {
    for (let top = this.timers.peek(); top && top.end < t; top = this.timers.peek()) {
      this.timers.pop();
      this.engine.closeSuppression(top.rule, top.key, top.end);
    }
  }

  process(ev: Event, now: number): void {
    this.fireTimers(now);
    if (now > this.clock) this.clock = now;
    this.engine.stats.processed++;
    this.engine.remember(ev);
    const list = this.byAction.get(ev.action);
    if (!list) return;
    const ctx = this.engine.ctx;
    const a = this.args;
    a.ev = ev;
    a.now = now;
    if (ev.tenant !== this.lastTenant) {
      let t = this.since.get(ev.tenant);
      if (t === undefined) this.since.set(ev.tenant, (t = now));
      this.lastTenant = ev.tenant;
      this.lastSince = t;
    }
    a.since = this.lastSince;
    // every record parses its own copy of the tenant id: state keeps one (the first) per run of equal tenants
    a.tenant = this.lastTenant!;
    for (const cons of list) {
      const sel = cons.sel;
      if (sel.sources && !sel.sources.includes(ev.source)) continue;
      if (sel.where && !sel.where(ev, ctx)) continue;
      const k = cons.key(ev, ctx);
      if (k === undefined) continue;
      const c = cons.rule;
      c.stats.events++;
      a.rule = c;
      a.ruleKey = k;
      c.runtime.on(cons.step, a);
    }
  }

  // one argument object reused for every delivery (runtimes call fire synchronously and keep no reference)
  private readonly args: FireArgs & { rule: Compiled | null } = {
    ev: undefined as unknown as Event,
    tenant: '',
    since: 0,
    ruleKey: '',
    now: 0,
    rule: null,
    fire: (f: Firing) => this.engine.onFire(this, this.args.rule!, this.args.tenant + TENANT_SEP + this.args.ruleKey, f, this.args.now),
    open: () => {
      const s = this.args.rule!.supp.get(this.args.tenant + TENANT_SEP + this.args.ruleKey);
      return s && this.args.now <= s.end ? s.alert.severity : undefined;
    },
  };
}

export class Engine {
  readonly stats: EngineStats;
  readonly ctx: RuleContext;
  private readonly compiled: Compiled[] = [];
  private readonly lanes: Lane[] = [];
  private readonly lanesByAction = new Map<Action, Lane[]>();
  private readonly lateness = new Map<SourceKind, number>();
  /** per-source watermark: no more on-time events of the source before it */
  private readonly wm = new Map<SourceKind, number>();
  private floor = -Infinity;
  private ended = false;
  private pending: Alert[] = [];
  // processed event ids, in two generations (rotated every half horizon or half the cap): O(1), no deletions
  private recentCur = new Set<string>();
  private recentPrev = new Set<string>();
  /** ids restored from a snapshot written before duplicate keys carried the event time */
  private legacyIds: Set<string> | undefined;
  private legacyRotations = 0;
  private recentSince = -Infinity;
  /** alert id -> highest revision emitted (bounded): an (id, revision) pair is never emitted twice */
  private emitted = new Map<string, number>();
  private readonly evidenceCap: number;
  private readonly dedupHorizon: number;
  private readonly dedupMax: number;
  private readonly alertIdMemory: number;
  private readonly ordered: boolean;
  private readonly latestEventTime: (() => number) | undefined;
  readonly texts: TextStore;

  constructor(rules: readonly Rule[], private readonly config: Config = defaultConfig(), opts: EngineOptions = {}) {
    this.evidenceCap = Math.max(2, opts.evidenceCap ?? 20);
    this.alertIdMemory = opts.alertIdMemory ?? 100_000;
    this.ordered = opts.ordered === true;
    this.latestEventTime = opts.latestEventTime;
    this.texts = opts.texts ?? new TextStore();
    this.ctx = { enrich: opts.enrich ?? createEnrichment(config) };
    this.stats = { pushed: 0, ignored: 0, buffered: 0, processed: 0, late: 0, duplicates: 0, alerts: 0, revisions: 0, repeatedIds: 0, rules: {} };
    const disabled = new Set(config.rules.disabled);
    const seen = new Set<string>();
    for (const rule of rules) {
      if (seen.has(rule.id)) throw new UsageError(`rule id ${rule.id} is registered twice`);
      seen.add(rule.id);
      if (disabled.has(rule.id)) continue;
      this.compiled.push(this.compile(rule, opts.maxKeysPerRule ?? 50_000));
    }
    let maxLate = 0;
    for (const src of SOURCE_KINDS) {
      const l = latenessFor(config, src);
      this.lateness.set(src, l);
      maxLate = Math.max(maxLate, l);
    }
    this.dedupHorizon = opts.dedupHorizonMs ?? 2 * maxLate;
    this.dedupMax = opts.dedupMaxIds ?? 200_000;
    for (const src of opts.sources ?? []) this.wm.set(src, -Infinity);
    this.buildLanes();
  }

  private compile(rule: Rule, maxKeys: number): Compiled {
    const overrides = this.config.rules.tunables[rule.id] ?? {};
    const tunables = resolveTunables(rule.tunables, overrides) as Record<string, TunableValue>;
    const suppressMs = typeof overrides.suppress === 'number' ? overrides.suppress : rule.suppressMs;
    const detector = rule.detect(tunables as never);
    const stats: RuleStats = { events: 0, fired: 0, alerts: 0, revisions: 0, suppressed: 0, dropped: 0, keys: 0, expired: 0, evicted: 0, truncated: 0, escalated: 0, judged: 0 };
    this.stats.rules[rule.id] = stats;
    const evidence = rule.summarize ? (ev: Event) => evidenceOf(ev, rule.summarize!(ev)) : (ev: Event) => evidenceOf(ev);
    const env: RuntimeEnv = {
      ctx: this.ctx,
      evidence,
      hold: (ev) => this.hold(evidence(ev), ev),
      holdEvent: (ev) => this.holdEvent(ev),
      unhold: (e) => this.own(e),
      unholdEvent: (ev) => this.ownEvent(ev),
      rehold: (e) => this.hold({ ...e, raw: { ...e.raw } }),
      release: (x) => {
        if (x.raw.ref !== undefined) this.texts.release(x.raw.ref);
      },
      evidenceCap: this.evidenceCap,
      maxKeys,
      stats,
    };
    const runtime: Runtime =
      detector.kind === 'match' ? new MatchRuntime(env)
      : detector.kind === 'threshold' ? new ThresholdRuntime(detector, env)
      : detector.kind === 'sequence' ? new SequenceRuntime(detector, env)
      : detector.kind === 'firstSeen' ? new FirstSeenRuntime(detector, env)
      : new BaselineRuntime(detector, env);
    const fingerprint = stableId(rule.id, JSON.stringify(tunables), suppressMs, maxKeys, this.evidenceCap);
    return { rule, tunables, suppressMs, detector, runtime, supp: new Map(), stats, fingerprint };
  }

  /** Rules that read the same sources share a lane, so a slow source (the UAL) never delays sign-in rules. */
  private buildLanes(): void {
    const groups = new Map<string, Compiled[]>();
    for (const c of this.compiled) {
      const sels = selectorsOf(c.detector);
      const any = sels.some((s) => !s.on.sources);
      const key = any ? '*' : [...new Set(sels.flatMap((s) => s.on.sources!))].sort().join(',');
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(c);
    }
    for (const [key, rules] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const lane = new Lane(key, key === '*' ? null : new Set(key.split(',') as SourceKind[]), rules, this);
      this.lanes.push(lane);
      for (const act of lane.byAction.keys()) {
        let l = this.lanesByAction.get(act);
        if (!l) this.lanesByAction.set(act, (l = []));
        l.push(lane);
      }
    }
  }

  /** Live keys per rule right now (the bounded state), by rule id. */
  stateKeys(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.compiled) out[c.rule.id] = c.runtime.keys + c.supp.size;
    return out;
  }

  /**
   * First-seen rules that saw events but never one past its key's warm-up: they only learned, and could not have
   * fired whatever the input held (coverage says so instead of an all-clear). Rule id -> warm-up.
   */
  learningOnly(): Map<string, number> {
    const out = new Map<string, number>();
    for (const c of this.compiled) {
      const d = c.detector;
      if (d.kind === 'firstSeen' && d.warmupMs > 0 && c.stats.events > 0 && c.stats.judged === 0) out.set(c.rule.id, d.warmupMs);
    }
    return out;
  }

  /** The enabled rules' ids, in registration order. */
  get ruleIds(): string[] {
    return this.compiled.map((c) => c.rule.id);
  }

  /** Feed one event. Any order is fine within each source's lateness bound. */
  push(ev: Event): void {
    this.stats.pushed++;
    if (this.ordered) {
      this.pushOrdered(ev);
      return;
    }
    const src = ev.source;
    const w = ev.time - (this.lateness.get(src) ?? 0);
    const prev = this.wm.get(src);
    const moved = (prev === undefined || w > prev) && !(this.latestEventTime && ev.time > this.latestEventTime());
    if (moved) this.wm.set(src, Math.max(w, this.floor));
    const lanes = this.lanesByAction.get(ev.action);
    let routed = false, late = false, dup = false;
    if (lanes) {
      for (const lane of lanes) {
        if (!lane.accepts(src)) continue;
        routed = true;
        const r = lane.offer(ev);
        if (r & LATE) late = true;
        if (r & DUP) dup = true;
      }
    }
    if (!routed) this.stats.ignored++;
    if (late) this.stats.late++;
    if (dup) this.stats.duplicates++;
    if (moved) this.advanceLanes(src);
  }

  private pushOrdered(ev: Event): void {
    const lanes = this.lanesByAction.get(ev.action);
    if (!lanes) {
      this.stats.ignored++;
      return;
    }
    if (this.isRecent(ev)) {
      this.stats.duplicates++;
      return;
    }
    let routed = false, late = false;
    for (const lane of lanes) {
      if (!lane.accepts(ev.source)) continue;
      routed = true;
      if (lane.processNow(ev) & LATE) late = true;
    }
    if (!routed) this.stats.ignored++;
    if (late) this.stats.late++;
  }

  /** No more (on-time) events of `source` — or of any source when omitted — with time before `time`. */
  advanceWatermark(source: SourceKind | undefined, time: number): void {
    if (source === undefined) {
      if (time > this.floor) this.floor = time;
      for (const [s, w] of this.wm) if (w < time) this.wm.set(s, time);
    } else {
      const prev = this.wm.get(source);
      if (prev === undefined || time > prev) this.wm.set(source, Math.max(time, this.floor));
    }
    this.advanceLanes(source);
  }

  /** End of input: process everything buffered and close every suppression period. */
  end(): void {
    this.ended = true;
    this.advanceWatermark(undefined, Infinity);
  }

  /** Take the alerts produced so far, in the order they were produced. */
  drain(): Alert[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  private advanceLanes(changed: SourceKind | undefined): void {
    for (const lane of this.lanes) {
      if (changed !== undefined && !lane.accepts(changed)) continue;
      lane.advance(this.releasePoint(lane));
    }
  }

  private releasePoint(lane: Lane): number {
    let r = Infinity;
    let any = false;
    for (const [s, w] of this.wm) {
      if (!lane.accepts(s)) continue;
      any = true;
      if (w < r) r = w;
    }
    return any ? Math.max(r, this.floor) : this.floor;
  }

  // --- duplicates -------------------------------------------------------------------------------------------

  /** @internal */
  isRecent(ev: Event): boolean {
    const k = dupKey(ev);
    return this.recentCur.has(k) || this.recentPrev.has(k) || (this.legacyIds?.has(ev.id) ?? false);
  }

  /** @internal */
  remember(ev: Event): void {
    this.recentCur.add(dupKey(ev));
    if (this.recentCur.size >= this.dedupMax / 2) this.rotateRecent(this.recentSince);
  }

  /** @internal an id stays remembered at least half the horizon (event time) and at most about the horizon */
  pruneRecent(clock: number): void {
    if (!Number.isFinite(clock)) return;
    if (this.recentSince === -Infinity) this.recentSince = clock;
    else if (clock - this.recentSince >= this.dedupHorizon / 2) this.rotateRecent(clock);
  }

  private rotateRecent(now: number): void {
    // restored bare ids live as long as the sets they came from would have: two rotations
    if (this.legacyIds && ++this.legacyRotations >= 2) this.legacyIds = undefined;
    this.recentPrev = this.recentCur;
    this.recentCur = new Set();
    this.recentSince = now;
  }

  // --- alerts and suppression -------------------------------------------------------------------------------

  /** @internal a detector fired for (rule, key) */
  onFire(lane: Lane, c: Compiled, fullKey: string, f: Firing, now: number): void {
    c.stats.fired++;
    const open = c.supp.get(fullKey);
    const repeat = open !== undefined && now <= open.end;
    if (repeat && f.repeat) {
      // the detector says this repeat cannot raise the open alert: no draft needed
      this.fold(c, open, f);
      return;
    }
    const draft = c.detector.alert(f.match as never, this.ctx);
    if (!draft) {
      c.stats.dropped++;
      return;
    }
    if (repeat) {
      // a repeat inside the suppression period: fold it into the open alert
      this.fold(c, open, f);
      // a repeat the rule judged worth a draft (one that could change the verdict: a guessed password that worked)
      // keeps the proofs its window says the alert must show, then its trigger, in the evidence even past the cap,
      // up to a second cap's worth of such events
      const held = open.alert.evidence;
      const want = [...(f.must ?? []), f.match.event.id].filter((id) => !held.some((e) => e.eventId === id));
      if (want.length && held.length < 2 * this.evidenceCap) {
        const mine = f.evidence();
        for (const id of want) {
          if (held.length >= 2 * this.evidenceCap) break;
          const e = mine.find((x) => x.eventId === id);
          if (!e) continue;
          held.push(this.own(e));
          open.alert.evidenceTruncated = Math.max(0, open.alert.evidenceTruncated - 1);
        }
      }
      const severity = draft.severity ?? c.rule.severity;
      const rise = severityRank(severity) - severityRank(open.alert.severity);
      // A repeat that says more takes over the open alert's words: one at a higher severity (the guessed password
      // then worked), or, for a detector whose repeat counts everything the first firing counted and more (a
      // window, a first-seen history that sums up the key), one at the same severity, so the alert reports the
      // final totals rather than the moment the threshold was crossed
      const kind = c.detector.kind;
      const sums = kind === 'threshold' || kind === 'baseline' || (kind === 'firstSeen' && c.detector.updateOnRepeat === true);
      if (rise > 0 || (rise === 0 && sums)) {
        const a = open.alert;
        a.title = draft.title ?? c.rule.title;
        a.explanation = draft.explanation;
        a.facts = { ...(draft.facts ?? {}) };
        a.entities = cleanEntities([...a.entities, ...draft.entities]);
      }
      if (rise > 0) {
        // escalation goes out at once as a revision, instead of waiting for the period's end (same-severity words
        // go out with the revision at the period's end)
        const a = this.revise(open);
        a.severity = severity;
        open.dirty = false;
        c.stats.escalated++;
        this.emit(c, structuredClone(a));
      }
      return;
    }
    const ev = f.match.event;
    const id = stableId(c.rule.id, ev.tenant, f.match.key, ev.time);
    // proofs stay past the cap, and so does the trigger (the cap used to leave room for it)
    const must = f.must?.length ? [...f.must, ev.id] : undefined;
    const evidence = capEvidence(sortEvidence(f.evidence()), this.evidenceCap, must).map((e) => this.own(e));
    const alert: Alert = {
      schemaVersion: ALERT_SCHEMA_VERSION,
      id,
      rule: c.rule.id,
      title: draft.title ?? c.rule.title,
      severity: draft.severity ?? c.rule.severity,
      time: iso(ev.time),
      firstSeen: iso(f.first),
      lastSeen: iso(f.last),
      tenant: ev.tenant,
      key: f.match.key,
      ...attackTags(c.rule, draft),
      entities: cleanEntities(draft.entities),
      explanation: draft.explanation,
      facts: { ...(draft.facts ?? {}) },
      evidence,
      evidenceTruncated: Math.max(0, f.total - evidence.length),
      revision: 1,
      occurrences: 1,
    };
    const end = now + c.suppressMs;
    c.supp.set(fullKey, { end, alert: structuredClone(alert), occurrences: 1, dirty: false, first: f.first, last: f.last });
    lane.timers.push({ end, rule: c, key: fullKey });
    this.emit(c, alert);
  }

  /**
   * Evidence for state: its text goes to the text store, or only its place when the text is in the input file
   * (the evidence object is fresh: changed in place).
   */
  private hold(e: Evidence, ev?: Event): Evidence {
    const at = (ev && textAtOf(ev.raw)) ?? e.raw.at;
    if (at !== undefined) {
      e.raw.ref = this.texts.putAt(e.raw.file, at);
      delete e.raw.text;
      delete e.raw.at;
    } else if (e.raw.text !== undefined) {
      e.raw.ref = this.texts.put(e.raw.text);
      delete e.raw.text;
    }
    return e;
  }

  /** An event for state: a copy without its text, which waits in the text store. */
  private holdEvent(ev: Event): Event {
    // (`at` is left out here, not deleted below: an object that loses a property becomes a dictionary twice its
    // size, and partial sequences hold thousands of these)
    const { text, at: _at, ...raw } = ev.raw;
    const r: Event['raw'] = raw;
    const at = textAtOf(ev.raw);
    if (at) {
      // (read back whole: own() cuts it to the cap)
      r.ref = this.texts.putAt(r.file, at);
    } else if (text !== undefined) {
      if (text.length > RAW_TEXT_CAP) {
        r.ref = this.texts.put(text.slice(0, RAW_TEXT_CAP));
        r.refTruncated = true;
      } else r.ref = this.texts.put(text);
    } else return ev;
    return { ...ev, tenant: this.tenantString(ev.tenant), raw: r };
  }

  /** One string per tenant id for everything state keeps (each record parses its own copy). */
  private tenantString(t: string): string {
    let s = this.tenantStrings.get(t);
    if (s === undefined) {
      if (this.tenantStrings.size >= 10_000) this.tenantStrings.clear();
      this.tenantStrings.set(t, (s = t));
    }
    return s;
  }
  private readonly tenantStrings = new Map<string, string>();

  /** A held event (or one whose text is in its input file) with its text back (snapshots). */
  private ownEvent(ev: Event): Event {
    if (ev.raw.ref === undefined && ev.raw.at === undefined) return ev;
    const { ref, refTruncated: _t, at, ...raw } = ev.raw;
    const t = ref !== undefined ? this.texts.get(ref) : this.textAt(raw.file, at!);
    return { ...ev, raw: t === undefined ? raw : { ...raw, text: t } };
  }

  private textAt(file: string, at: TextAt): string | undefined {
    const t = this.texts.readAt(file, at);
    return typeof t === 'string' ? t : undefined;
  }

  /** A copy an alert (or a snapshot) can own, with the held text put back (cut to the evidence cap). */
  private own(e: Evidence): Evidence {
    const raw = { ...e.raw };
    let t: string | { why: string } | undefined;
    if (raw.ref !== undefined) {
      t = this.texts.textOrWhy(raw.ref);
      delete raw.ref;
    } else if (raw.at !== undefined) {
      t = this.texts.readAt(raw.file, raw.at);
      delete raw.at;
    }
    // a text read back from its input file is whole; one held as text was cut when it was taken
    if (typeof t === 'string') setEvidenceText(raw, t);
    else if (t !== undefined) raw.textDropped = t.why;
    return { ...e, raw };
  }

  /** Count a repeat into the open alert: occurrences, time span, new evidence up to the cap. */
  private fold(c: Compiled, open: Suppression, f: Firing): void {
    c.stats.suppressed++;
    open.occurrences++;
    open.dirty = true;
    open.first = Math.min(open.first, f.first);
    open.last = Math.max(open.last, f.last);
    const ev = open.alert.evidence;
    const have = new Set(ev.map((e) => e.eventId));
    let extra = 0;
    if (ev.length < this.evidenceCap) {
      for (const e of f.evidence()) {
        if (have.has(e.eventId)) continue;
        if (ev.length < this.evidenceCap) {
          ev.push(this.own(e));
          have.add(e.eventId);
        } else extra++;
      }
    } else for (const id of f.ids) if (!have.has(id)) extra++;
    // repeats of a window overlap: count what this firing adds that did not fit, or the part of its own window the
    // evidence cannot show, whichever is more (summing every repeat's window would count the same events again)
    open.alert.evidenceTruncated = Math.max(open.alert.evidenceTruncated + extra, f.total - ev.length);
  }

  /** The open alert as its next revision: occurrences, time span and evidence order from what was folded in. */
  private revise(s: Suppression): Alert {
    const a = s.alert;
    a.revision++;
    a.occurrences = s.occurrences;
    a.firstSeen = iso(s.first);
    a.lastSeen = iso(s.last);
    a.evidence = sortEvidence(a.evidence);
    return a;
  }

  /** @internal the suppression period for (rule, key) ended at `end`: emit a revision if repeats were folded in */
  closeSuppression(c: Compiled, fullKey: string, end: number): void {
    const s = c.supp.get(fullKey);
    if (!s || s.end !== end) return;
    c.supp.delete(fullKey);
    if (!s.dirty) return;
    const a = this.revise(s);
    a.explanation += ` It triggered ${s.occurrences - 1} more time${s.occurrences === 2 ? '' : 's'} for the same key (${a.key}) until ${a.lastSeen}; those repeats are folded into this alert.`;
    this.emit(c, structuredClone(a));
  }

  private emit(c: Compiled, alert: Alert): void {
    if ((this.emitted.get(alert.id) ?? 0) >= alert.revision) {
      // re-processed input: this (id, revision) went out before
      this.stats.repeatedIds++;
      return;
    }
    this.emitted.delete(alert.id);
    this.emitted.set(alert.id, alert.revision);
    if (this.emitted.size > this.alertIdMemory) this.emitted.delete(this.emitted.keys().next().value as string);
    if (alert.revision === 1) {
      c.stats.alerts++;
      this.stats.alerts++;
    } else {
      c.stats.revisions++;
      this.stats.revisions++;
    }
    this.pending.push(alert);
  }

  // --- snapshot / restore -----------------------------------------------------------------------------------

  /** The whole engine state as plain JSON (alerts not yet drained included). */
  snapshot(): EngineSnapshot {
    const buffered = new Map<string, Event>();
    for (const lane of this.lanes) for (const ev of lane.bufferedEvents()) buffered.set(dupKey(ev), ev);
    // a deep copy: the caller may keep it while the engine runs on
    return structuredClone({
      format: SNAPSHOT_FORMAT,
      ended: this.ended,
      floor: num(this.floor),
      watermarks: [...this.wm].map(([s, w]) => [s, num(w)]),
      lanes: this.lanes.map((l) => ({
        id: l.id,
        R: num(l.R),
        clock: num(l.clock),
        timers: l.timers.items().map((t) => [t.rule.rule.id, t.key, t.end]),
        since: [...l.since],
      })),
      buffered: [...buffered.values()].sort((a, b) => (eventLess(a, b) ? -1 : eventLess(b, a) ? 1 : 0)),
      rules: this.compiled.map((c) => ({
        id: c.rule.id,
        fingerprint: c.fingerprint,
        state: c.runtime.save(),
        supp: [...c.supp].map(([k, s]) => [k, s]),
      })),
      recent: { since: num(this.recentSince), cur: [...this.recentCur], prev: [...this.recentPrev] },
      emitted: [...this.emitted],
      pending: this.pending,
      stats: this.stats,
    });
  }

  /**
   * Rebuild an engine from a snapshot. Rules whose id or settings changed since the snapshot start with empty
   * state (listed in the returned engine's `restoreNotes`); everything else continues exactly where it stopped.
   */
  static restore(rules: readonly Rule[], config: Config, snap: EngineSnapshot | string, opts: EngineOptions = {}): Engine {
    const s: EngineSnapshot = typeof snap === 'string' ? (JSON.parse(snap) as EngineSnapshot) : snap;
    if (!s || s.format !== SNAPSHOT_FORMAT) throw new UsageError(`not a tenantwatch engine snapshot (expected format ${SNAPSHOT_FORMAT})`);
    const e = new Engine(rules, config, opts);
    e.ended = s.ended;
    e.floor = unnum(s.floor);
    for (const [src, w] of s.watermarks) e.wm.set(src, unnum(w));
    e.recentSince = unnum(s.recent.since);
    // snapshots from before duplicates keyed on id and time hold bare ids: checked by id until they rotate out
    const keyed = (k: string) => k.includes('@');
    e.recentCur = new Set(s.recent.cur.filter(keyed));
    e.recentPrev = new Set(s.recent.prev.filter(keyed));
    const legacy = [...s.recent.cur, ...s.recent.prev].filter((k) => !keyed(k));
    if (legacy.length) {
      e.legacyIds = new Set(legacy);
      e.legacyRotations = 0;
    }
    for (const [id, rev] of s.emitted) e.emitted.set(id, rev);
    e.pending = s.pending;
    // stats: keep counters, re-attach per-rule objects the runtimes hold
    const { rules: ruleStats, ...counters } = s.stats;
    Object.assign(e.stats, counters);
    e.stats.buffered = 0;
    const byId = new Map(e.compiled.map((c) => [c.rule.id, c]));
    for (const r of s.rules) {
      const c = byId.get(r.id);
      if (!c) {
        e.restoreNotes.push(`${r.id}: in the snapshot but not enabled now; its state was dropped`);
        continue;
      }
      if (c.fingerprint !== r.fingerprint) {
        e.restoreNotes.push(`${r.id}: settings changed since the snapshot; it starts with empty state`);
        continue;
      }
      c.runtime.load(r.state);
      for (const [k, sp] of r.supp) c.supp.set(k, sp);
      if (ruleStats[r.id]) Object.assign(c.stats, ruleStats[r.id]);
    }
    const laneById = new Map(s.lanes.map((l) => [l.id, l]));
    for (const lane of e.lanes) {
      const ls = laneById.get(lane.id);
      if (ls) {
        lane.R = unnum(ls.R);
        lane.clock = unnum(ls.clock);
        for (const [tenant, t] of ls.since ?? []) lane.since.set(tenant, t);
        for (const [ruleId, key, end] of ls.timers) {
          const c = byId.get(ruleId);
          if (c && c.supp.has(key)) lane.timers.push({ end, rule: c, key });
        }
      } else {
        lane.R = e.releasePoint(lane);
      }
      for (const ev of s.buffered) {
        if (ev.time < lane.R || !lane.accepts(ev.source) || !lane.byAction.has(ev.action)) continue;
        lane.rebuffer(ev);
        e.stats.buffered++;
      }
    }
    return e;
  }

  /** What restore() had to reset (rules changed since the snapshot). */
  readonly restoreNotes: string[] = [];
}

export interface EngineSnapshot {
  format: string;
  ended: boolean;
  floor: number | null;
  watermarks: [SourceKind, number | null][];
  lanes: { id: string; R: number | null; clock: number | null; timers: [string, string, number][]; since?: [string, number][] }[];
  buffered: Event[];
  rules: { id: string; fingerprint: string; state: unknown; supp: [string, Suppression][] }[];
  recent: { since: number | null; cur: string[]; prev: string[] };
  emitted: [string, number][];
  pending: Alert[];
  stats: EngineStats;
}

// JSON has no infinities: -Infinity (nothing released yet) is null, +Infinity (ended) is Number.MAX_VALUE.
function num(n: number): number | null {
  if (n === -Infinity) return null;
  if (n === Infinity) return Number.MAX_VALUE;
  return n;
}
function unnum(n: number | null): number {
  if (n === null) return -Infinity;
  if (n === Number.MAX_VALUE) return Infinity;
  return n;
}

/** The first `cap` items, except that every `must` item stays (in place of the latest others). */
function capEvidence(sorted: Evidence[], cap: number, must: readonly string[] | undefined): Evidence[] {
  if (sorted.length <= cap) return sorted;
  if (!must?.length) return sorted.slice(0, cap);
  const keep = new Set(must);
  const musts = sorted.filter((e) => keep.has(e.eventId)).length;
  let others = Math.max(0, cap - musts);
  return sorted.filter((e) => keep.has(e.eventId) || others-- > 0);
}

function sortEvidence(ev: Evidence[]): Evidence[] {
  return [...ev].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
}

/** Entities without undefined fields or duplicates (same type+id merge their aliases). */
function cleanEntities(list: Entity[]): Entity[] {
  const out = new Map<string, Entity>();
  for (const e of list) {
    if (!e.id) continue;
    const k = `${e.type}\u0000${e.id}`;
    const prev = out.get(k);
    if (prev) {
      const aliases = new Set([...(prev.aliases ?? []), ...(e.aliases ?? [])]);
      if (aliases.size) prev.aliases = [...aliases];
      continue;
    }
    const c: Entity = { type: e.type, id: e.id };
    const aliases = (e.aliases ?? []).filter((a) => a && a !== e.id);
    if (aliases.length) c.aliases = [...new Set(aliases)];
    if (e.display) c.display = e.display;
    if (e.role) c.role = e.role;
    out.set(k, c);
  }
  return [...out.values()];
}

/** The alert's ATT&CK tags: the draft's when it gives a consistent set from the pinned table, else the rule's. */
function attackTags(rule: Rule, draft: AlertDraft): Pick<Alert, 'tactics' | 'techniques'> {
  const { tactics, techniques } = draft;
  if (tactics?.length && techniques?.length && checkAttackTags(tactics, techniques).length === 0) return { tactics: [...tactics], techniques: [...techniques] };
  return { tactics: [...rule.tactics], techniques: [...rule.techniques] };
}
