// Cases for TW-SIGNIN-006 as raw Graph beta signIns, diagnostic-settings SignInLogs and UAL STS logons.
import { BASE, MINUTES } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { file } from '../shared/records.js';

const IP = '203.0.113.140';
const EXO = { id: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' };

export const cases: RuleCase[] = [
  {
    name: 'IMAP4 success for a regular account (Graph beta)',
    kind: 'positive',
    why: 'clientAppUsed IMAP4 is legacy authentication: low for a regular account',
    input: file('imap.graph.ndjson', 'graph', [{ at: BASE, user: 'alice@contoso.com', ip: IP, clientApp: 'IMAP4', app: EXO }]),
    expect: { alerts: 1, severity: 'low', key: 'alice@contoso.com', facts: { via: 'legacy client IMAP4', privileged: false } },
  },
  {
    name: 'Authenticated SMTP success for an administrator (diagnostic export)',
    kind: 'positive',
    why: 'privileged accounts signing in with a password alone: high',
    input: file('smtp-admin.diag.json', 'diag', [{ at: BASE, user: 'it-admin@contoso.com', ip: IP, clientApp: 'Authenticated SMTP', app: EXO }]),
    config: 'privilegedAccounts: [it-admin@contoso.com]\n',
    expect: { alerts: 1, severity: 'high', facts: { privileged: true, clientApp: 'Authenticated SMTP' } },
  },
  {
    name: 'UserLoggedIn with user agent BAV2ROPC (UAL only)',
    kind: 'positive',
    why: 'the UAL has no clientAppUsed; BAV2ROPC is the basic-auth-to-ROPC proxy',
    input: file('ropc.ual.json', 'ual', [{ at: BASE, user: 'bob@contoso.com', ip: IP, userAgent: 'BAV2ROPC', app: EXO }]),
    expect: { alerts: 1, severity: 'low', facts: { log: 'ual' } },
  },
  {
    name: 'ROPC grant from a script (authenticationProtocol ropc)',
    kind: 'positive',
    why: 'the ROPC grant takes a password and nothing else',
    input: file('ropc.graph.ndjson', 'graph', [{ at: BASE, user: 'carol@contoso.com', ip: IP, protocol: 'ropc', clientApp: 'Mobile Apps and Desktop clients', userAgent: 'python-requests/2.31' }]),
    expect: { alerts: 1, facts: { protocol: 'ropc' } },
  },
  {
    name: 'the same IMAP sign-in in the sign-in log and the UAL: one alert',
    kind: 'positive',
    why: 'suppression per account folds the UAL copy into the alert',
    input: [
      file('dup.graph.ndjson', 'graph', [{ at: BASE, user: 'dave@contoso.com', ip: IP, clientApp: 'IMAP4', app: EXO }]),
      file('dup.ual.json', 'ual', [{ at: BASE, user: 'dave@contoso.com', ip: IP, userAgent: 'BAV2ROPC', app: EXO }]),
    ],
    expect: { alerts: 1 },
  },
  {
    name: 'an administrator via SMTP from the trusted printer network: still high',
    kind: 'positive',
    why: 'trusted networks excuse regular accounts only',
    input: file('smtp-admin-office.graph.ndjson', 'graph', [{ at: BASE, user: 'it-admin@contoso.com', ip: '198.51.100.70', clientApp: 'Authenticated SMTP', app: EXO }]),
    config: 'privilegedAccounts: [it-admin@contoso.com]\nallowlists:\n  trustedIps: [198.51.100.64/27]\n',
    expect: { alerts: 1, severity: 'high' },
  },
  {
    name: 'IMAP4 with a wrong password (50126)',
    kind: 'negative',
    why: 'only successful sign-ins; failures belong to TW-SIGNIN-001..004',
    input: file('imap-fail.graph.ndjson', 'graph', [{ at: BASE, user: 'alice@contoso.com', ip: IP, clientApp: 'IMAP4', code: 50126 }]),
    expect: { alerts: 0 },
  },
  {
    name: 'browser and modern-client sign-ins',
    kind: 'negative',
    why: 'clientAppUsed Browser / Mobile Apps and Desktop clients with OAuth is modern authentication',
    input: file('modern.diag.json', 'diag', [
      { at: BASE, user: 'alice@contoso.com', ip: IP },
      { at: BASE + MINUTES, user: 'alice@contoso.com', ip: IP, clientApp: 'Mobile Apps and Desktop clients', protocol: 'oAuth2' },
    ]),
    expect: { alerts: 0 },
  },
  {
    name: 'the scanner relays mail with SMTP AUTH from the trusted office network',
    kind: 'lookalike',
    why: 'allowlists.trustedIps excuses regular accounts on relay networks',
    input: file('scanner.graph.ndjson', 'graph', [{ at: BASE, user: 'scanner@contoso.com', ip: '198.51.100.71', clientApp: 'Authenticated SMTP', app: EXO }]),
    config: 'allowlists:\n  trustedIps: [198.51.100.64/27]\n',
    expect: { alerts: 0 },
  },
];
