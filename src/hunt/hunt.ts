// `tenantwatch hunt`: decode -> order by event time (external sort) -> detect -> correlate -> report, with the
// store's memory of earlier hunts folded in before and what this hunt learned saved after.
//
// Memory: events are never all held. The sorter spills runs to temp files past its budget; the engine keeps
// bounded per-rule state (released when detection ends); the entity memory has caps; finished alerts wait in a
// temporary file until detection ends (alert-spool.ts), then correlation and the report have the heap.
import type { Event, Fact } from '../core/event.js';
import { stableId } from '../core/ids.js';
import { defaultConfig, type Config } from '../config/config.js';
import type { Alert, Severity } from '../detect/alert.js';
import { ALERT_SCHEMA_VERSION, SEVERITIES, severityRank } from '../detect/alert.js';
import { ATTACK_VERSION } from '../detect/attack.js';
import { ruleCoverage } from '../detect/coverage.js';
import { Engine } from '../detect/engine.js';
import { TextStore } from '../detect/texts.js';
import { createEnrichment } from '../enrich/allowlists.js';
import { loadGeoEnrichment } from '../enrich/loader.js';
import { isPrivilegedRole, RoleLedger, withLearnedRoles } from '../enrich/roles.js';
import type { Enrichment } from '../enrich/types.js';
import { expandInputs } from '../io/inputs.js';
import { readInputsParallel } from '../pipeline/parallel.js';
import type { ReadSink, ReadSummary } from '../pipeline/read.js';
import { buildPostureFacts, exchangeFromSnapshot, loadSnapshot, privilegedFromSnapshot, type ExchangeFacts, type PostureFactsIndex, type Snapshot } from '../posture/index.js';
import { parseAuditConfig } from '../posture/exemptions.js';
import type { Rule } from '../rules/types.js';
import { rules as registeredRules } from '../rules/index.js';
import { correlate, MAX_HORIZON_MS } from '../correlate/correlate.js';
import { buildIncident } from '../correlate/incident.js';
import { EntityMemory } from '../correlate/memory.js';
import { MICROSOFT_CLIENT_APPS } from '../correlate/microsoft-apps.js';
import type { ContextNote, HuntReport, Incident, InputSummary, MergedIncident, PostureSummary } from '../report/types.js';
import { REPORT_SCHEMA_VERSION } from '../report/types.js';
import type { Store } from '../store/store.js';
import { alertSetKey } from '../store/store.js';
import { VERSION } from '../cli/version.js';
import { AlertSpool } from './alert-spool.js';
import { ExternalSorter } from './sort.js';
import { streamInOrder } from './stream.js';
import { TenantTally } from './tenant.js';
import { withoutUalTwins, type TwinStats } from './twins.js';

