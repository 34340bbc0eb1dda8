// Cases for TW-SIGNIN-005 as raw Graph beta signIns, diagnostic-settings SignInLogs, UAL STS logons and
// directoryAudit role assignments.
import { BASE, MINUTES, graphAudit, guid, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { HOURS, betaSignIn, file } from '../shared/records.js';

const ADMIN = 'it-admin@contoso.com';
const ATTACKER_IP = '203.0.113.120';
const ADMIN_CONFIG = `privilegedAccounts: [${ADMIN}]\n`;

const assign = (user: string, role: string, template: string, activity = 'Add member to role'): Record<string, unknown> =>
  graphAudit({
    at: BASE - 7 * 24 * HOURS,
    activity,
    category: 'RoleManagement',
    operationType: 'Assign',
    targets: [{ type: 'User', id: guid(`user|${user}`), displayName: user, modified: [['Role.DisplayName', null, JSON.stringify(role)], ['Role.TemplateId', null, JSON.stringify(template)]] }],
  });

export const cases: RuleCase[] = [
  {
    name: 'configured administrator, single-factor success from an unknown address (Graph beta)',
    kind: 'positive',
    why: 'authenticationRequirement singleFactorAuthentication + outcome success + privileged',
    input: file('admin-sfa.graph.ndjson', 'graph', [{ at: BASE, user: ADMIN, ip: ATTACKER_IP, single: true, password: 'ok' }]),
    config: ADMIN_CONFIG,
    expect: { alerts: 1, severity: 'high', key: ADMIN, facts: { trustedNetwork: false, breakGlass: false } },
  },
  {
    name: 'Exchange Administrator learned from "Add eligible member to role", single-factor (diagnostic export)',
    kind: 'positive',
    why: 'role holders named by role-assignment audit events count as privileged (PIM-eligible too)',
    input: [
      ndjson('roles.json', [assign(ADMIN, 'Exchange Administrator', '29232cdf-9323-42fd-ade2-1d097af3e4de', 'Add eligible member to role in PIM completed (permanent)')]),
      file('admin-sfa.diag.json', 'diag', [{ at: BASE, user: ADMIN, ip: ATTACKER_IP, single: true }]),
    ],
    expect: { alerts: 1, severity: 'high', facts: { roles: ['Exchange Administrator'] } },
  },
  {
    name: 'from the office (trusted network): still reported, low',
    kind: 'positive',
    why: 'a CA exclusion for trusted locations is a gap for administrators, but the everyday look-alike of the attack: low',
    input: file('admin-office.graph.ndjson', 'graph', [{ at: BASE, user: ADMIN, ip: '198.51.100.70', single: true }]),
    config: `${ADMIN_CONFIG}allowlists:\n  trustedIps: [198.51.100.64/27]\n`,
    expect: { alerts: 1, severity: 'low', facts: { trustedNetwork: true } },
  },
  {
    name: 'from a trusted named location the sign-in record names (networkLocationDetails): low',
    kind: 'positive',
    why: 'Entra itself says the address is in a trusted named location (a CA exclusion): the same gap as a configured trusted network',
    input: ndjson('admin-named-location.graph.ndjson', [
      { ...betaSignIn({ at: BASE, user: ADMIN, ip: '198.51.100.7', single: true }), networkLocationDetails: [{ networkType: 'trustedNamedLocation', networkNames: ['Head office'] }] },
    ]),
    config: ADMIN_CONFIG,
    expect: { alerts: 1, severity: 'low', facts: { trustedNetwork: true } },
  },
  {
    name: 'break-glass account used: medium',
    kind: 'positive',
    why: 'emergency accounts sign in without MFA by design, and only in emergencies',
    input: file('breakglass.graph.ndjson', 'graph', [{ at: BASE, user: 'emergency@contoso.com', ip: ATTACKER_IP, single: true }]),
    config: 'privilegedAccounts: [emergency@contoso.com]\nallowlists:\n  breakGlass: [emergency@contoso.com]\n',
    expect: { alerts: 1, severity: 'medium', facts: { breakGlass: true } },
  },
  {
    name: 'two single-factor sign-ins in the same day from the same address: one alert',
    kind: 'positive',
    why: 'the second comes from a network already reported for the account',
    input: file('admin-twice.graph.ndjson', 'graph', [
      { at: BASE, user: ADMIN, ip: ATTACKER_IP, single: true },
      { at: BASE + 3 * HOURS, user: ADMIN, ip: ATTACKER_IP, single: true, interactive: false },
    ]),
    config: ADMIN_CONFIG,
    expect: { alerts: 1 },
  },
  {
    name: 'an administrator signs in single-factor from the same home network every day for a week: one alert',
    kind: 'positive',
    why: 'the same gap seen again: reported when the network is first seen, not once a day',
    input: file('admin-daily.graph.ndjson', 'graph', Array.from({ length: 7 }, (_, d) => ({ at: BASE + d * 24 * HOURS, user: ADMIN, ip: `198.51.100.${20 + d}`, single: true }))),
    config: ADMIN_CONFIG,
    expect: { alerts: 1, severity: 'high', facts: { network: '198.51.100.0/24', knownNetworks: 0 } },
  },
  {
    name: 'after a week of single-factor sign-ins from home, one from an attacker\'s network: a second alert at once',
    kind: 'positive',
    why: 'a network the account never signed in from that way is news whatever the account\'s routine',
    input: file('admin-then-attacker.graph.ndjson', 'graph', [
      ...Array.from({ length: 7 }, (_, d) => ({ at: BASE + d * 24 * HOURS, user: ADMIN, ip: '198.51.100.20', single: true })),
      { at: BASE + 6 * 24 * HOURS + 4 * HOURS, user: ADMIN, ip: ATTACKER_IP, single: true },
    ]),
    config: ADMIN_CONFIG,
    expect: { alerts: 2, severity: 'high' },
  },
  {
    name: 'the office in the morning, an attacker\'s network two hours later, the same day: two alerts',
    kind: 'positive',
    why: 'an alert open for the account\'s routine network must not swallow a new one',
    input: file('admin-office-then-attacker.graph.ndjson', 'graph', [
      { at: BASE, user: ADMIN, ip: '198.51.100.20', single: true },
      { at: BASE + 2 * HOURS, user: ADMIN, ip: ATTACKER_IP, single: true },
    ]),
    config: ADMIN_CONFIG,
    expect: { alerts: 2, severity: 'high' },
  },
  {
    name: 'the administrator signs in with MFA',
    kind: 'negative',
    why: 'authenticationRequirement multiFactorAuthentication',
    input: file('admin-mfa.diag.json', 'diag', [{ at: BASE, user: ADMIN, ip: ATTACKER_IP, single: false, password: 'ok', mfa: true }]),
    config: ADMIN_CONFIG,
    expect: { alerts: 0 },
  },
  {
    name: 'MFA unknown: a v1.0-shaped sign-in (no authenticationRequirement) and a UAL UserLoggedIn',
    kind: 'negative',
    why: 'an absent requirement is unknown, and unknown is never single-factor',
    input: [
      file('admin-v1.graph.ndjson', 'graph', [{ at: BASE, user: ADMIN, ip: ATTACKER_IP }]),
      file('admin.ual.json', 'ual', [{ at: BASE + MINUTES, user: ADMIN, ip: ATTACKER_IP }]),
    ],
    config: ADMIN_CONFIG,
    expect: { alerts: 0 },
  },
  {
    name: 'single-factor but failed (50126)',
    kind: 'negative',
    why: 'only successful sign-ins',
    input: file('admin-fail.graph.ndjson', 'graph', [{ at: BASE, user: ADMIN, ip: ATTACKER_IP, single: true, code: 50126 }]),
    config: ADMIN_CONFIG,
    expect: { alerts: 0 },
  },
  {
    name: 'a regular user signs in single-factor',
    kind: 'lookalike',
    why: 'not privileged (the admin list is known: config names someone else)',
    input: file('user-sfa.graph.ndjson', 'graph', [{ at: BASE, user: 'someone@contoso.com', ip: ATTACKER_IP, single: true }]),
    config: ADMIN_CONFIG,
    expect: { alerts: 0 },
  },
  {
    name: 'a Global Reader signs in single-factor',
    kind: 'lookalike',
    why: 'reader roles are not privileged',
    input: [
      ndjson('roles.json', [assign('auditor@contoso.com', 'Global Reader', 'f2ef992c-3afb-46b9-b7cf-a126ee74c451')]),
      file('reader-sfa.graph.ndjson', 'graph', [{ at: BASE, user: 'auditor@contoso.com', ip: ATTACKER_IP, single: true }]),
    ],
    expect: { alerts: 0 },
  },
];
