// `tenantwatch watch`: poll the tenant's sources, detect with the same engine as a hunt, correlate, store, and hand
// alerts to the sinks — resumable after a crash at any point. docs/watch.md explains the design; in short:
//
// Time. Each source is read forward in CHUNKS. Graph returns records newest first, and a source's watermark is
// "newest event seen − lateness", so one pull may span at most the source's lateness or its older records would
// arrive behind the watermark. A Graph chunk re-reads `lookback` below where the last one ended (records appear
// in Graph minutes to hours after they happen) and ends `delay` before now; a chunk spans lookback + progress ≤
// lateness. After each chunk the source's watermark is advanced to (its checkpoint − lateness), so quiet sources
// do not hold the engine back. Records read again are dropped before decoding (a bounded in-memory set) and, after
// a restart, by the engine's duplicate-id check; alerts upsert by id.
//
// Durability. Every batch is decoded and pushed synchronously; the checkpoints of the batches pushed, the engine
// snapshot, the role ledger, the new alerts, their incidents and the outbox rows are committed in ONE SQLite
// transaction (src/watch/state.ts) — after a batch that produced alerts, every few batches, and at the end of each
// chunk. So the stored engine state always matches the stored checkpoints: a restart repeats only the batches
// after the last commit, which the restored engine has not seen. The dispatcher delivers outbox rows after the
// commit (at least once, same idempotency key after a crash).
//
// Scheduling. Graph sources run one after another (the reporting APIs allow 5 requests per 10 s per app and
// tenant), the Management API sources beside them. Throttling waits (Retry-After) happen in the API client; a
// source whose poll fails waits interval × 2^(failures−1) (at most an hour) before the next try, the others go on.
import { statSync } from 'node:fs';
import type { Event, SourceKind } from '../core/event.js';
import { UsageError } from '../core/errors.js';
import { parseTime } from '../core/time.js';
import type { Config } from '../config/config.js';
import { latenessFor } from '../config/config.js';
import { defaultCollectConfig } from '../config/collect.js';
import { defaultWatchConfig, graphKindsPolled, lookbackProblem, SIGNIN_KIND, type WatchConfig } from '../config/watch.js';
import { EntityMemory } from '../correlate/memory.js';
import type { Alert, Severity } from '../detect/alert.js';
import { Engine, type EngineSnapshot } from '../detect/engine.js';
import { createEnrichment } from '../enrich/allowlists.js';
import { loadGeoEnrichment } from '../enrich/loader.js';
import { RoleLedger, withLearnedRoles, type RoleLedgerState } from '../enrich/roles.js';
import type { Enrichment } from '../enrich/types.js';
import { isUalDirectoryRecord } from '../hunt/twins.js';
import { Deduper } from '../pipeline/dedup.js';
import { rules as registeredRules } from '../rules/index.js';
import type { Rule } from '../rules/types.js';
import { idempotencyKey, type Sink } from '../sinks/types.js';
import type { Logger } from '../sources/auth/redact.js';
import { directoryAuditSource } from '../sources/directory-audits/index.js';
import { isGraphCheckpoint, type GraphWindowedSource } from '../sources/graph/windowed.js';
import { signInSource } from '../sources/graph-signins/index.js';
import { ApiError } from '../sources/http/client.js';
import { ManagementActivitySource } from '../sources/management-activity/index.js';
import { messageTraceSource } from '../sources/message-trace/index.js';
import type { CollectorRuntime } from '../sources/runtime.js';
import { SourceError, type Batch, type Checkpoint, type Source, type SourceContext } from '../sources/types.js';
import type { Store } from '../store/store.js';
import { decodeRecords } from './decode.js';
import { Dispatcher } from './dispatcher.js';
import { correlateIntoStore } from './incidents.js';
import { M, Metrics } from './metrics.js';
import { WatchState, type DeliveryRow } from './state.js';

export interface WatchHooks {
  /** a batch arrived from a source, before anything is done with it */
  fetched?(source: string, batch: Batch): void;
  /** after each commit (n counts commits of this process) */
  committed?(n: number): void;
  /** a sink took a message; the outbox row is not yet marked delivered */
  delivered?(row: DeliveryRow): void;
}

