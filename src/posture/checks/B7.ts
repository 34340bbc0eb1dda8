import * as ca from '../ca.js';
import { at, str } from '../kit.js';
import { maybeJson } from '../../core/json.js';
import type { Check } from '../types.js';

/** "03:00:00" / "1.00:00:00" -> hours */
function timespanHours(s: string): number | undefined {
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 24 + Number(m[2]) + Number(m[3]) / 60;
}

export const B7: Check = {
  id: 'B7',
  title: 'User sessions are re-authenticated and idle web sessions time out',
  severity: 'medium',
  stage: 'admin-compromise',
  mappings: { maester: ['MT.1017', 'MT.1018'], cis: ['5.2.2.13', '1.3.2'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json', 'graph/v1.0/policies/activityBasedTimeoutPolicies.json'],
  remediation: 'Set a CA sign-in frequency of 7 days or less for All users, and an idle session timeout of 3 hours or less for Microsoft 365 web apps (Microsoft 365 admin center > Org settings > Idle session timeout).',
  run(ctx) {
    const u = ca.caUnavailable(ctx);
    if (u) return u;
    const sif = ca.caPolicies(ctx).items.filter((p) => ca.enabled(p) && ca.allUsers(p) && !ca.riskScoped(p))
      .filter((p) => { const h = ca.signInFrequencyHours(p); return h !== undefined && h <= 24 * 7; });
    const abt = ctx.snapshot.graph('v1.0', 'policies/activityBasedTimeoutPolicies');
    let idle: string;
    let idleOk: boolean | undefined;
    if (abt.state !== 'ok') { idle = 'the idle-timeout policy could not be read'; idleOk = undefined; }
    else {
      const hours: number[] = [];
      for (const p of abt.items) {
        const defs = at(p, 'definition');
        for (const d of Array.isArray(defs) ? defs : []) {
          const j = maybeJson(d);
          const apps = at(j, 'ActivityBasedTimeoutPolicy.ApplicationPolicies');
          for (const a of Array.isArray(apps) ? apps : []) {
            const t = str(a, 'WebSessionIdleTimeout');
            const h = t ? timespanHours(t) : undefined;
            if (h !== undefined) hours.push(h);
          }
        }
      }
      idleOk = hours.length > 0 && Math.max(...hours) <= 3;
      idle = hours.length ? `idle web session timeout ${Math.max(...hours)} h` : 'no idle web session timeout is set';
    }
    if (!sif.length) return { status: 'Fail', details: `No enabled CA policy for all users sets a sign-in frequency of 7 days or less; ${idle}.` };
    if (idleOk === false) return { status: 'Fail', details: `Sign-in frequency is set (${sif.map(ca.name).join(', ')}) but ${idle} (want 3 h or less).` };
    if (idleOk === undefined) return { status: 'Warn', details: `Sign-in frequency is set (${sif.map(ca.name).join(', ')}); ${idle} (${abt.reason}).` };
    return { status: 'Pass', details: `Sign-in frequency: ${sif.map(ca.name).join(', ')}; ${idle}.` };
  },
};
