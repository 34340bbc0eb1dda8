// Cases for TW-SIGNIN-004 as raw Graph beta signIns, diagnostic-settings SignInLogs, UAL STS logons and a
// directoryAudit role assignment (the privileged account is learned from the input).
import { BASE, MINUTES, diagAudit, guid, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { HOURS, acct, file, spread, type AttemptOpts } from '../shared/records.js';

const X = '203.0.113.90';

/** `n` accounts failing once each from `ip` over `span`. */
function stuffing(n: number, o: { ip?: (i: number) => string; span?: number; start?: number; code?: number } = {}): AttemptOpts[] {
  return spread(n, o.start ?? BASE, o.span ?? 20 * MINUTES, (i, at) => ({
    at, user: acct(i), ip: o.ip ? o.ip(i) : X, asn: 64530, code: o.code ?? (i % 3 === 2 ? 50034 : 50126),
  }));
}

const hit = (at: number, user: string, extra: Partial<AttemptOpts> = {}): AttemptOpts => ({ at, user, ip: X, asn: 64530, ...extra });

const makeAdmin = (user: string, at: number): Record<string, unknown> =>
  diagAudit({
    at,
    activity: 'Add member to role',
    category: 'RoleManagement',
    operationType: 'Assign',
    targets: [{ type: 'User', id: guid(`user|${user}`), displayName: user, modified: [['Role.DisplayName', null, '"Global Administrator"'], ['Role.TemplateId', null, '"62e90394-69f5-4237-9190-012177145e10"']] }],
  });

/** A busy office: colleagues sign in, a few mistype then sign in. */
function office(ip: string): AttemptOpts[] {
  const colleagues = spread(10, BASE, 40 * MINUTES, (i, at) => ({ at, user: `colleague${i}@contoso.com`, ip }));
  const typos = spread(6, BASE + 5 * MINUTES, 40 * MINUTES, (i, at) => [
    { at, user: `staff${i}@contoso.com`, ip, code: 50126 },
    { at: at + 2 * MINUTES, user: `staff${i}@contoso.com`, ip },
  ]).flat();
  return [...colleagues, ...typos, { at: BASE + 50 * MINUTES, user: 'latecomer@contoso.com', ip }];
}

export const cases: RuleCase[] = [
  {
    name: 'eight accounts fail from one address, then a ninth signs in from it (Graph beta)',
    kind: 'positive',
    why: 'a stuffed credential that works on the first try: the account never failed, the source failed for 8 accounts',
    input: file('stuffing-hit.graph.ndjson', 'graph', [...stuffing(8), hit(BASE + 30 * MINUTES, acct(20))]),
    expect: { alerts: 1, severity: 'high', key: X, facts: { failedAccounts: 8, accountFailedBefore: false, signedIn: true, workingAccounts: [acct(20)] } },
  },
  {
    name: 'six accounts fail, then one of them proves its password (50074) from the same address (diagnostic export)',
    kind: 'positive',
    why: 'the interrupt after a correct password is the attacker holding the credential even though MFA stopped it',
    input: file('stuffing-proof.diag.json', 'diag', [...stuffing(6), hit(BASE + 25 * MINUTES, acct(5), { code: 50074, password: 'ok' })]),
    expect: { alerts: 1, severity: 'high', facts: { passwordProven: true, accountFailedBefore: true, failedAccounts: 6 } },
  },
  {
    name: 'the failures in both logs, the success only in the UAL (UserLoggedIn)',
    kind: 'positive',
    why: 'both logs feed the rule; the same attempts count once (attempts 5, not 10)',
    input: [
      file('stuffing.graph.ndjson', 'graph', stuffing(5)),
      file('stuffing.ual.json', 'ual', [...stuffing(5), hit(BASE + 40 * MINUTES, acct(30))]),
    ],
    expect: { alerts: 1, facts: { attempts: 5, failedAccounts: 5 } },
  },
  {
    name: 'a Global Administrator (learned from the audit log) signs in single-factor from the stuffing source',
    kind: 'positive',
    why: 'role holders from "Add member to role" are privileged: critical',
    input: [
      ndjson('audit.json', [makeAdmin('it-admin@contoso.com', BASE - 90 * 24 * HOURS)]),
      file('stuffing-admin.graph.ndjson', 'graph', [...stuffing(7), hit(BASE + 30 * MINUTES, 'it-admin@contoso.com', { single: true })]),
    ],
    expect: { alerts: 1, severity: 'critical', facts: { privileged: true, singleFactor: true } },
  },
  {
    name: 'IPv6 attacker rotating inside one /64',
    kind: 'positive',
    why: 'sources are IPv6 /64 prefixes, so rotation inside the prefix keeps one source',
    input: file('stuffing-v6.graph.ndjson', 'graph', [
      ...stuffing(6, { ip: (i) => `2001:db8:66:1::${(i + 1).toString(16)}` }),
      { at: BASE + 30 * MINUTES, user: acct(40), ip: '2001:db8:66:1::ff' },
    ]),
    expect: { alerts: 1, key: '2001:db8:66:1::/64' },
  },
  {
    name: 'four accounts fail, then a fifth signs in: one below minAccounts',
    kind: 'negative',
    why: 'the source must have failed for 5 accounts',
    input: file('four.graph.ndjson', 'graph', [...stuffing(4), hit(BASE + 30 * MINUTES, acct(20))]),
    expect: { alerts: 0 },
  },
  {
    name: 'the success comes two hours and one second after the first failure',
    kind: 'negative',
    why: 'the first failed account has left the 2-hour window: 4 remain',
    input: file('late.graph.ndjson', 'graph', [...stuffing(5, { span: 10 * MINUTES }), hit(BASE + 2 * HOURS + 1000, acct(20))]),
    expect: { alerts: 0 },
  },
  {
    name: 'the success comes from another address',
    kind: 'negative',
    why: 'decided: the success must come from the failing source (IPv6: its /64); other addresses are TW-SIGNIN-002 / -003 territory',
    input: file('elsewhere.graph.ndjson', 'graph', [...stuffing(8), { at: BASE + 30 * MINUTES, user: acct(3), ip: '198.51.100.44' }]),
    expect: { alerts: 0 },
  },
  {
    name: 'a busy office: ten colleagues sign in, six mistype and then sign in, a latecomer signs in',
    kind: 'lookalike',
    why: 'typos explained by their own successes; most accounts seen from the address have working credentials',
    input: file('office.diag.json', 'diag', office('198.51.100.77')),
    expect: { alerts: 0 },
  },
  {
    name: 'the same office in the UAL, allow-listed',
    kind: 'lookalike',
    why: 'allowlists.trustedIps removes the office egress',
    input: file('office.ual.json', 'ual', office('198.51.100.78')),
    config: 'allowlists:\n  trustedIps: [198.51.100.64/27]\n',
    expect: { alerts: 0 },
  },
  {
    name: 'eight MFA prompts and successes from one address (no failed credentials)',
    kind: 'lookalike',
    why: 'interrupts and successes alone never make a stuffing source',
    input: file('mfa.graph.ndjson', 'graph', [...stuffing(8, { code: 50074 }), ...spread(8, BASE + 30 * MINUTES, 10 * MINUTES, (i, at) => hit(at, acct(i)))]),
    expect: { alerts: 0 },
  },
];
