// One Entra directory-audit object -> one Event. The same object arrives in three spellings: Graph directoryAudit
// (camelCase), the diagnostic export's `properties` (camelCase, plus an envelope) and Log Analytics AuditLogs rows
// (PascalCase columns, InitiatedBy/TargetResources/AdditionalDetails as JSON text). Every read goes through getCI
// and maybeJson so one builder serves all of them.
import type { Actor, Event, Outcome, Target, TargetType } from '../../core/event.js';
import { stableId } from '../../core/ids.js';
import { cleanIp } from '../../core/ip.js';
import { getCI, isObject, maybeJson, nameValueMap } from '../../core/json.js';
import { lowerOrUndef, normalizeOperation, strOrUndef } from '../../core/text.js';
import {
  auditAction,
  decodeModifiedProperties,
  extractGrants,
  mergeModified,
  resourceAppIdFor,
  type AuditGrants,
  type ModifiedMap,
} from '../shared/entra-audit-ops.js';
import { events, quarantine, type DecodeResult, type RawRecord } from '../types.js';

/** What the carrier around the audit object adds (diag envelope, LA columns). */
export interface AuditEnvelope {
  tenant?: string;
  callerIp?: unknown; // diag callerIpAddress: the only IP for app-initiated changes
  identity?: string; // diag `identity`: names the internal process when initiatedBy is empty
  resultDescription?: string;
  /** diag `correlationId`: the record's own when properties lacks one */
  correlationId?: unknown;
  /** parses the audit time; returns undefined when unusable */
  time: (a: Record<string, unknown>) => number | undefined;
}

const TARGET_TYPES: Record<string, TargetType> = {
  user: 'user',
  group: 'group',
  application: 'app',
  serviceprincipal: 'servicePrincipal',
  device: 'device',
  role: 'role',
  policy: 'policy',
  domain: 'domain',
  directory: 'other',
  other: 'other',
};

function outcomeOf(result: unknown): Outcome {
  const r = lowerOrUndef(result);
  if (r === 'success' || r === 'succeeded' || r === '0') return 'success';
  if (r === 'failure' || r === 'failed') return 'failure';
  return 'unknown'; // timeout, unknownFutureValue, absent
}

function listOf(v: unknown): Record<string, unknown>[] {
  const d = maybeJson(v);
  return Array.isArray(d) ? d.filter(isObject) : [];
}

function firstString(v: unknown): string | undefined {
  const d = maybeJson(v);
  if (Array.isArray(d)) return d.length ? firstString(d[0]) : undefined;
  return strOrUndef(d);
}

function actorOf(initiatedBy: unknown, env: AuditEnvelope, userAgent: string | undefined): Actor {
  const ib = maybeJson(initiatedBy);
  const user = getCI(ib, 'user');
  const app = getCI(ib, 'app');
  const envIp = cleanIp(env.callerIp);
  let actor: Actor;
  if (isObject(user) && (strOrUndef(user.id) || strOrUndef(getCI(user, 'userPrincipalName')))) {
    const ip = cleanIp(getCI(user, 'ipAddress')) ?? envIp;
    actor = { kind: 'user' };
    const upn = lowerOrUndef(getCI(user, 'userPrincipalName'));
    const id = strOrUndef(getCI(user, 'id'));
    const name = strOrUndef(getCI(user, 'displayName'));
    if (upn) actor.user = upn;
    if (id) actor.userId = id.toLowerCase();
    if (name) actor.displayName = name;
    if (ip) {
      actor.ip = ip.ip;
      if (ip.port !== undefined) actor.port = ip.port;
    }
  } else if (isObject(app) && (strOrUndef(getCI(app, 'servicePrincipalId')) || strOrUndef(getCI(app, 'appId')) || strOrUndef(getCI(app, 'displayName')))) {
    actor = { kind: 'app' };
    const appId = lowerOrUndef(getCI(app, 'appId'));
    const spId = lowerOrUndef(getCI(app, 'servicePrincipalId'));
    const name = strOrUndef(getCI(app, 'displayName'));
    if (appId) actor.appId = appId;
    if (name) actor.appName = name;
    if (spId) actor.spId = spId;
    if (envIp) {
      actor.ip = envIp.ip;
      if (envIp.port !== undefined) actor.port = envIp.port;
    }
  } else {
    // initiatedBy {} : an internal Microsoft process ("Microsoft Azure AD Internal - Jit Provisioning")
    actor = { kind: env.identity ? 'system' : 'unknown' };
    if (env.identity) actor.displayName = env.identity;
    if (envIp) actor.ip = envIp.ip;
  }
  if (userAgent) actor.userAgent = userAgent;
  return actor;
}

