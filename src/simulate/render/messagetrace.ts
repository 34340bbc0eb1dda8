// Message intent -> message-trace rows, one per recipient, in three shapes:
//   json: Get-MessageTraceV2 objects as PowerShell 7 ConvertTo-Json writes them (Received zone-less ISO, UTC)
//   rws:  Reporting Web Service OData v2 (`{"d":{"results":[…]}}`, "/Date(ms)/", __metadata)
//   csv:  Get-MessageTrace | Export-Csv -NoTypeInformation (every cell quoted, culture-formatted dates)
// After the Elastic and SEKOIA message-trace samples and docs-office-docs-powershell/Get-MessageTraceV2.md.
import { type DateStyle, iso7NoZone, isoSecZ, localeDate, msDate } from '../clock.js';
import type { MessageIntent } from '../model.js';
import { csvRow } from '../output/writers.js';

export interface TraceRow {
  m: MessageIntent;
  r: number; // recipient index
}

/** the id the message-trace decoders assign: "<MessageTraceId>/<recipient>" (lower case) */
export const traceEventId = (m: MessageIntent, r: number) => `${m.traceId.toLowerCase()}/${m.recipients[r]!.address.toLowerCase()}`;

function fields(row: TraceRow) {
  const rc = row.m.recipients[row.r]!;
  return {
    Organization: row.m.org,
    MessageId: row.m.messageId,
    SenderAddress: row.m.sender,
    RecipientAddress: rc.address,
    Subject: row.m.subject,
    Status: rc.status,
    ToIP: rc.toIp,
    FromIP: row.m.fromIp,
    Size: row.m.size,
    MessageTraceId: row.m.traceId,
  };
}

export function traceJson(row: TraceRow, index: number, day: number, dayEnd: number): string {
  const f = fields(row);
  return JSON.stringify({
    Organization: f.Organization,
    MessageId: f.MessageId,
    Received: iso7NoZone(row.m.time, row.m.sub),
    SenderAddress: f.SenderAddress,
    RecipientAddress: f.RecipientAddress,
    Subject: f.Subject,
    Status: f.Status,
    ToIP: f.ToIP,
    FromIP: f.FromIP,
    Size: f.Size,
    MessageTraceId: f.MessageTraceId,
    StartDate: isoSecZ(day),
    EndDate: isoSecZ(dayEnd),
    Index: index,
  });
}

export function traceRws(row: TraceRow, index: number, day: number, dayEnd: number): string {
  const f = fields(row);
  const uri = `https://reports.office365.com/ecp/ReportingWebService/Reporting.svc/MessageTrace(${index})`;
  return JSON.stringify({
    __metadata: { id: uri, uri, type: 'TenantReporting.MessageTrace' },
    Organization: f.Organization,
    MessageId: f.MessageId,
    Received: msDate(row.m.time),
    SenderAddress: f.SenderAddress,
    RecipientAddress: f.RecipientAddress,
    Subject: f.Subject,
    Status: f.Status,
    ToIP: f.ToIP,
    FromIP: f.FromIP,
    Size: f.Size,
    MessageTraceId: f.MessageTraceId,
    StartDate: msDate(day),
    EndDate: msDate(dayEnd),
    Index: index,
  });
}

export const TRACE_CSV_HEADER = csvRow(
  ['PSComputerName', 'RunspaceId', 'PSShowComputerName', 'Organization', 'MessageId', 'Received', 'SenderAddress', 'RecipientAddress', 'Subject', 'Status', 'ToIP', 'FromIP', 'Size', 'MessageTraceId', 'StartDate', 'EndDate', 'Index'],
  true,
);

export function traceCsv(row: TraceRow, index: number, day: number, dayEnd: number, style: DateStyle, runspace: string): string {
  const f = fields(row);
  return csvRow(
    ['outlook.office365.com', runspace, 'False', f.Organization, f.MessageId, localeDate(row.m.time, style), f.SenderAddress, f.RecipientAddress, f.Subject, f.Status, f.ToIP ?? '', f.FromIP ?? '', f.Size, f.MessageTraceId, localeDate(day, style), localeDate(dayEnd, style), index],
    true,
  );
}
