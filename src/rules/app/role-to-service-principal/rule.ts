// TW-APP-007: a directory role is assigned to a service principal (an app becomes an administrator).
import type { Event } from '../../../core/event.js';
import { DAY, humanDuration } from '../../../config/tunables.js';
import type { Entity, Severity } from '../../../detect/alert.js';
import { firstSeen } from '../../../detect/spec.js';
import { ROLE } from '../../../posture/ids.js';
import { appEntity, entities, ipEntity, listSome } from '../../lib.js';
import { defineRule } from '../../types.js';
import { actorEntity, actorLabel, grantedPermissions, involvesCollector, permissionKind, raise, roleOf } from '../oauth.js';

/** Roles that are the tenant on their own (the posture table's tier 0 is rated high; these critical). */
const TENANT_OWNERS = new Set<string>([ROLE.globalAdmin, ROLE.privilegedRoleAdmin, ROLE.privilegedAuthAdmin]);

const spTarget = (ev: Event) => ev.targets.find((t) => t.type === 'servicePrincipal');

/** Per service principal: its appId (from its creation), the permissions it was granted, and each role assignment. */
function keyOf(ev: Event): string | undefined {
  if (ev.action === 'approle.assign') {
    const g = ev.details?.grantee;
    return g && typeof g === 'object' && typeof (g as { spId?: unknown }).spId === 'string' ? (g as { spId: string }).spId : undefined;
  }
  return spTarget(ev)?.id;
}

function valueOf(ev: Event): string | undefined {
  if (ev.action === 'sp.create') {
    const t = spTarget(ev);
    return t?.appId ? `app|${t.appId}|${t.name ?? ''}` : undefined;
  }
  if (ev.action === 'approle.assign') {
    const perms = grantedPermissions(ev);
    return perms.length ? `perm|${perms.join(',')}` : undefined;
  }
  const role = roleOf(ev);
  return role ? `role|${role.templateId ?? role.name}|${ev.id}|${role.name}` : undefined;
}

export const roleToServicePrincipal = defineRule({
  id: 'TW-APP-007',
  title: 'Directory role assigned to a service principal',
  severity: 'high',
  tactics: ['privilege-escalation', 'persistence'],
  techniques: ['T1098', 'T1098.003'],
  description:
    'A directory role is assigned (active, eligible or scoped) to a service principal, matched by role template id ' +
    'and name. Global Administrator, Privileged Role and Privileged Authentication Administrator are critical, the ' +
    'other tier-0 roles (Exchange, Application, Cloud Application, User, Security … Administrator) high, and Exchange ' +
    'Administrator is critical for a service principal that was also granted Exchange.ManageAsApp.',
  whyItMatters:
    'The 2022 campaign gave its app Global Administrator and Exchange Administrator: with Exchange.ManageAsApp, an ' +
    'Exchange role is what lets the app create connectors and transport rules on its own, with no user, no MFA and ' +
    'no password to reset. Apps rarely need directory roles; a tier-0 role on one is a standing administrator.',
  falsePositives: [
    'Automation that genuinely needs a role (a provisioning tool with User Administrator, a reporting app with Global ' +
      'Reader): non-tier-0 roles rate low; confirm tier-0 grants with the app owner and prefer Graph application ' +
      'permissions or administrative units.',
  ],
  references: [
    'https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2#assign-microsoft-entra-roles-to-the-application',
    'https://attack.mitre.org/techniques/T1098/003/',
  ],
  status: 'stable',
  inputs: { facts: ['directory.audit'], sources: ['entra.audit', 'ual'] },
  tunables: {
    history: { type: 'duration', default: 30 * DAY, min: DAY, max: 400 * DAY, help: "how long a service principal's permission grants are remembered" },
  },
  suppressMs: DAY,
  detect: (t) =>
    firstSeen({
      on: {
        actions: ['role.assign', 'approle.assign', 'sp.create'],
        sources: ['entra.audit', 'ual'],
        where: (ev) => ev.outcome === 'success',
      },
      key: keyOf,
      value: valueOf,
      historyMs: t.history,
      warmupMs: 0,
      alertIf: (ev) => ev.action === 'role.assign',
      updateOnRepeat: true,
      alert: (m, ctx) => {
        const ev = m.event;
        const role = roleOf(ev)!;
        const sp = spTarget(ev);
        const learned = m.known.find((v) => v.startsWith('app|'))?.split('|');
        const appId = sp?.appId ?? learned?.[1];
        if (involvesCollector(ev, ctx, appId)) return undefined;
        const name = sp?.name ?? (learned?.[2] || undefined);
        const perms = m.known.filter((v) => v.startsWith('perm|')).flatMap((v) => v.slice(5).split(','));
        // every role the service principal was given within the history, this one first: a second role a minute
        // later folds into this alert and its words then name both
        const roles = [...new Set([role.name, ...m.known.filter((v) => v.startsWith('role|')).map((v) => v.split('|')[3] ?? v.split('|')[1]!)])];
        const exchangeAdminPerm = perms.filter((p) => permissionKind(p) === 'exchange-admin');
        const tid = role.templateId;
        let sev: Severity;
        const why: string[] = [];
        if (tid && TENANT_OWNERS.has(tid)) {
          sev = 'critical';
          why.push(`${role.name} controls the whole tenant`);
        } else if (tid === ROLE.exchangeAdmin && exchangeAdminPerm.length) {
          sev = 'critical';
          why.push(`it also holds ${listSome(exchangeAdminPerm)}: together they let the app run Exchange admin cmdlets on its own (the 2022 pair)`);
        } else if (role.info?.tier0) {
          sev = 'high';
          why.push(`${role.name} is a tier-0 role`);
        } else if (!role.info && /administrator/i.test(role.name)) {
          sev = 'medium';
          why.push('an administrator role tenantwatch does not classify');
        } else {
          sev = 'low';
          why.push(`${role.name} is not a tier-0 role`);
        }
        if (ev.actor.kind === 'app') {
          sev = raise(sev);
          why.push('an app assigned it');
        }
        const kind = typeof ev.details?.roleAssignment === 'string' ? ev.details.roleAssignment : 'active';
        const explanation =
          `Directory role ${role.name}${tid ? ` (${tid})` : ''} was assigned (${kind}) to service principal ` +
          `${name ? `"${name}" ` : ''}(${m.key}${appId ? `, appId ${appId}` : ''}) by ${actorLabel(ev)}. ` +
          `${roles.length > 1 ? `Directory roles given to it in the last ${humanDuration(m.historyMs)}: ${listSome(roles)}. ` : ''}` +
          `${perms.length ? `Application permissions granted to it in the last ${humanDuration(m.historyMs)}: ${listSome(perms)}. ` : ''}` +
          `Rated ${sev}: ${listSome(why)}.`;
        const roleEntity: Entity = { type: 'role', id: tid ?? role.name, display: role.name, role: 'target' };
        return {
          title: `${roles.length > 1 ? listSome(roles, 3) : role.name} assigned to service principal ${name ?? m.key}`,
          severity: sev,
          entities: entities(appEntity(appId ?? m.key, { name, spId: m.key }), roleEntity, actorEntity(ev), ipEntity(ev.actor.ip)),
          explanation,
          facts: {
            role: role.name,
            roles,
            ...(tid ? { roleTemplateId: tid } : {}),
            tier0: role.info?.tier0 === true,
            assignment: kind,
            permissionsHeld: perms,
            actorKind: ev.actor.kind,
            assignedBy: ev.actor.user ?? ev.actor.appId ?? ev.actor.userId ?? 'unknown',
          },
        };
      },
    }),
});
