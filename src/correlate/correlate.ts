// Correlation: alerts that share an entity (resolved across its aliases) within that entity kind's horizon join
// one cluster; clusters that clear the incident bar become incidents. Pure and order-independent: the same alerts
// give the same clusters and the same "linked because" reasons whatever order they arrive in.
//
// The rules (docs/report.md#correlation):
// - Links by kind hold for a horizon that fits the campaign: an app, service principal, connector or transport
//   rule links alerts up to 90 days apart (the app is registered one week and used the next month); a user 30
//   days; a user named only as one of many targets (a spray's victim list) 2 days; an IP 24 hours.
// - An IP never links when it is trusted (config), belongs to a VPN/SASE ASN, or many accounts sign in from it.
// - An app never links when it is a Microsoft client app (Azure AD PowerShell, the Office portal) or one many
//   accounts sign in with: it names the client of a sign-in, not something an attacker made.
// - The tenant's own domains never link (every outbound-mail alert names them).
// - An address range an alert names (an inbound connector's SenderIPAddresses, "203.0.113.0/24") links with the
//   alerts naming an address inside it, on the IP horizon: the spam relayed through the connector joins it.
// - Roles, ASNs, devices and tenants never link (everyone shares "Global Administrator").
// - Only alerts of at least medium severity link ("strong"). A low or informational alert joins a cluster as a
//   leaf when it names the same app, connector, rule or mailbox as a member; it never bridges two clusters and
//   never makes a cluster on its own: legitimate look-alikes stay out of chains.
// - Incident bar: a cluster becomes an incident when it holds a high or critical alert, or two or more strong
//   alerts. Everything else is reported as an unlinked alert.
import type { Alert, Entity, EntityType } from '../detect/alert.js';
import { severityRank } from '../detect/alert.js';
import type { LinkKind } from '../report/types.js';
import { inCidr } from '../core/ip.js';
import { AliasResolver, type Resolved } from './aliases.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface Horizons {
  app: number;
  servicePrincipal: number;
  connector: number;
  transportRule: number;
  inboxRule: number;
  mailbox: number;
  user: number;
  /** a user named as one of many targets of one alert */
  broadUser: number;
  domain: number;
  session: number;
  ip: number;
}

export const DEFAULT_HORIZONS: Horizons = {
  app: 90 * DAY,
  servicePrincipal: 90 * DAY,
  connector: 90 * DAY,
  transportRule: 90 * DAY,
  inboxRule: 30 * DAY,
  mailbox: 30 * DAY,
  user: 30 * DAY,
  broadUser: 2 * DAY,
  domain: 30 * DAY,
  session: 24 * HOUR,
  ip: 24 * HOUR,
};

/** Longest horizon: how far back a hunt looks for stored alerts that may join today's. */
export const MAX_HORIZON_MS = Math.max(...Object.values(DEFAULT_HORIZONS));

/** An alert naming more user targets than this is "broad" for its target users (a spray's victim list). */
const BROAD_USERS = 3;

/** Kinds through which a weak (low/informational) alert may attach to a cluster (also: session; IP with a shared account). */
const LEAF_KINDS = new Set<LinkKind>(['app', 'servicePrincipal', 'connector', 'transportRule', 'inboxRule', 'mailbox']);

/** Which link explains a membership best, strongest first. */
const KIND_PRIORITY: LinkKind[] = ['app', 'servicePrincipal', 'connector', 'transportRule', 'user', 'inboxRule', 'mailbox', 'session', 'domain', 'ip'];

export interface CorrelateContext {
  aliases: AliasResolver;
  /** why this IP may not link alerts (trusted, VPN, shared by many accounts), undefined when it may */
  ipVeto?: (ip: string) => string | undefined;
  /** why this app may not link alerts (a Microsoft client app, one many accounts sign in with) */
  appVeto?: (appId: string) => string | undefined;
  /** why this domain may not link alerts (the tenant's own domain: every mail alert names it) */
  domainVeto?: (domain: string) => string | undefined;
  horizons?: Partial<Horizons>;
}

