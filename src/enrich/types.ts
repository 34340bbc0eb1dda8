// What rules may ask about the tenant beyond the event itself: who is privileged, which networks and accounts
// are expected. Rules read it through `ctx.enrich`; it is a pure lookup (no I/O at call time), built once
// before detection from config (src/enrich/allowlists.ts) and, later, from a tenant snapshot (roles, named
// locations) and a geo/ASN database.
import type { Geo } from '../core/event.js';

export interface Enrichment {
  /** Holds (or held during the input's time range) a privileged directory role, or is listed in config. */
  isPrivileged(user?: string, userId?: string): boolean;
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
}

/** Answers "nothing is known": no account is privileged, no network trusted. */
export const EMPTY_ENRICHMENT: Enrichment = {
  isPrivileged: () => false,
  isBreakGlass: () => false,
  isTrustedIp: () => false,
  namedLocation: () => undefined,
  isVpnAsn: () => false,
  isCollectorApp: () => false,
};
