// Directory-change intents (Entra audit + its UAL copy) for the activities the scenarios and the benign background
// need. modifiedProperties follow the real records: app-role assignment and role membership values are JSON strings
// ('"Exchange.ManageAsApp"'), application/SP properties are JSON arrays ('["value"]'), consent values are strings
// (SEKOIA app_role.json, add_service_principal_failure.json, Office_365 ad_2.json / add_member_to_role.json).
import type { AppActor, AuditIntent, AuditTarget, Decoy, Label, ModProp, UserRef } from '../model.js';
import type { Rng } from '../rng.js';
import type { World } from '../world/build.js';
import { type AppRoleDef, ROLES, type RoleKey } from '../world/catalog.js';

export interface Initiator {
  user?: UserRef & { ip?: string };
  app?: AppActor;
  userAgent?: string;
}

export interface AuditOpts {
  label?: Label;
  decoy?: Decoy;
  correlationId?: string;
}

const UA_PORTAL = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0';

function base(
  world: World,
  r: Rng,
  at: number,
  by: Initiator,
  activity: string,
  category: string,
  operationType: string,
  targets: AuditTarget[],
  ualCategory: string,
  appId: string | undefined,
  opts: AuditOpts,
  service = 'Core Directory',
): AuditIntent {
  const correlationId = opts.correlationId ?? r.uuid();
  const prefix = service === 'Core Directory' ? 'Directory' : service === 'Authentication Methods' ? 'UserManagement' : 'SSPR';
  const additional: { key: string; value: string }[] = [];
  if (by.user || by.userAgent) additional.push({ key: 'User-Agent', value: by.userAgent ?? UA_PORTAL });
  if (appId) additional.push({ key: 'AppId', value: appId });
  const a: AuditIntent = {
    kind: 'audit',
    id: `${prefix}_${correlationId}_${r.alnum(5)}_${r.digits(9)}`,
    ualId: r.uuid(),
    time: Math.floor(at),
    sub: r.int(0, 9999),
    tenantId: world.tenant.id,
    activity,
    category,
    service,
    operationType,
    result: 'success',
    correlationId,
    by: {},
    targets,
    additional,
    ualCategory,
  };
  if (by.user) a.by.user = by.user;
  if (by.app) a.by.app = by.app;
  if (opts.label) a.label = opts.label;
  if (opts.decoy) a.decoy = opts.decoy;
  return a;
}

const arr = (name: string, v: unknown, old?: unknown): ModProp => ({ name, new: v, old, style: 'array' });
const str = (name: string, v: unknown, old?: unknown): ModProp => ({ name, new: v, old, style: 'string' });
const included = (names: string[]): ModProp => str('Included Updated Properties', names.join(', '));

export interface AppIdentity {
  name: string;
  appId: string;
  objectId: string;
  spId: string;
  audience?: 'AzureADMyOrg' | 'AzureADMultipleOrgs';
  replyUrl?: string;
  publisherDomain?: string;
}

export function addApplication(world: World, r: Rng, at: number, by: Initiator, app: AppIdentity, opts: AuditOpts = {}): AuditIntent {
  const mods: ModProp[] = [
    arr('AppId', app.appId, []),
    arr('AvailableToOtherTenants', app.audience === 'AzureADMultipleOrgs', []),
    arr('DisplayName', app.name, []),
    arr('PublicClient', false, []),
    arr('SignInAudience', app.audience ?? 'AzureADMyOrg', []),
  ];
  if (app.replyUrl) mods.unshift(arr('AppAddress', { AddressType: 0, Address: app.replyUrl, ReplyAddressClientType: 1, ReplyAddressIndex: null, IsReplyAddressDefault: false }, []));
  if (app.publisherDomain) mods.push(arr('PublisherDomain', app.publisherDomain, []));
  mods.push(included(mods.map((m) => m.name)));
  return base(world, r, at, by, 'Add application', 'ApplicationManagement', 'Add', [{ id: app.objectId, displayName: app.name, type: 'Application', modified: mods }], 'Application', app.appId, opts);
}

export function addServicePrincipal(world: World, r: Rng, at: number, by: Initiator, app: AppIdentity, opts: AuditOpts = {}): AuditIntent {
  const mods: ModProp[] = [
    arr('AccountEnabled', true, []),
    arr('AppPrincipalId', app.appId, []),
    arr('DisplayName', app.name, []),
    arr('ServicePrincipalName', app.appId, []),
  ];
  mods.push(included(mods.map((m) => m.name)));
  mods.push(str('TargetId.ServicePrincipalNames', app.appId));
  return base(world, r, at, by, 'Add service principal', 'ApplicationManagement', 'Add', [{ id: app.spId, displayName: app.name, type: 'ServicePrincipal', modified: mods }], 'ServicePrincipal', app.appId, opts);
}

