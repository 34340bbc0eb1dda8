// Entra sign-ins through Graph beta `auditLogs/signIns`: one source per sign-in event type, because v1.0 returns
// interactive sign-ins only and the beta `signInEventTypes` filter is how non-interactive, service-principal and
// managed-identity sign-ins are read (as the Microsoft-Extractor-Suite does). Separate sources also keep their
// own adaptive spans: non-interactive sign-ins outnumber the rest by far. Needs AuditLog.Read.All and Entra ID
// P1/P2; kept 30 days (7 on Entra ID Free).
import type { SignInEventType } from '../../config/collect.js';
import { strOrUndef } from '../../core/text.js';
import { GraphWindowedSource } from '../graph/windowed.js';

export const SIGNIN_RETENTION_MS = 30 * 86_400_000;

export interface SignInSourceOptions {
  graphHost: string;
  eventType: SignInEventType;
  pageSize: number;
  spanMs: number;
}

export function signInSource(o: SignInSourceOptions): GraphWindowedSource {
  return new GraphWindowedSource({
    id: `graph.signins.${o.eventType}`,
    needs: 'AuditLog.Read.All (Graph application permission) and an Entra ID P1/P2 licence',
    host: o.graphHost,
    path: '/beta/auditLogs/signIns',
    timeField: 'createdDateTime',
    extraFilter: `signInEventTypes/any(t: t eq '${o.eventType}')`,
    key: (r) => strOrUndef(r.id),
    pageSize: o.pageSize,
    spanMs: o.spanMs,
    retentionMs: SIGNIN_RETENTION_MS,
  });
}
