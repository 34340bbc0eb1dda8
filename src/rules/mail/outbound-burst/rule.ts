// TW-MAIL-003: outbound mail from a sender domain far above that domain's own hourly baseline (spam burst).
import type { Event } from '../../../core/event.js';
import { HOUR, humanDuration } from '../../../config/tunables.js';
import { iso, type Entity, type Severity } from '../../../detect/alert.js';
import { baseline } from '../../../detect/spec.js';
import { entities, ipEntity } from '../../lib.js';
import { defineRule } from '../../types.js';
import { connectorOf, outboundExternal, recipientOf, senderDomainOf, spamVerdict } from '../trace.js';

const round1 = (n: number): number => Math.round(n * 10) / 10;

export const outboundBurst = defineRule({
  id: 'TW-MAIL-003',
  title: 'Outbound mail far above the sender domain\'s baseline',
  severity: 'medium',
  tactics: ['impact'],
  techniques: ['T1496'],
  description:
    'Counts, per sender domain (and per inbound connector when the trace names one), the messages sent to recipients ' +
    'outside the tenant in each hour, and fires when an hour reaches max(minCount, factor × the learned hourly mean, ' +
    'mean + zScore × σ) after the domain has been learned for minHistory hours. High when the message that crossed ' +
    'the threshold came in through a connector or Exchange Online Protection filtered it as spam; low otherwise ' +
    '(bulk mail without a spam verdict is most often the tenant\'s own marketing).',
  whyItMatters:
    'The 2022 campaign relayed bulk spam through victim tenants so it went out under their domains and IP reputation; ' +
    'a sudden outbound volume far above the domain\'s normal is how that shows in message trace, before Microsoft ' +
    'restricts the tenant from sending.',
  falsePositives: [
    'Marketing or notification mail sent through Exchange Online: when it recurs often it is part of the learned ' +
      'baseline; a first or rare campaign alerts at low (no spam verdict, no connector) — confirm with its owner.',
    'Month-end or incident mass mailings (payroll, outage notices): one-off, from known internal senders.',
  ],
  references: ['https://learn.microsoft.com/defender-office-365/connectors-detect-respond-to-compromise', 'https://attack.mitre.org/techniques/T1496/'],
  status: 'stable',
  inputs: { facts: ['messagetrace'], sources: ['exchange.messagetrace'] },
  tunables: {
    bucket: { type: 'duration', default: HOUR, min: 5 * 60_000, max: 24 * HOUR, help: 'counting period' },
    historyBuckets: { type: 'integer', default: 168, min: 6, max: 2000, help: 'periods of history averaged (168 hours = 7 days)' },
    minHistoryBuckets: { type: 'integer', default: 24, min: 1, max: 2000, help: 'periods a domain must have been learned before it can alert' },
    minCount: { type: 'integer', default: 100, min: 1, help: 'messages to outside recipients in one period, at least' },
    factor: { type: 'number', default: 10, min: 1, help: 'times the learned mean, at least' },
    zScore: { type: 'number', default: 6, min: 0, help: 'standard deviations above the learned mean, at least' },
    tenantDomains: { type: 'string[]', default: [], help: "the tenant's mail domains (else the snapshot's accepted domains, else the record's organization)" },
  },
  suppressMs: 6 * HOUR,
  detect: (t) =>
    baseline({
      on: { actions: ['mail.send'], sources: ['exchange.messagetrace'], where: (ev, ctx) => outboundExternal(ev, ctx, t.tenantDomains) },
      key: (ev) => {
        const d = senderDomainOf(ev);
        if (!d) return undefined;
        const c = connectorOf(ev);
        return c ? `${d}|${c.toLowerCase()}` : d;
      },
      bucketMs: t.bucket,
      historyBuckets: t.historyBuckets,
      minHistoryBuckets: t.minHistoryBuckets,
      minCount: t.minCount,
      factor: t.factor,
      zScore: t.zScore,
      alert: (m) => {
        const ev: Event = m.event;
        const domain = senderDomainOf(ev)!;
        const connector = connectorOf(ev);
        const spam = spamVerdict(ev);
        // the crossing message carries the route and the verdict; a burst of delivered mailbox mail is usually bulk mail
        const severity: Severity = connector || spam ? 'high' : 'low';
        const period = humanDuration(m.bucketMs);
        const explanation =
          `${m.count} messages from ${domain}${connector ? ` through connector "${connector}"` : ''} had gone to outside recipients in the ${period} period starting ${iso(m.bucketStart)} when it fired, ` +
          `against a learned mean of ${round1(m.mean)} per ${period} (σ ${round1(m.stddev)}) over ${m.learnedBuckets} periods: the threshold was ${Math.ceil(m.threshold)} ` +
          `(max of ${t.minCount}, ${t.factor} × mean, mean + ${t.zScore}σ). The message that crossed it went from ${ev.actor.user ?? '(unknown sender)'}` +
          `${ev.actor.ip ? ` (source IP ${ev.actor.ip})` : ''} to ${recipientOf(ev) ?? '(unknown)'}, status ${String(ev.details?.status ?? 'unknown')}.` +
          (spam ? ' Exchange Online Protection filtered it as spam.' : '') +
          (connector ? ' Mail arriving through an inbound connector and leaving for the internet is relayed: check who created the connector (TW-EXO-001).' : '') +
          (!connector && !spam ? ' No spam verdict and no connector on it: often a newsletter; new sender addresses in the burst (TW-MAIL-004) say otherwise.' : '');
        const ents: (Entity | undefined)[] = [
          { type: 'domain', id: domain, role: 'actor' },
          connector ? { type: 'connector', id: connector.toLowerCase(), display: connector, role: 'source' } : undefined,
          ipEntity(ev.actor.ip),
        ];
        return {
          title: `Outbound burst from ${domain}: ${m.count} messages in ${period} (mean ${round1(m.mean)})`,
          severity,
          entities: entities(...ents),
          explanation,
          facts: {
            senderDomain: domain,
            count: m.count,
            mean: round1(m.mean),
            stddev: round1(m.stddev),
            threshold: Math.ceil(m.threshold),
            learnedBuckets: m.learnedBuckets,
            bucketStart: iso(m.bucketStart),
            ...(connector ? { connector } : {}),
            spamVerdict: spam,
          },
        };
      },
    }),
});
