import { RISKY_DELEGATED_SCOPES } from '../ids.js';
import { missing, str } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

export const C6: Check = {
  id: 'C6',
  title: 'No tenant-wide delegated grants of mail or directory-write scopes',
  severity: 'high',
  stage: 'oauth-app',
  mappings: { scubagear: ['(risky delegated permission classification)'] },
  needs: ['graph/v1.0/oauth2PermissionGrants.json', 'graph/v1.0/servicePrincipals.json'],
  remediation: 'Revoke the listed admin-consented (AllPrincipals) grants you do not recognise (Enterprise apps > the app > Permissions > Review permissions, or DELETE /oauth2PermissionGrants/{id}), then review what the app did with them.',
  run(ctx) {
    const c = ctx.snapshot.graph('v1.0', 'oauth2PermissionGrants');
    if (c.state !== 'ok') return missing(c);
    const risky = new Set(RISKY_DELEGATED_SCOPES.map((s) => s.toLowerCase()));
    const objects: AuditObject[] = [];
    for (const g of c.items) {
      if ((str(g, 'consentType') ?? '').toLowerCase() !== 'allprincipals') continue;
      const scopes = (str(g, 'scope') ?? '').split(/\s+/).filter(Boolean);
      const hit = scopes.filter((s) => risky.has(s.toLowerCase()));
      if (!hit.length) continue;
      const clientId = str(g, 'clientId')?.toLowerCase() ?? '';
      const sp = ctx.model.servicePrincipals.get(clientId);
      const resource = ctx.model.nameOf(str(g, 'resourceId') ?? '');
      const expected = sp ? ctx.model.isMicrosoftApp(sp) : false;
      objects.push({ type: 'grant', id: str(g, 'id'), name: str(sp, 'displayName') ?? clientId, reason: `${expected ? 'Microsoft first-party (expected); ' : ''}tenant-wide grant of ${hit.join(', ')} on ${resource}`, ...(expected ? { expected: true } : {}) });
    }
    const bad = objects.filter((o) => !o.expected);
    if (bad.length) return { status: 'Fail', details: `${bad.length} tenant-wide delegated grant(s) give an app mail or directory-write scopes for every user.`, objects, causes: true };
    return { status: 'Pass', details: 'No non-Microsoft app has a tenant-wide grant of mail or directory-write scopes.', objects };
  },
};
