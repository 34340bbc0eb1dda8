import { bool, list, missing, str } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

export const D3: Check = {
  id: 'D3',
  title: 'Admins are notified when a user is blocked for sending spam',
  severity: 'medium',
  stage: 'connector-spam',
  mappings: { maester: ['CIS.M365.2.1.6'], cis: ['2.1.6'] },
  needs: ['exchange/Get-HostedOutboundSpamFilterPolicy.json'],
  remediation: 'Set-HostedOutboundSpamFilterPolicy -NotifyOutboundSpam $true -NotifyOutboundSpamRecipients secops@… -BccSuspiciousOutboundMail $true -BccSuspiciousOutboundAdditionalRecipients secops@…',
  run(ctx) {
    const c = ctx.snapshot.exchange('Get-HostedOutboundSpamFilterPolicy');
    if (c.state !== 'ok' || !c.items.length) return missing(c);
    const objects: AuditObject[] = [];
    for (const p of c.items) {
      const problems: string[] = [];
      if (bool(p, 'NotifyOutboundSpam') !== true || !list(p, 'NotifyOutboundSpamRecipients').length) problems.push('no outbound-spam notification recipients');
      if (bool(p, 'BccSuspiciousOutboundMail') !== true || !list(p, 'BccSuspiciousOutboundAdditionalRecipients').length) problems.push('suspicious outbound mail is not BCCed');
      if (problems.length) objects.push({ type: 'policy', id: str(p, 'Identity'), name: str(p, 'Name') ?? str(p, 'Identity') ?? '(policy)', reason: problems.join('; ') });
    }
    if (objects.some((o) => /notification/.test(o.reason))) return { status: 'Fail', details: 'Nobody is told when a user is restricted for sending spam.', objects, causes: true };
    if (objects.length) return { status: 'Warn', details: 'Notifications are on but suspicious outbound mail is not copied for review.', objects, causes: true };
    return { status: 'Pass', details: 'Outbound spam notifications and BCC are configured.' };
  },
};
