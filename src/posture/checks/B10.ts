import * as ca from '../ca.js';
import { inList, list } from '../kit.js';
import type { Check } from '../types.js';

export const B10: Check = {
  id: 'B10',
  title: 'Registering MFA methods requires a trusted device or location',
  severity: 'high',
  stage: 'initial-access',
  mappings: { scubagear: ['MS.AAD.3.8v1'], maester: ['CISA.MS.AAD.3.8', 'MT.1011'], cis: ['5.2.2.10'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json'],
  remediation: 'Turn on a CA policy for All users with User actions > "Register security information" that requires a compliant/hybrid-joined device, or blocks outside trusted locations, so an attacker with a stuffed password cannot enrol their own MFA method.',
  run(ctx) {
    const u = ca.caUnavailable(ctx);
    if (u) return u;
    const ok = ca.caPolicies(ctx).items.filter((p) => {
      if (!ca.enabled(p) || !ca.allUsers(p) || !inList(list(p, 'conditions.applications.includeUserActions'), 'urn:user:registersecurityinfo')) return false;
      const b = ca.builtIn(p);
      if (b.includes('compliantdevice') || b.includes('domainjoineddevice')) return true;
      const inc = list(p, 'conditions.locations.includeLocations');
      const exc = list(p, 'conditions.locations.excludeLocations');
      return b.includes('block') && inList(inc, 'All') && exc.length > 0;
    });
    if (!ok.length) return { status: 'Fail', details: 'No enabled CA policy protects the "Register security information" user action with a device or location requirement.' };
    const gaps = ca.gaps(ctx, ok);
    if (gaps.length) return { status: 'Fail', details: 'MFA registration is protected, but some principals are excluded from every protecting policy.', objects: gaps, causes: true };
    return { status: 'Pass', details: `MFA registration is protected by ${ok.map((p) => `"${ca.name(p)}"`).join(', ')}.` };
  },
};
