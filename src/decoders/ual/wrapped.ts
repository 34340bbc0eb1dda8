// UAL records inside a wrapper row: the Purview portal CSV (RecordId, CreationDate, RecordType, Operation, UserId,
// AuditData, ...), Search-UnifiedAuditLog output (CreationDate, UserIds, Operations, AuditData, ...) as CSV or
// ConvertTo-Json, and the Graph audit log query API's auditLogRecord {id, createdDateTime, ..., auditData}.
// The record inside (AuditData) is the truth; wrapper columns only fill what it lacks. Its CreationTime is UTC;
// the wrapper's CreationDate is export-locale time and is used only when AuditData has no CreationTime.
import { getCI, isObject } from '../../core/json.js';
import { strOrUndef } from '../../core/text.js';
import { parseTime } from '../../core/time.js';
import { quarantine, type DecodeContext, type DecodeResult, type RawRecord } from '../types.js';
import { normalizeUal, type UalSource } from './normalize.js';
import type { Rec } from './fields.js';

/** Parse the AuditData cell; a reason string when it can't be used. */
export function parseAuditData(v: unknown): Rec | string {
  if (isObject(v)) return v;
  if (typeof v !== 'string') return 'row has no AuditData column value; tenantwatch needs the AuditData JSON of each record';
  const s = v.trim();
  if (s === '') return 'AuditData is empty; re-export the audit log with the AuditData column';
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch (e) {
    const msg = (e as Error).message.replace(/\s+/g, ' ').slice(0, 120);
    const cut = s.length >= 32000 ? ' (the cell looks cut at a spreadsheet limit: Excel keeps 32,767 characters per cell)' : '';
    return `AuditData is not valid JSON: ${msg}${cut}; re-export the audit log and don't edit the file in a spreadsheet`;
  }
  if (!isObject(parsed)) return 'AuditData is JSON but not an object; expected one UAL record per row';
  return parsed;
}

const has = (r: Rec, k: string): boolean => {
  const v = getCI(r, k);
  return v !== undefined && v !== null && v !== '';
};

/** Copy the first non-empty wrapper value into the record under `key` when the record lacks it. */
function fill(rec: Rec, key: string, wrapper: Rec, ...from: string[]): void {
  if (has(rec, key)) return;
  for (const f of from) {
    const v = getCI(wrapper, f);
    if (v !== undefined && v !== null && v !== '') {
      rec[key] = v;
      return;
    }
  }
}

export interface WrapperFields {
  time: string[]; // wrapper time columns, in preference order
  timeIsLocal: boolean; // CSV/PowerShell locale time (apply --tz) vs Graph UTC
  operation: string[];
  user: string[];
  id: string[];
  recordType: string[];
  tenant?: string[];
  ip?: string[];
  workload?: string[];
  objectId?: string[];
  userType?: string[];
}

/** Decode a wrapper row whose AuditData (object or JSON text) is in `auditDataKey`. */
export function decodeWrapped(rec: RawRecord, ctx: DecodeContext, format: string, auditDataKey: string, w: WrapperFields): DecodeResult {
  const row = rec.value;
  const parsed = parseAuditData(getCI(row, auditDataKey));
  if (typeof parsed === 'string') return quarantine(parsed);
  // Graph annotates values ("RecordType@odata.type": "#Int64"); those keys are metadata, not fields
  const audit: Rec = {};
  for (const [k, v] of Object.entries(parsed)) if (!k.includes('@odata')) audit[k] = v;

  fill(audit, 'Operation', row, ...w.operation);
  fill(audit, 'UserId', row, ...w.user);
  fill(audit, 'Id', row, ...w.id);
  fill(audit, 'RecordType', row, ...w.recordType);
  if (w.tenant) fill(audit, 'OrganizationId', row, ...w.tenant);
  if (w.ip) fill(audit, 'ClientIP', row, ...w.ip);
  if (w.workload) fill(audit, 'Workload', row, ...w.workload);
  if (w.objectId) fill(audit, 'ObjectId', row, ...w.objectId);
  if (w.userType) fill(audit, 'UserType', row, ...w.userType);

  const src: UalSource = { rec, format };
  if (!has(audit, 'CreationTime')) {
    for (const col of w.time) {
      // PS 5.1 ConvertTo-Json may write a DateTime as {"value":"/Date(…)/","DisplayHint":2,"DateTime":"…"}
      const cell = getCI(row, col);
      const raw = strOrUndef(isObject(cell) ? cell.value ?? cell.DateTime : cell);
      const ms = w.timeIsLocal ? parseTime(raw, { tz: ctx.tz, dayFirst: ctx.dayFirst }) : parseTime(raw);
      if (ms !== undefined) {
        src.fallbackTime = {
          ms,
          from: w.timeIsLocal
            ? `${col} (export-locale time, read as ${ctx.tz ?? 'UTC'}${ctx.dayFirst ? ', day first' : ''}): AuditData has no CreationTime`
            : `${col}: AuditData has no CreationTime`,
        };
        break;
      }
    }
  }
  return normalizeUal(audit, src);
}

/** Purview portal export and Search-UnifiedAuditLog output share these wrapper names (singular and plural). */
export const POWERSHELL_WRAPPER: WrapperFields = {
  time: ['CreationDate'],
  timeIsLocal: true,
  operation: ['Operation', 'Operations'],
  user: ['UserId', 'UserIds'],
  id: ['RecordId', 'Identity'],
  recordType: ['RecordType'],
};

/** Graph audit log query API auditLogRecord. NB its top-level userId is the UserKey, userPrincipalName the UserId. */
export const GRAPH_WRAPPER: WrapperFields = {
  time: ['createdDateTime'],
  timeIsLocal: false,
  operation: ['operation'],
  user: ['userPrincipalName'],
  id: ['id'],
  recordType: ['auditLogRecordType'],
  tenant: ['organizationId'],
  ip: ['clientIp'],
  workload: ['service'],
  objectId: ['objectId'],
  userType: ['userType'],
};
