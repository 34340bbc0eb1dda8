import { bool, missing, single } from '../kit.js';
import type { Check } from '../types.js';

export const B12: Check = {
  id: 'B12',
  title: 'Unified audit log ingestion is on',
  severity: 'high',
  stage: 'admin-compromise',
  mappings: { scubagear: ['MS.SECURITYSUITE.5.1v1'], maester: ['CISA.MS.EXO.17.1'], cis: ['3.1.1'] },
  needs: ['exchange/Get-AdminAuditLogConfig.json'],
  remediation: 'Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true. Without the unified audit log there is no record of the connector, transport rule and app changes this attack makes. Also export Entra audit and sign-in logs to a SIEM (not visible in a snapshot).',
  run(ctx) {
    const c = ctx.snapshot.exchange('Get-AdminAuditLogConfig');
    const o = single(c);
    if (!o) return missing(c);
    const v = bool(o, 'UnifiedAuditLogIngestionEnabled');
    if (v === undefined) return { status: 'Error', details: 'Get-AdminAuditLogConfig has no UnifiedAuditLogIngestionEnabled property.' };
    return v ? { status: 'Pass', details: 'Unified audit log ingestion is enabled.' } : { status: 'Fail', details: 'Unified audit log ingestion is disabled: admin and mailbox activity is not recorded.' };
  },
};
