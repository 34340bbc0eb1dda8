// Builders of RAW unified-audit-log records for the Exchange and mail rule cases, in the shapes Microsoft exports:
// the Office 365 Management Activity API JSON (Audit.Exchange), the Purview portal CSV export
// (RecordId,CreationDate,RecordType,Operation,UserId,AuditData,…) and Windows PowerShell 5.1
// `Search-UnifiedAuditLog | Export-Csv` (#TYPE line, quoted cells, UserIds/Operations plurals). Every Parameters
// value is a string, as in real records. Names, ids and addresses are invented (contoso, 203.0.113.0/24, …).
import { TENANT, guid, iso } from '../records.js';
import type { CaseInput } from '../types.js';

export type Actor = { user: string; ip: string } | { app: { id: string; name: string }; ip?: string } | { system: string };

/** Exchange Online's own service account, as UAL writes it. */
export const SYSTEM: Actor = { system: 'NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)' };

export const ADMIN: Actor = { user: 'admin@contoso.com', ip: '198.51.100.10' };
export const MAIL_APP = { id: guid('app|mail-sync-helper'), name: 'Mail Sync Helper' };
/** The malicious app from the campaign: Exchange.ManageAsApp, running cmdlets app-only. */
export const APP_ACTOR: Actor = { app: MAIL_APP, ip: '203.0.113.60' };

export interface CmdletOpts {
  at: number;
  /** cmdlet name exactly as the UAL Operation field holds it */
  op: string;
  params: [name: string, value: string][];
  by?: Actor;
  objectId?: string;
  result?: 'True' | 'False';
  modified?: [name: string, oldValue: string, newValue: string][];
}

/** One Audit.Exchange admin record (RecordType 1) as the Management Activity API returns it. */
export function ualCmdlet(o: CmdletOpts): Record<string, unknown> {
  const by = o.by ?? ADMIN;
  const name = o.params.find(([n]) => n === 'Name' || n === 'Identity')?.[1];
  const who = 'user' in by
    ? { UserKey: `1003200${o.at % 1000}A1B2C3D4`, UserType: 2, ClientIP: `${by.ip}:50123`, UserId: by.user, AppId: 'fb78d390-0c51-40cd-8e17-fdbfab77341b', ClientAppId: '' }
    : 'app' in by
      ? { UserKey: guid(`sp|${by.app.id}`), UserType: 5, ClientIP: by.ip ?? '', UserId: by.app.name, AppId: by.app.id, ClientAppId: by.app.id }
      : { UserKey: by.system, UserType: 3, ClientIP: '', UserId: by.system, AppId: '', ClientAppId: '' };
  const rec: Record<string, unknown> = {
    CreationTime: iso(o.at).slice(0, 19),
    Id: guid(`ual|${o.op}|${o.at}|${JSON.stringify(o.params)}`),
    Operation: o.op,
    OrganizationId: TENANT,
    RecordType: 1,
    ResultStatus: o.result ?? 'True',
    UserKey: who.UserKey,
    UserType: who.UserType,
    Version: 1,
    Workload: 'Exchange',
    ClientIP: who.ClientIP,
    ObjectId: o.objectId ?? name ?? '',
    UserId: who.UserId,
    AppId: who.AppId,
    ClientAppId: who.ClientAppId,
    ExternalAccess: false,
    OrganizationName: 'contoso.onmicrosoft.com',
    OriginatingServer: 'PH0PR11MB1234 (15.20.7362.019)\r\n',
    Parameters: o.params.map(([Name, Value]) => ({ Name, Value })),
  };
  if (o.modified) rec.ModifiedProperties = o.modified.map(([Name, OldValue, NewValue]) => ({ Name, NewValue, OldValue }));
  if ('user' in by) rec.SessionId = guid(`session|${by.user}`);
  else if ('app' in by) rec.AppAccessContext = { IssuedAtTime: iso(o.at - 60_000).slice(0, 19), UniqueTokenId: guid(`token|${o.at}`).replace(/-/g, '').slice(0, 22), ClientAppId: by.app.id };
  return rec;
}

export interface InboxRuleAuditOpts {
  at: number;
  mailbox: string;
  ruleName: string;
  /** RuleOperation: AddMailboxRule / ModifyMailboxRule / RemoveMailboxRule */
  operation?: string;
  condition?: string;
  actions: Record<string, unknown>[];
  ip?: string;
}

