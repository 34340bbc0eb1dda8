// Microsoft-global constants the simulated tenant uses: first-party app ids, resource apps, directory role template
// ids, app-role ids, sign-in error codes and their texts (from /work/shared/reference/detections.md and the
// Microsoft docs copied in /work/shared/samples), and common user agents.

export interface AppRef {
  id: string;
  name: string;
}

export const APPS = {
  officeHome: { id: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' },
  teams: { id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Microsoft Teams' },
  outlookMobile: { id: '27922004-5251-4030-b22d-91ecd9a37ea4', name: 'Outlook Mobile' },
  office: { id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', name: 'Microsoft Office' },
  owa: { id: '9199bf20-a13f-4107-85dc-02114787ef48', name: 'One Outlook Web' },
  azurePortal: { id: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', name: 'Azure Portal' },
  aadPowerShell: { id: '1b730954-1685-4b74-9bfd-dac224a7b894', name: 'Azure Active Directory PowerShell' },
  graphCli: { id: '14d82eec-204b-4c2f-b7e8-296a70dab67e', name: 'Microsoft Graph Command Line Tools' },
  exoPowerShell: { id: 'fb78d390-0c51-40cd-8e17-fdbfab77341b', name: 'Microsoft Exchange REST API Based Powershell' },
  oneDriveSync: { id: 'ab9b8c07-8f02-4f72-87fa-80105867a763', name: 'OneDrive SyncEngine' },
  authBroker: { id: '29d9ed98-a469-4536-ade2-f981bc1d605e', name: 'Microsoft Authentication Broker' },
  edge: { id: 'ecd6b820-32c2-49b6-98a6-444530e5a77a', name: 'Microsoft Edge' },
  adminPortal: { id: '00000006-0000-0ff1-ce00-000000000000', name: 'Microsoft Office 365 Portal' },
} as const satisfies Record<string, AppRef>;

export const RESOURCES = {
  exchange: { id: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
  graph: { id: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' },
  sharepoint: { id: '00000003-0000-0ff1-ce00-000000000000', name: 'Office 365 SharePoint Online' },
  arm: { id: '797f4846-ba00-4fd7-ba43-dac1f8f63013', name: 'Windows Azure Service Management API' },
  teamsSvc: { id: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', name: 'Microsoft Teams Services' },
  aadGraph: { id: '00000002-0000-0000-c000-000000000000', name: 'Windows Azure Active Directory' },
  officeHome: { id: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' },
} as const satisfies Record<string, AppRef>;

/** Directory role template ids (same in every tenant). */
export const ROLES = {
  globalAdmin: { id: '62e90394-69f5-4237-9190-012177145e10', name: 'Global Administrator', wellKnown: 'TenantAdmins' },
  exchangeAdmin: { id: '29232cdf-9323-42fd-ade2-1d097af3e4de', name: 'Exchange Administrator', wellKnown: 'ExchangeServiceAdministrator' },
  privRoleAdmin: { id: 'e8611ab8-c189-46e8-94e1-60213ab1f814', name: 'Privileged Role Administrator', wellKnown: 'PrivilegedRoleAdministrator' },
  appAdmin: { id: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', name: 'Application Administrator', wellKnown: 'ApplicationAdministrator' },
  cloudAppAdmin: { id: '158c047a-c907-4556-b7ef-446551a6b5f7', name: 'Cloud Application Administrator', wellKnown: 'CloudApplicationAdministrator' },
  securityAdmin: { id: '194ae4cb-b126-40b2-bd5b-6091b380977d', name: 'Security Administrator', wellKnown: 'SecurityAdministrator' },
  userAdmin: { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', name: 'User Administrator', wellKnown: 'UserAccountAdministrator' },
  helpdeskAdmin: { id: '729827e3-9c14-49f7-bb1b-9608f156bbb8', name: 'Helpdesk Administrator', wellKnown: 'HelpdeskAdministrator' },
  authAdmin: { id: 'c4e39bd9-1100-46d3-8c65-fb160da0071f', name: 'Authentication Administrator', wellKnown: 'AuthenticationAdministrator' },
  caAdmin: { id: 'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', name: 'Conditional Access Administrator', wellKnown: 'ConditionalAccessAdministrator' },
} as const;
export type RoleKey = keyof typeof ROLES;

/** App roles (application permissions) and delegated scopes the scenarios grant. */
export const APP_ROLES = {
  exchangeManageAsApp: { id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', value: 'Exchange.ManageAsApp', displayName: 'Manage Exchange As Application', resource: RESOURCES.exchange },
  fullAccessAsApp: { id: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40', value: 'full_access_as_app', displayName: 'Use Exchange Web Services with full access to all mailboxes', resource: RESOURCES.exchange },
  graphMailReadWrite: { id: 'e2a3a72e-5f79-4c64-b1b1-878b674786c9', value: 'Mail.ReadWrite', displayName: 'Read and write mail in all mailboxes', resource: RESOURCES.graph },
  graphMailSend: { id: 'b633e1c5-b582-4048-a93e-9f11b44c7e96', value: 'Mail.Send', displayName: 'Send mail as any user', resource: RESOURCES.graph },
  graphUserReadAll: { id: 'df021288-bdef-4463-88db-98f22de89214', value: 'User.Read.All', displayName: 'Read all users\' full profiles', resource: RESOURCES.graph },
  graphGroupReadAll: { id: '5b567255-7703-4780-807c-7be8301ae99b', value: 'Group.Read.All', displayName: 'Read all groups', resource: RESOURCES.graph },
  graphAuditLogReadAll: { id: 'b0afded3-3588-46d8-8b3d-9842eff778da', value: 'AuditLog.Read.All', displayName: 'Read all audit log data', resource: RESOURCES.graph },
  graphFilesReadAll: { id: '01d4889c-1287-42c6-ac1f-5d1e02578ef6', value: 'Files.Read.All', displayName: 'Read files in all site collections', resource: RESOURCES.graph },
} as const;
export type AppRoleDef = (typeof APP_ROLES)[keyof typeof APP_ROLES];

/** Sign-in error codes: failureReason texts as Entra writes them (paraphrased where the docs differ). */
export const ERRORS: Record<number, string> = {
  0: '',
  50126: 'Error validating credentials due to invalid username or password.',
  50053: 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.',
  50055: 'Invalid password, entered expired password.',
  50057: 'User account is disabled.',
  50074: 'Strong Authentication is required.',
  50076: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.',
  50079: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication.',
  50140: "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in.",
  50158: 'External security challenge was not satisfied.',
  53003: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  500121: 'Authentication failed during strong authentication request.',
  50034: 'The user account does not exist in the directory.',
  7000215: 'Invalid client secret is provided.',
  70044: 'The session has expired or is invalid due to sign-in frequency checks by conditional access.',
};

/** UAL UserLoginFailed LogonError names for the codes above (Azure AD STS internal names). */
export const LOGON_ERRORS: Record<number, string> = {
  50126: 'InvalidUserNameOrPassword',
  50053: 'IdsLocked',
  50055: 'InvalidPasswordExpiredPassword',
  50057: 'UserAccountDisabled',
  50074: 'UserStrongAuthClientAuthNRequiredInterrupt',
  50076: 'UserStrongAuthClientAuthNRequired',
  50079: 'UserStrongAuthEnrollmentRequired',
  50140: 'KmsiInterrupt',
  53003: 'BlockedByConditionalAccess',
  500121: 'AuthenticationFailedSasError',
  50034: 'UserAccountNotFound',
};

export interface UaProfile {
  ua: string;
  os: string;
  browser: string;
}

export const DESKTOP_UAS: readonly UaProfile[] = [
  { ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80', os: 'Windows10', browser: 'Edge 124.0.2478' },
  { ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36', os: 'Windows10', browser: 'Chrome 125.0.0' },
  { ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0', os: 'Windows10', browser: 'Firefox 126.0' },
  { ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15', os: 'MacOs', browser: 'Safari 17.4.1' },
  { ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36', os: 'MacOs', browser: 'Chrome 125.0.0' },
];

export const MOBILE_UAS: readonly UaProfile[] = [
  { ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148', os: 'Ios 17.4', browser: 'Mobile Safari' },
  { ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.53 Mobile Safari/537.36', os: 'Android 14', browser: 'Chrome Mobile 125.0.6422' },
  { ua: 'Outlook-iOS/2.0', os: 'Ios 17.5', browser: 'Outlook-iOS' },
  { ua: 'Outlook-Android/2.0', os: 'Android 13', browser: 'Outlook-Android' },
];

/** User agents the scenarios' attackers use (scripted tools; several are in peer block lists). */
export const ATTACKER_UAS = {
  stuffing: ['python-requests/2.31.0', 'Mozilla/5.0 (compatible; MSAL.Python/1.24.1)', 'BAV2ROPC'],
  spray: ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'BAV2ROPC', 'python-requests/2.28.2', 'Go-http-client/1.1', 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)'],
  powershell: 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US) PowerShell/7.4.2',
  msalPython: 'python-requests/2.31.0 MSAL.Python/1.24.1',
  exoV3: 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.20348; en-US) PowerShell/7.4.1',
} as const;
