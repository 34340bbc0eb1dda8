// Enrichment from config alone: allowlists and privileged accounts. A tenant snapshot (role holders) and a
// geo/ASN database plug in through `extra` when they exist.
import { isIP } from 'node:net';
import type { Config } from '../config/config.js';
import { inCidr } from '../core/ip.js';
import type { Enrichment } from './types.js';

export interface EnrichmentExtras {
  /** more privileged accounts (lower-cased UPNs or object ids), e.g. from a tenant snapshot */
  privileged?: Iterable<string>;
  geo?: Enrichment['geo'];
  asn?: Enrichment['asn'];
}

/** IP set with exact addresses in a Set and CIDRs checked in turn (lists are short: offices, egress NATs). */
class IpMatcher {
  private exact = new Set<string>();
  private cidrs: string[] = [];
  add(entry: string): void {
    if (entry.includes('/')) this.cidrs.push(entry);
    else this.exact.add(entry.toLowerCase());
  }
  has(ip: string): boolean {
    if (this.exact.has(ip.toLowerCase())) return true;
    for (const c of this.cidrs) if (inCidr(ip, c)) return true;
    return false;
  }
}

export function createEnrichment(config: Config, extra: EnrichmentExtras = {}): Enrichment {
  const privileged = new Set(config.privilegedAccounts.map((a) => a.toLowerCase()));
  for (const p of extra.privileged ?? []) privileged.add(p.toLowerCase());
  const breakGlass = new Set(config.allowlists.breakGlass.map((a) => a.toLowerCase()));
  const trusted = new IpMatcher();
  for (const c of config.allowlists.trustedIps) trusted.add(c);
  const locations = config.allowlists.namedLocations.map((n) => {
    const m = new IpMatcher();
    for (const c of n.cidrs) m.add(c);
    return { name: n.name, trusted: n.trusted, m };
  });
  const vpn = new Set(config.allowlists.vpnAsns);
  const collector = config.allowlists.collectorAppId?.toLowerCase();
  const either = (set: Set<string>, user?: string, userId?: string): boolean =>
    (user !== undefined && set.has(user.toLowerCase())) || (userId !== undefined && set.has(userId.toLowerCase()));

  const e: Enrichment = {
    isPrivileged: (user, userId) => either(privileged, user, userId),
    isBreakGlass: (user, userId) => either(breakGlass, user, userId),
    isTrustedIp: (ip) => {
      if (!ip || !isIP(ip)) return false;
      if (trusted.has(ip)) return true;
      return locations.some((l) => l.trusted && l.m.has(ip));
    },
    namedLocation: (ip) => (ip && isIP(ip) ? locations.find((l) => l.m.has(ip))?.name : undefined),
    isVpnAsn: (asn) => asn !== undefined && vpn.has(asn),
    isCollectorApp: (appId) => appId !== undefined && collector !== undefined && appId.toLowerCase() === collector,
  };
  if (extra.geo) e.geo = extra.geo;
  if (extra.asn) e.asn = extra.asn;
  return e;
}