/** Outlook's UpdateInboxRules mailbox audit record (RecordType 2), as the Management Activity API returns it. */
export function updateInboxRules(o: InboxRuleAuditOpts): Record<string, unknown> {
  const ip = o.ip ?? '198.51.100.23';
  return {
    AppAccessContext: { AADSessionId: guid(`aad|${o.mailbox}`), UniqueTokenId: guid(`tok|${o.at}`).replace(/-/g, '').slice(0, 22), ClientAppId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c' },
    CreationTime: iso(o.at).slice(0, 19),
    Id: guid(`uir|${o.mailbox}|${o.ruleName}|${o.at}`),
    Operation: 'UpdateInboxRules',
    OrganizationId: TENANT,
    RecordType: 2,
    ResultStatus: 'Succeeded',
    UserKey: '10032001A1B2C3D4',
    UserType: 0,
    Version: 1,
    Workload: 'Exchange',
    ClientIP: ip,
    UserId: o.mailbox,
    ClientIPAddress: ip,
    ClientInfoString: 'Client=MSExchangeRPC',
    ClientProcessName: 'OUTLOOK.EXE',
    ClientVersion: '16.0.17328.20550',
    ExternalAccess: false,
    InternalLogonType: 0,
    LogonType: 0,
    MailboxGuid: guid(`mbx|${o.mailbox}`),
    MailboxOwnerUPN: o.mailbox,
    OperationProperties: [
      { Name: 'RuleOperation', Value: o.operation ?? 'AddMailboxRule' },
      { Name: 'RuleId', Value: String(parseInt(guid(o.ruleName).slice(0, 8), 16)) },
      { Name: 'RuleState', Value: 'Enabled' },
      { Name: 'RuleCondition', Value: o.condition ?? '{(Exists(ItemClass))}' },
      { Name: 'RuleName', Value: o.ruleName },
      { Name: 'RuleProvider', Value: 'RuleOrganizer' },
      { Name: 'RuleActions', Value: JSON.stringify(o.actions) },
    ],
    OrganizationName: 'contoso.onmicrosoft.com',
    OriginatingServer: 'PH0PR11MB1234 (15.20.7362.019)\r\n',
    SessionId: guid(`sess|${o.mailbox}`),
  };
}

// --- CSV exports --------------------------------------------------------------------------------------------

const csvCell = (v: string): string => `"${v.replace(/"/g, '""')}"`;

/** "3/11/2024 8:14:05 AM" (the US-locale CreationDate of Purview exports; UTC). */
export function usDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

const RECORD_TYPE_NAMES: Record<number, string> = { 1: 'ExchangeAdmin', 2: 'ExchangeItem', 40: 'SecurityComplianceAlerts' };

/** Purview portal "Export" CSV: RecordId,CreationDate,RecordType,Operation,UserId,AuditData,… (CRLF, no BOM). */
export function purviewCsv(name: string, records: readonly Record<string, unknown>[]): CaseInput {
  const lines = ['RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames'];
  for (const r of records) {
    const t = Date.parse(`${String(r.CreationTime)}Z`);
    lines.push([
      String(r.Id),
      usDate(t),
      RECORD_TYPE_NAMES[Number(r.RecordType)] ?? String(r.RecordType),
      String(r.Operation),
      String(r.UserId),
      csvCell(JSON.stringify(r)),
      '',
      '',
    ].join(','));
  }
  return { name, text: lines.join('\r\n') + '\r\n' };
}

/** Windows PowerShell 5.1 `Search-UnifiedAuditLog | Export-Csv -Encoding UTF8` (BOM, #TYPE line, all cells quoted). */
export function searchUalCsv(name: string, records: readonly Record<string, unknown>[]): CaseInput {
  const header = ['RunspaceId', 'RecordType', 'CreationDate', 'UserIds', 'Operations', 'AuditData', 'ResultIndex', 'ResultCount', 'Identity', 'IsValid', 'ObjectState'];
  const lines = ['#TYPE Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.UnifiedAuditLogEvent', header.map(csvCell).join(',')];
  records.forEach((r, i) => {
    const t = Date.parse(`${String(r.CreationTime)}Z`);
    lines.push([
      '8c9d0e1f-2a3b-4c5d-8e6f-7a8b9c0d1e2f',
      RECORD_TYPE_NAMES[Number(r.RecordType)] ?? String(r.RecordType),
      usDate(t),
      String(r.UserId),
      String(r.Operation),
      JSON.stringify(r),
      String(i + 1),
      String(records.length),
      String(r.Id),
      'True',
      'Unchanged',
    ].map(csvCell).join(','));
  });
  return { name, text: '\uFEFF' + lines.join('\r\n') + '\r\n' };
}
