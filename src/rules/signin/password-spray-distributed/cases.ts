// Cases for TW-SIGNIN-002 as raw Graph beta signIns, diagnostic-settings SignInLogs and UAL STS logons.
import { BASE, MINUTES, graphAudit, guid, ndjson } from '../../records.js';
import type { CaseInput, RuleCase } from '../../types.js';
import { HOURS, SECONDS, acct, file, spread, type AttemptOpts, type Shape } from '../shared/records.js';

/** Attacker sources: 8 addresses in three documentation ASNs. */
const attackerIp = (i: number): string => `203.0.113.${60 + (i % 8)}`;
const attackerAsn = (i: number): number => 64501 + (i % 3);

interface SprayOpts {
  n?: number;
  span?: number;
  sources?: number;
  tries?: number;
  code?: (i: number) => number;
  start?: number;
  /** each account's tries back to back (guessing on a list) instead of one round per password */
  byAccount?: boolean;
}

/** `n` accounts, `tries` each, from `sources` rotating addresses, spread over `span`. */
function spray(o: SprayOpts = {}): AttemptOpts[] {
  const n = o.n ?? 24, tries = o.tries ?? 1, sources = o.sources ?? 8;
  return spread(n * tries, o.start ?? BASE, o.span ?? 3 * HOURS, (k, at) => {
    const i = o.byAccount ? Math.floor(k / tries) : k % n; // round-robin: one password per round over the list
    return { at, user: acct(i), ip: attackerIp(k % sources), asn: attackerAsn(k % sources), code: o.code ? o.code(i) : i % 5 === 4 ? 50034 : 50126 };
  });
}

const asFile = (name: string, shape: Shape, a: AttemptOpts[]): CaseInput => file(name, shape, a);

/** Office users who mistype, then sign in from the same address a minute later. */
function typos(n: number, ip: (i: number) => string, code = 50126, asn?: number, okIp?: (i: number) => string): AttemptOpts[] {
  return spread(n, BASE, 3 * HOURS, (i, at) => [
    { at, user: `staff${i}@contoso.com`, ip: ip(i), code, ...(asn ? { asn } : {}) },
    { at: at + MINUTES, user: `staff${i}@contoso.com`, ip: (okIp ?? ip)(i), ...(asn ? { asn } : {}) },
  ]).flat();
}

/** An address of the spray that has not failed yet (none of attackerIp's eight). */
const FRESH = '203.0.113.90';

/**
 * A lucky first guess: `user` (never sprayed) proves its password from the fresh address at `at`, a tool's sign-in
 * (Entra rates it high risk, passwordSpray; or ROPC), and the address then fails for `others` new accounts.
 */
function luckyGuess(at: number, others: number, how: 'risk' | 'ropc' | 'plain' = 'risk', user = 'lucky@contoso.com'): AttemptOpts[] {
  const tool: Partial<AttemptOpts> =
    how === 'risk' ? { risk: 'high', riskTypes: ['passwordSpray'] } : how === 'ropc' ? { protocol: 'ropc', clientApp: 'Other clients', userAgent: 'BAV2ROPC' } : {};
  return [
    { at, user, ip: FRESH, asn: 64599, code: 50074, password: 'ok', ...tool },
    ...Array.from({ length: others }, (_, i) => ({ at: at + (5 + 5 * i) * MINUTES, user: acct(40 + i), ip: FRESH, asn: 64599, code: 50126 })),
  ];
}

/** "Add member to role": the audit event that makes an account privileged for the rules (learned, no config). */
const makeAdmin = (user: string, at: number): Record<string, unknown> =>
  graphAudit({
    at,
    activity: 'Add member to role',
    category: 'RoleManagement',
    operationType: 'Assign',
    targets: [{ type: 'User', id: guid(`user|${user}`), displayName: user, modified: [['Role.DisplayName', null, '"Exchange Administrator"'], ['Role.TemplateId', null, '"29232cdf-9323-42fd-ade2-1d097af3e4de"']] }],
  });

