import { evaluateMfa } from '../ca-mfa.js';
import type { Check } from '../types.js';

export const A2: Check = {
  id: 'A2',
  title: 'Conditional Access requires MFA for every admin role',
  severity: 'critical',
  stage: 'initial-access',
  mappings: { maester: ['MT.1006'], cis: ['5.2.2.1'] },
  needs: ['graph/beta/identity/conditionalAccess/policies.json'],
  remediation: 'Turn on a CA policy that targets the directory roles Global, Privileged Role, Privileged Authentication, Exchange, SharePoint, User, Application, Cloud Application, Hybrid Identity and Security Administrator (or All users), All resources, grant: require MFA.',
  run: (ctx) => evaluateMfa(ctx, 'admins', 'mfa'),
};
