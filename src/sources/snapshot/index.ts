// The configuration snapshot `tenantwatch audit` reads (docs/snapshot.md): every Graph endpoint of that table,
// saved as the array of pages Graph returned; the per-service-principal and per-group follow-ups; and, only when
// configured, Exchange Online configuration through the Exchange admin API (InvokeCommand), which needs the
// Exchange.ManageAsApp app role and the Global Reader directory role. A request that fails is saved as Microsoft's
// error body, so the audit reports "Error: <code>" for the checks that need it rather than a missing file.
import { ApiError } from '../http/client.js';
import type { ResourceName } from '../auth/clouds.js';
import type { Obj, SourceContext } from '../types.js';

export interface SnapshotEndpoint {
  /** snapshot-relative file */
  file: string;
  /** path + query after the Graph host */
  path: string;
  headers?: Record<string, string>;
  needs: string;
}

const USERS_SELECT = 'id,userPrincipalName,displayName,accountEnabled,userType,onPremisesSyncEnabled,onPremisesImmutableId,createdDateTime';
const GROUPS_SELECT = 'id,displayName,isAssignableToRole,securityEnabled,mailEnabled,groupTypes';
const APPS_SELECT = 'id,appId,displayName,createdDateTime,signInAudience,passwordCredentials,keyCredentials,requiredResourceAccess';
const SPS_SELECT = 'id,appId,displayName,servicePrincipalType,appOwnerOrganizationId,accountEnabled,passwordCredentials,keyCredentials,appRoles';

/** docs/snapshot.md, "Microsoft Graph" table, in order. */
export const GRAPH_SNAPSHOT: SnapshotEndpoint[] = [
  { file: 'graph/beta/identity/conditionalAccess/policies.json', path: '/beta/identity/conditionalAccess/policies', headers: { Prefer: 'include-unknown-enum-members' }, needs: 'Policy.Read.All' },
  { file: 'graph/v1.0/identity/conditionalAccess/namedLocations.json', path: '/v1.0/identity/conditionalAccess/namedLocations', needs: 'Policy.Read.All' },
  { file: 'graph/v1.0/identity/conditionalAccess/authenticationStrength/policies.json', path: '/v1.0/identity/conditionalAccess/authenticationStrength/policies', needs: 'Policy.Read.All' },
  { file: 'graph/v1.0/policies/authorizationPolicy.json', path: '/v1.0/policies/authorizationPolicy', needs: 'Policy.Read.All' },
  { file: 'graph/v1.0/policies/authenticationMethodsPolicy.json', path: '/v1.0/policies/authenticationMethodsPolicy', needs: 'Policy.Read.All' },
  { file: 'graph/v1.0/policies/identitySecurityDefaultsEnforcementPolicy.json', path: '/v1.0/policies/identitySecurityDefaultsEnforcementPolicy', needs: 'Policy.Read.All' },
  { file: 'graph/v1.0/policies/adminConsentRequestPolicy.json', path: '/v1.0/policies/adminConsentRequestPolicy', needs: 'Policy.Read.All' },
  { file: 'graph/v1.0/policies/activityBasedTimeoutPolicies.json', path: '/v1.0/policies/activityBasedTimeoutPolicies', needs: 'Policy.Read.All' },
  { file: 'graph/beta/policies/defaultAppManagementPolicy.json', path: '/beta/policies/defaultAppManagementPolicy', needs: 'Policy.Read.All' },
  { file: 'graph/v1.0/reports/authenticationMethods/userRegistrationDetails.json', path: '/v1.0/reports/authenticationMethods/userRegistrationDetails', needs: 'AuditLog.Read.All + Entra ID P1/P2' },
  { file: 'graph/v1.0/roleManagement/directory/roleAssignments.json', path: '/v1.0/roleManagement/directory/roleAssignments?$expand=principal', needs: 'RoleManagement.Read.Directory' },
  { file: 'graph/v1.0/roleManagement/directory/roleDefinitions.json', path: '/v1.0/roleManagement/directory/roleDefinitions?$select=id,displayName,templateId,isBuiltIn', needs: 'RoleManagement.Read.Directory' },
  { file: 'graph/v1.0/roleManagement/directory/roleEligibilitySchedules.json', path: '/v1.0/roleManagement/directory/roleEligibilitySchedules', needs: 'RoleEligibilitySchedule.Read.Directory + Entra ID P2' },
  { file: 'graph/v1.0/roleManagement/directory/roleAssignmentScheduleInstances.json', path: '/v1.0/roleManagement/directory/roleAssignmentScheduleInstances', needs: 'RoleAssignmentSchedule.Read.Directory + Entra ID P2' },
  { file: 'graph/v1.0/users.json', path: `/v1.0/users?$select=${USERS_SELECT}&$top=999`, needs: 'Directory.Read.All' },
  { file: 'graph/v1.0/groups.json', path: `/v1.0/groups?$select=${GROUPS_SELECT}&$top=999`, needs: 'Directory.Read.All' },
  { file: 'graph/v1.0/applications.json', path: `/v1.0/applications?$select=${APPS_SELECT}&$top=999`, needs: 'Application.Read.All' },
  { file: 'graph/v1.0/servicePrincipals.json', path: `/v1.0/servicePrincipals?$select=${SPS_SELECT}&$top=999`, needs: 'Application.Read.All' },
  { file: 'graph/v1.0/oauth2PermissionGrants.json', path: '/v1.0/oauth2PermissionGrants', needs: 'Directory.Read.All' },
  { file: 'graph/v1.0/organization.json', path: '/v1.0/organization', needs: 'Directory.Read.All' },
  { file: 'graph/v1.0/subscribedSkus.json', path: '/v1.0/subscribedSkus', needs: 'Directory.Read.All' },
  { file: 'graph/v1.0/domains.json', path: '/v1.0/domains', needs: 'Directory.Read.All' },
];

