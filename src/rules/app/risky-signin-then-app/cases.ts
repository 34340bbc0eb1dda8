// Cases for TW-APP-002: sign-ins (Graph beta signIn, diagnostic SignInLogs, Graph riskDetection) followed by app
// registrations (Graph directoryAudit, diagnostic AuditLogs, UAL Audit.AzureActiveDirectory).
import { BASE, HOURS, MINUTES, auditFile, diagSignInRecord, jsonLines, riskDetectionRecord, signInRecord, type RiskySignInOpts } from '../audit-records.js';
import { addApplication, addServicePrincipal } from '../changes.js';
import type { RuleCase } from '../../types.js';

const ADMIN = 'it-admin@contoso.com';
const ATTACKER_IP = '203.0.113.50';
const OFFICE_IP = '198.51.100.10';
const APP = { id: 'a3f0c2d1-7b6e-4c5d-9e8f-0a1b2c3d4e5f', name: 'Mail Sync Helper' };
const by = { user: ADMIN, ip: ATTACKER_IP };

const signin = (o: Partial<RiskySignInOpts> = {}): RiskySignInOpts => ({ at: BASE, user: ADMIN, ip: ATTACKER_IP, ...o });
const PRIVILEGED = `privilegedAccounts: [${ADMIN}]\n`;

