// Is a mail domain the tenant's own? In order of trust: the rule's `tenantDomains` tunable (config), the tenant
// snapshot's accepted domains (Get-AcceptedDomain through ctx.enrich), else what the event itself reveals: the
// acting user's and the mailbox owner's UPN domains and the organization name (contoso.onmicrosoft.com). The
// fallback can call a second accepted domain "external"; alerts say which basis they used.
import type { Event } from '../../core/event.js';
import type { RuleContext } from '../../detect/spec.js';

export type DomainBasis = 'config' | 'snapshot' | 'event';

export interface DomainJudge {
  isTenant(domain: string): boolean;
  basis: DomainBasis;
  /** the domains the event fallback used (empty for config/snapshot) */
  known: string[];
}

export const domainOf = (address: string | undefined): string | undefined => {
  if (!address) return undefined;
  const at = address.lastIndexOf('@');
  return at >= 0 && at < address.length - 1 ? address.slice(at + 1).trim().toLowerCase().replace(/>$/, '') : undefined;
};

const covers = (domains: readonly string[], d: string): boolean => domains.some((x) => d === x || d.endsWith(`.${x}`));

export function tenantDomains(ev: Event, ctx: RuleContext, configured: readonly string[]): DomainJudge {
  const cfg = configured.map((d) => d.trim().toLowerCase()).filter(Boolean);
  if (cfg.length) return { isTenant: (d) => covers(cfg, d.toLowerCase()), basis: 'config', known: [] };
  const accepted = ctx.enrich.isAcceptedDomain;
  if (accepted) return { isTenant: (d) => accepted(d) === true, basis: 'snapshot', known: [] };
  const known = new Set<string>();
  const add = (d: string | undefined) => {
    if (d) known.add(d);
  };
  add(domainOf(ev.actor.user));
  // message-trace mailbox targets are recipients, anyone's: only audit records name the tenant's own mailboxes
  if (ev.source !== 'exchange.messagetrace') for (const t of ev.targets) if (t.type === 'mailbox' || t.type === 'user') add(domainOf(t.name));
  for (const k of ['organizationName', 'organization']) {
    const v = ev.details?.[k];
    if (typeof v === 'string' && v.includes('.')) add(v.trim().toLowerCase());
  }
  const list = [...known];
  return { isTenant: (d) => covers(list, d.toLowerCase()), basis: 'event', known: list };
}
