// Identity Protection objects -> Events. Four kinds share field names across Graph (camelCase), the diagnostic
// export's `properties` (camelCase) and Log Analytics tables (PascalCase), so every read goes through getCI.
//   detection.user  riskDetection / UserRiskEvents / AADUserRiskEvents                 -> action 'risk.detection'
//   detection.sp    servicePrincipalRiskDetection / ServicePrincipalRiskEvents / AAD…   -> action 'risk.detection'
//   risky.user      riskyUser / RiskyUsers / AADRiskyUsers (a state, not an event)       -> action 'risk.user'
//   risky.sp        riskyServicePrincipal / RiskyServicePrincipals / AADRiskyServicePrincipals -> action 'risk.user'
import type { Actor, Event, Geo, Risk, Target } from '../../core/event.js';
import { stableId } from '../../core/ids.js';
import { cleanIp } from '../../core/ip.js';
import { getCI, isObject, maybeJson, nameValueMap } from '../../core/json.js';
import { boolOrUndef, lowerOrUndef, normalizeOperation, numOrUndef, strOrUndef } from '../../core/text.js';
import { isoUtc } from '../../core/time.js';
import { rawRef } from '../entra-audit/audit-record.js';
import { events, quarantine, type DecodeResult, type RawRecord } from '../types.js';

export type RiskKind = 'detection.user' | 'detection.sp' | 'risky.user' | 'risky.sp';

const DEFAULT_OPERATION: Record<RiskKind, string> = {
  'detection.user': 'User Risk Detection',
  'detection.sp': 'Service Principal Risk Detection',
  'risky.user': 'Risky user',
  'risky.sp': 'Risky service principal',
};

/** Diagnostic categories and Log Analytics table names -> kind. */
export function riskKindOfName(name: unknown): RiskKind | undefined {
  const n = lowerOrUndef(name)?.replace(/^aad/, '');
  switch (n) {
    case 'userriskevents':
      return 'detection.user';
    case 'serviceprincipalriskevents':
      return 'detection.sp';
    case 'riskyusers':
      return 'risky.user';
    case 'riskyserviceprincipals':
      return 'risky.sp';
    default:
      return undefined;
  }
}

/** Kind from the object's own fields, for carriers that don't name it (Graph, LA rows without Type). */
export function riskKindOfShape(o: Record<string, unknown>): RiskKind | undefined {
  const has = (k: string): boolean => strOrUndef(getCI(o, k)) !== undefined;
  const sp = (has('servicePrincipalId') || has('servicePrincipalType') || has('appId')) && !has('userId') && !has('userPrincipalName');
  if (getCI(o, 'riskEventType') !== undefined) return sp ? 'detection.sp' : 'detection.user';
  if (getCI(o, 'riskLastUpdatedDateTime') !== undefined) return sp ? 'risky.sp' : 'risky.user';
  return undefined;
}

export interface RiskEnvelope {
  kind: RiskKind;
  tenant?: string;
  operation?: unknown;
  callerIp?: unknown;
  /** parse one time value in the carrier's conventions */
  parse: (v: unknown) => number | undefined;
  /** the carrier's own time (diag `time`, LA TimeGenerated), used only when the object has none */
  fallbackTime?: unknown;
}

function geoOf(loc: unknown): Geo | undefined {
  const l = maybeJson(loc);
  if (!isObject(l)) return undefined;
  const g: Geo = { from: 'record' };
  const city = strOrUndef(getCI(l, 'city'));
  const state = strOrUndef(getCI(l, 'state'));
  const country = strOrUndef(getCI(l, 'countryOrRegion'))?.toUpperCase();
  if (city) g.city = city;
  if (state) g.state = state;
  if (country) g.country = country;
  const c = getCI(l, 'geoCoordinates');
  const lat = numOrUndef(getCI(c, 'latitude'));
  const lon = numOrUndef(getCI(c, 'longitude'));
  // 0,0 is "unknown" in Identity Protection exports (seen beside city "Rennes"), never a real position here
  if (lat !== undefined && lon !== undefined && !(lat === 0 && lon === 0)) {
    g.lat = lat;
    g.lon = lon;
  }
  return Object.keys(g).length > 1 ? g : undefined;
}

function stringList(v: unknown): string[] | undefined {
  const d = maybeJson(v);
  const list = (Array.isArray(d) ? d : [d]).map((x) => strOrUndef(x)).filter((x): x is string => !!x);
  return list.length ? list : undefined;
}

function tenantOfRisk(o: Record<string, unknown>, env: RiskEnvelope): string | undefined {
  if (env.tenant) return env.tenant;
  const t = lowerOrUndef(getCI(o, 'tenantId'));
  if (t) return t;
  // homeTenantId names the tenant only for members (a guest's home tenant is someone else's)
  if (lowerOrUndef(getCI(o, 'userType')) === 'member') return lowerOrUndef(getCI(o, 'homeTenantId'));
  return undefined;
}