export interface WatchOptions {
  rt: CollectorRuntime;
  config: Config;
  store: Store;
  sinks: Sink[];
  rules?: readonly Rule[];
  metrics?: Metrics;
  /** dead-letter NDJSON file (absolute) */
  deadLetter?: string;
  /** geo / ASN enrichment as in hunt (shipped databases on by default; network tables) */
  geoPackages?: boolean;
  networks?: string[];
  hooks?: WatchHooks;
  random?: () => number;
}

interface Watched {
  id: string;
  source: Source;
  graph?: GraphWindowedSource;
  kind: SourceKind;
  lane: 'graph' | 'management';
  lateness: number;
  lookback: number;
  /** most a chunk moves the checkpoint forward */
  chunk: number;
  checkpoint?: Checkpoint;
  /** where the source started (its first poll read from here); kept in the store so a restart agrees */
  since: number;
  /** everything before it has been read (the checkpoint's lower edge) */
  frontier: number;
  nextDue: number;
  failures: number;
  lastSuccess?: number;
  lastError?: string;
  /** the last poll's target was reached */
  caughtUp: boolean;
}

export interface SourceHealth {
  id: string;
  kind: SourceKind;
  frontier: string;
  lagSeconds: number;
  lastSuccess?: string;
  failures: number;
  lastError?: string;
}

export interface WatchHealth {
  status: 'ok' | 'degraded' | 'failing';
  started: string;
  lastCommit?: string;
  sources: SourceHealth[];
  deliveries: { sink: string; pending: number; delivered: number; dead: number }[];
  reasons: string[];
}

/** How long a watch remembers record ids for duplicates (event time behind the newest seen). */
const DEDUP_HORIZON_MS = 8 * 24 * 3_600_000;

