// Microsoft Teams through a Workflows (Power Automate) webhook — "When a Teams webhook request is received" — which
// posts an Adaptive Card to a channel or chat. The Office 365 connector webhooks (MessageCard) are retired, so
// this is the only Teams path. The body is a `message` with one attachment of type
// application/vnd.microsoft.card.adaptive; Workflows answers 202 Accepted. The idempotency key goes in the
// Idempotency-Key header and in the card ("Alert id" fact) so a flow can drop repeats.
import type { TeamsSinkConfig } from '../../config/watch.js';
import type { Alert, Severity } from '../../detect/alert.js';
import type { Clock } from '../../sources/clock.js';
import { postJson } from '../http.js';
import { cardEscape, entityLines, plain, revisionNote, SEVERITY_LABEL } from '../text.js';
import { wantsAlert, type DeliveryItem, type SendOutcome, type Sink } from '../types.js';

const COLOR: Record<Severity, string> = { informational: 'Default', low: 'Accent', medium: 'Warning', high: 'Attention', critical: 'Attention' };

/** The Workflows webhook body: one Adaptive Card (schema 1.4, the version Teams renders everywhere). */
export function teamsMessage(item: DeliveryItem): Record<string, unknown> {
  const a: Alert = item.alert;
  const facts = [
    { title: 'Severity', value: a.severity },
    { title: 'Rule', value: a.rule },
    { title: 'Time', value: a.time },
    { title: 'Tenant', value: cardEscape(plain(a.tenant, 80)) },
    ...(a.tactics.length ? [{ title: 'Tactics', value: a.tactics.join(', ') }] : []),
    ...entityLines(a.entities).map((l) => {
      const i = l.indexOf(': ');
      // the title is ours ("user (actor)"); the value is log text
      return { title: l.slice(0, i), value: cardEscape(l.slice(i + 2)) };
    }),
    ...(a.revision > 1 ? [{ title: 'Revision', value: cardEscape(revisionNote(a)) }] : []),
    { title: 'Alert id', value: item.key },
  ];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body: [
            { type: 'TextBlock', text: `${SEVERITY_LABEL[a.severity]} · ${a.rule}${a.revision > 1 ? ` · update ${a.revision}` : ''}`, size: 'Small', weight: 'Bolder', color: COLOR[a.severity], wrap: true },
            { type: 'TextBlock', text: cardEscape(plain(a.title, 200)), size: 'Large', weight: 'Bolder', wrap: true },
            { type: 'TextBlock', text: cardEscape(plain(a.explanation, 2000, true)), wrap: true },
            { type: 'FactSet', facts },
            { type: 'TextBlock', text: `tenantwatch · ${a.evidence.length + a.evidenceTruncated} evidence record(s) · \`tenantwatch incidents list\``, size: 'Small', isSubtle: true, wrap: true },
          ],
        },
      },
    ],
  };
}

export class TeamsSink implements Sink {
  readonly type = 'teams' as const;
  readonly minIntervalMs = 0;
  constructor(
    readonly cfg: TeamsSinkConfig,
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
    return postJson({ url: this.url, body: JSON.stringify(teamsMessage(item)), headers: { 'idempotency-key': item.key }, timeoutMs: this.cfg.timeout, signal, now: this.clock.now() });
  }
  async close(): Promise<void> {}
}
