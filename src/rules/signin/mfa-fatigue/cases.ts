// Cases for TW-SIGNIN-013 as raw Graph beta signIns and diagnostic-settings SignInLogs.
import { BASE, MINUTES } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { HOURS, file, spread, type AttemptOpts } from '../shared/records.js';

const VICTIM = 'ben.okafor@contoso.com';
const ATTACKER = '203.0.113.66';
const HOME = '198.51.100.40';

/** `n` prompts denied or not answered (500121) from `ip` within `span`, each after the password was accepted. */
const refused = (n: number, ip = ATTACKER, span = 30 * MINUTES, start = BASE): AttemptOpts[] =>
  spread(n, start, span, (_, at) => ({ at, user: VICTIM, ip, asn: 64530, code: 500121, password: 'ok' }));

/** The ordinary MFA flow: the "MFA required" interrupt (50074), then the success with the second factor. */
const ordinary = (at: number, ip = HOME): AttemptOpts[] => [
  { at, user: VICTIM, ip, code: 50074, password: 'ok' },
  { at: at + 20_000, user: VICTIM, ip, mfa: true },
];

export const cases: RuleCase[] = [
  {
    name: 'twelve prompts refused in 38 minutes from one address, then a sign-in from it succeeds (Graph beta)',
    kind: 'positive',
    why: 'push bombing that worked: the approval from the prompting address raises the open alert to high',
    input: file('fatigue.graph.ndjson', 'graph', [...refused(12, ATTACKER, 38 * MINUTES), { at: BASE + 40 * MINUTES, user: VICTIM, ip: ATTACKER, asn: 64530, mfa: true }]),
    expect: { alerts: 1, severity: 'high', key: `${VICTIM}|${ATTACKER}`, facts: { prompts: 12, approved: true } },
  },
  {
    name: 'five prompts refused and none approved (diagnostic export)',
    kind: 'positive',
    why: 'the password is known and MFA is holding: medium, with the count',
    input: file('fatigue-holding.diag.json', 'diag', refused(5)),
    expect: { alerts: 1, severity: 'medium', facts: { prompts: 5, approved: false } },
  },
  {
    name: 'a privileged account approves after the prompts: critical',
    kind: 'positive',
    why: 'an administrator\'s approval hands over the tenant',
    input: file('fatigue-admin.graph.ndjson', 'graph', [...refused(6), { at: BASE + 35 * MINUTES, user: VICTIM, ip: ATTACKER, mfa: true }]),
    config: `privilegedAccounts: [${VICTIM}]\n`,
    expect: { alerts: 1, severity: 'critical', facts: { approved: true, privileged: true } },
  },
  {
    name: 'four prompts refused, then approved',
    kind: 'negative',
    why: 'one below minPrompts (5): a user fumbling with the phone',
    input: file('four.graph.ndjson', 'graph', [...refused(4), { at: BASE + 31 * MINUTES, user: VICTIM, ip: ATTACKER, mfa: true }]),
    expect: { alerts: 0 },
  },
  {
    name: 'five prompts refused over two hours',
    kind: 'negative',
    why: 'outside the one-hour window',
    input: file('slow.graph.ndjson', 'graph', refused(5, ATTACKER, 2 * HOURS)),
    expect: { alerts: 0 },
  },
  {
    name: 'a day of ordinary MFA sign-ins: the "MFA required" interrupt before each success',
    kind: 'lookalike',
    why: '50074 interrupts are how every MFA sign-in starts, not refused prompts',
    input: file('ordinary.graph.ndjson', 'graph', Array.from({ length: 10 }, (_, i) => ordinary(BASE + i * 40 * MINUTES)).flat()),
    expect: { alerts: 0 },
  },
  {
    name: 'refused prompts spread over five addresses, one each',
    kind: 'lookalike',
    why: 'counted per address: the fatigue comes from one sign-in source',
    input: file('spread.graph.ndjson', 'graph', spread(5, BASE, 30 * MINUTES, (i, at) => ({ at, user: VICTIM, ip: `198.51.100.${50 + i}`, code: 500121, password: 'ok' }))),
    expect: { alerts: 0 },
  },
];
