import { ROLE } from '../ids.js';
import { plural } from '../kit.js';
import { privilegedFromModel, roleDataPresent } from '../privileged.js';
import type { Check } from '../types.js';

export const B1: Check = {
  id: 'B1',
  title: 'Between 2 and 8 Global Administrators',
  severity: 'high',
  stage: 'admin-compromise',
  mappings: { scubagear: ['MS.AAD.7.1v1'], maester: ['CISA.MS.AAD.7.1', 'MT.1032', 'CIS.M365.1.1.3'], cis: ['1.1.3'] },
  needs: ['graph/v1.0/roleManagement/directory/roleAssignments.json', 'graph/v1.0/roleManagement/directory/roleEligibilitySchedules.json', 'graph/v1.0/groups.json'],
  remediation: 'Keep 2–4 Global Administrators (CIS) and never more than 8 (CISA), counting eligible and group-based holders; move day-to-day work to narrower roles (Exchange Administrator, User Administrator, …).',
  run(ctx) {
    if (!roleDataPresent(ctx.snapshot)) return { status: 'Error', details: 'No role assignment data (roleAssignments.json or roleAssignmentScheduleInstances.json) in the snapshot; needs RoleManagement.Read.Directory.' };
    const holders = privilegedFromModel(ctx.snapshot, ctx.model).filter((p) => p.roles.some((r) => r.roleId === ROLE.globalAdmin));
    const gas = holders.filter((p) => p.kind === 'user');
    const unknown = holders.filter((p) => p.kind === 'unknown');
    const objects = gas.map((p) => ({ type: 'user' as const, id: p.id, name: p.name, reason: p.roles.filter((r) => r.roleId === ROLE.globalAdmin).map((r) => `${r.assignment}${r.via ? ` via group ${r.via.groupName}` : ''}`).join(', ') }));
    const n = gas.length;
    // a holder we cannot tell apart (user, app, or group without members) may be an admin: missing data never fails
    if (unknown.length && n <= 8) {
      return {
        status: 'Error',
        details: `${n} Global Administrator user(s) identified, but ${plural(unknown.length, 'holder')} (${unknown.map((p) => p.name).join(', ')}) could not be identified as users: users.json, servicePrincipals.json or the group's members are not in the snapshot and roleAssignments.json has no $expand=principal. Collect them (docs/snapshot.md) and re-run.`,
        objects,
      };
    }
    if (n < 2) return { status: 'Fail', details: `${n} Global Administrator${n === 1 ? '' : 's'}: keep at least 2 (one may be break-glass) so losing one account does not lock you out.`, objects };
    if (n > 8) return { status: 'Fail', details: `${n} Global Administrators (active + eligible, incl. via groups): every one is a stuffing target; keep 8 or fewer.`, objects };
    if (n > 4) return { status: 'Warn', details: `${n} Global Administrators: within CISA's 8, above CIS's 4.`, objects };
    return { status: 'Pass', details: `${n} Global Administrators.`, objects };
  },
};