/** "Update application" adding API permissions to the registration (RequiredResourceAccess). */
export function updateRequiredAccess(world: World, r: Rng, at: number, by: Initiator, app: AppIdentity, roles: AppRoleDef[], scopes: { resourceAppId: string; ids: string[] }[] = [], opts: AuditOpts = {}): AuditIntent {
  const byRes = new Map<string, { EntitlementId: string; DirectAccessGrant: boolean; ImpersonationAccessGrants: number[] }[]>();
  for (const role of roles) {
    const list = byRes.get(role.resource.id) ?? [];
    list.push({ EntitlementId: role.id, DirectAccessGrant: true, ImpersonationAccessGrants: [] });
    byRes.set(role.resource.id, list);
  }
  for (const s of scopes) {
    const list = byRes.get(s.resourceAppId) ?? [];
    for (const id of s.ids) list.push({ EntitlementId: id, DirectAccessGrant: false, ImpersonationAccessGrants: [20, 1] });
    byRes.set(s.resourceAppId, list);
  }
  const rra = [...byRes.entries()].map(([ResourceAppId, RequiredAppPermissions]) => ({ RequiredAppPermissions, EncodingVersion: 1, ResourceAppId }));
  const mods = [{ name: 'RequiredResourceAccess', new: rra, old: [], style: 'array' as const }, included(['RequiredResourceAccess'])];
  return base(world, r, at, by, 'Update application', 'ApplicationManagement', 'Update', [{ id: app.objectId, displayName: app.name, type: 'Application', modified: mods }], 'Application', app.appId, opts);
}

/** "Add app role assignment to service principal": target[0] is the resource SP, the grantee is in the values. */
export function appRoleAssignment(world: World, r: Rng, at: number, by: Initiator, grantee: AppIdentity, role: AppRoleDef, opts: AuditOpts = {}): AuditIntent {
  const resourceSpId = role.resource.id === '00000002-0000-0ff1-ce00-000000000000' ? world.tenant.exchangeSpId : world.tenant.graphSpId;
  const created = new Date(at).toISOString().replace(/\.(\d{3})Z$/, '.$1' + r.digits(4) + 'Z');
  const mods: ModProp[] = [
    str('AppRole.Id', role.id),
    str('AppRole.Value', role.value),
    str('AppRole.DisplayName', role.displayName),
    str('AppRoleAssignment.CreatedDateTime', created),
    str('AppRoleAssignment.LastModifiedDateTime', created),
    str('ServicePrincipal.ObjectID', grantee.spId),
    str('ServicePrincipal.DisplayName', grantee.name),
    str('ServicePrincipal.AppId', grantee.appId),
    str('ServicePrincipal.Name', grantee.appId),
    str('TargetId.ServicePrincipalNames', role.resource.id === '00000002-0000-0ff1-ce00-000000000000' ? 'https://outlook.office365.com/;Office 365 Exchange Online;Microsoft.Exchange' : 'https://graph.microsoft.com;00000003-0000-0000-c000-000000000000'),
  ];
  const targets: AuditTarget[] = [
    { id: resourceSpId, displayName: role.resource.name, type: 'ServicePrincipal', modified: mods },
    { id: grantee.spId, displayName: grantee.appId, type: 'ServicePrincipal', modified: [] },
  ];
  return base(world, r, at, by, 'Add app role assignment to service principal', 'ApplicationManagement', 'Assign', targets, 'ServicePrincipal', grantee.appId, opts);
}

export interface ConsentSpec {
  admin: boolean;
  appOnly: boolean;
  /** delegated scopes granted ("Mail.Read offline_access") */
  scope?: string;
  resourceSpId?: string;
  principalId?: string; // the consenting user for user consent
}

export function consentToApplication(world: World, r: Rng, at: number, by: Initiator, app: AppIdentity, c: ConsentSpec, opts: AuditOpts = {}): AuditIntent {
  const grant = c.scope
    ? `[] => [[Id: ${r.b64url(32)}, ClientId: ${app.spId}, PrincipalId: ${c.admin ? '' : c.principalId ?? ''}, ResourceId: ${c.resourceSpId ?? world.tenant.graphSpId}, ConsentType: ${c.admin ? 'AllPrincipals' : 'Principal'}, Scope:  ${c.scope}, CreatedDateTime: , LastModifiedDateTime ]]; `
    : '[] => []; ';
  const mods: ModProp[] = [
    str('ConsentContext.IsAdminConsent', c.admin ? 'True' : 'False'),
    str('ConsentContext.IsAppOnly', c.appOnly ? 'True' : 'False'),
    str('ConsentContext.OnBehalfOfAll', c.admin ? 'True' : 'False'),
    str('ConsentContext.Tags', 'WindowsAzureActiveDirectoryIntegratedApp'),
    str('ConsentAction.Permissions', grant),
    str('TargetId.ServicePrincipalNames', app.appId),
  ];
  return base(world, r, at, by, 'Consent to application', 'ApplicationManagement', 'Assign', [{ id: app.spId, displayName: app.name, type: 'ServicePrincipal', modified: mods }], 'ServicePrincipal', app.appId, opts);
}

