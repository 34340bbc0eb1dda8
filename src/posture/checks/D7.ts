import { bool, missing, str } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

export const D7: Check = {
  id: 'D7',
  title: 'Automatic forwarding to external domains is off',
  severity: 'medium',
  stage: 'connector-spam',
  mappings: { scubagear: ['MS.EXO.1.1v2'], maester: ['CISA.MS.EXO.1.1'], cis: ['6.2.1'] },
  needs: ['exchange/Get-RemoteDomain.json', 'exchange/Get-HostedOutboundSpamFilterPolicy.json'],
  remediation: 'Set-RemoteDomain Default -AutoForwardEnabled $false (and for every other remote domain unless documented), and Set-HostedOutboundSpamFilterPolicy -AutoForwardingMode Off.',
  run(ctx) {
    const rd = ctx.snapshot.exchange('Get-RemoteDomain');
    if (rd.state !== 'ok') return missing(rd);
    const objects: AuditObject[] = [];
    for (const d of rd.items) {
      if (bool(d, 'AutoForwardEnabled') === true) objects.push({ type: 'domain', id: str(d, 'Identity'), name: `${str(d, 'Name') ?? '(remote domain)'} (${str(d, 'DomainName') ?? '?'})`, reason: 'AutoForwardEnabled is true' });
    }
    const osp = ctx.snapshot.exchange('Get-HostedOutboundSpamFilterPolicy');
    for (const p of osp.items) {
      const mode = (str(p, 'AutoForwardingMode') ?? '').toLowerCase();
      if (mode === 'on') objects.push({ type: 'policy', id: str(p, 'Identity'), name: str(p, 'Name') ?? '(policy)', reason: 'AutoForwardingMode is On' });
    }
    if (objects.length) return { status: 'Fail', details: 'External automatic forwarding is allowed somewhere.', objects, causes: true };
    if (osp.state !== 'ok') return { status: 'Warn', details: `Remote domains block auto-forwarding; the outbound policy's AutoForwardingMode could not be read (${osp.reason}).` };
    return { status: 'Pass', details: 'Remote domains block auto-forwarding and no outbound policy turns it on.' };
  },
};
