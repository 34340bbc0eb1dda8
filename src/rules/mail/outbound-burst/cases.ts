// Cases for TW-MAIL-003, as raw message-trace exports: the Reporting Web Service OData page, Get-MessageTrace
// Export-Csv, and the historical-search enhanced summary (which names the inbound connector). A source is the
// sender domain + FromIP (+ connector); staff mail without FromIP is the tenant's mailboxes.
import { BASE, MINUTES } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { getMessageTraceCsv, historicalSummaryCsv, rwsPage, type SummaryMessage, type TraceOpts } from '../records.js';

const HOURS = 60 * MINUTES;
const MX = '198.51.100.77';
const OFFICE = '203.0.113.10';
const RELAY = '203.0.113.45';
const STAFF = ['alex.wilber@contoso.com', 'megan.bowen@contoso.com', 'lee.gu@contoso.com'];

/** Ordinary outbound mail: `perHour` messages each hour from staff mailboxes (no FromIP unless `fromIp`), for `hours` hours. */
function routine(hours: number, perHour = 3, fromIp?: string): TraceOpts[] {
  const out: TraceOpts[] = [];
  for (let h = 0; h < hours; h++) {
    for (let i = 0; i < perHour; i++) {
      out.push({ at: BASE + h * HOURS + Math.floor(((i + 1) * 55 * MINUTES) / (perHour + 1)), sender: STAFF[i % STAFF.length]!, recipient: `partner${i}@adatum.example`, toIp: MX, ...(fromIp ? { fromIp } : {}) });
    }
  }
  return out;
}

/** Spam relayed through the tenant: `n` recipients in one hour from 5 never-seen senders at contoso.com, from 203.0.113.45. */
function spam(n: number, at: number, status = 'Delivered', recipient = (i: number) => `victim${i}@consumer-mail.example`): TraceOpts[] {
  return Array.from({ length: n }, (_, i) => ({
    at: at + Math.floor((i * 50 * MINUTES) / n),
    sender: `promo${i % 5}x@contoso.com`,
    recipient: recipient(i),
    fromIp: RELAY,
    toIp: MX,
    status,
    subject: 'You won a prize',
  }));
}

/** A newsletter from news@contoso.com on `day` at 10:00 to `n` outside readers (from the office NAT when `fromIp`). */
function newsletter(day: number, n: number, fromIp?: string): TraceOpts[] {
  return Array.from({ length: n }, (_, i) => ({
    at: BASE + day * 24 * HOURS + HOURS + i * 5_000, sender: 'news@contoso.com', recipient: `reader${i}@consumer-mail.example`, toIp: MX, subject: 'Contoso weekly', ...(fromIp ? { fromIp } : {}),
  }));
}

/** Hybrid: an on-premises server relays staff mail through the "On-prem relay" connector, two messages an hour. */
function hybrid(hours: number, perHour = 2): SummaryMessage[] {
  const out: SummaryMessage[] = [];
  for (let h = 0; h < hours; h++) for (let i = 0; i < perHour; i++) out.push({ at: BASE + h * HOURS + (i + 1) * 11 * MINUTES, sender: STAFF[i]!, recipients: [`buyer${i}@adatum.example`], clientIp: '198.51.100.5', connector: 'On-prem relay' });
  return out;
}

/** `perHour` distinct recipients each hour from the office NAT for `hours` hours, then `burst` in the next hour. */
function steady(hours: number, perHour: number, burst: number): TraceOpts[] {
  const out: TraceOpts[] = [];
  for (let h = 0; h < hours; h++) {
    for (let i = 0; i < perHour; i++) out.push({ at: BASE + h * HOURS + i * 60_000, sender: STAFF[i % 3]!, recipient: `customer${i}@fabrikam.example`, fromIp: OFFICE, toIp: MX });
  }
  for (let i = 0; i < burst; i++) out.push({ at: BASE + hours * HOURS + i * 10_000, sender: STAFF[i % 3]!, recipient: `lead${i}@fabrikam.example`, fromIp: OFFICE, toIp: MX });
  return out;
}

