// Cases for TW-APP-005: "Consent to application" (admin, all principals) and "Add delegated permission grant"
// (AllPrincipals) in the Graph, diagnostic and UAL shapes.
import { BASE, MINUTES, auditFile } from '../audit-records.js';
import { consent, delegatedGrant } from '../changes.js';
import type { RuleCase } from '../../types.js';

const ADMIN = { user: 'it-admin@contoso.com', ip: '203.0.113.50' };
const USER = { user: 'alex.wilber@contoso.com', ip: '198.51.100.23' };
const APP = { id: 'a3f0c2d1-7b6e-4c5d-9e8f-0a1b2c3d4e5f', name: 'Mail Sync Helper' };
const CRM = { id: 'b4e1d3c2-8a7f-4d6e-8f9a-1b2c3d4e5f60', name: 'Contoso CRM Connector' };
const PROVISIONER = { id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', name: 'Tenant Provisioner' };

export const cases: RuleCase[] = [
  {
    name: 'admin consent to Mail.Send and Mail.ReadWrite for all users (UAL)',
    kind: 'positive',
    why: 'risky delegated scopes granted tenant-wide: high, with the scopes and the admin named',
    input: auditFile('ual', 'consent', [consent(BASE, APP, { by: ADMIN, scopes: ['Mail.ReadWrite', 'Mail.Send', 'offline_access'], admin: true })]),
    expect: { alerts: 1, severity: 'high', key: APP.id, facts: { riskyScopes: ['Mail.ReadWrite', 'Mail.Send'], grantedBy: ADMIN.user, scopeCount: 3 } },
  },
  {
    name: 'tenant-wide EWS grant written directly (Graph "Add delegated permission grant")',
    kind: 'positive',
    why: 'an oauth2PermissionGrant with ConsentType AllPrincipals is the same fact without a consent record',
    input: auditFile('graph', 'grant', [delegatedGrant(BASE, APP, ['EWS.AccessAsUser.All', 'User.Read'], 'AllPrincipals', ADMIN)]),
    expect: { alerts: 1, severity: 'high', key: APP.id, facts: { riskyScopes: ['EWS.AccessAsUser.All'] } },
  },
  {
    name: 'portal admin consent writes consent + delegated grant: one alert (diagnostic export)',
    kind: 'positive',
    why: 'both records of one consent fold into one alert per app',
    input: auditFile('diag', 'consent', [
      consent(BASE, APP, { by: ADMIN, scopes: ['Mail.Send', 'User.Read'], admin: true }),
      delegatedGrant(BASE + 1000, APP, ['Mail.Send', 'User.Read'], 'AllPrincipals', ADMIN),
    ]),
    expect: { alerts: 1, severity: 'high', key: APP.id },
  },
  {
    name: 'an app consents for all users (Graph)',
    kind: 'positive',
    why: 'a consent made by an app is rated up a step: Directory.AccessAsUser.All high -> critical',
    input: auditFile('graph', 'consent', [consent(BASE, APP, { by: { app: PROVISIONER }, scopes: ['Directory.AccessAsUser.All'], admin: true })]),
    expect: { alerts: 1, severity: 'critical', key: APP.id, facts: { actorKind: 'app' } },
  },
  {
    name: 'admin consent whose scope list names the application permission Exchange.ManageAsApp (Graph)',
    kind: 'positive',
    why: "the campaign's permission named in a consent record is high, not a harmless scope",
    input: auditFile('graph', 'consent', [consent(BASE, APP, { by: ADMIN, scopes: ['Exchange.ManageAsApp'], admin: true })]),
    expect: { alerts: 1, severity: 'high', key: APP.id, facts: { riskyScopes: ['Exchange.ManageAsApp'] } },
  },
  {
    name: 'legit admin registers an app and consents to delegated Mail.Read for all users: low',
    kind: 'positive',
    why: "admins' own app registrations stay low: read scopes only",
    input: auditFile('graph', 'consent', [consent(BASE + 5 * MINUTES, CRM, { by: ADMIN, scopes: ['Mail.Read', 'User.Read', 'offline_access'], admin: true })]),
    expect: { alerts: 1, severity: 'low', key: CRM.id, facts: { riskyScopes: [] } },
  },
  {
    name: 'a user consents for themselves only',
    kind: 'negative',
    why: 'IsAdminConsent False, ConsentType Principal: not tenant-wide (TW-APP-006 looks at these)',
    input: auditFile('ual', 'consent', [consent(BASE, APP, { by: USER, scopes: ['Mail.ReadWrite', 'Mail.Send'], admin: false })]),
    expect: { alerts: 0 },
  },
  {
    name: 'delegated grant for one principal',
    kind: 'negative',
    why: 'ConsentType Principal is one user, not all',
    input: auditFile('graph', 'grant', [delegatedGrant(BASE, APP, ['Mail.Send'], 'Principal', ADMIN)]),
    expect: { alerts: 0 },
  },
  {
    name: 'admin consent that failed',
    kind: 'negative',
    why: 'only successful consents count',
    input: auditFile('graph', 'consent', [consent(BASE, APP, { by: ADMIN, scopes: ['Mail.Send'], admin: true, result: 'failure' })]),
    expect: { alerts: 0 },
  },
  {
    name: "admin consent for tenantwatch's own collector app",
    kind: 'lookalike',
    why: 'allowlists.collectorAppId',
    input: auditFile('ual', 'consent', [consent(BASE, APP, { by: ADMIN, scopes: ['AuditLog.Read.All', 'Directory.Read.All'], admin: true })]),
    config: `allowlists:\n  collectorAppId: ${APP.id}\n`,
    expect: { alerts: 0 },
  },
];
