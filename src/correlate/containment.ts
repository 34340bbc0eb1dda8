// The containment checklist of an incident: ordered steps, each with the exact Graph call and/or PowerShell line
// and the permission it needs. Order matters: whoever holds an app's secret keeps access after every user
// password is reset, so app steps come first, then accounts, then mail flow, then network blocks.
// Identifiers are attacker-controlled: quoted with src/correlate/quote.ts, never interpolated raw.
import { isIP } from 'node:net';
import type { EntityType } from '../detect/alert.js';
import type { ContainmentAction, ContainmentStep } from '../report/types.js';
import { isGuid } from './aliases.js';
import type { CredentialMemory } from './memory.js';
import { hasControlChars, odataFilterEq, odataKey, psQuote, urlPart } from './quote.js';

export interface ContainUser {
  /** lower-cased UPN or object id */
  id: string;
  userId?: string;
  display?: string;
  privileged?: boolean;
  /**
   * An alert of the incident says the account's password was guessed, stuffed, sprayed or used from a foreign
   * session (a sign-in rule named it); false when only an app acted for it (consent phishing).
   */
  passwordStolen?: boolean;
}

export interface ContainApp {
  appId: string;
  spId?: string;
  name?: string;
  /** credentials seen added (this hunt or remembered) that were not seen removed */
  credentials: CredentialMemory[];
  /** application permissions and delegated scopes seen granted */
  permissions: string[];
  /** of those, the delegated scopes, and whether a delegated grant was for all users */
  delegated?: string[];
  tenantWide?: boolean;
  /** its application object was seen in this tenant (created or named here); else it may be registered elsewhere */
  registeredHere?: boolean;
  /** directory roles seen assigned to its service principal */
  roles: string[];
  /** the tenant configuration says it is a Microsoft first-party app: review, never disable blindly */
  microsoft?: boolean;
}

export interface ContainInput {
  incidentId: string;
  users: ContainUser[];
  apps: ContainApp[];
  /** `removedAt`: the input shows the object removed then (TW-EXO-003): the step checks it has not come back */
  connectors: { id: string; display?: string; removedAt?: string }[];
  transportRules: { id: string; display?: string; removedAt?: string }[];
  inboxRules: { id: string; display?: string; mailbox?: string }[];
  /** mailboxes (UPN) whose forwarding an alert saw set */
  forwarding: string[];
  /** source IPs of the attack that may be blocked (already filtered: not trusted, not shared) */
  ips: string[];
}

type Draft = Omit<ContainmentStep, 'order'>;

const GRAPH = '/v1.0';

function ref(type: EntityType, id: string, display?: string): ContainmentStep['entity'] {
  return display && display !== id ? { type, id, display } : { type, id };
}

/** A PowerShell line, or undefined (with the reason in `note`) when an identifier cannot be printed safely. */
function ps(build: () => string): { powershell?: string; note?: string } {
  try {
    return { powershell: build() };
  } catch {
    return { note: 'an identifier holds control characters, so no command line is printed: look the object up by its id in the portal and act there' };
  }
}

const userKey = (u: ContainUser): string => (u.userId && isGuid(u.userId) ? u.userId : u.id);

