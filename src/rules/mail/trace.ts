// Reading message-trace events (src/decoders/message-trace) for the outbound-mail rules: which messages left the
// tenant for outside recipients, through which connector, and whether Exchange Online Protection called them spam.
import type { Event } from '../../core/event.js';
import type { RuleContext } from '../../detect/spec.js';
import { domainOf, type DomainBasis } from './domains.js';

const str = (ev: Event, k: string): string | undefined => {
  const v = ev.details?.[k];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

export const senderDomainOf = (ev: Event): string | undefined => str(ev, 'senderDomain') ?? domainOf(ev.actor.user);
export const recipientOf = (ev: Event): string | undefined => ev.targets.find((t) => t.type === 'mailbox')?.name;
/** The connector the message came in through (historical / extended reports carry connector_id). */
export const connectorOf = (ev: Event): string | undefined => str(ev, 'connector');

/** Exchange Online Protection's own verdict on the message. */
export const spamVerdict = (ev: Event): boolean => /^(filteredasspam|quarantined)$/i.test(str(ev, 'status') ?? '');

/**
 * Who the tenant is, for message trace: configured domains, else the snapshot's accepted domains, else what the
 * record shows: the organization (the tenant's .onmicrosoft.com domain), the sender's domain when the decoder
 * established the message as sent by the tenant, and domains named like the tenant (contoso.com, contoso.co.uk for
 * contoso.onmicrosoft.com) — a guess the alerts label with basis 'event'.
 */
export function traceTenant(ev: Event, ctx: RuleContext, configured: readonly string[]): { isTenant: (d: string) => boolean; basis: DomainBasis } {
  const cfg = configured.map((d) => d.trim().toLowerCase()).filter(Boolean);
  const covers = (list: readonly string[], d: string) => list.some((x) => d === x || d.endsWith(`.${x}`));
  if (cfg.length) return { isTenant: (d) => covers(cfg, d), basis: 'config' };
  const accepted = ctx.enrich.isAcceptedDomain;
  if (accepted) return { isTenant: (d) => accepted(d) === true, basis: 'snapshot' };
  const org = str(ev, 'organization')?.toLowerCase();
  const own = [org, ev.details?.direction === 'outbound' ? senderDomainOf(ev) : undefined].filter((d): d is string => !!d);
  const label = org?.endsWith('.onmicrosoft.com') ? org.split('.')[0] : undefined;
  return { isTenant: (d) => covers(own, d) || (label !== undefined && d.split('.')[0] === label), basis: 'event' };
}

/**
 * Mail the tenant sent or relayed to a recipient outside its domains. A message the decoder could only call
 * "relayed" (both FromIP and ToIP, direction undecided) counts when its sender is the tenant's own domain, or when
 * the tenant's domains are known (config / snapshot): then a foreign sender to a foreign recipient went through the
 * tenant as a relay. Without that knowledge a foreign sender may just be inbound mail to a custom domain. A message
 * with no direction at all (filtered before a next hop) counts when the tenant's own domain sent it.
 */
export function outboundExternal(ev: Event, ctx: RuleContext, configured: readonly string[]): boolean {
  const dir = ev.details?.direction;
  const relayed = ev.details?.relayed === true;
  if (dir !== 'outbound' && dir !== 'unknown') return false;
  const rcpt = domainOf(recipientOf(ev));
  const sender = senderDomainOf(ev);
  if (!rcpt || !sender || rcpt === sender) return false;
  const judge = traceTenant(ev, ctx, configured);
  if (judge.isTenant(rcpt)) return false;
  if (dir === 'outbound') return true;
  // undecided and not relayed (filtered or failed before a next hop): outbound when the tenant's own domain sent it
  if (!relayed) return judge.isTenant(sender);
  return judge.isTenant(sender) || judge.basis !== 'event';
}
