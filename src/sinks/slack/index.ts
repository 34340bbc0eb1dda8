// Slack incoming webhook: `{text, blocks}` — a header, the explanation, the facts as fields and a context line with
// the idempotency key (also sent as the Idempotency-Key header). Slack accepts about one message per second per
// webhook, so the dispatcher paces this sink (minIntervalMs) and honours a 429's Retry-After.
import type { SlackSinkConfig } from '../../config/watch.js';
import type { Alert, Severity } from '../../detect/alert.js';
import type { Clock } from '../../sources/clock.js';
import { postJson } from '../http.js';
import { entityLines, plain, revisionNote, SEVERITY_LABEL, slackEscape } from '../text.js';
import { wantsAlert, type DeliveryItem, type SendOutcome, type Sink } from '../types.js';

const ICON: Record<Severity, string> = { informational: ':information_source:', low: ':large_blue_circle:', medium: ':large_orange_circle:', high: ':red_circle:', critical: ':rotating_light:' };

export function slackMessage(item: DeliveryItem): Record<string, unknown> {
  const a: Alert = item.alert;
  const m = (s: string, max: number) => slackEscape(plain(s, max, true));
  const fields = [
    `*Severity*\n${a.severity}`,
    `*Rule*\n${a.rule}`,
    `*Time*\n${a.time}`,
    `*Tenant*\n${m(a.tenant, 80)}`,
    ...entityLines(a.entities, 5).map((l) => {
      const i = l.indexOf(': ');
      return `*${slackEscape(l.slice(0, i))}*\n${slackEscape(l.slice(i + 2))}`;
    }),
  ].slice(0, 10);
  const note = revisionNote(a);
  return {
    text: `[${SEVERITY_LABEL[a.severity]}] ${m(a.title, 200)} (${a.rule})`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: plain(`${a.revision > 1 ? 'Update: ' : ''}${a.title}`, 150), emoji: false } },
      { type: 'section', text: { type: 'mrkdwn', text: `${ICON[a.severity]} ${m(a.explanation, 2900)}` } },
      { type: 'section', fields: fields.map((t) => ({ type: 'mrkdwn', text: t.slice(0, 1900) })) },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `tenantwatch · alert id \`${item.key}\`${note ? ` · ${slackEscape(note)}` : ''}` }] },
    ],
  };
}

export class SlackSink implements Sink {
  readonly type = 'slack' as const;
  readonly minIntervalMs = 1100;
  constructor(
    readonly cfg: SlackSinkConfig,
    private readonly url: URL,
    private readonly clock: Clock,
  ) {}
  get name(): string {
    return this.cfg.name;
  }
  wants(alert: Alert, previous?: Severity): boolean {
    return wantsAlert(this.cfg, alert, previous);
  }
  send(item: DeliveryItem, signal?: AbortSignal): Promise<SendOutcome> {
    return postJson({ url: this.url, body: JSON.stringify(slackMessage(item)), headers: { 'idempotency-key': item.key }, timeoutMs: this.cfg.timeout, signal, now: this.clock.now() });
  }
  async close(): Promise<void> {}
}
