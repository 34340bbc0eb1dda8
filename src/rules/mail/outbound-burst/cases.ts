// Cases for TW-MAIL-003, as raw message-trace exports: the Reporting Web Service OData page, Get-MessageTrace
// Export-Csv, and the historical-search enhanced summary (which names the inbound connector).
import { BASE, MINUTES } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { getMessageTraceCsv, historicalSummaryCsv, rwsPage, type SummaryMessage, type TraceOpts } from '../records.js';

const HOURS = 60 * MINUTES;
const MX = '198.51.100.77';
const STAFF = ['alex.wilber@contoso.com', 'megan.bowen@contoso.com', 'lee.gu@contoso.com'];

/** Ordinary outbound mail: `perHour` messages each hour from staff mailboxes (no FromIP), for `hours` hours. */
function routine(hours: number, perHour = 3, start = BASE): TraceOpts[] {
  const out: TraceOpts[] = [];
  for (let h = 0; h < hours; h++) {
    for (let i = 0; i < perHour; i++) {
      out.push({ at: start + h * HOURS + (i + 1) * 7 * MINUTES, sender: STAFF[i % STAFF.length]!, recipient: `partner${i}@adatum.example`, toIp: MX });
    }
  }
  return out;
}

/** Spam relayed through the tenant: `n` messages in one hour, never-seen senders at contoso.com, from 203.0.113.45. */
function spam(n: number, at: number, status = 'Delivered'): TraceOpts[] {
  return Array.from({ length: n }, (_, i) => ({
    at: at + Math.floor((i * 50 * MINUTES) / n),
    sender: `promo${(i % 37).toString(36)}x@contoso.com`,
    recipient: `victim${i}@consumer-mail.example`,
    fromIp: '203.0.113.45',
    toIp: MX,
    status,
    subject: 'You won a prize',
  }));
}

/** A newsletter sent every day at 10:00 to `n` outside readers from one known mailbox. */
function newsletter(day: number, n: number): TraceOpts[] {
  return Array.from({ length: n }, (_, i) => ({ at: BASE + day * 24 * HOURS + HOURS + i * 5_000, sender: 'news@contoso.com', recipient: `reader${i}@consumer-mail.example`, toIp: MX, subject: 'Contoso weekly' }));
}

/** Hybrid: an on-premises server relays staff mail through the "On-prem relay" connector, two messages an hour. */
function hybrid(hours: number, perHour = 2): SummaryMessage[] {
  const out: SummaryMessage[] = [];
  for (let h = 0; h < hours; h++) for (let i = 0; i < perHour; i++) out.push({ at: BASE + h * HOURS + (i + 1) * 11 * MINUTES, sender: STAFF[i]!, recipients: [`buyer${i}@adatum.example`], clientIp: '198.51.100.5', connector: 'On-prem relay' });
  return out;
}

export const cases: RuleCase[] = [
  {
    name: '150 relayed messages in one hour after two days of 3 an hour, filtered as spam (RWS JSON)',
    kind: 'positive',
    why: 'the 100th outside message in the hour reaches max(100, 10 × 3, 3 + 6 × 0); EOP\'s spam verdict makes it high',
    input: rwsPage('burst.json', [...routine(48), ...spam(150, BASE + 48 * HOURS, 'FilteredAsSpam')]),
    expect: { alerts: 1, severity: 'high', key: 'contoso.com', facts: { count: 100, mean: 3, threshold: 100, learnedBuckets: 48, spamVerdict: true } },
  },
  {
    name: 'the same burst delivered, from a Get-MessageTrace CSV export, exactly 24 hours learned',
    kind: 'positive',
    why: 'the domain has just reached minHistory (24 periods); no spam verdict and no connector on the crossing message: low',
    input: getMessageTraceCsv('burst.csv', [...routine(24), ...spam(150, BASE + 24 * HOURS)]),
    expect: { alerts: 1, severity: 'low', facts: { learnedBuckets: 24, count: 100 } },
  },
  {
    name: 'an existing hybrid connector suddenly relays 120 messages in an hour (historical search report)',
    kind: 'positive',
    why: 'counted per domain and connector; a connector with history that bursts is high (a modified connector)',
    input: historicalSummaryCsv('hybrid-burst.csv', [
      ...hybrid(48),
      { at: BASE + 48 * HOURS + 5 * MINUTES, sender: 'offers@contoso.com', recipients: Array.from({ length: 120 }, (_, i) => `victim${i}@consumer-mail.example`), clientIp: '203.0.113.45', connector: 'On-prem relay' },
    ]),
    expect: { alerts: 1, severity: 'high', key: 'contoso.com|on-prem relay', facts: { connector: 'On-prem relay', mean: 2, threshold: 100 } },
  },
  {
    name: '99 relayed messages in the hour',
    kind: 'negative',
    why: 'one below minCount (100)',
    input: rwsPage('99.json', [...routine(48), ...spam(99, BASE + 48 * HOURS)]),
    expect: { alerts: 0 },
  },
  {
    name: 'the burst after only 23 hours of history',
    kind: 'negative',
    why: 'one period short of minHistory (24): no baseline yet',
    input: rwsPage('young.json', [...routine(23), ...spam(150, BASE + 23 * HOURS)]),
    expect: { alerts: 0 },
  },
  {
    name: 'the daily newsletter to 400 readers, on its fourth day',
    kind: 'lookalike',
    why: 'known bulk mail recurs in the learned hours: mean ≈ 19, σ ≈ 78, threshold ≈ 490 > 403',
    input: rwsPage('newsletter.json', [...routine(96), ...newsletter(0, 400), ...newsletter(1, 400), ...newsletter(2, 400), ...newsletter(3, 400)]),
    expect: { alerts: 0 },
  },
  {
    name: 'a first-ever newsletter to 400 readers after two days of staff mail',
    kind: 'positive',
    why: 'bulk mail with no history is an outlier like any other, but delivered without a spam verdict or connector it stays low',
    input: rwsPage('first-newsletter.json', [...routine(48), ...newsletter(2, 400)]),
    expect: { alerts: 1, severity: 'low', facts: { spamVerdict: false } },
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
