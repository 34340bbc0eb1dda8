// What rules may ask about the tenant beyond the event itself: who is privileged, which networks and accounts
// are expected. Rules read it through `ctx.enrich`; it is a pure lookup (no I/O at call time), built once
// before detection from config (src/enrich/allowlists.ts) and, later, from a tenant snapshot (roles, named
// locations) and a geo/ASN database.
import type { Geo } from '../core/event.js';
import type { AsnKind } from './asn.js';

export type { AsnKind };

/** Why an account counts as privileged, for explanations. */
export interface Privilege {
  /** role names when known (config entries name none) */
  roles: string[];
  /** where it was learned: config privilegedAccounts, a tenant snapshot, role-assignment audit events */
  from: ('config' | 'snapshot' | 'audit')[];
}

export interface Enrichment {
  /** Holds (or held during the input's time range) a privileged directory role, or is listed in config. */
  isPrivileged(user?: string, userId?: string): boolean;
  /** The roles and the source behind isPrivileged, when it says true (optional: older enrichments lack it). */
  privilegeOf?(user?: string, userId?: string): Privilege | undefined;
  /**
   * Whether any knowledge of privileged accounts exists (config, snapshot or learned role assignments). Without
   * it, isPrivileged() === false means "unknown", not "not an admin" (optional: absent = unknown).
   */
  knowsPrivileged?(): boolean;
  /** Break-glass (emergency access) accounts: expected to sign in rarely, without MFA, from anywhere. */
  isBreakGlass(user?: string, userId?: string): boolean;
  /** Inside a configured trusted CIDR (offices, egress NAT) or a named location marked trusted. */
  isTrustedIp(ip?: string): boolean;
  /** The name of the configured named location containing the IP, if any. */
  namedLocation(ip?: string): string | undefined;
  /** The ASN belongs to the organisation's VPN / SASE / secure web gateway providers. */
  isVpnAsn(asn?: number): boolean;
  /** tenantwatch's own collector app (its sign-ins and reads are expected). */
  isCollectorApp(appId?: string): boolean;
  /** Geo for an IP from a database (Geo.from = 'db'); undefined when no database is loaded. */
  geo?(ip: string): Geo | undefined;
  /** ASN for an IP from a database; undefined when unknown. */
  asn?(ip: string): number | undefined;
  /**
   * What kind of network an ASN is: 'vpn' (VPN / SASE / secure web gateway egress: the address is no location),
   * 'hosting' (cloud and rented servers), 'mobile' (carrier-grade NAT, coarse geolocation). Built-in lists
   * (src/enrich/asn.ts) plus allowlists.vpnAsns and network tables; undefined for anything else.
   */
  asnKind?(asn?: number): AsnKind | undefined;
  /** The registered name of an ASN, when a database or the built-in lists know it. */
  asnName?(asn: number): string | undefined;
  /**
   * The display name a record of the input (or the snapshot, or an earlier hunt) gave the app behind an appId,
   * service principal id or application object id, as learned so far; attacker-chosen, so for words only.
   */
  appName?(id: string): string | undefined;
  /**
   * The inbound connector as the tenant snapshot's Get-InboundConnector shows it (state at collection time),
   * looked up by Name or Identity, case-insensitively; undefined without a snapshot or when it is not there.
   */
  inboundConnector?(name: string): Readonly<Record<string, unknown>> | undefined;
  /**
   * Whether the domain (or a parent of it) is one of the tenant's accepted domains (snapshot Get-AcceptedDomain);
   * undefined when tenantwatch does not know the tenant's domains.
   */
  isAcceptedDomain?(domain: string): boolean | undefined;
}

/** Answers "nothing is known": no account is privileged, no network trusted. */
export const EMPTY_ENRICHMENT: Enrichment = {
  isPrivileged: () => false,
  privilegeOf: () => undefined,
  knowsPrivileged: () => false,
  isBreakGlass: () => false,
  isTrustedIp: () => false,
  namedLocation: () => undefined,
  isVpnAsn: () => false,
  isCollectorApp: () => false,
};
