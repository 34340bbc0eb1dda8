// The detection language: the stateful primitives a rule can use, and what each hands to the rule's alert
// builder when it fires. Rules build one Detector from their tunables; the engine owns all state (keyed, bounded,
// serializable), so a rule is metadata plus pure functions.
import type { Action, Event, SourceKind } from '../core/event.js';
import type { Enrichment } from '../enrich/types.js';
import type { Entity, Severity } from './alert.js';
import type { TacticName } from './attack.js';

export interface RuleContext {
  enrich: Enrichment;
}

/** Which events a detector (or one step of a sequence) consumes. `actions` feeds the engine's dispatch index. */
export interface Selector {
  actions: readonly Action[];
  /** restrict to these sources (e.g. only service-principal sign-ins); all sources when absent */
  sources?: readonly SourceKind[];
  /** cheap per-event filter after the action/source dispatch */
  where?(ev: Event, ctx: RuleContext): boolean;
}

/** A key extractor: which state bucket an event belongs to (an IP, an appId, "user|ip"); undefined skips the event. */
export type KeyFn = (ev: Event, ctx: RuleContext) => string | undefined;

/** What a rule returns for one firing. Evidence, ids, times and ATT&CK tags are added by the engine. */
export interface AlertDraft {
  /** defaults to the rule title */
  title?: string;
  /** defaults to the rule severity */
  severity?: Severity;
  entities: Entity[];
  /** plain language, with the numbers that triggered it */
  explanation: string;
  facts?: Record<string, number | string | boolean | string[]>;
  /**
   * ATT&CK tags of this alert instead of the rule's, when the record classifies itself better (Microsoft's own
   * alerts carry a tactic category and technique ids). Used only when both are given and consistent with the
   * pinned table (checkAttackTags); otherwise the rule's tags stand.
   */
  tactics?: TacticName[];
  techniques?: string[];
}

/** Alert builders may return undefined to drop a firing (e.g. an allow-listed entity seen only at alert time). */
export type Build<M> = (m: M, ctx: RuleContext) => AlertDraft | undefined;

interface MatchBase {
  /** the rule key (without tenant) */
  key: string;
  tenant: string;
  /** the event that made the detector fire */
  event: Event;
}

export interface SingleMatch extends MatchBase {
  kind: 'match';
}

export interface ThresholdMatch extends MatchBase {
  kind: 'threshold';
  /** events in the window (after the window slid to the trigger event) */
  count: number;
  /** distinct values in the window (equals count when the detector counts events) */
  distinct: number;
  /** distinct values, oldest first, at most 50 */
  values: string[];
  windowMs: number;
  /** event time of the oldest event still in the window */
  firstTime: number;
  /** per extra dimension (ThresholdDetector.dims): distinct count and values (oldest first, at most 50) */
  dims: Record<string, { distinct: number; values: string[] }>;
  /** the whole window, for set questions the summary can't answer; valid only during the alert builder call */
  view: WindowView;
}

/**
 * Read-only view of a threshold window: the distinct values of each dimension with how many entries carry them.
 * The main `distinct` values are the dimension named 'distinct'. Lookups are O(1); iterating is O(distinct).
 */
export interface WindowView {
  /** entries in the window whose `dim` value is `value` (0 when none) */
  count(dim: string, value: string): number;
  /** distinct values of `dim` in the window */
  size(dim: string): number;
  /** distinct values of `dim`, oldest first */
  values(dim: string): Iterable<string>;
}

/** What a threshold's `condition` sees once the metric reached `min`. */
export interface ThresholdState {
  count: number;
  distinct: number;
  /** distinct count per extra dimension */
  dims: Record<string, number>;
  /** the event just added */
  event: Event;
  /** processing time of the oldest entry in the window */
  firstTime: number;
  view: WindowView;
  /**
   * The severity of this key's alert while its suppression period is still open, else undefined. A firing now
   * would be a repeat folded into that alert, which only matters when it can raise the severity: an expensive
   * condition may answer 'repeat' for firings that cannot.
   */
  open: Severity | undefined;
  /**
   * Processing time of the first event of this tenant the engine gave the rule's sources (engine state: it
   * survives snapshots). At the start of an input every key is new; a rule that treats "new" as news waits a
   * warm-up from here.
   */
  since: number;
  ctx: RuleContext;
}

