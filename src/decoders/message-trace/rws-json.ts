// Reporting Web Service MessageTrace JSON (OData v2; framing unwraps {"d":{"results":[…]}}) and PowerShell
// `Get-MessageTrace` / `Get-MessageTraceV2 | ConvertTo-Json` objects. Same PascalCase keys:
// Organization, MessageId, Received, SenderAddress, RecipientAddress, Subject, Status, ToIP, FromIP, Size,
// MessageTraceId, StartDate, EndDate, Index (+ __metadata from the OData service, PSComputerName/RunspaceId from
// remote PowerShell). `Received` is "/Date(ms)/" (OData v2, PS 5.1 ConvertTo-Json), zone-less ISO
// ("2022-09-05T18:10:13.4907658", PS 7) or ISO with Z; all UTC (cmdlet docs: output time stamps are UTC).
import { getCI, isObject } from '../../core/json.js';
import { numOrUndef, strOrUndef } from '../../core/text.js';
import { parseTime } from '../../core/time.js';
import type { Decoder } from '../types.js';
import { events, filtered, quarantine } from '../types.js';
import { buildTraceEvent, noTimeReason, normalizeStatus } from './normalize.js';

export const RWS_ID = 'exchange.messagetrace.rws';

const has = (v: Record<string, unknown>, k: string): boolean => getCI(v, k) !== undefined;

/** PS 5.1 can serialize a DateTime as {"value":"/Date(…)/","DisplayHint":2,"DateTime":"…"}. */
function timeValue(v: unknown): unknown {
  return isObject(v) ? (v.value ?? v.Value ?? v.DateTime) : v;
}

export const rwsJsonDecoder: Decoder = {
  id: RWS_ID,
  title: 'Exchange Online message trace (Reporting Web Service / Get-MessageTrace JSON)',
  container: 'json',
  matchRecord(v) {
    if (!has(v, 'MessageTraceId')) return false;
    // MessageTraceDetail records share MessageTraceId but carry Date/Event/Detail instead of Received.
    return has(v, 'Received') || has(v, 'RecipientAddress') || has(v, 'SenderAddress') || (has(v, 'Event') && has(v, 'Detail'));
  },
  decode(rec) {
    const v = rec.value;
    if (!has(v, 'Received') && has(v, 'Event') && has(v, 'Detail'))
      return filtered('Get-MessageTraceDetail event record (per-hop detail); tenantwatch reads the per-recipient Get-MessageTrace summary');
    const rawTime = timeValue(getCI(v, 'Received'));
    const time = parseTime(rawTime);
    if (time === undefined) return quarantine(noTimeReason('Received', rawTime));
    const sender = strOrUndef(getCI(v, 'SenderAddress'));
    const recipient = strOrUndef(getCI(v, 'RecipientAddress'));
    const messageId = strOrUndef(getCI(v, 'MessageId'));
    if (!sender && !recipient && !messageId)
      return quarantine('message trace record has no SenderAddress, RecipientAddress or MessageId; nothing to attribute — check the export');
    const subject = getCI(v, 'Subject');
    const st = normalizeStatus(getCI(v, 'Status'));
    return events(
      buildTraceEvent(
        {
          time,
          sender,
          recipient,
          subject: typeof subject === 'string' ? subject : undefined,
          messageId,
          messageTraceId: strOrUndef(getCI(v, 'MessageTraceId')),
          status: st.status,
          outcome: st.outcome,
          size: numOrUndef(getCI(v, 'Size')),
          fromIp: strOrUndef(getCI(v, 'FromIP')),
          toIp: strOrUndef(getCI(v, 'ToIP')),
          organization: strOrUndef(getCI(v, 'Organization')),
        },
        rec,
        RWS_ID,
      ),
    );
  },
};
