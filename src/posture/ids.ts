// Well-known Microsoft ids in one place. Role template ids are the same in every tenant; built-in role
// definitions in /roleManagement/directory use the template id as their id. Sources: Microsoft Entra built-in
// roles reference (permissions-reference.md) and ScubaGear's risky-permission table.

export interface RoleInfo {
  id: string; // template id
  name: string;
  /** can take over the tenant or its mail on its own: counted by B2/C5 and covered by A2/A3/B6 */
  tier0: boolean;
}

export const ROLE = {
  globalAdmin: '62e90394-69f5-4237-9190-012177145e10',
  privilegedRoleAdmin: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  privilegedAuthAdmin: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  exchangeAdmin: '29232cdf-9323-42fd-ade2-1d097af3e4de',
  sharePointAdmin: 'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
  userAdmin: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  appAdmin: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  cloudAppAdmin: '158c047a-c907-4556-b7ef-446551a6b5f7',
  hybridIdentityAdmin: '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
  securityAdmin: '194ae4cb-b126-40b2-bd5b-6091b380977d',
  conditionalAccessAdmin: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
  authenticationAdmin: 'c4e39bd9-1100-46d3-8c65-fb160da0071f',
  helpdeskAdmin: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  directorySyncAccounts: 'd29b2b05-8046-44ba-8758-1e26182fcf32',
} as const;

export const ROLES: RoleInfo[] = [
  { id: ROLE.globalAdmin, name: 'Global Administrator', tier0: true },
  { id: ROLE.privilegedRoleAdmin, name: 'Privileged Role Administrator', tier0: true },
  { id: ROLE.privilegedAuthAdmin, name: 'Privileged Authentication Administrator', tier0: true },
  { id: ROLE.exchangeAdmin, name: 'Exchange Administrator', tier0: true },
  { id: ROLE.sharePointAdmin, name: 'SharePoint Administrator', tier0: true },
  { id: ROLE.userAdmin, name: 'User Administrator', tier0: true },
  { id: ROLE.appAdmin, name: 'Application Administrator', tier0: true },
  { id: ROLE.cloudAppAdmin, name: 'Cloud Application Administrator', tier0: true },
  { id: ROLE.hybridIdentityAdmin, name: 'Hybrid Identity Administrator', tier0: true },
  { id: ROLE.securityAdmin, name: 'Security Administrator', tier0: true },
  { id: ROLE.conditionalAccessAdmin, name: 'Conditional Access Administrator', tier0: true },
  { id: ROLE.authenticationAdmin, name: 'Authentication Administrator', tier0: false },
  { id: ROLE.helpdeskAdmin, name: 'Helpdesk Administrator', tier0: false },
  { id: ROLE.globalReader, name: 'Global Reader', tier0: false },
  { id: ROLE.securityReader, name: 'Security Reader', tier0: false },
  { id: ROLE.directorySyncAccounts, name: 'Directory Synchronization Accounts', tier0: false },
];

const ROLE_BY_ID = new Map(ROLES.map((r) => [r.id, r]));
export const roleInfo = (id: string | undefined): RoleInfo | undefined => (id ? ROLE_BY_ID.get(id.toLowerCase()) : undefined);
export const isTier0 = (id: string | undefined): boolean => roleInfo(id)?.tier0 === true;
/**
 * The roles a CA policy must target to count as "all admins" (ScubaGear's highly privileged set + PRA/Security, and
 * Conditional Access Administrator, who can switch every policy off; Microsoft's "Require MFA for administrators"
 * template targets it too).
 */
export const ADMIN_ROLES_FOR_CA: string[] = [
  ROLE.globalAdmin, ROLE.privilegedRoleAdmin, ROLE.exchangeAdmin, ROLE.sharePointAdmin, ROLE.userAdmin,
  ROLE.appAdmin, ROLE.cloudAppAdmin, ROLE.hybridIdentityAdmin, ROLE.securityAdmin, ROLE.privilegedAuthAdmin,
  ROLE.conditionalAccessAdmin,
];

export const APP = {
  exchangeOnline: '00000002-0000-0ff1-ce00-000000000000',
  graph: '00000003-0000-0000-c000-000000000000',
  sharePoint: '00000003-0000-0ff1-ce00-000000000000',
} as const;

export interface AppRoleInfo {
  resourceAppId: string;
  id: string;
  value: string;
  /** 'exchange-admin' = can run Exchange cmdlets (create connectors, transport rules); 'mailbox' = reads/sends mail */
  kind: 'exchange-admin' | 'mailbox' | 'directory-write';
}

