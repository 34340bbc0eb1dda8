// TW-MAIL-004: outbound mail from a sender address the domain never used, relayed through a connector or
// filtered as spam by Exchange Online Protection (the random senders of relayed spam).
import { DAY, HOUR, humanDuration } from '../../../config/tunables.js';
import { iso, type Entity, type Severity } from '../../../detect/alert.js';
import { firstSeen } from '../../../detect/spec.js';
import { entities, ipEntity, listSome } from '../../lib.js';
import { defineRule } from '../../types.js';
import { connectorOf, outboundExternal, recipientOf, senderDomainOf, spamVerdict } from '../trace.js';

export const newRelayedSender = defineRule({
  id: 'TW-MAIL-004',
  title: 'Outbound spam or relayed mail from a sender address never seen before',
  severity: 'medium',
  tactics: ['impact', 'defense-evasion'],
  techniques: ['T1496', 'T1562'],
  description:
    'Learns, per sender domain, the addresses that send mail to outside recipients (every route teaches). A message ' +
    'from an address not seen in the history window fires when it came in through an inbound connector (historical ' +
    'and extended message trace reports name it) or Exchange Online Protection filtered it as spam; repeats within ' +
    'the suppression hour fold into one alert whose occurrences count the new senders.',
  whyItMatters:
    'Relayed spam in the 2022 campaign used the victim\'s domain with sender addresses no one in the tenant ever used. ' +
    'A new connector or relay IP has no volume history (TW-MAIL-003 judges it against a zero baseline once it reached ' +
    'its cold-start floor of outside recipients), but its senders are new from the first message.',
  falsePositives: [
    'A new employee or application mailbox behind a hybrid connector: one address, delivered, medium; confirm it exists in the directory.',
    'A user\'s first mail flagged as spam by outbound filtering (a newsletter tool misconfigured): one address, confirm with the user.',
  ],
  references: ['https://learn.microsoft.com/defender-office-365/connectors-detect-respond-to-compromise'],
  status: 'experimental',
  inputs: { facts: ['messagetrace'], sources: ['exchange.messagetrace'] },
  tunables: {
    history: { type: 'duration', default: 30 * DAY, min: DAY, max: 400 * DAY, help: 'how long a sender address stays known' },
    warmup: { type: 'duration', default: DAY, min: 0, max: 30 * DAY, help: 'learning time per domain before new senders alert' },
    tenantDomains: { type: 'string[]', default: [], help: "the tenant's mail domains (else the snapshot's accepted domains, else the record's organization)" },
  },
  suppressMs: HOUR,
  detect: (t) =>
    firstSeen({
      on: { actions: ['mail.send'], sources: ['exchange.messagetrace'], where: (ev, ctx) => outboundExternal(ev, ctx, t.tenantDomains) },
      key: (ev) => senderDomainOf(ev),
      value: (ev) => ev.actor.user,
      historyMs: t.history,
      warmupMs: t.warmup,
      alertIf: (ev) => connectorOf(ev) !== undefined || spamVerdict(ev),
      alert: (m) => {
        const ev = m.event;
        const connector = connectorOf(ev);
        const spam = spamVerdict(ev);
        const severity: Severity = spam ? 'high' : 'medium';
        const explanation =
          `${m.value} sent mail to outside recipient ${recipientOf(ev) ?? '(unknown)'} at ${iso(ev.time)}` +
          `${connector ? ` through inbound connector "${connector}"` : ''}${ev.actor.ip ? ` from ${ev.actor.ip}` : ''}, status ${String(ev.details?.status ?? 'unknown')}. ` +
          `No mail from that address left ${m.key} in the last ${humanDuration(m.historyMs)} (${m.knownCount} sender address${m.knownCount === 1 ? '' : 'es'} known since ${iso(m.keySince)}` +
          `${m.known.length ? `, e.g. ${listSome(m.known, 3)}` : ''}).` +
          (spam ? ' Exchange Online Protection filtered it as spam.' : '') +
          (connector ? ' Mail that enters through an inbound connector and leaves for the internet is relayed by the tenant: check the connector (TW-EXO-001).' : '');
        return {
          title: `New sender ${m.value} ${spam ? 'sending spam' : `relaying through ${connector}`}`,
          severity,
          entities: entities(
            { type: 'domain', id: m.key, role: 'actor' },
            { type: 'mailbox', id: m.value, role: 'actor' } satisfies Entity,
            connector ? ({ type: 'connector', id: connector.toLowerCase(), display: connector, role: 'source' } satisfies Entity) : undefined,
            ipEntity(ev.actor.ip),
          ),
          explanation,
          facts: {
            sender: m.value,
            senderDomain: m.key,
            knownSenders: m.knownCount,
            ...(connector ? { connector } : {}),
            spamVerdict: spam,
            learningSince: iso(m.keySince),
          },
        };
      },
    }),
});
