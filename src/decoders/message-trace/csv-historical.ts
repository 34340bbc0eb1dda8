// Historical search reports (Start-HistoricalSearch / EAC "Downloadable reports"), often UTF-16LE (framing decodes).
// Two shapes share snake_case columns:
// - Enhanced summary (-ReportType MessageTrace): one row per MESSAGE. origin_timestamp_utc, sender_address,
//   recipient_status ("a@x##Receive, Deliver;b@y##Receive, Send"), message_subject, total_bytes, message_id,
//   network_message_id, original_client_ip, directionality, connector_id, delivery_priority.
//   -> one Event per recipient in recipient_status, outcome from that recipient's last delivery event.
// - Extended (-ReportType MessageTraceDetail): one row per transport EVENT. date_time_utc, client_ip,
//   server_ip, connector_id, source, event_id, recipient_address (";"-separated), message_id, network_message_id,
//   sender_address, return_path, directionality (Originating/Incoming), tenant_id, original_client_ip, custom_data….
//   -> one Event per recipient for outcome rows (DELIVER, SEND, FAIL, …); routing rows (RECEIVE, AGENTINFO,
//   SUBMIT, EXPAND, …) are filtered so a message is not counted once per hop.
// network_message_id is the MessageTraceId of Get-MessageTrace (same GUID), so ids line up across formats.
import { parseTime } from '../../core/time.js';
import type { Outcome } from '../../core/event.js';
import type { DecodeContext, Decoder, DecodeResult, RawRecord } from '../types.js';
import { events, filtered, quarantine } from '../types.js';
import { columnsFor, headerKeys, parseSize, type Columns } from './columns.js';
import { buildTraceEvent, noTimeReason, statusFromEvents, type TraceFields } from './normalize.js';

export const HISTORICAL_CSV_ID = 'exchange.messagetrace.csv.historical';

/** Extended-report event rows that carry a per-recipient outcome. */
const OUTCOME_EVENTS: Record<string, { status: string; outcome: Outcome }> = {
  DELIVER: { status: 'Delivered', outcome: 'success' },
  SEND: { status: 'Delivered', outcome: 'success' },
  FAIL: { status: 'Failed', outcome: 'failure' },
  DROP: { status: 'Failed', outcome: 'failure' },
  BADMAIL: { status: 'Failed', outcome: 'failure' },
  POISONMESSAGE: { status: 'Failed', outcome: 'failure' },
};

/** "a@x##Receive, Deliver;b@y##Receive, Send" -> [{address, events}]. Entries without "##" have no events. */
export function parseRecipientStatus(v: string | undefined): { address: string; events: string[] }[] {
  if (!v) return [];
  const out: { address: string; events: string[] }[] = [];
  for (const chunk of v.split(';')) {
    const at = chunk.indexOf('##');
    const address = (at >= 0 ? chunk.slice(0, at) : chunk).trim();
    if (!address) continue;
    const evs = at >= 0 ? chunk.slice(at + 2).split(',').map((e) => e.trim()).filter(Boolean) : [];
    out.push({ address, events: evs });
  }
  return out;
}

function rowTime(cols: Columns, row: Record<string, unknown>, ctx: DecodeContext): { time?: number; field: string; raw?: string } {
  const utc = cols.header('origintimestamputc', 'datetimeutc');
  if (utc !== undefined) {
    const raw = cols.get(row, 'origintimestamputc', 'datetimeutc');
    return { time: parseTime(raw, { tz: 'UTC', dayFirst: ctx.dayFirst }), field: utc, raw };
  }
  const raw = cols.get(row, 'origintimestamp', 'datetime');
  return { time: parseTime(raw, { tz: ctx.tz, dayFirst: ctx.dayFirst }), field: cols.header('origintimestamp', 'datetime') ?? 'origin_timestamp', raw };
}