/** Application permissions (app roles) that matter for this chain; names are resolved from the resource's
 * appRoles when the snapshot has them, this table is the fallback. */
export const RISKY_APP_ROLES: AppRoleInfo[] = [
  { resourceAppId: APP.exchangeOnline, id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', value: 'Exchange.ManageAsApp', kind: 'exchange-admin' },
  { resourceAppId: APP.exchangeOnline, id: 'ea3d980d-ebc7-4be4-8298-a167e5b8797c', value: 'Exchange.ManageAsAppV2', kind: 'exchange-admin' },
  { resourceAppId: APP.exchangeOnline, id: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', value: 'full_access_as_app', kind: 'mailbox' },
  { resourceAppId: APP.graph, id: 'b633e1c5-b582-4048-a93e-9f11b44c7e96', value: 'Mail.Send', kind: 'mailbox' },
  { resourceAppId: APP.graph, id: 'e2a3a72e-5f79-4c64-b1b1-878b674786c9', value: 'Mail.ReadWrite', kind: 'mailbox' },
  { resourceAppId: APP.graph, id: '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9', value: 'Application.ReadWrite.All', kind: 'directory-write' },
  { resourceAppId: APP.graph, id: '06b708a9-e830-4db3-a914-8e69da51d44f', value: 'AppRoleAssignment.ReadWrite.All', kind: 'directory-write' },
  { resourceAppId: APP.graph, id: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8', value: 'RoleManagement.ReadWrite.Directory', kind: 'directory-write' },
];
/** Risky app role values by name (for resources whose appRoles list was collected). */
export const RISKY_APP_ROLE_VALUES: Record<string, AppRoleInfo['kind']> = {
  'Exchange.ManageAsApp': 'exchange-admin',
  'Exchange.ManageAsAppV2': 'exchange-admin',
  full_access_as_app: 'mailbox',
  'Mail.Send': 'mailbox',
  'Mail.ReadWrite': 'mailbox',
  'SMTP.SendAsApp': 'mailbox',
  'Application.ReadWrite.All': 'directory-write',
  'AppRoleAssignment.ReadWrite.All': 'directory-write',
  'RoleManagement.ReadWrite.Directory': 'directory-write',
};

/** Delegated scopes that let a tenant-wide (AllPrincipals) grant read or send everyone's mail or manage Exchange. */
export const RISKY_DELEGATED_SCOPES = [
  'Mail.Send', 'Mail.ReadWrite', 'Mail.ReadWrite.Shared', 'EWS.AccessAsUser.All', 'Exchange.Manage', 'Exchange.ManageV2',
  'SMTP.Send', 'IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'full_access_as_user', 'Directory.AccessAsUser.All',
  'Directory.ReadWrite.All', 'RoleManagement.ReadWrite.Directory', 'Application.ReadWrite.All',
];

/** Built-in authentication strength "Phishing-resistant MFA". */
export const PHISHING_RESISTANT_STRENGTH_ID = '00000000-0000-0000-0000-000000000004';
export const PHISHING_RESISTANT_COMBINATIONS = new Set(['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor']);
/** userRegistrationDetails.methodsRegistered values that are phishing-resistant. */
export const PHISHING_RESISTANT_METHODS = new Set([
  'fido2SecurityKey', 'passKeyDeviceBound', 'passKeyDeviceBoundAuthenticator', 'passKeyDeviceBoundWindowsHello',
  'windowsHelloForBusiness', 'x509CertificateMultiFactor',
]);

/** Built-in protection alerts (Get-ProtectionAlert ExchangeObjectId / Name) relevant to this chain. */
export const PROTECTION_ALERTS: { id: string; name: string }[] = [
  { id: '8bb9c6c8-dc12-40e1-5bb8-08da05b13393', name: 'Suspicious connector activity' },
  { id: 'be215649-fba8-4339-9ddd-05991a43b948', name: 'Suspicious email sending patterns detected' },
  { id: 'bfd48f06-0865-41a6-85ff-adb746423ebf', name: 'Suspicious Email Forwarding Activity' },
  { id: '5ed2d687-9bd3-49e7-9b56-b7dc0d9af5cb', name: 'Tenant restricted from sending unprovisioned email' },
  { id: 'a7032ff5-7eee-412b-805b-d1295c7e0932', name: 'Tenant restricted from sending email' },
];

/** subscribedSkus service plan names that unlock features the checks depend on. */
export const PLAN = {
  entraP1: ['AAD_PREMIUM', 'AAD_PREMIUM_P2'],
  entraP2: ['AAD_PREMIUM_P2'],
  defenderO365: ['ATP_ENTERPRISE', 'THREAT_INTELLIGENCE'],
} as const;
