// Cases for TW-APP-004: "Add app role assignment to service principal" in the Graph, diagnostic and UAL shapes,
// matched by AppRole.Value and, where the record has only AppRole.Id, by id.
import { BASE, MINUTES, auditFile, type CaseAudit } from '../audit-records.js';
import { EXO, GRAPH, appRoleAssignment, consent, type App, type By } from '../changes.js';
import type { RuleCase } from '../../types.js';

const ADMIN = { user: 'it-admin@contoso.com', ip: '203.0.113.50' };
const APP = { id: 'a3f0c2d1-7b6e-4c5d-9e8f-0a1b2c3d4e5f', name: 'Mail Sync Helper' };
const PROVISIONER = { id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', name: 'Tenant Provisioner' };
const key = (app: App, perm: string): string => `${app.id}|${perm.toLowerCase()}`;

const ROLE_IDS = {
  'Exchange.ManageAsApp': 'dc50a0fb-09a3-484d-be87-e023b12c6440',
  'Exchange.ManageAsAppV2': 'ea3d980d-ebc7-4be4-8298-a167e5b8797c',
  full_access_as_app: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
  'Mail.Send': 'b633e1c5-b582-4048-a93e-9f11b44c7e96',
  'Mail.Read': '810c84a8-4a9e-49e6-bf7d-12d183f40d01',
  'RoleManagement.ReadWrite.Directory': '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8',
} as const;
type Perm = keyof typeof ROLE_IDS;

function grant(at: number, perm: Perm, o: { app?: App; by?: By; byIdOnly?: boolean; result?: 'success' | 'failure' } = {}): CaseAudit {
  return appRoleAssignment(at, o.app ?? APP, {
    by: o.by ?? ADMIN,
    id: ROLE_IDS[perm],
    resource: perm.startsWith('Exchange.') || perm === 'full_access_as_app' ? EXO : GRAPH,
    ...(o.byIdOnly ? {} : { value: perm }),
    ...(o.result ? { result: o.result } : {}),
  });
}

/** "Remove app role assignment from service principal": the same properties on the old side. */
function revoke(at: number, perm: Perm): CaseAudit {
  const g = grant(at, perm);
  return {
    ...g,
    activity: 'Remove app role assignment from service principal',
    operationType: 'Unassign',
    targets: g.targets.map((t) => ({ ...t, modified: t.modified?.map(([n, , v]) => [n, v, null] as [string, string | null, string | null]) })),
  };
}

export const cases: RuleCase[] = [
  {
    name: 'Exchange.ManageAsApp granted by an admin (Graph)',
    kind: 'positive',
    why: 'the 2022 campaign permission: app-only Exchange admin, critical',
    input: auditFile('graph', 'grant', [grant(BASE, 'Exchange.ManageAsApp')]),
    expect: { alerts: 1, severity: 'critical', key: key(APP, 'Exchange.ManageAsApp'), facts: { permissions: ['Exchange.ManageAsApp'], grantedBy: ADMIN.user, resource: 'Office 365 Exchange Online' } },
  },
  {
    name: 'full_access_as_app granted (UAL "Add app role assignment to service principal.")',
    kind: 'positive',
    why: 'every mailbox over EWS: high',
    input: auditFile('ual', 'grant', [grant(BASE, 'full_access_as_app')]),
    expect: { alerts: 1, severity: 'high', key: key(APP, 'full_access_as_app'), facts: { permissionKinds: ['mailbox'] } },
  },
  {
    name: 'RoleManagement.ReadWrite.Directory named only by its app role id (diagnostic export)',
    kind: 'positive',
    why: 'no AppRole.Value in the record: the id 9e3f62cf-… resolves through the shared table',
    input: auditFile('diag', 'grant', [grant(BASE, 'RoleManagement.ReadWrite.Directory', { byIdOnly: true })]),
    expect: { alerts: 1, severity: 'critical', key: key(APP, 'RoleManagement.ReadWrite.Directory'), facts: { permissions: ['RoleManagement.ReadWrite.Directory'], appRoleId: ROLE_IDS['RoleManagement.ReadWrite.Directory'] } },
  },
  {
    name: 'Exchange.ManageAsAppV2 by id only (UAL)',
    kind: 'positive',
    why: 'the newer id of the same right is in the posture table, not the decoder table; it still resolves',
    input: auditFile('ual', 'grant', [grant(BASE, 'Exchange.ManageAsAppV2', { byIdOnly: true })]),
    expect: { alerts: 1, severity: 'critical', key: key(APP, 'Exchange.ManageAsAppV2') },
  },
  {
    name: 'an app grants Mail.Send to another app (Graph)',
    kind: 'positive',
    why: 'Mail.Send alone is high; granted by an app (AppRoleAssignment.ReadWrite.All at work) it is critical',
    input: auditFile('graph', 'grant', [grant(BASE, 'Mail.Send', { by: { app: PROVISIONER } })]),
    expect: { alerts: 1, severity: 'critical', key: key(APP, 'Mail.Send'), facts: { actorKind: 'app', grantedBy: PROVISIONER.id } },
  },
  {
    name: 'one grant exported by Graph and by the UAL, plus a second permission',
    kind: 'positive',
    why: 'the two copies of the Exchange.ManageAsApp grant fold into one alert; Mail.Send is its own alert',
    input: [
      auditFile('diag', 'grant', [grant(BASE, 'Exchange.ManageAsApp'), grant(BASE + MINUTES, 'Mail.Send')]),
      auditFile('ual', 'grant', [grant(BASE, 'Exchange.ManageAsApp')]),
    ],
    expect: { alerts: 2 },
  },
  {
    name: 'Mail.Read application permission',
    kind: 'lookalike',
    why: 'read-only mail is not in the list (TW-APP-005/006 cover delegated mail scopes)',
    input: auditFile('graph', 'grant', [grant(BASE, 'Mail.Read')]),
    expect: { alerts: 0 },
  },
  {
    name: 'Mail.Read by id only',
    kind: 'lookalike',
    why: 'the id resolves to Mail.Read, which is not in the list',
    input: auditFile('ual', 'grant', [grant(BASE, 'Mail.Read', { byIdOnly: true })]),
    expect: { alerts: 0 },
  },
  {
    name: 'the grant failed',
    kind: 'negative',
    why: 'only successful grants count',
    input: auditFile('graph', 'grant', [grant(BASE, 'Exchange.ManageAsApp', { result: 'failure' })]),
    expect: { alerts: 0 },
  },
  {
    name: 'Exchange.ManageAsApp removed',
    kind: 'lookalike',
    why: 'a removal is clean-up, not a grant',
    input: auditFile('graph', 'revoke', [revoke(BASE, 'Exchange.ManageAsApp')]),
    expect: { alerts: 0 },
  },
  {
    name: 'user consents to delegated Mail.Send',
    kind: 'lookalike',
    why: 'a delegated scope is not an application permission',
    input: auditFile('graph', 'consent', [consent(BASE, APP, { by: ADMIN, scopes: ['Mail.Send', 'User.Read'], admin: false })]),
    expect: { alerts: 0 },
  },
  {
    name: "tenantwatch's collector app granted full_access_as_app",
    kind: 'lookalike',
    why: 'allowlists.collectorAppId',
    input: auditFile('ual', 'grant', [grant(BASE, 'full_access_as_app')]),
    config: `allowlists:\n  collectorAppId: ${APP.id}\n`,
    expect: { alerts: 0 },
  },
];
