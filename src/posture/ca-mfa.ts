// Shared evaluation for the MFA checks A1–A4: which enabled policies require (phishing-resistant) MFA for
// everyone / every admin role, on all resources, without being scoped to risk, and who they leave out.
import * as ca from './ca.js';
import { plural } from './kit.js';
import type { Obj } from './snapshot.js';
import type { CheckContext, CheckOutcome } from './types.js';

export type Scope = 'all' | 'admins';
export type Strength = 'mfa' | 'phishing-resistant';

function qualifies(p: Obj, scope: Scope, strength: Strength, strengths: Obj[]): boolean {
  if (!ca.allApps(p) || ca.riskScoped(p)) return false;
  if (scope === 'all' ? !ca.allUsers(p) : ca.missingAdminRoles(p).length > 0) return false;
  return strength === 'mfa' ? ca.requiresMfa(p) : ca.requiresPhishingResistant(p, strengths);
}

export function evaluateMfa(ctx: CheckContext, scope: Scope, strength: Strength): CheckOutcome {
  const unavailable = ca.caUnavailable(ctx);
  if (unavailable) return unavailable;
  const policies = ca.caPolicies(ctx).items;
  const strengths = ctx.snapshot.graphAny('identity/conditionalAccess/authenticationStrength/policies', ['v1.0', 'beta']).items;
  const who = scope === 'all' ? 'all users' : 'every admin role';
  const what = strength === 'mfa' ? 'MFA' : 'phishing-resistant MFA';
  const ok = policies.filter((p) => ca.enabled(p) && qualifies(p, scope, strength, strengths));
  if (!ok.length) {
    const ro = policies.filter((p) => ca.reportOnly(p) && qualifies(p, scope, strength, strengths));
    const near = policies.filter((p) => ca.enabled(p) && ca.allApps(p) && (strength === 'mfa' ? ca.requiresMfa(p) : ca.requiresPhishingResistant(p, strengths)));
    const objects = [
      ...ro.map((p) => ca.policyObject(p, 'report-only: it would qualify but is not enforced')),
      ...near.map((p) => {
        const why = ca.riskScoped(p) ? 'only applies to risky sign-ins/users'
          : scope === 'admins' ? `does not target ${plural(ca.missingAdminRoles(p).length, 'admin role')}: ${ca.missingAdminRoles(p).map((r) => ctx.model.roleName(r)).join(', ')}`
          : 'does not target All users';
        return ca.policyObject(p, why);
      }),
    ];
    return { status: 'Fail', details: `No enabled Conditional Access policy requires ${what} for ${who} on all resources.${ro.length ? ' A matching policy exists in report-only mode.' : ''}`, objects };
  }
  const narrowed = ok.filter((p) => ca.narrowing(p).length === 0);
  const gapObjects = ca.gaps(ctx, narrowed.length ? narrowed : ok);
  if (!narrowed.length) {
    return {
      status: 'Warn',
      details: `${what} for ${who} is required only under extra conditions (${[...new Set(ok.flatMap(ca.narrowing))].join(', ')}): sign-ins outside them get no ${what}.`,
      objects: [...ok.map((p) => ca.policyObject(p, `applies only with conditions on ${ca.narrowing(p).join(', ')}`)), ...gapObjects],
    };
  }
  if (gapObjects.length) {
    return {
      status: 'Fail',
      details: `${what} is required for ${who} by ${narrowed.map(ca.name).join(', ')}, but ${plural(gapObjects.length, 'principal')} excluded by every such policy get none (exclude only break-glass accounts, and declare them in the config).`,
      objects: gapObjects,
    };
  }
  return { status: 'Pass', details: `${narrowed.map((p) => `"${ca.name(p)}"`).join(', ')} require${narrowed.length === 1 ? 's' : ''} ${what} for ${who} on all resources with no unapproved exclusions.` };
}
