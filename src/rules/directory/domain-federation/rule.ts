// TW-DOMAIN-001: a domain is switched to federated authentication, or its federation settings (issuer, signing
// certificate, sign-in URLs) are replaced.
import { DAY } from '../../../config/tunables.js';
import { iso, type Severity } from '../../../detect/alert.js';
import { match } from '../../../detect/spec.js';
import { entities, ipEntity, listSome } from '../../lib.js';
import { defineRule } from '../../types.js';
import { actorEntity, actorLabel, capitalize, domainOf, inList } from '../../app/oauth.js';
import { authenticationChange, federationProperties, isDefederation, isVagueUpdate, newIssuer } from '../federation.js';

export const domainFederation = defineRule({
  id: 'TW-DOMAIN-001',
  title: 'Domain federation or authentication changed',
  severity: 'high',
  tactics: ['defense-evasion', 'privilege-escalation', 'credential-access'],
  techniques: ['T1484', 'T1484.002', 'T1556', 'T1556.007', 'T1606.002'],
  description:
    'A domain is converted from managed to federated authentication ("Set domain authentication"), its federation ' +
    'settings are replaced ("Set federation settings on domain"), or an "Update domain" changes federation properties. ' +
    'Conversions back to managed (cloud) authentication are ignored.',
  whyItMatters:
    'Whoever controls the federation trust of a domain signs the tokens for every user in it: a new issuer or signing ' +
    'certificate lets an attacker sign in as anyone, with any MFA claim, without a password (the Golden SAML / ' +
    'AADInternals backdoor). Federation changes are rare and should always be explained.',
  falsePositives: [
    'Planned AD FS / third-party IdP work: token-signing certificate rollover or a new federated domain. List the ' +
      'accounts that do it (e.g. the hybrid identity admin) in expectedActors: their changes rate low instead of high.',
  ],
  references: ['https://attack.mitre.org/techniques/T1484/002/', 'https://learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-fed-management'],
  status: 'stable',
  inputs: { facts: ['directory.audit'], sources: ['entra.audit', 'ual'] },
  tunables: {
    expectedActors: { type: 'string[]', default: [], help: 'accounts (UPN or object id) or app ids that manage federation: their changes rate low' },
  },
  suppressMs: DAY,
  detect: (t) => {
    const expected = inList(t.expectedActors);
    return match({
      on: {
        actions: ['domain.federation.change'],
        sources: ['entra.audit', 'ual'],
        where: (ev) => ev.outcome === 'success' && !isDefederation(ev),
      },
      key: (ev) => domainOf(ev) ?? (ev.targets[0]?.name ?? ev.targets[0]?.id)?.toLowerCase(),
      alert: (m) => {
        const ev = m.event;
        const change = authenticationChange(ev);
        const props = federationProperties(ev).filter((p) => !/^(livetype|authenticationtype|authentication)$/i.test(p));
        const a = ev.actor;
        const known = [a.user, a.userId, a.appId].some((x) => x !== undefined && expected(x));
        const vague = isVagueUpdate(ev);
        let sev: Severity = known ? 'low' : vague ? 'medium' : 'high';
        if (!known && a.kind === 'app') sev = vague ? 'high' : 'critical';
        const issuer = newIssuer(ev);
        const what = change.to
          ? `authentication changed ${change.from ? `from ${change.from} ` : ''}to ${change.to}`
          : vague
            ? 'the record does not say which properties changed (rated one step lower)'
            : `federation settings changed${props.length ? ` (${listSome(props)})` : ''}`;
        const explanation =
          `${capitalize(actorLabel(ev))} made "${ev.operation}" on domain ${m.key} at ${iso(ev.time)}: ${what}` +
          `${issuer ? `; new issuer ${issuer}` : ''}. ` +
          (known
            ? 'The actor is listed in expectedActors, so it is rated low.'
            : `Rated ${sev}: federation changes decide who can sign tokens for every user in the domain${a.kind === 'app' ? ', and an app made this one' : ''}.`);
        return {
          title: vague ? `Domain ${m.key} updated (possibly its federation)` : `Federation changed on domain ${m.key}`,
          severity: sev,
          entities: entities({ type: 'domain', id: m.key, role: 'target' }, actorEntity(ev), ipEntity(a.ip)),
          explanation,
          facts: {
            domain: m.key,
            change: ev.operation,
            ...(change.from ? { from: change.from } : {}),
            ...(change.to ? { to: change.to } : {}),
            properties: props,
            ...(issuer ? { issuer } : {}),
            actorKind: a.kind,
            changedBy: a.user ?? a.appId ?? a.userId ?? 'unknown',
            expectedActor: known,
            propertiesKnown: !vague,
          },
        };
      },
    });
  },
});
