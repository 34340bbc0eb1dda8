import { at, bool, list, missing, single } from '../kit.js';
import type { Check } from '../types.js';

export const C2: Check = {
  id: 'C2',
  title: 'Users cannot consent to apps on their own',
  severity: 'high',
  stage: 'oauth-app',
  mappings: { scubagear: ['MS.AAD.5.2v1'], maester: ['CISA.MS.AAD.5.2', 'EIDSCA.AP08', 'EIDSCA.AP09'], cis: ['5.1.5.1'] },
  needs: ['graph/v1.0/policies/authorizationPolicy.json'],
  remediation: 'Entra admin center > Enterprise apps > Consent and permissions > "Do not allow user consent" (or only verified publishers with low-risk permissions), and turn on the admin consent workflow (C3).',
  run(ctx) {
    const c = ctx.snapshot.graph('v1.0', 'policies/authorizationPolicy');
    const p = single(c);
    if (!p) return missing(c);
    const raw = at(p, 'defaultUserRolePermissions.permissionGrantPoliciesAssigned') ?? at(p, 'permissionGrantPolicyIdsAssignedToDefaultUserRole');
    if (raw === undefined) return { status: 'Error', details: 'authorizationPolicy has neither defaultUserRolePermissions.permissionGrantPoliciesAssigned (v1.0) nor permissionGrantPolicyIdsAssignedToDefaultUserRole (beta).' };
    const all = [...list(p, 'defaultUserRolePermissions.permissionGrantPoliciesAssigned'), ...list(p, 'permissionGrantPolicyIdsAssignedToDefaultUserRole')];
    const self = [...new Set(all.filter((x) => x.toLowerCase().startsWith('managepermissiongrantsforself.')))];
    const risky = bool(p, 'allowUserConsentForRiskyApps') === true;
    if (risky) return { status: 'Fail', details: 'allowUserConsentForRiskyApps is true: users can consent to apps Microsoft flags as risky.' };
    if (!self.length) return { status: 'Pass', details: 'No self-consent policy is assigned to the default user role.' };
    if (self.every((x) => /microsoft-user-default-low$/i.test(x))) return { status: 'Warn', details: 'Users may consent to verified-publisher apps for low-impact permissions (microsoft-user-default-low); review your permission classifications.' };
    return { status: 'Fail', details: `Users can consent to apps themselves (${self.join(', ')}).` };
  },
};
