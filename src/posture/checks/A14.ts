import { bool, missing, plural, single, str } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

export const A14: Check = {
  id: 'A14',
  title: 'SMTP AUTH is disabled, including per-mailbox overrides',
  severity: 'high',
  stage: 'initial-access',
  mappings: { scubagear: ['MS.EXO.5.1v1'], maester: ['CISA.MS.EXO.5.1'], cis: ['6.5.4'] },
  needs: ['exchange/Get-TransportConfig.json', 'exchange/Get-CASMailbox.json'],
  remediation: 'Set-TransportConfig -SmtpClientAuthenticationDisabled $true; for each listed mailbox Set-CASMailbox <id> -SmtpClientAuthenticationDisabled $null (inherit) unless a documented device needs it (then exempt it in the config). SMTP AUTH accepts a stuffed password without MFA.',
  run(ctx) {
    const tc = ctx.snapshot.exchange('Get-TransportConfig');
    const t = single(tc);
    if (!t) return missing(tc);
    const org = bool(t, 'SmtpClientAuthenticationDisabled');
    if (org === undefined) return { status: 'Error', details: 'Get-TransportConfig has no SmtpClientAuthenticationDisabled property.' };
    const cas = ctx.snapshot.exchange('Get-CASMailbox');
    const overrides: AuditObject[] = cas.items
      .filter((m) => bool(m, 'SmtpClientAuthenticationDisabled') === false)
      .map((m) => ({ type: 'mailbox' as const, id: str(m, 'ExternalDirectoryObjectId') ?? str(m, 'Guid') ?? str(m, 'Identity'), name: str(m, 'PrimarySmtpAddress') ?? str(m, 'Identity') ?? '(mailbox)', reason: 'SMTP AUTH explicitly enabled on this mailbox' }));
    if (!org) {
      const orgObj: AuditObject = { type: 'setting', id: 'SmtpClientAuthenticationDisabled', name: 'Organisation-wide SMTP AUTH (Get-TransportConfig)', reason: 'SmtpClientAuthenticationDisabled is false' };
      return { status: 'Fail', details: `SMTP AUTH is enabled for the whole organisation${overrides.length ? ` and explicitly on ${plural(overrides.length, 'mailbox', 'mailboxes')}` : ''}.`, objects: [orgObj, ...overrides], causes: true };
    }
    if (overrides.length) return { status: 'Fail', details: `SMTP AUTH is off for the organisation but re-enabled on ${plural(overrides.length, 'mailbox', 'mailboxes')}.`, objects: overrides, causes: true };
    if (cas.state !== 'ok') return { status: 'Warn', details: `SMTP AUTH is off for the organisation; per-mailbox overrides could not be checked (${cas.reason}).` };
    return { status: 'Pass', details: `SMTP AUTH is off for the organisation and no mailbox (of ${cas.items.length}) re-enables it.` };
  },
};
