// A generic JSON webhook: POST the delivery envelope {schema, idempotencyKey, alert} (or the alert as an OCSF
// Detection Finding) with the key in the Idempotency-Key header. With a `secret`, every request is signed:
//   X-Tenantwatch-Timestamp: <unix seconds>
//   X-Tenantwatch-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>
// The timestamp inside the signed text lets a receiver refuse replays (verifySignature: 5 minutes by default).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookSinkConfig } from '../../config/watch.js';
import type { Alert, Severity } from '../../detect/alert.js';
import type { Clock } from '../../sources/clock.js';
import { postJson } from '../http.js';
import { alertOcsf } from '../ocsf.js';
import { deliveryEnvelope, wantsAlert, type DeliveryItem, type SendOutcome, type Sink } from '../types.js';

export const SIGNATURE_HEADER = 'x-tenantwatch-signature';
export const TIMESTAMP_HEADER = 'x-tenantwatch-timestamp';

export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers (and the tests): true when the signature matches and the timestamp is recent. */
export function verifySignature(secret: string, body: string, headers: Record<string, string | string[] | undefined>, nowMs: number, toleranceMs = 300_000): boolean {
  const ts = Number(headers[TIMESTAMP_HEADER]);
  const sig = headers[SIGNATURE_HEADER];
  if (!Number.isFinite(ts) || typeof sig !== 'string') return false;
  if (Math.abs(nowMs - ts * 1000) > toleranceMs) return false;
  const want = Buffer.from(sign(secret, ts, body));
  const got = Buffer.from(sig);
  return want.length === got.length && timingSafeEqual(want, got);
}

export class WebhookSink implements Sink {
  readonly type = 'webhook' as const;
  readonly minIntervalMs = 0;
  constructor(
    readonly cfg: WebhookSinkConfig,
    private readonly url: URL,
    private readonly secret: string | undefined,
    private readonly clock: Clock,
  ) {}
  get name(): string {
    return this.cfg.name;
  }
  wants(alert: Alert, previous?: Severity): boolean {
    return wantsAlert(this.cfg, alert, previous);
  }
  send(item: DeliveryItem, signal?: AbortSignal): Promise<SendOutcome> {
    const body = JSON.stringify(this.cfg.format === 'ocsf' ? alertOcsf(item.alert, item.key) : deliveryEnvelope(item));
    const now = this.clock.now();
    const headers: Record<string, string> = { 'idempotency-key': item.key, 'x-tenantwatch-event': item.alert.revision > 1 ? 'alert.revised' : 'alert.created' };
    if (this.secret) {
      const ts = Math.floor(now / 1000);
      headers[TIMESTAMP_HEADER] = String(ts);
      headers[SIGNATURE_HEADER] = sign(this.secret, ts, body);
    }
    return postJson({ url: this.url, body, headers, timeoutMs: this.cfg.timeout, signal, now });
  }
  async close(): Promise<void> {}
}
