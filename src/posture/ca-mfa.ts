// Shared evaluation for the MFA checks A1–A4: which enabled policies require (phishing-resistant) MFA for
// everyone / every admin role, on all resources, without being scoped to risk, and who they leave out.
import * as ca from './ca.js';
import { at, bool, plural, str } from './kit.js';
import type { AuditObject } from './types.js';
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
    const wideTrusted = wideTrustedLocations(ctx);
    if (gapObjects.length || wideTrusted.length) {
      return {
        status: 'Fail',
        details: `${what} for ${who} depends on location conditions${wideTrusted.length ? ', and a trusted named location covers a huge address range, so almost every sign-in skips it' : ''}${gapObjects.length ? `; ${plural(gapObjects.length, 'principal')} are excluded outright` : ''}.`,
        objects: [...wideTrusted, ...gapObjects, ...ok.map((p) => ca.policyObject(p, `applies only with conditions on ${ca.narrowing(p).join(', ')}`))],
        causes: true,
      };
    }
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
      causes: true,
    };
  }
  return { status: 'Pass', details: `${narrowed.map((p) => `"${ca.name(p)}"`).join(', ')} require${narrowed.length === 1 ? 's' : ''} ${what} for ${who} on all resources with no unapproved exclusions.` };
}

/** Trusted named locations with an IPv4 range of /8 or wider (or IPv6 /16): "trusted" then means "everywhere". */
export function wideTrustedLocations(ctx: CheckContext): AuditObject[] {
  const out: AuditObject[] = [];
  for (const loc of ctx.snapshot.graphAny('identity/conditionalAccess/namedLocations', ['v1.0', 'beta']).items) {
    if (bool(loc, 'isTrusted') !== true) continue;
    const ranges = at(loc, 'ipRanges');
    const wide = (Array.isArray(ranges) ? ranges : []).map((r) => str(r, 'cidrAddress') ?? '').filter((c) => {
      const m = /\/(\d+)$/.exec(c);
      return m !== null && Number(m[1]) <= (c.includes(':') ? 16 : 8);
    });
    if (wide.length) out.push({ type: 'setting', id: str(loc, 'id'), name: `named location "${str(loc, 'displayName') ?? '?'}"`, reason: `trusted, and covers ${wide.join(', ')}` });
  }
  return out;
}
