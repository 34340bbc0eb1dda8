// Builders of RAW Exchange Online message-trace records for the mail rule cases, in the shapes Microsoft exports:
// the Reporting Web Service MessageTrace OData page ({"d":{"results":[…]}}), `Get-MessageTrace | Export-Csv`
// (Windows PowerShell 5.1, quoted cells, times in the exporting culture: M/d/yyyy h:mm:ss AM, UTC) and the
// historical-search enhanced summary CSV (one row per message, recipient_status, connector_id). One row per
// recipient except the historical summary. All names and addresses are invented.
import { guid } from '../records.js';
import type { CaseInput } from '../types.js';
import { usDate } from '../exchange/records.js';

export const ORG = 'contoso.onmicrosoft.com';

export interface TraceOpts {
  at: number;
  sender: string;
  recipient: string;
  /** FromIP: blank for mail sent from an Exchange Online mailbox, the connecting server for relayed mail */
  fromIp?: string;
  /** ToIP: the destination MX for outbound mail, blank for mail delivered to the tenant */
  toIp?: string;
  status?: string;
  subject?: string;
  size?: number;
}

const traceId = (o: TraceOpts): string => guid(`trace|${o.sender}|${o.at}|${o.recipient}`);
const messageId = (o: TraceOpts): string => `<${guid(`msg|${o.sender}|${o.at}`).slice(0, 18)}@${o.sender.split('@')[1] ?? 'unknown'}>`;

/** One MessageTrace object as the Reporting Web Service returns it. */
export function rwsTrace(o: TraceOpts, index = 0): Record<string, unknown> {
  const uri = `https://reports.office365.com/ecp/ReportingWebService/Reporting.svc/MessageTrace(${index})`;
  return {
    __metadata: { id: uri, uri, type: 'TenantReporting.MessageTrace' },
    Organization: ORG,
    MessageId: messageId(o),
    Received: `/Date(${o.at})/`,
    SenderAddress: o.sender,
    RecipientAddress: o.recipient,
    Subject: o.subject ?? 'Hello',
    Status: o.status ?? 'Delivered',
    ToIP: o.toIp ?? null,
    FromIP: o.fromIp ?? null,
    Size: o.size ?? 14_000,
    MessageTraceId: traceId(o),
    StartDate: `/Date(${o.at - 86_400_000})/`,
    EndDate: `/Date(${o.at + 86_400_000})/`,
    Index: index,
  };
}

/** An OData v2 page {"d":{"results":[…]}} of MessageTrace objects. */
export function rwsPage(name: string, rows: readonly TraceOpts[]): CaseInput {
  return { name, text: JSON.stringify({ d: { results: rows.map((r, i) => rwsTrace(r, i)) } }) + '\n' };
}

const cell = (v: string): string => `"${v.replace(/"/g, '""')}"`;

/** `Get-MessageTrace | Export-Csv -NoTypeInformation` from Windows PowerShell 5.1 (en-US culture). */
export function getMessageTraceCsv(name: string, rows: readonly TraceOpts[]): CaseInput {
  const header = ['PSComputerName', 'RunspaceId', 'PSShowComputerName', 'Organization', 'MessageId', 'Received', 'SenderAddress', 'RecipientAddress', 'Subject', 'Status', 'ToIP', 'FromIP', 'Size', 'MessageTraceId', 'StartDate', 'EndDate', 'Index'];
  const lines = [header.map(cell).join(',')];
  rows.forEach((o, i) => {
    lines.push([
      'outlook.office365.com', '5c3f7a2e-1b4d-4e6f-8a9b-0c1d2e3f4a5b', 'False', ORG, messageId(o), usDate(o.at), o.sender, o.recipient,
      o.subject ?? 'Hello', o.status ?? 'Delivered', o.toIp ?? '', o.fromIp ?? '', String(o.size ?? 14_000), traceId(o),
      usDate(o.at - 86_400_000), usDate(o.at + 86_400_000), String(i),
    ].map(cell).join(','));
  });
  return { name, text: lines.join('\r\n') + '\r\n' };
}

export interface SummaryMessage {
  at: number;
  sender: string;
  recipients: string[];
  clientIp?: string;
  /** 'Originating' (sent by the tenant) or 'Incoming' */
  directionality?: string;
  connector?: string;
  subject?: string;
}

/** Historical search "enhanced summary" report (Start-HistoricalSearch -ReportType MessageTrace), one row per message. */
export function historicalSummaryCsv(name: string, messages: readonly SummaryMessage[]): CaseInput {
  const header = ['origin_timestamp_utc', 'sender_address', 'recipient_status', 'message_subject', 'total_bytes', 'message_id', 'network_message_id', 'original_client_ip', 'directionality', 'connector_id', 'delivery_priority'];
  const lines = [header.map(cell).join(',')];
  for (const m of messages) {
    const id = guid(`summary|${m.sender}|${m.at}`);
    lines.push([
      new Date(m.at).toISOString().replace('Z', '0000Z'),
      m.sender,
      m.recipients.map((r) => `${r}##Receive, Send`).join(';'),
      m.subject ?? 'Hello',
      '10240',
      `<${id.slice(0, 18)}@${m.sender.split('@')[1]}>`,
      id.replace(/-/g, ''),
      m.clientIp ?? '',
      m.directionality ?? 'Originating',
      m.connector ?? '',
      'Normal',
    ].map(cell).join(','));
  }
  return { name, text: '\uFEFF' + lines.join('\r\n') + '\r\n' };
}
