import { PROTECTION_ALERTS } from '../ids.js';
import { bool, list, missing, str } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

export const B13: Check = {
  id: 'B13',
  title: 'Protection alerts for connector abuse and spam sending are on and notify someone',
  severity: 'high',
  stage: 'connector-spam',
  mappings: { scubagear: ['MS.SECURITYSUITE.4.1v1', 'MS.SECURITYSUITE.4.2v1'], maester: ['CISA.MS.EXO.16.1'] },
  needs: ['exchange/Get-ProtectionAlert.json'],
  remediation: 'In Defender > Policies > Alert policy, make sure the listed built-in alerts are on and send email notifications to a monitored mailbox (Set-ProtectionAlert -NotifyUser).',
  run(ctx) {
    const c = ctx.snapshot.exchange('Get-ProtectionAlert');
    if (c.state !== 'ok') return missing(c, 'Security & Compliance PowerShell / endpoint');
    const objects: AuditObject[] = [];
    for (const want of PROTECTION_ALERTS) {
      const a = c.items.find((x) => [str(x, 'ImmutableId'), str(x, 'ExchangeObjectId'), str(x, 'Guid')].some((v) => v?.toLowerCase() === want.id) || (str(x, 'Name') ?? '').toLowerCase() === want.name.toLowerCase());
      if (!a) { objects.push({ type: 'alert', id: want.id, name: want.name, reason: 'not present' }); continue; }
      if (bool(a, 'Disabled') === true) objects.push({ type: 'alert', id: want.id, name: want.name, reason: 'disabled' });
      else if (bool(a, 'NotificationEnabled') === false || list(a, 'NotifyUser').length === 0) objects.push({ type: 'alert', id: want.id, name: want.name, reason: 'on, but notifies nobody' });
    }
    if (objects.length) return { status: 'Fail', details: `${objects.length} of ${PROTECTION_ALERTS.length} chain-relevant alerts are missing, off or silent.`, objects, causes: true };
    return { status: 'Pass', details: `All ${PROTECTION_ALERTS.length} chain-relevant protection alerts are on and notify someone.` };
  },
};
