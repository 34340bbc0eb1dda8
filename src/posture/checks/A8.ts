import { at, missing, single, str } from '../kit.js';
import type { AuditObject, Check } from '../types.js';

export const A8: Check = {
  id: 'A8',
  title: 'Weak MFA methods (SMS, voice, email OTP) are off',
  severity: 'medium',
  stage: 'initial-access',
  mappings: { scubagear: ['MS.AAD.3.5v2', 'MS.AAD.3.4v1'], maester: ['CISA.MS.AAD.3.5', 'EIDSCA.AV01', 'EIDSCA.AS04', 'EIDSCA.AG01'], cis: ['5.2.3.5', '5.2.3.7'] },
  needs: ['graph/v1.0/policies/authenticationMethodsPolicy.json'],
  remediation: 'In Entra > Authentication methods > Policies, disable SMS, Voice call and Email OTP (keep Email OTP only if guests need it and scope it to them), and finish the migration to the authentication methods policy.',
  run(ctx) {
    const c = ctx.snapshot.graphAny('policies/authenticationMethodsPolicy', ['v1.0', 'beta']);
    const p = single(c);
    if (!p) return missing(c, 'needs Policy.Read.All');
    const configs = at(p, 'authenticationMethodConfigurations');
    if (!Array.isArray(configs)) return { status: 'Error', details: `${c.path} has no authenticationMethodConfigurations; collect the policy with its configurations inline.` };
    const objects: AuditObject[] = [];
    for (const id of ['Sms', 'Voice', 'Email']) {
      const conf = configs.find((x) => (str(x, 'id') ?? '').toLowerCase() === id.toLowerCase());
      if (conf && (str(conf, 'state') ?? '').toLowerCase() === 'enabled') objects.push({ type: 'setting', id, name: `${id} authentication method`, reason: 'enabled' });
    }
    const mig = str(p, 'policyMigrationState');
    if (mig && !/^(migrationcomplete)$/i.test(mig)) objects.push({ type: 'setting', id: 'policyMigrationState', name: 'Authentication methods migration', reason: `state ${mig}: legacy MFA/SSPR settings still apply` });
    if (objects.length) return { status: 'Fail', details: `${objects.map((o) => o.name).join('; ')} ${objects.length === 1 ? 'needs' : 'need'} attention.`, objects, causes: true };
    return { status: 'Pass', details: 'SMS, voice and email OTP are disabled and the methods policy migration is complete (or not reported).' };
  },
};
