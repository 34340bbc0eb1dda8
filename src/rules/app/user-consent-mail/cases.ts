// Cases for TW-APP-006: user "Consent to application" records (Graph, diagnostic, UAL — the UAL one in the shape
// of the SEKOIA sample: ConsentType Principal, PrincipalId = the user).
import { BASE, MINUTES, auditFile } from '../audit-records.js';
import { consent } from '../changes.js';
import type { RuleCase } from '../../types.js';

const VICTIM = { user: 'alex.wilber@contoso.com', ip: '198.51.100.23' };
const VICTIM2 = { user: 'megan.bowen@contoso.com', ip: '198.51.100.77' };
const ADMIN = { user: 'it-admin@contoso.com', ip: '198.51.100.10' };
const LURE = { id: 'd1c2b3a4-5e6f-4a7b-8c9d-0e1f2a3b4c5d', name: 'Document Viewer Pro' };
const CRM = { id: 'b4e1d3c2-8a7f-4d6e-8f9a-1b2c3d4e5f60', name: 'Contoso CRM Connector' };

export const cases: RuleCase[] = [
  {
    name: 'user consents to Mail.Read + offline_access (UAL)',
    kind: 'positive',
    why: 'read-only mail with a refresh token: medium',
    input: auditFile('ual', 'consent', [consent(BASE, LURE, { by: VICTIM, scopes: ['openid', 'profile', 'Mail.Read', 'offline_access', 'User.Read'], admin: false })]),
    expect: { alerts: 1, severity: 'medium', key: LURE.id, facts: { user: VICTIM.user, mailScopes: ['Mail.Read'], offlineAccess: true } },
  },
  {
    name: 'user consents to Mail.Send and Mail.ReadWrite + offline_access (Graph)',
    kind: 'positive',
    why: 'write / send scopes: high',
    input: auditFile('graph', 'consent', [consent(BASE, LURE, { by: VICTIM, scopes: ['Mail.ReadWrite', 'Mail.Send', 'offline_access'], admin: false })]),
    expect: { alerts: 1, severity: 'high', key: LURE.id, facts: { writeScopes: ['Mail.ReadWrite', 'Mail.Send'] } },
  },
  {
    name: 'a privileged account falls for the lure (diagnostic export)',
    kind: 'positive',
    why: 'an admin mailbox is worth more: one step up',
    input: auditFile('diag', 'consent', [consent(BASE, LURE, { by: ADMIN, scopes: ['Mail.ReadWrite', 'offline_access'], admin: false })]),
    config: `privilegedAccounts: [${ADMIN.user}]\n`,
    expect: { alerts: 1, severity: 'critical', key: LURE.id, facts: { privilegedUser: true } },
  },
  {
    name: 'two victims of the same lure app: one alert',
    kind: 'positive',
    why: 'keyed by app; the second consent folds into the first as an occurrence',
    input: auditFile('ual', 'consent', [
      consent(BASE, LURE, { by: VICTIM, scopes: ['Mail.Read', 'offline_access'], admin: false }),
      consent(BASE + 30 * MINUTES, LURE, { by: VICTIM2, scopes: ['Mail.Read', 'offline_access'], admin: false }),
    ]),
    expect: { alerts: 1, key: LURE.id },
  },
  {
    name: 'Mail.Read without offline_access',
    kind: 'negative',
    why: 'no refresh token: the access ends with the session (one scope short of the rule)',
    input: auditFile('graph', 'consent', [consent(BASE, LURE, { by: VICTIM, scopes: ['Mail.Read', 'User.Read'], admin: false })]),
    expect: { alerts: 0 },
  },
  {
    name: 'Mail.Read without offline_access, requireOfflineAccess off',
    kind: 'positive',
    why: 'the tunable widens the rule to every mail-scope consent',
    input: auditFile('graph', 'consent', [consent(BASE, LURE, { by: VICTIM, scopes: ['Mail.Read', 'User.Read'], admin: false })]),
    tunables: { requireOfflineAccess: false },
    expect: { alerts: 1, severity: 'medium', facts: { offlineAccess: false } },
  },
  {
    name: 'user consents to sign-in scopes with offline_access only (like the SEKOIA sample)',
    kind: 'lookalike',
    why: 'openid profile email offline_access grants no mail access',
    input: auditFile('ual', 'consent', [consent(BASE, LURE, { by: VICTIM, scopes: ['openid', 'profile', 'email', 'offline_access'], admin: false })]),
    expect: { alerts: 0 },
  },
  {
    name: 'legit admin consents to delegated Mail.Read for the organisation',
    kind: 'lookalike',
    why: 'admin consent for all users is TW-APP-005, not consent phishing',
    input: auditFile('graph', 'consent', [consent(BASE, CRM, { by: ADMIN, scopes: ['Mail.Read', 'User.Read', 'offline_access'], admin: true })]),
    expect: { alerts: 0 },
  },
  {
    name: 'a reviewed mail client in allowedApps',
    kind: 'lookalike',
    why: 'the tenant allowed users to consent to this app',
    input: auditFile('ual', 'consent', [consent(BASE, CRM, { by: VICTIM, scopes: ['IMAP.AccessAsUser.All', 'SMTP.Send', 'offline_access'], admin: false })]),
    tunables: { allowedApps: [CRM.id] },
    expect: { alerts: 0 },
  },
  {
    name: 'consent blocked (failure)',
    kind: 'negative',
    why: 'a blocked consent grants nothing',
    input: auditFile('graph', 'consent', [consent(BASE, LURE, { by: VICTIM, scopes: ['Mail.Read', 'offline_access'], admin: false, result: 'failure' })]),
    expect: { alerts: 0 },
  },
];
