import { bool, missing, single } from '../kit.js';
import type { Check } from '../types.js';

export const A15: Check = {
  id: 'A15',
  title: 'Exchange Online modern authentication is on',
  severity: 'medium',
  stage: 'initial-access',
  mappings: { maester: ['MT.1044'], cis: ['6.5.1'] },
  needs: ['exchange/Get-OrganizationConfig.json'],
  remediation: 'Set-OrganizationConfig -OAuth2ClientProfileEnabled $true so Outlook clients use modern authentication (and therefore MFA and Conditional Access).',
  run(ctx) {
    const c = ctx.snapshot.exchange('Get-OrganizationConfig');
    const o = single(c);
    if (!o) return missing(c);
    const v = bool(o, 'OAuth2ClientProfileEnabled');
    if (v === undefined) return { status: 'Error', details: 'Get-OrganizationConfig has no OAuth2ClientProfileEnabled property.' };
    return v ? { status: 'Pass', details: 'OAuth2ClientProfileEnabled is true.' } : { status: 'Fail', details: 'OAuth2ClientProfileEnabled is false: Outlook clients use basic authentication without MFA.' };
  },
};
