import { isBreakGlass } from '../exemptions.js';
import { PHISHING_RESISTANT_METHODS } from '../ids.js';
import { bool, list, missing, plural, str } from '../kit.js';
import { privilegedFromModel } from '../privileged.js';
import type { AuditObject, Check } from '../types.js';

export const A6: Check = {
  id: 'A6',
  title: 'Admins and users have MFA methods registered (admins: phishing-resistant)',
  severity: 'critical',
  stage: 'initial-access',
  mappings: { maester: ['MT.1063'], cis: ['5.2.3.4'] },
  needs: ['graph/v1.0/reports/authenticationMethods/userRegistrationDetails.json', 'graph/v1.0/users.json', 'graph/v1.0/roleManagement/directory/roleAssignments.json'],
  remediation: 'Have every admin register a phishing-resistant method (FIDO2 security key / passkey, Windows Hello for Business) today, and every member user an MFA method; until then an admin without MFA is one stuffed password away from tenant takeover. Use a Temporary Access Pass to bootstrap registration safely.',
  run(ctx) {
    const reg = ctx.snapshot.graph('v1.0', 'reports/authenticationMethods/userRegistrationDetails');
    if (reg.state !== 'ok') return missing(reg, 'needs AuditLog.Read.All and Entra ID P1/P2');
    const priv = privilegedFromModel(ctx.snapshot, ctx.model).filter((p) => p.kind === 'user');
    const adminIds = new Set(priv.map((p) => p.id));
    const adminRoles = new Map(priv.map((p) => [p.id, [...new Set(p.roles.map((r) => `${r.roleName}${r.assignment === 'eligible' ? ' (eligible)' : ''}`))].join(', ')]));
    const noMfa: AuditObject[] = [];
    const notPr: AuditObject[] = [];
    const users: AuditObject[] = [];
    let undecided = 0;
    for (const r of reg.items) {
      const id = str(r, 'id')?.toLowerCase();
      if (!id) continue;
      const upn = str(r, 'userPrincipalName');
      const dir = ctx.model.users.get(id);
      if (bool(dir, 'accountEnabled') === false) continue;
      const userType = (str(r, 'userType') ?? str(dir, 'userType') ?? 'member').toLowerCase();
      const isAdmin = adminIds.has(id) || bool(r, 'isAdmin') === true;
      if (!isAdmin && userType === 'guest') continue;
      const methods = list(r, 'methodsRegistered');
      const registered = bool(r, 'isMfaRegistered') ?? bool(r, 'isMfaCapable');
      const name = upn ?? str(r, 'userDisplayName') ?? id;
      const roles = adminRoles.get(id);
      const bg = isBreakGlass(ctx.config, id, upn);
      if (registered === undefined) { undecided++; continue; }
      if (isAdmin) {
        if (!registered) noMfa.push({ type: 'user', id, name, reason: `admin${roles ? ` (${roles})` : ''} with no MFA method registered${methods.length ? ` (only ${methods.join(', ')})` : ''}` });
        else if (!methods.some((m) => PHISHING_RESISTANT_METHODS.has(m))) notPr.push({ type: 'user', id, name, reason: `admin${roles ? ` (${roles})` : ''} has only ${methods.join(', ') || 'non-phishing-resistant methods'}${bg ? ' (break-glass)' : ''}` });
      } else if (!registered) users.push({ type: 'user', id, name, reason: 'member user with no MFA method registered' });
    }
    // admins present in role data but absent from the registration report cannot be judged: say so
    const regIds = new Set(reg.items.map((r) => str(r, 'id')?.toLowerCase()));
    const unseen = priv.filter((p) => !regIds.has(p.id) && !isBreakGlass(ctx.config, p.id, p.upn)).length;
    const extra = [undecided ? `${plural(undecided, 'user')} had no registration flags` : '', unseen ? `${plural(unseen, 'admin')} not in the registration report` : ''].filter(Boolean).join('; ');
    const tail = extra ? ` (${extra}.)` : '';
    const shown = users.slice(0, 50);
    const more = users.length > shown.length ? ` (first 50 of ${users.length} users listed)` : '';
    if (noMfa.length) return { status: 'Fail', details: `${plural(noMfa.length, 'admin')} with no MFA method registered${users.length ? `, and ${plural(users.length, 'member user')}${more}` : ''}.${tail}`, objects: [...noMfa, ...notPr, ...shown], causes: true };
    if (users.length) return { status: 'Fail', details: `${plural(users.length, 'enabled member user')} cannot do MFA${more}.${tail}`, objects: [...notPr, ...shown], causes: true };
    if (notPr.length) return { status: 'Warn', details: `Every admin has MFA, but ${plural(notPr.length, 'admin')} without a phishing-resistant method.${tail}`, objects: notPr, causes: true };
    return { status: 'Pass', details: `Every enabled member user can do MFA and every admin has a phishing-resistant method.${tail}` };
  },
};
