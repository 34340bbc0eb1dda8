// TW-DOMAIN-002: a domain is added (or verified) and then federated soon after — an attacker-owned domain set up as
// an identity provider backdoor for the tenant.
import type { Event } from '../../../core/event.js';
import { DAY, HOUR, humanDuration } from '../../../config/tunables.js';
import { iso } from '../../../detect/alert.js';
import { sequence } from '../../../detect/spec.js';
import { entities, ipEntity } from '../../lib.js';
import { defineRule } from '../../types.js';
import { actorEntity, actorLabel, domainOf } from '../../app/oauth.js';
import { isDefederation, isVagueUpdate, newIssuer } from '../federation.js';

/** "Verify domain", or an "Update domain" whose changed property is IsVerified. */
function isVerification(ev: Event): boolean {
  if (/verif/i.test(ev.operation)) return true;
  return ev.targets.some((t) => Object.entries(t.modified ?? {}).some(([k, v]) => /isverified/i.test(k) || (k === 'Included Updated Properties' && /isverified/i.test(JSON.stringify(v.new)))));
}

const ok = (ev: Event): boolean => ev.outcome === 'success';

export const newDomainFederated = defineRule({
  id: 'TW-DOMAIN-002',
  title: 'New domain added and federated',
  severity: 'critical',
  tactics: ['persistence', 'defense-evasion', 'privilege-escalation'],
  techniques: ['T1484', 'T1484.002', 'T1556', 'T1556.007'],
  description:
    'A domain is added to the tenant or verified, and within the window the same domain is switched to federated ' +
    'authentication or given federation settings.',
  whyItMatters:
    'Adding a domain the attacker owns, verifying it with a DNS record and federating it to their own identity ' +
    'provider gives them a sign-in path for accounts in that domain (and, with immutable-id tricks, for others) that ' +
    'no password reset or MFA registration removes. Legitimate federated domains are added rarely and with a plan.',
  falsePositives: [
    'Onboarding a newly acquired company into an existing AD FS / third-party IdP: confirm the change request and that ' +
      'the issuer is your own federation service.',
  ],
  references: ['https://attack.mitre.org/techniques/T1484/002/', 'https://o365blog.com/post/aadbackdoor/'],
  status: 'stable',
  inputs: { facts: ['directory.audit'], sources: ['entra.audit', 'ual'] },
  tunables: {
    within: { type: 'duration', default: 7 * DAY, min: HOUR, max: 90 * DAY, help: 'from the domain being added or verified to its federation' },
  },
  suppressMs: DAY,
  detect: (t) =>
    sequence({
      steps: [
        {
          name: 'domain added or verified',
          on: { actions: ['domain.add', 'domain.update'], sources: ['entra.audit', 'ual'], where: (ev) => ok(ev) && (ev.action === 'domain.add' || isVerification(ev)) },
          key: domainOf,
        },
        {
          name: 'domain federated',
          // an "Update domain" that names no property is not evidence of federation (setting email services looks the same)
          on: { actions: ['domain.federation.change'], sources: ['entra.audit', 'ual'], where: (ev) => ok(ev) && !isDefederation(ev) && !isVagueUpdate(ev) },
          key: domainOf,
        },
      ],
      withinMs: t.within,
      alert: (m) => {
        const added = m.steps[0]!.event;
        const fed = m.steps[1]!.event;
        const issuer = newIssuer(fed);
        const explanation =
          `Domain ${m.key} was ${added.action === 'domain.add' ? 'added' : 'verified'} ("${added.operation}") by ${actorLabel(added)} at ` +
          `${iso(added.time)}, then federated ("${fed.operation}") by ${actorLabel(fed)} ${humanDuration(Math.max(m.elapsedMs, 1000))} later ` +
          `(window ${humanDuration(m.withinMs)})${issuer ? `; issuer ${issuer}` : ''}.`;
        return {
          title: `New domain ${m.key} federated ${humanDuration(Math.max(m.elapsedMs, 1000))} after it was ${added.action === 'domain.add' ? 'added' : 'verified'}`,
          entities: entities({ type: 'domain', id: m.key, role: 'target' }, actorEntity(added), fed.actor.user !== added.actor.user ? actorEntity(fed) : undefined, ipEntity(added.actor.ip)),
          explanation,
          facts: {
            domain: m.key,
            hoursBetween: Math.round((m.elapsedMs / HOUR) * 100) / 100,
            windowDays: m.withinMs / DAY,
            added: added.operation,
            federated: fed.operation,
            ...(issuer ? { issuer } : {}),
          },
        };
      },
    }),
});
