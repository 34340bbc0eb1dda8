// Entra directory audits through Graph v1.0 `auditLogs/directoryAudits` (apps, consent, credentials, roles,
// federation). Filter on activityDateTime; newest first. Needs AuditLog.Read.All; kept 30 days (7 on Free).
import { strOrUndef } from '../../core/text.js';
import { GraphWindowedSource } from '../graph/windowed.js';

export function directoryAuditSource(o: { graphHost: string; pageSize: number; spanMs: number }): GraphWindowedSource {
  return new GraphWindowedSource({
    id: 'graph.directoryAudits',
    needs: 'AuditLog.Read.All (Graph application permission)',
    host: o.graphHost,
    path: '/v1.0/auditLogs/directoryAudits',
    timeField: 'activityDateTime',
    key: (r) => strOrUndef(r.id),
    pageSize: o.pageSize,
    spanMs: o.spanMs,
    retentionMs: 30 * 86_400_000,
  });
}
