// Who holds directory roles: users and service principals, active and eligible, directly or through
// role-assignable groups. Shared by the checks (A6, B1–B5, C4, C5) and by `hunt --snapshot` (posture facts).
import { isObject } from '../core/json.js';
import { roleInfo } from './ids.js';
import { at, str, time } from './kit.js';
import { buildModel, groupClosure, type TenantModel } from './model.js';
import type { Obj, Snapshot } from './snapshot.js';

export interface RoleHolding {
  roleId: string;
  roleName: string;
  tier0: boolean;
  assignment: 'active' | 'eligible';
  /** true = no end date; false = time-bound; undefined = the snapshot doesn't say (roleAssignments has no dates) */
  permanent?: boolean;
  /** the role-assignable group the role reaches this principal through */
  via?: { groupId: string; groupName: string };
  /** '/' = tenant-wide; otherwise an administrative unit or app scope */
  scope: string;
  /** start of the assignment when known (PIM instances) — absent start means made outside PIM */
  start?: number;
  assignmentType?: string;
}

export interface PrivilegedPrincipal {
  id: string;
  kind: 'user' | 'servicePrincipal' | 'unknown';
  name: string;
  upn?: string;
  appId?: string;
  roles: RoleHolding[];
}

interface RawAssignment { principalId: string; roleId: string; active: boolean; scope: string; permanent?: boolean; start?: number; assignmentType?: string; principal?: Obj }

function kindOf(model: TenantModel, id: string, principal?: Obj): PrivilegedPrincipal['kind'] | 'group' {
  const t = str(principal, '@odata.type')?.toLowerCase();
  if (t?.endsWith('.user')) return 'user';
  if (t?.endsWith('.serviceprincipal')) return 'servicePrincipal';
  if (t?.endsWith('.group')) return 'group';
  const k = id.toLowerCase();
  if (model.users.has(k)) return 'user';
  if (model.servicePrincipals.has(k)) return 'servicePrincipal';
  if (model.groups.has(k)) return 'group';
  return 'unknown';
}

function rawAssignments(snap: Snapshot): RawAssignment[] {
  const out: RawAssignment[] = [];
  const push = (o: Obj, active: boolean, withDates: boolean) => {
    const principalId = str(o, 'principalId');
    const roleId = str(o, 'roleDefinitionId');
    if (!principalId || !roleId) return;
    const status = str(o, 'status');
    if (status && !/^(provisioned|granted|scheduled|accepted)$/i.test(status)) return; // revoked/failed requests
    const a: RawAssignment = { principalId: principalId.toLowerCase(), roleId: roleId.toLowerCase(), active, scope: str(o, 'directoryScopeId') ?? '/' };
    if (withDates) {
      const end = time(o, 'endDateTime') ?? time(o, 'scheduleInfo.expiration.endDateTime');
      const expType = str(o, 'scheduleInfo.expiration.type');
      a.permanent = end === undefined && (!expType || /noexpiration/i.test(expType));
      const start = time(o, 'startDateTime') ?? time(o, 'scheduleInfo.startDateTime');
      if (start !== undefined) a.start = start;
      const at2 = str(o, 'assignmentType');
      if (at2) a.assignmentType = at2;
    }
    const p = at(o, 'principal');
    if (isObject(p)) a.principal = p;
    out.push(a);
  };
  for (const o of snap.graph('v1.0', 'roleManagement/directory/roleAssignments').items) push(o, true, false);
  for (const o of snap.graphAny('roleManagement/directory/roleAssignmentScheduleInstances', ['v1.0', 'beta']).items) push(o, true, true);
  for (const o of snap.graphAny('roleManagement/directory/roleEligibilitySchedules', ['v1.0', 'beta']).items) push(o, false, true);
  for (const o of snap.graphAny('roleManagement/directory/roleEligibilityScheduleInstances', ['v1.0', 'beta']).items) push(o, false, true);
  return out;
}

/** Role holders from a model (the checks use this) — see privilegedFromSnapshot for the public entry. */
export function privilegedFromModel(snap: Snapshot, model: TenantModel): PrivilegedPrincipal[] {
  const byId = new Map<string, PrivilegedPrincipal>();
  const add = (id: string, principal: Obj | undefined, h: RoleHolding) => {
    let p = byId.get(id);
    if (!p) {
      const kind = kindOf(model, id, principal);
      const u = model.users.get(id);
      const sp = model.servicePrincipals.get(id);
      p = {
        id,
        kind: kind === 'group' ? 'unknown' : kind,
        name: str(u, 'userPrincipalName') ?? str(principal, 'userPrincipalName') ?? str(sp, 'displayName') ?? str(principal, 'displayName') ?? str(u, 'displayName') ?? id,
        roles: [],
      };
      const upn = str(u, 'userPrincipalName') ?? str(principal, 'userPrincipalName');
      if (upn) p.upn = upn.toLowerCase();
      const appId = str(sp, 'appId') ?? str(principal, 'appId');
      if (appId) p.appId = appId.toLowerCase();
      byId.set(id, p);
    }
    // merge duplicates (roleAssignments and scheduleInstances describe the same active assignment)
    const same = p.roles.find((r) => r.roleId === h.roleId && r.assignment === h.assignment && r.via?.groupId === h.via?.groupId && r.scope === h.scope);
    if (same) {
      if (same.permanent === undefined && h.permanent !== undefined) same.permanent = h.permanent;
      if (same.start === undefined && h.start !== undefined) same.start = h.start;
      if (!same.assignmentType && h.assignmentType) same.assignmentType = h.assignmentType;
    } else p.roles.push(h);
  };
  for (const a of rawAssignments(snap)) {
    const info = roleInfo(a.roleId);
    const base: RoleHolding = {
      roleId: a.roleId,
      roleName: model.roleName(a.roleId),
      tier0: info?.tier0 ?? false,
      assignment: a.active ? 'active' : 'eligible',
      scope: a.scope,
      ...(a.permanent !== undefined ? { permanent: a.permanent } : {}),
      ...(a.start !== undefined ? { start: a.start } : {}),
      ...(a.assignmentType ? { assignmentType: a.assignmentType } : {}),
    };
    if (kindOf(model, a.principalId, a.principal) === 'group') {
      const groupName = model.nameOf(a.principalId);
      const via = { groupId: a.principalId, groupName };
      const { members, unknown } = groupClosure(model, a.principalId);
      for (const m of members) add(m, undefined, { ...base, via });
      // membership not in the snapshot: the group stands for holders we cannot name (kind 'unknown'), not for none
      for (const g of unknown) add(g, undefined, g === a.principalId ? base : { ...base, via });
    } else add(a.principalId, a.principal, base);
  }
  return [...byId.values()].sort((x, y) => x.name.localeCompare(y.name));
}

/**
 * Every principal holding a directory role in the snapshot: users and service principals, active and eligible,
 * including members of role-assignable groups. Pure: reads only the snapshot.
 */
export function privilegedFromSnapshot(snapshot: Snapshot): PrivilegedPrincipal[] {
  return privilegedFromModel(snapshot, buildModel(snapshot));
}

/** Whether the snapshot has any role-assignment source at all. */
export function roleDataPresent(snap: Snapshot): boolean {
  return [
    snap.graph('v1.0', 'roleManagement/directory/roleAssignments'),
    snap.graphAny('roleManagement/directory/roleAssignmentScheduleInstances', ['v1.0', 'beta']),
  ].some((c) => c.state === 'ok');
}