/** Exchange Online cmdlets of docs/snapshot.md read through the admin API (Get-ProtectionAlert needs the
 *  Security & Compliance endpoint and is not collected). */
export const EXCHANGE_CMDLETS: { name: string; parameters?: Record<string, string> }[] = [
  { name: 'Get-InboundConnector' },
  { name: 'Get-OutboundConnector' },
  { name: 'Get-TransportRule' },
  { name: 'Get-TransportConfig' },
  { name: 'Get-HostedOutboundSpamFilterPolicy' },
  { name: 'Get-HostedConnectionFilterPolicy' },
  { name: 'Get-OrganizationConfig' },
  { name: 'Get-AdminAuditLogConfig' },
  { name: 'Get-AcceptedDomain' },
  { name: 'Get-RemoteDomain' },
  { name: 'Get-CASMailbox', parameters: { ResultSize: 'Unlimited' } },
];

const EXO_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** the mailbox the EXO v3 module anchors admin API calls to */
const ANCHOR_MAILBOX = 'SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}';

export interface SnapshotOptions {
  graphHost: string;
  exchange?: { host: string; tenantId: string; anchorDomain?: string };
  /** write one snapshot file (relative path, body as Microsoft returned it: array of pages or an error body) */
  write(rel: string, body: unknown): Promise<void>;
  maxPages?: number;
}

export interface SnapshotFileResult {
  file: string;
  state: 'ok' | 'error';
  records: number;
  error?: string;
}

/** GET a Graph collection (or singleton) following nextLink; returns the pages as returned. */
async function pages(ctx: SourceContext, resource: ResourceName, first: string, init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: unknown }, maxPages: number): Promise<Obj[]> {
  const out: Obj[] = [];
  const seen = new Set<string>();
  let url: string | undefined = first;
  while (url && out.length < maxPages) {
    seen.add(url);
    const res = await ctx.api.request({ resource, url, method: init.method, headers: init.headers, body: init.body, signal: ctx.signal });
    const body = (res.body ?? {}) as Obj;
    out.push(body);
    const next = typeof body['@odata.nextLink'] === 'string' ? (body['@odata.nextLink'] as string) : undefined;
    url = next && !seen.has(next) ? next : undefined;
  }
  return out;
}

function recordsOf(bodies: Obj[]): Obj[] {
  return bodies.flatMap((b) => (Array.isArray(b.value) ? (b.value as Obj[]) : [b]));
}

function errorBody(e: unknown): { error: { code: string; message: string } } {
  if (e instanceof ApiError) {
    const b = e.body as { error?: { code?: unknown; message?: unknown } } | undefined;
    if (b && typeof b.error === 'object' && b.error) return { error: { code: String(b.error.code ?? e.code ?? e.status ?? 'error'), message: String(b.error.message ?? e.message) } };
    return { error: { code: e.code ?? String(e.status ?? 'error'), message: e.message } };
  }
  return { error: { code: 'error', message: (e as Error).message ?? String(e) } };
}

