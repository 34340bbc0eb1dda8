// The tenant as the checks see it: directory objects indexed by id, names resolved, licences, app permissions
// and credentials joined per service principal. Built once per audit from the snapshot.
import { isObject } from '../core/json.js';
import { APP, PLAN, RISKY_APP_ROLES, RISKY_APP_ROLE_VALUES, roleInfo, type AppRoleInfo } from './ids.js';
import { at, str, time } from './kit.js';
import type { Collection, Obj, Snapshot } from './snapshot.js';

/** Tenants Microsoft's own first-party apps are registered in (appOwnerOrganizationId). */
export const MICROSOFT_TENANTS = new Set(['f8cdef31-a31e-4b4a-93e4-5f571e91255a', '72f988bf-86f1-41af-91ab-2d7cd011db47']);

export interface Credential {
  kind: 'secret' | 'certificate';
  on: 'application' | 'servicePrincipal';
  name?: string;
  keyId?: string;
  start?: number;
  end?: number;
}

export interface AppRoleGrant {
  principalId: string;
  principalName: string;
  resourceId: string;
  resourceAppId?: string;
  resourceName: string;
  appRoleId: string;
  /** app role value, e.g. Exchange.ManageAsApp; undefined when neither the snapshot nor our table knows it */
  value?: string;
  kind?: AppRoleInfo['kind'];
  created?: number;
}

export interface Licences {
  /** false when subscribedSkus.json is missing or failed: licence-dependent checks then say so */
  known: boolean;
  reason?: string;
  plans: Set<string>;
  hasAny(names: readonly string[]): boolean;
}

export interface TenantModel {
  users: Map<string, Obj>;
  usersByUpn: Map<string, Obj>;
  groups: Map<string, Obj>;
  servicePrincipals: Map<string, Obj>;
  spByAppId: Map<string, Obj>;
  applications: Map<string, Obj>; // by appId
  roleDefinitions: Map<string, Obj>;
  licences: Licences;
  appRoleGrants: AppRoleGrant[];
  /** whether any app role assignment source was present in the snapshot */
  appRoleGrantsKnown: boolean;
  tenant: { id?: string; name?: string };
  roleName(id: string): string;
  nameOf(id: string): string;
  /** direct members of a group (ids), or undefined when the snapshot doesn't say */
  groupMembers(groupId: string): string[] | undefined;
  credentialsOf(sp: Obj): Credential[];
  isMicrosoftApp(sp: Obj): boolean;
}

function indexBy(c: Collection, prop: string): Map<string, Obj> {
  const m = new Map<string, Obj>();
  for (const o of c.items) {
    const k = str(o, prop);
    if (k) m.set(k.toLowerCase(), o);
  }
  return m;
}

function creds(o: Obj | undefined, on: Credential['on']): Credential[] {
  if (!o) return [];
  const out: Credential[] = [];
  for (const [prop, kind] of [['passwordCredentials', 'secret'], ['keyCredentials', 'certificate']] as const) {
    const arr = at(o, prop);
    if (!Array.isArray(arr)) continue;
    for (const c of arr) {
      if (!isObject(c)) continue;
      // keyCredentials with usage "Verify" are signing certificates for SAML/token encryption, not sign-in credentials
      if (kind === 'certificate' && str(c, 'usage') && str(c, 'usage')!.toLowerCase() !== 'verify') continue;
      const cred: Credential = { kind, on };
      const name = str(c, 'displayName') ?? str(c, 'customKeyIdentifier');
      if (name) cred.name = name;
      const keyId = str(c, 'keyId');
      if (keyId) cred.keyId = keyId;
      const start = time(c, 'startDateTime');
      if (start !== undefined) cred.start = start;
      const end = time(c, 'endDateTime');
      if (end !== undefined) cred.end = end;
      out.push(cred);
    }
  }
  return out;
}

