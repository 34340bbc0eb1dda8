import { bool, missing, single } from '../kit.js';
import type { Check } from '../types.js';

export const C1: Check = {
  id: 'C1',
  title: 'Users cannot register applications',
  severity: 'high',
  stage: 'oauth-app',
  mappings: { scubagear: ['MS.AAD.5.1v1'], maester: ['CISA.MS.AAD.5.1', 'EIDSCA.AP10'], cis: ['5.1.2.2'] },
  needs: ['graph/v1.0/policies/authorizationPolicy.json'],
  remediation: 'Entra admin center > Users > User settings > "Users can register applications" = No (authorizationPolicy.defaultUserRolePermissions.allowedToCreateApps = false); use the Application Developer role for people who need it.',
  run(ctx) {
    const c = ctx.snapshot.graph('v1.0', 'policies/authorizationPolicy');
    const p = single(c);
    if (!p) return missing(c);
    const v = bool(p, 'defaultUserRolePermissions.allowedToCreateApps');
    if (v === undefined) return { status: 'Error', details: 'authorizationPolicy has no defaultUserRolePermissions.allowedToCreateApps.' };
    return v ? { status: 'Fail', details: 'Any user can register applications: a stuffed user account can create the attacker\'s OAuth app.' } : { status: 'Pass', details: 'Default users cannot register applications.' };
  },
};
