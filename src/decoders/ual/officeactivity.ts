// Microsoft Sentinel / Log Analytics OfficeActivity rows -> UAL records. The table is the UAL record flattened with
// renamed columns (OfficeWorkload, OfficeId, OfficeObjectId, Client_IPAddress, Logon_Type, AADTarget, UserId_ ...),
// RecordType as a string ("50" or "ExchangeAdmin"), ExternalAccess "False", and dynamic columns as JSON text.
// TenantId is the Log Analytics workspace, not the Microsoft 365 tenant: the tenant is OrganizationId.
import { getCI } from '../../core/json.js';
import { parseTime } from '../../core/time.js';
import { quarantine, type DecodeContext, type DecodeResult, type RawRecord } from '../types.js';
import { baseColumn, laRowFromCsv, laTime } from '../shared/log-analytics.js';
import { normalizeUal } from './normalize.js';
import type { Rec } from './fields.js';

// OfficeActivity column -> UAL field, applied only when the UAL name itself is absent.
const RENAMES: ReadonlyArray<[string, string]> = [
  ['OfficeId', 'Id'],
  ['SourceRecordId', 'Id'],
  ['OfficeWorkload', 'Workload'],
  ['OfficeObjectId', 'ObjectId'],
  ['Client_IPAddress', 'ClientIPAddress'],
  ['Logon_Type', 'LogonType'],
  ['AzureActiveDirectory_EventType', 'AzureActiveDirectoryEventType'],
  ['AADTarget', 'Target'],
  ['UserId_', 'UserId'],
  ['OrganizationId_', 'OrganizationId'],
  ['OfficeTenantId', 'OrganizationId'],
  ['Start_Time', 'StartTime'],
];

const absent = (v: unknown): boolean => v === undefined || v === null || v === '';

/** An OfficeActivity row (keys without zone suffixes) as a UAL record, CreationTime from TimeGenerated. */
export function officeActivityToUal(row: Rec, timeMs: number | undefined): Rec {
  const r: Rec = {};
  for (const [k, v] of Object.entries(row)) if (!absent(v)) r[k] = v;
  for (const [from, to] of RENAMES) {
    const v = r[from];
    if (absent(v)) continue;
    if (absent(getCI(r, to))) r[to] = v;
    delete r[from];
  }
  delete r.TenantId; // workspace id
  if (timeMs !== undefined && absent(getCI(r, 'CreationTime'))) r.CreationTime = new Date(timeMs).toISOString();
  return r;
}

export const isOfficeActivityRecord = (v: Rec): boolean => 'OfficeWorkload' in v || v.Type === 'OfficeActivity';

export const isOfficeActivityHeader = (header: string[]): boolean => header.some((h) => baseColumn(h) === 'OfficeWorkload');

/** JSON / NDJSON rows (Log Analytics API, `az monitor log-analytics query`, portal JSON export). */
export function decodeOfficeActivityJson(rec: RawRecord, format: string): DecodeResult {
  const row = rec.value;
  const ms = parseTime(getCI(row, 'TimeGenerated'));
  if (ms === undefined && absent(getCI(row, 'CreationTime')))
    return quarantine('OfficeActivity row has no usable TimeGenerated; export the TimeGenerated column');
  return normalizeUal(officeActivityToUal(row, ms), { rec, format });
}

/** Portal CSV export: "TimeGenerated [UTC]" with "9/19/2023, 1:45:17.287 PM" cells, JSON text in dynamic columns. */
export function decodeOfficeActivityCsv(rec: RawRecord, ctx: DecodeContext, format: string): DecodeResult {
  const la = laRowFromCsv(rec.value, rec.header ?? Object.keys(rec.value), ctx);
  if ('error' in la) return quarantine(la.error);
  const ms = laTime(la.record.TimeGenerated, la.tz, ctx);
  if (ms === undefined) return quarantine('OfficeActivity row has no usable TimeGenerated; export the TimeGenerated column');
  return normalizeUal(officeActivityToUal(la.record, ms), { rec, format });
}
