// Raw-record builders for the app and directory rule cases: one description of a directory change written out in
// the three shapes Microsoft exports it in — Graph directoryAudit, the Azure Monitor AuditLogs envelope, and the
// unified audit log's Audit.AzureActiveDirectory record (RecordType 8, operation with a trailing period,
// ModifiedProperties {Name, NewValue, OldValue} holding bare or pretty-printed JSON, typed Actor[] / Target[]).
// The UAL layout follows the decoder's fixture and the SEKOIA "Consent to application." sample; see
// docs/formats/app-rules.md for what is assumed. All names, ids and addresses are invented.
import {
  BASE,
  MINUTES,
  TENANT,
  diagAudit,
  graphAudit,
  graphSignIn,
  guid,
  iso,
  type AuditOpts,
  type AuditTarget,
  type SignInOpts,
} from '../records.js';
import type { CaseInput } from '../types.js';

export { BASE, MINUTES, TENANT, guid, iso };
export const HOURS = 60 * MINUTES;
export const DAYS = 24 * HOURS;

/** A target as the cases describe it; extra facts only some shapes carry (UAL Target[] has the appId, Graph the UPN). */
export interface CaseTarget extends Omit<AuditTarget, 'type'> {
  type: AuditTarget['type'] | 'Other';
  appId?: string;
  upn?: string;
}

export interface CaseAudit extends Omit<AuditOpts, 'targets'> {
  targets: CaseTarget[];
  /** the UAL writes only these targets (it lists one object per kind); all targets when absent */
  ualTargets?: number[];
}

export type Shape = 'graph' | 'diag' | 'ual';
export const SHAPES: readonly Shape[] = ['graph', 'diag', 'ual'];

/** Graph fills userPrincipalName on user targets (displayName is often null there). */
function patchTargets(list: unknown, targets: CaseTarget[]): void {
  if (!Array.isArray(list)) return;
  targets.forEach((t, i) => {
    const out = list[i] as Record<string, unknown> | undefined;
    if (!out) return;
    if (t.type === 'User') {
      out.userPrincipalName = t.upn ?? t.displayName;
      if (t.upn) out.displayName = t.displayName === t.upn ? null : t.displayName;
    }
    if (t.type === 'Other') out.type = 'Other';
  });
}

export function graphRecord(o: CaseAudit): Record<string, unknown> {
  const rec = graphAudit(o as unknown as AuditOpts);
  patchTargets(rec.targetResources, o.targets);
  return rec;
}

export function diagRecord(o: CaseAudit): Record<string, unknown> {
  const rec = diagAudit(o as unknown as AuditOpts);
  patchTargets((rec.properties as Record<string, unknown>).targetResources, o.targets);
  return rec;
}

/** Entra writes modified values as JSON text ("\"x\"", "[\"a\"]"); the UAL as bare text or JSON pretty-printed with CRLF. */
function ualValue(v: string | null): string {
  if (v === null) return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    return v;
  }
  if (typeof parsed === 'string') return parsed;
  if (Array.isArray(parsed)) return JSON.stringify(parsed, null, 2).replace(/\n/g, '\r\n');
  return v;
}

const KIND: Record<CaseTarget['type'], string> = {
  Application: 'Application',
  ServicePrincipal: 'ServicePrincipal',
  User: 'User',
  Role: 'Role',
  Other: 'Other',
};

function ualTarget(t: CaseTarget): { ID: string; Type: number }[] {
  if (t.type === 'Other') return [{ ID: t.displayName, Type: 1 }];
  const kind = KIND[t.type];
  const out = [
    { ID: `${kind}_${t.id}`, Type: 2 },
    { ID: t.id, Type: 2 },
    { ID: kind, Type: 2 },
  ];
  if (t.type === 'User') out.push({ ID: t.upn ?? t.displayName, Type: 5 });
  else out.push({ ID: t.displayName, Type: 1 });
  if (t.appId && (t.type === 'ServicePrincipal' || t.type === 'Application')) {
    out.push({ ID: t.appId, Type: 2 });
    if (t.type === 'ServicePrincipal') out.push({ ID: t.appId, Type: 4 });
  }
  return out;
}

