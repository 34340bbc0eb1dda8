import { at, bool, list, missing, single, str } from '../kit.js';
import type { Check } from '../types.js';

export const A9: Check = {
  id: 'A9',
  title: 'FIDO2 / passkeys are enabled with attestation',
  severity: 'medium',
  stage: 'initial-access',
  mappings: { maester: ['EIDSCA.AF01', 'EIDSCA.AF02', 'EIDSCA.AF03', 'EIDSCA.AF04', 'EIDSCA.AF05', 'EIDSCA.AF06'] },
  needs: ['graph/v1.0/policies/authenticationMethodsPolicy.json'],
  remediation: 'Enable the Passkey (FIDO2) method for all users (at least admins), enforce attestation, and if you restrict keys, list the allowed AAGUIDs.',
  run(ctx) {
    const c = ctx.snapshot.graphAny('policies/authenticationMethodsPolicy', ['v1.0', 'beta']);
    const p = single(c);
    if (!p) return missing(c);
    const configs = at(p, 'authenticationMethodConfigurations');
    if (!Array.isArray(configs)) return { status: 'Error', details: `${c.path} has no authenticationMethodConfigurations inline.` };
    const f = configs.find((x) => (str(x, 'id') ?? '').toLowerCase() === 'fido2');
    if (!f) return { status: 'Error', details: 'The Fido2 method configuration is not in the snapshot.' };
    if ((str(f, 'state') ?? '').toLowerCase() !== 'enabled') return { status: 'Fail', details: 'The FIDO2/passkey method is disabled: admins cannot register a phishing-resistant method.' };
    const problems: string[] = [];
    if (bool(f, 'isAttestationEnforced') !== true) problems.push('attestation is not enforced');
    if (bool(f, 'keyRestrictions.isEnforced') === true && list(f, 'keyRestrictions.aaGuids').length === 0) problems.push('key restrictions are enforced with an empty AAGUID list');
    if (problems.length) return { status: 'Warn', details: `FIDO2 is enabled but ${problems.join(' and ')}.` };
    return { status: 'Pass', details: 'FIDO2/passkeys are enabled with attestation enforced.' };
  },
};
