import * as ca from '../ca.js';
import type { Check } from '../types.js';

export const B9: Check = {
  id: 'B9',
  title: 'Access requires a managed (compliant or hybrid-joined) device',
  severity: 'medium',
  stage: 'admin-compromise',
  mappings: { scubagear: ['MS.AAD.3.7v1'], maester: ['CISA.MS.AAD.3.7', 'MT.1001', 'MT.1014'], cis: ['5.2.2.9'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json'],
  remediation: 'Require "compliant device" or "Microsoft Entra hybrid joined device" in a CA policy for All users (at least for every admin role), so a stolen password alone is not enough from an attacker\'s machine.',
  run(ctx) {
    const u = ca.caUnavailable(ctx);
    if (u) return u;
    const ps = ca.caPolicies(ctx).items.filter((p) => ca.enabled(p) && ca.allApps(p) && ca.requiresManagedDevice(p) && !ca.riskScoped(p));
    const all = ps.filter(ca.allUsers);
    const admins = ps.filter((p) => ca.missingAdminRoles(p).length === 0);
    // principals excluded from every such policy sign in from any device
    const gaps = ca.gaps(ctx, all.length ? all : admins);
    if (gaps.length) return { status: 'Fail', details: `A managed device is required by ${(all.length ? all : admins).map(ca.name).join(', ')}, but ${gaps.length} principal(s) are excluded from every such policy.`, objects: gaps, causes: true };
    if (all.length) return { status: 'Pass', details: `Managed device required for all users by ${all.map(ca.name).join(', ')}.` };
    if (admins.length) return { status: 'Warn', details: `A managed device is required for admins (${admins.map(ca.name).join(', ')}) but not for all users.` };
    return { status: 'Fail', details: 'No enabled CA policy requires a compliant or hybrid-joined device for all users or admins.' };
  },
};