export const cases: RuleCase[] = [
  {
    name: 'medium-risk sign-in, app registered 25 minutes later (Graph sign-in, diagnostic audit)',
    kind: 'positive',
    why: 'unfamiliar-features risk at medium, then "Add application" by the same UPN inside 24 hours',
    input: [
      jsonLines('signins.ndjson', [signInRecord(signin({ risk: 'medium', riskTypes: ['unfamiliarFeatures'] }))]),
      auditFile('diag', 'audit', [addApplication(BASE + 25 * MINUTES, APP, by)]),
    ],
    expect: { alerts: 1, severity: 'high', key: ADMIN, facts: { riskLevel: 'medium', appId: APP.id, minutesBetween: 25 } },
  },
  {
    name: 'single-factor privileged sign-in, service principal added 2 hours later (diagnostic sign-in, UAL audit)',
    kind: 'positive',
    why: 'a privileged account signing in with one factor is the stuffing victim of the 2022 chain; the UAL record has the trailing period',
    input: [
      jsonLines('signins.diag.ndjson', [diagSignInRecord(signin({ single: true }))]),
      auditFile('ual', 'audit', [addServicePrincipal(BASE + 2 * HOURS, APP, by)]),
    ],
    config: PRIVILEGED,
    expect: { alerts: 1, severity: 'high', key: ADMIN, facts: { singleFactorPrivileged: true, riskLevel: 'none', created: 'Add service principal' } },
  },
  {
    name: 'high-risk single-factor admin sign-in, then app and service principal (diagnostic audit): one critical alert',
    kind: 'positive',
    why: 'high risk is critical; the service principal Entra adds a second later folds into the same alert',
    input: [
      jsonLines('signins.diag.ndjson', [diagSignInRecord(signin({ single: true, risk: 'high', riskTypes: ['passwordSpray'] }))]),
      auditFile('diag', 'audit', [addApplication(BASE + 40 * MINUTES, APP, by), addServicePrincipal(BASE + 40 * MINUTES + 2000, APP, by)]),
    ],
    config: PRIVILEGED,
    expect: { alerts: 1, severity: 'critical', key: ADMIN, facts: { riskLevel: 'high', singleFactorPrivileged: true } },
  },
  {
    name: 'Identity Protection detection (no sign-in log), then an app (Graph riskDetection, Graph audit)',
    kind: 'positive',
    why: 'a riskDetection is risk evidence on its own; confirmed compromise is critical (both Graph objects lack a tenant id, so they join)',
    input: [
      jsonLines('riskdetections.ndjson', [riskDetectionRecord({ at: BASE, user: ADMIN, ip: ATTACKER_IP, level: 'medium', type: 'unfamiliarFeatures', state: 'confirmedCompromised' })]),
      auditFile('graph', 'audit', [addApplication(BASE + 3 * HOURS, APP, by)]),
    ],
    expect: { alerts: 1, severity: 'critical', key: ADMIN },
  },
  {
    name: 'app registered 24 hours and one minute after the risky sign-in',
    kind: 'negative',
    why: 'just outside the 24-hour window',
    input: [
      jsonLines('signins.ndjson', [signInRecord(signin({ risk: 'medium', riskTypes: ['unfamiliarFeatures'] }))]),
      auditFile('graph', 'audit', [addApplication(BASE + 24 * HOURS + MINUTES, APP, by)]),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'low-risk sign-in, then an app',
    kind: 'negative',
    why: 'one level below the medium minimum',
    input: [
      jsonLines('signins.ndjson', [signInRecord(signin({ risk: 'low', riskTypes: ['unfamiliarFeatures'] }))]),
      auditFile('graph', 'audit', [addApplication(BASE + 10 * MINUTES, APP, by)]),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'single-factor sign-in by an account that is not privileged',
    kind: 'negative',
    why: 'single factor alone counts only for privileged accounts',
    input: [
      jsonLines('signins.diag.ndjson', [diagSignInRecord(signin({ single: true }))]),
      auditFile('diag', 'audit', [addApplication(BASE + 10 * MINUTES, APP, by)]),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'privileged admin sign-in with no MFA facts (Graph v1.0), then an app',
    kind: 'lookalike',
    why: 'an absent authenticationRequirement is unknown, never single-factor',
    input: [
      jsonLines('signins.ndjson', [signInRecord(signin({}))]),
      auditFile('graph', 'audit', [addApplication(BASE + 10 * MINUTES, APP, by)]),
    ],
    config: PRIVILEGED,
    expect: { alerts: 0 },
  },
  {
    name: 'app registered before the risky sign-in',
    kind: 'negative',
    why: 'order matters',
    input: [
      jsonLines('signins.ndjson', [signInRecord(signin({ at: BASE + HOURS, risk: 'high', riskTypes: ['unfamiliarFeatures'] }))]),
      auditFile('graph', 'audit', [addApplication(BASE, APP, by)]),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'risky sign-in by one admin, app registered by another',
    kind: 'lookalike',
    why: 'the sequence is per account',
    input: [
      jsonLines('signins.ndjson', [signInRecord(signin({ risk: 'high', riskTypes: ['unfamiliarFeatures'] }))]),
      auditFile('graph', 'audit', [addApplication(BASE + 10 * MINUTES, APP, { user: 'dev-lead@contoso.com', ip: OFFICE_IP })]),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'risk remediated by MFA, then the admin registers an app',
    kind: 'lookalike',
    why: 'riskState remediated means the user passed MFA: Identity Protection cleared it',
    input: [
      jsonLines('signins.ndjson', [signInRecord(signin({ ip: OFFICE_IP, risk: 'medium', riskTypes: ['unfamiliarFeatures'], riskState: 'remediated' }))]),
      auditFile('graph', 'audit', [addApplication(BASE + 10 * MINUTES, APP, { user: ADMIN, ip: OFFICE_IP })]),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'failed high-risk sign-in (bad password), then the real admin registers an app',
    kind: 'lookalike',
    why: 'only successful sign-ins count: the attacker never got in',
    input: [
      jsonLines('signins.ndjson', [signInRecord(signin({ code: 50126, risk: 'high', riskTypes: ['passwordSpray'] }))]),
      auditFile('graph', 'audit', [addApplication(BASE + 10 * MINUTES, APP, { user: ADMIN, ip: OFFICE_IP })]),
    ],
    expect: { alerts: 0 },
  },
  {
    name: 'admin with a clean MFA sign-in registers an app',
    kind: 'lookalike',
    why: "an admin's legitimate app registration does not alert here",
    input: [
      jsonLines('signins.diag.ndjson', [diagSignInRecord(signin({ ip: OFFICE_IP, single: false }))]),
      auditFile('ual', 'audit', [addApplication(BASE + 10 * MINUTES, APP, { user: ADMIN, ip: OFFICE_IP })]),
    ],
    config: PRIVILEGED,
    expect: { alerts: 0 },
  },
];
