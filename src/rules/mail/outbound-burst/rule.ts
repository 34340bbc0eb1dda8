// TW-MAIL-003: outbound mail from one source (sender domain + source IP, + inbound connector when the report names
// it) to many distinct outside recipients in an hour, far above that source's own hourly baseline — or, for a
// source with no history (a new relay IP or connector), above an absolute floor (spam burst).
import type { Event } from '../../../core/event.js';
import { v4Prefix24 } from '../../../core/ip.js';
import { HOUR, humanDuration } from '../../../config/tunables.js';
import { iso, type Entity, type Severity } from '../../../detect/alert.js';
import { threshold, type RuleContext, type WindowView } from '../../../detect/spec.js';
import { entities, ipEntity, ipKey, listSome, plural } from '../../lib.js';
import { defineRule } from '../../types.js';
import { asnKindOf, asnOf } from '../../signin/travel-lib.js';
import { connectorOf, outboundExternal, recipientOf, senderDomainOf, spamVerdict } from '../trace.js';

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Recipients per sender address in an hour that make mail bulk (staff write to a few people each). */
const BULK_PER_SENDER = 10;

/** The source of mail without a FromIP: Exchange Online mailboxes (one source per domain, as the old baseline). */
const MAILBOXES = 'mailboxes';

/**
 * Where the message came from: FromIP (IPv6 by /64), else the tenant's mailboxes. A rented server range (a hosting
 * network) is one source by its /24: spam spread over forty addresses of the attacker's range is one burst, while
 * an office's addresses stay sources of their own.
 */
function sourceOf(ev: Event, ctx: RuleContext): string {
  const ip = ev.actor.ip;
  if (!ip) return MAILBOXES;
  if (!ip.includes(':') && hostingOf(ev, ctx)) return v4Prefix24(ip);
  return ipKey(ip)!;
}

const hostingOf = (ev: Event, ctx: RuleContext): boolean => asnKindOf(ev, ctx) === 'hosting';

/**
 * What the window says about one source at one period. A source with history (at least minHistory periods in the
 * window) is judged per period: the period's distinct outside recipients against its earlier periods (zeros
 * included). A younger source has no baseline of its own — a zero baseline — and is judged on everything it sent
 * since it appeared, against the cold-start floor: a slow relay (a dozen recipients an hour for hours) is as new as
 * a fast one.
 */
interface Stats {
  cold: boolean;
  /** what is compared with the threshold: distinct outside recipients in the period, or since the source appeared when cold */
  recipients: number;
  /** recipient rows counted the same way */
  messages: number;
  spamFiltered: number;
  /** sender addresses first seen from this source (within the history) in the period, or since it appeared when cold */
  newSenders: number;
  /** every sender address in the window (for a cold source: all of its senders) */
  senders: number;
  /** periods of history before this one (0 = the source appeared in this period) */
  learned: number;
  mean: number;
  stddev: number;
  threshold: number;
}

interface Limits {
  bucket: number;
  historyBuckets: number;
  minHistoryBuckets: number;
  minCount: number;
  coldStartMin: number;
  factor: number;
  zScore: number;
}

/** Periods between the source's oldest entry in the window and this one. */
const learnedOf = (hour: string, firstTime: number, l: Limits): number => Math.max(0, Math.min(l.historyBuckets, Number(hour) - Math.floor(firstTime / l.bucket)));

function statsOf(view: WindowView, hour: string, firstTime: number, entries: number, l: Limits): Stats {
  const learned = learnedOf(hour, firstTime, l);
  const senders = view.size('snd');
  if (learned < l.minHistoryBuckets) {
    let spamFiltered = 0;
    for (const h of view.values('spamH')) spamFiltered += view.count('spamH', h);
    // Σ over periods of the distinct recipients of each period: the distinct (period, recipient) pairs
    return { cold: true, recipients: view.size('rh'), messages: entries, spamFiltered, newSenders: senders, senders, learned, mean: 0, stddev: 0, threshold: l.coldStartMin };
  }
  let sum = 0, sq = 0;
  for (const h of view.values('hr')) {
    if (h === hour) continue;
    const c = view.count('hr', h);
    sum += c;
    sq += c * c;
  }
  const mean = sum / learned;
  const stddev = Math.sqrt(Math.max(0, sq / learned - mean * mean));
  return {
    cold: false,
    recipients: view.count('hr', hour),
    messages: view.count('rowH', hour),
    spamFiltered: view.count('spamH', hour),
    newSenders: view.count('newSnd', hour),
    senders,
    learned,
    mean,
    stddev,
    threshold: Math.max(l.minCount, mean * l.factor, mean + l.zScore * stddev),
  };
}