/** Operation names keep Entra's text plus a period, except the "… management " names that end in a space. */
function ualOperation(activity: string): string {
  return /\s$/.test(activity) ? activity : `${activity}.`;
}

/** One Audit.AzureActiveDirectory record (Office 365 Management Activity API / Purview AuditData). */
export function ualRecord(o: CaseAudit): Record<string, unknown> {
  const by = o.by ?? { user: 'admin@contoso.com', ip: '198.51.100.10' };
  const targets = o.ualTargets ? o.ualTargets.map((i) => o.targets[i]!).filter(Boolean) : o.targets;
  const first = targets[0];
  const corr = guid(`audit|${o.activity}|${o.at}`);
  const isUser = 'user' in by;
  const userOid = isUser ? guid(`user|${by.user}`) : undefined;
  const actor = isUser
    ? [
        { ID: by.user, Type: 5 },
        { ID: '10032001' + corr.slice(0, 8).toUpperCase(), Type: 3 },
        { ID: `User_${userOid}`, Type: 2 },
        { ID: userOid, Type: 2 },
        { ID: 'User', Type: 2 },
      ]
    : [
        { ID: by.app.name, Type: 1 },
        { ID: by.app.id, Type: 2 },
        { ID: `ServicePrincipal_${guid(`sp|${by.app.id}`)}`, Type: 2 },
        { ID: guid(`sp|${by.app.id}`), Type: 2 },
        { ID: 'ServicePrincipal', Type: 2 },
      ];
  const additional: Record<string, string> = {};
  if (isUser) additional['User-Agent'] = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) WindowsPowerShell/5.1';
  if (o.appId) additional.AppId = o.appId;
  const rec: Record<string, unknown> = {
    CreationTime: iso(o.at).replace(/\.\d+Z$/, ''),
    Id: guid(`ual|${o.activity}|${o.at}`),
    Operation: ualOperation(o.activity),
    OrganizationId: TENANT,
    RecordType: 8,
    ResultStatus: o.result === 'failure' ? 'Failure' : 'Success',
    UserKey: isUser ? `10032001${corr.slice(0, 8).toUpperCase()}@contoso.com` : 'Not Available',
    UserType: isUser ? 0 : 4,
    Version: 1,
    Workload: 'AzureActiveDirectory',
    ObjectId: first ? (first.type === 'Other' ? first.displayName : `${KIND[first.type]}_${first.id}`) : 'Not Available',
    UserId: isUser ? by.user : `ServicePrincipal_${guid(`sp|${by.app.id}`)}`,
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: [
      { Name: 'additionalDetails', Value: JSON.stringify(additional) },
      { Name: 'extendedAuditEventCategory', Value: first && first.type !== 'Other' ? KIND[first.type] : 'Directory' },
    ],
    ModifiedProperties: o.targets.flatMap((t) => (t.modified ?? []).map(([Name, oldV, newV]) => ({ Name, NewValue: ualValue(newV), OldValue: ualValue(oldV) }))),
    Actor: actor,
    ActorContextId: TENANT,
    InterSystemsId: corr,
    IntraSystemId: guid(`intra|${o.activity}|${o.at}`),
    SupportTicketId: '',
    Target: targets.flatMap(ualTarget),
    TargetContextId: TENANT,
  };
  if (isUser) rec.ActorIpAddress = by.ip;
  return rec;
}

export function recordIn(shape: Shape, o: CaseAudit): Record<string, unknown> {
  return shape === 'graph' ? graphRecord(o) : shape === 'diag' ? diagRecord(o) : ualRecord(o);
}

