import { evaluateMfa } from '../ca-mfa.js';
import type { Check } from '../types.js';

export const A3: Check = {
  id: 'A3',
  title: 'Admins must use phishing-resistant MFA',
  severity: 'high',
  stage: 'initial-access',
  mappings: { scubagear: ['MS.AAD.3.6v1'], maester: ['CISA.MS.AAD.3.6'], cis: ['5.2.2.5'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json', 'graph/v1.0/identity/conditionalAccess/authenticationStrength/policies.json'],
  remediation: 'Require the built-in "Phishing-resistant MFA" authentication strength (FIDO2 / passkeys, Windows Hello for Business, certificate-based MFA) in a CA policy that targets every admin role and All resources; register such a method for each admin first (A6).',
  run: (ctx) => evaluateMfa(ctx, 'admins', 'phishing-resistant'),
};
