// Cases for TW-MAIL-004, as raw message-trace exports (historical-search summary with connector_id, RWS JSON,
// Get-MessageTrace CSV).
import { BASE, MINUTES } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { getMessageTraceCsv, historicalSummaryCsv, rwsPage, type SummaryMessage, type TraceOpts } from '../records.js';

const HOURS = 60 * MINUTES;
const MX = '198.51.100.77';
const STAFF = ['alex.wilber@contoso.com', 'megan.bowen@contoso.com', 'lee.gu@contoso.com'];

/** Staff mail to partners every hour for `hours` hours (Exchange Online mailboxes). */
const routine = (hours: number): TraceOpts[] =>
  Array.from({ length: hours * 3 }, (_, i) => ({ at: BASE + Math.floor(i / 3) * HOURS + (i % 3) * 13 * MINUTES, sender: STAFF[i % 3]!, recipient: `partner${i % 5}@adatum.example`, toIp: MX }));

/** The same routine as historical-report rows (no connector: sent from mailboxes, original_client_ip = the client). */
const routineSummary = (hours: number): SummaryMessage[] =>
  routine(hours).map((r) => ({ at: r.at, sender: r.sender, recipients: [r.recipient], clientIp: '198.51.100.60' }));

const spam = (n: number, at: number, status: string): TraceOpts[] =>
  Array.from({ length: n }, (_, i) => ({ at: at + i * 20_000, sender: `win${i}x@contoso.com`, recipient: `victim${i}@consumer-mail.example`, fromIp: '203.0.113.45', toIp: MX, status }));

export const cases: RuleCase[] = [
  {
    name: 'a new connector relays mail from 30 never-seen contoso.com senders (historical search report)',
    kind: 'positive',
    why: 'new senders through an inbound connector after a day of learning; the 30 fold into one alert (occurrences)',
    input: historicalSummaryCsv('relay.csv', [
      ...routineSummary(30),
      ...Array.from({ length: 30 }, (_, i): SummaryMessage => ({ at: BASE + 30 * HOURS + i * 30_000, sender: `win${i}x@contoso.com`, recipients: [`victim${i}@consumer-mail.example`], clientIp: '203.0.113.45', connector: 'Partner relay 0609' })),
    ]),
    expect: { alerts: 1, severity: 'medium', key: 'contoso.com', facts: { sender: 'win0x@contoso.com', knownSenders: 3, connector: 'Partner relay 0609' } },
  },
  {
    name: 'never-seen senders whose mail EOP filtered as spam (RWS JSON)',
    kind: 'positive',
    why: 'outbound spam verdict on a new sender address: high',
    input: rwsPage('spam.json', [...routine(30), ...spam(20, BASE + 30 * HOURS, 'FilteredAsSpam')]),
    expect: { alerts: 1, severity: 'high', facts: { spamVerdict: true, knownSenders: 3 } },
  },
  {
    name: 'filtered spam rows carry FromIP but no ToIP, Organization is the onmicrosoft.com domain (RWS JSON)',
    kind: 'positive',
    why: 'a message EOP filtered never reached a next hop: no ToIP whichever way it went, so it is not taken for inbound; contoso.com is named like the tenant',
    input: rwsPage('filtered-no-toip.json', [...routine(30), ...spam(20, BASE + 30 * HOURS, 'FilteredAsSpam').map(({ toIp: _, ...r }) => r)]),
    expect: { alerts: 1, severity: 'high', facts: { spamVerdict: true, sender: 'win0x@contoso.com' } },
  },
  {
    name: 'the same from a Get-MessageTrace CSV export',
    kind: 'positive',
    why: 'same facts from the PowerShell CSV shape',
    input: getMessageTraceCsv('spam.csv', [...routine(30), ...spam(20, BASE + 30 * HOURS, 'FilteredAsSpam')]),
    expect: { alerts: 1, severity: 'high', facts: { sender: 'win0x@contoso.com' } },
  },
  {
    name: 'spam from new senders 23 hours after the domain was first seen',
    kind: 'negative',
    why: 'inside the one-day warm-up: senders are learned, not alerted',
    input: rwsPage('warmup.json', [...routine(23), ...spam(20, BASE + 23 * HOURS - 30 * MINUTES, 'FilteredAsSpam')]),
    expect: { alerts: 0 },
  },
  {
    name: 'a new employee\'s first outside mail, delivered from a mailbox',
    kind: 'negative',
    why: 'new sender but neither a connector nor a spam verdict',
    input: rwsPage('new-hire.json', [...routine(30), { at: BASE + 30 * HOURS, sender: 'new.hire@contoso.com', recipient: 'partner1@adatum.example', toIp: MX }]),
    expect: { alerts: 0 },
  },
  {
    name: 'staff mail through the hybrid connector from known addresses',
    kind: 'lookalike',
    why: 'known senders are quiet whatever route they take',
    input: historicalSummaryCsv('hybrid.csv', [
      ...routineSummary(30),
      ...STAFF.map((s, i): SummaryMessage => ({ at: BASE + 30 * HOURS + i * MINUTES, sender: s, recipients: ['buyer@adatum.example'], clientIp: '198.51.100.5', connector: 'On-prem relay' })),
    ]),
    expect: { alerts: 0 },
  },
  {
    name: 'a known sender\'s mail filtered as spam',
    kind: 'lookalike',
    why: 'EOP flagging mail of an address the domain uses daily is a content problem, not a new sender',
    input: rwsPage('known-spam.json', [...routine(30), { at: BASE + 30 * HOURS, sender: STAFF[0]!, recipient: 'partner1@adatum.example', toIp: MX, status: 'FilteredAsSpam' }]),
    expect: { alerts: 0 },
  },
];
