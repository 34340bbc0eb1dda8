// Identity Protection in its carriers: Graph (riskDetection, servicePrincipalRiskDetection, riskyUser,
// riskyServicePrincipal), the diagnostic export (categories UserRiskEvents, RiskyUsers, ServicePrincipalRiskEvents,
// RiskyServicePrincipals) and Log Analytics tables (AADUserRiskEvents, AADRiskyUsers, AADServicePrincipalRiskEvents,
// AADRiskyServicePrincipals) as JSON rows or portal CSV.
import { getCI, isObject } from '../../core/json.js';
import { parseTime } from '../../core/time.js';
import { lowerOrUndef } from '../../core/text.js';
import { tenantOf } from '../entra-audit/audit-record.js';
import { baseColumn, laRowFromCsv, laTime } from '../shared/log-analytics.js';
import { quarantine, type Decoder } from '../types.js';
import { riskEvent, riskKindOfName, riskKindOfShape } from './risk-record.js';

const isGraphRisk = (v: Record<string, unknown>): boolean =>
  !isObject(v.properties) && !('TimeGenerated' in v) && !('RiskEventType' in v) && !('RiskLastUpdatedDateTime' in v);

export const graphRiskDetection: Decoder = {
  id: 'graph.riskdetection',
  title: 'Microsoft Graph riskDetection / servicePrincipalRiskDetection (Identity Protection)',
  container: 'json',
  matchRecord: (v) => 'riskEventType' in v && ('detectedDateTime' in v || 'activityDateTime' in v) && isGraphRisk(v),
  decode(rec) {
    const o = rec.value;
    const kind = riskKindOfShape(o) ?? 'detection.user';
    return riskEvent(o, { kind, parse: (x) => parseTime(x) }, rec, 'graph.riskdetection');
  },
};

export const graphRiskyEntity: Decoder = {
  id: 'graph.riskyuser',
  title: 'Microsoft Graph riskyUser / riskyServicePrincipal (Identity Protection state)',
  container: 'json',
  matchRecord: (v) => 'riskLastUpdatedDateTime' in v && 'riskLevel' in v && !('riskEventType' in v) && isGraphRisk(v),
  decode(rec) {
    const o = rec.value;
    const kind = riskKindOfShape(o) ?? 'risky.user';
    return riskEvent(o, { kind, parse: (x) => parseTime(x) }, rec, 'graph.riskyuser');
  },
};

export const diagRisk: Decoder = {
  id: 'azure.diag.risk',
  title: 'Azure Monitor diagnostic export, Identity Protection categories (UserRiskEvents, RiskyUsers, …)',
  container: 'json',
  matchRecord: (v) => isObject(getCI(v, 'properties')) && riskKindOfName(getCI(v, 'category')) !== undefined,
  decode(rec) {
    const v = rec.value;
    const p = getCI(v, 'properties');
    if (!isObject(p)) return quarantine('diagnostic record without a properties object; expected {time, category, properties}');
    const kind = riskKindOfName(getCI(v, 'category')) ?? riskKindOfShape(p) ?? 'detection.user';
    return riskEvent(
      p,
      {
        kind,
        tenant: tenantOf(v),
        operation: getCI(v, 'operationName'),
        callerIp: getCI(v, 'callerIpAddress'),
        // the envelope `time` ("3/24/2022 2:42:35 PM") is the export time; properties carry the event time
        fallbackTime: getCI(v, 'time'),
        parse: (x) => parseTime(x),
      },
      rec,
      'azure.diag.risk',
    );
  },
};

export const laRisk: Decoder = {
  id: 'loganalytics.risk',
  title: 'Log Analytics / Sentinel AADUserRiskEvents, AADRiskyUsers, AADServicePrincipalRiskEvents, AADRiskyServicePrincipals rows (JSON)',
  container: 'json',
  matchRecord: (v) =>
    riskKindOfName(v.Type) !== undefined || ('RiskEventType' in v && ('DetectedDateTime' in v || 'ActivityDateTime' in v)) || ('RiskLastUpdatedDateTime' in v && 'RiskState' in v),
  decode(rec) {
    const row = rec.value;
    const kind = riskKindOfName(row.Type) ?? riskKindOfShape(row) ?? 'detection.user';
    return riskEvent(
      row,
      { kind, tenant: lowerOrUndef(getCI(row, 'TenantId')), operation: getCI(row, 'OperationName'), fallbackTime: getCI(row, 'TimeGenerated'), parse: (x) => parseTime(x) },
      rec,
      'loganalytics.risk',
    );
  },
};

export const laRiskCsv: Decoder = {
  id: 'loganalytics.risk.csv',
  title: 'Log Analytics portal CSV export of AADUserRiskEvents / AADRiskyUsers (and SP variants)',
  container: 'csv',
  matchHeader(header) {
    const cols = new Set(header.map(baseColumn));
    return (cols.has('RiskEventType') && (cols.has('DetectedDateTime') || cols.has('ActivityDateTime'))) || (cols.has('RiskLastUpdatedDateTime') && cols.has('RiskState'));
  },
  decode(rec, ctx) {
    const parsed = laRowFromCsv(rec.value, rec.header ?? Object.keys(rec.value), ctx);
    if ('error' in parsed) return quarantine(parsed.error);
    const row = parsed.record;
    const kind = riskKindOfName(row.Type) ?? riskKindOfShape(row) ?? 'detection.user';
    return riskEvent(
      row,
      {
        kind,
        tenant: lowerOrUndef(getCI(row, 'TenantId')),
        operation: getCI(row, 'OperationName'),
        fallbackTime: getCI(row, 'TimeGenerated'),
        parse: (x) => laTime(x, parsed.tz, ctx),
      },
      rec,
      'loganalytics.risk.csv',
    );
  },
};

export const entraRiskDecoders: Decoder[] = [graphRiskDetection, graphRiskyEntity, diagRisk, laRisk, laRiskCsv];
