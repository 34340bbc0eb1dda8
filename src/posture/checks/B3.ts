import { isBreakGlass } from '../exemptions.js';
import { hasP2 } from '../model.js';
import { privilegedFromModel } from '../privileged.js';
import type { AuditObject, Check } from '../types.js';

export const B3: Check = {
  id: 'B3',
  title: 'No permanent active assignments to highly privileged roles (use PIM)',
  severity: 'high',
  stage: 'admin-compromise',
  mappings: { scubagear: ['MS.AAD.7.4v1', 'MS.AAD.7.5v1'], maester: ['CISA.MS.AAD.7.4', 'CISA.MS.AAD.7.5', 'MT.1031'], cis: ['5.3.1'] },
  needs: ['graph/v1.0/roleManagement/directory/roleAssignmentScheduleInstances.json', 'graph/v1.0/subscribedSkus.json'],
  remediation: 'Convert permanent active assignments to eligible ones in Privileged Identity Management (activation with MFA and justification); keep permanent assignments only for the declared break-glass accounts.',
  run(ctx) {
    if (!ctx.model.licences.known) return { status: 'Error', details: `PIM needs Entra ID P2 and the licence could not be checked (${ctx.model.licences.reason}).` };
    if (!hasP2(ctx.model)) return { status: 'NotApplicable', details: 'No Entra ID P2 (AAD_PREMIUM_P2): Privileged Identity Management is not available.' };
    const inst = ctx.snapshot.graphAny('roleManagement/directory/roleAssignmentScheduleInstances', ['v1.0', 'beta']);
    if (inst.state !== 'ok') return { status: 'Error', details: `${inst.path}: ${inst.reason}` };
    const objects: AuditObject[] = [];
    for (const p of privilegedFromModel(ctx.snapshot, ctx.model).filter((x) => x.kind === 'user')) {
      if (isBreakGlass(ctx.config, p.id, p.upn)) continue;
      const perm = p.roles.filter((r) => r.tier0 && r.assignment === 'active' && r.permanent === true && (r.assignmentType ?? 'Assigned').toLowerCase() === 'assigned');
      if (perm.length) objects.push({ type: 'user', id: p.id, name: p.name, reason: `permanent active ${[...new Set(perm.map((r) => r.roleName))].join(', ')}${perm.some((r) => r.start === undefined) ? ' (assigned outside PIM)' : ''}` });
    }
    if (objects.length) return { status: 'Fail', details: `${objects.length} user(s) hold highly privileged roles permanently: a stuffed password is an admin session with no activation step.`, objects, causes: true };
    return { status: 'Pass', details: 'Highly privileged roles are held only as eligible or time-bound assignments (break-glass excepted).' };
  },
};
