// Microsoft Graph exchangeMessageTrace (GET /admin/exchange/tracing/messageTraces, beta and v1.0). Documented
// shape: {"@odata.type":"#microsoft.graph.exchangeMessageTrace", id, senderAddress, recipientAddress, messageId,
// receivedDateTime (UTC), subject, size, fromIP, toIP (blank for inbound), status}. `status` is the
// exchangeMessageTraceStatus enum (gettingStatus, pending, failed, delivered, expanded, quarantined,
// filteredAsSpam); the docs' example writes "Delivered", so it is matched case-insensitively. `id` is the
// message trace id (the same GUID as Get-MessageTrace's MessageTraceId). No tenant or organization field.
import { numOrUndef, strOrUndef } from '../../core/text.js';
import { parseTime } from '../../core/time.js';
import type { Decoder } from '../types.js';
import { events, quarantine } from '../types.js';
import { buildTraceEvent, noTimeReason, normalizeStatus } from './normalize.js';

export const GRAPH_ID = 'graph.messagetrace';

export const graphMessageTraceDecoder: Decoder = {
  id: GRAPH_ID,
  title: 'Microsoft Graph exchangeMessageTrace (admin/exchange/tracing/messageTraces)',
  container: 'json',
  matchRecord(v) {
    const type = v['@odata.type'];
    if (typeof type === 'string') return /exchangeMessageTrace$/i.test(type);
    return 'receivedDateTime' in v && ('recipientAddress' in v || 'senderAddress' in v) && !('MessageTraceId' in v);
  },
  decode(rec) {
    const v = rec.value;
    const time = parseTime(v.receivedDateTime);
    if (time === undefined) return quarantine(noTimeReason('receivedDateTime', v.receivedDateTime));
    const sender = strOrUndef(v.senderAddress);
    const recipient = strOrUndef(v.recipientAddress);
    const messageId = strOrUndef(v.messageId);
    if (!sender && !recipient && !messageId)
      return quarantine('exchangeMessageTrace has no senderAddress, recipientAddress or messageId; nothing to attribute — check the export');
    const st = normalizeStatus(v.status);
    return events(
      buildTraceEvent(
        {
          time,
          sender,
          recipient,
          subject: typeof v.subject === 'string' ? v.subject : undefined,
          messageId,
          messageTraceId: strOrUndef(v.id),
          status: st.status,
          outcome: st.outcome,
          size: numOrUndef(v.size),
          fromIp: strOrUndef(v.fromIP),
          toIp: strOrUndef(v.toIP),
        },
        rec,
        GRAPH_ID,
      ),
    );
  },
};
