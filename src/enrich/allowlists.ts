// Enrichment from config alone: allowlists and privileged accounts. A tenant snapshot (role holders) and a
// geo/ASN database plug in through `extra` when they exist.
import { isIP } from 'node:net';
import type { Config } from '../config/config.js';
import { inCidr } from '../core/ip.js';
import { asnClassifier, defaultAsnName, type AsnKindLists } from './asn.js';
import type { Enrichment } from './types.js';

export interface EnrichmentExtras {
  /** more privileged accounts (lower-cased UPNs or object ids), e.g. from a tenant snapshot */
  privileged?: Iterable<string>;
  /** role holders with their role names, e.g. from a tenant snapshot (`privilegedFromSnapshot`): ids = object id, UPN, appId */
  roleHolders?: Iterable<{ ids: readonly string[]; roles: readonly string[] }>;
  geo?: Enrichment['geo'];
  asn?: Enrichment['asn'];
  asnName?: Enrichment['asnName'];
  /** more ASNs by kind (network tables); added to the built-in lists and allowlists.vpnAsns */
  asnKinds?: AsnKindLists;
  /** use the built-in VPN/SASE, hosting and mobile ASN lists (default true) */
  defaultAsnLists?: boolean;
  /** Get-InboundConnector objects from a tenant snapshot (src/posture exchangeFromSnapshot) */
  inboundConnectors?: readonly Readonly<Record<string, unknown>>[];
  /** accepted domain names from a tenant snapshot (Get-AcceptedDomain DomainName) */
  acceptedDomains?: readonly string[];
}

/** IP set with exact addresses in a Set and CIDRs checked in turn (lists are short: offices, egress NATs). */
class IpMatcher {
  private exact = new Set<string>();
  private cidrs: string[] = [];
  add(entry: string): void {
    if (entry.includes('/')) this.cidrs.push(entry);
    else this.exact.add(entry.toLowerCase());
  }
  get empty(): boolean {
    return this.exact.size === 0 && this.cidrs.length === 0;
  }
  // addresses repeat (every rule asks for every sign-in): the CIDR walk's answers are remembered (bounded)
  private memo = new Map<string, boolean>();
  has(ip: string): boolean {
    if (this.exact.size === 0 && this.cidrs.length === 0) return false;
    let r = this.memo.get(ip);
    if (r === undefined) {
      r = this.exact.has(ip.toLowerCase()) || this.cidrs.some((c) => inCidr(ip, c));
      if (this.memo.size >= 50_000) this.memo.clear();
      this.memo.set(ip, r);
    }
    return r;
  }
}

export function createEnrichment(config: Config, extra: EnrichmentExtras = {}): Enrichment {
  const configured = new Set(config.privilegedAccounts.map((a) => a.toLowerCase()));
  const privileged = new Set(configured);
  for (const p of extra.privileged ?? []) privileged.add(p.toLowerCase());
  const snapshotRoles = new Map<string, string[]>();
  for (const h of extra.roleHolders ?? []) {
    for (const id of h.ids) {
      const k = id.toLowerCase();
      privileged.add(k);
      snapshotRoles.set(k, [...new Set([...(snapshotRoles.get(k) ?? []), ...h.roles])]);
    }
  }
  const breakGlass = new Set(config.allowlists.breakGlass.map((a) => a.toLowerCase()));
  const trusted = new IpMatcher();
  for (const c of config.allowlists.trustedIps) trusted.add(c);
  const locations = config.allowlists.namedLocations.map((n) => {
    const m = new IpMatcher();
    for (const c of n.cidrs) m.add(c);
    return { name: n.name, trusted: n.trusted, m };
  });
  const anyTrustedLocation = locations.some((l) => l.trusted && !l.m.empty);
  const vpn = new Set(config.allowlists.vpnAsns);
  const collector = config.allowlists.collectorAppId?.toLowerCase();
  const either = (set: Set<string>, user?: string, userId?: string): boolean =>
    (user !== undefined && set.has(user.toLowerCase())) || (userId !== undefined && set.has(userId.toLowerCase()));

  const e: Enrichment = {
    isPrivileged: (user, userId) => either(privileged, user, userId),
    privilegeOf: (user, userId) => {
      if (!either(privileged, user, userId)) return undefined;
      const from: ('config' | 'snapshot')[] = [];
      if (either(configured, user, userId)) from.push('config');
      const roles = [user, userId].flatMap((x) => (x ? (snapshotRoles.get(x.toLowerCase()) ?? []) : []));
      if (roles.length || !from.length) from.push('snapshot');
      return { roles: [...new Set(roles)], from };
    },
    knowsPrivileged: () => privileged.size > 0,
    isBreakGlass: (user, userId) => either(breakGlass, user, userId),
    isTrustedIp: (ip) => {
      if (!ip || (trusted.empty && !anyTrustedLocation) || !isIP(ip)) return false;
      if (trusted.has(ip)) return true;
      return locations.some((l) => l.trusted && l.m.has(ip));
    },
    namedLocation: (ip) => (ip && isIP(ip) ? locations.find((l) => l.m.has(ip))?.name : undefined),
    isVpnAsn: (asn) => asn !== undefined && vpn.has(asn),
    isCollectorApp: (appId) => appId !== undefined && collector !== undefined && appId.toLowerCase() === collector,
  };
  if (extra.geo) e.geo = extra.geo;
  if (extra.asn) e.asn = extra.asn;
  // the organisation's own VPN / SASE ASNs are VPN egress too: their addresses say nothing about the user's place
  const kinds = extra.asnKinds ?? {};
  e.asnKind = asnClassifier(
    { vpn: [...config.allowlists.vpnAsns, ...(kinds.vpn ?? [])], hosting: kinds.hosting, mobile: kinds.mobile },
    extra.defaultAsnLists !== false,
  );
  const names = extra.asnName;
  e.asnName = (asn) => names?.(asn) ?? defaultAsnName(asn);
  if (extra.inboundConnectors) {
    const byName = new Map<string, Readonly<Record<string, unknown>>>();
    for (const c of extra.inboundConnectors) {
      for (const k of ['Name', 'Identity', 'Guid', 'ExchangeObjectId']) {
        const v = c[k];
        if (typeof v === 'string' && v.trim() && !byName.has(v.trim().toLowerCase())) byName.set(v.trim().toLowerCase(), c);
      }
    }
    e.inboundConnector = (name) => byName.get(name.trim().toLowerCase());
  }
  if (extra.acceptedDomains) {
    const domains = new Set(extra.acceptedDomains.map((d) => d.trim().toLowerCase().replace(/\.$/, '')).filter(Boolean));
    e.isAcceptedDomain = (domain) => {
      // an accepted domain also covers its subdomains here (mail.contoso.com is the tenant's when contoso.com is)
      for (let d = domain.trim().toLowerCase(); d.includes('.'); d = d.slice(d.indexOf('.') + 1)) if (domains.has(d)) return true;
      return false;
    };
  }
  return e;
}
