// Correlation for watch: the alerts of a commit join the stored alerts close enough in time (the longest link
// horizon) and whole stored incidents they touch; clusters holding a new alert become incidents, reconciled with
// what the store holds (revision counts, merge tombstones) exactly as a hunt does. Runs inside the commit's
// transaction, so incidents never lag behind the alerts they are made of.
import { correlate, MAX_HORIZON_MS } from '../correlate/correlate.js';
import { buildIncident } from '../correlate/incident.js';
import type { EntityMemory } from '../correlate/memory.js';
import { MICROSOFT_CLIENT_APPS } from '../correlate/microsoft-apps.js';
import type { Alert } from '../detect/alert.js';
import type { Enrichment } from '../enrich/types.js';
import { reconcile } from '../hunt/hunt.js';
import type { MergedIncident } from '../report/types.js';
import type { Store } from '../store/store.js';

const iso = (ms: number) => new Date(ms).toISOString();

export interface WatchCorrelation {
  store: Store;
  memory: EntityMemory;
  enrich: Enrichment;
  runId: string;
  now: number;
}

/** Correlate `fresh` (this commit's alerts, already saved) and save the incidents they are in. Returns their ids. */
export function correlateIntoStore(fresh: readonly Alert[], c: WatchCorrelation): string[] {
  if (!fresh.length) return [];
  const latest = new Map<string, Alert>();
  for (const a of fresh) if ((latest.get(a.id)?.revision ?? 0) <= a.revision) latest.set(a.id, a);
  const mine = [...latest.values()];
  const lo = Math.min(...mine.map((a) => Date.parse(a.firstSeen))) - MAX_HORIZON_MS;
  const hi = Math.max(...mine.map((a) => Date.parse(a.lastSeen))) + MAX_HORIZON_MS;
  const pool = new Map<string, Alert>(c.store.alertsNear(iso(lo), iso(hi)).map((a) => [a.id, a]));
  for (const a of mine) pool.set(a.id, a);
  // whole stored incidents: members older than the window still belong to the incident they are in
  const more = new Set<string>();
  for (const s of c.store.incidentsWithAlerts([...pool.keys()])) {
    if (s.mergedInto) continue;
    for (const id of s.incident.alerts) if (!pool.has(id)) more.add(id);
  }
  for (const a of c.store.alertsByIds([...more].slice(0, 5000), false)) pool.set(a.id, a);

  const { enrich, memory } = c;
  const ipVeto = (ip: string): string | undefined => {
    if (enrich.isTrustedIp(ip)) return 'a trusted network in the config';
    const asn = memory.asnOf(ip) ?? enrich.asn?.(ip);
    if (asn !== undefined && enrich.isVpnAsn(asn)) return `a VPN/SASE network (AS${asn}) in the config`;
    if (asn !== undefined && enrich.asnKind?.(asn) === 'vpn') return `a VPN/SASE egress network (AS${asn})`;
    if (memory.isSharedIp(ip)) return `shared: ${memory.usersOfIp(ip)}+ accounts signed in from it (egress NAT, proxy or SASE)`;
    return undefined;
  };
  const appVeto = (appId: string): string | undefined => {
    const ms = MICROSOFT_CLIENT_APPS.get(appId.toLowerCase());
    if (ms) return `a Microsoft client app (${ms})`;
    if (memory.isSharedApp(appId)) return 'a client app many accounts sign in with';
    return undefined;
  };
  const domainVeto = (domain: string): string | undefined => (memory.isTenantDomain(domain) ? "one of the tenant's own domains" : undefined);
  const corr = correlate([...pool.values()], { aliases: memory.aliases, ipVeto, appVeto, domainVeto });
  const clusters = corr.clusters.filter((cl) => cl.alerts.some((a) => latest.has(a.id)));
  const merged: MergedIncident[] = [];
  const mergedAt = iso(c.now);
  const incidents = clusters.map((cl) => {
    const inc = buildIncident(cl, { memory, enrich, ipVeto, appVeto });
    reconcile(inc, c.store, merged, mergedAt);
    return inc;
  });
  if (incidents.length) c.store.saveIncidents(incidents, merged, c.runId);
  return incidents.map((i) => i.id);
}
