// From a correlated cluster to the report's Incident: id, severity, tactics, timeline with reasons, scope, entity
// graph, narrative, context (snapshot + memory), containment. Pure: the same cluster and memory give the same
// incident, byte for byte.
import type { Alert, Entity, EntityType, Severity } from '../detect/alert.js';
import { SEVERITIES, severityRank } from '../detect/alert.js';
import { sortTactics, tactic, type TacticName } from '../detect/attack.js';
import type { Enrichment } from '../enrich/types.js';
import type { PostureFactsIndex } from '../posture/facts.js';
import type {
  ContextNote, EntityGraph, GraphEdge, GraphNode, Incident, IncidentScope, LinkKind, ScopeItem, TimelineEntry, TravelLeg, TravelPoint,
} from '../report/types.js';
import { AliasResolver, isGuid } from './aliases.js';
import { containmentSteps, type ContainApp, type ContainUser } from './containment.js';
import { alertOrder, type Cluster, type Link } from './correlate.js';
import type { EntityMemory } from './memory.js';

export interface IncidentContext {
  memory: EntityMemory;
  enrich?: Enrichment;
  posture?: PostureFactsIndex;
  /** IPs that may not be blocked or used as links (trusted, VPN, shared) -> reason */
  ipVeto?: (ip: string) => string | undefined;
  /** apps that are not the attacker's (Microsoft client apps, apps everyone signs in with) -> reason */
  appVeto?: (appId: string) => string | undefined;
}

const HOUR_MS = 3_600_000;

export const incidentIdFor = (seedAlertId: string): string => `INC-${seedAlertId.slice(0, 12)}`;

const iso = (ms: number): string => new Date(ms).toISOString();
const ms = (s: string): number => Date.parse(s);

