import { bool, list, missing, str } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

export const D5: Check = {
  id: 'D5',
  title: 'No IP allow list or safe list in connection filtering',
  severity: 'medium',
  stage: 'connector-spam',
  mappings: { scubagear: ['MS.SECURITYSUITE.8.1v1', 'MS.SECURITYSUITE.8.2v1'], maester: ['CISA.MS.EXO.12.1', 'CISA.MS.EXO.12.2', 'CIS.M365.2.1.12', 'CIS.M365.2.1.13'], cis: ['2.1.12', '2.1.13'] },
  needs: ['exchange/Get-HostedConnectionFilterPolicy.json'],
  remediation: 'Set-HostedConnectionFilterPolicy Default -IPAllowList @{} -EnableSafeList $false. Allowed sender domains in anti-spam policies (Get-HostedContentFilterPolicy) are not in the snapshot: check them too.',
  run(ctx) {
    const c = ctx.snapshot.exchange('Get-HostedConnectionFilterPolicy');
    if (c.state !== 'ok' || !c.items.length) return missing(c);
    const objects: AuditObject[] = [];
    for (const p of c.items) {
      const why: string[] = [];
      const allow = list(p, 'IPAllowList');
      if (allow.length) why.push(`IP allow list: ${allow.join(', ')}`);
      if (bool(p, 'EnableSafeList') === true) why.push('safe list enabled');
      if (why.length) objects.push({ type: 'policy', id: str(p, 'Identity'), name: str(p, 'Name') ?? '(policy)', reason: why.join('; ') });
    }
    if (objects.length) return { status: 'Fail', details: 'Connection filtering skips spam checks for some senders.', objects, causes: true };
    return { status: 'Pass', details: 'Connection filter IP allow lists are empty and the safe list is off.' };
  },
};