/** A hook threw: the watcher stops where it is, as if the process had died (tests of crash points). */
export class WatchHalted extends Error {
  constructor(override readonly cause: unknown) {
    super(`watch halted: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'WatchHalted';
  }
}

const HOUR = 3_600_000;
const COMMIT_EVERY_BATCHES = 16;
const STALLED_AFTER = 3;
const MEMORY_SAVE_MS = 10 * 60_000;
const iso = (t: number) => new Date(t).toISOString();
/** a due delivery not sent for this long (a backlog, a stuck sink) makes health degraded */
const OVERDUE_MS = 10 * 60_000;
/** how far past the clock an event may be dated before it counts as from the future */
const FUTURE_SKEW_MS = 5 * 60_000;
const DELIVERY_STATES = ['pending', 'delivered', 'dead'] as const;

export class Watcher {
  readonly metrics: Metrics;
  readonly state: WatchState;
  readonly dispatcher: Dispatcher;
  readonly watch: WatchConfig;
  readonly sources: Watched[] = [];
  private readonly rt: CollectorRuntime;
  private readonly config: Config;
  private readonly store: Store;
  private readonly sinks: Sink[];
  private readonly logger: Logger;
  private readonly rules: readonly Rule[];
  private readonly hooks: WatchHooks;
  private engine!: Engine;
  private ledger!: RoleLedger;
  private enrich!: Enrichment;
  private readonly memory = new EntityMemory();
  // a record comes again within a source's overlap and look-back, never past the Management API's 7-day content
  // window: older hours are forgotten, so a watch that runs for months keeps neither memory nor temp files for them
  /** the latest event time that counts as now (clock plus skew): later records move no watermark, age no dedup hour */
  private readonly latestAllowed = (): number => this.now + FUTURE_SKEW_MS;
  private readonly seen = new Deduper(2_000_000, DEDUP_HORIZON_MS, this.latestAllowed);
  private readonly ualSeen = new Deduper(2_000_000, DEDUP_HORIZON_MS, this.latestAllowed);
  private readonly startedAt: number;
  private readonly runId: string;
  private pending = new Map<string, Watched>();
  private pendingAlerts: Alert[] = [];
  private batchesSinceCommit = 0;
  private commits = 0;
  private lastCommit?: number;
  private lastMemorySave = 0;
  private halted: WatchHalted | undefined;
  private opened = false;
  private dropUalDirectory = false;
  private wake: (() => void) | undefined;
  private apiStatusesSeen: Record<string, number> = {};
  private readonly outboxSinks = new Set<string>();

  constructor(private readonly o: WatchOptions) {
    this.rt = o.rt;
    this.config = o.config;
    this.store = o.store;
    this.sinks = o.sinks;
    this.logger = o.rt.logger;
    this.rules = o.rules ?? registeredRules;
    this.hooks = o.hooks ?? {};
    this.watch = o.config.watch ?? defaultWatchConfig();
    this.metrics = o.metrics ?? new Metrics();
    this.state = new WatchState(o.store);
    this.startedAt = o.rt.clock.now();
    this.runId = `watch-${iso(this.startedAt).replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
    this.dispatcher = new Dispatcher({
      state: this.state,
      sinks: o.sinks,
      clock: o.rt.clock,
      logger: this.logger,
      redactor: o.rt.redactor,
      metrics: this.metrics,
      maxAttempts: this.watch.delivery.maxAttempts,
      backoffMs: this.watch.delivery.backoff,
      maxBackoffMs: this.watch.delivery.maxBackoff,
      ...(o.deadLetter ? { deadLetter: o.deadLetter } : {}),
      ...(o.random ? { random: o.random } : {}),
      onDelivered: (row) => this.hook(() => this.hooks.delivered?.(row)),
    });
    this.plan();
  }

  private get now(): number {
    return this.rt.clock.now();
  }

  /** The sources to poll, from the config's collect: section (the audit log query and snapshot are collect-only). */
  private plan(): void {
    const c = this.config.collect ?? defaultCollectConfig();
    const host = this.rt.endpoints.graph;
    const want = new Set(c.sources);
    const graphKinds = graphKindsPolled(c);
    const problem = lookbackProblem(this.watch, graphKinds.map((k) => ({ source: k, ms: latenessFor(this.config, k) })));
    if (problem) throw new UsageError(problem);
    const add = (source: Source, kind: SourceKind, lane: Watched['lane'], graph?: GraphWindowedSource) => {
      const lateness = latenessFor(this.config, kind);
      const lookback = graph ? this.watch.lookback : 0;
      this.sources.push({ id: source.id, source, kind, lane, lateness, lookback, chunk: lateness - lookback, since: 0, frontier: 0, nextDue: 0, failures: 0, caughtUp: false, ...(graph ? { graph } : {}) });
    };
    const graph = (s: GraphWindowedSource, kind: SourceKind) => add(s, kind, 'graph', s);
    if (want.has('signins')) for (const t of c.signInEventTypes) graph(signInSource({ graphHost: host, eventType: t, pageSize: c.pageSize, spanMs: c.window }), SIGNIN_KIND[t]);
    if (want.has('directoryAudits')) graph(directoryAuditSource({ graphHost: host, pageSize: c.pageSize, spanMs: c.window }), 'entra.audit');
    if (want.has('messageTrace')) graph(messageTraceSource({ graphHost: host, pageSize: c.pageSize, spanMs: c.window }), 'exchange.messagetrace');
    if (want.has('managementActivity')) {
      for (const ct of c.contentTypes) add(new ManagementActivitySource({ host: this.rt.endpoints.management, tenantId: this.rt.tenant.id, publisherId: this.rt.publisherId, contentType: ct }), 'ual', 'management');
    }
    if (!this.sources.length) throw new UsageError('watch: collect.sources names nothing watch can poll (signins, directoryAudits, managementActivity, messageTrace)');
    // sources feeding one engine source advance one watermark: each may run at most half a lateness ahead
    for (const s of this.sources) if (this.sources.filter((x) => x.kind === s.kind).length > 1) s.chunk = Math.floor(s.chunk / 2);
    for (const s of this.sources) s.chunk = Math.max(60_000, s.chunk);
    // the Entra directory audit log has every change the UAL copies into Audit.AzureActiveDirectory: keep the Entra one
    this.dropUalDirectory = want.has('directoryAudits') && this.sources.some((s) => s.id === 'o365.management.Audit.AzureActiveDirectory');
    for (const s of this.sources) {
      this.metrics.declare(...M.records, 'counter', { source: s.id });
      this.metrics.declare(...M.events, 'counter', { source: s.id });
      this.metrics.declare(...M.quarantined, 'counter', { source: s.id });
      this.metrics.declare(...M.lost, 'counter', { source: s.id });
      this.metrics.declare(...M.future, 'counter', { source: s.id });
    }
    for (const k of this.sinks) this.metrics.declare(...M.deliveries, 'counter', { sink: k.name, outcome: 'delivered' });
  }

  /** Restore (or start) the state: first-start time, checkpoints, engine, role ledger, entity memory. */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    const now = this.now;
    const cps = this.state.checkpoints();
    for (const s of this.sources) {
      // a source's start is fixed when it is first seen (the first start, or a source added to the config later)
      const key = `since:${s.id}`;
      const saved = this.state.getMeta(key);
      s.since = saved !== undefined ? Number(saved) : now - this.watch.backfill;
      if (saved === undefined) this.state.setMeta(key, String(s.since));
      const cp = cps.get(s.id);
      if (cp) {
        s.checkpoint = cp.checkpoint;
        s.frontier = frontierOf(cp.checkpoint) ?? cp.frontier;
      } else s.frontier = s.since;
    }
    const geo = loadGeoEnrichment({ networkTables: this.o.networks, required: false, packages: this.o.geoPackages });
    for (const m of geo.missing) this.logger.info(m);
    const ledgerText = this.state.getMeta('ledger');
    this.ledger = ledgerText ? RoleLedger.restore(JSON.parse(ledgerText) as RoleLedgerState) : new RoleLedger();
    this.enrich = withLearnedRoles(
      createEnrichment(this.config, { geo: geo.geo, asn: geo.asn, asnName: geo.asnName, asnKinds: geo.asnKinds }),
      this.ledger,
      (id) => this.memory.aliases.appNameFor(id),
    );
    const kinds = [...new Set(this.sources.map((s) => s.kind))];
    // a record dated in the future (clock skew, a bad record) must not push a watermark past now
    const opts = { sources: kinds, enrich: this.enrich, latestEventTime: this.latestAllowed };
    const snap = this.state.getMeta('engine');
    if (snap) {
      this.engine = Engine.restore(this.rules, this.config, JSON.parse(snap) as EngineSnapshot, opts);
      for (const n of this.engine.restoreNotes) this.logger.warn(`detection state: ${n}`);
    } else this.engine = new Engine(this.rules, this.config, opts);
    this.store.loadMemory(this.memory);
    this.lastMemorySave = now;
    this.metrics.set(...M.up, {}, 1);
    const resumed = cps.size ? `resuming ${cps.size} source(s) from their checkpoints` : `first start: reading from ${iso(Math.min(...this.sources.map((s) => s.since)))}`;
    this.logger.info(`watch: ${this.sources.length} source(s), ${this.sinks.length} sink(s); ${resumed}`);
  }

  /**
   * One poll: every due source (every source with `force`) is read chunk by chunk up to its target — `until`
   * (default now) for the Management API, `until − delay` for Graph. Returns when each reached it or failed.
   */
  async pollOnce(o: { until?: number; force?: boolean; signal?: AbortSignal } = {}): Promise<void> {
    this.open();
    this.check();
    const until = o.until ?? this.now;
    const due = this.sources.filter((s) => o.force || o.until !== undefined || s.nextDue <= this.now);
    // both lanes end before this returns, even when one fails (a halt stops the other at its next batch)
    const ends = await Promise.allSettled((['graph', 'management'] as const).map((lane) => this.runLane(due.filter((s) => s.lane === lane), until, o.signal)));
    for (const e of ends) if (e.status === 'rejected') throw e.reason;
    this.check();
    this.commit();
    this.refreshGauges();
  }

  private async runLane(list: Watched[], until: number, signal?: AbortSignal): Promise<void> {
    const failed = new Set<Watched>();
    const target = (s: Watched) => (s.graph ? until - this.watch.delay : until);
    for (const s of list) s.caughtUp = false;
    // round robin, one chunk per source per round, so sources of one kind stay within a chunk of each other
    for (;;) {
      let progressed = false;
      for (const s of list) {
        if (failed.has(s) || s.caughtUp || signal?.aborted) continue;
        if (this.inProgress(s) === false && s.frontier >= target(s)) {
          this.reached(s);
          continue;
        }
        const ok = await this.pullChunk(s, target(s), signal);
        progressed = true;
        if (!ok) failed.add(s);
        else if (!this.inProgress(s) && s.frontier >= target(s)) this.reached(s);
      }
      // one commit per round (and within chunks when alerts come or batches pile up)
      this.commit();
      if (!progressed || signal?.aborted) break;
    }
  }

  private reached(s: Watched): void {
    s.caughtUp = true;
    s.failures = 0;
    delete s.lastError;
    s.lastSuccess = this.now;
    s.nextDue = this.now + this.watch.interval;
    this.metrics.set(...M.lastSuccess, { source: s.id }, Math.floor(this.now / 1000));
  }

  /** A Graph sweep or a Management API window interrupted mid-way (crash): it finishes first, whatever `until` says. */
  private inProgress(s: Watched): boolean {
    const cp = s.checkpoint as Record<string, unknown> | undefined;
    if (!cp) return false;
    return s.graph ? cp.sweep !== null && cp.sweep !== undefined : cp.win !== null && cp.win !== undefined;
  }

  /** Read one chunk of a source. False when the source failed (reported, retried later). */
  private async pullChunk(s: Watched, target: number, signal?: AbortSignal): Promise<boolean> {
    const until = Math.min(target, s.frontier + s.chunk);
    const before = s.frontier;
    let checkpoint = s.checkpoint;
    if (s.graph && isGraphCheckpoint(checkpoint) && !checkpoint.sweep && s.lookback > 0) {
      // read the last `lookback` again: records that appeared in Graph after the previous chunk read past them —
      // but not below the API's retention, which the source would report as lost although it was read
      const retention = s.graph.spec.retentionMs;
      const floor = retention !== undefined ? this.now - retention : -Infinity;
      checkpoint = { ...checkpoint, done: Math.max(checkpoint.done - s.lookback, Math.min(checkpoint.done, floor)) };
    }
    const ctx: SourceContext = { api: this.rt.api, clock: this.rt.clock, logger: this.logger, ualSeen: this.ualSeen, ...(signal ? { signal } : {}) };
    let ok = true;
    try {
      for await (const b of s.source.pull(ctx, { since: s.since, until, ...(checkpoint ? { checkpoint } : {}) })) {
        this.hook(() => this.hooks.fetched?.(s.id, b));
        this.processBatch(s, b);
        if (this.pendingAlerts.length || ++this.batchesSinceCommit >= COMMIT_EVERY_BATCHES) this.commit();
      }
    } catch (e) {
      if (e instanceof WatchHalted) throw e;
      ok = false;
      if (!signal?.aborted) this.failed(s, e);
    }
    for (const n of s.source.notices) (n.level === 'warning' ? this.logger.warn : this.logger.debug)(`${n.source}: ${this.rt.redactor.redact(n.message)}`);
    if (ok && !signal?.aborted && !this.inProgress(s) && s.frontier <= before) {
      // a pull that ends without moving its checkpoint would be asked again forever: report it instead
      ok = false;
      this.failed(s, new Error(`the pull to ${iso(until)} ended at ${iso(s.frontier)} without progress`), 'no_progress');
    }
    this.advanceWatermarks(s.kind);
    return ok;
  }

  private failed(s: Watched, e: unknown, label?: string): void {
    s.failures++;
    const msg = this.rt.redactor.redact((e as Error)?.message ?? String(e));
    s.lastError = msg;
    const wait = Math.min(HOUR, this.watch.interval * 2 ** (s.failures - 1));
    s.nextDue = this.now + wait;
    const api = e instanceof ApiError ? e : e instanceof SourceError && e.cause instanceof ApiError ? e.cause : undefined;
    // the Microsoft error code or HTTP status; a source that gave up names the last status in its message
    const code = label ?? (api ? (api.code ?? (api.status !== undefined ? String(api.status) : 'error')) : (/\bHTTP (\d{3})\b/.exec(msg)?.[1] ?? (e instanceof SourceError ? 'source' : 'internal')));
    this.metrics.inc(...M.sourceErrors, { source: s.id, code });
    this.logger.warn(`${s.id}: ${msg} — next try in ${Math.round(wait / 60_000)} min`);
  }

  private processBatch(s: Watched, b: Batch): void {
    let records = b.records;
    if (s.graph && records.length) {
      const spec = s.graph.spec;
      // records read again by the look-back (or a repeated page) are dropped before decoding
      records = records.filter((r) => {
        const k = spec.key(r);
        return k === undefined || !this.seen.isDuplicate(`${s.id}|${k}`, parseTime(r[spec.timeField]) ?? 0);
      });
    }
    if (records.length) {
      const d = decodeRecords(records, `watch:${s.id}/${b.name}`);
      this.metrics.inc(...M.records, { source: s.id }, records.length);
      if (d.quarantined.length) {
        this.metrics.inc(...M.quarantined, { source: s.id }, d.quarantined.length);
        this.logger.debug(`${s.id}: ${d.quarantined.length} record(s) quarantined, e.g. ${d.quarantined[0]}`);
      }
      let filtered = d.filtered;
      let pushed = 0;
      for (const ev of d.events) {
        if (this.dropUalDirectory && isUalDirectoryRecord(ev)) {
          filtered++;
          continue;
        }
        if (ev.time > this.latestAllowed()) this.metrics.inc(...M.future, { source: s.id });
        this.push(ev);
        pushed++;
      }
      if (filtered) this.metrics.inc(...M.filtered, { source: s.id }, filtered);
      this.metrics.inc(...M.events, { source: s.id }, pushed);
    }
    if (b.lost) {
      // the source skipped past the API's retention (its notice names the span); a Graph look-back below the
      // frontier was read before, so only what lies above the frontier counts as lost
      const lostMs = b.lost.to - Math.max(b.lost.from, s.frontier);
      if (lostMs > 0) this.metrics.inc(...M.lost, { source: s.id }, Math.round(lostMs / 1000));
    }
    s.checkpoint = b.checkpoint;
    s.frontier = frontierOf(b.checkpoint) ?? s.frontier;
    this.pending.set(s.id, s);
    this.takeAlerts();
  }

  private push(ev: Event): void {
    // Graph directory audits, risk detections and message trace name no tenant: they are this tenant's
    if (!ev.tenant || ev.tenant === 'unknown') ev.tenant = this.rt.tenant.id;
    this.ledger.observe(ev);
    this.memory.observe(ev);
    this.memory.nameEntities(ev);
    this.engine.push(ev);
  }

  /**
   * Quiet sources must not hold the engine back: a kind's watermark follows its slowest source's checkpoint. A
   * source that keeps failing (STALLED_AFTER polls in a row) stops holding it — rules reading other sources would
   * otherwise wait for it forever; its records, once it recovers, are processed as late events.
   */
  private advanceWatermarks(kind: SourceKind): void {
    const of = this.sources.filter((s) => s.kind === kind);
    const live = of.filter((s) => s.failures < STALLED_AFTER);
    const lowest = live.length ? Math.min(...live.map((s) => s.frontier)) : this.now - this.watch.delay;
    this.engine.advanceWatermark(kind, lowest - of[0]!.lateness);
    this.takeAlerts();
  }

  private takeAlerts(): void {
    for (const a of this.engine.drain()) {
      this.pendingAlerts.push(a);
      if (a.revision === 1) this.metrics.inc(...M.alerts, { rule: a.rule, severity: a.severity });
      else this.metrics.inc(...M.revisions, { rule: a.rule });
    }
  }

  /** The one transaction: checkpoints pushed so far + engine + ledger + alerts + incidents + outbox. */
  private commit(): void {
    this.check();
    if (!this.pending.size && !this.pendingAlerts.length) return;
    const alerts = this.pendingAlerts;
    const now = this.now;
    const previous = new Map<string, Severity>();
    const deliveries: { alertId: string; revision: number; sink: string; key: string }[] = [];
    for (const a of alerts) {
      const prev = previous.get(a.id) ?? (a.revision > 1 ? this.store.alertsByIds([a.id], false)[0]?.severity : undefined);
      for (const k of this.sinks) if (k.wants(a, prev)) deliveries.push({ alertId: a.id, revision: a.revision, sink: k.name, key: idempotencyKey(a.id, a.revision) });
      previous.set(a.id, a.severity);
    }
    const saveMemory = now - this.lastMemorySave >= MEMORY_SAVE_MS;
    this.state.commit({
      now,
      checkpoints: [...this.pending.values()].map((s) => ({ source: s.id, checkpoint: s.checkpoint!, frontier: s.frontier })),
      engine: JSON.stringify(this.engine.snapshot()),
      ledger: JSON.stringify(this.ledger.save()),
      alerts,
      deliveries,
      runId: this.runId,
      also: () => {
        if (alerts.length) correlateIntoStore(alerts, { store: this.store, memory: this.memory, enrich: this.enrich, runId: this.runId, now });
        if (saveMemory) this.saveMemory(alerts);
      },
    });
    if (saveMemory) this.lastMemorySave = now;
    this.pending = new Map();
    this.pendingAlerts = [];
    this.batchesSinceCommit = 0;
    this.lastCommit = now;
    this.commits++;
    this.metrics.inc(...M.commits);
    if (deliveries.length) this.wake?.();
    this.hook(() => this.hooks.committed?.(this.commits));
  }

  private saveMemory(alerts: readonly Alert[]): void {
    const users = alerts.flatMap((a) => a.entities.filter((e) => e.type === 'user').flatMap((e) => [e.id, ...(e.aliases ?? [])]));
    this.store.saveMemory(this.memory, users);
  }

  /** Run a test seam; if it throws, stop everything as a crash would. */
  private hook(fn: () => void): void {
    if (this.halted) throw this.halted;
    try {
      fn();
    } catch (e) {
      this.halted = e instanceof WatchHalted ? e : new WatchHalted(e);
      throw this.halted;
    }
  }

  private check(): void {
    if (this.halted) throw this.halted;
  }

  /**
   * Poll and deliver until `signal` aborts: each source when it is due, deliveries as they come (woken by commits).
   * On abort: the current requests end, what was read is committed, sinks are closed.
   */
  async run(signal: AbortSignal): Promise<void> {
    this.open();
    const clock = this.rt.clock;
    // one of the two loops failing (the store, a bug) stops the other: the caller sees the error and exits
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) stop.abort();
    let failure: unknown;
    const fail = (e: unknown) => {
      failure ??= e;
      stop.abort();
    };
    const nap = async (until: number, wakeable: boolean) => {
      const ac = new AbortController();
      const end = () => ac.abort();
      stop.signal.addEventListener('abort', end, { once: true });
      if (wakeable) this.wake = end;
      try {
        await clock.sleep(Math.max(0, until - this.now), ac.signal);
      } catch {
        /* woken or stopped */
      } finally {
        stop.signal.removeEventListener('abort', end);
        if (wakeable) this.wake = undefined;
      }
    };
    const deliveries = (async () => {
      while (!stop.signal.aborted) {
        await this.dispatcher.deliverDue(stop.signal);
        this.refreshGauges();
        const next = this.dispatcher.nextDue();
        await nap(Math.min(next ?? Infinity, this.now + 60_000), true);
      }
    })().catch(fail);
    const polling = (async () => {
      while (!stop.signal.aborted) {
        await this.pollOnce({ signal: stop.signal });
        this.state.prune(this.now - 7 * 24 * HOUR);
        await nap(Math.min(...this.sources.map((s) => s.nextDue)), false);
      }
    })().catch(fail);
    await Promise.all([deliveries, polling]);
    signal.removeEventListener('abort', onAbort);
    if (failure !== undefined) throw failure;
  }