export interface SequenceMatch extends MatchBase {
  kind: 'sequence';
  /** one event per step, in step order (the latest qualifying event of each earlier step) */
  steps: { name: string; event: Event }[];
  /** from the first step's event to the last */
  elapsedMs: number;
  withinMs: number;
}

export interface FirstSeenMatch extends MatchBase {
  kind: 'firstSeen';
  value: string;
  /** values already known for the key within the history window, most recent first, at most 20 (`also` values left out) */
  known: string[];
  knownCount: number;
  /** when the key itself was first seen (start of its learning) */
  keySince: number;
  /** the newest value known for the key (also one taught by `also`) that starts with `prefix`, now */
  findKnown: (prefix: string) => string | undefined;
  historyMs: number;
}

export interface BaselineMatch extends MatchBase {
  kind: 'baseline';
  /** events in the current bucket so far */
  count: number;
  bucketMs: number;
  bucketStart: number;
  /** mean and standard deviation of the learned buckets (zeros included) */
  mean: number;
  stddev: number;
  learnedBuckets: number;
  /** the count this bucket had to reach */
  threshold: number;
}

export type DetectorMatch = SingleMatch | ThresholdMatch | SequenceMatch | FirstSeenMatch | BaselineMatch;

/** Fires on every selected event (per key suppression still applies). */
export interface MatchDetector {
  kind: 'match';
  on: Selector;
  key: KeyFn;
  alert: Build<SingleMatch>;
}

/** Count (or distinct-count) events per key in a sliding event-time window. */
export interface ThresholdDetector {
  kind: 'threshold';
  on: Selector;
  key: KeyFn;
  /** count distinct values of this instead of events (e.g. distinct target accounts) */
  distinct?: (ev: Event, ctx: RuleContext) => string | undefined;
  windowMs: number;
  /** fire when the count (or distinct count, or the `metric` dimension's distinct count) reaches this */
  min: number;
  /**
   * An extra condition on the window once `min` is reached (e.g. few tries per account). 'repeat' (only while
   * `open` is set) says: this fires, but cannot raise the open alert: fold it in as an occurrence without
   * building a draft, which spares an expensive condition and builder for the repeats of a `consume: false` window.
   */
  condition?: (m: ThresholdState) => boolean | 'repeat';
  /**
   * Extra distinct counts over the same window (source IPs, proven accounts, "user|ip" pairs...). An event whose
   * value is undefined still counts as an entry, just not in that dimension. The view shows the window BEFORE the
   * event is added (so a dimension can ask "was this source already seen succeeding?"). Names are identifiers;
   * 'distinct' is reserved for the main distinct value.
   */
  dims?: Record<string, (ev: Event, ctx: RuleContext, before: WindowView) => string | undefined>;
  /** which dimension `min` counts (its distinct values); default: `distinct` when given, else events */
  metric?: string;
  /**
   * Whether the event enters the window at all, given the window as it is (slid to the event): e.g. take a
   * success only from a source already failing. Events refused here touch no state. Default: all selected events.
   */
  admit?: (ev: Event, view: WindowView, ctx: RuleContext) => boolean;
  /**
   * false: a crossing does NOT consume the window, so every later event while the window still qualifies fires
   * again (folded into the open alert by suppression, escalating it when its draft is more severe: "the guessed
   * password then worked"). Default true: the next alert for the key needs `min` new events.
   */
  consume?: boolean;
  /**
   * Which held context events (those that brought a new value to a dimension other than the metric once the
   * metric began) are proofs the alert has to show: the success or MFA interrupt that proved a guessed password.
   * Judged when the window fires, with the event's dimension values and the window as it is then (an address may
   * start failing for other accounts only after the guess worked), and when the evidence room is full (context that
   * is no proof then makes room). Proofs stay in the evidence past its cap, up to a second cap's worth. 'never': the
   * event cannot become one while it is in the window (a typo followed by the account's own success), so it is held
   * like ordinary context, within the cap (judging every such event would hold and drop each one). Without it,
   * context evidence stays within the cap like any other.
   */
  proof?: (dim: (name: string) => string | undefined, view: WindowView, ctx: RuleContext) => boolean | 'never';
  alert: Build<ThresholdMatch>;
}

