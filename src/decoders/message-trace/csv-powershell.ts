// `Get-MessageTrace` / `Get-MessageTraceV2 | Export-Csv` (also Microsoft-Extractor-Suite's Get-MessageTraceLog CSV).
// Columns are the object's properties: [PSComputerName, RunspaceId, PSShowComputerName,] Organization, MessageId,
// Received, SenderAddress, RecipientAddress, Subject, Status, ToIP, FromIP, Size, MessageTraceId, StartDate,
// EndDate, Index. `Received` is written with the exporting machine's culture ("9/5/2022 6:10:13 PM",
// "05.09.2022 18:10:13") and no zone; the cmdlets return UTC, so it is read as UTC unless `--tz` says otherwise
// (for exports whose dates were converted to local time before Export-Csv). `--day-first` for d/M/y cultures.
import { parseTime } from '../../core/time.js';
import type { Decoder } from '../types.js';
import { events, quarantine } from '../types.js';
import { columnsFor, headerKeys, parseSize } from './columns.js';
import { buildTraceEvent, noTimeReason, normalizeStatus } from './normalize.js';

export const PS_CSV_ID = 'exchange.messagetrace.csv.powershell';

export const powershellCsvDecoder: Decoder = {
  id: PS_CSV_ID,
  title: 'Exchange Online message trace (Get-MessageTrace / Get-MessageTraceV2 | Export-Csv)',
  container: 'csv',
  matchHeader(header) {
    const k = headerKeys(header);
    return k.has('received') && k.has('messagetraceid') && (k.has('senderaddress') || k.has('recipientaddress'));
  },
  decode(rec, ctx) {
    const row = rec.value;
    const cols = columnsFor(rec.header ?? Object.keys(row));
    const rawTime = cols.get(row, 'received');
    const time = parseTime(rawTime, { tz: ctx.tz, dayFirst: ctx.dayFirst });
    if (time === undefined) return quarantine(noTimeReason('Received', rawTime));
    const sender = cols.get(row, 'senderaddress');
    const recipient = cols.get(row, 'recipientaddress');
    const messageId = cols.get(row, 'messageid');
    if (!sender && !recipient && !messageId)
      return quarantine('message trace row has no SenderAddress, RecipientAddress or MessageId; nothing to attribute — check the export');
    const st = normalizeStatus(cols.get(row, 'status'));
    return events(
      buildTraceEvent(
        {
          time,
          sender,
          recipient,
          subject: cols.raw(row, 'subject'),
          messageId,
          messageTraceId: cols.get(row, 'messagetraceid'),
          status: st.status,
          outcome: st.outcome,
          size: parseSize(cols.get(row, 'size')),
          fromIp: cols.get(row, 'fromip'),
          toIp: cols.get(row, 'toip'),
          organization: cols.get(row, 'organization'),
        },
        rec,
        PS_CSV_ID,
      ),
    );
  },
};