  /** Commit what was read, save the entity memory, close the sinks. The store stays open (the caller owns it). */
  async close(): Promise<void> {
    if (!this.halted && this.opened) {
      this.commit();
      this.saveMemory([]);
    }
    this.metrics.set(...M.up, {}, 0);
    this.seen.close();
    this.ualSeen.close();
    await Promise.all(this.sinks.map((s) => s.close().catch(() => undefined)));
  }

  private refreshGauges(): void {
    const now = this.now;
    for (const s of this.sources) this.metrics.set(...M.lag, { source: s.id }, Math.max(0, Math.round((now - s.frontier) / 1000)));
    const st = this.rt.api.stats;
    for (const [status, n] of Object.entries(st.statuses)) {
      const delta = n - (this.apiStatusesSeen[status] ?? 0);
      if (delta > 0) {
        this.metrics.inc(...M.apiResponses, { status }, delta);
        const code = Number(status);
        if (code === 0 || code >= 400) this.metrics.inc(...M.apiErrors, { code: code === 0 ? 'network' : status }, delta);
      }
    }
    this.apiStatusesSeen = { ...st.statuses };
    this.metrics.mirror(...M.throttled, {}, st.throttled);
    if (this.opened) {
      this.metrics.set(...M.buffered, {}, this.engine.stats.buffered);
      this.metrics.mirror(...M.late, {}, this.engine.stats.late);
      this.metrics.mirror(...M.duplicates, {}, this.engine.stats.duplicates);
    }
    // every (sink, state) ever shown is set each time: a state that emptied must read 0, not its last count
    const counts = this.state.counts();
    for (const k of this.sinks) this.outboxSinks.add(k.name);
    for (const r of counts) this.outboxSinks.add(r.sink);
    for (const sink of this.outboxSinks) for (const state of DELIVERY_STATES) this.metrics.set(...M.outbox, { sink, state }, 0);
    for (const r of counts) this.metrics.set(...M.outbox, { sink: r.sink, state: r.state }, r.n);
  }

