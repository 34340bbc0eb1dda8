// The configuration snapshot at the end of the simulated period, in the layout of docs/snapshot.md (what
// `tenantwatch audit` reads): Graph JSON pages and Exchange `ConvertTo-Json` arrays. It reflects the story: the
// legacy admin without MFA and excluded from CA, the campaign's app still holding its roles and Exchange.ManageAsApp
// (the attacker removed the connector, not the app), the insider's app with Mail.ReadWrite, the consented look-alike.
import { join } from 'node:path';
import { DAY, isoSecZ, msDate } from './clock.js';
import { FileSink } from './output/sink.js';
import type { FileStat } from './output/writers.js';
import { rngFor } from './rng.js';
import type { World } from './world/build.js';
import { APP_ROLES, type AppRoleDef, RESOURCES, ROLES, type RoleKey } from './world/catalog.js';

type Obj = Record<string, unknown>;
const G = 'https://graph.microsoft.com';

async function writeJson(root: string, rel: string, body: unknown, stats: FileStat[], records: number): Promise<void> {
  const sink = new FileSink(join(root, 'snapshot', rel));
  await sink.write(JSON.stringify(body, null, 2) + '\n');
  await sink.close();
  stats.push({ path: `snapshot/${rel}`, records, bytes: sink.bytes });
}

/** A large Graph collection streamed as one page: {"@odata.context": …, "value": [ …one object per line… ]} */
async function writeStream(root: string, rel: string, context: string, items: Iterable<Obj>, stats: FileStat[]): Promise<void> {
  const sink = new FileSink(join(root, 'snapshot', rel));
  await sink.write(`{\n  "@odata.context": ${JSON.stringify(context)},\n  "value": [\n`);
  let n = 0;
  for (const it of items) await sink.write((n++ ? ',\n    ' : '    ') + JSON.stringify(it));
  await sink.write('\n  ]\n}\n');
  await sink.close();
  stats.push({ path: `snapshot/${rel}`, records: n, bytes: sink.bytes });
}

const page = (context: string, value: unknown[]) => ({ '@odata.context': context, value });

function registered(world: World, u: World['users'][number]): boolean {
  if (u.kind === 'legacy-admin' || u.kind === 'shared') return false;
  if (u.mfa) return true;
  const d = u.idx % 5;
  const wd = new Date(world.start + d * DAY).getUTCDay();
  return d < world.days && wd >= 1 && wd <= 5;
}