export interface EntityKey {
  /** "<type>:<canonical id>" */
  key: string;
  kind: LinkKind;
  resolved: Resolved;
  /** what the alert called it */
  entity: Entity;
  horizon: number;
}

export interface Link {
  kind: LinkKind;
  key: EntityKey;
  withAlert: string;
  gapMs: number;
}

export interface Cluster {
  /** members by (firstSeen, id) */
  alerts: Alert[];
  /** alert id -> why it joined; the seed (first member) has none */
  links: Map<string, Link>;
  /** alert id -> its linkable keys (for scope and graph) */
  keys: Map<string, EntityKey[]>;
}

export interface Correlation {
  clusters: Cluster[];
  /** alerts in no incident, by (firstSeen, id) */
  unlinked: Alert[];
  /** IPs that were named by alerts but did not link, with the reason */
  vetoedIps: Map<string, string>;
}

const t = (s: string): number => Date.parse(s);

export const alertOrder = (a: Alert, b: Alert): number => t(a.firstSeen) - t(b.firstSeen) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Time between two alerts' [firstSeen, lastSeen] spans (0 when they overlap). */
export function gapBetween(a: Alert, b: Alert): number {
  return Math.max(0, t(b.firstSeen) - t(a.lastSeen), t(a.firstSeen) - t(b.lastSeen));
}

const isStrong = (a: Alert): boolean => severityRank(a.severity) >= severityRank('medium');

const tenantsCompatible = (a: Alert, b: Alert): boolean => a.tenant === b.tenant || a.tenant === 'unknown' || b.tenant === 'unknown';

function linkKindOf(type: EntityType): LinkKind | undefined {
  switch (type) {
    case 'app': case 'servicePrincipal': case 'connector': case 'transportRule': case 'inboxRule': case 'mailbox':
    case 'user': case 'domain': case 'session': case 'ip':
      return type;
    default:
      return undefined; // role, asn, device, tenant: shared by design
  }
}

/** The entities of an alert that may link it, canonicalised. */
export function keysOf(alert: Alert, ctx: CorrelateContext, vetoed?: Map<string, string>): EntityKey[] {
  const h = { ...DEFAULT_HORIZONS, ...ctx.horizons };
  const userTargets = alert.entities.filter((e) => e.type === 'user' && e.role === 'target').length;
  const out = new Map<string, EntityKey>();
  for (const e of alert.entities) {
    const resolved = ctx.aliases.resolve(e);
    const kind = linkKindOf(resolved.type);
    if (!kind || !resolved.id) continue;
    if (kind === 'app' && (AliasResolver.isMicrosoftResource(resolved.id) || ctx.appVeto?.(resolved.id))) continue;
    if (kind === 'domain' && ctx.domainVeto?.(resolved.id)) continue;
    if (kind === 'ip') {
      const why = ctx.ipVeto?.(resolved.id);
      if (why) {
        vetoed?.set(resolved.id, why);
        continue;
      }
    }
    const broad = kind === 'user' && e.role === 'target' && userTargets > BROAD_USERS;
    const horizon = broad ? h.broadUser : h[kind as keyof Horizons];
    const key = `${kind}:${resolved.id}`;
    const have = out.get(key);
    if (!have || have.horizon < horizon) out.set(key, { key, kind, resolved, entity: e, horizon });
  }
  return [...out.values()];
}