export const cases: RuleCase[] = [
  {
    name: 'twenty-four accounts over three hours from eight rotating addresses (Graph beta)',
    kind: 'positive',
    why: 'the 20th distinct account with unexplained failures crosses minAccounts; 8 sources >= 5; one try each',
    input: asFile('spray.graph.ndjson', 'graph', spray()),
    expect: { alerts: 1, severity: 'medium', key: 'tenant', facts: { distinctAccounts: 20, attempts: 20, distinctSources: 8, distinctAsns: 3, triesPerAccount: 1 } },
  },
  {
    name: 'the same spray in the diagnostic export, one targeted account proves its password (50074 interrupt)',
    kind: 'positive',
    why: 'an MFA interrupt after a correct password from the spraying source is reported and raises the severity',
    input: asFile('spray.diag.json', 'diag', [
      ...spray(),
      { at: BASE + 2 * HOURS, user: acct(3), ip: attackerIp(5), asn: attackerAsn(5), code: 50074, password: 'ok' },
    ]),
    expect: { alerts: 1, severity: 'high', facts: { passwordProven: [acct(3)], signedInFromSpraySource: [] } },
  },
  {
    name: 'both logs hold the same attempts (Graph beta + UAL): counted once',
    kind: 'positive',
    why: 'attempts are deduplicated by (user, source, second, code) across the sign-in log and the UAL',
    input: [asFile('spray.graph.ndjson', 'graph', spray()), asFile('spray.ual.json', 'ual', spray())],
    expect: { alerts: 1, facts: { attempts: 20, triesPerAccount: 1, distinctAccounts: 20 } },
  },
  {
    name: 'UAL only (UserLoginFailed): the second round of passwords completes the count',
    kind: 'positive',
    why: 'the UAL alone feeds the rule; 12 accounts per round, two rounds, two tries per account (under maxTriesPerAccount)',
    input: asFile('spray.ual.json', 'ual', [...spray({ n: 12, span: HOURS }), ...spray({ n: 20, start: BASE + 2 * HOURS, span: HOURS })]),
    expect: { alerts: 1, facts: { distinctAccounts: 20, attempts: 32, triesPerAccount: 1.6 } },
  },
  {
    name: 'an administrator (learned from "Add member to role") signs in from a spraying source',
    kind: 'positive',
    why: 'role holders learned from the input count as privileged; a success from a spraying source is critical',
    input: [
      ndjson('roles.json', [makeAdmin(acct(7), BASE - 30 * 24 * HOURS)]),
      asFile('spray.graph.ndjson', 'graph', [
        ...spray({ span: 2 * HOURS }),
        { at: BASE + 1 * HOURS, user: acct(7), ip: attackerIp(2), asn: attackerAsn(2) },
      ]),
    ],
    expect: { alerts: 1, severity: 'critical', facts: { signedInFromSpraySource: [acct(7)] } },
  },
  {
    name: 'per resource: a spray aimed at Exchange Online is keyed by the resource',
    kind: 'positive',
    why: 'per=resource counts per tenant and resource signed in to',
    input: asFile('spray.graph.ndjson', 'graph', spray()),
    tunables: { per: 'resource' },
    expect: { alerts: 1, key: '00000002-0000-0ff1-ce00-000000000000' },
  },
  {
    name: 'a lull: twelve accounts sprayed, then a one-try hit proves a password from a spraying address (UAL 50074)',
    kind: 'positive',
    why: 'a working credential from a spraying source fires at half of minAccounts (10); the account never failed',
    input: asFile('lull.ual.json', 'ual', [...spray({ n: 12, span: HOURS }), { at: BASE + 90 * MINUTES, user: 'ceo@contoso.com', ip: attackerIp(3), code: 50074 }]),
    expect: { alerts: 1, severity: 'high', facts: { distinctAccounts: 12, passwordProven: ['ceo@contoso.com'] } },
  },
  {
    name: 'a lucky first guess from a fresh address: a high-risk MFA interrupt, then the address fails for three more accounts (Graph beta)',
    kind: 'positive',
    why: 'with 10+ accounts sprayed, a risky interrupt from an address that has not failed yet is kept; once the address fails for others it is a spraying source and the password counts as proven',
    input: asFile('lucky.graph.ndjson', 'graph', [...spray(), ...luckyGuess(BASE + 90 * MINUTES, 3)]),
    expect: { alerts: 1, severity: 'high', facts: { passwordProven: ['lucky@contoso.com'], signedInFromSpraySource: [] } },
  },
  {
    name: 'a lull: twelve accounts sprayed, then a lucky ROPC guess from a fresh address that fails for one more account (diagnostic export)',
    kind: 'positive',
    why: "the address's first failure makes the earlier interrupt a proof from a spraying source: fires at half of minAccounts (13 accounts)",
    input: asFile('lucky-lull.diag.json', 'diag', [...spray({ n: 12, span: HOURS }), ...luckyGuess(BASE + 70 * MINUTES, 1, 'ropc')]),
    expect: { alerts: 1, severity: 'high', facts: { distinctAccounts: 13, passwordProven: ['lucky@contoso.com'] } },
  },
  {
    name: 'a lull: the lucky guess comes while only nine accounts are sprayed',
    kind: 'negative',
    why: 'a fresh-address interrupt is kept only once the window holds half of minAccounts (10); nine accounts plus the address\'s later failure make ten, without the proof',
    input: asFile('lucky-early.graph.ndjson', 'graph', [...spray({ n: 9, span: HOURS }), ...luckyGuess(BASE + 70 * MINUTES, 1)]),
    expect: { alerts: 0 },
  },
  {
    name: 'a lull: twelve accounts sprayed, a lucky high-risk guess from a fresh address that never fails',
    kind: 'negative',
    why: 'an interrupt from an address with no failures is not tied to the spray: it never counts',
    input: asFile('lucky-alone.graph.ndjson', 'graph', [...spray({ n: 12, span: HOURS }), ...luckyGuess(BASE + 70 * MINUTES, 0)]),
    expect: { alerts: 0 },
  },
  {
    name: 'a lull: twelve accounts sprayed, a plain browser MFA prompt from a fresh address that then fails for one account',
    kind: 'negative',
    why: "without a risk rating or ROPC / legacy client, an interrupt from an address that has not failed is a user's and is not kept: nothing to prove, 13 accounts stay under minAccounts",
    input: asFile('lucky-plain.graph.ndjson', 'graph', [...spray({ n: 12, span: HOURS }), ...luckyGuess(BASE + 70 * MINUTES, 1, 'plain')]),
    expect: { alerts: 0 },
  },
  {
    name: 'a lull: nine accounts sprayed, then a hit: one below half of minAccounts',
    kind: 'negative',
    why: 'a working credential needs at least 10 sprayed accounts in the window',
    input: asFile('lull9.graph.ndjson', 'graph', [...spray({ n: 9, span: HOURS }), { at: BASE + 90 * MINUTES, user: 'ceo@contoso.com', ip: attackerIp(3), asn: attackerAsn(3), code: 50074, password: 'ok' }]),
    expect: { alerts: 0 },
  },
  {
    name: 'nineteen accounts: one below minAccounts',
    kind: 'negative',
    why: 'the threshold is 20 accounts',
    input: asFile('nineteen.graph.ndjson', 'graph', spray({ n: 19 })),
    expect: { alerts: 0 },
  },
  {
    name: 'twenty-four accounts from four sources: one below minSources',
    kind: 'negative',
    why: 'four addresses is not distributed enough for this rule (single sources are TW-SIGNIN-001)',
    input: asFile('four.graph.ndjson', 'graph', spray({ sources: 4 })),
    expect: { alerts: 0 },
  },
  {
    name: 'twenty accounts spread over four hours and one second',
    kind: 'negative',
    why: 'the first account has left the 4-hour window when the twentieth fails',
    input: asFile('slow.graph.ndjson', 'graph', spray({ n: 20, span: 4 * HOURS + 1000 })),
    expect: { alerts: 0 },
  },
  {
    name: 'twenty accounts, six tries each back to back: guessing down a list, not a spray',
    kind: 'negative',
    why: 'more than maxTriesPerAccount (5) attempts per account on average when the 20th account appears',
    input: asFile('brute.graph.ndjson', 'graph', spray({ n: 20, tries: 6, span: 3 * HOURS, byAccount: true })),
    expect: { alerts: 0 },
  },
  {
    name: 'corporate NAT: twenty-five staff mistype behind six office addresses, then sign in',
    kind: 'lookalike',
    why: 'every failing account later signed in from the source it failed from: typos are left out (no allowlist needed)',
    input: asFile('office.diag.json', 'diag', typos(25, (i) => `198.51.100.${70 + (i % 6)}`)),
    expect: { alerts: 0 },
  },
  {
    name: 'password expiry day: twenty-five users hit 50055 on laptops at home, reset, sign in',
    kind: 'lookalike',
    why: 'expired-password failures followed by a success from the same source are explained, like typos',
    input: asFile('expiry.graph.ndjson', 'graph', typos(25, (i) => `198.51.100.${100 + i}`, 50055)),
    expect: { alerts: 0 },
  },
  {
    name: 'SASE egress: users fail on one gateway address and succeed on another; the ASN is allow-listed',
    kind: 'lookalike',
    why: 'allowlists.vpnAsns removes the secure web gateway; without it these typos look distributed',
    input: asFile('sase.graph.ndjson', 'graph', typos(25, (i) => `198.51.100.${130 + (i % 8)}`, 50126, 64510, (i) => `198.51.100.${140 + (i % 8)}`)),
    config: 'allowlists:\n  vpnAsns: [AS64510]\n',
    expect: { alerts: 0 },
  },
  {
    name: "a lull: a sprayed user's own MFA prompt at her office, then her success there (diagnostic export)",
    kind: 'lookalike',
    why: "an interrupt proves the spray's password only from a spraying address; her office never failed (the lull would fire on a proof)",
    input: asFile('own-office.diag.json', 'diag', [
      ...spray({ n: 12, span: HOURS }),
      { at: BASE + 70 * MINUTES, user: acct(3), ip: '198.51.100.10', asn: 64510, code: 50074, password: 'ok' },
      { at: BASE + 71 * MINUTES, user: acct(3), ip: '198.51.100.10', asn: 64510, password: 'ok', mfa: true },
    ]),
    expect: { alerts: 0 },
  },
  {
    name: 'a lull: four sprayed users sign in at the office, a colleague mistypes there once and leaves, another gets an MFA prompt there',
    kind: 'lookalike',
    why: "the typo leaves an unexplained failure at the office, but more accounts' credentials work there (5) than fail there (1): a busy shared address, not a spraying source",
    input: asFile('office-busy.graph.ndjson', 'graph', [
      ...spray({ n: 12, span: HOURS }),
      ...[0, 1, 2, 3].map((i) => ({ at: BASE + (60 + i) * MINUTES, user: acct(i), ip: '198.51.100.20', asn: 64510, password: 'ok' as const, mfa: true })),
      { at: BASE + 65 * MINUTES, user: 'staff9@contoso.com', ip: '198.51.100.20', asn: 64510, code: 50126, password: 'wrong' },
      { at: BASE + 70 * MINUTES, user: acct(5), ip: '198.51.100.20', asn: 64510, code: 50074, password: 'ok' },
    ]),
    expect: { alerts: 0 },
  },
  {
    name: "a lull: a colleague locks herself out at the office seconds before a sprayed user's MFA prompt there (UAL)",
    kind: 'lookalike',
    why: 'five attempts for one account is someone locking herself out, not a spray moving on after a try or two: the office is not a spraying source',
    input: asFile('office-lockout.ual.json', 'ual', [
      ...spray({ n: 12, span: HOURS }),
      ...[50126, 50126, 50126, 50126, 50053].map((code, i) => ({ at: BASE + 65 * MINUTES + i * 10 * SECONDS, user: 'staff9@contoso.com', ip: '198.51.100.21', code })),
      { at: BASE + 66 * MINUTES, user: acct(3), ip: '198.51.100.21', code: 50074 },
    ]),
    expect: { alerts: 0 },
  },
  {
    name: 'a lull: a mistyped password, the MFA prompt and the success from one address within a minute',
    kind: 'lookalike',
    why: "the pair failed itself: a user correcting a typo, not a spray's guess (a spray tries each account once per address)",
    input: asFile('typo-mfa.graph.ndjson', 'graph', [
      ...spray({ n: 12, span: HOURS }),
      { at: BASE + 70 * MINUTES, user: 'staff1@contoso.com', ip: '198.51.100.30', asn: 64510, code: 50126, password: 'wrong' },
      { at: BASE + 70 * MINUTES + 20 * SECONDS, user: 'staff1@contoso.com', ip: '198.51.100.30', asn: 64510, code: 50074, password: 'ok' },
      { at: BASE + 70 * MINUTES + 50 * SECONDS, user: 'staff1@contoso.com', ip: '198.51.100.30', asn: 64510, password: 'ok', mfa: true },
    ]),
    expect: { alerts: 0 },
  },
  {
    name: 'twenty-four MFA prompts (50074): passwords right, nothing failed',
    kind: 'lookalike',
    why: 'interrupts after a correct password are not failed credentials; they only enter for accounts already targeted',
    input: asFile('mfa.graph.ndjson', 'graph', spray({ code: () => 50074 })),
    expect: { alerts: 0 },
  },
];