export async function writeSnapshot(world: World, root: string): Promise<FileStat[]> {
  const stats: FileStat[] = [];
  const t = world.tenant;
  const at = isoSecZ(world.end);
  const r = rngFor(world.seed, 'snapshot');
  const roleOf = new Map<string, RoleKey[]>();
  for (const u of world.users) if (u.roles.length) roleOf.set(u.id, [...u.roles]);
  for (const x of world.userRoles) roleOf.set(x.userId, [...(roleOf.get(x.userId) ?? []), x.role]);

  await writeStream(root, 'graph/v1.0/users.json', `${G}/v1.0/$metadata#users(id,userPrincipalName,displayName,accountEnabled,userType,onPremisesSyncEnabled,onPremisesImmutableId,createdDateTime)`,
    (function* () {
      for (const u of world.users) {
        yield { id: u.id, userPrincipalName: u.upn, displayName: u.displayName, accountEnabled: true, userType: 'Member', onPremisesSyncEnabled: null, onPremisesImmutableId: null, createdDateTime: isoSecZ(u.created) };
      }
    })(), stats);

  await writeStream(root, 'graph/v1.0/reports/authenticationMethods/userRegistrationDetails.json', `${G}/v1.0/$metadata#reports/authenticationMethods/userRegistrationDetails`,
    (function* () {
      for (const u of world.users) {
        const reg = registered(world, u);
        const methods = reg ? u.methods.filter((m) => m !== 'password') : [];
        yield {
          id: u.id, userPrincipalName: u.upn, userDisplayName: u.displayName, userType: 'member', isAdmin: roleOf.has(u.id),
          isSsprRegistered: reg, isSsprEnabled: true, isSsprCapable: reg, isMfaRegistered: reg, isMfaCapable: reg,
          isPasswordlessCapable: methods.includes('fido2'), methodsRegistered: methods,
          isSystemPreferredAuthenticationMethodEnabled: true, systemPreferredAuthenticationMethods: reg ? ['push'] : [],
          userPreferredMethodForSecondaryAuthentication: reg ? 'push' : 'none', defaultMfaMethod: reg ? 'microsoftAuthenticatorPush' : 'none', lastUpdatedDateTime: at,
        };
      }
    })(), stats);

  const roleKeys = Object.keys(ROLES) as RoleKey[];
  await writeJson(root, 'graph/v1.0/roleManagement/directory/roleDefinitions.json',
    page(`${G}/v1.0/$metadata#roleManagement/directory/roleDefinitions(id,displayName,templateId,isBuiltIn)`, roleKeys.map((k) => ({ id: ROLES[k].id, displayName: ROLES[k].name, templateId: ROLES[k].id, isBuiltIn: true }))), stats, roleKeys.length);

  const assignments: Obj[] = [];
  for (const [userId, roles] of roleOf) {
    for (const k of roles) assignments.push({ id: r.b64url(32), principalId: userId, roleDefinitionId: ROLES[k].id, directoryScopeId: '/', appScopeId: null, principal: { '@odata.type': '#microsoft.graph.user', id: userId } });
  }
  for (const x of world.spRoles) {
    assignments.push({ id: r.b64url(32), principalId: x.spId, roleDefinitionId: ROLES[x.role].id, directoryScopeId: '/', appScopeId: null, principal: { '@odata.type': '#microsoft.graph.servicePrincipal', id: x.spId } });
  }
  await writeJson(root, 'graph/v1.0/roleManagement/directory/roleAssignments.json', page(`${G}/v1.0/$metadata#roleManagement/directory/roleAssignments(principal())`, assignments), stats, assignments.length);

  const ownApps = world.apps.filter((a) => a.signInAudience === 'AzureADMyOrg');
  const applications = ownApps.map((a) => {
    const byRes = new Map<string, Obj[]>();
    for (const role of a.appRoles) byRes.set(role.resource.id, [...(byRes.get(role.resource.id) ?? []), { id: role.id, type: 'Role' }]);
    return {
      id: a.objectId, appId: a.appId, displayName: a.name, createdDateTime: isoSecZ(a.created), signInAudience: a.signInAudience,
      passwordCredentials: a.secrets.filter((s) => s.start <= world.end && !(s.removed !== undefined && s.removed <= world.end)).map((s) => ({ keyId: s.keyId, displayName: s.name, startDateTime: isoSecZ(s.start), endDateTime: isoSecZ(s.end), hint: s.keyId.slice(0, 3), secretText: null })),
      keyCredentials: [],
      requiredResourceAccess: [...byRes.entries()].map(([resourceAppId, resourceAccess]) => ({ resourceAppId, resourceAccess })),
    };
  });
  await writeJson(root, 'graph/v1.0/applications.json', page(`${G}/v1.0/$metadata#applications`, applications), stats, applications.length);

  const msOwner = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
  const exoRoles: AppRoleDef[] = [APP_ROLES.exchangeManageAsApp, APP_ROLES.fullAccessAsApp];
  const graphRoles: AppRoleDef[] = [APP_ROLES.graphMailReadWrite, APP_ROLES.graphMailSend, APP_ROLES.graphUserReadAll, APP_ROLES.graphGroupReadAll, APP_ROLES.graphAuditLogReadAll, APP_ROLES.graphFilesReadAll];
  const appRole = (x: AppRoleDef) => ({ allowedMemberTypes: ['Application'], description: x.displayName, displayName: x.displayName, id: x.id, isEnabled: true, origin: 'Application', value: x.value });
  const sps: Obj[] = [
    { id: t.exchangeSpId, appId: RESOURCES.exchange.id, displayName: RESOURCES.exchange.name, servicePrincipalType: 'Application', appOwnerOrganizationId: msOwner, accountEnabled: true, passwordCredentials: [], keyCredentials: [], appRoles: exoRoles.map(appRole) },
    { id: t.graphSpId, appId: RESOURCES.graph.id, displayName: RESOURCES.graph.name, servicePrincipalType: 'Application', appOwnerOrganizationId: msOwner, accountEnabled: true, passwordCredentials: [], keyCredentials: [], appRoles: graphRoles.map(appRole) },
    ...world.apps.map((a) => ({
      id: a.spId, appId: a.appId, displayName: a.name, servicePrincipalType: 'Application', appOwnerOrganizationId: a.publisherTenant ?? t.id, accountEnabled: true,
      passwordCredentials: [], keyCredentials: [], appRoles: [],
    })),
  ];
  await writeJson(root, 'graph/v1.0/servicePrincipals.json', page(`${G}/v1.0/$metadata#servicePrincipals`, sps), stats, sps.length);

  for (const [resId, spId, name] of [[RESOURCES.exchange.id, t.exchangeSpId, RESOURCES.exchange.name], [RESOURCES.graph.id, t.graphSpId, RESOURCES.graph.name]] as const) {
    const list: Obj[] = [];
    for (const a of world.apps) {
      for (const role of a.appRoles) {
        if (role.resource.id !== resId) continue;
        list.push({ id: r.b64url(32), deletedDateTime: null, appRoleId: role.id, createdDateTime: isoSecZ(a.created), principalDisplayName: a.name, principalId: a.spId, principalType: 'ServicePrincipal', resourceDisplayName: name, resourceId: spId });
      }
    }
    await writeJson(root, `graph/v1.0/servicePrincipals/${spId}/appRoleAssignedTo.json`, page(`${G}/v1.0/$metadata#servicePrincipals('${spId}')/appRoleAssignedTo`, list), stats, list.length);
  }

  const grants = world.grants.map((g) => ({ clientId: g.clientSpId, consentType: g.consentType, id: r.b64url(32), principalId: g.principalId ?? null, resourceId: g.resourceSpId, scope: g.scope }));
  await writeJson(root, 'graph/v1.0/oauth2PermissionGrants.json', page(`${G}/v1.0/$metadata#oauth2PermissionGrants`, grants), stats, grants.length);

  const ca = world.ca;
  const policies = [
    { id: ca.mfaAll.id, displayName: ca.mfaAll.displayName, state: 'enabled', createdDateTime: isoSecZ(world.start - 400 * DAY), conditions: { users: { includeUsers: ['All'], excludeUsers: [], includeGroups: [], excludeGroups: [ca.exclusionGroupId], includeRoles: [], excludeRoles: [] }, applications: { includeApplications: ['All'], excludeApplications: [] }, clientAppTypes: ['all'], locations: null, platforms: null, signInRiskLevels: [], userRiskLevels: [] }, grantControls: { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null }, sessionControls: null },
    { id: ca.mfaAdmins.id, displayName: ca.mfaAdmins.displayName, state: 'enabled', createdDateTime: isoSecZ(world.start - 300 * DAY), conditions: { users: { includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [ca.exclusionGroupId], includeRoles: [ROLES.globalAdmin.id, ROLES.exchangeAdmin.id, ROLES.appAdmin.id, ROLES.helpdeskAdmin.id], excludeRoles: [] }, applications: { includeApplications: ['All'], excludeApplications: [] }, clientAppTypes: ['all'] }, grantControls: { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null }, sessionControls: null },
    { id: ca.blockLegacy.id, displayName: ca.blockLegacy.displayName, state: 'enabled', createdDateTime: isoSecZ(world.start - 500 * DAY), conditions: { users: { includeUsers: ['All'], excludeUsers: [], includeGroups: [], excludeGroups: [ca.exclusionGroupId], includeRoles: [], excludeRoles: [] }, applications: { includeApplications: ['All'], excludeApplications: [] }, clientAppTypes: ['exchangeActiveSync', 'other'] }, grantControls: { operator: 'OR', builtInControls: ['block'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null }, sessionControls: null },
  ];
  await writeJson(root, 'graph/beta/identity/conditionalAccess/policies.json', page(`${G}/beta/$metadata#identity/conditionalAccess/policies`, policies), stats, policies.length);
  await writeJson(root, 'graph/v1.0/groups.json', page(`${G}/v1.0/$metadata#groups`, [{ id: ca.exclusionGroupId, displayName: 'CA-Exclusion-ServiceAccounts', isAssignableToRole: false, securityEnabled: true, mailEnabled: false, groupTypes: [] }]), stats, 1);
  await writeJson(root, `graph/v1.0/groups/${ca.exclusionGroupId}/transitiveMembers.json`, page(`${G}/v1.0/$metadata#directoryObjects`, [{ '@odata.type': '#microsoft.graph.user', id: world.legacyAdmin.id, displayName: world.legacyAdmin.displayName, userPrincipalName: world.legacyAdmin.upn }]), stats, 1);

  await writeJson(root, 'graph/v1.0/organization.json', page(`${G}/v1.0/$metadata#organization`, [{ id: t.id, displayName: t.displayName, verifiedDomains: t.domains.map((d) => ({ name: d, isDefault: d === t.primaryDomain, isInitial: d === t.initialDomain, type: 'Managed', capabilities: 'Email, OfficeCommunicationsOnline' })) }]), stats, 1);
  await writeJson(root, 'graph/v1.0/domains.json', page(`${G}/v1.0/$metadata#domains`, t.domains.map((d) => ({ id: d, authenticationType: 'Managed', isDefault: d === t.primaryDomain, isInitial: d === t.initialDomain, isVerified: true, supportedServices: ['Email', 'OfficeCommunicationsOnline'] }))), stats, t.domains.length);
  const plans = t.p2 ? ['AAD_PREMIUM', 'AAD_PREMIUM_P2', 'EXCHANGE_S_ENTERPRISE'] : ['AAD_PREMIUM', 'EXCHANGE_S_ENTERPRISE'];
  await writeJson(root, 'graph/v1.0/subscribedSkus.json', page(`${G}/v1.0/$metadata#subscribedSkus`, [{
    capabilityStatus: 'Enabled', consumedUnits: world.users.length, id: `${t.id}_${t.p2 ? '06ebc4ee-1bb5-47dd-8120-11324bc54e06' : '05e9a617-0261-4cee-bb44-138d3ef5d965'}`,
    prepaidUnits: { enabled: world.users.length + 25, suspended: 0, warning: 0 }, skuId: t.p2 ? '06ebc4ee-1bb5-47dd-8120-11324bc54e06' : '05e9a617-0261-4cee-bb44-138d3ef5d965', skuPartNumber: t.p2 ? 'SPE_E5' : 'SPE_E3',
    servicePlans: plans.map((p) => ({ servicePlanId: rngFor(world.seed, 'plan', p).uuid(), servicePlanName: p, provisioningStatus: 'Success', appliesTo: 'User' })),
  }]), stats, 1);
  await writeJson(root, 'graph/v1.0/policies/authorizationPolicy.json', { '@odata.context': `${G}/v1.0/$metadata#policies/authorizationPolicy/$entity`, id: 'authorizationPolicy', allowInvitesFrom: 'everyone', blockMsolPowerShell: false, defaultUserRolePermissions: { allowedToCreateApps: true, allowedToCreateSecurityGroups: true, allowedToReadOtherUsers: true, permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'] } }, stats, 1);
  await writeJson(root, 'graph/v1.0/policies/identitySecurityDefaultsEnforcementPolicy.json', { '@odata.context': `${G}/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity`, id: '00000000-0000-0000-0000-000000000005', displayName: 'Security Defaults', isEnabled: false }, stats, 1);

  // Exchange
  const whenCreated = (ms: number) => ({ WhenChanged: msDate(ms), WhenCreated: msDate(ms), WhenChangedUTC: msDate(ms), WhenCreatedUTC: msDate(ms) });
  const param = (p: [string, string][], k: string) => p.find(([n]) => n === k)?.[1];
  const connectors = world.exchange.filter((x) => x.kind === 'inboundConnector').map((c) => ({
    Enabled: true, ConnectorType: param(c.params, 'ConnectorType') ?? 'Partner', ConnectorSource: 'AdminUI', Comment: '',
    SenderIPAddresses: (param(c.params, 'SenderIPAddresses') ?? '').split(';').filter(Boolean), SenderDomains: [`smtp:${param(c.params, 'SenderDomains') ?? '*'};1`],
    TrustedOrganizations: [], AssociatedAcceptedDomains: [], RequireTls: param(c.params, 'RequireTls') === 'True', RestrictDomainsToIPAddresses: param(c.params, 'RestrictDomainsToIPAddresses') === 'True',
    RestrictDomainsToCertificate: param(c.params, 'RestrictDomainsToCertificate') === 'True', CloudServicesMailEnabled: false, TreatMessagesAsInternal: param(c.params, 'TreatMessagesAsInternal') === 'True',
    TlsSenderCertificateName: param(c.params, 'TlsSenderCertificateName') ?? null, Name: c.name, Identity: c.name, ...whenCreated(c.created),
    ExchangeObjectId: rngFor(world.seed, 'exo-obj', c.name).uuid(), Guid: rngFor(world.seed, 'exo-obj', c.name).uuid(), IsValid: true, ObjectState: 'Unchanged',
  }));
  await writeJson(root, 'exchange/Get-InboundConnector.json', connectors, stats, connectors.length);
  const rules = world.exchange.filter((x) => x.kind === 'transportRule').map((x, i) => {
    const o: Obj = { Priority: Number(param(x.params, 'Priority') ?? i), Name: x.name, Identity: x.name, State: 'Enabled', Mode: 'Enforce', CreatedBy: x.by, LastModifiedBy: x.by, ...whenCreated(x.created), Guid: rngFor(world.seed, 'exo-rule', x.name).uuid() };
    for (const [k, v] of x.params) if (k !== 'Name' && k !== 'Priority') o[k] = k === 'SenderIpRanges' ? v.split(';') : v;
    return o;
  });
  await writeJson(root, 'exchange/Get-TransportRule.json', rules, stats, rules.length);
  const accepted = t.domains.map((d) => ({ DomainName: d, DomainType: 'Authoritative', Default: d === t.primaryDomain, InitialDomain: d === t.initialDomain, Name: d, Identity: d, IsValid: true }));
  await writeJson(root, 'exchange/Get-AcceptedDomain.json', accepted, stats, accepted.length);
  await writeJson(root, 'exchange/Get-OutboundConnector.json', [], stats, 0);
  await writeJson(root, 'exchange/Get-HostedOutboundSpamFilterPolicy.json', [{ Name: 'Default', Identity: 'Default', IsDefault: true, RecipientLimitExternalPerHour: 0, RecipientLimitInternalPerHour: 0, RecipientLimitPerDay: 0, ActionWhenThresholdReached: 'BlockUserForToday', AutoForwardingMode: 'Automatic', BccSuspiciousOutboundMail: false, NotifyOutboundSpam: false }], stats, 1);
  await writeJson(root, 'exchange/Get-OrganizationConfig.json', { Name: t.initialDomain, DisplayName: t.displayName, Identity: t.initialDomain, OAuth2ClientProfileEnabled: true, AuditDisabled: false, IsValid: true }, stats, 1);
  await writeJson(root, 'exchange/Get-AdminAuditLogConfig.json', { AdminAuditLogEnabled: true, UnifiedAuditLogIngestionEnabled: true, Identity: 'Admin Audit Log Settings', IsValid: true }, stats, 1);
  return stats;
}
