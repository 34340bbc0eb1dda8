// TW-APP-001: an app is granted permissions, then gets a new secret or certificate soon after.
import type { Event } from '../../../core/event.js';
import { DAY, HOUR, humanDuration } from '../../../config/tunables.js';
import { sequence } from '../../../detect/spec.js';
import { appEntity, appKeyOf, appNameOf, entities, ipEntity, listSome, userEntity } from '../../lib.js';
import { defineRule } from '../../types.js';

/** Permissions that let an app act on the whole tenant's mail or directory (see docs and reference lists). */
const HIGH_RISK = [
  'Exchange.ManageAsApp', 'full_access_as_app', 'Mail.Send', 'Mail.ReadWrite', 'Mail.Read', 'EWS.AccessAsUser.All',
  'Directory.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'AppRoleAssignment.ReadWrite.All',
  'Application.ReadWrite.All', 'User.ReadWrite.All', 'Files.ReadWrite.All', 'SMTP.SendAsApp',
];

function permissionsOf(ev: Event): string[] {
  const p = ev.details?.permissions;
  return Array.isArray(p) ? p.filter((x): x is string => typeof x === 'string') : [];
}

const success = (ev: Event): boolean => ev.outcome === 'success';

/**
 * A grant that says what was granted. An app-only admin consent ("Consent to application" with IsAppOnly True)
 * logs its application permissions as separate "Add app role assignment to service principal" records and its
 * own ConsentAction.Permissions empty ("[] => []"): it adds nothing, and as the latest grant it would hide the
 * app role assignment that named the permission.
 */
function informativeGrant(ev: Event): boolean {
  if (!success(ev)) return false;
  return !(ev.action === 'consent.grant' && ev.details?.appOnly === true && permissionsOf(ev).length === 0);
}

export const consentThenCredential = defineRule({
  id: 'TW-APP-001',
  title: 'Credential added to an app soon after it was granted permissions',
  severity: 'high',
  tactics: ['persistence', 'privilege-escalation'],
  techniques: ['T1098', 'T1098.001', 'T1098.003'],
  description:
    'An app receives consent ("Consent to application") or an application permission ("Add app role assignment ' +
    'to service principal"), and within the window a new client secret or certificate is added to the same app ' +
    '(its application object or its service principal).',
  whyItMatters:
    'The 2022 campaign registered an app, granted it Exchange.ManageAsApp with admin consent, then added its own ' +
    'secret, so it kept access after the compromised admin changed password. Grant-then-secret on the same app ' +
    'is that persistence step. Severity: critical when a high-risk permission was granted, high when an app (not ' +
    'a person) added the credential, low otherwise (an administrator setting up an app with sign-in scopes looks ' +
    'the same; TW-APP-002 raises it when the actor\'s session was risky).',
  falsePositives: [
    'An administrator onboarding a new line-of-business app: grant and first secret the same afternoon. Check ' +
      'the actor, the change ticket, and whether the app is single-tenant and known.',
    'Automated secret rotation shortly after a permission change by the same deployment pipeline: exclude the ' +
      'pipeline identity by raising the bar (shorter window) or reviewing the app once.',
  ],
  references: [
    'https://attack.mitre.org/techniques/T1098/001/',
    'https://www.microsoft.com/en-us/security/blog/2022/09/22/malicious-oauth-applications-used-to-compromise-email-servers-and-spread-spam/',
  ],
  status: 'stable',
  inputs: { facts: ['directory.audit'], sources: ['entra.audit', 'ual'] },
  tunables: {
    within: { type: 'duration', default: DAY, min: HOUR, max: 30 * DAY, help: 'from the grant to the new credential' },
    highRiskPermissions: { type: 'string[]', default: HIGH_RISK, help: 'granted permissions that make the alert critical' },
  },
  suppressMs: DAY,
  detect: (t) => {
    const highRisk = new Set(t.highRiskPermissions.map((p) => p.toLowerCase()));
    const key = (ev: Event, ctx: { enrich: { isCollectorApp(a?: string): boolean } }) => {
      const k = appKeyOf(ev);
      return k && !ctx.enrich.isCollectorApp(k) ? k : undefined;
    };
    return sequence({
      steps: [
        { name: 'grant', on: { actions: ['consent.grant', 'approle.assign'], where: informativeGrant }, key },
        { name: 'credential', on: { actions: ['app.credential.add', 'sp.credential.add'], where: success }, key },
      ],
      withinMs: t.within,
      alert: (m) => {
        const grant = m.steps[0]!.event;
        const cred = m.steps[1]!.event;
        const perms = permissionsOf(grant);
        const risky = perms.filter((p) => highRisk.has(p.toLowerCase()));
        const name = appNameOf(grant) ?? appNameOf(cred);
        const grantWhat = grant.action === 'approle.assign' ? 'was assigned application permission' : 'was granted consent';
        let explanation =
          `App ${name ? `"${name}" ` : ''}(${m.key}) ${grantWhat}${perms.length ? ` ${listSome(perms)}` : ''}` +
          `${grant.actor.user ? ` by ${grant.actor.user}` : ''}, then a new credential was added` +
          `${cred.actor.user ? ` by ${cred.actor.user}` : ''} ${humanDuration(Math.max(m.elapsedMs, 1000))} later ` +
          `(window ${humanDuration(m.withinMs)}).`;
        const byApp = cred.actor.kind === 'app';
        if (risky.length) explanation += ` High-risk permission${risky.length > 1 ? 's' : ''}: ${listSome(risky)}.`;
        if (byApp) explanation += ` An app (${cred.actor.appName ?? cred.actor.appId ?? 'unknown'}) added the credential, not a person.`;
        if (!risky.length && !byApp) {
          explanation += ' No high-risk permission was granted and a person added the credential: rated low, as an administrator setting up an app looks the same.';
        }
        const spId = cred.targets.find((x) => x.type === 'servicePrincipal')?.id;
        return {
          title: `New credential on app ${name ?? m.key} after it was granted ${listSome(risky.length ? risky : perms.length ? perms : ['permissions'], 2)}`,
          severity: risky.length ? 'critical' : byApp ? 'high' : 'low',
          entities: entities(
            appEntity(m.key, { name, spId }),
            userEntity(grant, 'actor'),
            cred.actor.user !== grant.actor.user ? userEntity(cred, 'actor') : undefined,
            ipEntity(grant.actor.ip),
          ),
          explanation,
          facts: {
            minutesBetween: Math.round(m.elapsedMs / 600) / 100,
            windowHours: m.withinMs / HOUR,
            permissions: perms,
            highRiskPermissions: risky,
            grant: grant.operation,
            credential: cred.operation,
            credentialByApp: byApp,
          },
        };
      },
    });
  },
});