export interface HuntOptions {
  paths: string[];
  since?: number;
  until?: number;
  config?: Config;
  configPath?: string;
  snapshotDir?: string;
  failOn?: Severity | 'none';
  /** the store to read memory from and write results to; none = a hunt without memory */
  store?: Store;
  dbPath?: string;
  stdin?: NodeJS.ReadableStream;
  tz?: string;
  dayFirst?: boolean;
  rules?: readonly Rule[];
  /** estimated bytes of events the sorter holds before spilling */
  sortBudget?: number;
  tmpDir?: string;
  /**
   * Where the record texts of the alerts' evidence wait until the report is written (the caller closes it after
   * rendering). Without it they stay in memory; `tenantwatch hunt` spills them, so a hunt that raises thousands of
   * alerts keeps a flat memory profile: the report reads each text back as it is written.
   */
  reportTexts?: TextStore;
  /** detection state keys per rule (least recently touched evicted past it, counted in the report): default HUNT_MAX_KEYS */
  maxKeysPerRule?: number;
  now?: () => number;
  onBytes?: (n: number) => void;
  onEvent?: () => void;
  /** stage messages ("sorting…", "detecting…") for progress on stderr */
  onStage?: (msg: string) => void;
  /** events through detection so far, every few thousand (progress) */
  onDetect?: (processed: number, total: number) => void;
  /** notes worth telling the user now (a geo database not installed), also kept in the report's coverage notes */
  onNote?: (msg: string) => void;
  /** network tables (CSV: docs/enrichment.md#network-tables) looked up before the shipped geo / ASN databases */
  networks?: string[];
  /** use the shipped geo / ASN npm databases when installed (default true) */
  geoPackages?: boolean;
  /** the tenant (GUID, lower-case) that events without a tenant id belong to (--tenant) */
  tenant?: string;
  /** how far apart a UAL copy of an Entra directory audit event may be from it (default 5 s) */
  twinWindowMs?: number;
  /** decoding threads (src/pipeline/parallel.ts); default 1: this thread */
  threads?: number;
  /** false: always use the external sort, never the one-pass streaming order (default: stream one input file) */
  stream?: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function rulesetVersion(rules: readonly Rule[]): string {
  const parts = [...rules]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((r) => `${r.id}|${r.severity}|${r.suppressMs}|${JSON.stringify(r.tunables)}|${r.detect.toString()}`);
  return `${rules.length}-${stableId(...parts).slice(0, 10)}`;
}

export async function hunt(opts: HuntOptions): Promise<HuntReport> {
  // Input already in event-time order (one export) is ordered as it streams in, detected while it is read; an
  // event out of order (or one whose handling needs the whole input first) sends the hunt back to the start,
  // with the external sort. Both give the same report. Standard input cannot be read twice: always sorted.
  if (opts.stream !== false && !opts.paths.includes('-')) {
    const { files } = await expandInputs(opts.paths);
    if (files.length === 1) {
      const streamed = await huntOnce(opts, true);
      if (streamed) return streamed;
      opts = { ...opts, onNote: undefined }; // (already told)
    }
  }
  return (await huntOnce(opts, false))!;
}

/**
 * Keys of detection state per rule in a hunt: the accounts, sessions, addresses or apps active within the rule's
 * window, lifetime or history. Past it the keys idle the longest are forgotten (stats.engine.evicted, and a note
 * naming the rules). 10,000 keeps a 45,000-user tenant's hunt within the 256 MB heap (docs/benchmarks.md, the
 * 5 GB run); a tenant that large loses first-seen history of its least active accounts.
 */
export const HUNT_MAX_KEYS = 10_000;

async function huntOnce(opts: HuntOptions, streaming: boolean): Promise<HuntReport | undefined> {
  // evidence texts held by detection state: the newest 8 MB in memory, older ones in a temporary file, so memory
  // stays flat whatever the input size and no alert loses its evidence
  const texts = new TextStore({ budget: 8 * 1024 * 1024, spill: opts.tmpDir ?? '' });
  const alerts = new AlertSpool({ tmpDir: opts.tmpDir, texts: opts.reportTexts });
  try {
    return await huntWith(opts, streaming, texts, alerts);
  } finally {
    texts.close();
    alerts.close();
  }
}

async function huntWith(opts: HuntOptions, streaming: boolean, texts: TextStore, alerts: AlertSpool): Promise<HuntReport | undefined> {
  const now = opts.now ?? (() => Date.now());
  const started = now();
  const config = opts.config ?? defaultConfig();
  const rules = opts.rules ?? registeredRules;
  const store = opts.store;
  const stage = opts.onStage ?? (() => undefined);
  const notes: string[] = [];
  const note = (msg: string) => {
    notes.push(msg);
    opts.onNote?.(msg);
  };

  // offline geo / ASN (shipped npm databases, network tables); nothing is fetched
  const geo = loadGeoEnrichment({ networkTables: opts.networks, required: false, packages: opts.geoPackages });
  for (const m of geo.missing) note(m);

  // memory from earlier hunts, then the tenant configuration
  const memory = new EntityMemory();
  if (store) store.loadMemory(memory);
  let posture: PostureFactsIndex | undefined;
  let postureSummary: PostureSummary | undefined;
  const privileged: string[] = [];
  const roleHolders: { ids: string[]; roles: string[] }[] = [];
  let exchange: ExchangeFacts = {};
  const snapDomains: string[] = [];
  if (opts.snapshotDir) {
    const snap = await loadSnapshot(opts.snapshotDir);
    learnFromSnapshot(snap, memory);
    for (const d of snap.graph('v1.0', 'domains').items) if (typeof d.id === 'string') snapDomains.push(d.id.toLowerCase());
    const audit = parseAuditConfig(config.audit).config;
    posture = buildPostureFacts(snap, audit, started);
    for (const p of privilegedFromSnapshot(snap)) {
      // readers hold a role but are not privileged (src/enrich/roles.ts isPrivilegedRole)
      const roles = [...new Set(p.roles.filter((r) => isPrivilegedRole(r.roleName, r.roleId)).map((r) => r.roleName))];
      if (!roles.length) continue;
      roleHolders.push({ ids: [p.id, p.upn, p.appId].filter((x): x is string => !!x), roles });
      if (p.kind !== 'user') continue;
      privileged.push(p.id);
      if (p.upn) privileged.push(p.upn);
    }
    exchange = exchangeFromSnapshot(snap);
    postureSummary = { snapshot: opts.snapshotDir, privileged: new Set(privileged.filter((x) => !x.includes('@'))).size, notes: [] };
  }
  for (const u of memory.users.values()) if (u.roles.length) privileged.push(u.id);
  // role holders named by role assignments in the input join as the sorted stream reaches them
  const ledger = new RoleLedger();
  const enrich: Enrichment = withLearnedRoles(
    createEnrichment(config, {
      privileged,
      roleHolders,
      geo: geo.geo,
      asn: geo.asn,
      asnName: geo.asnName,
      asnKinds: geo.asnKinds,
      inboundConnectors: exchange.inboundConnectors,
      acceptedDomains: exchange.acceptedDomains,
    }),
    ledger,
    (id) => memory.aliases.appNameFor(id),
  );

  // read, order by event time and detect: events without a tenant id join the input's tenant, UAL copies of
  // Entra directory audit events are dropped, the role ledger learns before the engine sees the event
  // the stream below is in (time, id) order (external sort or in-order streaming): no buffering needed
  // (released once detection ends: the correlation and the report do not need its state)
  let engine: Engine | undefined = new Engine(rules, config, { enrich, ordered: true, texts, maxKeysPerRule: opts.maxKeysPerRule ?? HUNT_MAX_KEYS });
  // finished alerts wait in a temporary file until detection ends (src/hunt/alert-spool.ts)
  const take = () => {
    for (const a of engine!.drain()) alerts.put(a);
  };
  let n = 0;
  let tMin = Infinity, tMax = -Infinity;
  const order = { events: 0, runs: 0, spilledBytes: 0, copies: 0 };
  const detectOne = (ev: Event): void => {
    ledger.observe(ev);
    memory.observe(ev);
    memory.nameEntities(ev);
    engine!.push(ev);
    if (ev.time < tMin) tMin = ev.time;
    if (ev.time > tMax) tMax = ev.time;
    if (++n % 4096 === 0) {
      take();
      opts.onDetect?.(n, Math.max(n, order.events));
    }
  };
  const tenants = new TenantTally();
  const twins: TwinStats = { dropped: 0, undecided: 0 };
  const read = (sink: ReadSink, stop?: () => boolean): Promise<ReadSummary> =>
    readInputsParallel(opts.paths, sink, {
      since: opts.since, until: opts.until, tz: opts.tz, dayFirst: opts.dayFirst, stdin: opts.stdin, onBytes: opts.onBytes, threads: opts.threads ?? 1, stop,
      // evidence texts are read back from the files: events carry the place of their text, not the text
      leaveTexts: true,
    });
  let summary: ReadSummary;
  if (streaming) {
    const s = await streamInOrder(read, { tenants, tenant: opts.tenant, detect: detectOne, onEvent: opts.onEvent });
    if (!s) return undefined; // not in order: hunt() starts over with the external sort
    summary = s.summary;
    Object.assign(order, s.order);
    const join = tenants.decide(opts.tenant);
    if (join.note) notes.push(join.note);
    stage(`read ${order.events} events in time order, detected as they came`);
  } else {
    const sorter = new ExternalSorter({ memoryBudget: opts.sortBudget, tmpDir: opts.tmpDir });
    try {
      summary = await read({
        event: (e: Event) => {
          tenants.observe(e.tenant);
          sorter.add(e);
          opts.onEvent?.();
        },
        // copies go through the sort too, so which copy is kept never depends on the order files were read in
        duplicate: (e: Event) => sorter.add(e),
      });
    } catch (e) {
      sorter.cleanup();
      throw e;
    }
    order.events = sorter.stats.events;
    stage(`sorted ${sorter.stats.events} events${sorter.stats.runs > 1 ? ` in ${sorter.stats.runs} runs` : ''}; detecting`);
    const join = tenants.decide(opts.tenant);
    if (join.note) notes.push(join.note);
    function* joined(): Generator<Event, void, undefined> {
      for (const ev of sorter.sorted()) yield tenants.apply(ev, join);
    }
    for (const ev of withoutUalTwins(joined(), twins, { windowMs: opts.twinWindowMs })) detectOne(ev);
    Object.assign(order, { runs: sorter.stats.runs, spilledBytes: sorter.stats.spilledBytes, copies: sorter.stats.copies });
  }
  engine.end();
  take();
  const engineStats = engine.stats;
  const learningOnly = engine.learningOnly();
  engine = undefined;
  // state at its cap: say which rules forgot their least active keys (a tenant larger than the hunt's state bound)
  const evictedBy = Object.entries(engineStats.rules).filter(([, r]) => r.evicted > 0);
  const evicted = evictedBy.reduce((n, [, r]) => n + r.evicted, 0);
  if (evicted) {
    notes.push(
      `detection state reached its cap of ${(opts.maxKeysPerRule ?? HUNT_MAX_KEYS).toLocaleString('en-US')} keys per rule: ${evicted.toLocaleString('en-US')} ` +
        `idle keys were forgotten (${evictedBy.map(([id, r]) => `${id} ${r.evicted.toLocaleString('en-US')}`).join(', ')}), so those rules may miss ` +
        'activity of the accounts, sessions or addresses idle the longest (the tenant has more of them active at once than the cap; ' +
        'first-seen rules lose the history of their least active accounts).',
    );
  }
  if (twins.dropped) {
    notes.push(
      `${twins.dropped} unified-audit-log cop${twins.dropped === 1 ? 'y' : 'ies'} of Entra directory audit events (same change, same actor and target, ` +
        'seconds apart, another id) were dropped; the Entra record was kept.',
    );
  }
  if (twins.undecided) {
    notes.push(`${twins.undecided} UAL directory record${twins.undecided === 1 ? '' : 's'} went to detection unchecked for an Entra copy (too many events within seconds): some changes may alert twice.`);
  }

  // correlate this hunt's alerts with stored alerts close enough in time to link
  stage(`${alerts.size} alerts; correlating`);
  const runIds = new Set(alerts.ids());
  const runAlerts = alerts.takeAll();
  let stored: Alert[] = [];
  if (store && runAlerts.length) {
    const lo = Math.min(...runAlerts.map((a) => Date.parse(a.firstSeen))) - MAX_HORIZON_MS;
    const hi = Math.max(...runAlerts.map((a) => Date.parse(a.lastSeen))) + MAX_HORIZON_MS;
    stored = store.alertsNear(iso(lo), iso(hi)).filter((a) => !runIds.has(a.id));
    // whole stored incidents: members older than the window still belong to the incident they are in
    const have = new Set([...runIds, ...stored.map((a) => a.id)]);
    const more = new Set<string>();
    for (const s of store.incidentsWithAlerts(stored.map((a) => a.id))) {
      if (s.mergedInto) continue;
      for (const id of s.incident.alerts) if (!have.has(id)) more.add(id);
    }
    stored.push(...store.alertsByIds([...more].slice(0, 5000), false));
  }
  const ipVeto = (ip: string): string | undefined => {
    if (enrich.isTrustedIp(ip)) return 'a trusted network in the config';
    const asn = memory.asnOf(ip) ?? enrich.asn?.(ip);
    if (asn !== undefined && enrich.isVpnAsn(asn)) return `a VPN/SASE network (AS${asn}) in the config`;
    if (asn !== undefined && enrich.asnKind?.(asn) === 'vpn') return `a VPN/SASE egress network (AS${asn}${enrich.asnName?.(asn) ? ` ${enrich.asnName(asn)}` : ''})`;
    if (memory.isSharedIp(ip)) return `shared: ${memory.usersOfIp(ip)}+ accounts signed in from it (egress NAT, proxy or SASE)`;
    return undefined;
  };
  const appVeto = (appId: string): string | undefined => {
    const ms = MICROSOFT_CLIENT_APPS.get(appId.toLowerCase());
    if (ms) return `a Microsoft client app (${ms})`;
    if (posture?.forEntity({ appId }).some((f) => f.kind === 'microsoft-app')) return 'a Microsoft first-party app (tenant snapshot)';
    if (memory.isSharedApp(appId)) return 'a client app many accounts sign in with';
    return undefined;
  };
  const tenantDomains = new Set<string>();
  if (opts.snapshotDir) for (const d of snapDomains) tenantDomains.add(d);
  const domainVeto = (domain: string): string | undefined =>
    tenantDomains.has(domain.toLowerCase()) || memory.isTenantDomain(domain) ? "one of the tenant's own domains" : undefined;
  const corr = correlate([...runAlerts, ...stored], { aliases: memory.aliases, ipVeto, appVeto, domainVeto });
  const clusters = corr.clusters.filter((c) => c.alerts.some((a) => runIds.has(a.id)));
  const mergedAt = iso(now());
  const merged: MergedIncident[] = [];
  const incidents: Incident[] = clusters.map((c) => {
    const inc = buildIncident(c, { memory, enrich, posture, ipVeto, appVeto });
    if (store) reconcile(inc, store, merged, mergedAt);
    return inc;
  });
  incidents.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.firstSeen < b.firstSeen ? -1 : a.firstSeen > b.firstSeen ? 1 : a.id < b.id ? -1 : 1));

  // the report
  const memberIds = new Set(incidents.flatMap((i) => i.alerts));
  const storedMembers = store ? store.alertsByIds(stored.filter((a) => memberIds.has(a.id)).map((a) => a.id)) : [];
  const reportAlerts = [...runAlerts, ...storedMembers].sort(
    (a, b) => Date.parse(a.time) - Date.parse(b.time) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const facts = new Set<Fact>(summary.files.flatMap((f) => f.facts));
  const coverage = ruleCoverage(rules, facts, config, { privilegedKnown: enrich.knowsPrivileged?.() ?? false, learningOnly });
  if (postureSummary) {
    const notes: ContextNote[] = [];
    const seen = new Set<string>();
    for (const i of incidents) for (const c of i.context) {
      const k = `${c.entity.type}|${c.entity.id}|${c.text}`;
      if (c.from === 'snapshot' && !seen.has(k)) {
        seen.add(k);
        notes.push(c);
      }
    }
    postureSummary.notes = notes;
  }
  const finished = now();
  const counts = (xs: { severity: Severity }[]) => Object.fromEntries(SEVERITIES.map((s) => [s, xs.filter((x) => x.severity === s).length])) as Record<Severity, number>;
  const runId = `run-${iso(started).replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${stableId(started, ...opts.paths).slice(0, 6)}`;
  const report: HuntReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'hunt',
    generatedAt: iso(finished),
    tool: {
      name: 'tenantwatch', version: VERSION, rulesetVersion: rulesetVersion(rules), alertSchemaVersion: ALERT_SCHEMA_VERSION, attackVersion: ATTACK_VERSION,
      ...(geo.sources.length ? { dataSources: geo.sources } : {}),
    },
    run: {
      id: runId,
      startedAt: iso(started),
      finishedAt: iso(finished),
      options: {
        ...(opts.since !== undefined ? { since: iso(opts.since) } : {}),
        ...(opts.until !== undefined ? { until: iso(opts.until) } : {}),
        failOn: opts.failOn ?? 'medium',
        ...(opts.configPath ? { config: opts.configPath } : {}),
        ...(opts.snapshotDir ? { snapshot: opts.snapshotDir } : {}),
        ...(opts.dbPath ? { db: opts.dbPath } : {}),
        ...(opts.networks?.length ? { networks: [...opts.networks] } : {}),
        ...(opts.tenant ? { tenant: opts.tenant } : {}),
      },
    },
    inputs: summary.files.filter((f) => !f.skipped).map(inputSummary).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    skipped: summary.skipped.map((s) => ({ path: s.path, reason: s.reason })).sort((a, b) => (a.path < b.path ? -1 : 1)),
    coverage: {
      facts: [...facts].sort(),
      rules: coverage.map((c) => ({ ...c })),
      evaluated: coverage.filter((c) => c.status === 'evaluated').length,
      notEvaluated: coverage.filter((c) => c.status === 'not-evaluated').length,
      disabled: coverage.filter((c) => c.status === 'disabled').length,
      ...(notes.length ? { notes } : {}),
    },
    stats: {
      records: summary.totals.records,
      events: summary.totals.events,
      duplicates: summary.totals.duplicates,
      filtered: summary.totals.filtered,
      quarantined: summary.totals.quarantined,
      ...(Number.isFinite(tMin) ? { timeMin: iso(tMin), timeMax: iso(tMax) } : {}),
      alerts: runAlerts.length,
      incidents: incidents.length,
      alertsBySeverity: counts(runAlerts),
      incidentsBySeverity: counts(incidents),
      unlinkedAlerts: runAlerts.filter((a) => !memberIds.has(a.id)).length,
      sort: { runs: order.runs, spilledBytes: order.spilledBytes },
      // copies of one record in two exports (same id), and UAL copies of Entra directory audit events (other ids)
      engine: {
        pushed: engineStats.pushed, ignored: engineStats.ignored, late: engineStats.late, duplicates: engineStats.duplicates + order.copies + twins.dropped,
        ...(evicted ? { evicted } : {}),
      },
      durationMs: Math.max(0, finished - started),
    },
    incidents,
    merged: merged.sort((a, b) => (a.id < b.id ? -1 : 1)),
    alerts: reportAlerts,
    ...(postureSummary ? { posture: postureSummary } : {}),
  };

  if (store) {
    stage('saving to the store');
    store.saveAlerts(runAlerts, runId);
    store.saveIncidents(incidents, report.merged, runId);
    const alertUsers = runAlerts.flatMap((a) => a.entities.filter((e) => e.type === 'user').flatMap((e) => [e.id, ...(e.aliases ?? [])]));
    store.saveMemory(memory, alertUsers);
    store.saveRun(report);
  }
  return report;
}

