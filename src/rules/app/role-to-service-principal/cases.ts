// Cases for TW-APP-007: "Add member to role" with a ServicePrincipal target (Graph, diagnostic, UAL "Add member to
// role."), plus the Exchange.ManageAsApp grant that makes Exchange Administrator on an app critical.
import { BASE, DAYS, MINUTES, auditFile, type CaseAudit } from '../audit-records.js';
import { EXO, ROLES_USED, addServicePrincipal, appRoleAssignment, roleAssignment, roleRemoval, spObjectId } from '../changes.js';
import type { RuleCase } from '../../types.js';

const ADMIN = { user: 'it-admin@contoso.com', ip: '203.0.113.50' };
const APP = { id: 'a3f0c2d1-7b6e-4c5d-9e8f-0a1b2c3d4e5f', name: 'Mail Sync Helper' };
const REPORTS = { id: 'e5f6a7b8-9c0d-4e1f-8a2b-3c4d5e6f7a8b', name: 'Contoso Reporting' };
const PROVISIONER = { id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', name: 'Tenant Provisioner' };
const SP = spObjectId(APP);

const manageAsApp = (at: number): CaseAudit =>
  appRoleAssignment(at, APP, { by: ADMIN, value: 'Exchange.ManageAsApp', id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', resource: EXO });

/** The UAL's legacy role name with no template id in the record. */
function companyAdministrator(at: number): CaseAudit {
  const c = roleAssignment(at, { app: APP }, { name: 'Company Administrator', templateId: 'x' }, ADMIN);
  c.targets[0]!.modified = c.targets[0]!.modified!.filter(([n]) => n !== 'Role.TemplateId' && n !== 'Role.ObjectID');
  return c;
}

export const cases: RuleCase[] = [
  {
    name: 'Global Administrator assigned to an app (Graph)',
    kind: 'positive',
    why: 'the role that owns the tenant, on a service principal: critical',
    input: auditFile('graph', 'role', [roleAssignment(BASE, { app: APP }, ROLES_USED.globalAdmin, ADMIN)]),
    expect: { alerts: 1, severity: 'critical', key: SP, facts: { role: 'Global Administrator', roleTemplateId: ROLES_USED.globalAdmin.templateId, assignedBy: ADMIN.user } },
  },
  {
    name: 'Exchange.ManageAsApp, then Exchange Administrator on the same app (UAL)',
    kind: 'positive',
    why: 'the 2022 enabling pair on one service principal: critical',
    input: auditFile('ual', 'chain', [manageAsApp(BASE), roleAssignment(BASE + 3 * MINUTES, { app: APP }, ROLES_USED.exchangeAdmin, ADMIN)]),
    expect: { alerts: 1, severity: 'critical', key: SP, facts: { role: 'Exchange Administrator', permissionsHeld: ['Exchange.ManageAsApp'] } },
  },
  {
    name: 'Exchange Administrator on an app without Exchange.ManageAsApp (diagnostic export)',
    kind: 'positive',
    why: 'a tier-0 role on an app: high',
    input: auditFile('diag', 'role', [roleAssignment(BASE, { app: APP }, ROLES_USED.exchangeAdmin, ADMIN)]),
    expect: { alerts: 1, severity: 'high', key: SP, facts: { tier0: true, permissionsHeld: [] } },
  },
  {
    name: 'Exchange.ManageAsApp granted 31 days before Exchange Administrator (Graph)',
    kind: 'positive',
    why: 'the grant fell out of the 30-day history: high, not critical',
    input: auditFile('graph', 'chain', [manageAsApp(BASE), roleAssignment(BASE + 31 * DAYS, { app: APP }, ROLES_USED.exchangeAdmin, ADMIN)]),
    expect: { alerts: 1, severity: 'high', key: SP, facts: { permissionsHeld: [] } },
  },
  {
    name: 'an app makes another app Cloud Application Administrator (Graph)',
    kind: 'positive',
    why: 'tier-0 (high) assigned by an app: critical',
    input: auditFile('graph', 'role', [roleAssignment(BASE, { app: APP }, ROLES_USED.cloudAppAdmin, { app: PROVISIONER })]),
    expect: { alerts: 1, severity: 'critical', key: SP, facts: { actorKind: 'app' } },
  },
  {
    name: 'UAL legacy name "Company Administrator" without a template id',
    kind: 'positive',
    why: 'the name alone resolves to Global Administrator',
    input: auditFile('ual', 'role', [companyAdministrator(BASE)]),
    expect: { alerts: 1, severity: 'critical', key: SP, facts: { roleTemplateId: ROLES_USED.globalAdmin.templateId } },
  },
  {
    name: 'Directory Readers for a reporting app: low',
    kind: 'positive',
    why: 'a read role on an app is common and rated low',
    input: auditFile('diag', 'role', [roleAssignment(BASE, { app: REPORTS }, ROLES_USED.directoryReaders, ADMIN)]),
    expect: { alerts: 1, severity: 'low', key: spObjectId(REPORTS) },
  },
  {
    name: 'Global Administrator assigned to a user',
    kind: 'lookalike',
    why: 'a user, not a service principal (role-to-user rules cover it)',
    input: auditFile('graph', 'role', [roleAssignment(BASE, { user: 'megan.bowen@contoso.com' }, ROLES_USED.globalAdmin, ADMIN)]),
    expect: { alerts: 0 },
  },
  {
    name: 'Global Administrator removed from an app',
    kind: 'negative',
    why: 'clean-up, not an assignment',
    input: auditFile('ual', 'role', [roleRemoval(BASE, APP, ROLES_USED.globalAdmin, ADMIN)]),
    expect: { alerts: 0 },
  },
  {
    name: 'the assignment failed',
    kind: 'negative',
    why: 'only successful assignments count',
    input: auditFile('graph', 'role', [{ ...roleAssignment(BASE, { app: APP }, ROLES_USED.globalAdmin, ADMIN), result: 'failure' }]),
    expect: { alerts: 0 },
  },
  {
    name: "tenantwatch's collector app given Global Reader (Graph: appId learned from its creation)",
    kind: 'lookalike',
    why: 'the Graph role record has no appId; the service principal creation in the same input names it',
    input: auditFile('graph', 'collector', [addServicePrincipal(BASE, APP, ADMIN), roleAssignment(BASE + MINUTES, { app: APP }, { name: 'Global Reader', templateId: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451' }, ADMIN)]),
    config: `allowlists:\n  collectorAppId: ${APP.id}\n`,
    expect: { alerts: 0 },
  },
];
