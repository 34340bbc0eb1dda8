import * as ca from '../ca.js';
import type { Check } from '../types.js';

export const B6: Check = {
  id: 'B6',
  title: 'Admin sessions are short and not persistent',
  severity: 'high',
  stage: 'admin-compromise',
  mappings: { cis: ['5.2.2.4'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json'],
  remediation: 'Turn on a CA policy for every admin role and All resources with Session > Sign-in frequency 4 hours or less (or Every time) and Persistent browser session = Never persistent, so a stolen admin session expires quickly.',
  run(ctx) {
    const u = ca.caUnavailable(ctx);
    if (u) return u;
    const ps = ca.caPolicies(ctx).items.filter((p) => ca.enabled(p) && ca.allApps(p) && !ca.riskScoped(p) && ca.missingAdminRoles(p).length === 0);
    const sif = ps.filter((p) => { const h = ca.signInFrequencyHours(p); return h !== undefined && h <= 4; });
    const pb = ps.filter(ca.persistentBrowserNever);
    const problems = [sif.length ? '' : 'no sign-in frequency of 4 hours or less', pb.length ? '' : 'persistent browser sessions are not set to never'].filter(Boolean);
    const weak = ps.filter((p) => { const h = ca.signInFrequencyHours(p); return h !== undefined && h > 4; })
      .map((p) => ca.policyObject(p, `sign-in frequency is ${ca.signInFrequencyHours(p)} hours`));
    if (problems.length) return { status: 'Fail', details: `For admins: ${problems.join('; ')}.`, objects: weak };
    // someone excluded from every short-session (or every never-persistent) policy keeps long sessions
    const gaps = [...ca.gaps(ctx, sif), ...ca.gaps(ctx, pb)].filter((g, i, all) => all.findIndex((x) => x.id === g.id) === i);
    if (gaps.length) return { status: 'Fail', details: `Admin session limits are set by ${[...new Set([...sif, ...pb])].map(ca.name).join(', ')}, but ${gaps.length} principal(s) excluded from every such policy keep long sessions.`, objects: gaps, causes: true };
    return { status: 'Pass', details: `Admin sign-in frequency: ${sif.map(ca.name).join(', ')}; never-persistent browser: ${pb.map(ca.name).join(', ')}.` };
  },
};