interface RawTarget {
  type: TargetType;
  rawType?: string;
  id?: string;
  name?: string;
  modified: ModifiedMap;
}

function rawTargets(v: unknown, domainOp: boolean): RawTarget[] {
  return listOf(v).map((t) => {
    const rawType = strOrUndef(getCI(t, 'type'));
    const mapped = rawType ? TARGET_TYPES[rawType.toLowerCase().replace(/\s+/g, '')] : undefined;
    // domain records type their target "Other", "N/A" or not at all
    const type: TargetType = domainOp && (!mapped || mapped === 'other') ? 'domain' : mapped ?? 'other';
    const upn = lowerOrUndef(getCI(t, 'userPrincipalName'));
    const display = strOrUndef(getCI(t, 'displayName'));
    const id = strOrUndef(getCI(t, 'id'));
    const rt: RawTarget = { type, modified: decodeModifiedProperties(getCI(t, 'modifiedProperties')) };
    if (rawType) rt.rawType = rawType;
    if (id) rt.id = type === 'user' || type === 'app' || type === 'servicePrincipal' || type === 'group' ? id.toLowerCase() : id;
    const name = type === 'user' ? upn ?? display : display ?? upn;
    if (name) rt.name = type === 'domain' ? name.toLowerCase() : name;
    return rt;
  });
}

/** Fill appIds and add the targets the grants name but the record doesn't list (grantee SP, role). */
function buildTargets(raw: RawTarget[], grants: AuditGrants, additionalAppId: string | undefined, action: string): Target[] {
  const appish = raw.filter((t) => t.type === 'app' || t.type === 'servicePrincipal');
  const out: Target[] = raw.map((t) => {
    const target: Target = { type: t.type };
    if (t.id) target.id = t.id;
    if (t.name) target.name = t.name;
    if (t.type === 'app' || t.type === 'servicePrincipal') {
      // TargetId.ServicePrincipalNames lists the target's own SPNs, its appId among them
      let appId =
        firstString(t.modified.AppId?.new) ??
        firstString(t.modified.AppPrincipalId?.new) ??
        resourceAppIdFor(t.modified['TargetId.ServicePrincipalNames']?.new);
      if (grants.grantee?.spId && t.id === grants.grantee.spId) {
        appId = grants.grantee.appId ?? appId;
        // Entra names the grantee target by its appId; the modified properties carry the real name
        if (grants.grantee.name && (!target.name || target.name.toLowerCase() === appId?.toLowerCase())) target.name = grants.grantee.name;
      } else if (grants.resourceSpId && t.id === grants.resourceSpId) appId = grants.resourceAppId ?? appId;
      else if (!appId && appish.length === 1) appId = additionalAppId;
      if (appId) target.appId = appId.toLowerCase();
    }
    if (Object.keys(t.modified).length > 0) target.modified = t.modified;
    return target;
  });
  if (action === 'group.member.add' || action === 'group.member.remove') nameGroup(out, raw);
  const g = grants.grantee;
  if (g?.spId && !out.some((t) => t.id === g.spId)) {
    const sp: Target = { type: 'servicePrincipal', id: g.spId };
    if (g.name) sp.name = g.name;
    if (g.appId) sp.appId = g.appId;
    out.push(sp);
  }
  if ((action === 'role.assign' || action === 'role.remove') && !out.some((t) => t.type === 'role') && grants.roles?.length) {
    const role: Target = { type: 'role', name: grants.roles[0]! };
    const tid = grants.roleTemplateIds?.[0];
    if (tid) role.id = tid;
    out.push(role);
  }
  return out;
}

