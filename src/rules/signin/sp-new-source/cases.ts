// Cases for TW-SP-001, as raw ServicePrincipalSignInLogs records in the diagnostic-settings envelope.
import { BASE, MINUTES, diagSpSignIn, guid, ndjson, type SpSignInOpts } from '../../records.js';
import type { RuleCase } from '../../types.js';

const DAYS = 24 * 60 * MINUTES;
const APP = { id: guid('app|invoice-bot'), name: 'Invoice Bot' };
const HOME = { ip: '198.51.100.20', asn: 64500 };
const GRAPH = { id: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' };

/** The app's routine: one sign-in a day from its home network for `days` days. */
function routine(days: number, o: Partial<SpSignInOpts> = {}): Record<string, unknown>[] {
  return Array.from({ length: days }, (_, d) => diagSpSignIn({ at: BASE + d * DAYS, app: APP, ...HOME, ...o }));
}

/** AS64512 used once during the warm-up (learned), home network daily after, AS64512 again `gap` later. */
function revisit(gap: number): Record<string, unknown>[] {
  const other = { ip: '203.0.113.82', asn: 64512 };
  return [
    ...routine(2),
    diagSpSignIn({ at: BASE + 2 * DAYS, app: APP, ...other }),
    ...Array.from({ length: 30 }, (_, d) => diagSpSignIn({ at: BASE + (3 + d) * DAYS, app: APP, ...HOME })),
    diagSpSignIn({ at: BASE + 2 * DAYS + gap, app: APP, ...other }),
  ];
}

export const cases: RuleCase[] = [
  {
    name: 'after five days from AS64500, a sign-in to Exchange Online from AS64511',
    kind: 'positive',
    why: 'a network never seen for the app, after the 3-day warm-up; Exchange Online raises it to high',
    input: ndjson('sp-new-asn.ndjson', [...routine(5), diagSpSignIn({ at: BASE + 5 * DAYS, app: APP, ip: '203.0.113.80', asn: 64511 })]),
    expect: { alerts: 1, severity: 'high', key: APP.id, facts: { newNetwork: 'AS64511', knownNetworks: ['AS64500'] } },
  },
  {
    name: 'no ASN in the log: a new IP address is the new network',
    kind: 'positive',
    why: 'without autonomousSystemNumber the rule falls back to the IP; Graph as resource stays medium',
    input: ndjson('sp-new-ip.ndjson', [
      ...routine(4, { asn: undefined, resource: GRAPH }),
      diagSpSignIn({ at: BASE + 4 * DAYS, app: APP, ip: '203.0.113.81', resource: GRAPH }),
    ]),
    expect: { alerts: 1, severity: 'medium', key: APP.id, facts: { newNetwork: '203.0.113.81' } },
  },
  {
    name: 'a network last used 30 days and a minute ago is new again',
    kind: 'positive',
    why: 'the 30-day history forgets networks not used within it',
    input: ndjson('sp-forgotten.ndjson', revisit(30 * DAYS + MINUTES)),
    expect: { alerts: 1, key: APP.id, facts: { newNetwork: 'AS64512' } },
  },
  {
    name: 'a network last used 30 days minus a minute ago is still known',
    kind: 'negative',
    why: 'just inside the history window',
    input: ndjson('sp-remembered.ndjson', revisit(30 * DAYS - MINUTES)),
    expect: { alerts: 0 },
  },
  {
    name: 'a second network one minute before the warm-up ends',
    kind: 'negative',
    why: 'during the 3-day warm-up new networks are learned, not alerted',
    input: ndjson('sp-warmup.ndjson', [diagSpSignIn({ at: BASE, app: APP, ...HOME }), diagSpSignIn({ at: BASE + 3 * DAYS - MINUTES, app: APP, ip: '203.0.113.83', asn: 64513 })]),
    expect: { alerts: 0 },
  },
  {
    name: 'a failed sign-in (bad client secret) from a new network',
    kind: 'lookalike',
    why: 'only successful sign-ins are learned or alerted; failures belong to other rules',
    input: ndjson('sp-failed.ndjson', [...routine(5), diagSpSignIn({ at: BASE + 5 * DAYS, app: APP, ip: '203.0.113.84', asn: 64514, code: 7000215 })]),
    expect: { alerts: 0 },
  },
  {
    name: "Microsoft's own first-party service principal from a new network",
    kind: 'lookalike',
    why: 'MicrosoftServicePrincipalSignInLogs are not the tenant\'s apps',
    input: ndjson('sp-microsoft.ndjson', [...routine(5, { microsoft: true }), diagSpSignIn({ at: BASE + 5 * DAYS, app: APP, ip: '203.0.113.85', asn: 8075, microsoft: true })]),
    expect: { alerts: 0 },
  },
  {
    name: 'the new network is the company SASE provider',
    kind: 'lookalike',
    why: 'allowlists.vpnAsns marks expected egress networks',
    input: ndjson('sp-sase.ndjson', [...routine(5), diagSpSignIn({ at: BASE + 5 * DAYS, app: APP, ip: '203.0.113.86', asn: 64520 })]),
    config: 'allowlists:\n  vpnAsns: [AS64520]\n',
    expect: { alerts: 0 },
  },
];
