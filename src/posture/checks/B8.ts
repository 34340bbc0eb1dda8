import * as ca from '../ca.js';
import { at, str } from '../kit.js';
import type { Check } from '../types.js';

export const B8: Check = {
  id: 'B8',
  title: 'Continuous access evaluation is not disabled',
  severity: 'medium',
  stage: 'admin-compromise',
  mappings: { cis: ['5.2.2.16 (token protection, related)'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json'],
  remediation: 'Remove "Disable continuous access evaluation" from the listed CA policies (Session > Customize continuous access evaluation). With CAE, revoking an admin\'s sessions or disabling the account cuts access to Exchange and SharePoint within minutes instead of at token expiry; prefer strict enforcement for admins.',
  run(ctx) {
    const u = ca.caUnavailable(ctx);
    if (u) return u;
    const c = ca.caPolicies(ctx);
    if (!c.path.includes('/beta/')) {
      return { status: 'Error', details: 'The continuousAccessEvaluation session control is only returned by the beta endpoint; collect graph/beta/identity/conditionalAccess/policies.json.' };
    }
    const mode = (p: Record<string, unknown>) => (str(p, 'sessionControls.continuousAccessEvaluation.mode') ?? '').toLowerCase();
    const disabled = c.items.filter((p) => (ca.enabled(p) || ca.reportOnly(p)) && mode(p) === 'disabled');
    const enforced = disabled.filter(ca.enabled);
    if (enforced.length) {
      return {
        status: 'Fail',
        details: `${enforced.length === 1 ? 'An enabled policy disables' : `${enforced.length} enabled policies disable`} continuous access evaluation: revoked sessions keep working until their tokens expire.`,
        objects: enforced.map((p) => ca.policyObject(p, `CAE disabled for ${ca.allUsers(p) ? 'all users' : describeUsers(p)}`)),
        causes: true,
      };
    }
    const strict = c.items.filter((p) => ca.enabled(p) && ['strictenforcement', 'strictlocation'].includes(mode(p)));
    const note = disabled.length ? ` (${disabled.length} report-only polic${disabled.length === 1 ? 'y would' : 'ies would'} disable it)` : '';
    return { status: 'Pass', details: `No enabled CA policy disables CAE${note}.${strict.length ? ` Strict enforcement: ${strict.map(ca.name).join(', ')}.` : ' No policy uses strict enforcement (optional, recommended for admins).'}` };
  },
};

function describeUsers(p: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, label] of [['includeRoles', 'roles'], ['includeGroups', 'groups'], ['includeUsers', 'users']] as const) {
    const v = at(p, `conditions.users.${k}`);
    if (Array.isArray(v) && v.length) parts.push(`${v.length} ${label}`);
  }
  return parts.join(', ') || 'its targets';
}
