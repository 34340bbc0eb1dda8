// Entra directory audits in their four carriers. Detection is by shape: Graph objects have camelCase
// activityDisplayName + activityDateTime at the top; diagnostic exports wrap them in {time, category:"AuditLogs",
// properties}; Log Analytics rows have PascalCase columns with InitiatedBy/TargetResources as JSON text.
import { getCI, isObject } from '../../core/json.js';
import { parseTime } from '../../core/time.js';
import { lowerOrUndef, strOrUndef } from '../../core/text.js';
import { baseColumn, laRowFromCsv, laTime } from '../shared/log-analytics.js';
import { quarantine, type Decoder } from '../types.js';
import { auditEvent, tenantOf } from './audit-record.js';

export const graphDirectoryAudit: Decoder = {
  id: 'graph.directoryaudit',
  title: 'Microsoft Graph directoryAudit (/auditLogs/directoryAudits)',
  container: 'json',
  matchRecord: (v) =>
    'activityDisplayName' in v && 'activityDateTime' in v && ('initiatedBy' in v || 'targetResources' in v) && !isObject(v.properties),
  decode(rec) {
    const a = rec.value;
    // directoryAudit carries no tenant id; the actor's homeTenantId is the tenant only for member users
    return auditEvent(a, { tenant: tenantOf(a), time: (x) => parseTime(x.activityDateTime) }, rec, 'graph.directoryaudit');
  },
};

export const diagAudit: Decoder = {
  id: 'azure.diag.audit',
  title: 'Azure Monitor diagnostic export, AuditLogs category (Event Hub / storage)',
  container: 'json',
  matchRecord(v) {
    const p = getCI(v, 'properties');
    if (!isObject(p)) return false;
    if (lowerOrUndef(getCI(v, 'category')) === 'auditlogs') return true;
    // Panther-style records put the Graph category ("ApplicationManagement") in the envelope
    return 'activityDisplayName' in p && ('targetResources' in p || 'initiatedBy' in p) && !('riskEventType' in p);
  },
  decode(rec) {
    const v = rec.value;
    const p = getCI(v, 'properties');
    if (!isObject(p)) return quarantine('diagnostic record without a properties object; expected {time, category, properties}');
    const a = { ...p };
    if (a.activityDisplayName === undefined && a.operationName === undefined) a.operationName = getCI(v, 'operationName');
    return auditEvent(
      a,
      {
        tenant: tenantOf(v, p),
        callerIp: getCI(v, 'callerIpAddress'),
        identity: strOrUndef(getCI(v, 'identity')),
        resultDescription: strOrUndef(getCI(v, 'resultDescription')),
        correlationId: getCI(v, 'correlationId'),
        // activityDateTime is the event; the envelope `time` is the fallback (equal for AuditLogs in every sample)
        time: (x) => parseTime(x.activityDateTime) ?? parseTime(getCI(v, 'time')),
      },
      rec,
      'azure.diag.audit',
    );
  },
};

function laEnvelope(row: Record<string, unknown>, time: (x: Record<string, unknown>) => number | undefined) {
  return {
    tenant: tenantOf({ tenantId: getCI(row, 'AADTenantId') }, row),
    resultDescription: strOrUndef(getCI(row, 'ResultDescription')),
    identity: strOrUndef(getCI(row, 'Identity')),
    time,
  };
}

export const laAudit: Decoder = {
  id: 'loganalytics.audit',
  title: 'Log Analytics / Sentinel AuditLogs table rows (JSON/NDJSON export)',
  container: 'json',
  matchRecord: (v) =>
    v.Type === 'AuditLogs' || ('InitiatedBy' in v && 'TargetResources' in v && ('OperationName' in v || 'ActivityDisplayName' in v)),
  decode(rec) {
    const row = rec.value;
    return auditEvent(
      row,
      laEnvelope(row, (x) => parseTime(getCI(x, 'ActivityDateTime')) ?? parseTime(getCI(x, 'TimeGenerated'))),
      rec,
      'loganalytics.audit',
    );
  },
};

export const laAuditCsv: Decoder = {
  id: 'loganalytics.audit.csv',
  title: 'Log Analytics portal CSV export of AuditLogs',
  container: 'csv',
  matchHeader(header) {
    const cols = new Set(header.map(baseColumn));
    return cols.has('InitiatedBy') && cols.has('TargetResources') && (cols.has('OperationName') || cols.has('ActivityDisplayName'));
  },
  decode(rec, ctx) {
    const parsed = laRowFromCsv(rec.value, rec.header ?? Object.keys(rec.value), ctx);
    if ('error' in parsed) return quarantine(parsed.error);
    const row = parsed.record;
    return auditEvent(
      row,
      laEnvelope(row, (x) => laTime(getCI(x, 'ActivityDateTime'), parsed.tz, ctx) ?? laTime(getCI(x, 'TimeGenerated'), parsed.tz, ctx)),
      rec,
      'loganalytics.audit.csv',
    );
  },
};

export const entraAuditDecoders: Decoder[] = [graphDirectoryAudit, diagAudit, laAudit, laAuditCsv];