/** "5 min", "2 h 10 min", "19 days". */
export function gapText(d: number): string {
  if (d < 60_000) return `${Math.round(d / 1000)} s`;
  const min = Math.round(d / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60), m = min % 60;
  if (h < 48) return m ? `${h} h ${m} min` : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

const KIND_WORD: Record<LinkKind, string> = {
  seed: 'seed', user: 'account', app: 'app', servicePrincipal: 'service principal', connector: 'connector',
  transportRule: 'transport rule', inboxRule: 'inbox rule', mailbox: 'mailbox', role: 'role', domain: 'domain',
  session: 'session', ip: 'IP',
};

// --- severity --------------------------------------------------------------------------------------------------

const ACCESS: TacticName[] = ['reconnaissance', 'resource-development', 'initial-access', 'credential-access'];
const FOOTHOLD: TacticName[] = ['execution', 'persistence', 'privilege-escalation'];
const OBJECTIVE: TacticName[] = ['defense-evasion', 'discovery', 'lateral-movement', 'collection', 'command-and-control', 'exfiltration', 'impact'];

/**
 * Severity rises as the chain progresses: the highest member severity, raised to high when the incident spans
 * access and foothold (or foothold and objectives) or three tactics, and to critical when it spans access,
 * foothold and objectives (a takeover that went on to act). Each stage must come from a different rule: one
 * alert's technique may map to four tactics (T1078, valid accounts), and one rule firing for the same person
 * again is one step seen again, not a chain.
 */
export function incidentSeverity(alerts: readonly Pick<Alert, 'severity' | 'rule' | 'tactics'>[]): Severity {
  let s = Math.max(...alerts.map((a) => severityRank(a.severity)));
  const spans = (...stages: TacticName[][]) => distinctRulesCover(alerts, stages);
  const rules = new Set(alerts.map((a) => a.rule)).size;
  const tactics = new Set(alerts.flatMap((a) => a.tactics)).size;
  if (spans(ACCESS, FOOTHOLD, OBJECTIVE)) s = Math.max(s, severityRank('critical'));
  else if (spans(ACCESS, FOOTHOLD) || spans(FOOTHOLD, OBJECTIVE) || (tactics >= 3 && rules >= 2)) s = Math.max(s, severityRank('high'));
  return SEVERITIES[s]!;
}

/** Whether each stage can be given an alert of its own rule (a small matching: few stages, few rules). */
function distinctRulesCover(alerts: readonly Pick<Alert, 'rule' | 'tactics'>[], stages: TacticName[][]): boolean {
  const rulesOf = stages.map((g) => [...new Set(alerts.filter((a) => a.tactics.some((t) => g.includes(t))).map((a) => a.rule))]);
  const pick = (i: number, used: ReadonlySet<string>): boolean =>
    i === rulesOf.length || rulesOf[i]!.some((r) => !used.has(r) && pick(i + 1, new Set([...used, r])));
  return pick(0, new Set());
}

// --- entities --------------------------------------------------------------------------------------------------

interface Canon {
  type: EntityType;
  id: string;
  display?: string;
  aliases: Set<string>;
  alerts: string[];
  first: number;
  last: number;
  roles: Set<string>;
  /** named as one of many targets only */
  broadOnly: boolean;
}

function canonicalEntities(alerts: readonly Alert[], aliases: AliasResolver): Map<string, Canon> {
  const out = new Map<string, Canon>();
  for (const a of alerts) {
    const userTargets = a.entities.filter((e) => e.type === 'user' && e.role === 'target').length;
    for (const e of a.entities) {
      const r = aliases.resolve(e);
      const key = `${r.type}:${r.id}`;
      let c = out.get(key);
      if (!c) out.set(key, (c = { type: r.type, id: r.id, aliases: new Set(), alerts: [], first: Infinity, last: -Infinity, roles: new Set(), broadOnly: true }));
      if (!c.alerts.includes(a.id)) c.alerts.push(a.id);
      c.first = Math.min(c.first, ms(a.firstSeen));
      c.last = Math.max(c.last, ms(a.lastSeen));
      if (e.role) c.roles.add(e.role);
      if (!(e.type === 'user' && e.role === 'target' && userTargets > 3)) c.broadOnly = false;
      if (!c.display && e.display) c.display = e.display;
      // Exchange names compare case-insensitively but read best as written
      if (!c.display && e.id !== r.id && e.id.toLowerCase() === r.id && (r.type === 'connector' || r.type === 'transportRule' || r.type === 'inboxRule')) c.display = e.id;
      for (const s of [e.id, ...(e.aliases ?? [])]) if (s.toLowerCase() !== r.id) c.aliases.add(s);
      if (r.type === 'app') {
        const al = aliases.aliasesOfApp(r.id);
        for (const s of [...(al?.spIds ?? []), ...(al?.objectIds ?? [])]) c.aliases.add(s);
        if (!c.display && al?.names[0]) c.display = al.names[0];
      }
    }
  }
  return out;
}

const TYPE_ORDER: EntityType[] = ['user', 'app', 'servicePrincipal', 'connector', 'transportRule', 'inboxRule', 'mailbox', 'ip', 'domain', 'role', 'session', 'asn', 'device', 'tenant'];

function entityOrder(a: Canon, b: Canon): number {
  return b.alerts.length - a.alerts.length || TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const sortedAliases = (c: Canon): string[] => [...c.aliases].sort();

function toEntity(c: Canon): Entity {
  const e: Entity = { type: c.type, id: c.id };
  const al = sortedAliases(c);
  if (al.length) e.aliases = al.slice(0, 20);
  if (c.display) e.display = c.display;
  return e;
}

function scopeItem(c: Canon): ScopeItem {
  const s: ScopeItem = { id: c.id, alerts: [...c.alerts].sort(), firstSeen: iso(c.first), lastSeen: iso(c.last) };
  if (c.display) s.display = c.display;
  const al = sortedAliases(c);
  if (al.length) s.aliases = al.slice(0, 20);
  return s;
}

// --- the builder -----------------------------------------------------------------------------------------------

export function buildIncident(cluster: Cluster, ctx: IncidentContext): Incident {
  const alerts = [...cluster.alerts].sort(alertOrder);
  const seed = alerts[0]!;
  const id = incidentIdFor(seed.id);
  const aliases = ctx.memory.aliases;
  const tactics = sortTactics(alerts.flatMap((a) => a.tactics));
  const techniques = [...new Set(alerts.flatMap((a) => a.techniques))].sort();
  const canon = canonicalEntities(alerts, aliases);
  const ents = [...canon.values()].sort(entityOrder);
  const first = Math.min(...alerts.map((a) => ms(a.firstSeen)));
  const last = Math.max(...alerts.map((a) => ms(a.lastSeen)));
  const tenant = alerts.find((a) => a.tenant !== 'unknown')?.tenant ?? 'unknown';
  const byId = new Map(alerts.map((a) => [a.id, a]));

  const timeline: TimelineEntry[] = alerts.map((a) => {
    const link = cluster.links.get(a.id);
    const entry: TimelineEntry = {
      alertId: a.id, rule: a.rule, title: a.title, severity: a.severity, tactics: sortTactics(a.tactics),
      time: a.time, firstSeen: a.firstSeen, lastSeen: a.lastSeen, summary: a.explanation,
      linkedBecause: a === seed ? 'first alert of the incident (the earliest evidence)' : link ? reasonText(a, link, byId.get(link.withAlert), canon.get(link.key.key)?.display) : 'linked through the chain of alerts it shares entities with',
    };
    if (link && a !== seed) {
      const en = canon.get(link.key.key);
      entry.link = {
        kind: link.kind,
        entity: { type: link.key.resolved.type, id: link.key.resolved.id, ...(en?.display ? { display: en.display } : {}) },
        withAlert: link.withAlert,
        gapMs: link.gapMs,
      };
      const via = link.key.resolved.via;
      if (via) entry.link.via = via;
    }
    return entry;
  });
  // steps in the order they happened: an alert's trigger time is when what its title says took place (an app's
  // sign-in from a new network three weeks after the credential it used was added; firstSeen is the evidence's start)
  timeline.sort((x, y) => ms(x.time) - ms(y.time) || ms(x.firstSeen) - ms(y.firstSeen) || (x.alertId < y.alertId ? -1 : x.alertId > y.alertId ? 1 : 0));

  const scope = buildScope(ents, ctx);
  const graph = buildGraph(alerts, aliases, canon, scope);
  const context = contextNotes(scope, ctx, first);
  const travel = travelLegs(alerts);
  const severity = incidentSeverity(alerts);
  const contain = containInput(id, alerts, scope, canon, ctx);
  const containment = containmentSteps(contain);
  // a secret or certificate seen added to one of its apps while the incident ran (not a containment step that only
  // says to look for one)
  const appCredentialAdded = contain.apps.some((a) => a.credentials.some((c) => c.removedAt === undefined && c.addedAt >= first - 86_400_000 && c.addedAt <= last));
  const direct = scope.accounts.filter((a) => !canon.get(`user:${a.id}`)?.broadOnly);
  const title = titleOf(seed, scope, direct, alerts.length);
  const narrative = narrativeOf({ alerts, tactics, scope, first, last, context, hasAppSecret: appCredentialAdded });

  return {
    id, title, severity, tenant, tactics, techniques,
    entities: ents.map(toEntity),
    alerts: timeline.map((t) => t.alertId),
    firstSeen: iso(first), lastSeen: iso(last),
    narrative, revision: 1, timeline, scope, graph, containment, context, travel,
  };
}

function reasonText(a: Alert, link: Link, other: Alert | undefined, canonDisplay: string | undefined): string {
  const word = KIND_WORD[link.kind];
  const display = link.key.entity.display ?? canonDisplay;
  const name = !display ? link.key.resolved.id : display.toLowerCase() === link.key.resolved.id ? `"${display}"` : `"${display}" (${link.key.resolved.id})`;
  const via = link.key.resolved.via ? `, named here by ${link.key.resolved.via}` : '';
  const weak = severityRank(a.severity) < severityRank('medium') ? 'low-severity alert attached as a leaf: ' : '';
  const withWhat = other ? `${other.rule} "${other.title}"` : link.withAlert;
  return `${weak}names ${word} ${name}${via}, as ${withWhat} does (${apartText(a, other, link.gapMs)}; ${word} links hold ${gapText(link.key.horizon)})`;
}

/**
 * How far apart two linked alerts are: their trigger times, and, when closer, their evidence (the gap the link's
 * horizon is measured on; alerts whose evidence spans weeks can overlap although they fired weeks apart).
 */
function apartText(a: Alert, other: Alert | undefined, evidenceGap: number): string {
  const triggers = other ? Math.abs(ms(a.time) - ms(other.time)) : evidenceGap;
  if (evidenceGap >= triggers) return `${gapText(triggers)} apart`;
  return `${gapText(triggers)} apart; their evidence ${evidenceGap === 0 ? 'overlaps' : `${gapText(evidenceGap)} apart`}`;
}

function buildScope(ents: Canon[], ctx: IncidentContext): IncidentScope {
  const pick = (t: EntityType) => ents.filter((c) => c.type === t);
  const accounts = [...pick('user').filter((c) => !c.broadOnly), ...pick('user').filter((c) => c.broadOnly)].map((c) => {
    const s: IncidentScope['accounts'][number] = scopeItem(c);
    const uid = [...c.aliases].find((x) => isGuid(x));
    const mem = ctx.memory.users.get(c.id);
    if (ctx.enrich?.isPrivileged(c.id.includes('@') ? c.id : undefined, uid ?? (isGuid(c.id) ? c.id : undefined)) || (mem && mem.roles.length)) s.privileged = true;
    return s;
  });
  const apps = [...pick('app'), ...pick('servicePrincipal')]
    .filter((c) => !AliasResolver.isMicrosoftResource(c.id) && !ctx.appVeto?.(c.id))
    .map((c) => {
      const s: IncidentScope['apps'][number] = scopeItem(c);
      const mem = ctx.memory.appFor(c.id);
      if (mem) {
        if (mem.spId) s.spId = mem.spId;
        if (!s.display && mem.name) s.display = mem.name;
        if (mem.createdAt !== undefined) s.createdAt = iso(mem.createdAt);
        if (mem.credentials.length) s.credentials = mem.credentials.map((k) => `${k.type ?? 'credential'} ${k.keyId ?? '(no key id)'} added ${iso(k.addedAt)}${k.removedAt !== undefined ? `, removed ${iso(k.removedAt)}` : ''}`);
        if (mem.permissions.length) s.permissions = [...mem.permissions];
        if (mem.roles.length) s.roles = [...mem.roles];
        // first-seen alerts fire once: an app that went on reading mail for days shows only in its memory
        if (mem.lastSeen > ms(s.lastSeen) + HOUR_MS) s.lastActivity = iso(mem.lastSeen);
      }
      return s;
    });
  const ips = pick('ip').map((c) => {
    const s: IncidentScope['ips'][number] = scopeItem(c);
    const asn = ctx.memory.asnOf(c.id);
    if (asn !== undefined) s.asn = `AS${asn}`;
    return s;
  });
  return {
    accounts, apps, ips,
    connectors: pick('connector').map(scopeItem),
    transportRules: pick('transportRule').map(scopeItem),
    inboxRules: pick('inboxRule').map(scopeItem),
    mailboxes: pick('mailbox').map(scopeItem),
  };
}

function buildGraph(alerts: readonly Alert[], aliases: AliasResolver, canon: Map<string, Canon>, scope: IncidentScope): EntityGraph {
  const nodeIds = new Set<string>();
  const primary = new Set<string>([
    ...scope.apps.map((a) => `app:${a.id}`),
    ...scope.connectors.map((c) => `connector:${c.id}`),
    ...scope.transportRules.map((c) => `transportRule:${c.id}`),
  ]);
  const nodes: GraphNode[] = [];
  const ordered = [...canon.entries()].sort((x, y) => entityOrder(x[1], y[1]));
  for (const [key, c] of ordered.slice(0, 80)) {
    if (c.type === 'session') continue;
    nodeIds.add(key);
    const label = c.type === 'user' && c.display && c.display.toLowerCase() !== c.id ? `${c.display} (${c.id})` : c.display ?? c.id;
    const n: GraphNode = { id: key, type: c.type, label, alerts: [...c.alerts].sort() };
    const isActorUser = c.type === 'user' && c.roles.has('actor');
    if (primary.has(key) || isActorUser) n.primary = true;
    nodes.push(n);
  }
  const edges = new Map<string, { e: GraphEdge; titles: Set<string> }>();
  const add = (from: string, to: string, a: Alert) => {
    if (from === to || !nodeIds.has(from) || !nodeIds.has(to)) return;
    const k = `${from}\u0000${to}`;
    let x = edges.get(k);
    if (!x) edges.set(k, (x = { e: { from, to, label: '', alerts: [] }, titles: new Set() }));
    if (!x.e.alerts.includes(a.id)) x.e.alerts.push(a.id);
    x.titles.add(a.title);
  };
  for (const a of alerts) {
    const keyOf = (e: Entity) => {
      const r = aliases.resolve(e);
      return `${r.type}:${r.id}`;
    };
    const actors = a.entities.filter((e) => e.role === 'actor').map(keyOf);
    const targets = a.entities.filter((e) => e.role === 'target').map(keyOf);
    const sources = a.entities.filter((e) => e.role === 'source' && e.type !== 'asn').map(keyOf);
    const other = a.entities.filter((e) => !e.role).map(keyOf);
    if (actors.length || targets.length || sources.length) {
      for (const s of sources) for (const x of actors.length ? actors : targets) add(s, x, a);
      for (const x of actors) for (const y of [...targets, ...other]) add(x, y, a);
      if (!actors.length) for (const y of other) for (const x of targets) add(x, y, a);
    } else {
      const [head, ...rest] = other;
      if (head) for (const y of rest) add(head, y, a);
    }
  }
  const edgeList = [...edges.values()]
    .map(({ e, titles }) => ({ ...e, label: [...titles].sort().join('; '), alerts: [...e.alerts].sort() }))
    .sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : x.to < y.to ? -1 : x.to > y.to ? 1 : 0));
  return { nodes, edges: edgeList };
}