/**
 * Fold a freshly built incident into what the store knows: keep the revision count going for the same id, and
 * when the incident now holds alerts of other stored incidents, those become tombstones pointing at it.
 */
export function reconcile(inc: Incident, store: Store, merged: MergedIncident[], mergedAt: string): void {
  const mergedFrom = new Set<string>();
  for (const s of store.incidentsWithAlerts(inc.alerts)) {
    const prev = s.incident;
    for (const m of prev.mergedFrom ?? []) if (m !== inc.id) mergedFrom.add(m);
    if (prev.id === inc.id) {
      inc.revision = prev.revision + (alertSetKey(prev.alerts) === alertSetKey(inc.alerts) ? 0 : 1);
      continue;
    }
    if (s.mergedInto && s.mergedInto !== inc.id) continue; // an older tombstone: it already resolves elsewhere
    mergedFrom.add(prev.id);
    if (!s.mergedInto && !merged.some((m) => m.id === prev.id)) merged.push({ id: prev.id, mergedInto: inc.id, mergedAt, title: prev.title });
  }
  if (mergedFrom.size) inc.mergedFrom = [...mergedFrom].sort();
}

function inputSummary(f: ReadSummary['files'][number]): InputSummary {
  const formats = Object.fromEntries(Object.entries(f.formats).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  const top = Object.entries(f.formats).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
  const s: InputSummary = {
    path: f.path, sha256: f.sha256, format: top, formats, bytes: f.bytes,
    records: f.records, events: f.events, duplicates: f.duplicates, filtered: f.filtered, quarantined: f.quarantined,
    quarantineSamples: f.quarantineSamples.slice(0, 10).map((q) => (q.line !== undefined && q.line >= 1 ? { line: q.line, reason: q.reason } : { reason: q.reason })),
  };
  if (f.encoding) s.encoding = f.encoding;
  // why records were filtered, most frequent first: a filtered record is accounted for, and the report says why
  const filtered = Object.entries(f.filteredReasons).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
  if (filtered.length) s.filteredReasons = filtered.map(([reason, count]) => ({ reason, count }));
  if (f.timeMin !== undefined) s.timeMin = iso(f.timeMin);
  if (f.timeMax !== undefined) s.timeMax = iso(f.timeMax);
  return s;
}

/** The snapshot names apps and users the logs may only half-name: appId <-> SP id <-> object id <-> name. */
function learnFromSnapshot(snap: Snapshot, memory: EntityMemory): void {
  const s = (o: Record<string, unknown>, k: string): string | undefined => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  for (const sp of snap.graph('v1.0', 'servicePrincipals').items) memory.aliases.learnApp({ appId: s(sp, 'appId'), spId: s(sp, 'id'), name: s(sp, 'displayName') });
  for (const app of snap.graph('v1.0', 'applications').items) memory.aliases.learnApp({ appId: s(app, 'appId'), objectId: s(app, 'id'), name: s(app, 'displayName') });
  for (const u of snap.graph('v1.0', 'users').items) memory.aliases.learnUser({ userId: s(u, 'id'), upn: s(u, 'userPrincipalName') });
}