  /** Prometheus text (for /metrics). */
  renderMetrics(): string {
    this.refreshGauges();
    return this.metrics.render();
  }

  health(): WatchHealth {
    const now = this.now;
    const reasons: string[] = [];
    const sources: SourceHealth[] = this.sources.map((s) => {
      const h: SourceHealth = { id: s.id, kind: s.kind, frontier: iso(s.frontier), lagSeconds: Math.max(0, Math.round((now - s.frontier) / 1000)), failures: s.failures };
      if (s.lastSuccess !== undefined) h.lastSuccess = iso(s.lastSuccess);
      if (s.lastError) h.lastError = s.lastError;
      return h;
    });
    const stale = this.watch.delay + 3 * this.watch.interval + this.watch.lookback;
    for (const s of this.sources) {
      if (s.failures) reasons.push(`${s.id}: ${s.failures} failed poll(s)`);
      else if (this.opened && now - s.frontier > stale + s.chunk) reasons.push(`${s.id}: ${Math.round((now - s.frontier) / 60_000)} min behind`);
    }
    const bySink = new Map<string, { sink: string; pending: number; delivered: number; dead: number }>();
    for (const k of this.sinks) bySink.set(k.name, { sink: k.name, pending: 0, delivered: 0, dead: 0 });
    for (const r of this.state.counts()) {
      const e = bySink.get(r.sink) ?? { sink: r.sink, pending: 0, delivered: 0, dead: 0 };
      e[r.state] = r.n;
      bySink.set(r.sink, e);
    }
    for (const hd of this.state.heads()) {
      if (hd.attempts > 0) reasons.push(`sink ${hd.sink}: delivery failing (${hd.attempts} attempt(s), last: ${hd.lastError ?? 'unknown'})`);
      else if (now - hd.nextAt > OVERDUE_MS) reasons.push(`sink ${hd.sink}: deliveries waiting ${Math.round((now - hd.nextAt) / 60_000)} min`);
    }
    // dead deliveries stay a reason until the operator handles them: re-send from the dead-letter file, move it away
    const dead = [...bySink.values()].reduce((n, d) => n + d.dead, 0);
    const dl = this.o.deadLetter;
    if (dl ? nonEmpty(dl) : dead > 0) reasons.push(`${dead} delivery(ies) failed for good${dl ? `: re-send the alerts in ${dl}, then move the file away` : ''}`);
    const allFailing = this.sources.length > 0 && this.sources.every((s) => s.failures > 0);
    if (this.halted) reasons.unshift(this.halted.message);
    const status: WatchHealth['status'] = this.halted || allFailing ? 'failing' : reasons.length ? 'degraded' : 'ok';
    return {
      status,
      started: iso(this.startedAt),
      ...(this.lastCommit !== undefined ? { lastCommit: iso(this.lastCommit) } : {}),
      sources,
      deliveries: [...bySink.values()],
      reasons,
    };
  }
}

function nonEmpty(file: string): boolean {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}

/** The checkpoint's lower edge: everything before it has been read. */
function frontierOf(cp: Checkpoint | undefined): number | undefined {
  if (!cp) return undefined;
  if (isGraphCheckpoint(cp)) return cp.done;
  const m = cp as { listed?: unknown; win?: { start?: unknown } | null };
  if (m.win && typeof m.win.start === 'number') return m.win.start;
  if (typeof m.listed === 'number') return m.listed;
  return undefined;
}