function appSteps(app: ContainApp, hasUsers: boolean): Draft[] {
  const out: Draft[] = [];
  const label = app.name ? `"${app.name}" (${app.appId})` : app.appId;
  const e = ref('app', app.appId, app.name);
  if (!isGuid(app.appId)) {
    out.push({
      action: 'review', title: `Find and review app ${label}`, entity: e,
      why: 'The logs name this app by something other than an application id; find it before acting on it.',
      graph: { method: 'GET', path: `${GRAPH}/servicePrincipals${odataFilterEq('displayName', app.name ?? app.appId)}` },
      permission: 'Application.Read.All',
    });
    return out;
  }
  if (app.microsoft) {
    out.push({
      action: 'review', title: `Review Microsoft app ${label}: its grants and sign-ins`, entity: e,
      why: 'A Microsoft first-party app: disabling it tenant-wide would break the service. Review which grants or role assignments the incident added to it and remove those.',
      graph: { method: 'GET', path: `${GRAPH}/servicePrincipals${odataKey('appId', app.appId)}/appRoleAssignments` },
      permission: 'Application.Read.All',
    });
    return out;
  }
  const spKey = odataKey('appId', app.appId);
  out.push({
    action: 'disable-service-principal', title: `Disable the service principal of app ${label}`, entity: ref('servicePrincipal', app.spId ?? app.appId, app.name),
    why: 'Stops every sign-in as the app at once, whatever secrets or certificates it holds; the steps below then remove what it was given.',
    graph: { method: 'PATCH', path: `${GRAPH}/servicePrincipals${spKey}`, body: JSON.stringify({ accountEnabled: false }) },
    ...ps(() => app.spId && isGuid(app.spId)
      ? `Update-MgServicePrincipal -ServicePrincipalId ${psQuote(app.spId)} -AccountEnabled:$false`
      : `Get-MgServicePrincipal -Filter ${psQuote(`appId eq '${app.appId}'`)} | ForEach-Object { Update-MgServicePrincipal -ServicePrincipalId $_.Id -AccountEnabled:$false }`),
    permission: 'Application.ReadWrite.All (role: Cloud Application Administrator or Application Administrator)',
  });
  const live = app.credentials.filter((c) => c.removedAt === undefined);
  const passwords = live.filter((c) => c.type !== 'certificate' && c.type !== 'federated');
  const appKey = odataKey('appId', app.appId);
  if (passwords.length === 0) {
    out.push({
      action: 'remove-app-secret', title: `Remove the client secrets of app ${label}`, entity: e,
      why: 'A client secret lets whoever holds it sign in as the app without any user: resetting user passwords does not evict them.',
      graph: { method: 'GET', path: `${GRAPH}/applications${appKey}?$select=id,passwordCredentials,keyCredentials` },
      permission: 'Application.ReadWrite.All (role: Application Administrator)',
      note: app.registeredHere
        ? 'no secret was seen added in the logs: list the credentials with this call, then POST /removePassword with each unexpected keyId'
        : 'no secret was seen added, and the app was not seen registered in this tenant: if it is another tenant\'s (a multi-tenant app, as in consent phishing) its credentials are not yours to remove and this call finds nothing; disabling its service principal and removing its grants is what evicts it',
    });
  }
  for (const c of passwords) {
    const keyId = c.keyId && isGuid(c.keyId) ? c.keyId : undefined;
    const when = new Date(c.addedAt).toISOString();
    out.push({
      action: 'remove-app-secret',
      title: `Remove the client secret ${keyId ?? '(key id unknown)'} added ${when.slice(0, 16).replace('T', ' ')} UTC to app ${label}`,
      entity: e,
      why: `Added${c.addedBy ? ` by ${c.addedBy}` : ''} at ${when}: whoever holds it signs in as the app without any user password, so a password reset alone does not evict them.`,
      graph: keyId
        ? { method: 'POST', path: `${GRAPH}/applications${appKey}/removePassword`, body: JSON.stringify({ keyId }) }
        : { method: 'GET', path: `${GRAPH}/applications${appKey}?$select=id,passwordCredentials` },
      ...(keyId
        ? ps(() => `Get-MgApplication -Filter ${psQuote(`appId eq '${app.appId}'`)} | ForEach-Object { Remove-MgApplicationPassword -ApplicationId $_.Id -KeyId ${psQuote(keyId)} }`)
        : { note: 'the log did not carry the key id: list passwordCredentials and remove the one added at that time' }),
      permission: 'Application.ReadWrite.All (role: Application Administrator)',
    });
  }
  if (live.some((c) => c.type === 'certificate')) {
    out.push({
      action: 'remove-app-certificate', title: `Remove the certificates added to app ${label}`, entity: e,
      why: 'A certificate credential authenticates the app just like a secret. removeKey needs a proof signed by an existing key, so an administrator replaces the list instead: keep only certificates you know.',
      graph: { method: 'GET', path: `${GRAPH}/applications${appKey}?$select=id,keyCredentials` },
      ...ps(() => `Get-MgApplication -Filter ${psQuote(`appId eq '${app.appId}'`)} | Select-Object -ExpandProperty KeyCredentials`),
      permission: 'Application.ReadWrite.All (role: Application Administrator)',
      note: 'then PATCH /v1.0/applications/{id} with {"keyCredentials": [ …the certificates to keep… ]}',
    });
  }
  const spFilter = app.spId && isGuid(app.spId) ? app.spId : undefined;
  if (app.roles.length) {
    out.push({
      action: 'remove-directory-role', title: `Remove directory role${app.roles.length > 1 ? 's' : ''} ${app.roles.join(', ')} from app ${label}`, entity: e,
      why: 'A directory role on a service principal (Exchange Administrator, Global Administrator) lets the app change the tenant with its own credentials.',
      graph: spFilter
        ? { method: 'GET', path: `${GRAPH}/roleManagement/directory/roleAssignments${odataFilterEq('principalId', spFilter)}` }
        : { method: 'GET', path: `${GRAPH}/servicePrincipals${spKey}?$select=id` },
      ...(spFilter
        ? ps(() => `Get-MgRoleManagementDirectoryRoleAssignment -Filter ${psQuote(`principalId eq '${spFilter}'`)} | ForEach-Object { Remove-MgRoleManagementDirectoryRoleAssignment -UnifiedRoleAssignmentId $_.Id }`)
        : { note: 'get the service principal id first, then list roleAssignments with $filter=principalId eq \'<id>\' and DELETE each' }),
      permission: 'RoleManagement.ReadWrite.Directory (role: Privileged Role Administrator)',
    });
  }
  // application permissions (app role assignments) and delegated scopes (consent grants) are removed in different places
  const delegated = new Set((app.delegated ?? []).map((p) => p.toLowerCase()));
  const appPerms = app.permissions.filter((p) => !delegated.has(p.toLowerCase()));
  out.push({
    action: 'remove-app-role-assignment', title: `Remove the application permissions granted to app ${label}${appPerms.length ? ` (${appPerms.join(', ')})` : ''}`, entity: e,
    why: 'Application permissions such as Exchange.ManageAsApp or Mail.Send work without any signed-in user; each assignment must be deleted.',
    graph: { method: 'GET', path: `${GRAPH}/servicePrincipals${spKey}/appRoleAssignments` },
    ...(spFilter
      ? ps(() => `Get-MgServicePrincipalAppRoleAssignment -ServicePrincipalId ${psQuote(spFilter)} | ForEach-Object { Remove-MgServicePrincipalAppRoleAssignment -ServicePrincipalId ${psQuote(spFilter)} -AppRoleAssignmentId $_.Id }`)
      : {}),
    permission: 'AppRoleAssignment.ReadWrite.All (role: Cloud Application Administrator)',
    note: 'then DELETE /v1.0/servicePrincipals/{sp id}/appRoleAssignments/{assignment id} for each',
  });
  out.push({
    action: 'remove-consent-grant', title: `Remove the delegated consent grants of app ${label}${app.delegated?.length ? ` (${app.delegated.join(', ')})` : ''}`, entity: e,
    why: app.tenantWide
      ? 'A tenant-wide consent grant (admin consent for all users) lets the app act as any user who signs in to it.'
      : app.delegated?.length
        ? 'A user\'s consent lets the app act as that user (read and send their mail with those scopes, and keep doing so with offline_access) until the grant is removed, whatever their password.'
        : 'A consent grant lets the app act as the users it covers (one user\'s consent, or all users\' after admin consent).',
    graph: spFilter
      ? { method: 'GET', path: `${GRAPH}/oauth2PermissionGrants${odataFilterEq('clientId', spFilter)}` }
      : { method: 'GET', path: `${GRAPH}/servicePrincipals${spKey}/oauth2PermissionGrants` },
    ...(spFilter
      ? ps(() => `Get-MgOauth2PermissionGrant -Filter ${psQuote(`clientId eq '${spFilter}'`)} | ForEach-Object { Remove-MgOauth2PermissionGrant -OAuth2PermissionGrantId $_.Id }`)
      : {}),
    permission: 'DelegatedPermissionGrant.ReadWrite.All (role: Cloud Application Administrator)',
    note: 'then DELETE /v1.0/oauth2PermissionGrants/{grant id} for each',
  });
  void hasUsers;
  return out;
}

