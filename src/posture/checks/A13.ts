import * as ca from '../ca.js';
import { at, str } from '../kit.js';
import type { Check } from '../types.js';

export const A13: Check = {
  id: 'A13',
  title: 'Device code flow is blocked',
  severity: 'medium',
  stage: 'initial-access',
  mappings: { scubagear: ['MS.AAD.3.9v1'], maester: ['MT.1052'], cis: ['5.2.2.12'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json'],
  remediation: 'Turn on a CA policy for All users and All resources with Conditions > Authentication flows > Device code flow, grant: Block (exclude only accounts that really need it, e.g. meeting-room devices).',
  run(ctx) {
    const u = ca.caUnavailable(ctx);
    if (u) return u;
    const c = ca.caPolicies(ctx);
    // transferMethods is a comma-joined flag string ("deviceCodeFlow,authenticationTransfer")
    const dc = (p: Record<string, unknown>) => (str(p, 'conditions.authenticationFlows.transferMethods') ?? '').split(',').map((s) => s.trim().toLowerCase()).includes('devicecodeflow');
    const ok = c.items.filter((p) => ca.enabled(p) && ca.allUsers(p) && ca.allApps(p) && ca.blocks(p) && dc(p));
    if (ok.length) {
      const gaps = ca.gaps(ctx, ok);
      if (gaps.length) return { status: 'Fail', details: 'Device code flow is blocked, but some principals are excluded from every blocking policy.', objects: gaps, causes: true };
      return { status: 'Pass', details: `Device code flow is blocked by ${ok.map((p) => `"${ca.name(p)}"`).join(', ')}.` };
    }
    if (c.path.includes('/v1.0/') && !c.items.some((p) => at(p, 'conditions.authenticationFlows') !== undefined)) {
      return { status: 'Error', details: 'The CA policies were read from v1.0, which may omit authenticationFlows; collect graph/beta/identity/conditionalAccess/policies.json.' };
    }
    return { status: 'Fail', details: 'No enabled CA policy blocks the device code flow for all users (device-code phishing needs no password).' };
  },
};
