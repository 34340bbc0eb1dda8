import { evaluateMfa } from '../ca-mfa.js';
import type { Check } from '../types.js';

export const A4: Check = {
  id: 'A4',
  title: 'Everyone must use phishing-resistant MFA',
  severity: 'high',
  stage: 'initial-access',
  mappings: { scubagear: ['MS.AAD.3.1v1'], maester: ['CISA.MS.AAD.3.1'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json', 'graph/v1.0/identity/conditionalAccess/authenticationStrength/policies.json'],
  remediation: 'Roll out passkeys/FIDO2 or Windows Hello for Business, then require the "Phishing-resistant MFA" authentication strength for All users and All resources.',
  run: (ctx) => evaluateMfa(ctx, 'all', 'phishing-resistant'),
};
