// Exchange Online message trace through Graph (`GET /v1.0/admin/exchange/tracing/messageTraces`,
// exchangeMessageTrace records, one per recipient). Documented: application permission
// ExchangeMessageTrace.Read.All, $filter/$top (1–5000)/@odata.nextLink, 90 days of data, at most 10 days per query,
// global cloud only. Assumed (not in the reference we hold): the filter is on receivedDateTime with ge/lt and the
// results come newest first — like Get-MessageTraceV2. Where the Graph API is unavailable, export with
// Get-MessageTraceV2 (docs/collect.md) — tenantwatch reads those files too.
import { strOrUndef } from '../../core/text.js';
import { GraphWindowedSource } from '../graph/windowed.js';

export const MESSAGE_TRACE_MAX_SPAN_MS = 10 * 86_400_000;

export function messageTraceSource(o: { graphHost: string; pageSize: number; spanMs: number }): GraphWindowedSource {
  return new GraphWindowedSource({
    id: 'graph.messageTraces',
    needs: 'ExchangeMessageTrace.Read.All (Graph application permission)',
    host: o.graphHost,
    path: '/v1.0/admin/exchange/tracing/messageTraces',
    timeField: 'receivedDateTime',
    // one row per recipient: the trace id alone repeats across a message's recipients
    key: (r) => {
      const id = strOrUndef(r.id);
      return id ? `${id}/${String(r.recipientAddress ?? '').toLowerCase()}`.toLowerCase() : undefined;
    },
    pageSize: Math.min(5000, o.pageSize),
    spanMs: Math.min(o.spanMs, MESSAGE_TRACE_MAX_SPAN_MS),
    maxSpanMs: MESSAGE_TRACE_MAX_SPAN_MS,
    retentionMs: 90 * 86_400_000,
  });
}