function userSteps(u: ContainUser, appsInvolved: boolean): Draft[] {
  const key = userKey(u);
  const e = ref('user', u.id, u.display);
  const path = `${GRAPH}/users/${urlPart(key)}`;
  const out: Draft[] = [];
  out.push({
    action: 'revoke-sessions', title: `Revoke the sign-in sessions of ${u.id}`, entity: e,
    why: 'Invalidates the refresh tokens and session cookies issued to the attacker, so stolen sessions stop working within minutes.',
    graph: { method: 'POST', path: `${path}/revokeSignInSessions` },
    ...ps(() => `Revoke-MgUserSignInSession -UserId ${psQuote(key)}`),
    permission: `User.RevokeSessions.All (role: ${u.privileged ? 'Privileged Authentication Administrator for an admin' : 'User Administrator'})`,
  });
  out.push({
    action: 'reset-password', title: `Reset the password of ${u.id}`, entity: e,
    why: (u.passwordStolen === false
      ? 'Nothing in the logs shows the password was stolen (an app acted for the account with its consent); reset it if the user also typed it into the page that asked for the consent.'
      : 'The attacker knows the current password.') + (appsInvolved
      ? ' A password reset alone does NOT evict an attacker who owns an app secret or certificate: do the app steps above first.'
      : ' It does not evict an attacker holding an app secret; check the tenant for apps this account changed.'),
    graph: { method: 'PATCH', path, body: JSON.stringify({ passwordProfile: { forceChangePasswordNextSignIn: true, password: '<new random password>' } }) },
    ...ps(() => `Update-MgUser -UserId ${psQuote(key)} -PasswordProfile @{ ForceChangePasswordNextSignIn = $true; Password = '<new random password>' }`),
    permission: `User-PasswordProfile.ReadWrite.All (role: ${u.privileged ? 'Privileged Authentication Administrator for an admin' : 'User Administrator or Helpdesk Administrator'})`,
  });
  out.push({
    action: 'require-mfa', title: `Require MFA for ${u.id} and remove methods the attacker registered`, entity: e,
    why: 'Without MFA the new password is the only barrier; an attacker-registered authenticator survives the reset unless removed.',
    graph: { method: 'GET', path: `${path}/authentication/methods` },
    ...ps(() => `Get-MgUserAuthenticationMethod -UserId ${psQuote(key)}`),
    permission: 'UserAuthenticationMethod.ReadWrite.All (role: Authentication Administrator; Privileged Authentication Administrator for an admin)',
    note: 'delete unknown methods (DELETE …/authentication/<type>Methods/{id}) and make sure a Conditional Access policy requires MFA for this account',
  });
  return out;
}