export async function collectSnapshot(ctx: SourceContext, o: SnapshotOptions): Promise<SnapshotFileResult[]> {
  const results: SnapshotFileResult[] = [];
  const maxPages = o.maxPages ?? 10_000;
  const bodies = new Map<string, Obj[]>();
  const save = async (file: string, resource: ResourceName, url: string, init: Parameters<typeof pages>[3] = {}): Promise<Obj[] | undefined> => {
    try {
      const got = await pages(ctx, resource, url, init, maxPages);
      await o.write(file, got);
      const n = recordsOf(got).length;
      results.push({ file, state: 'ok', records: n });
      return got;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'aborted') throw e;
      const body = errorBody(e);
      await o.write(file, body);
      results.push({ file, state: 'error', records: 0, error: `${body.error.code}: ${body.error.message}` });
      ctx.logger.warn(`snapshot ${file}: ${body.error.code}: ${body.error.message}`);
      return undefined;
    }
  };
  for (const ep of GRAPH_SNAPSHOT) {
    const got = await save(ep.file, 'graph', `${o.graphHost}${ep.path}`, { headers: ep.headers });
    if (got) bodies.set(ep.file, got);
  }
  // who holds Exchange and Graph application permissions (check C4): the two resource service principals
  const sps = recordsOf(bodies.get('graph/v1.0/servicePrincipals.json') ?? []);
  for (const sp of sps) {
    if ((sp.appId === EXO_APP_ID || sp.appId === GRAPH_APP_ID) && typeof sp.id === 'string') {
      await save(`graph/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo.json`, 'graph', `${o.graphHost}/v1.0/servicePrincipals/${sp.id}/appRoleAssignedTo`);
    }
  }
  // members of role-assignable groups, of groups holding a role, and of groups conditional access includes or
  // excludes (who an exclusion really covers)
  const groups = new Set<string>();
  for (const p of recordsOf(bodies.get('graph/beta/identity/conditionalAccess/policies.json') ?? [])) {
    const users = ((p.conditions as Obj | undefined)?.users ?? {}) as Obj;
    for (const k of ['includeGroups', 'excludeGroups']) for (const id of (Array.isArray(users[k]) ? users[k] : []) as unknown[]) if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) groups.add(id.toLowerCase());
  }
  for (const g of recordsOf(bodies.get('graph/v1.0/groups.json') ?? [])) if (g.isAssignableToRole === true && typeof g.id === 'string') groups.add(g.id);
  for (const a of recordsOf(bodies.get('graph/v1.0/roleManagement/directory/roleAssignments.json') ?? [])) {
    const p = a.principal as Obj | undefined;
    if (p && String(p['@odata.type'] ?? '').endsWith('.group') && typeof p.id === 'string') groups.add(p.id);
  }
  for (const id of [...groups].sort()) {
    await save(`graph/v1.0/groups/${id}/transitiveMembers.json`, 'graph', `${o.graphHost}/v1.0/groups/${id}/transitiveMembers?$select=id,displayName,userPrincipalName,appId`);
  }
  if (o.exchange) {
    const orgs = recordsOf(bodies.get('graph/v1.0/organization.json') ?? []);
    const domains = (orgs[0]?.verifiedDomains as Obj[] | undefined) ?? [];
    const domain = o.exchange.anchorDomain ?? (domains.find((d) => d.isInitial === true)?.name as string | undefined);
    if (!domain) {
      ctx.logger.warn('snapshot: no initial domain known for the Exchange admin API (set collect.exchangeAnchorDomain); Exchange configuration not collected');
    } else {
      const url = `${o.exchange.host}/adminapi/beta/${o.exchange.tenantId}/InvokeCommand`;
      const headers = { 'X-AnchorMailbox': `UPN:${ANCHOR_MAILBOX}@${domain}`, 'X-ResponseFormat': 'json', Prefer: 'odata.maxpagesize=1000' };
      for (const c of EXCHANGE_CMDLETS) {
        await save(`exchange/${c.name}.json`, 'exchange', url, { method: 'POST', headers, body: { CmdletInput: { CmdletName: c.name, Parameters: c.parameters ?? {} } } });
      }
    }
  }
  return results;
}
