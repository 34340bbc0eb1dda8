// TW-APP-004: an application permission that can take over Exchange, the mailboxes or the directory is granted.
import type { Event } from '../../../core/event.js';
import { DAY } from '../../../config/tunables.js';
import type { Severity } from '../../../detect/alert.js';
import { match, type RuleContext } from '../../../detect/spec.js';
import { appEntity, appKeyOf, entities, ipEntity, listSome } from '../../lib.js';
import { defineRule } from '../../types.js';
import { HIGH_PRIVILEGE_APP_PERMISSIONS, actorEntity, actorLabel, appRef, grantedPermissions, inList, involvesCollector, permissionKind, raise } from '../oauth.js';

const KIND_WORDS = {
  'exchange-admin': 'run Exchange Online admin cmdlets (connectors, transport rules) as the app',
  mailbox: 'read or send mail in every mailbox',
  'directory-write': 'rewrite the directory: grant itself roles, permissions or other apps\u2019 credentials',
} as const;

/** An application (app-only) grant: an app role assignment, or an admin consent recorded as app-only. */
function isAppGrant(ev: Event): boolean {
  if (ev.outcome !== 'success') return false;
  if (ev.action === 'approle.assign') return true;
  return ev.action === 'consent.grant' && ev.details?.appOnly === true;
}

export const highPrivilegePermission = defineRule({
  id: 'TW-APP-004',
  title: 'High-privilege application permission granted to an app',
  severity: 'high',
  tactics: ['privilege-escalation', 'persistence'],
  techniques: ['T1098', 'T1098.003'],
  description:
    'An app is granted an application permission (app role) that acts on the whole tenant without a signed-in user: ' +
    'Exchange.ManageAsApp(V2), full_access_as_app, Mail.Send, Mail.ReadWrite, SMTP.SendAsApp, Directory.ReadWrite.All, ' +
    'RoleManagement.ReadWrite.Directory, AppRoleAssignment.ReadWrite.All or Application.ReadWrite.All, matched by ' +
    'AppRole.Value and, when the record has only the id, by app role id.',
  whyItMatters:
    'In the 2022 campaign the attacker granted its app Exchange.ManageAsApp with admin consent: with an Exchange role ' +
    'that is enough to create the inbound connector and the header-stripping transport rules. The directory-write ' +
    'permissions are one step from Global Administrator; the mail permissions read or send every mailbox.',
  falsePositives: [
    'Administrators onboarding automation that needs app-only Exchange PowerShell, a mail-sending service or a backup ' +
      'product: confirm the app, its owner and its publisher; grants to a known app are one review, not a pattern.',
    'An app with AppRoleAssignment.ReadWrite.All granting permissions (the actor is an app): legitimate only for ' +
      'provisioning tools you run; anything else is the escalation itself.',
  ],
  references: [
    'https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2',
    'https://attack.mitre.org/techniques/T1098/003/',
  ],
  status: 'stable',
  inputs: { facts: ['directory.audit'], sources: ['entra.audit', 'ual'] },
  tunables: {
    permissions: { type: 'string[]', default: HIGH_PRIVILEGE_APP_PERMISSIONS, help: 'application permissions (app role values) that alert' },
  },
  suppressMs: DAY,
  detect: (t) => {
    const high = inList(t.permissions);
    const highOf = (ev: Event): string[] => grantedPermissions(ev).filter(high);
    const key = (ev: Event, ctx: RuleContext): string | undefined => {
      const app = appKeyOf(ev) ?? appRef(ev).spId;
      const perms = highOf(ev);
      // one alert per app and permission set: the Graph and UAL copies of one grant fold together
      return app && perms.length && !involvesCollector(ev, ctx, app) ? `${app}|${perms.map((p) => p.toLowerCase()).sort().join(',')}` : undefined;
    };
    return match({
      on: { actions: ['approle.assign', 'consent.grant'], sources: ['entra.audit', 'ual'], where: isAppGrant },
      key,
      alert: (m) => {
        const ev = m.event;
        const perms = highOf(ev);
        const kinds = [...new Set(perms.map((p) => permissionKind(p)).filter((k): k is keyof typeof KIND_WORDS => k !== undefined))];
        let sev: Severity = kinds.includes('exchange-admin') || kinds.includes('directory-write') ? 'critical' : 'high';
        if (ev.actor.kind === 'app') sev = raise(sev);
        const app = appRef(ev);
        const appId = app.appId ?? m.key.split('|')[0]!;
        const resource = typeof ev.details?.resourceName === 'string' ? ev.details.resourceName : undefined;
        const roleId = typeof ev.details?.appRoleId === 'string' ? ev.details.appRoleId : undefined;
        const how = ev.action === 'approle.assign' ? 'app role assignment' : 'app-only admin consent';
        const explanation =
          `App ${app.name ? `"${app.name}" ` : ''}(${appId}) was granted application permission${perms.length > 1 ? 's' : ''} ` +
          `${listSome(perms)}${resource ? ` on ${resource}` : ''}${roleId ? ` (app role id ${roleId})` : ''} by ${actorLabel(ev)} ` +
          `through an ${how}. With ${perms.length > 1 ? 'these' : 'it'} the app can ${listSome(kinds.map((k) => KIND_WORDS[k]))}` +
          `${ev.actor.kind === 'app' ? '; an app granted it, which raises the severity' : ''}.`;
        return {
          title: `${listSome(perms, 3)} granted to app ${app.name ?? appId}`,
          severity: sev,
          entities: entities(appEntity(appId, { name: app.name, spId: app.spId }), actorEntity(ev), ipEntity(ev.actor.ip)),
          explanation,
          facts: {
            permissions: perms,
            permissionKinds: kinds,
            grantedBy: ev.actor.user ?? ev.actor.appId ?? ev.actor.userId ?? 'unknown',
            actorKind: ev.actor.kind,
            grant: ev.operation,
            ...(resource ? { resource } : {}),
            ...(roleId ? { appRoleId: roleId } : {}),
          },
        };
      },
    });
  },
});