export interface SequenceStep {
  name: string;
  on: Selector;
  key: KeyFn;
}

/** Steps in order for the same key, first to last within `withinMs`; an `unless` event for the key cancels. */
export interface SequenceDetector {
  kind: 'sequence';
  steps: readonly SequenceStep[];
  withinMs: number;
  unless?: SequenceStep;
  /**
   * What state keeps of a step's event until the sequence completes (the builder then sees this as the step's
   * event; the last step's event is always whole). Default: the whole event. A rule keyed per user or session
   * (tens of thousands of keys) keeps only the fields its builder and summary read.
   */
  keep?: (ev: Event) => Event;
  /**
   * Whether a newer event of an earlier step takes over from the one held for it while that one is still inside
   * the window (default: always, so the latest start is the one most likely to still be inside the window). `held`
   * is the kept projection. A session-replay rule says no to a use that is itself the replay, so the attacker's
   * later uses are still judged against the victim's place, not against the attacker's own.
   */
  replace?: (held: Event, next: Event, ctx: RuleContext) => boolean;
  alert: Build<SequenceMatch>;
}

/** A value never seen for the key within the history window (new IP for a service principal...). */
export interface FirstSeenDetector {
  kind: 'firstSeen';
  on: Selector;
  key: KeyFn;
  value: (ev: Event, ctx: RuleContext) => string | undefined;
  /**
   * A second value the event teaches (never fired on), for builders that ask `findKnown`: e.g. the session a
   * registered device signed in with, so a later use of that session elsewhere is the account's own.
   */
  also?: (ev: Event, ctx: RuleContext) => string | undefined;
  /** how long a value stays known after it was last seen */
  historyMs: number;
  /** a key must have been learning this long before a new value can fire (no alerts while history is thin) */
  warmupMs: number;
  /** every selected event teaches; only these may fire (all selected events when absent) */
  alertIf?: (ev: Event, ctx: RuleContext) => boolean;
  /**
   * A repeat inside the suppression period at the open alert's severity replaces its title, explanation and facts
   * (as thresholds do): for builders whose latest draft sums up the key's history (every role an app was given).
   */
  updateOnRepeat?: boolean;
  alert: Build<FirstSeenMatch>;
}

/** Events per key per bucket against the key's own learned history of buckets. */
export interface BaselineDetector {
  kind: 'baseline';
  on: Selector;
  key: KeyFn;
  bucketMs: number;
  /** buckets of history kept (and averaged) */
  historyBuckets: number;
  /** buckets a key must have been learning before it can fire */
  minHistoryBuckets: number;
  /** fire when count >= max(minCount, mean * factor, mean + zScore * stddev) */
  minCount: number;
  factor: number;
  zScore: number;
  alert: Build<BaselineMatch>;
}

export type Detector = MatchDetector | ThresholdDetector | SequenceDetector | FirstSeenDetector | BaselineDetector;

// Builders: identity functions that give rule authors type inference for the alert builder's match argument.
export const match = (d: Omit<MatchDetector, 'kind'>): MatchDetector => ({ kind: 'match', ...d });
export const threshold = (d: Omit<ThresholdDetector, 'kind'>): ThresholdDetector => ({ kind: 'threshold', ...d });
export const sequence = (d: Omit<SequenceDetector, 'kind'>): SequenceDetector => ({ kind: 'sequence', ...d });
export const firstSeen = (d: Omit<FirstSeenDetector, 'kind'>): FirstSeenDetector => ({ kind: 'firstSeen', ...d });
export const baseline = (d: Omit<BaselineDetector, 'kind'>): BaselineDetector => ({ kind: 'baseline', ...d });

/** The selectors a detector consumes, for the dispatch index and for coverage. */
export function selectorsOf(d: Detector): { step: number; on: Selector }[] {
  if (d.kind === 'sequence') {
    const out = d.steps.map((s, i) => ({ step: i, on: s.on }));
    if (d.unless) out.push({ step: -1, on: d.unless.on });
    return out;
  }
  return [{ step: 0, on: d.on }];
}
