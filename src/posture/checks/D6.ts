import { bool, missing, single } from '../kit.js';
import type { Check } from '../types.js';

export const D6: Check = {
  id: 'D6',
  title: 'Direct Send with the tenant\'s own domains is rejected',
  severity: 'medium',
  stage: 'connector-spam',
  mappings: { scubagear: ['MS.EXO.2.2v3', 'MS.EXO.4.1v1', 'MS.EXO.4.2v1'], maester: ['MT.1062'] },
  needs: ['exchange/Get-OrganizationConfig.json'],
  remediation: 'Set-OrganizationConfig -RejectDirectSend $true, after moving any printers/apps that send as your domains to an authenticated connector. Publish SPF "-all" and DMARC p=reject for every accepted domain (DNS is not part of a snapshot; check it separately).',
  run(ctx) {
    const c = ctx.snapshot.exchange('Get-OrganizationConfig');
    const o = single(c);
    if (!o) return missing(c);
    const v = bool(o, 'RejectDirectSend');
    if (v === undefined) return { status: 'Error', details: 'Get-OrganizationConfig has no RejectDirectSend property (older export or the setting is not rolled out to this tenant).' };
    return v ? { status: 'Pass', details: 'Direct Send is rejected (SPF/DMARC need a DNS check outside the snapshot).' } : { status: 'Fail', details: 'Direct Send is accepted: anyone can send unauthenticated mail as your domains to your users.' };
  },
};
