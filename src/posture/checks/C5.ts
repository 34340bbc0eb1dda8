import { activeCreds, appExposures, describeCredentials } from '../apps.js';
import { missing, plural, unusable } from '../kit.js';
import { privilegedFromModel, roleDataPresent } from '../privileged.js';
import type { AuditObject, Check } from '../types.js';

export const C5: Check = {
  id: 'C5',
  title: 'No app holds a highly privileged directory role',
  severity: 'critical',
  stage: 'oauth-app',
  mappings: { maester: ['MT.1027'], scubagear: ['(informational: privileged_service_principals)'] },
  needs: ['graph/v1.0/roleManagement/directory/roleAssignments.json', 'graph/v1.0/servicePrincipals.json', 'graph/v1.0/applications.json'],
  remediation: 'Remove Global/Exchange/Privileged Role/Application administrator roles from service principals; grant the narrow app permission they need instead. An app with a client secret and a standing admin role is a permanent backdoor that MFA does not protect.',
  run(ctx) {
    if (!roleDataPresent(ctx.snapshot)) return { status: 'Error', details: 'No role assignment data in the snapshot; needs RoleManagement.Read.Directory.' };
    const sps = ctx.snapshot.graph('v1.0', 'servicePrincipals');
    const objects: AuditObject[] = [];
    for (const e of appExposures(ctx.snapshot, ctx.model, ctx.config)) {
      const tier0 = e.roles.filter((r) => r.tier0);
      if (!tier0.length) continue;
      const roles = [...new Set(tier0.map((r) => `${r.roleName}${r.assignment === 'eligible' ? ' (eligible)' : ''}`))].join(', ');
      const creds = e.sp ? describeCredentials(e.credentials, ctx.now) : 'unknown (the app is not in servicePrincipals.json)';
      const reason = `holds ${roles}; credentials: ${creds}`;
      if (e.isMicrosoft) objects.push({ type: 'servicePrincipal', id: e.spId, name: e.name, reason: `Microsoft first-party (expected); ${reason}`, expected: true });
      else objects.push({ type: 'servicePrincipal', id: e.spId, name: e.name, reason });
    }
    const bad = objects.filter((o) => !o.expected);
    // without servicePrincipals.json an app holding a role may only be known as an unidentified principal
    const spNote = unusable(sps) ? ` ${missing(sps).details}` : '';
    const unknown = privilegedFromModel(ctx.snapshot, ctx.model).filter((p) => p.kind === 'unknown' && p.roles.some((r) => r.tier0));
    if (!bad.length && unknown.length && unusable(sps)) {
      return { status: 'Error', details: `${plural(unknown.length, 'holder')} of highly privileged roles (${unknown.map((p) => p.name).join(', ')}) could not be identified as user or app.${spNote}`, objects };
    }
    if (bad.length) {
      const withSecret = appExposures(ctx.snapshot, ctx.model, ctx.config).filter((e) => e.roles.some((r) => r.tier0) && !e.isMicrosoft && activeCreds(e.credentials, ctx.now).some((c) => c.kind === 'secret')).length;
      return { status: 'Fail', details: `${bad.length} app(s) hold highly privileged directory roles${withSecret ? `, ${withSecret} of them with an active client secret` : ''}.${spNote ? `${spNote} Their credentials, and whether they are Microsoft first-party apps, are unknown.` : ''}`, objects, causes: true };
    }
    return { status: 'Pass', details: 'No non-Microsoft service principal holds a highly privileged directory role.', objects };
  },
};