const postureSeverity = (s: string): Severity => (s === 'info' ? 'informational' : (SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : 'informational');

function contextNotes(scope: IncidentScope, ctx: IncidentContext, first: number): ContextNote[] {
  const out: ContextNote[] = [];
  const seen = new Set<string>();
  const push = (n: ContextNote) => {
    const k = `${n.entity.type}|${n.entity.id}|${n.text}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(n);
    }
  };
  for (const a of scope.accounts) {
    const uid = a.aliases?.find((x) => isGuid(x));
    for (const f of ctx.posture?.forEntity({ user: a.id.includes('@') ? a.id : undefined, userId: uid ?? (isGuid(a.id) ? a.id : undefined) }) ?? []) {
      push({ entity: { type: 'user', id: a.id }, from: 'snapshot', severity: postureSeverity(f.severity), text: f.text, ...(f.checkId ? { checkId: f.checkId } : {}) });
    }
    const mem = ctx.memory.users.get(a.id);
    if (mem?.roles.length) push({ entity: { type: 'user', id: a.id }, from: 'memory', severity: 'medium', text: `was assigned ${mem.roles.join(', ')} (seen ${iso(mem.firstSeen).slice(0, 10)})` });
  }
  for (const app of scope.apps) {
    for (const f of ctx.posture?.forEntity({ appId: app.id, spId: app.spId }) ?? []) {
      push({ entity: { type: 'app', id: app.id }, from: 'snapshot', severity: postureSeverity(f.severity), text: f.text, ...(f.checkId ? { checkId: f.checkId } : {}) });
    }
    const mem = ctx.memory.appFor(app.id);
    if (!mem) continue;
    if (mem.createdAt !== undefined) {
      const before = first - mem.createdAt;
      push({
        entity: { type: 'app', id: app.id }, from: 'memory', severity: 'informational',
        text: `app created ${iso(mem.createdAt)}${mem.createdBy ? ` by ${mem.createdBy}` : ''}${before > 86_400_000 ? ` (${gapText(before)} before the incident's first alert)` : ''}`,
      });
    }
    const live = mem.credentials.filter((c) => c.removedAt === undefined);
    if (live.length) {
      push({
        entity: { type: 'app', id: app.id }, from: 'memory', severity: 'high',
        text: `${live.length} credential${live.length === 1 ? '' : 's'} added and not seen removed: ${live.map((c) => `${c.type ?? 'credential'} ${c.keyId ?? ''} on ${iso(c.addedAt).slice(0, 10)}${c.addedBy ? ` by ${c.addedBy}` : ''}`.replace(/\s+/g, ' ')).join('; ')}`,
      });
    }
    if (mem.permissions.length) push({ entity: { type: 'app', id: app.id }, from: 'memory', severity: 'medium', text: `was granted ${mem.permissions.join(', ')}` });
    if (mem.roles.length) push({ entity: { type: 'app', id: app.id }, from: 'memory', severity: 'high', text: `was assigned directory role ${mem.roles.join(', ')}` });
  }
  return out;
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function point(f: Alert['facts'], p: 'from' | 'to'): TravelPoint | undefined {
  const lat = num(f[`${p}Lat`]), lon = num(f[`${p}Lon`]);
  if (lat === undefined || lon === undefined || Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  const pt: TravelPoint = { lat, lon };
  const time = str(f[`${p}Time`]);
  if (time && !Number.isNaN(Date.parse(time))) pt.time = new Date(Date.parse(time)).toISOString();
  for (const k of ['ip', 'city', 'country'] as const) {
    const v = str(f[`${p}${k[0]!.toUpperCase()}${k.slice(1)}`]);
    if (v) pt[k] = v;
  }
  const place = str(f[`${p}Place`]); // "Seattle, US" from the impossible-travel rule
  if (place && !pt.city) pt.city = place;
  return pt;
}

/** Impossible-travel legs from alert facts (fromLat/fromLon/toLat/toLon, optional time/ip/city/country). */
export function travelLegs(alerts: readonly Alert[]): TravelLeg[] {
  const out: TravelLeg[] = [];
  for (const a of alerts) {
    const from = point(a.facts, 'from'), to = point(a.facts, 'to');
    if (!from || !to) continue;
    const leg: TravelLeg = { alertId: a.id, from, to };
    const user = a.entities.find((e) => e.type === 'user');
    if (user) leg.user = user.id;
    const d = num(a.facts.distanceKm), v = num(a.facts.speedKmh);
    if (d !== undefined) leg.distanceKm = d;
    if (v !== undefined) leg.speedKmh = v;
    out.push(leg);
  }
  return out;
}

function containInput(id: string, alerts: readonly Alert[], scope: IncidentScope, canon: Map<string, Canon>, ctx: IncidentContext) {
  const byId = new Map(alerts.map((a) => [a.id, a]));
  const naming = (key: string): Alert[] => (canon.get(key)?.alerts ?? []).map((x) => byId.get(x)).filter((a): a is Alert => a !== undefined);
  const users: ContainUser[] = scope.accounts
    .filter((a) => {
      const c = canon.get(`user:${a.id}`);
      return c && !c.broadOnly;
    })
    .map((a) => {
      const uid = a.aliases?.find((x) => isGuid(x)) ?? (isGuid(a.id) ? a.id : undefined) ?? ctx.memory.users.get(a.id)?.userId;
      // a sign-in rule (stuffing, spray, travel, replay, single-factor…) naming the account says its password or
      // session was stolen; without one, an app acted for it with its consent
      const u: ContainUser = { id: a.id, passwordStolen: naming(`user:${a.id}`).some((x) => x.rule.startsWith('TW-SIGNIN-')) };
      if (uid) u.userId = uid;
      if (a.display) u.display = a.display;
      if (a.privileged) u.privileged = true;
      return u;
    });
  const apps: ContainApp[] = scope.apps.map((a) => {
    const mem = ctx.memory.appFor(a.id);
    const microsoft = ctx.posture?.forEntity({ appId: a.id, spId: a.spId }).some((f) => f.kind === 'microsoft-app') ?? false;
    const app: ContainApp = { appId: a.id, credentials: mem?.credentials ?? [], permissions: mem?.permissions ?? [], roles: mem?.roles ?? [] };
    if (mem?.delegated?.length) app.delegated = mem.delegated;
    if (mem?.tenantWide) app.tenantWide = true;
    if (mem?.objectId !== undefined || mem?.createdAt !== undefined) app.registeredHere = true;
    if (a.spId) app.spId = a.spId;
    if (a.display) app.name = a.display;
    if (microsoft) app.microsoft = true;
    return app;
  });
  const forwarding = new Set<string>();
  const mailboxOf = new Map<string, string>();
  for (const a of alerts) {
    const mbx = a.entities.find((e) => e.type === 'mailbox' && (e.display ?? e.id).includes('@'));
    const owner = mbx ? (mbx.display ?? mbx.id) : a.entities.find((e) => e.type === 'user' && e.role === 'actor')?.id;
    if (a.evidence.some((e) => e.action === 'mailbox.forwarding.set') && owner) forwarding.add(owner.toLowerCase());
    for (const e of a.entities) if (e.type === 'inboxRule' && owner) mailboxOf.set(e.id.toLowerCase(), owner.toLowerCase());
  }
  const ips = scope.ips.map((i) => i.id).filter((ip) => !ctx.ipVeto?.(ip));
  // a connector or rule the input shows removed (TW-EXO-003 fires on the removal) is checked to stay gone, unless a
  // later alert names it again (created anew under the same name)
  const removal = (type: string, id: string): { removedAt?: string } => {
    const named = naming(`${type}:${id}`);
    const removals = named.filter((a) => a.rule === 'TW-EXO-003').map((a) => ms(a.time));
    if (!removals.length) return {};
    const at = Math.max(...removals);
    return named.some((a) => a.rule !== 'TW-EXO-003' && ms(a.time) > at) ? {} : { removedAt: iso(at) };
  };
  return {
    incidentId: id, users, apps,
    connectors: scope.connectors.map((c) => ({ id: c.id, ...(c.display ? { display: c.display } : {}), ...removal('connector', c.id) })),
    transportRules: scope.transportRules.map((c) => ({ id: c.id, ...(c.display ? { display: c.display } : {}), ...removal('transportRule', c.id) })),
    inboxRules: scope.inboxRules.map((c) => {
      const mailbox = mailboxOf.get(c.id);
      return { id: c.id, ...(c.display ? { display: c.display } : {}), ...(mailbox ? { mailbox } : {}) };
    }),
    forwarding: [...forwarding].sort(),
    ips,
  };
}

function nameOf(s: ScopeItem): string {
  if (!s.display) return s.id;
  return s.display.toLowerCase() === s.id ? s.display : `"${s.display}"`;
}

function titleOf(seed: Alert, scope: IncidentScope, direct: IncidentScope['accounts'], n: number): string {
  const parts: string[] = [];
  const acct = direct.find((a) => a.privileged) ?? direct[0];
  if (acct && direct.length <= 3) parts.push(`account ${acct.id}`);
  else if (acct) parts.push(`${direct.length} accounts`);
  else if (scope.accounts.length) parts.push(`${scope.accounts.length} targeted accounts`);
  if (scope.apps[0]) parts.push(`app ${nameOf(scope.apps[0])}`);
  const mail = scope.connectors[0] ?? scope.transportRules[0];
  if (mail) parts.push(`${scope.connectors[0] ? 'connector' : 'transport rule'} ${nameOf(mail)}`);
  else if (scope.inboxRules[0]) parts.push(`inbox rule ${nameOf(scope.inboxRules[0])}`);
  if (n === 1 || parts.length === 0) return seed.title;
  return `${n} linked alerts: ${parts.join(' → ')}`;
}

function narrativeOf(x: {
  alerts: readonly Alert[]; tactics: TacticName[]; scope: IncidentScope; first: number; last: number; context: ContextNote[]; hasAppSecret: boolean;
}): string {
  const when = (t: number) => iso(t).slice(0, 16).replace('T', ' ');
  const s: string[] = [];
  const tacticTitles = x.tactics.map((t) => tactic(t)?.title ?? t);
  s.push(`Between ${when(x.first)} and ${when(x.last)} UTC, ${x.alerts.length} linked alert${x.alerts.length === 1 ? '' : 's'} span ${tacticTitles.join(' → ')}.`);
  const steps = [...x.alerts].sort((a, b) => ms(a.time) - ms(b.time) || (a.id < b.id ? -1 : 1)).slice(0, 8).map((a) => `${when(ms(a.time))} ${a.title}`);
  s.push(`In order: ${steps.join('; ')}${x.alerts.length > 8 ? `; and ${x.alerts.length - 8} more` : ''}.`);
  const who: string[] = [];
  if (x.scope.accounts.length) who.push(`${x.scope.accounts.length} account${x.scope.accounts.length === 1 ? '' : 's'} (${x.scope.accounts.slice(0, 3).map((a) => a.id).join(', ')}${x.scope.accounts.length > 3 ? ', …' : ''})`);
  if (x.scope.apps.length) who.push(`${x.scope.apps.length} app${x.scope.apps.length === 1 ? '' : 's'} (${x.scope.apps.slice(0, 3).map(nameOf).join(', ')})`);
  if (x.scope.connectors.length) who.push(`connector ${x.scope.connectors.map(nameOf).join(', ')}`);
  if (x.scope.transportRules.length) who.push(`transport rule ${x.scope.transportRules.map(nameOf).join(', ')}`);
  if (who.length) s.push(`It involves ${who.join(', ')}.`);
  const serious = x.context.filter((c) => c.from === 'snapshot' && severityRank(c.severity) >= severityRank('high')).slice(0, 3);
  if (serious.length) s.push(`The tenant configuration adds: ${serious.map((c) => `${c.entity.id} — ${c.text}`).join('; ')}.`);
  if (x.hasAppSecret) s.push('An app holds credentials added during the incident: resetting passwords alone will not evict the attacker.');
  const still = x.scope.apps.filter((a) => a.lastActivity !== undefined && ms(a.lastActivity) > x.last);
  if (still.length) {
    const latest = Math.max(...still.map((a) => ms(a.lastActivity!)));
    s.push(`${still.map(nameOf).join(', ')} ${still.length === 1 ? 'was' : 'were'} still in use until ${when(latest)} UTC (${gapText(latest - x.last)} after the last alert): the activity went on past what the alerts show.`);
  }
  return s.join(' ');
}