/** Why a burst stays low, in words that match its numbers. */
function lowReasons(s: Stats, fromMailboxes: boolean, perSender: number): string {
  const out = ['no connector', 'EOP filtered under a tenth of the messages as spam'];
  if (!s.cold) out.push('the source has a history of its own');
  else if (fromMailboxes) out.push("the mail came from the tenant's mailboxes");
  else if (s.newSenders < 2) out.push('one sender address');
  else out.push(`its never-seen addresses wrote to ${round1(perSender)} recipients each (bulk is ${BULK_PER_SENDER} or more) and the source is no hosting network`);
  return out.join(', ');
}

export const outboundBurst = defineRule({
  id: 'TW-MAIL-003',
  title: 'Outbound mail to many outside recipients far above the source\'s baseline',
  severity: 'medium',
  tactics: ['impact'],
  techniques: ['T1496'],
  description:
    'Per source — sender domain and source IP (FromIP, a hosting network\'s address by its /24; the tenant\'s mailboxes when blank), and the inbound connector ' +
    'when the trace names one — counts the distinct recipients outside the tenant in each hour, and fires when an hour ' +
    'reaches max(minCount, factor × the source\'s hourly mean, mean + zScore × σ) over its history. A source with no ' +
    'history (a new relay IP or connector, or one younger than minHistory hours) has a zero baseline: it fires once ' +
    'everything it sent since it appeared reaches coldStartMin distinct outside recipients (after a warm-up on the ' +
    'tenant\'s mail). High through a connector or when EOP filtered at least a tenth of the messages as spam; medium ' +
    'for a new source sending in bulk from several never-seen sender addresses, or from several never-seen addresses out of a ' +
    'hosting network; low otherwise.',
  whyItMatters:
    'The 2022 campaign relayed bulk spam through victim tenants from the attacker\'s own servers (an inbound connector ' +
    'trusting their IPs), so it went out under the tenant\'s domains and IP reputation with sender addresses no one ' +
    'used before. That source has no history: its first hour is far above a zero baseline, before Microsoft restricts ' +
    'the tenant from sending.',
  falsePositives: [
    'Marketing or notification mail from a known mailbox: when it recurs within the history it is part of the ' +
      'baseline; a first or rare campaign alerts at low (one sender, no spam verdict, no connector) — confirm with its owner.',
    'A new office egress IP or mail server (ISP change, migration): a cold source, but many known senders with a few ' +
      'recipients each — low. Add the address to allowlists.trustedIps if it is expected.',
    'Month-end or incident mass mailings (payroll, outage notices): one-off, from known internal senders.',
  ],
  references: ['https://learn.microsoft.com/defender-office-365/connectors-detect-respond-to-compromise', 'https://attack.mitre.org/techniques/T1496/'],
  status: 'stable',
  inputs: { facts: ['messagetrace'], sources: ['exchange.messagetrace'] },
  tunables: {
    bucket: { type: 'duration', default: HOUR, min: 5 * 60_000, max: 24 * HOUR, help: 'counting period' },
    historyBuckets: { type: 'integer', default: 72, min: 6, max: 336, help: 'periods of history per source (72 hours spans a weekend); state is one entry per outbound message and source over it' },
    minHistoryBuckets: { type: 'integer', default: 6, min: 1, max: 336, help: 'periods a source must have been sending before its own history is its baseline (younger: zero baseline, coldStartMin)' },
    minCount: { type: 'integer', default: 100, min: 1, help: 'distinct outside recipients in one period, at least, for a source with history' },
    coldStartMin: { type: 'integer', default: 25, min: 1, help: 'distinct outside recipients since it appeared, at least, for a source with no history (a zero baseline)' },
    warmup: { type: 'duration', default: 24 * HOUR, min: 0, max: 30 * 24 * HOUR, help: "how long the tenant's message trace must have been seen before a source can count as new (at the start of the input every source is)" },
    factor: { type: 'number', default: 10, min: 1, help: 'times the learned mean, at least' },
    zScore: { type: 'number', default: 6, min: 0, help: 'standard deviations above the learned mean, at least' },
    tenantDomains: { type: 'string[]', default: [], help: "the tenant's mail domains (else the snapshot's accepted domains, else the record's organization)" },
  },
  suppressMs: 6 * HOUR,
  detect: (t) => {
    const l: Limits = { bucket: t.bucket, historyBuckets: t.historyBuckets, minHistoryBuckets: t.minHistoryBuckets, minCount: t.minCount, coldStartMin: t.coldStartMin, factor: t.factor, zScore: t.zScore };
    const hot = Math.min(t.minCount, t.coldStartMin);
    // the period of an event as a string, cached: events arrive in time order
    let lastBucket = NaN, lastHour = '';
    const hourOf = (ev: Event): string => {
      const b = Math.floor(ev.time / t.bucket);
      if (b !== lastBucket) {
        lastBucket = b;
        lastHour = String(b);
      }
      return lastHour;
    };
    // per event, computed once by the first dimension and read by the others and the condition
    let cur: Event | undefined, curPair = '', curNewRcpt = false;
    const pairOf = (ev: Event, before: WindowView): string => {
      if (cur !== ev) {
        cur = ev;
        curPair = `${hourOf(ev)}|${recipientOf(ev)}`;
        curNewRcpt = before.count('rh', curPair) === 0;
      }
      return curPair;
    };
    return threshold({
      on: { actions: ['mail.send'], sources: ['exchange.messagetrace'], where: (ev, ctx) => outboundExternal(ev, ctx, t.tenantDomains) && recipientOf(ev) !== undefined },
      key: (ev, ctx) => {
        const d = senderDomainOf(ev);
        if (!d) return undefined;
        const c = connectorOf(ev);
        return c ? `${d}|${sourceOf(ev, ctx)}|${c.toLowerCase()}` : `${d}|${sourceOf(ev, ctx)}`;
      },
      windowMs: (t.historyBuckets + 1) * t.bucket,
      dims: {
        // (period, recipient): the distinct recipients of each period
        rh: (ev, _ctx, before) => pairOf(ev, before),
        // the period, once per distinct recipient in it: count('hr', period) = distinct recipients then
        hr: (ev, _ctx, before) => (pairOf(ev, before), curNewRcpt ? hourOf(ev) : undefined),
        rowH: (ev) => hourOf(ev),
        spamH: (ev) => (spamVerdict(ev) ? hourOf(ev) : undefined),
        snd: (ev) => ev.actor.user,
        // the period in which a sender address was first seen from this source (within the history)
        newSnd: (ev, _ctx, before) => (ev.actor.user && before.count('snd', ev.actor.user) === 0 ? hourOf(ev) : undefined),
        // what the alert's evidence keeps (one example per value): every row of a young source and the rows of a
        // period that reached the lower floor; one quiet row otherwise (the window spans days: its oldest rows are
        // not the burst)
        burst: (ev, _ctx, before) => (before.size('rowH') < t.minHistoryBuckets || before.count('hr', hourOf(ev)) + 1 >= hot ? recipientOf(ev) : '-'),
      },
      metric: 'burst',
      min: 2,
      // the window is the source's history: a crossing must not consume it
      consume: false,
      condition: (m) => {
        const ev = m.event;
        if (cur !== ev || !curNewRcpt) return false;
        const hour = hourOf(ev);
        const cold = learnedOf(hour, m.firstTime, l) < t.minHistoryBuckets;
        // cheap bounds first: a cold source counts everything since it appeared, a known one this period
        const n = cold ? m.view.size('rh') : m.view.count('hr', hour);
        if (n < (cold ? t.coldStartMin : t.minCount)) return false;
        // at the start of the input every source is new: a young source is a cold start only after the warm-up
        if (cold && ev.time - m.since < t.warmup) return false;
        const s = statsOf(m.view, hour, m.firstTime, m.count, l);
        if (n < s.threshold) return false;
        // the crossing, then every 25 more recipients (the open alert takes the evidence and may escalate)
        return n - 1 < s.threshold || n % 25 === 0;
      },
      alert: (m, ctx) => {
        const ev: Event = m.event;
        const hour = hourOf(ev);
        const s = statsOf(m.view, hour, m.firstTime, m.count, l);
        const domain = senderDomainOf(ev)!;
        const connector = connectorOf(ev);
        const source = sourceOf(ev, ctx);
        const fromMailboxes = source === MAILBOXES;
        const hosting = !fromMailboxes && hostingOf(ev, ctx);
        const network = source.endsWith('/24') ? source : undefined;
        // senders first seen from this source in the period are the newest values of its sender dimension
        const neverSeen = s.newSenders > 0 ? [...m.view.values('snd')].slice(-s.newSenders) : [];
        const perSender = s.recipients / Math.max(1, s.newSenders);
        const spamShare = s.messages ? s.spamFiltered / s.messages : 0;
        const spam = s.spamFiltered >= 3 && spamShare >= 0.1;
        const bulkNewSenders = s.cold && !fromMailboxes && s.newSenders >= 2 && perSender >= BULK_PER_SENDER;
        // servers rented in a hosting network sending the tenant's mail from addresses never seen before: no
        // office or mail client of the tenant's own looks like that, whatever the recipients per address
        const hostedNewSenders = s.cold && hosting && s.newSenders >= 2;
        const severity: Severity = connector || spam ? 'high' : bulkNewSenders || hostedNewSenders ? 'medium' : 'low';
        const period = humanDuration(t.bucket);
        const asn = hosting ? asnOf(ev, ctx) : undefined;
        const where = hosting ? ` (hosting network${asn !== undefined ? ` AS${asn}` : ''})` : '';
        const from = fromMailboxes ? "the tenant's mailboxes (no source IP)" : network ? `source network ${network}${where}, last from ${ev.actor.ip}` : `source IP ${ev.actor.ip}${where}`;
        const route = `from ${domain} via ${from}${connector ? ` through connector "${connector}"` : ''}`;
        const explanation =
          (s.cold
            ? `${plural(s.recipients, 'distinct outside recipient')} (${plural(s.messages, 'message row')}) got mail ${route} since it first sent at ${iso(m.firstTime)}. ` +
              `The source has no history of its own (${plural(s.learned, 'period')} old, under ${t.minHistoryBuckets}): its baseline is zero, and ${t.coldStartMin} outside recipients is the floor. ` +
              `All ${plural(s.senders, 'sender address', 'sender addresses')} ${s.senders === 1 ? 'is' : 'are'} new from this source (${listSome(neverSeen)})`
            : `${plural(s.recipients, 'distinct outside recipient')} (${plural(s.messages, 'message row')}) got mail ${route} in the ${period} period starting ${iso(Number(hour) * t.bucket)}. ` +
              `Against a learned mean of ${round1(s.mean)} per ${period} (σ ${round1(s.stddev)}) over ${s.learned} periods, the threshold was ${Math.ceil(s.threshold)} ` +
              `(max of ${t.minCount}, ${t.factor} × mean, mean + ${t.zScore}σ). ${plural(s.newSenders, 'sender address', 'sender addresses')} never seen from this source in the last ` +
              `${humanDuration(t.historyBuckets * t.bucket)} sent in the period${neverSeen.length ? ` (${listSome(neverSeen)})` : ''}`) +
          `; EOP filtered ${s.spamFiltered} of those messages as spam${s.messages ? ` (${Math.round(spamShare * 100)}%)` : ''}.` +
          (connector ? ' Mail arriving through an inbound connector and leaving for the internet is relayed: check who created the connector (TW-EXO-001).' : '') +
          (bulkNewSenders ? ` Bulk mail (${round1(perSender)} recipients per address) from never-seen addresses through a source with no history is how relayed spam starts.` : '') +
          (hostedNewSenders && !bulkNewSenders ? ` The source is a hosting network: rented servers sending as ${plural(s.newSenders, 'never-seen address', 'never-seen addresses')} of the tenant's domain is how relayed spam looks when it rotates its sender addresses (${round1(perSender)} recipients per address).` : '') +
          (severity === 'low' ? ` Low: ${lowReasons(s, fromMailboxes, perSender)}; often a newsletter, a new office egress or a user on a new network. TW-MAIL-004 judges the senders against the whole domain.` : '');
        const ents: (Entity | undefined)[] = [
          { type: 'domain', id: domain, role: 'actor' },
          connector ? { type: 'connector', id: connector.toLowerCase(), display: connector, role: 'source' } : undefined,
          ipEntity(ev.actor.ip),
          ...neverSeen.slice(0, 10).map((a): Entity => ({ type: 'mailbox', id: a, role: 'actor' })),
        ];
        return {
          title: `Outbound burst from ${domain} via ${fromMailboxes ? 'mailboxes' : (network ?? ev.actor.ip)}: ${s.recipients} outside recipients ${s.cold ? 'from a new source' : `in ${period} (mean ${round1(s.mean)})`}`,
          severity,
          entities: entities(...ents),
          explanation,
          facts: {
            senderDomain: domain,
            source: fromMailboxes ? MAILBOXES : (network ?? ev.actor.ip!),
            hostingNetwork: hosting,
            recipients: s.recipients,
            messages: s.messages,
            mean: round1(s.mean),
            stddev: round1(s.stddev),
            threshold: Math.ceil(s.threshold),
            learnedBuckets: s.learned,
            coldStart: s.cold,
            bucketStart: iso(Number(hour) * t.bucket),
            newSenders: s.newSenders,
            neverSeenSenders: neverSeen.slice(0, 20),
            spamFiltered: s.spamFiltered,
            spamVerdict: spam,
            ...(connector ? { connector } : {}),
          },
        };
      },
    });
  },
});