/** The file an export of that shape would be: NDJSON for Graph pages / Event Hub lines, a JSON array for UAL blobs. */
export function auditFile(shape: Shape, name: string, changes: readonly CaseAudit[]): CaseInput {
  const records = changes.map((c) => recordIn(shape, c));
  const text = shape === 'ual' ? JSON.stringify(records, null, 1) + '\n' : records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  return { name: `${name}.${shape}.${shape === 'ual' ? 'json' : 'ndjson'}`, text };
}

// --- sign-ins -------------------------------------------------------------------------------------------------

export interface RiskySignInOpts extends SignInOpts {
  risk?: 'none' | 'low' | 'medium' | 'high';
  riskTypes?: string[];
  riskState?: 'none' | 'atRisk' | 'confirmedCompromised' | 'remediated' | 'dismissed';
}

/** A Graph (beta) signIn with Identity Protection's verdict filled in. */
export function signInRecord(o: RiskySignInOpts): Record<string, unknown> {
  const rec = graphSignIn(o);
  const level = o.risk ?? 'none';
  rec.riskLevelDuringSignIn = level;
  rec.riskLevelAggregated = level;
  rec.riskState = o.riskState ?? (level === 'none' ? 'none' : 'atRisk');
  rec.riskEventTypes_v2 = o.riskTypes ?? [];
  return rec;
}

/** The same signIn inside the diagnostic-settings envelope (category SignInLogs, logged a few minutes later). */
export function diagSignInRecord(o: RiskySignInOpts): Record<string, unknown> {
  const p = signInRecord(o);
  return {
    time: iso(o.at + 3 * MINUTES),
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: 'SignInLogs',
    tenantId: TENANT,
    resultType: String(o.code ?? 0),
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: o.ip,
    correlationId: p.correlationId,
    identity: o.user.split('@')[0],
    Level: 4,
    location: o.country ?? 'NL',
    properties: { ...p, userType: 'Member', createdDateTime: iso(o.at).replace('Z', '+00:00') },
  };
}

export function jsonLines(name: string, records: readonly Record<string, unknown>[]): CaseInput {
  return { name, text: records.map((r) => JSON.stringify(r)).join('\n') + '\n' };
}

/** A JSON-encoded modifiedProperties value, as Entra writes them. */
export const q = (s: string): string => JSON.stringify(s);

export interface RiskDetectionOpts {
  at: number;
  user: string;
  ip: string;
  level: 'low' | 'medium' | 'high';
  type: string; // riskEventType: unfamiliarFeatures, passwordSpray, leakedCredentials, ...
  state?: 'atRisk' | 'confirmedCompromised' | 'remediated' | 'dismissed';
}

/** One Graph riskDetection object (/identityProtection/riskDetections). */
export function riskDetectionRecord(o: RiskDetectionOpts): Record<string, unknown> {
  return {
    id: guid(`risk|${o.user}|${o.at}`).replace(/-/g, '') + guid(`risk2|${o.at}`).replace(/-/g, ''),
    requestId: guid(`req|${o.user}|${o.at}`),
    correlationId: guid(`corr|${o.user}|${o.at}`),
    riskType: o.type,
    riskEventType: o.type,
    riskState: o.state ?? 'atRisk',
    riskLevel: o.level,
    riskDetail: 'none',
    source: 'IdentityProtection',
    detectionTimingType: 'realtime',
    activity: 'signin',
    tokenIssuerType: 'AzureAD',
    ipAddress: o.ip,
    location: { city: 'Lagos', state: 'Lagos', countryOrRegion: 'NG', geoCoordinates: { altitude: null, latitude: 6.45, longitude: 3.39 } },
    activityDateTime: iso(o.at),
    detectedDateTime: iso(o.at),
    lastUpdatedDateTime: iso(o.at + 2 * MINUTES),
    userId: guid(`user|${o.user}`),
    userDisplayName: o.user.split('@')[0],
    userPrincipalName: o.user,
    additionalInfo: JSON.stringify([{ Key: 'userAgent', Value: 'python-requests/2.31.0' }]),
  };
}
