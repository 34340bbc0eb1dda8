// Cases for TW-APP-008: "Add owner to application" / "Add owner to service principal" (Graph, diagnostic, UAL).
import { BASE, DAYS, auditFile } from '../audit-records.js';
import { EXO, addApplication, appRoleAssignment, ownerAdded } from '../changes.js';
import type { RuleCase } from '../../types.js';

const ADMIN = { user: 'it-admin@contoso.com', ip: '203.0.113.50' };
const DEV = { user: 'dev-lead@contoso.com', ip: '198.51.100.10' };
const APP = { id: 'a3f0c2d1-7b6e-4c5d-9e8f-0a1b2c3d4e5f', name: 'Mail Sync Helper' };
const AUTOMATION = { id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', name: 'Ops Automation' };

export const cases: RuleCase[] = [
  {
    name: 'admin adds a colleague as owner (Graph): low',
    kind: 'positive',
    why: 'handing an app to its team is routine: low, with who and whom',
    input: auditFile('graph', 'owner', [ownerAdded(BASE, APP, { user: 'megan.bowen@contoso.com' }, ADMIN)]),
    expect: { alerts: 1, severity: 'low', key: APP.id, facts: { owner: 'megan.bowen@contoso.com', selfAdded: false, addedBy: ADMIN.user } },
  },
  {
    name: 'an account makes itself owner of an existing app (UAL)',
    kind: 'positive',
    why: 'self-add to an app it did not register: medium',
    input: auditFile('ual', 'owner', [ownerAdded(BASE, APP, { user: ADMIN.user }, ADMIN)]),
    expect: { alerts: 1, severity: 'medium', key: APP.id, facts: { selfAdded: true, ownerKind: 'user' } },
  },
  {
    name: 'self-add to an app holding Exchange.ManageAsApp (diagnostic export)',
    kind: 'positive',
    why: 'owning that app is owning the permission: one step up, high',
    input: auditFile('diag', 'owner', [
      appRoleAssignment(BASE, APP, { by: ADMIN, value: 'Exchange.ManageAsApp', id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', resource: EXO }),
      ownerAdded(BASE + 2 * DAYS, APP, { user: ADMIN.user }, ADMIN),
    ]),
    expect: { alerts: 1, severity: 'high', key: APP.id, facts: { appPermissions: ['Exchange.ManageAsApp'] } },
  },
  {
    name: 'an app makes itself owner of another service principal (Graph)',
    kind: 'positive',
    why: 'an app owner (high) added by an app: critical',
    input: auditFile('graph', 'owner', [ownerAdded(BASE, APP, { app: AUTOMATION }, { app: AUTOMATION }, 'servicePrincipal')]),
    expect: { alerts: 1, severity: 'critical', key: APP.id, facts: { ownerKind: 'servicePrincipal', object: 'service principal', actorKind: 'app' } },
  },
  {
    name: 'owner self-added 31 days after the account registered the app',
    kind: 'positive',
    why: 'the registration is outside the 30-day history, so this is no longer the automatic creator ownership: medium',
    input: auditFile('graph', 'owner', [addApplication(BASE, APP, DEV), ownerAdded(BASE + 31 * DAYS, APP, { user: DEV.user }, DEV)]),
    expect: { alerts: 1, severity: 'medium', key: APP.id },
  },
  {
    name: 'creator becomes owner at registration (Graph)',
    kind: 'lookalike',
    why: 'Entra adds the registering account as owner a second later: ignored',
    input: auditFile('graph', 'register', [addApplication(BASE, APP, DEV), ownerAdded(BASE + 1000, APP, { user: DEV.user }, DEV)]),
    expect: { alerts: 0 },
  },
  {
    name: 'creator becomes owner at registration (UAL)',
    kind: 'lookalike',
    why: 'the same in the unified audit log',
    input: auditFile('ual', 'register', [addApplication(BASE, APP, DEV), ownerAdded(BASE + 1000, APP, { user: DEV.user }, DEV)]),
    expect: { alerts: 0 },
  },
  {
    name: 'adding the owner failed',
    kind: 'negative',
    why: 'only successful changes count',
    input: auditFile('graph', 'owner', [{ ...ownerAdded(BASE, APP, { user: ADMIN.user }, ADMIN), result: 'failure' }]),
    expect: { alerts: 0 },
  },
  {
    name: "owner added to tenantwatch's collector app",
    kind: 'lookalike',
    why: 'allowlists.collectorAppId',
    input: auditFile('ual', 'owner', [ownerAdded(BASE, APP, { user: 'megan.bowen@contoso.com' }, ADMIN)]),
    config: `allowlists:\n  collectorAppId: ${APP.id}\n`,
    expect: { alerts: 0 },
  },
];