export const cases: RuleCase[] = [
  {
    name: 'cold start: a new relay IP sends to 150 outside recipients in one hour, filtered as spam (RWS JSON)',
    kind: 'positive',
    why: 'the source (contoso.com via 203.0.113.45) has no history: its baseline is zero, the 25th recipient reaches the floor; EOP\'s verdicts make it high; the alert reports all 150 (repeats update its numbers)',
    input: rwsPage('burst.json', [...routine(48), ...spam(150, BASE + 48 * HOURS, 'FilteredAsSpam')]),
    expect: { alerts: 1, severity: 'high', key: `contoso.com|${RELAY}`, facts: { recipients: 150, threshold: 25, learnedBuckets: 0, coldStart: true, newSenders: 5, spamVerdict: true } },
  },
  {
    name: 'cold start delivered (Get-MessageTrace CSV): 150 recipients from five never-seen senders, no verdict',
    kind: 'positive',
    why: 'bulk from few never-seen addresses through a source with no history: low at the crossing (5 per sender), medium once 10 per sender',
    input: getMessageTraceCsv('burst.csv', [...routine(48), ...spam(150, BASE + 48 * HOURS)]),
    expect: { alerts: 1, severity: 'medium', key: `contoso.com|${RELAY}`, facts: { coldStart: true, newSenders: 5, spamVerdict: false } },
  },
  {
    name: 'an existing hybrid connector suddenly relays 120 messages in an hour (historical search report)',
    kind: 'positive',
    why: 'counted per domain, source and connector; a connector with history that bursts is high (a modified connector)',
    input: historicalSummaryCsv('hybrid-burst.csv', [
      ...hybrid(48),
      { at: BASE + 48 * HOURS + 5 * MINUTES, sender: 'offers@contoso.com', recipients: Array.from({ length: 120 }, (_, i) => `victim${i}@consumer-mail.example`), clientIp: '198.51.100.5', connector: 'On-prem relay' },
    ]),
    expect: { alerts: 1, severity: 'high', key: 'contoso.com|198.51.100.5|on-prem relay', facts: { connector: 'On-prem relay', mean: 2, threshold: 100, coldStart: false, recipients: 100 } },
  },
  {
    name: 'a known office NAT sends 300 recipients in an hour after three days of 30 an hour',
    kind: 'positive',
    why: '10 × the learned mean of 30 is 300: the 300th recipient reaches it; known senders, no verdict: low',
    input: rwsPage('steady-300.json', steady(72, 30, 300)),
    expect: { alerts: 1, severity: 'low', key: `contoso.com|${OFFICE}`, facts: { recipients: 300, mean: 30, threshold: 300, learnedBuckets: 72, coldStart: false } },
  },
  {
    name: 'the same office NAT sends 299 recipients in that hour',
    kind: 'negative',
    why: 'one below 10 × the mean',
    input: rwsPage('steady-299.json', steady(72, 30, 299)),
    expect: { alerts: 0 },
  },
  {
    name: 'a slow relay: the new IP sends to 12 outside recipients an hour, spam-filtered, for three hours',
    kind: 'positive',
    why: 'a source younger than minHistory (6 periods) is judged on all it sent since it appeared: the 25th recipient, in its third hour',
    input: rwsPage('slow.json', [
      ...routine(48),
      ...[0, 1, 2].flatMap((h) => spam(12, BASE + (48 + h) * HOURS, 'FilteredAsSpam', (i) => `slow${h}-${i}@consumer-mail.example`)),
    ]),
    expect: { alerts: 1, severity: 'high', key: `contoso.com|${RELAY}`, facts: { recipients: 25, learnedBuckets: 2, coldStart: true, spamVerdict: true } },
  },
  {
    name: 'the slow relay at 4 an hour for six hours, then 12 an hour',
    kind: 'negative',
    why: '24 recipients in its first six periods (one below coldStartMin); from then on its own mean (4) is its baseline and 12 is below minCount',
    input: rwsPage('slow-known.json', [
      ...routine(48),
      ...[0, 1, 2, 3, 4, 5].flatMap((h) => spam(4, BASE + (48 + h) * HOURS, 'FilteredAsSpam', (i) => `slow${h}-${i}@consumer-mail.example`)),
      ...[6, 7].flatMap((h) => spam(12, BASE + (48 + h) * HOURS, 'FilteredAsSpam', (i) => `slow${h}-${i}@consumer-mail.example`)),
    ]),
    expect: { alerts: 0 },
  },
  {
    name: 'cold start: 24 outside recipients from the new relay IP in an hour',
    kind: 'negative',
    why: 'one below coldStartMin (25)',
    input: rwsPage('cold-24.json', [...routine(48), ...spam(24, BASE + 48 * HOURS, 'FilteredAsSpam')]),
    expect: { alerts: 0 },
  },
  {
    name: 'the same spam burst 23 hours into the input',
    kind: 'negative',
    why: 'inside the 24-hour warm-up every source is new to tenantwatch: no cold start yet (TW-MAIL-004 judges the senders)',
    input: rwsPage('warmup.json', [...routine(23), ...spam(150, BASE + 23 * HOURS, 'FilteredAsSpam')]),
    expect: { alerts: 0 },
  },
  {
    name: '150 messages from the new relay IP to one outside recipient',
    kind: 'negative',
    why: 'distinct recipients count, not messages: one recipient is no burst',
    input: getMessageTraceCsv('one-rcpt.csv', [...routine(24), ...spam(150, BASE + 24 * HOURS, 'FilteredAsSpam', () => 'victim@consumer-mail.example')]),
    expect: { alerts: 0 },
  },
  {
    name: "99 outside recipients in an hour from the tenant's mailboxes after two days of 3 an hour",
    kind: 'negative',
    why: 'a source with history: one below minCount (100)',
    input: rwsPage('99.json', [...routine(48), ...newsletter(2, 99)]),
    expect: { alerts: 0 },
  },
  {
    name: 'the weekly newsletter (marketing-bulk-mail) to 400 readers from the office NAT, first in the history',
    kind: 'positive',
    why: 'a known source far above its mean, but one sender, delivered, no connector: low (at most low, as the look-alike must)',
    input: rwsPage('first-newsletter.json', [...routine(48, 3, OFFICE), ...newsletter(2, 400, OFFICE)]),
    expect: { alerts: 1, severity: 'low', key: `contoso.com|${OFFICE}`, facts: { spamVerdict: false, coldStart: false, newSenders: 1, neverSeenSenders: ['news@contoso.com'] } },
  },
  {
    name: 'a new office egress IP: 40 staff each write to one partner in an hour',
    kind: 'positive',
    why: 'a cold source above the floor, but one recipient per sender and no verdict: low (an ISP change, not relayed spam)',
    input: rwsPage('new-egress.json', [
      ...routine(48),
      ...Array.from({ length: 40 }, (_, i): TraceOpts => ({ at: BASE + 48 * HOURS + i * 60_000, sender: `staff${i}@contoso.com`, recipient: `contact${i}@adatum.example`, fromIp: '198.51.100.150', toIp: MX })),
    ]),
    expect: { alerts: 1, severity: 'low', facts: { coldStart: true, newSenders: 25 } },
  },
  {
    name: 'the daily newsletter to 400 readers, on its fourth day',
    kind: 'lookalike',
    why: 'known bulk mail recurs in the learned hours: mean ≈ 20, σ ≈ 80, threshold ≈ 500 > 400',
    input: rwsPage('newsletter.json', [...routine(96), ...newsletter(0, 400), ...newsletter(1, 400), ...newsletter(2, 400), ...newsletter(3, 400)]),
    expect: { alerts: 0 },
  },
  {
    name: '150 messages from outside to the tenant\'s mailboxes in one hour',
    kind: 'lookalike',
    why: 'inbound mail is not outbound volume, even when the trace has both FromIP and ToIP (seen in real RWS records)',
    input: rwsPage('inbound.json', [
      ...routine(48),
      ...Array.from({ length: 150 }, (_, i): TraceOpts => ({ at: BASE + 48 * HOURS + i * 10_000, sender: `news${i}@fabrikam.example`, recipient: STAFF[i % 3]!, fromIp: '198.51.100.20', ...(i % 2 ? { toIp: '198.51.100.99' } : {}) })),
    ]),
    expect: { alerts: 0 },
  },
];
