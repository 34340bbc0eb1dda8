import * as ca from '../ca.js';
import { evaluateMfa } from '../ca-mfa.js';
import { bool, missing, single } from '../kit.js';
import type { Check } from '../types.js';

export const A7: Check = {
  id: 'A7',
  title: 'Security defaults or Conditional Access MFA protect the tenant',
  severity: 'critical',
  stage: 'initial-access',
  mappings: { maester: ['MT.1021'] },
  needs: ['graph/v1.0/policies/identitySecurityDefaultsEnforcementPolicy.json', 'graph/beta/identity/conditionalAccess/policies.json'],
  remediation: 'Without Entra ID P1, turn on security defaults (Entra admin center > Overview > Properties > Manage security defaults). With P1/P2, replace them with CA policies (A1, A2, A5).',
  run(ctx) {
    const sd = ctx.snapshot.graph('v1.0', 'policies/identitySecurityDefaultsEnforcementPolicy');
    const on = bool(single(sd), 'isEnabled');
    const mfa = evaluateMfa(ctx, 'all', 'mfa');
    if (on === true) return { status: 'Pass', details: 'Security defaults are on (MFA registration and legacy-auth blocking for everyone).' };
    if (mfa.status === 'Pass' || mfa.status === 'Warn') return { status: 'Pass', details: 'Security defaults are off and Conditional Access requires MFA for all users (A1).' };
    if (sd.state !== 'ok' || on === undefined) {
      if (mfa.status === 'Error' || mfa.status === 'NotApplicable') return missing(sd);
      return { status: 'Error', details: `Security defaults could not be read (${sd.reason ?? 'isEnabled absent'}) and CA does not require MFA for everyone.` };
    }
    // A1 failed either for want of a policy or because the policies leave principals out: say which
    const some = ca.caPolicies(ctx).items.some((p) => ca.enabled(p) && ca.allUsers(p) && ca.allApps(p) && !ca.riskScoped(p) && ca.requiresMfa(p));
    if (some) return { status: 'Fail', details: `Security defaults are off and the Conditional Access policies requiring MFA for all users have gaps (A1): ${mfa.details}`, objects: mfa.objects ?? [], causes: mfa.causes ?? false };
    return { status: 'Fail', details: 'Security defaults are off and no Conditional Access policy requires MFA for all users: nothing forces MFA at sign-in.' };
  },
};
