// Directory-change intent -> Graph `directoryAudit` (after microsoft-graph-docs v1.0 directoryaudit-list and the
// SEKOIA Graph API records) and the unified audit log's copy of the same change (RecordType 8, Operation with a
// trailing period, ModifiedProperties as Name/NewValue/OldValue with pretty-printed JSON text, after SEKOIA o365).
import { iso7Z, ualTime } from '../clock.js';
import type { AuditIntent, AuditTarget, ModProp } from '../model.js';
import { hash32, rngFor } from '../rng.js';

type Obj = Record<string, unknown>;

function graphValue(v: unknown, style: ModProp['style'], isOld: boolean): string | null {
  if (v === undefined) return style === 'array' ? '[]' : isOld ? null : '""';
  if (style === 'array') return JSON.stringify(Array.isArray(v) ? v : [v]);
  if (style === 'string') return JSON.stringify(typeof v === 'string' ? v : JSON.stringify(v));
  return String(v);
}

/** UAL writes arrays pretty-printed with CRLF and two-space indent ("[\r\n  \"x\"\r\n]"). */
function ualValue(v: unknown, style: ModProp['style']): string {
  if (v === undefined) return style === 'array' ? '[]' : '';
  if (style === 'array') return JSON.stringify(Array.isArray(v) ? v : [v], null, 2).replace(/\n/g, '\r\n');
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function graphTarget(t: AuditTarget): Obj {
  const o: Obj = { id: t.id, displayName: t.displayName, type: t.type };
  if (t.type === 'User') o.userPrincipalName = t.upn ?? null;
  o.modifiedProperties = t.modified.map((m) => ({
    displayName: m.name,
    oldValue: graphValue(m.old, m.style, true),
    newValue: graphValue(m.new, m.style, false),
  }));
  o.administrativeUnits = [];
  return o;
}

export function graphAudit(a: AuditIntent): Obj {
  const user = a.by.user
    ? {
        id: a.by.user.id,
        displayName: null,
        userPrincipalName: a.by.user.upn,
        ipAddress: a.by.user.ip ?? '',
        userType: null,
        homeTenantId: null,
        homeTenantName: null,
      }
    : null;
  const app = a.by.app
    ? { appId: a.by.app.appId, displayName: a.by.app.name, servicePrincipalId: a.by.app.spId, servicePrincipalName: null }
    : null;
  return {
    id: a.id,
    category: a.category,
    correlationId: a.correlationId,
    result: a.result,
    resultReason: a.resultReason ?? '',
    activityDisplayName: a.activity,
    activityDateTime: iso7Z(a.time, a.sub),
    loggedByService: a.service,
    operationType: a.operationType,
    initiatedBy: { app, user },
    targetResources: a.targets.map(graphTarget),
    additionalDetails: a.additional,
  };
}

function ualTargets(t: AuditTarget): Obj[] {
  const kind = t.type === 'Role' ? 'Role' : t.type;
  const out: Obj[] = [
    { ID: `${kind}_${t.id}`, Type: 2 },
    { ID: t.id, Type: 2 },
    { ID: kind, Type: 2 },
  ];
  if (t.type === 'User' && t.upn) out.push({ ID: t.upn, Type: 5 });
  else if (t.displayName) out.push({ ID: t.displayName, Type: 1 });
  return out;
}

/** the unified audit log's copy: RecordType 8, Workload AzureActiveDirectory */
export function ualAudit(a: AuditIntent, puidOf: (userId: string) => string): Obj {
  const r = rngFor(hash32(a.ualId), 'ual');
  const first = a.targets[0];
  const actor: Obj[] = [];
  let userId: string;
  let userKey: string;
  let userType: number;
  if (a.by.user) {
    const puid = puidOf(a.by.user.id);
    userId = a.by.user.upn;
    userKey = puid;
    userType = 0;
    actor.push({ ID: a.by.user.upn, Type: 5 }, { ID: puid, Type: 3 }, { ID: `User_${a.by.user.id}`, Type: 2 }, { ID: a.by.user.id, Type: 2 }, { ID: 'User', Type: 2 });
  } else if (a.by.app) {
    userId = `ServicePrincipal_${a.by.app.spId}`;
    userKey = a.by.app.appId;
    userType = 4;
    actor.push({ ID: a.by.app.name, Type: 1 }, { ID: `ServicePrincipal_${a.by.app.spId}`, Type: 2 }, { ID: a.by.app.spId, Type: 2 }, { ID: 'ServicePrincipal', Type: 2 }, { ID: a.by.app.appId, Type: 2 });
  } else {
    userId = 'ServicePrincipal_Microsoft';
    userKey = 'Not Available';
    userType = 4;
  }
  const objectId = !first ? '' : first.type === 'User' ? first.upn ?? first.id : `${first.type}_${first.id}`;
  const details: Record<string, string> = {};
  for (const d of a.additional) details[d.key] = d.value;
  return {
    CreationTime: ualTime(a.time),
    Id: a.ualId,
    Operation: `${a.activity.trimEnd()}.`,
    OrganizationId: a.tenantId,
    RecordType: 8,
    ResultStatus: a.result === 'success' ? 'Success' : 'Failure',
    UserKey: userKey,
    UserType: userType,
    Version: 1,
    Workload: 'AzureActiveDirectory',
    ObjectId: objectId,
    UserId: userId,
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: [
      { Name: 'additionalDetails', Value: JSON.stringify(details) },
      { Name: 'extendedAuditEventCategory', Value: a.ualCategory },
    ],
    ModifiedProperties: a.targets.flatMap((t) =>
      t.modified.map((m) => ({ Name: m.name, NewValue: ualValue(m.new, m.style), OldValue: ualValue(m.old, m.style) })),
    ),
    Actor: actor,
    ActorContextId: a.tenantId,
    InterSystemsId: a.correlationId,
    IntraSystemId: r.uuid(),
    SupportTicketId: '',
    Target: a.targets.flatMap(ualTargets),
    TargetContextId: a.tenantId,
  };
}
