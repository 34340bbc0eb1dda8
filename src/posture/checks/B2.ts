import { isBreakGlass } from '../exemptions.js';
import { ROLE } from '../ids.js';
import { privilegedFromModel, roleDataPresent } from '../privileged.js';
import type { Check } from '../types.js';

export const B2: Check = {
  id: 'B2',
  title: 'Admins use narrow roles rather than Global Administrator',
  severity: 'medium',
  stage: 'admin-compromise',
  mappings: { scubagear: ['MS.AAD.7.2v1'], maester: ['CISA.MS.AAD.7.2'] },
  needs: ['graph/v1.0/roleManagement/directory/roleAssignments.json', 'graph/v1.0/roleManagement/directory/roleEligibilitySchedules.json'],
  remediation: 'Give admins the least privileged role that fits (Exchange Administrator, User Administrator, …) instead of Global Administrator, so that a compromised admin cannot grant itself everything.',
  run(ctx) {
    if (!roleDataPresent(ctx.snapshot)) return { status: 'Error', details: 'No role assignment data in the snapshot.' };
    // break-glass accounts are Global Administrators by design and are not day-to-day admins
    const users = privilegedFromModel(ctx.snapshot, ctx.model).filter((p) => p.kind === 'user' && !isBreakGlass(ctx.config, p.id, p.upn));
    const ga = users.filter((p) => p.roles.some((r) => r.roleId === ROLE.globalAdmin)).length;
    const other = users.filter((p) => p.roles.some((r) => r.tier0 && r.roleId !== ROLE.globalAdmin) && !p.roles.some((r) => r.roleId === ROLE.globalAdmin)).length;
    if (ga === 0) return { status: 'NotApplicable', details: 'No Global Administrators found (see B1).' };
    if (other === 0 || ga / other > 1) return { status: 'Fail', details: `${ga} Global Administrator(s) and ${other} user(s) holding only narrower privileged roles: ratio ${other ? (ga / other).toFixed(2) : 'infinite'} > 1.` };
    return { status: 'Pass', details: `${ga} Global Administrator(s) vs ${other} narrower privileged admin(s).` };
  },
};
