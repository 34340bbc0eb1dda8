import { evaluateMfa } from '../ca-mfa.js';
import type { Check } from '../types.js';

export const A1: Check = {
  id: 'A1',
  title: 'Conditional Access requires MFA for all users',
  severity: 'critical',
  stage: 'initial-access',
  mappings: { scubagear: ['MS.AAD.3.2v2'], maester: ['CISA.MS.AAD.3.2', 'MT.1007'], cis: ['5.2.2.2'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json'],
  remediation: 'Turn on a CA policy for All users and All resources that grants access only with MFA (or an authentication strength), with no risk condition; exclude only the break-glass accounts listed under audit.breakGlass in the config.',
  run: (ctx) => evaluateMfa(ctx, 'all', 'mfa'),
};
