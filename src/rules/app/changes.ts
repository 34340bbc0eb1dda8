// The directory changes the app and domain rule cases are made of, described once (CaseAudit) and written out in
// every export shape by audit-records.ts. Property names and value spellings follow the Entra audit activity
// reference and the samples listed in docs/formats/app-rules.md.
import { guid, q, type CaseAudit, type CaseTarget } from './audit-records.js';

export interface App {
  id: string; // appId
  name: string;
}
export type By = { user: string; ip: string } | { app: App };

export const appObjectId = (app: App): string => guid(`appobj|${app.id}`);
export const spObjectId = (app: App): string => guid(`sp|${app.id}`);

export const GRAPH = { spId: guid('sp|graph'), appId: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' };
export const EXO = { spId: guid('sp|exo'), appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' };

export function addApplication(at: number, app: App, by: By): CaseAudit {
  return {
    at,
    activity: 'Add application',
    operationType: 'Add',
    by,
    appId: app.id,
    targets: [
      {
        type: 'Application', id: appObjectId(app), displayName: app.name, appId: app.id,
        modified: [
          ['AppId', null, JSON.stringify([app.id])],
          ['AvailableToOtherTenants', null, '[false]'],
          ['DisplayName', null, JSON.stringify([app.name])],
          ['Included Updated Properties', null, q('AppId, AvailableToOtherTenants, DisplayName')],
        ],
      },
    ],
  };
}

export function addServicePrincipal(at: number, app: App, by: By): CaseAudit {
  return {
    at,
    activity: 'Add service principal',
    operationType: 'Add',
    by,
    appId: app.id,
    targets: [
      {
        type: 'ServicePrincipal', id: spObjectId(app), displayName: app.name, appId: app.id,
        modified: [
          ['AccountEnabled', null, '[true]'],
          ['AppPrincipalId', null, JSON.stringify([app.id])],
          ['DisplayName', null, JSON.stringify([app.name])],
          ['ServicePrincipalName', null, JSON.stringify([app.id])],
          ['Included Updated Properties', null, q('AccountEnabled, AppPrincipalId, DisplayName, ServicePrincipalName')],
        ],
      },
    ],
  };
}

export type KeyType = 'Password' | 'AsymmetricX509Cert';
export interface Key {
  id: string;
  type: KeyType;
  name?: string;
}
export const key = (label: string, type: KeyType = 'Password', name = ''): Key => ({ id: guid(`key|${label}`), type, name });
const keyText = (k: Key): string => `[KeyIdentifier=${k.id},KeyType=${k.type},KeyUsage=Verify,DisplayName=${k.name ?? ''}]`;

export interface CredentialOpts {
  by: By;
  /** credentials the object already had (Entra lists them on both sides) */
  existing?: Key[];
  /** credentials removed in the same change */
  removed?: Key[];
  result?: 'success' | 'failure';
}

/** "Update application – Certificates and secrets management " (en dash and trailing space, as Entra writes it). */
export function appCredential(at: number, app: App, added: Key, o: CredentialOpts): CaseAudit {
  const before = [...(o.existing ?? []), ...(o.removed ?? [])];
  const after = [...(o.existing ?? []), added];
  return {
    at,
    activity: 'Update application \u2013 Certificates and secrets management ',
    by: o.by,
    appId: app.id,
    result: o.result,
    targets: [
      {
        type: 'Application', id: appObjectId(app), displayName: app.name, appId: app.id,
        modified: [
          ['KeyDescription', JSON.stringify(before.map(keyText)), JSON.stringify(after.map(keyText))],
          ['Included Updated Properties', null, q('KeyDescription')],
        ],
      },
    ],
  };
}

/** "Add service principal credentials" on the app's service principal. */
export function spCredential(at: number, app: App, added: Key, o: CredentialOpts): CaseAudit {
  const before = o.existing ?? [];
  return {
    at,
    activity: 'Add service principal credentials',
    by: o.by,
    appId: app.id,
    result: o.result,
    targets: [
      {
        type: 'ServicePrincipal', id: spObjectId(app), displayName: app.name, appId: app.id,
        modified: [
          ['KeyDescription', JSON.stringify(before.map(keyText)), JSON.stringify([...before, added].map(keyText))],
          ['Included Updated Properties', null, q('KeyDescription')],
        ],
      },
    ],
  };
}

export interface AppRoleOpts {
  by: By;
  value?: string; // AppRole.Value; absent to test matching by id alone
  id: string; // AppRole.Id
  resource?: { spId: string; appId: string; name: string };
  result?: 'success' | 'failure';
}

/** "Add app role assignment to service principal": the resource SP first, the grantee named in ServicePrincipal.*. */
export function appRoleAssignment(at: number, app: App, o: AppRoleOpts): CaseAudit {
  const res = o.resource ?? (o.value?.startsWith('Exchange') || o.value === 'full_access_as_app' ? EXO : GRAPH);
  const modified: CaseTarget['modified'] = [['AppRole.Id', null, q(o.id)]];
  if (o.value) modified.push(['AppRole.Value', null, q(o.value)]);
  modified.push(
    ['ServicePrincipal.ObjectID', null, q(spObjectId(app))],
    ['ServicePrincipal.DisplayName', null, q(app.name)],
    ['ServicePrincipal.AppId', null, q(app.id)],
    ['ServicePrincipal.Name', null, q(app.id)],
    ['TargetId.ServicePrincipalNames', null, q(`${res.appId};${res.name}`)],
  );
  return {
    at,
    activity: 'Add app role assignment to service principal',
    operationType: 'Assign',
    by: o.by,
    appId: app.id,
    result: o.result,
    targets: [
      { type: 'ServicePrincipal', id: res.spId, displayName: res.name, appId: res.appId, modified },
      { type: 'ServicePrincipal', id: spObjectId(app), displayName: app.id },
    ],
    ualTargets: [0],
  };
}

export interface ConsentOpts {
  by: By;
  scopes: string[];
  admin: boolean;
  /** ConsentContext.OnBehalfOfAll and ConsentType AllPrincipals (default: same as admin) */
  allPrincipals?: boolean;
  appOnly?: boolean;
  result?: 'success' | 'failure';
}

/** "Consent to application": the grant text Entra writes into ConsentAction.Permissions. */
export function consent(at: number, app: App, o: ConsentOpts): CaseAudit {
  const all = o.allPrincipals ?? o.admin;
  const principal = all ? '' : 'user' in o.by ? guid(`user|${o.by.user}`) : '';
  const grant =
    `[] => [[Id: ${guid('grant|' + app.id + at)}, ClientId: ${spObjectId(app)}, PrincipalId: ${principal}, ` +
    `ResourceId: ${GRAPH.spId}, ConsentType: ${all ? 'AllPrincipals' : 'Principal'}, Scope:  ${o.scopes.join(' ')}, ` +
    'CreatedDateTime: , LastModifiedDateTime ]]; ';
  return {
    at,
    activity: 'Consent to application',
    operationType: 'Assign',
    by: o.by,
    appId: app.id,
    result: o.result,
    targets: [
      {
        type: 'ServicePrincipal', id: spObjectId(app), displayName: app.name, appId: app.id,
        modified: [
          ['ConsentContext.IsAdminConsent', null, q(o.admin ? 'True' : 'False')],
          ['ConsentContext.IsAppOnly', null, q(o.appOnly ? 'True' : 'False')],
          ['ConsentContext.OnBehalfOfAll', null, q(all ? 'True' : 'False')],
          ['ConsentContext.Tags', null, q('WindowsAzureActiveDirectoryIntegratedApp')],
          ['ConsentAction.Permissions', null, q(grant)],
          ['TargetId.ServicePrincipalNames', null, q(app.id)],
        ],
      },
    ],
  };
}

/** "Add delegated permission grant" (an oauth2PermissionGrant written directly, e.g. by Graph or PowerShell). */
export function delegatedGrant(at: number, app: App, scopes: string[], consentType: 'AllPrincipals' | 'Principal', by: By): CaseAudit {
  return {
    at,
    activity: 'Add delegated permission grant',
    operationType: 'Assign',
    by,
    appId: app.id,
    targets: [
      {
        type: 'ServicePrincipal', id: GRAPH.spId, displayName: GRAPH.name, appId: GRAPH.appId,
        modified: [
          ['DelegatedPermissionGrant.Scope', null, q(` ${scopes.join(' ')}`)],
          ['DelegatedPermissionGrant.ConsentType', null, q(consentType)],
          ['ServicePrincipal.ObjectID', null, q(spObjectId(app))],
          ['ServicePrincipal.DisplayName', null, q(app.name)],
          ['ServicePrincipal.AppId', null, q(app.id)],
          ['TargetId.ServicePrincipalNames', null, q(`${GRAPH.appId};https://graph.microsoft.com`)],
        ],
      },
      { type: 'ServicePrincipal', id: spObjectId(app), displayName: app.id },
    ],
    ualTargets: [0],
  };
}

export interface Role {
  name: string;
  templateId: string;
  wellKnown?: string;
}
export const ROLES_USED = {
  globalAdmin: { name: 'Global Administrator', templateId: '62e90394-69f5-4237-9190-012177145e10', wellKnown: 'TenantAdmins' },
  exchangeAdmin: { name: 'Exchange Administrator', templateId: '29232cdf-9323-42fd-ade2-1d097af3e4de', wellKnown: 'ExchangeServiceAdmins' },
  privilegedRoleAdmin: { name: 'Privileged Role Administrator', templateId: 'e8611ab8-c189-46e8-94e1-60213ab1f814' },
  appAdmin: { name: 'Application Administrator', templateId: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3' },
  cloudAppAdmin: { name: 'Cloud Application Administrator', templateId: '158c047a-c907-4556-b7ef-446551a6b5f7' },
  directoryReaders: { name: 'Directory Readers', templateId: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', wellKnown: 'DirectoryReaders' },
} satisfies Record<string, Role>;

export type Member = { app: App } | { user: string };

/** "Add member to role" (or a PIM / scoped variant by activity name) for a service principal or a user. */
export function roleAssignment(at: number, member: Member, role: Role, by: By, activity = 'Add member to role'): CaseAudit {
  const modified: CaseTarget['modified'] = [
    ['Role.ObjectID', null, q(guid(`roleobj|${role.templateId}`))],
    ['Role.DisplayName', null, q(role.name)],
    ['Role.TemplateId', null, q(role.templateId)],
  ];
  if (role.wellKnown) modified.push(['Role.WellKnownObjectName', null, q(role.wellKnown)]);
  const target: CaseTarget =
    'app' in member
      ? { type: 'ServicePrincipal', id: spObjectId(member.app), displayName: member.app.name, appId: member.app.id, modified }
      : { type: 'User', id: guid(`user|${member.user}`), displayName: member.user, upn: member.user, modified };
  return { at, activity, category: 'RoleManagement', operationType: 'Assign', by, targets: [target] };
}

/** "Remove member from role": the role is on the old side. */
export function roleRemoval(at: number, app: App, role: Role, by: By): CaseAudit {
  return {
    at,
    activity: 'Remove member from role',
    category: 'RoleManagement',
    operationType: 'Unassign',
    by,
    targets: [
      {
        type: 'ServicePrincipal', id: spObjectId(app), displayName: app.name, appId: app.id,
        modified: [
          ['Role.ObjectID', q(guid(`roleobj|${role.templateId}`)), null],
          ['Role.DisplayName', q(role.name), null],
          ['Role.TemplateId', q(role.templateId), null],
        ],
      },
    ],
  };
}

export type Owner = { user: string } | { app: App };

/** "Add owner to application" / "Add owner to service principal": the new owner first, the object named in its properties. */
export function ownerAdded(at: number, app: App, owner: Owner, by: By, on: 'application' | 'servicePrincipal' = 'application'): CaseAudit {
  const kind = on === 'application' ? 'Application' : 'ServicePrincipal';
  const objectId = on === 'application' ? appObjectId(app) : spObjectId(app);
  const modified: CaseTarget['modified'] = [
    [`${kind}.ObjectID`, null, q(objectId)],
    [`${kind}.DisplayName`, null, q(app.name)],
    [`${kind}.AppId`, null, q(app.id)],
  ];
  const ownerTarget: CaseTarget =
    'user' in owner
      ? { type: 'User', id: guid(`user|${owner.user}`), displayName: owner.user, upn: owner.user, modified }
      : { type: 'ServicePrincipal', id: spObjectId(owner.app), displayName: owner.app.name, appId: owner.app.id, modified };
  return {
    at,
    activity: `Add owner to ${on === 'application' ? 'application' : 'service principal'}`,
    operationType: 'Assign',
    by,
    targets: [ownerTarget, { type: kind, id: objectId, displayName: app.name, appId: app.id }],
  };
}

// --- domains ------------------------------------------------------------------------------------------------

const domainTarget = (domain: string, modified?: CaseTarget['modified']): CaseTarget => ({ type: 'Other', id: '', displayName: domain, modified });

export function domainAdded(at: number, domain: string, by: By, verified = false): CaseAudit {
  return {
    at,
    activity: verified ? 'Add verified domain' : 'Add unverified domain',
    category: 'DirectoryManagement',
    operationType: 'Add',
    by,
    targets: [domainTarget(domain)],
  };
}

export function domainVerified(at: number, domain: string, by: By): CaseAudit {
  return { at, activity: 'Verify domain', category: 'DirectoryManagement', operationType: 'Update', by, targets: [domainTarget(domain)] };
}

/** "Set domain authentication": LiveType old -> new (Managed / Federated). */
export function domainAuthentication(at: number, domain: string, from: 'Managed' | 'Federated', to: 'Managed' | 'Federated', by: By): CaseAudit {
  return {
    at,
    activity: 'Set domain authentication',
    category: 'DirectoryManagement',
    operationType: 'Update',
    by,
    targets: [domainTarget(domain, [['LiveType', JSON.stringify([from]), JSON.stringify([to])]])],
  };
}

/** "Set federation settings on domain": issuer / signing certificate of a federated domain replaced. */
export function federationSettings(at: number, domain: string, by: By, issuer = `http://sts.${domain}/adfs/services/trust`): CaseAudit {
  return {
    at,
    activity: 'Set federation settings on domain',
    category: 'DirectoryManagement',
    operationType: 'Update',
    by,
    targets: [
      domainTarget(domain, [
        ['IssuerUri', null, JSON.stringify([issuer])],
        ['Included Updated Properties', null, q('IssuerUri, SigningCertificate')],
      ]),
    ],
  };
}

/** "Update domain" as the UAL often writes it: no modified properties at all. */
export function domainUpdated(at: number, domain: string, by: By): CaseAudit {
  return { at, activity: 'Update domain', category: 'DirectoryManagement', operationType: 'Update', by, targets: [domainTarget(domain)] };
}
