// Cases for TW-APP-003 in the three directory-audit shapes (Graph, diagnostic AuditLogs, UAL).
import { BASE, HOURS, MINUTES, auditFile } from '../audit-records.js';
import { EXO, addApplication, addServicePrincipal, appCredential, appRoleAssignment, key, spCredential } from '../changes.js';
import type { RuleCase } from '../../types.js';

const ADMIN = { user: 'it-admin@contoso.com', ip: '203.0.113.50' };
const DEV = { user: 'dev-lead@contoso.com', ip: '198.51.100.10' };
const HR = { id: 'c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e0f', name: 'HR Portal' };
const NEW_APP = { id: 'a3f0c2d1-7b6e-4c5d-9e8f-0a1b2c3d4e5f', name: 'Invoice Bot' };
const AUTOMATION = { id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', name: 'Ops Automation' };

export const cases: RuleCase[] = [
  {
    name: 'first secret on the service principal of an existing app (Graph)',
    kind: 'positive',
    why: 'no credential before (old side empty), not registered in the window, on the service principal: high',
    input: auditFile('graph', 'sp-secret', [spCredential(BASE, HR, key('hr-sp-1'), { by: ADMIN })]),
    expect: { alerts: 1, severity: 'high', key: HR.id, facts: { firstCredential: true, target: 'service principal', credentialType: 'password', priorCredentials: 0 } },
  },
  {
    name: 'the same first secret in the unified audit log',
    kind: 'positive',
    why: 'UAL "Add service principal credentials." decodes to the same facts',
    input: auditFile('ual', 'sp-secret', [spCredential(BASE, HR, key('hr-sp-1'), { by: ADMIN })]),
    expect: { alerts: 1, severity: 'high', key: HR.id, facts: { firstCredential: true, target: 'service principal' } },
  },
  {
    name: 'one change exported twice (diagnostic export and UAL) is one alert',
    kind: 'positive',
    why: 'the key id is the remembered value: the second copy of the same credential is already known',
    input: [
      auditFile('diag', 'sp-secret', [spCredential(BASE, HR, key('hr-sp-1'), { by: ADMIN })]),
      auditFile('ual', 'sp-secret', [spCredential(BASE, HR, key('hr-sp-1'), { by: ADMIN })]),
    ],
    expect: { alerts: 1, key: HR.id },
  },
  {
    name: 'a client secret added to an app that only had a certificate (UAL)',
    kind: 'positive',
    why: 'not a rotation: a new credential type; medium',
    input: auditFile('ual', 'app-secret', [appCredential(BASE, HR, key('hr-2'), { by: ADMIN, existing: [key('hr-cert', 'AsymmetricX509Cert')] })]),
    expect: { alerts: 1, severity: 'medium', key: HR.id, facts: { firstCredential: false, priorCredentials: 1, credentialType: 'password' } },
  },
  {
    name: 'another app adds a secret to an app that already has one (diagnostic export)',
    kind: 'positive',
    why: 'an app acting on another app (Application.ReadWrite.All abuse) is never a rotation: high',
    input: auditFile('diag', 'app-secret', [appCredential(BASE, HR, key('hr-3'), { by: { app: AUTOMATION }, existing: [key('hr-1')] })]),
    expect: { alerts: 1, severity: 'high', key: HR.id, facts: { actorKind: 'app', firstCredential: false } },
  },
  {
    name: 'another app adds the first certificate to a service principal (Graph)',
    kind: 'positive',
    why: 'first credential + service principal + app actor: critical',
    input: auditFile('graph', 'sp-cert', [spCredential(BASE, HR, key('hr-sp-cert', 'AsymmetricX509Cert'), { by: { app: AUTOMATION } })]),
    expect: { alerts: 1, severity: 'critical', key: HR.id, facts: { credentialType: 'certificate', actorKind: 'app' } },
  },
  {
    name: 'admin registers an app and creates its first secret (Graph): low',
    kind: 'positive',
    why: "an admin's own new app registration stays low; the app was registered ten minutes before",
    input: auditFile('graph', 'new-app', [
      addApplication(BASE, NEW_APP, DEV),
      addServicePrincipal(BASE + 1000, NEW_APP, DEV),
      appCredential(BASE + 10 * MINUTES, NEW_APP, key('inv-1'), { by: DEV, existing: [] }),
    ]),
    expect: { alerts: 1, severity: 'low', key: NEW_APP.id, facts: { firstCredential: true, registeredInHistory: true } },
  },
  {
    name: 'new app granted Exchange.ManageAsApp, then its first secret (UAL): medium',
    kind: 'positive',
    why: 'the 2022 pattern seen from this rule alone: a fresh registration (low) holding an Exchange admin permission (one step up)',
    input: auditFile('ual', 'campaign', [
      addApplication(BASE, NEW_APP, ADMIN),
      appRoleAssignment(BASE + 2 * MINUTES, NEW_APP, { by: ADMIN, value: 'Exchange.ManageAsApp', id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', resource: EXO }),
      appCredential(BASE + 4 * MINUTES, NEW_APP, key('inv-9'), { by: ADMIN, existing: [] }),
    ]),
    expect: { alerts: 1, severity: 'medium', key: NEW_APP.id, facts: { permissionsHeld: ['Exchange.ManageAsApp'], registeredInHistory: true } },
  },
  {
    name: 'secret rotation with includeRotations: reported at low',
    kind: 'positive',
    why: 'the tunable turns the dropped rotations into low alerts',
    input: auditFile('graph', 'rotation', [appCredential(BASE, HR, key('hr-4'), { by: DEV, existing: [key('hr-1')] })]),
    tunables: { includeRotations: true },
    expect: { alerts: 1, severity: 'low', key: HR.id },
  },
  {
    name: 'secret rotation on an existing app (record lists the current secret)',
    kind: 'lookalike',
    why: 'a password added to an app that already has a password, by a user: rotation, dropped',
    input: auditFile('ual', 'rotation', [appCredential(BASE, HR, key('hr-4'), { by: DEV, existing: [key('hr-1')] })]),
    expect: { alerts: 0 },
  },
  {
    name: 'first secret 91 days after the app was registered',
    kind: 'positive',
    why: 'the registration fell out of the 90-day history, so this is an existing app getting its first credential: medium, not low',
    input: auditFile('graph', 'late-secret', [
      addApplication(BASE, NEW_APP, DEV),
      appCredential(BASE + 91 * 24 * HOURS, NEW_APP, key('inv-2'), { by: DEV, existing: [] }),
    ]),
    expect: { alerts: 1, severity: 'medium', key: NEW_APP.id, facts: { registeredInHistory: false } },
  },
  {
    name: 'app rotates its own secret',
    kind: 'lookalike',
    why: 'self-service rotation by the app (Application.ReadWrite.OwnedBy), same type as before',
    input: auditFile('diag', 'self-rotation', [appCredential(BASE, AUTOMATION, key('auto-2'), { by: { app: AUTOMATION }, existing: [key('auto-1')] })]),
    expect: { alerts: 0 },
  },
  {
    name: 'the credential change failed',
    kind: 'negative',
    why: 'only successful changes count',
    input: auditFile('graph', 'failed', [spCredential(BASE, HR, key('hr-sp-9'), { by: ADMIN, result: 'failure' })]),
    expect: { alerts: 0 },
  },
  {
    name: "tenantwatch's own collector app gets a secret",
    kind: 'lookalike',
    why: 'allowlists.collectorAppId is expected to get a credential',
    input: auditFile('ual', 'collector', [spCredential(BASE, HR, key('hr-sp-1'), { by: ADMIN })]),
    config: `allowlists:\n  collectorAppId: ${HR.id}\n`,
    expect: { alerts: 0 },
  },
];