/**
 * Remove an inbound connector or transport rule; one the input shows removed: make sure it is gone, the removal
 * commented out for when it came back.
 */
function exchangeObjectStep(
  o: { id: string; display?: string; removedAt?: string },
  k: { action: ContainmentAction; type: 'connector' | 'transportRule'; noun: string; cmdlet: string; fields: string; why: string; creator: string; permission: string },
): Draft {
  const name = o.display ?? o.id;
  const gone = o.removedAt !== undefined;
  return {
    action: k.action,
    title: gone ? `Make sure the ${k.noun} "${name}" is gone (removed at ${o.removedAt} in the input)` : `Remove the ${k.noun} "${name}"`,
    entity: ref(k.type, o.id, o.display),
    why: k.why,
    ...(gone ? { note: `the attacker removed it after use; ${k.creator} can create it again until its access is gone` } : {}),
    ...ps(() =>
      `Get-${k.cmdlet} -Identity ${psQuote(name)}${gone ? ' -ErrorAction SilentlyContinue' : ''} | Format-List ${k.fields}\n` +
      `${gone ? '# only if it is listed: ' : ''}Remove-${k.cmdlet} -Identity ${psQuote(name)} -Confirm:$false`),
    permission: k.permission,
  };
}

export function containmentSteps(input: ContainInput): ContainmentStep[] {
  const steps: Draft[] = [];
  const appsInvolved = input.apps.some((a) => !a.microsoft);
  for (const app of input.apps) steps.push(...appSteps(app, input.users.length > 0));
  for (const u of input.users) steps.push(...userSteps(u, appsInvolved));
  for (const c of input.connectors) {
    steps.push(exchangeObjectStep(c, {
      action: 'remove-inbound-connector', type: 'connector', noun: 'inbound connector', cmdlet: 'InboundConnector',
      fields: 'Name,ConnectorType,SenderIPAddresses,SenderDomains,Enabled,WhenCreated',
      why: 'An attacker-made inbound connector makes Exchange Online accept and relay the attacker\'s mail as if it came from your own servers.',
      creator: 'whoever created it (an app with Exchange.ManageAsApp)',
      permission: 'Exchange Online PowerShell, role: Exchange Administrator (Remote and Accepted Domains)',
    }));
  }
  for (const r of input.transportRules) {
    steps.push(exchangeObjectStep(r, {
      action: 'remove-transport-rule', type: 'transportRule', noun: 'transport rule', cmdlet: 'TransportRule',
      fields: 'Name,State,Priority,SenderIpRanges,SetSCL,RemoveHeader,SetHeaderName',
      why: 'Rules that strip headers or set SCL -1 hide the spam relay from filtering and from the recipients\' view.',
      creator: 'whoever created it',
      permission: 'Exchange Online PowerShell, role: Exchange Administrator (Transport Rules)',
    }));
  }
  for (const r of input.inboxRules) {
    const name = r.display ?? r.id;
    const mbx = r.mailbox;
    steps.push({
      action: 'review-inbox-rules', title: `Review the inbox rules of ${mbx ?? 'the mailbox'} and remove "${name}"`, entity: ref('inboxRule', r.id, r.display),
      why: 'Inbox rules that forward, move or delete mail hide the attacker\'s conversations from the mailbox owner and survive a password reset.',
      ...(mbx
        ? ps(() => `Get-InboxRule -Mailbox ${psQuote(mbx)} | Format-List Name,Identity,Enabled,From,SubjectContainsWords,ForwardTo,ForwardAsAttachmentTo,RedirectTo,DeleteMessage,MoveToFolder\nRemove-InboxRule -Mailbox ${psQuote(mbx)} -Identity ${psQuote(name)} -Confirm:$false`)
        : { note: 'the alert did not name the mailbox: find the rule with Get-InboxRule -Mailbox <owner>' }),
      permission: 'Exchange Online PowerShell, role: Exchange Administrator (Mail Recipients)',
    });
  }
  for (const m of input.forwarding) {
    steps.push({
      action: 'remove-forwarding', title: `Remove mailbox forwarding on ${m}`, entity: ref('mailbox', m),
      why: 'Forwarding set on the mailbox sends every message to the attacker, whatever the inbox rules say.',
      ...ps(() => `Set-Mailbox -Identity ${psQuote(m)} -ForwardingSmtpAddress $null -ForwardingAddress $null -DeliverToMailboxAndForward $false`),
      permission: 'Exchange Online PowerShell, role: Exchange Administrator (Mail Recipients)',
    });
  }
  const ips = input.ips.filter((ip) => isIP(ip) && !hasControlChars(ip)).sort();
  if (ips.length) {
    const body = {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      displayName: `tenantwatch ${input.incidentId} attacker addresses`,
      isTrusted: false,
      ipRanges: ips.map((ip) => ({
        '@odata.type': isIP(ip) === 6 ? '#microsoft.graph.iPv6CidrRange' : '#microsoft.graph.iPv4CidrRange',
        cidrAddress: `${ip}/${isIP(ip) === 6 ? 128 : 32}`,
      })),
    };
    steps.push({
      action: 'block-ip', title: `Review, then block sign-ins from ${ips.length} attacker address${ips.length === 1 ? '' : 'es'} (${ips.slice(0, 4).join(', ')}${ips.length > 4 ? ', …' : ''})`,
      entity: ref('ip', ips[0]!),
      why: 'A named location lets a Conditional Access policy block these addresses while the accounts are cleaned; attackers change addresses, so this only buys time.',
      graph: { method: 'POST', path: `${GRAPH}/identity/conditionalAccess/namedLocations`, body: JSON.stringify(body) },
      permission: 'Policy.ReadWrite.ConditionalAccess (role: Conditional Access Administrator)',
      note: 'alerts also name the accounts\' usual addresses: drop any address the account owner really uses, then add the named location to a Conditional Access policy that blocks access',
    });
  }
  return steps.map((s, i) => ({ order: i + 1, ...s }) as ContainmentStep);
}

/** Exported for tests: the actions in order, for a quick look. */
export const actionsOf = (steps: ContainmentStep[]): ContainmentAction[] => steps.map((s) => s.action);
