import * as ca from '../ca.js';
import { list } from '../kit.js';
import type { Check } from '../types.js';

export const A5: Check = {
  id: 'A5',
  title: 'Legacy authentication is blocked',
  severity: 'critical',
  stage: 'initial-access',
  mappings: { scubagear: ['MS.AAD.1.1v1'], maester: ['CISA.MS.AAD.1.1', 'MT.1009', 'MT.1010'], cis: ['5.2.2.3'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json'],
  remediation: 'Turn on a CA policy for All users and All resources with client apps "Exchange ActiveSync clients" and "Other clients" and grant: Block access. Legacy protocols cannot do MFA, so a stuffed password works there.',
  run(ctx) {
    const u = ca.caUnavailable(ctx);
    if (u) return u;
    const covers = (p: Record<string, unknown>) => {
      const apps = list(p, 'conditions.clientAppTypes').map((x) => x.toLowerCase());
      // other conditions (locations, device code flow, …) would make the block partial
      const other = ca.narrowing(p).filter((n) => n !== 'client app types');
      return ca.allUsers(p) && ca.allApps(p) && ca.blocks(p) && !ca.riskScoped(p) && other.length === 0 &&
        (apps.includes('all') || (apps.includes('exchangeactivesync') && apps.includes('other')));
    };
    const all = ca.caPolicies(ctx).items;
    const ok = all.filter((p) => ca.enabled(p) && covers(p));
    if (!ok.length) {
      const ro = all.filter((p) => ca.reportOnly(p) && covers(p));
      return { status: 'Fail', details: `No enabled CA policy blocks legacy authentication (Exchange ActiveSync and other clients) for all users.${ro.length ? ' One exists in report-only mode.' : ''}`, objects: ro.map((p) => ca.policyObject(p, 'report-only: not enforced')) };
    }
    const gaps = ca.gaps(ctx, ok);
    if (gaps.length) return { status: 'Fail', details: `Legacy authentication is blocked by ${ok.map(ca.name).join(', ')}, but some principals are excluded from every such policy.`, objects: gaps, causes: true };
    return { status: 'Pass', details: `Legacy authentication is blocked for all users by ${ok.map((p) => `"${ca.name(p)}"`).join(', ')}.` };
  },
};