export function riskEvent(o: Record<string, unknown>, env: RiskEnvelope, rec: RawRecord, format: string): DecodeResult {
  const kind = env.kind;
  const detection = kind.startsWith('detection');
  const timeFields = detection ? ['activityDateTime', 'detectedDateTime', 'lastUpdatedDateTime'] : ['riskLastUpdatedDateTime'];
  let time: number | undefined;
  for (const f of timeFields) {
    time = env.parse(getCI(o, f));
    if (time !== undefined) break;
  }
  time ??= env.parse(env.fallbackTime);
  if (time === undefined)
    return quarantine(`Identity Protection record has no usable ${timeFields.join('/')}; re-export with those columns (UTC ISO)`);

  const info = nameValueMap(maybeJson(getCI(o, 'additionalInfo')));
  const userAgent = strOrUndef(info.userAgent);
  const ip = cleanIp(getCI(o, 'ipAddress')) ?? cleanIp(env.callerIp);
  const userId = lowerOrUndef(getCI(o, kind === 'risky.user' ? 'id' : 'userId')) ?? lowerOrUndef(getCI(o, 'userId'));
  const upn = lowerOrUndef(getCI(o, 'userPrincipalName'));
  const userName = strOrUndef(getCI(o, 'userDisplayName'));
  const appId = lowerOrUndef(getCI(o, 'appId'));
  const spId = lowerOrUndef(getCI(o, 'servicePrincipalId')) ?? (kind === 'risky.sp' ? lowerOrUndef(getCI(o, 'id')) : undefined);
  const spName = strOrUndef(getCI(o, 'servicePrincipalDisplayName')) ?? strOrUndef(getCI(o, 'displayName'));

  let actor: Actor;
  const targets: Target[] = [];
  if (kind === 'detection.user') {
    actor = { kind: 'user' };
    if (upn) actor.user = upn;
    if (userId) actor.userId = userId;
    if (userName) actor.displayName = userName;
  } else if (kind === 'detection.sp') {
    actor = { kind: 'app' };
    if (appId) actor.appId = appId;
    if (spName) actor.appName = spName;
    if (spId) actor.spId = spId;
  } else {
    // a risk state computed by Identity Protection about an entity: the entity is the target
    actor = { kind: 'system', displayName: 'Identity Protection' };
    const t: Target = kind === 'risky.user' ? { type: 'user' } : { type: 'servicePrincipal' };
    const id = kind === 'risky.user' ? userId : spId;
    const name = kind === 'risky.user' ? upn ?? userName : spName;
    if (id) t.id = id;
    if (name) t.name = name;
    if (kind === 'risky.sp' && appId) t.appId = appId;
    targets.push(t);
  }
  if (detection) {
    if (ip) {
      actor.ip = ip.ip;
      if (ip.port !== undefined) actor.port = ip.port;
    }
    const geo = geoOf(getCI(o, 'location'));
    if (geo) actor.geo = geo;
    if (userAgent) actor.userAgent = userAgent;
  }

  const risk: Risk = {};
  const level = strOrUndef(getCI(o, 'riskLevel'));
  const state = strOrUndef(getCI(o, 'riskState'));
  const detail = strOrUndef(getCI(o, 'riskDetail'));
  const type = strOrUndef(getCI(o, 'riskEventType')) ?? strOrUndef(getCI(o, 'riskType'));
  if (level) risk.level = level;
  if (state) risk.state = state;
  if (detail) risk.detail = detail;
  if (type) risk.types = [type];

  const details: Record<string, unknown> = {};
  const put = (k: string, v: unknown): void => {
    if (v !== undefined) details[k] = v;
  };
  put('source', strOrUndef(getCI(o, 'source')));
  put('detectionTimingType', strOrUndef(getCI(o, 'detectionTimingType')));
  put('activity', strOrUndef(getCI(o, 'activity')));
  put('tokenIssuerType', strOrUndef(getCI(o, 'tokenIssuerType')));
  put('requestId', lowerOrUndef(getCI(o, 'requestId')));
  put('userType', strOrUndef(getCI(o, 'userType')));
  put('riskReasons', stringList(info.riskReasons));
  put('mitreTechniques', stringList(getCI(o, 'mitreTechniqueId')) ?? stringList(info.mitreTechniques));
  const iso = (k: string): string | undefined => {
    const t = env.parse(getCI(o, k));
    return t === undefined ? undefined : isoUtc(t);
  };
  put('detectedTime', detection ? iso('detectedDateTime') : undefined);
  const updated = iso(detection ? 'lastUpdatedDateTime' : 'riskLastUpdatedDateTime');
  put('lastUpdatedTime', updated);
  put('isDeleted', boolOrUndef(getCI(o, 'isDeleted')));
  put('isProcessing', boolOrUndef(getCI(o, 'isProcessing')));
  put('servicePrincipalType', strOrUndef(getCI(o, 'servicePrincipalType')));

  const sourceId = strOrUndef(getCI(o, 'id'));
  // risky users/SPs are states keyed by the entity: one id per (entity, update), so re-exports dedupe
  const id = detection
    ? sourceId ?? stableId(format, rec.text)
    : stableId(kind, (sourceId ?? userId ?? spId)?.toLowerCase() ?? rec.text, updated, state, level, detail);
  const correlationId = lowerOrUndef(getCI(o, 'correlationId'));

  const ev: Event = {
    id,
    time,
    tenant: tenantOfRisk(o, env) ?? 'unknown',
    source: 'entra.risk',
    action: detection ? 'risk.detection' : 'risk.user',
    operation: normalizeOperation(env.operation) || DEFAULT_OPERATION[kind],
    outcome: 'unknown',
    actor,
    targets,
    risk,
    raw: rawRef(rec, format),
  };
  if (correlationId && detection) ev.session = { correlationId };
  if (Object.keys(details).length > 0) ev.details = details;
  return events(ev);
}
