import * as ca from '../ca.js';
import { list } from '../kit.js';
import { hasP2 } from '../model.js';
import type { Obj } from '../snapshot.js';
import type { Check } from '../types.js';

const high = (p: Obj, prop: string) => list(p, `conditions.${prop}`).some((x) => x.toLowerCase() === 'high');

export const A12: Check = {
  id: 'A12',
  title: 'High user risk and high sign-in risk are blocked or remediated',
  severity: 'high',
  stage: 'initial-access',
  mappings: { scubagear: ['MS.AAD.2.1v1', 'MS.AAD.2.3v1'], maester: ['CISA.MS.AAD.2.1', 'CISA.MS.AAD.2.3', 'MT.1012', 'MT.1013'], cis: ['5.2.2.6', '5.2.2.7'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json', 'graph/v1.0/subscribedSkus.json'],
  remediation: 'With Entra ID P2: a CA policy for All users/All resources with user risk High -> Block (or require password change + MFA), and a separate one with sign-in risk High -> Block (or require MFA). 86% of the campaign\'s victims had an admin flagged high-risk.',
  run(ctx) {
    if (!ctx.model.licences.known) return { status: 'Error', details: `Risk-based CA needs Entra ID P2 and the licence could not be checked (${ctx.model.licences.reason}).` };
    if (!hasP2(ctx.model)) return { status: 'NotApplicable', details: 'No Entra ID P2 service plan (AAD_PREMIUM_P2) in subscribedSkus: risk-based Conditional Access is not available.' };
    const u = ca.caUnavailable(ctx);
    if (u) return u;
    const ps = ca.caPolicies(ctx).items.filter((p) => ca.enabled(p) && ca.allUsers(p) && ca.allApps(p));
    const ctl = (p: Obj) => ca.builtIn(p);
    const userRisk = ps.filter((p) => high(p, 'userRiskLevels') && (ca.blocks(p) || ctl(p).includes('passwordchange')));
    const signinRisk = ps.filter((p) => high(p, 'signInRiskLevels') && (ca.blocks(p) || ca.requiresMfa(p)));
    const missing = [userRisk.length ? '' : 'high user risk', signinRisk.length ? '' : 'high sign-in risk'].filter(Boolean);
    if (missing.length) return { status: 'Fail', details: `No enabled CA policy for all users acts on ${missing.join(' or ')}.` };
    return { status: 'Pass', details: `High user risk: ${userRisk.map(ca.name).join(', ')}; high sign-in risk: ${signinRisk.map(ca.name).join(', ')}.` };
  },
};
