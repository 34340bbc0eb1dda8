// Exchange admin center message trace "Export results" (summary report) CSV. Microsoft documents the summary
// columns only by their display names — Date, Sender, Recipient, Subject, Status (details pane: Message ID,
// Message size, From IP, To IP) — not the exported header text, and no real export is in our samples. So columns
// are matched by normalized name with aliases (docs/formats/message-trace.md lists them). The date column may
// name its zone ("Date (UTC)", "Date (UTC+02:00)"); without one it is read as UTC unless `--tz` is given.
import { parseTime } from '../../core/time.js';
import type { Decoder, DecodeResult } from '../types.js';
import { events, quarantine } from '../types.js';
import { columnsFor, headerKeys, parseSize, zoneOfHeader } from './columns.js';
import { buildTraceEvent, noTimeReason, normalizeStatus } from './normalize.js';

export const EAC_CSV_ID = 'exchange.messagetrace.csv.eac';

const TIME = ['date', 'datetime', 'received', 'receivedtime', 'receiveddate', 'datereceived', 'receiveddatetime', 'timestamp', 'time'];
const SENDER = ['sender', 'senderaddress', 'from', 'fromaddress'];
const RECIPIENT = ['recipient', 'recipientaddress', 'recipients', 'to', 'toaddress'];
const STATUS = ['status', 'deliverystatus'];
const TRACE_ID = ['messagetraceid', 'networkmessageid', 'traceid'];
const FROM_IP = ['fromip', 'fromipaddress'];
const TO_IP = ['toip', 'toipaddress'];
const SIZE = ['size', 'messagesize'];
const DIRECTION = ['direction', 'directionality'];

export const eacCsvDecoder: Decoder = {
  id: EAC_CSV_ID,
  title: 'Exchange admin center message trace export (summary report CSV)',
  container: 'csv',
  matchHeader(header) {
    const k = headerKeys(header);
    const any = (names: string[]): boolean => names.some((n) => k.has(n));
    // historical reports and Export-Csv have their own decoders
    if (k.has('origintimestamputc') || k.has('origintimestamp') || k.has('datetimeutc') || k.has('messagetraceid') && k.has('received'))
      return false;
    return any(TIME) && any(SENDER) && any(RECIPIENT) && (any(STATUS) || k.has('subject'));
  },
  decode(rec, ctx): DecodeResult {
    const row = rec.value;
    const cols = columnsFor(rec.header ?? Object.keys(row));
    const timeHeader = cols.header(...TIME);
    let tz = zoneOfHeader(timeHeader);
    if (tz === 'local') {
      if (!ctx.tz)
        return quarantine(`column "${timeHeader}" names a time zone tenantwatch can't read; re-export in UTC or pass --tz <IANA zone or ±HH:MM>`);
      tz = ctx.tz;
    }
    const rawTime = cols.get(row, ...TIME);
    const time = parseTime(rawTime, { tz: tz ?? ctx.tz, dayFirst: ctx.dayFirst });
    if (time === undefined) return quarantine(noTimeReason(timeHeader ?? 'Date', rawTime));
    const sender = cols.get(row, ...SENDER);
    const recipients = (cols.get(row, ...RECIPIENT) ?? '').split(';').map((r) => r.trim()).filter(Boolean);
    const messageId = cols.get(row, 'messageid');
    if (!sender && recipients.length === 0 && !messageId)
      return quarantine('message trace row has no Sender, Recipient or Message ID; nothing to attribute — check the export');
    const st = normalizeStatus(cols.get(row, ...STATUS));
    const base = {
      time,
      sender,
      subject: cols.raw(row, 'subject'),
      messageId,
      messageTraceId: cols.get(row, ...TRACE_ID),
      status: st.status,
      outcome: st.outcome,
      size: parseSize(cols.get(row, ...SIZE)),
      fromIp: cols.get(row, ...FROM_IP),
      toIp: cols.get(row, ...TO_IP),
      directionality: cols.get(row, ...DIRECTION),
    };
    const list = recipients.length ? recipients : [undefined];
    return events(...list.map((recipient) => buildTraceEvent({ ...base, recipient }, rec, EAC_CSV_ID)));
  },
};
