import { at, bool, missing, single, str } from '../kit.js';
import type { Check } from '../types.js';

export const A10: Check = {
  id: 'A10',
  title: 'Microsoft Authenticator shows number matching and sign-in context',
  severity: 'medium',
  stage: 'initial-access',
  mappings: { scubagear: ['MS.AAD.3.3v2'], maester: ['CISA.MS.AAD.3.3', 'EIDSCA.AM02', 'EIDSCA.AM03', 'EIDSCA.AM06', 'EIDSCA.AM09'], cis: ['5.2.3.1'] },
  needs: ['graph/v1.0/policies/authenticationMethodsPolicy.json'],
  remediation: 'In the Microsoft Authenticator method settings, enable "Show application name" and "Show geographic location" for all users, keep number matching on, and turn off Authenticator OTP (software OATH) if you do not need it — MFA-fatigue approvals are how stuffed admin passwords get through MFA.',
  run(ctx) {
    const c = ctx.snapshot.graphAny('policies/authenticationMethodsPolicy', ['v1.0', 'beta']);
    const p = single(c);
    if (!p) return missing(c);
    const configs = at(p, 'authenticationMethodConfigurations');
    if (!Array.isArray(configs)) return { status: 'Error', details: `${c.path} has no authenticationMethodConfigurations inline.` };
    const a = configs.find((x) => (str(x, 'id') ?? '').toLowerCase() === 'microsoftauthenticator');
    if (!a) return { status: 'Error', details: 'The MicrosoftAuthenticator method configuration is not in the snapshot.' };
    if ((str(a, 'state') ?? '').toLowerCase() !== 'enabled') return { status: 'NotApplicable', details: 'Microsoft Authenticator is disabled in the methods policy.' };
    const problems: string[] = [];
    const notes: string[] = [];
    for (const [k, label] of [['numberMatchingRequiredState', 'number matching'], ['displayAppInformationRequiredState', 'application name'], ['displayLocationInformationRequiredState', 'geographic location']] as const) {
      const fs = at(a, `featureSettings.${k}`);
      if (fs === undefined || fs === null) { if (k !== 'numberMatchingRequiredState') notes.push(`${label} setting not reported`); continue; }
      const st = (str(fs, 'state') ?? '').toLowerCase();
      const target = (str(fs, 'includeTarget.id') ?? '').toLowerCase();
      if (st === 'disabled') problems.push(`${label} is disabled`);
      else if (st === 'default') notes.push(`${label} is Microsoft-managed`);
      else if (st === 'enabled' && target && target !== 'all_users') notes.push(`${label} only for group ${target}`);
    }
    if (bool(a, 'isSoftwareOathEnabled') === true) problems.push('Authenticator OTP codes are allowed');
    if (problems.length) return { status: 'Fail', details: `Microsoft Authenticator: ${problems.join('; ')}.` };
    if (notes.length) return { status: 'Warn', details: `Microsoft Authenticator: ${notes.join('; ')}.` };
    return { status: 'Pass', details: 'Number matching, application name and location are shown to all users; OTP is off.' };
  },
};
