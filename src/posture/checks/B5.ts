import { at, bool, str } from '../kit.js';
import { privilegedFromModel, roleDataPresent } from '../privileged.js';
import type { AuditObject, Check } from '../types.js';

export const B5: Check = {
  id: 'B5',
  title: 'Privileged users are cloud-only accounts',
  severity: 'high',
  stage: 'admin-compromise',
  mappings: { scubagear: ['MS.AAD.7.3v1'], maester: ['CISA.MS.AAD.7.3', 'CIS.M365.1.1.1'], cis: ['1.1.1'] },
  needs: ['graph/v1.0/users.json ($select onPremisesSyncEnabled,onPremisesImmutableId)', 'graph/v1.0/roleManagement/directory/roleAssignments.json'],
  remediation: 'Give each admin a separate cloud-only account (name@tenant.onmicrosoft.com) without a mailbox or licence, so an on-premises compromise or a reused password does not reach Entra roles.',
  run(ctx) {
    if (!roleDataPresent(ctx.snapshot)) return { status: 'Error', details: 'No role assignment data in the snapshot.' };
    if (ctx.snapshot.graph('v1.0', 'users').state !== 'ok') return { status: 'Error', details: 'graph/v1.0/users.json is missing or failed.' };
    const users = privilegedFromModel(ctx.snapshot, ctx.model).filter((p) => p.kind === 'user' && p.roles.some((r) => r.tier0));
    const objects: AuditObject[] = [];
    let unknown = 0;
    for (const p of users) {
      const u = ctx.model.users.get(p.id);
      if (!u || (at(u, 'onPremisesSyncEnabled') === undefined && at(u, 'onPremisesImmutableId') === undefined)) { unknown++; continue; }
      if (bool(u, 'onPremisesSyncEnabled') === true || str(u, 'onPremisesImmutableId')) objects.push({ type: 'user', id: p.id, name: p.name, reason: 'synchronised from on-premises Active Directory' });
    }
    if (objects.length) return { status: 'Fail', details: `${objects.length} privileged user(s) are synced from on-premises.`, objects, causes: true };
    if (unknown && unknown === users.length) return { status: 'Error', details: 'users.json lacks onPremisesSyncEnabled/onPremisesImmutableId; add them to $select.' };
    return { status: 'Pass', details: `All ${users.length - unknown} privileged users with sync data are cloud-only${unknown ? ` (${unknown} not in users.json)` : ''}.` };
  },
};