export function addDelegatedGrant(world: World, r: Rng, at: number, by: Initiator, app: AppIdentity, scope: string, consentType: 'AllPrincipals' | 'Principal', opts: AuditOpts = {}): AuditIntent {
  const mods: ModProp[] = [
    str('DelegatedPermissionGrant.Scope', ` ${scope}`),
    str('DelegatedPermissionGrant.ConsentType', consentType),
    str('ServicePrincipal.ObjectID', app.spId),
    str('ServicePrincipal.DisplayName', app.name),
    str('ServicePrincipal.AppId', app.appId),
    str('ServicePrincipal.Name', app.appId),
  ];
  const targets: AuditTarget[] = [
    { id: world.tenant.graphSpId, displayName: 'Microsoft Graph', type: 'ServicePrincipal', modified: mods },
    { id: app.spId, displayName: app.name, type: 'ServicePrincipal', modified: [] },
  ];
  return base(world, r, at, by, 'Add delegated permission grant', 'ApplicationManagement', 'Assign', targets, 'ServicePrincipal', app.appId, opts);
}

export function addMemberToRole(world: World, r: Rng, at: number, by: Initiator, member: { id: string; name: string; upn?: string; type: 'User' | 'ServicePrincipal'; appId?: string }, roleKey: RoleKey, opts: AuditOpts = {}): AuditIntent {
  const role = ROLES[roleKey];
  const mods: ModProp[] = [
    str('Role.ObjectID', roleObjectId(world, roleKey)),
    str('Role.DisplayName', role.name),
    str('Role.TemplateId', role.id),
    str('Role.WellKnownObjectName', role.wellKnown),
  ];
  const t: AuditTarget = { id: member.id, displayName: member.type === 'User' ? null : member.name, type: member.type, modified: mods };
  if (member.upn) t.upn = member.upn;
  return base(world, r, at, by, 'Add member to role', 'RoleManagement', 'Assign', [t], 'Role', member.appId, opts);
}

/** The tenant's role object id for a template (stable per tenant). */
export function roleObjectId(world: World, roleKey: RoleKey): string {
  return world.rng.derive('role-object', roleKey).uuid();
}

export interface KeyCred {
  keyId: string;
  name: string;
}
const keyText = (k: KeyCred) => `[KeyIdentifier=${k.keyId},KeyType=Password,KeyUsage=Verify,DisplayName=${k.name}]`;

/** "Update application – Certificates and secrets management " (en dash, trailing space, as Entra writes it). */
export function appCredentials(world: World, r: Rng, at: number, by: Initiator, app: AppIdentity, before: KeyCred[], after: KeyCred[], opts: AuditOpts = {}): AuditIntent {
  const mods: ModProp[] = [
    { name: 'KeyDescription', old: before.map(keyText), new: after.map(keyText), style: 'array' },
    included(['KeyDescription']),
  ];
  return base(world, r, at, by, 'Update application \u2013 Certificates and secrets management ', 'ApplicationManagement', 'Update', [{ id: app.objectId, displayName: app.name, type: 'Application', modified: mods }], 'Application', app.appId, opts);
}

export function resetPassword(world: World, r: Rng, at: number, by: Initiator, user: UserRef, opts: AuditOpts = {}): AuditIntent {
  return base(world, r, at, by, 'Reset user password', 'UserManagement', 'Update', [{ id: user.id, displayName: null, type: 'User', upn: user.upn, modified: [] }], 'User', undefined, opts);
}

export function changePassword(world: World, r: Rng, at: number, user: UserRef & { ip?: string }, opts: AuditOpts = {}): AuditIntent {
  return base(world, r, at, { user }, 'Change user password', 'UserManagement', 'Update', [{ id: user.id, displayName: null, type: 'User', upn: user.upn, modified: [] }], 'User', undefined, opts);
}

export function registerSecurityInfo(world: World, r: Rng, at: number, user: UserRef & { ip?: string }, method: string, opts: AuditOpts = {}): AuditIntent {
  const a = base(world, r, at, { user }, 'User registered security info', 'UserManagement', 'Add', [{ id: user.id, displayName: null, type: 'User', upn: user.upn, modified: [] }], 'User', undefined, opts, 'Authentication Methods');
  a.resultReason = `User registered ${method}`;
  return a;
}

export function updateUser(world: World, r: Rng, at: number, by: Initiator, user: UserRef, changes: [string, string, string][], opts: AuditOpts = {}): AuditIntent {
  const mods: ModProp[] = changes.map(([name, oldV, newV]) => arr(name, newV, [oldV]));
  mods.push(included(changes.map((c) => c[0])));
  return base(world, r, at, by, 'Update user', 'UserManagement', 'Update', [{ id: user.id, displayName: null, type: 'User', upn: user.upn, modified: mods }], 'User', by.app?.appId, opts);
}

export function addMemberToGroup(world: World, r: Rng, at: number, by: Initiator, user: UserRef, group: { id: string; name: string }, opts: AuditOpts = {}): AuditIntent {
  const mods: ModProp[] = [str('Group.ObjectID', group.id), str('Group.DisplayName', group.name)];
  return base(world, r, at, by, 'Add member to group', 'GroupManagement', 'Add', [{ id: user.id, displayName: null, type: 'User', upn: user.upn, modified: mods }, { id: group.id, displayName: group.name, type: 'Group', modified: [] }], 'Group', undefined, opts);
}
