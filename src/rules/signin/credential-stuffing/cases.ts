// Cases for TW-SIGNIN-001, as raw Graph signIn records (the /auditLogs/signIns shape).
import { BASE, MINUTES, graphSignIn, ndjson, type SignInOpts } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { file } from '../shared/records.js';

const ATTACKER = '203.0.113.50';

/** `n` accounts failing from one IP, `tries` each, spread evenly over `spanMin` minutes. */
function spray(n: number, opts: { ip?: string | ((i: number) => string); tries?: number; spanMin?: number; code?: (i: number) => number; first?: string; byAccount?: boolean } = {}): ReturnType<typeof graphSignIn>[] {
  const tries = opts.tries ?? 1;
  const total = n * tries;
  const span = (opts.spanMin ?? 10) * MINUTES;
  const out = [];
  for (let k = 0; k < total; k++) {
    // round-robin over accounts, as stuffing lists are worked through; or each account's tries back to back
    const i = opts.byAccount ? Math.floor(k / tries) : k % n;
    const o: SignInOpts = {
      at: BASE + (total === 1 ? 0 : Math.round((k * span) / (total - 1))),
      user: i === 0 && opts.first ? opts.first : `user${String(i).padStart(2, '0')}@contoso.com`,
      ip: typeof opts.ip === 'function' ? opts.ip(i) : (opts.ip ?? ATTACKER),
      code: opts.code ? opts.code(i) : 50126,
    };
    out.push(graphSignIn(o));
  }
  return out;
}

export const cases: RuleCase[] = [
  {
    name: 'twelve accounts, one try each, bad password and unknown user',
    kind: 'positive',
    why: 'the 10th distinct account inside 20 minutes crosses minAccounts; one alert, the two later accounts fold in and its numbers are the totals',
    input: ndjson('stuffing.ndjson', spray(12, { code: (i) => (i % 4 === 3 ? 50034 : 50126) })),
    expect: { alerts: 1, severity: 'medium', key: ATTACKER, facts: { distinctAccounts: 12, attempts: 12, windowMinutes: 20 } },
  },
  {
    name: 'a privileged account among the targets raises the severity',
    kind: 'positive',
    why: 'privilegedAccounts from config feed ctx.enrich.isPrivileged',
    input: ndjson('stuffing-admin.ndjson', spray(10, { first: 'admin@contoso.com' })),
    config: 'privilegedAccounts: [admin@contoso.com]\n',
    expect: { alerts: 1, severity: 'high', key: ATTACKER },
  },
  {
    name: 'every listed code counts (locked, expired, no password, disabled)',
    kind: 'positive',
    why: '50053/50055/50056/50057 are failed credentials too, even where the decoder calls 50055 interrupted',
    input: ndjson('stuffing-codes.ndjson', spray(10, { code: (i) => [50053, 50055, 50056, 50057, 50126][i % 5]! })),
    expect: { alerts: 1, key: ATTACKER },
  },
  {
    name: 'IPv6 attacker rotating addresses inside one /64',
    kind: 'positive',
    why: 'IPv6 sources are keyed by /64, so address rotation inside a prefix does not split the count',
    input: ndjson('stuffing-v6.ndjson', spray(10, { ip: (i) => `2001:db8:77:1::${(i + 1).toString(16)}` })),
    expect: { alerts: 1, key: '2001:db8:77:1::/64' },
  },
  {
    name: 'UAL only: twelve UserLoginFailed records from one address',
    kind: 'positive',
    why: 'the unified audit log alone feeds the rule (Audit.AzureActiveDirectory STS logons)',
    input: file('stuffing.ual.json', 'ual', spray(12).map((r) => ({ at: Date.parse(r.createdDateTime as string), user: r.userPrincipalName as string, ip: ATTACKER, code: 50126 }))),
    expect: { alerts: 1, key: ATTACKER, facts: { distinctAccounts: 12, attempts: 12 } },
  },
  {
    name: 'both logs: ten accounts, two tries each, in the sign-in log and in the UAL',
    kind: 'positive',
    why: 'an attempt present in both logs counts once (user, source, second, code): 1.9 tries per account when the 10th appears (2 at the end), not 3.8 (> maxTriesPerAccount)',
    input: [
      ndjson('both.graph.ndjson', spray(10, { tries: 2, byAccount: true })),
      file('both.ual.json', 'ual', spray(10, { tries: 2, byAccount: true }).map((r) => ({ at: Date.parse(r.createdDateTime as string), user: r.userPrincipalName as string, ip: ATTACKER, code: 50126 }))),
    ],
    expect: { alerts: 1, facts: { distinctAccounts: 10, attempts: 20, triesPerAccount: 2 } },
  },
  {
    name: 'nine accounts: one below minAccounts',
    kind: 'negative',
    why: 'the threshold is 10 distinct accounts',
    input: ndjson('nine.ndjson', spray(9)),
    expect: { alerts: 0 },
  },
  {
    name: 'ten accounts spread over 20 minutes and one second',
    kind: 'negative',
    why: 'the first account has left the 20-minute window when the tenth arrives',
    input: ndjson('slow.ndjson', spray(10, { spanMin: 20 + 1 / 60 })),
    expect: { alerts: 0 },
  },
  {
    name: 'ten accounts, four tries each: brute force, not stuffing',
    kind: 'negative',
    why: 'more than maxTriesPerAccount (3) tries per account is another pattern (guessing), not this rule',
    input: ndjson('brute.ndjson', spray(10, { tries: 4, byAccount: true })),
    expect: { alerts: 0 },
  },
  {
    name: 'twelve accounts each from its own IP',
    kind: 'lookalike',
    why: 'distributed failures are keyed per source; no single IP reaches the threshold',
    input: ndjson('distributed.ndjson', spray(12, { ip: (i) => `198.51.100.${20 + i}` })),
    expect: { alerts: 0 },
  },
  {
    name: 'monday morning at the office: twelve users mistype behind the trusted NAT',
    kind: 'lookalike',
    why: 'allowlists.trustedIps removes the shared egress address',
    input: ndjson('office.ndjson', spray(12, { ip: '198.51.100.77' })),
    config: 'allowlists:\n  trustedIps: [198.51.100.64/27]\n',
    expect: { alerts: 0 },
  },
  {
    name: 'twelve accounts prompted for MFA (50074): password right, not a failed credential',
    kind: 'lookalike',
    why: 'only the configured failure codes count; MFA interrupts belong to other rules',
    input: ndjson('mfa.ndjson', spray(12, { code: () => 50074 })),
    expect: { alerts: 0 },
  },
];
