import { activeCreds, appExposures, describeCredentials } from '../apps.js';
import { DAY_MS, missing, plural } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

export const C4: Check = {
  id: 'C4',
  title: 'Apps holding Exchange management or mailbox-wide permissions are known and certificate-bound',
  severity: 'critical',
  stage: 'oauth-app',
  mappings: { maester: ['MT.1058', 'MT.1050'], scubagear: ['(informational: Applications with Risky Permissions)'] },
  needs: ['graph/v1.0/servicePrincipals.json (+ appRoleAssignments)', 'graph/v1.0/applications.json', 'graph/v1.0/roleManagement/directory/roleAssignments.json'],
  remediation: 'For every listed app you do not recognise: remove the app role assignment (Enterprise apps > the app > Permissions), delete its client secrets, and review the sign-in and audit logs for it. Keep Exchange.ManageAsApp only on apps you own, bound to a certificate, and scope full_access_as_app/Mail.* with an Exchange application access policy or RBAC for Applications. Declare the tenantwatch collector under audit.collector.',
  run(ctx) {
    const sps = ctx.snapshot.graph('v1.0', 'servicePrincipals');
    if (sps.state !== 'ok') return missing(sps, 'needs Application.Read.All');
    if (!ctx.model.appRoleGrantsKnown) return { status: 'Error', details: 'The snapshot has no app role assignments (servicePrincipals.json with $expand=appRoleAssignments, or servicePrincipals/<id>/appRoleAssignments.json); needs Application.Read.All.' };
    const exposed = appExposures(ctx.snapshot, ctx.model, ctx.config).filter((e) => e.grants.some((g) => g.kind === 'exchange-admin' || g.kind === 'mailbox'));
    const objects: AuditObject[] = [];
    let collectorFound = false;
    let collectorProblem = false;
    for (const e of exposed) {
      const perms = [...new Set(e.grants.filter((g) => g.kind === 'exchange-admin' || g.kind === 'mailbox').map((g) => `${g.value} on ${g.resourceName}`))];
      const roles = [...new Set(e.roles.map((r) => r.roleName))];
      const creds = describeCredentials(e.credentials, ctx.now);
      const recent = e.grants.filter((g) => g.created !== undefined && ctx.now - g.created < ctx.config.recentDays * DAY_MS);
      const secrets = activeCreds(e.credentials, ctx.now).filter((c) => c.kind === 'secret');
      const reason = `holds ${perms.join(', ')}${roles.length ? `; directory roles: ${roles.join(', ')}` : ''}; credentials: ${creds}${recent.length ? `; granted in the last ${ctx.config.recentDays} days` : ''}`;
      if (e.isCollector) {
        collectorFound = true;
        if (secrets.length) {
          collectorProblem = true;
          objects.push({ type: 'servicePrincipal', id: e.spId, name: e.name, reason: `tenantwatch collector (expected) but it has ${plural(secrets.length, 'client secret')}: use a certificate only; ${reason}` });
        } else objects.push({ type: 'servicePrincipal', id: e.spId, name: e.name, reason: `tenantwatch collector (expected, certificate-bound); ${reason}`, expected: true });
        continue;
      }
      if (e.isMicrosoft) { objects.push({ type: 'servicePrincipal', id: e.spId, name: e.name, reason: `Microsoft first-party app (expected); ${reason}`, expected: true }); continue; }
      objects.push({ type: 'servicePrincipal', id: e.spId, name: e.name, reason });
    }
    const offenders = objects.filter((o) => !o.expected);
    const colNote = ctx.config.collector && !collectorFound ? ` The configured collector app ${ctx.config.collector.appId} holds no such permission in this snapshot.` : '';
    if (offenders.length) {
      const worst = offenders.filter((o) => /Exchange\.ManageAsApp/.test(o.reason) && /client secret/.test(o.reason)).length;
      return {
        status: 'Fail',
        details: `${plural(offenders.length, 'app')} other than the expected ones hold Exchange or mailbox-wide application permissions${worst ? `; ${worst} combine Exchange.ManageAsApp with a client secret — the campaign's fingerprint` : ''}.${collectorProblem ? ' The tenantwatch collector itself uses a client secret.' : ''}${colNote}`,
        objects,
        causes: true,
      };
    }
    return { status: 'Pass', details: `No unexpected app holds Exchange management or mailbox-wide permissions${objects.length ? ` (${objects.length} expected: ${objects.map((o) => o.name).join(', ')})` : ''}.${colNote}`, objects };
  },
};