function commonFields(cols: Columns, row: Record<string, unknown>, time: number): TraceFields {
  return {
    time,
    outcome: 'unknown',
    sender: cols.get(row, 'senderaddress'),
    subject: cols.raw(row, 'messagesubject', 'subject'),
    messageId: cols.get(row, 'messageid'),
    messageTraceId: cols.get(row, 'networkmessageid', 'messagetraceid'),
    size: parseSize(cols.get(row, 'totalbytes')),
    fromIp: cols.get(row, 'originalclientip'),
    tenant: cols.get(row, 'tenantid'),
    directionality: cols.get(row, 'directionality'),
    connector: cols.get(row, 'connectorid'),
  };
}

function decodeExtended(rec: RawRecord, cols: Columns, base: TraceFields, eventId: string): DecodeResult {
  const row = rec.value;
  const ev = eventId.toUpperCase();
  const result = OUTCOME_EVENTS[ev];
  if (!result)
    return filtered(`extended report ${ev} row: routing detail, not a delivery outcome (the DELIVER/SEND/FAIL rows of the message carry it)`);
  let recipients = (cols.get(row, 'recipientaddress') ?? '').split(';').map((r) => r.trim()).filter(Boolean);
  if (recipients.length === 0) recipients = parseRecipientStatus(cols.get(row, 'recipientstatus')).map((r) => r.address);
  const extra: Record<string, unknown> = {
    event: ev,
    source: cols.get(row, 'source'),
    returnPath: cols.get(row, 'returnpath'),
    recipientStatus: cols.get(row, 'recipientstatus'),
    originalServerIp: cols.get(row, 'originalserverip'),
  };
  const fields: TraceFields = {
    ...base,
    status: result.status,
    outcome: result.outcome,
    // SEND: server_ip is the destination host (the ToIP of a summary trace)
    toIp: ev === 'SEND' ? cols.get(row, 'serverip') : undefined,
    extra,
    idSuffix: ev.toLowerCase(),
  };
  const list = recipients.length ? recipients : [undefined];
  return events(...list.map((recipient) => buildTraceEvent({ ...fields, recipient }, rec, HISTORICAL_CSV_ID)));
}

function decodeEnhanced(rec: RawRecord, cols: Columns, base: TraceFields): DecodeResult {
  const row = rec.value;
  let entries = parseRecipientStatus(cols.get(row, 'recipientstatus'));
  if (entries.length === 0)
    entries = (cols.get(row, 'recipientaddress') ?? '').split(';').map((a) => a.trim()).filter(Boolean).map((address) => ({ address, events: [] }));
  const extra = {
    deliveryPriority: cols.get(row, 'deliverypriority'),
    originalServerIp: cols.get(row, 'originalserverip'),
    returnPath: cols.get(row, 'returnpath'),
  };
  if (entries.length === 0) return events(buildTraceEvent({ ...base, extra }, rec, HISTORICAL_CSV_ID));
  return events(
    ...entries.map((e) => {
      const st = statusFromEvents(e.events);
      return buildTraceEvent(
        {
          ...base,
          recipient: e.address,
          status: st.status,
          outcome: st.outcome,
          extra: { ...extra, deliveryEvents: e.events.length ? e.events.join(', ') : undefined },
        },
        rec,
        HISTORICAL_CSV_ID,
      );
    }),
  );
}

export const historicalCsvDecoder: Decoder = {
  id: HISTORICAL_CSV_ID,
  title: 'Exchange Online historical search report (enhanced summary / extended message trace CSV)',
  container: 'csv',
  matchHeader(header) {
    const k = headerKeys(header);
    return (k.has('origintimestamputc') || k.has('origintimestamp') || k.has('datetimeutc')) && k.has('senderaddress');
  },
  decode(rec, ctx) {
    const row = rec.value;
    const cols = columnsFor(rec.header ?? Object.keys(row));
    const t = rowTime(cols, row, ctx);
    if (t.time === undefined) return quarantine(noTimeReason(t.field, t.raw));
    const base = commonFields(cols, row, t.time);
    if (!base.sender && !base.messageId && !cols.get(row, 'recipientstatus', 'recipientaddress'))
      return quarantine('historical search row has no sender_address, recipients or message_id; nothing to attribute — check the report');
    const eventId = cols.get(row, 'eventid');
    return eventId ? decodeExtended(rec, cols, base, eventId) : decodeEnhanced(rec, cols, base);
  },
};
