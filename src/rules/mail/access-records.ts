// Raw UAL MailItemsAccessed records (RecordType 50, ExchangeItemAggregated) for the mailbox-access rule cases
// (TW-MAIL-005, TW-MAIL-006), in two export shapes: the Office 365 Management Activity API JSON (Audit.Exchange)
// and the Purview portal CSV export (AuditData column). Field layout follows the MailItemsAccessed schema and the
// SEKOIA exchange_item_aggregated / exchange_item_group_7 samples (AppId / ClientAppId, AppAccessContext,
// ClientIPAddress, ClientInfoString, MailboxOwnerUPN, OperationProperties MailAccessType, Folders[].FolderItems[]).
// As in real records, `AppId` names the service the read went through (Microsoft Graph for REST reads, Exchange Online
// for Outlook clients) and `ClientAppId` the app that read; the UAL decoder takes the app from ClientAppId
// (docs/formats/ual.md). Names, ids and addresses are invented.
import { TENANT, guid, iso } from '../records.js';
import type { CaseInput } from '../types.js';
import { usDate } from '../exchange/records.js';

/** The Outlook desktop client as MailItemsAccessed names it. */
export const OUTLOOK = { id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', info: 'Client=MSExchangeRPC' };
/** The resource apps a record's AppId names: Microsoft Graph (REST reads by any app) and Exchange Online. */
export const GRAPH_APP = '00000003-0000-0000-c000-000000000000';
export const EXCHANGE_APP = '00000002-0000-0ff1-ce00-000000000000';

export interface MailReadOpts {
  at: number;
  /** whose mailbox */
  mailbox: string;
  /** who read: a UPN (UserType 0), or an app reading with its own token (UserType 5) */
  by?: { user: string } | { app: string };
  ip: string;
  /** the app that read: ClientAppId and AppAccessContext.ClientAppId (default Outlook desktop) */
  appId?: string;
  /** the record's AppId: default Microsoft Graph for REST clients ("Client=REST…"), else Exchange Online */
  resourceAppId?: string;
  clientInfo?: string;
  items?: number;
  folder?: string;
}

/** One MailItemsAccessed record as the Management Activity API returns it. */
export function mailItemsAccessed(o: MailReadOpts): Record<string, unknown> {
  const by = o.by ?? { user: o.mailbox };
  const app = 'app' in by;
  const who = app ? by.app : by.user;
  const at = iso(o.at).slice(0, 19);
  const id = guid(`mia|${who}|${o.mailbox}|${o.ip}|${o.at}`);
  const n = o.items ?? 3;
  const caller = o.appId ?? OUTLOOK.id;
  const clientInfo = o.clientInfo ?? OUTLOOK.info;
  const resource = o.resourceAppId ?? (/^Client=REST/i.test(clientInfo) ? GRAPH_APP : EXCHANGE_APP);
  const rec: Record<string, unknown> = {
    AppAccessContext: {
      ...(app ? {} : { AADSessionId: guid(`aad|${who}`) }),
      ClientAppId: caller,
      IssuedAtTime: iso(o.at - 20 * 60_000).slice(0, 19),
      UniqueTokenId: guid(`tok|${who}|${o.at}`).replace(/-/g, '').slice(0, 22),
    },
    CreationTime: at,
    Id: id,
    Operation: 'MailItemsAccessed',
    OrganizationId: TENANT,
    RecordType: 50,
    ResultStatus: 'Succeeded',
    UserKey: app ? who : `10032001${guid(who).slice(0, 8).toUpperCase()}`,
    UserType: app ? 5 : 0,
    Version: 1,
    Workload: 'Exchange',
    ClientIP: o.ip,
    UserId: who,
    AppId: resource,
    ClientAppId: caller,
    ClientIPAddress: o.ip,
    ClientInfoString: clientInfo,
    ExternalAccess: false,
    InternalLogonType: 0,
    LogonType: 0,
    LogonUserSid: `S-1-5-21-1004336348-1177238915-682003330-${1000 + (parseInt(guid(who).slice(0, 4), 16) % 9000)}`,
    MailboxGuid: guid(`mbx|${o.mailbox}`),
    MailboxOwnerSid: `S-1-5-21-1004336348-1177238915-682003330-${1000 + (parseInt(guid(o.mailbox).slice(0, 4), 16) % 9000)}`,
    MailboxOwnerUPN: o.mailbox,
    OperationProperties: [
      { Name: 'MailAccessType', Value: 'Bind' },
      { Name: 'IsThrottled', Value: 'False' },
    ],
    OrganizationName: 'contoso.onmicrosoft.com',
    OriginatingServer: 'AM0PR07MB5763 (15.20.7452.028)\r\n',
    ...(app ? {} : { SessionId: guid(`aad|${who}`) }),
    Folders: [
      {
        FolderItems: Array.from({ length: n }, (_, i) => ({
          InternetMessageId: `<${guid(`msg|${o.mailbox}|${o.at}|${i}`).replace(/-/g, '').slice(0, 24).toUpperCase()}@AM0PR07MB5763.eurprd07.prod.outlook.com>`,
          SizeInBytes: 4000 + i * 731,
        })),
        Id: `LgAAAAB${guid(`folder|${o.mailbox}`).replace(/-/g, '')}AQ`,
        Path: o.folder ?? '\\Inbox',
      },
    ],
    OperationCount: n,
  };
  return rec;
}

/** Management Activity API content: NDJSON, one record per line. */
export function ualJson(name: string, records: readonly Record<string, unknown>[]): CaseInput {
  return { name, text: records.map((r) => JSON.stringify(r)).join('\n') + '\n' };
}

const cell = (v: string): string => `"${v.replace(/"/g, '""')}"`;

/** Purview portal "Export" CSV of the same records (RecordType by name, US-locale CreationDate in UTC, AuditData JSON). */
export function purviewMailCsv(name: string, records: readonly Record<string, unknown>[]): CaseInput {
  const lines = ['RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames'];
  for (const r of records) {
    const t = Date.parse(`${String(r.CreationTime)}Z`);
    lines.push([String(r.Id), usDate(t), 'ExchangeItemAggregated', String(r.Operation), String(r.UserId), cell(JSON.stringify(r)), '', ''].join(','));
  }
  return { name, text: lines.join('\r\n') + '\r\n' };
}