class UnionFind {
  private readonly p: number[];
  constructor(n: number) {
    this.p = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.p[i] !== i) {
      this.p[i] = this.p[this.p[i]!]!;
      i = this.p[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a), rb = this.find(b);
    // the smaller index (earlier alert) is the root: roots are deterministic
    if (ra !== rb) this.p[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

interface Posting {
  i: number; // index in the sorted alert list
  k: EntityKey;
}

export function correlate(input: readonly Alert[], ctx: CorrelateContext): Correlation {
  // one alert per id (the highest revision), in (firstSeen, id) order
  const byId = new Map<string, Alert>();
  for (const a of input) {
    const have = byId.get(a.id);
    if (!have || a.revision > have.revision) byId.set(a.id, a);
  }
  const alerts = [...byId.values()].sort(alertOrder);
  const vetoedIps = new Map<string, string>();
  const keys = alerts.map((a) => keysOf(a, ctx, vetoedIps));
  const strong = alerts.map(isStrong);

  // postings: key -> strong alerts naming it
  const index = new Map<string, Posting[]>();
  alerts.forEach((_, i) => {
    for (const k of keys[i]!) {
      let list = index.get(k.key);
      if (!list) index.set(k.key, (list = []));
      list.push({ i, k });
    }
  });

  expandRanges(index);

  const uf = new UnionFind(alerts.length);
  for (const postings of index.values()) {
    const st = postings.filter((p) => strong[p.i]);
    if (st.length < 2) continue;
    for (const group of tenantGroups(st, alerts)) sweep(group, alerts, uf);
  }

  // weak alerts attach as leaves to the best strong member they share an app/connector/rule/mailbox with, or a
  // session, or an address together with an account (the low legacy-protocol sign-in a minute before the mailbox
  // read from the same address: one person's two steps, where an address or account alone links too much)
  const userKeys = keys.map((ks) => new Set(ks.filter((k) => k.kind === 'user').map((k) => k.key)));
  const attach = new Map<number, { to: number; link: Link }>();
  alerts.forEach((a, i) => {
    if (strong[i]) return;
    let best: { to: number; link: Link } | undefined;
    for (const k of keys[i]!) {
      if (!LEAF_KINDS.has(k.kind) && k.kind !== 'session' && k.kind !== 'ip') continue;
      for (const p of index.get(k.key) ?? []) {
        if (!strong[p.i]) continue;
        if (k.kind === 'ip' && ![...userKeys[i]!].some((u) => userKeys[p.i]!.has(u))) continue;
        const b = alerts[p.i]!;
        if (!tenantsCompatible(a, b)) continue;
        const gap = gapBetween(a, b);
        if (gap > Math.min(k.horizon, p.k.horizon)) continue;
        const cand = { to: p.i, link: { kind: k.kind, key: k, withAlert: b.id, gapMs: gap } };
        if (!best || betterLink(cand.link, cand.to, best.link, best.to)) best = cand;
      }
    }
    if (best) attach.set(i, best);
  });

  // components
  const members = new Map<number, number[]>();
  alerts.forEach((_, i) => {
    const root = strong[i] ? uf.find(i) : attach.has(i) ? uf.find(attach.get(i)!.to) : i;
    let m = members.get(root);
    if (!m) members.set(root, (m = []));
    m.push(i);
  });

  const clusters: Cluster[] = [];
  const unlinked: Alert[] = [];
  for (const idxs of [...members.values()].sort((x, y) => x[0]! - y[0]!)) {
    idxs.sort((x, y) => x - y);
    const strongCount = idxs.filter((i) => strong[i]).length;
    const hasHigh = idxs.some((i) => strong[i] && severityRank(alerts[i]!.severity) >= severityRank('high'));
    if (!(hasHigh || strongCount >= 2)) {
      for (const i of idxs) unlinked.push(alerts[i]!);
      continue;
    }
    const inCluster = new Set(idxs);
    const links = new Map<string, Link>();
    const seed = idxs[0]!;
    for (const i of idxs) {
      if (i === seed) continue;
      const a = alerts[i]!;
      if (!strong[i]) {
        links.set(a.id, attach.get(i)!.link);
        continue;
      }
      const l = explain(i, alerts, keys, index, inCluster, strong);
      if (l) links.set(a.id, l);
    }
    const kmap = new Map<string, EntityKey[]>();
    for (const i of idxs) kmap.set(alerts[i]!.id, keys[i]!);
    clusters.push({ alerts: idxs.map((i) => alerts[i]!), links, keys: kmap });
  }
  unlinked.sort(alertOrder);
  return { clusters, unlinked, vetoedIps };
}

/** Address ranges considered at most (ranges are few: connectors' sender IPs). */
const MAX_RANGES = 200;

/**
 * An alert naming an address range (ip:203.0.113.0/24) also posts under every single address inside it that
 * another alert names, so the sweep links them like alerts naming the same address. Postings stay in alert order.
 */
function expandRanges(index: Map<string, Posting[]>): void {
  const ranges = [...index.keys()].filter((k) => k.startsWith('ip:') && k.includes('/')).slice(0, MAX_RANGES);
  if (!ranges.length) return;
  const singles = [...index.keys()].filter((k) => k.startsWith('ip:') && !k.includes('/'));
  for (const r of ranges) {
    const cidr = r.slice(3);
    for (const k of singles) {
      if (!inCidr(k.slice(3), cidr)) continue;
      const list = index.get(k)!;
      const have = new Set(list.map((p) => p.i));
      for (const p of index.get(r)!) if (!have.has(p.i)) list.push(p);
      list.sort((a, b) => a.i - b.i);
    }
  }
}

/** Split a key's postings so alerts of two known, different tenants never link ('unknown' joins each). */
function tenantGroups(ps: Posting[], alerts: Alert[]): Posting[][] {
  const known = [...new Set(ps.map((p) => alerts[p.i]!.tenant).filter((x) => x !== 'unknown'))];
  if (known.length <= 1) return [ps];
  return known.map((tn) => ps.filter((p) => alerts[p.i]!.tenant === tn || alerts[p.i]!.tenant === 'unknown'));
}

/**
 * Sweep in time order: an alert joins every open group holding a member whose span comes within the shorter of
 * the two horizons (pairwise semantics, so every union has a pair that explains it). Groups keep, per horizon
 * value, their latest lastSeen; a group no alert can reach any more is closed.
 */
function sweep(ps: Posting[], alerts: Alert[], uf: UnionFind): void {
  let open: { root: number; last: Map<number, number> }[] = [];
  for (const p of ps) {
    const a = alerts[p.i]!;
    const first = t(a.firstSeen), last = t(a.lastSeen);
    open = open.filter((g) => [...g.last].some(([h, l]) => first - l <= h));
    const joined = open.filter((g) => [...g.last].some(([h, l]) => first - l <= Math.min(h, p.k.horizon)));
    let into: { root: number; last: Map<number, number> };
    if (joined.length === 0) {
      into = { root: p.i, last: new Map() };
      open.push(into);
    } else {
      into = joined[0]!;
      uf.union(into.root, p.i);
      for (const g of joined.slice(1)) {
        uf.union(into.root, g.root);
        for (const [h, l] of g.last) into.last.set(h, Math.max(into.last.get(h) ?? -Infinity, l));
        open = open.filter((x) => x !== g);
      }
    }
    into.last.set(p.k.horizon, Math.max(into.last.get(p.k.horizon) ?? -Infinity, last));
  }
}

function betterLink(a: Link, ai: number, b: Link, bi: number): boolean {
  const ka = KIND_PRIORITY.indexOf(a.kind), kb = KIND_PRIORITY.indexOf(b.kind);
  if (ka !== kb) return ka < kb;
  if (a.gapMs !== b.gapMs) return a.gapMs < b.gapMs;
  return ai < bi;
}

/** Why member i belongs: its best link to an earlier member (else to any member), by kind, gap, order. */
function explain(
  i: number,
  alerts: Alert[],
  keys: EntityKey[][],
  index: Map<string, Posting[]>,
  inCluster: Set<number>,
  strong: boolean[],
): Link | undefined {
  const a = alerts[i]!;
  let best: { link: Link; j: number; earlier: boolean } | undefined;
  for (const k of keys[i]!) {
    const ps = index.get(k.key) ?? [];
    for (let n = 0; n < ps.length && n < 500; n++) {
      const p = ps[n]!;
      if (p.i === i || !inCluster.has(p.i) || !strong[p.i]) continue;
      const b = alerts[p.i]!;
      if (!tenantsCompatible(a, b)) continue;
      const gap = gapBetween(a, b);
      if (gap > Math.min(k.horizon, p.k.horizon)) continue;
      const link: Link = { kind: k.kind, key: k, withAlert: b.id, gapMs: gap };
      const earlier = p.i < i;
      if (!best || (earlier && !best.earlier) || (earlier === best.earlier && betterLink(link, p.i, best.link, best.j))) {
        best = { link, j: p.i, earlier };
      }
    }
  }
  return best?.link;
}
