// Cases for TW-SIGNIN-003 as raw Graph beta signIns, diagnostic-settings SignInLogs and UAL STS logons.
import { BASE, MINUTES } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { HOURS, file, spread, type AttemptOpts } from '../shared/records.js';

const VICTIM = 'cfo@contoso.com';
const guesser = (i: number, sources: number): string => `203.0.113.${80 + (i % sources)}`;
const EAS = { id: '27922004-5251-4030-b22d-91ecd9a37ea4', name: 'Outlook Mobile' };

/** `n` failed guesses for one account from `sources` rotating addresses within `span`. */
function guesses(n: number, o: { sources?: number; span?: number; start?: number; code?: (i: number) => number } = {}): AttemptOpts[] {
  const sources = o.sources ?? 5;
  return spread(n, o.start ?? BASE, o.span ?? 30 * MINUTES, (i, at) => ({
    at, user: VICTIM, ip: guesser(i, sources), asn: 64520, code: o.code ? o.code(i) : 50126,
  }));
}

/** A phone with an old password: one carrier address, legacy client, 50126 then 50053 (locked) every `every`. */
function stalePhone(n: number, ip: string, every: number, start = BASE): AttemptOpts[] {
  return Array.from({ length: n }, (_, i) => ({
    at: start + i * every, user: VICTIM, ip, app: EAS, clientApp: 'Exchange ActiveSync', interactive: false, code: i < 10 ? 50126 : 50053,
  }));
}

export const cases: RuleCase[] = [
  {
    name: 'twenty-four guesses in thirty minutes from five addresses (Graph beta)',
    kind: 'positive',
    why: 'the 20th failed attempt from 5 sources (>= minSources 2) crosses minAttempts within the hour; the alert reports all 24 (repeats update its numbers)',
    input: file('guess.graph.ndjson', 'graph', guesses(24)),
    expect: { alerts: 1, severity: 'medium', key: VICTIM, facts: { attempts: 24, distinctSources: 5, passwordWorked: false } },
  },
  {
    name: 'the guessed password then works from a guessing address (diagnostic export)',
    kind: 'positive',
    why: 'after the crossing the window keeps counting; the success from a failing source escalates the alert to high',
    input: file('guess-hit.diag.json', 'diag', [...guesses(22), { at: BASE + 40 * MINUTES, user: VICTIM, ip: guesser(2, 5), asn: 64520 }]),
    expect: { alerts: 1, severity: 'high', facts: { passwordWorked: true, signedInFrom: [guesser(2, 5)] } },
  },
  {
    name: 'an administrator: the password is proven by an MFA prompt (50076) from a guessing address (UAL)',
    kind: 'positive',
    why: 'privileged (config) and a proven password: critical; the UAL alone carries it (ErrorNumber 50076)',
    input: file('guess-admin.ual.json', 'ual', [...guesses(20), { at: BASE + 31 * MINUTES, user: VICTIM, ip: guesser(4, 5), code: 50076 }]),
    config: `privilegedAccounts: [${VICTIM}]\n`,
    expect: { alerts: 1, severity: 'critical', facts: { passwordProvenFrom: [guesser(4, 5)], privileged: true } },
  },
  {
    name: 'one address hammering: a hundred guesses in forty minutes',
    kind: 'positive',
    why: 'a single source fires once it reaches singleSourceMin (100)',
    input: file('hammer.graph.ndjson', 'graph', guesses(100, { sources: 1, span: 40 * MINUTES })),
    expect: { alerts: 1, facts: { attempts: 100, distinctSources: 1 } },
  },
  {
    name: 'nineteen guesses from five addresses: one below minAttempts',
    kind: 'negative',
    why: 'the threshold is 20 attempts',
    input: file('nineteen.graph.ndjson', 'graph', guesses(19)),
    expect: { alerts: 0 },
  },
  {
    name: 'twenty guesses spread over an hour and one second',
    kind: 'negative',
    why: 'the first guess has left the 1-hour window when the twentieth arrives',
    input: file('slow.graph.ndjson', 'graph', guesses(20, { span: HOURS + 1000 })),
    expect: { alerts: 0 },
  },
  {
    name: 'ninety-nine guesses from one address: one below singleSourceMin',
    kind: 'negative',
    why: 'one source needs 100 attempts',
    input: file('ninety-nine.graph.ndjson', 'graph', guesses(99, { sources: 1, span: 40 * MINUTES })),
    expect: { alerts: 0 },
  },
  {
    name: 'twelve guesses present in both the sign-in log and the UAL',
    kind: 'negative',
    why: 'the same attempt in both logs counts once: 12 attempts, not 24',
    input: [file('dup.graph.ndjson', 'graph', guesses(12)), file('dup.ual.json', 'ual', guesses(12))],
    expect: { alerts: 0 },
  },
  {
    name: 'a phone with the old password on the mobile network: 50126 then 50053 every two minutes for an hour',
    kind: 'lookalike',
    why: 'one source below singleSourceMin; the laptop signs in fine from home meanwhile',
    input: file('phone.diag.json', 'diag', [
      ...stalePhone(30, '198.51.100.200', 2 * MINUTES),
      { at: BASE + 10 * MINUTES, user: VICTIM, ip: '198.51.100.33', password: 'ok', mfa: true, single: false },
    ]),
    expect: { alerts: 0 },
  },
  {
    name: 'stale devices at home and in the office, where the account also signs in',
    kind: 'lookalike',
    why: 'failures from sources the account signed in from (the home /64, the office address) are its own devices',
    input: file('own.graph.ndjson', 'graph', [
      { at: BASE - 5 * MINUTES, user: VICTIM, ip: '2001:db8:1:2::10' },
      { at: BASE - 4 * MINUTES, user: VICTIM, ip: '198.51.100.20' },
      ...stalePhone(15, '2001:db8:1:2::99', 2 * MINUTES),
      ...stalePhone(15, '198.51.100.20', 2 * MINUTES, BASE + MINUTES),
    ]),
    expect: { alerts: 0 },
  },
  {
    name: 'helpdesk reset: eight wrong passwords, a reset, then a success',
    kind: 'lookalike',
    why: 'a forgetful user stays far below the threshold',
    input: file('forgot.ual.json', 'ual', [...guesses(8, { sources: 2, span: 10 * MINUTES }), { at: BASE + 30 * MINUTES, user: VICTIM, ip: guesser(0, 2) }]),
    expect: { alerts: 0 },
  },
];