/** Group membership records name the group in the member target's Group.* properties, not on the group target. */
function nameGroup(out: Target[], raw: RawTarget[]): void {
  const m = raw.find((t) => t.modified['Group.ObjectID'] || t.modified['Group.DisplayName'])?.modified;
  if (!m) return;
  const pick = (k: string): string | undefined => firstString(m[k]?.new) ?? firstString(m[k]?.old);
  const id = pick('Group.ObjectID')?.toLowerCase();
  const name = pick('Group.DisplayName');
  const group = out.find((t) => t.type === 'group');
  if (group) {
    if (!group.name && name) group.name = name;
    return;
  }
  if (!id && !name) return;
  const t: Target = { type: 'group' };
  if (id) t.id = id;
  if (name) t.name = name;
  out.push(t);
}

/** Build the Event, or say why the record can't become one. */
export function auditEvent(a: Record<string, unknown>, env: AuditEnvelope, rec: RawRecord, format: string): DecodeResult {
  const opRaw = getCI(a, 'activityDisplayName') ?? getCI(a, 'operationName');
  const operation = normalizeOperation(opRaw);
  if (!operation) return quarantine('audit record has no activityDisplayName/OperationName; check the export includes that column');
  const time = env.time(a);
  if (time === undefined)
    return quarantine('audit record has no usable activityDateTime (or TimeGenerated); the record is incomplete: check the export kept its time fields');

  const additional = nameValueMap(maybeJson(getCI(a, 'additionalDetails')));
  const userAgent = strOrUndef(additional['User-Agent']) ?? strOrUndef(getCI(a, 'userAgent'));
  const additionalAppId = firstString(additional.AppId);

  const preAction = auditAction(operation); // domain ops need to know before targets are typed
  const raw = rawTargets(getCI(a, 'targetResources'), preAction.startsWith('domain.'));
  const modified = mergeModified(...raw.map((t) => t.modified));
  const action = auditAction(operation, modified);
  const grants = extractGrants(operation, modified, { targets: raw.map((t) => ({ type: t.rawType ?? t.type, id: t.id, name: t.name })) });

  const id = strOrUndef(getCI(a, 'id')) ?? stableId(format, rec.text);
  const outcome = outcomeOf(getCI(a, 'result'));
  const resultReason = strOrUndef(getCI(a, 'resultReason')) ?? (outcome === 'failure' ? env.resultDescription : undefined);
  const correlationId = lowerOrUndef(getCI(a, 'correlationId')) ?? lowerOrUndef(env.correlationId);

  const details: Record<string, unknown> = {};
  const category = strOrUndef(getCI(a, 'category'));
  const loggedBy = strOrUndef(getCI(a, 'loggedByService'));
  const opType = strOrUndef(getCI(a, 'operationType')) ?? strOrUndef(getCI(a, 'AADOperationType'));
  if (category) details.category = category;
  if (loggedBy) details.loggedByService = loggedBy;
  if (opType) details.operationType = opType;
  Object.assign(details, grants);
  const extra = Object.fromEntries(Object.entries(additional).filter(([k]) => k !== 'User-Agent'));
  if (Object.keys(extra).length > 0) details.additionalDetails = extra;

  const ev: Event = {
    id,
    time,
    tenant: env.tenant ?? 'unknown',
    source: 'entra.audit',
    action,
    operation,
    outcome,
    actor: actorOf(getCI(a, 'initiatedBy'), env, userAgent),
    targets: buildTargets(raw, grants, additionalAppId, action),
    raw: rawRef(rec, format),
  };
  if (resultReason && outcome !== 'success') ev.reason = { code: resultReason };
  if (correlationId) ev.session = { correlationId };
  if (Object.keys(details).length > 0) ev.details = details;
  return events(ev);
}

export function rawRef(rec: RawRecord, format: string): Event['raw'] {
  const r: Event['raw'] = { file: rec.file, format, text: rec.text };
  if (rec.line !== undefined) r.line = rec.line;
  if (rec.offset !== undefined) r.offset = rec.offset;
  return r;
}

/** Tenant id from the usual places (tenantId, AADTenantId, "/tenants/<id>/providers/…"). */
export function tenantOf(...objs: unknown[]): string | undefined {
  for (const o of objs) {
    for (const k of ['tenantId', 'AADTenantId']) {
      const v = lowerOrUndef(getCI(o, k));
      if (v) return v;
    }
    const rid = strOrUndef(getCI(o, 'resourceId'));
    const m = rid ? /\/tenants\/([^/]+)/i.exec(rid) : null;
    if (m) return m[1]!.toLowerCase();
  }
  return undefined;
}
