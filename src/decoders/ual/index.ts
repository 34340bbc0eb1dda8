// Unified audit log decoders: one normalizer (normalize.ts) behind several wrappers.
//   JSON: Management Activity API records, Graph audit log query auditLogRecord, Search-UnifiedAuditLog objects
//         (ConvertTo-Json), Sentinel OfficeActivity rows.
//   CSV:  Purview portal export, Search-UnifiedAuditLog | Export-Csv (and the legacy portal export),
//         flattened AuditData-only exports, Sentinel OfficeActivity portal export.
// docs/formats/ual.md lists the headers and the assumptions made where no real sample was available.
import { maybeJson } from '../../core/json.js';
import type { Decoder, RawRecord } from '../types.js';
import { normalizeUal } from './normalize.js';
import { decodeOfficeActivityCsv, decodeOfficeActivityJson, isOfficeActivityHeader, isOfficeActivityRecord } from './officeactivity.js';
import { decodeWrapped, GRAPH_WRAPPER, POWERSHELL_WRAPPER } from './wrapped.js';
import type { Rec } from './fields.js';

const has = (v: Rec, k: string): boolean => Object.prototype.hasOwnProperty.call(v, k);
const headerSet = (header: string[]): Set<string> => new Set(header.map((h) => h.trim().toLowerCase()));

export const graphAuditLogRecord: Decoder = {
  id: 'graph.auditlogrecord',
  title: 'Microsoft Graph audit log query API auditLogRecord (security/auditLog/queries/{id}/records)',
  container: 'json',
  matchRecord: (v) => has(v, 'auditData') && (has(v, 'auditLogRecordType') || (has(v, 'createdDateTime') && has(v, 'operation'))),
  decode: (rec, ctx) => decodeWrapped(rec, ctx, 'graph.auditlogrecord', 'auditData', GRAPH_WRAPPER),
};

export const powershellUalJson: Decoder = {
  id: 'ual.json.powershell',
  title: 'Search-UnifiedAuditLog objects as JSON (ConvertTo-Json; Extractor Suite JSON output)',
  container: 'json',
  matchRecord: (v) => has(v, 'AuditData') && (has(v, 'Operations') || has(v, 'UserIds') || has(v, 'CreationDate') || has(v, 'RecordId')),
  decode: (rec, ctx) => decodeWrapped(rec, ctx, 'ual.json.powershell', 'AuditData', POWERSHELL_WRAPPER),
};

export const officeActivityJson: Decoder = {
  id: 'loganalytics.officeactivity',
  title: 'Microsoft Sentinel / Log Analytics OfficeActivity rows (JSON, NDJSON)',
  container: 'json',
  matchRecord: isOfficeActivityRecord,
  decode: (rec) => decodeOfficeActivityJson(rec, 'loganalytics.officeactivity'),
};

export const managementApi: Decoder = {
  id: 'o365.mgmt',
  title: 'Office 365 Management Activity API records (Audit.AzureActiveDirectory/Exchange/SharePoint/General; UAL JSON)',
  container: 'json',
  matchRecord: (v) => has(v, 'CreationTime') && (has(v, 'Operation') || has(v, 'RecordType') || has(v, 'Workload')),
  decode: (rec) => normalizeUal(rec.value, { rec, format: 'o365.mgmt' }),
};

export const purviewCsv: Decoder = {
  id: 'ual.csv.purview',
  title: 'Microsoft Purview audit search CSV export (RecordId, CreationDate, RecordType, Operation, UserId, AuditData, ...)',
  container: 'csv',
  matchHeader: (header) => {
    const h = headerSet(header);
    return h.has('auditdata') && h.has('recordid');
  },
  decode: (rec, ctx) => decodeWrapped(rec, ctx, 'ual.csv.purview', 'AuditData', POWERSHELL_WRAPPER),
};

export const powershellCsv: Decoder = {
  id: 'ual.csv.powershell',
  title: 'Search-UnifiedAuditLog | Export-Csv, and the legacy audit log CSV (CreationDate, UserIds, Operations, AuditData)',
  container: 'csv',
  matchHeader: (header) => {
    const h = headerSet(header);
    return h.has('auditdata') && (h.has('userids') || h.has('operations') || h.has('creationdate'));
  },
  decode: (rec, ctx) => decodeWrapped(rec, ctx, 'ual.csv.powershell', 'AuditData', POWERSHELL_WRAPPER),
};

// PowerShell writes nested values of a flattened object as their type name; those cells carry nothing.
const PS_TYPE_NAME = /^System\.[A-Za-z.]+(\[\])?$|^System\.Management\.Automation\.PSCustomObject$/;

export const flatCsv: Decoder = {
  id: 'ual.csv.flat',
  title: 'UAL records flattened to CSV columns (AuditData-only exports: CreationTime, Id, Operation, RecordType, ...)',
  container: 'csv',
  matchHeader: (header) => {
    const h = headerSet(header);
    return !h.has('auditdata') && h.has('creationtime') && h.has('operation') && h.has('recordtype') && (h.has('id') || h.has('organizationid'));
  },
  decode: (rec: RawRecord) => {
    const r: Rec = {};
    for (const [k, v] of Object.entries(rec.value)) {
      if (typeof v === 'string' && (v === '' || PS_TYPE_NAME.test(v.trim()))) continue;
      r[k] = typeof v === 'string' ? maybeJson(v) : v;
    }
    return normalizeUal(r, { rec, format: 'ual.csv.flat' });
  },
};

export const officeActivityCsv: Decoder = {
  id: 'loganalytics.officeactivity.csv',
  title: 'Microsoft Sentinel / Log Analytics OfficeActivity portal CSV export',
  container: 'csv',
  matchHeader: isOfficeActivityHeader,
  decode: (rec, ctx) => decodeOfficeActivityCsv(rec, ctx, 'loganalytics.officeactivity.csv'),
};

/** In registry order: wrappers before the bare record matcher (a wrapper row also has record-like keys). */
export const ualDecoders: Decoder[] = [
  graphAuditLogRecord,
  powershellUalJson,
  officeActivityJson,
  managementApi,
  purviewCsv,
  powershellCsv,
  officeActivityCsv,
  flatCsv,
];
