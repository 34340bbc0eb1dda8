// The sink contract. `watch` commits each new alert (and revision) to an outbox in the same SQLite transaction as
// the source checkpoints and the engine state; a dispatcher then hands every outbox row to its sink. A sink makes
// ONE attempt per call and says how it went — the dispatcher owns retries, back-off, pacing and the dead-letter
// file, so every sink behaves the same way (src/sinks/conformance.test.ts).
//
// Delivery is at least once: a crash between a receiver accepting a message and the outbox row being marked
// delivered sends it again. Every message therefore carries an idempotency key — the alert id, with `.rN` for
// revision N > 1 — where the receiver can see it (an HTTP header and a field, the syslog MSGID), so receivers drop
// repeats. Sinks never put a webhook URL, an HMAC key or any other secret into an error message.
import type { RevisionPolicy, SinkType } from '../config/watch.js';
import type { Alert, Severity } from '../detect/alert.js';
import { severityRank } from '../detect/alert.js';

export interface DeliveryItem {
  /** idempotency key: alert id for revision 1, `<id>.r<N>` for revision N */
  key: string;
  alert: Alert;
  /** 1 for the first attempt */
  attempt: number;
}

export type SendOutcome =
  | { ok: true; status?: number }
  | {
      ok: false;
      /** false = retrying cannot help (a 400, a 404: the URL or the payload is wrong) */
      retryable: boolean;
      /** short, secret-free: "HTTP 503", "connect ECONNREFUSED", "timed out after 10 s" */
      error: string;
      /** metric label: http_429, http_503, network, timeout, tls, … */
      code: string;
      /** the receiver asked for this pause (Retry-After) */
      retryAfterMs?: number;
    };

export interface Sink {
  readonly name: string;
  readonly type: SinkType;
  /** least time between two messages (Slack allows about one per second) */
  readonly minIntervalMs: number;
  /** whether this alert (revision) goes to this sink; `previous` = severity of the revision before it, if any */
  wants(alert: Alert, previous?: Severity): boolean;
  send(item: DeliveryItem, signal?: AbortSignal): Promise<SendOutcome>;
  close(): Promise<void>;
}

export function idempotencyKey(alertId: string, revision: number): string {
  return revision <= 1 ? alertId : `${alertId}.r${revision}`;
}

/** The common filter: a minimum severity, and which revisions a sink takes. */
export function wantsAlert(policy: { minSeverity: Severity; revisions: RevisionPolicy }, alert: Alert, previous?: Severity): boolean {
  const bar = severityRank(policy.minSeverity);
  if (severityRank(alert.severity) < bar) return false;
  if (alert.revision <= 1) return true;
  // the sink never saw an earlier revision (it was below the bar): this one is its first
  if (previous !== undefined && severityRank(previous) < bar) return true;
  if (policy.revisions === 'all') return true;
  if (policy.revisions === 'none') return false;
  return previous !== undefined && severityRank(alert.severity) > severityRank(previous);
}

export const failure = (error: string, code: string, retryable: boolean, retryAfterMs?: number): SendOutcome => ({
  ok: false,
  error,
  code,
  retryable,
  ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
});

/** The JSON envelope of the webhook (format alert) and file (ndjson) sinks. */
export const DELIVERY_SCHEMA = 'tenantwatch.delivery/1';

export function deliveryEnvelope(item: DeliveryItem): { schema: string; idempotencyKey: string; alert: Alert } {
  return { schema: DELIVERY_SCHEMA, idempotencyKey: item.key, alert: item.alert };
}
