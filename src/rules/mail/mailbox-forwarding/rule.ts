// TW-MAIL-002: mailbox-level forwarding (Set-Mailbox -ForwardingSmtpAddress / -ForwardingAddress) to outside.
import { HOUR } from '../../../config/tunables.js';
import { iso, type Entity, type Severity } from '../../../detect/alert.js';
import { match } from '../../../detect/spec.js';
import { isObject } from '../../../core/json.js';
import { entities, mailboxOwnership } from '../../lib.js';
import { defineRule } from '../../types.js';
import { actorEntities, actorWords } from '../../exchange/lib.js';
import { paramsOf, paramText, toBool } from '../../exchange/params.js';
import { domainOf, tenantDomains } from '../domains.js';

const address = (v: string | undefined): string | undefined => {
  const s = v?.trim().replace(/^smtp:/i, '').toLowerCase();
  return s && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? s : undefined;
};

export const mailboxForwarding = defineRule({
  id: 'TW-MAIL-002',
  title: 'Mailbox forwarding to an outside address',
  severity: 'high',
  tactics: ['collection'],
  techniques: ['T1114', 'T1114.003'],
  description:
    'Set-Mailbox sets ForwardingSmtpAddress (or ForwardingAddress) to an address outside the tenant\'s domains. ' +
    'Critical when DeliverToMailboxAndForward is $false (no copy stays in the mailbox) or an app made the change; ' +
    'a ForwardingAddress that names a directory object rather than an address is medium until resolved.',
  whyItMatters:
    'Mailbox forwarding copies every message to the attacker without an inbox rule the user could see in Outlook; ' +
    'with DeliverToMailboxAndForward $false the owner does not even get the mail.',
  falsePositives: [
    'Leavers\' mailboxes forwarded to a manager at a subsidiary on another domain: list the subsidiary\'s domains in ' +
      'tenantDomains (or provide a snapshot with accepted domains).',
    'Forwarding to a partner by agreement: confirm the ticket; outbound spam policy usually blocks automatic external forwarding anyway.',
  ],
  references: ['https://learn.microsoft.com/powershell/module/exchangepowershell/set-mailbox', 'https://attack.mitre.org/techniques/T1114/003/'],
  status: 'stable',
  inputs: { facts: ['exchange.admin'], sources: ['ual'] },
  tunables: {
    tenantDomains: { type: 'string[]', default: [], help: "the tenant's mail domains (else the snapshot's accepted domains, else the mailbox's and actor's domains)" },
  },
  suppressMs: HOUR,
  detect: (t) =>
    match({
      on: { actions: ['mailbox.forwarding.set'], sources: ['ual'], where: (ev) => ev.outcome === 'success' && ev.actor.kind !== 'system' },
      key: (ev) => (ev.targets.find((x) => x.type === 'mailbox')?.name ?? paramText(paramsOf(ev), 'Identity') ?? 'unknown').toLowerCase(),
      alert: (m, ctx) => {
        const ev = m.event;
        const p = paramsOf(ev);
        const fwd = isObject(ev.details?.forwarding) ? ev.details!.forwarding : {};
        const smtpRaw = typeof fwd.smtpAddress === 'string' ? fwd.smtpAddress : paramText(p, 'ForwardingSmtpAddress');
        const objRaw = typeof fwd.address === 'string' ? fwd.address : paramText(p, 'ForwardingAddress');
        const smtp = address(smtpRaw);
        const objAddr = address(objRaw);
        const target = smtp ?? objAddr;
        const unresolved = !target && objRaw ? objRaw : undefined;
        if (!target && !unresolved) return undefined; // forwarding cleared, or only DeliverToMailboxAndForward changed
        const domains = tenantDomains(ev, ctx, t.tenantDomains);
        const domain = domainOf(target);
        const judged = domains.basis !== 'event' || domains.known.length > 0;
        const external = judged && domain !== undefined && !domains.isTenant(domain);
        if (target && judged && !external) return undefined;
        const keep = toBool(paramText(p, 'DeliverToMailboxAndForward'));
        const owns = mailboxOwnership(ev.actor.user, m.key);
        // an alias or path the actor owns is the actor's mailbox: name it by the UPN, so it joins the user
        const mailbox = owns === 'owner' && !m.key.includes('@') ? ev.actor.user!.toLowerCase() : m.key;
        let severity: Severity = unresolved || !judged ? 'medium' : 'high';
        if (external && (keep === false || ev.actor.kind === 'app')) severity = 'critical';
        let explanation =
          `Mailbox ${mailbox} was set at ${iso(ev.time)} by ${actorWords(ev)}${ev.actor.ip ? ` from ${ev.actor.ip}` : ''} to forward all its mail to ` +
          `${target ?? `directory recipient "${unresolved}"`}${external ? ` (outside ${domains.basis === 'config' ? 'tenantDomains' : domains.basis === 'snapshot' ? "the tenant's accepted domains" : domains.known.join(', ') || 'the known domains'})` : ''}.`;
        explanation +=
          keep === false ? ' DeliverToMailboxAndForward is $false: no copy stays in the mailbox.'
          : keep === true ? ' A copy stays in the mailbox (DeliverToMailboxAndForward $true).'
          : ' DeliverToMailboxAndForward was not passed (its default $false keeps no copy, unless set earlier).';
        if (unresolved) explanation += ' ForwardingAddress names a directory object (a mail contact can point outside): resolve it.';
        if (target && !judged) explanation += " The tenant's domains are unknown (no tenantDomains, snapshot or UPN domain): whether it leaves the tenant is not decided.";
        if (owns === 'other') explanation += ` Set by ${ev.actor.user}, not the mailbox owner.`;
        else if (owns === 'unknown' && ev.actor.user) explanation += ` The record names the mailbox as "${m.key}", which does not say whether ${ev.actor.user} owns it.`;
        if (ev.actor.kind === 'app') explanation += ' An app (not a person) made the change.';
        return {
          title: `Mailbox ${mailbox} forwards to ${target ?? unresolved}`,
          severity,
          entities: entities(
            { type: 'mailbox', id: mailbox, role: 'target' },
            mailbox.includes('@') ? ({ type: 'user', id: mailbox, role: 'target' } satisfies Entity) : undefined,
            ...actorEntities(ev),
            domain && external ? ({ type: 'domain', id: domain, role: 'target' } satisfies Entity) : undefined,
          ),
          explanation,
          facts: {
            mailbox,
            forwardTo: target ?? unresolved ?? '',
            external,
            keepsCopy: keep === undefined ? 'not passed' : keep,
            domainBasis: domains.basis,
            actorKind: ev.actor.kind,
            setBy: owns,
          },
        };
      },
    }),
});