export function buildModel(snap: Snapshot): TenantModel {
  const users = indexBy(snap.graph('v1.0', 'users'), 'id');
  const usersByUpn = indexBy(snap.graph('v1.0', 'users'), 'userPrincipalName');
  const groups = indexBy(snap.graph('v1.0', 'groups'), 'id');
  const spColl = snap.graph('v1.0', 'servicePrincipals');
  const servicePrincipals = indexBy(spColl, 'id');
  const spByAppId = indexBy(spColl, 'appId');
  const applications = indexBy(snap.graph('v1.0', 'applications'), 'appId');
  const roleDefinitions = indexBy(snap.graph('v1.0', 'roleManagement/directory/roleDefinitions'), 'id');
  for (const d of snap.graph('v1.0', 'roleManagement/directory/roleDefinitions').items) {
    const t = str(d, 'templateId');
    if (t && !roleDefinitions.has(t.toLowerCase())) roleDefinitions.set(t.toLowerCase(), d);
  }

  // licences from subscribedSkus service plans (not SKU GUID lists, which go stale)
  const skus = snap.graph('v1.0', 'subscribedSkus');
  const plans = new Set<string>();
  for (const sku of skus.items) {
    const cap = str(sku, 'capabilityStatus');
    if (cap && !['enabled', 'warning'].includes(cap.toLowerCase())) continue;
    const sps = at(sku, 'servicePlans');
    if (!Array.isArray(sps)) continue;
    for (const p of sps) {
      const name = str(p, 'servicePlanName');
      const prov = str(p, 'provisioningStatus');
      if (name && (!prov || prov.toLowerCase() !== 'disabled')) plans.add(name.toUpperCase());
    }
  }
  const licences: Licences = {
    known: skus.state === 'ok',
    ...(skus.state !== 'ok' ? { reason: skus.reason ?? 'subscribedSkus.json missing' } : {}),
    plans,
    hasAny: (names) => names.some((n) => plans.has(n.toUpperCase())),
  };

  const nameOf = (id: string): string => {
    const k = id.toLowerCase();
    const u = users.get(k);
    if (u) return str(u, 'userPrincipalName') ?? str(u, 'displayName') ?? id;
    const g = groups.get(k);
    if (g) return str(g, 'displayName') ?? id;
    const sp = servicePrincipals.get(k);
    if (sp) return str(sp, 'displayName') ?? id;
    const r = roleInfo(k);
    if (r) return r.name;
    const d = roleDefinitions.get(k);
    if (d) return str(d, 'displayName') ?? id;
    return id;
  };
  const roleName = (id: string): string => roleInfo(id)?.name ?? str(roleDefinitions.get(id.toLowerCase()), 'displayName') ?? id;

  const memberFiles = new Map<string, string[]>();
  for (const c of snap.under('graph/v1.0/groups/')) {
    const m = /^graph\/v1\.0\/groups\/([^/]+)\/(members|transitiveMembers)\.json$/i.exec(c.path);
    if (m && c.state === 'ok') memberFiles.set(m[1]!.toLowerCase(), c.items.map((o) => str(o, 'id')).filter((x): x is string => !!x));
  }
  const groupMembers = (gid: string): string[] | undefined => {
    const k = gid.toLowerCase();
    if (memberFiles.has(k)) return memberFiles.get(k);
    const g = groups.get(k);
    for (const prop of ['members', 'transitiveMembers']) {
      const arr = at(g, prop);
      if (Array.isArray(arr)) return arr.map((o) => str(o, 'id')).filter((x): x is string => !!x);
    }
    return undefined;
  };

  // app role assignments: expanded on servicePrincipals.json, or per SP files
  const grants: AppRoleGrant[] = [];
  let grantsKnown = false;
  const seen = new Set<string>();
  const addGrant = (a: Obj) => {
    const principalId = str(a, 'principalId');
    const resourceId = str(a, 'resourceId');
    const appRoleId = str(a, 'appRoleId');
    if (!principalId || !resourceId || !appRoleId) return;
    const k = str(a, 'id') ?? `${principalId}|${resourceId}|${appRoleId}`;
    if (seen.has(k)) return;
    seen.add(k);
    const resSp = servicePrincipals.get(resourceId.toLowerCase());
    const resourceName = str(a, 'resourceDisplayName') ?? str(resSp, 'displayName') ?? resourceId;
    let resourceAppId = str(resSp, 'appId')?.toLowerCase();
    if (!resourceAppId && /^office 365 exchange online$/i.test(resourceName)) resourceAppId = APP.exchangeOnline;
    if (!resourceAppId && /^microsoft graph$/i.test(resourceName)) resourceAppId = APP.graph;
    let value: string | undefined;
    const roles = at(resSp, 'appRoles');
    if (Array.isArray(roles)) value = str(roles.find((r) => str(r, 'id')?.toLowerCase() === appRoleId.toLowerCase()), 'value');
    const known = RISKY_APP_ROLES.find((r) => r.id === appRoleId.toLowerCase() && (!resourceAppId || r.resourceAppId === resourceAppId));
    value ??= known?.value;
    const kind = value ? RISKY_APP_ROLE_VALUES[value] ?? known?.kind : known?.kind;
    const g: AppRoleGrant = {
      principalId: principalId.toLowerCase(),
      principalName: str(a, 'principalDisplayName') ?? nameOf(principalId),
      resourceId: resourceId.toLowerCase(),
      resourceName,
      appRoleId: appRoleId.toLowerCase(),
    };
    if (resourceAppId) g.resourceAppId = resourceAppId;
    if (value) g.value = value;
    if (kind) g.kind = kind;
    const created = time(a, 'createdDateTime');
    if (created !== undefined) g.created = created;
    grants.push(g);
  };
  for (const sp of spColl.items) {
    const arr = at(sp, 'appRoleAssignments');
    if (Array.isArray(arr)) {
      grantsKnown = true;
      arr.filter(isObject).forEach(addGrant);
    }
  }
  for (const c of snap.under('graph/v1.0/servicePrincipals/')) {
    if (!/\/(appRoleAssignments|appRoleAssignedTo)\.json$/i.test(c.path) || c.state !== 'ok') continue;
    grantsKnown = true;
    c.items.forEach(addGrant);
  }

  const org = snap.graph('v1.0', 'organization').items[0];
  const tenant: TenantModel['tenant'] = {};
  const tid = str(org, 'id');
  if (tid) tenant.id = tid;
  const tname = str(org, 'displayName');
  if (tname) tenant.name = tname;

  return {
    users, usersByUpn, groups, servicePrincipals, spByAppId, applications, roleDefinitions, licences,
    appRoleGrants: grants, appRoleGrantsKnown: grantsKnown, tenant, roleName, nameOf, groupMembers,
    credentialsOf(sp) {
      const appId = str(sp, 'appId')?.toLowerCase();
      return [...creds(sp, 'servicePrincipal'), ...creds(appId ? applications.get(appId) : undefined, 'application')];
    },
    isMicrosoftApp(sp) {
      const owner = str(sp, 'appOwnerOrganizationId')?.toLowerCase();
      return owner !== undefined && MICROSOFT_TENANTS.has(owner);
    },
  };
}

/**
 * Everyone in a group, nested groups expanded: `members` are the non-group ids; `unknown` the groups (the group
 * itself included) whose members the snapshot does not list.
 */
export function groupClosure(model: TenantModel, groupId: string): { members: string[]; unknown: string[] } {
  const members = new Set<string>();
  const unknown: string[] = [];
  const seen = new Set<string>();
  const walk = (gid: string) => {
    if (seen.has(gid)) return; // cycle guard
    seen.add(gid);
    const direct = model.groupMembers(gid);
    if (!direct) unknown.push(gid);
    for (const m of direct ?? []) {
      const k = m.toLowerCase();
      if (model.groups.has(k)) walk(k);
      else members.add(k);
    }
  };
  walk(groupId.toLowerCase());
  return { members: [...members], unknown };
}

/** Licences only present with Entra ID P1/P2. */
export const hasP1 = (m: TenantModel) => m.licences.hasAny(PLAN.entraP1);
export const hasP2 = (m: TenantModel) => m.licences.hasAny(PLAN.entraP2);
