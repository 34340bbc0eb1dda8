// One sign-in, many shapes. `SignInFacts` is a sign-in as facts; the render* functions write it the way each
// source does (Graph beta object, diagnostic-export record, Sentinel row, Log Analytics portal CSV, admin-center
// CSV download). `signInCore` picks the part of an Event every shape must agree on. Used by the cross-format
// property test; another leg (e.g. the UAL UserLoggedIn record) can add its own renderer and compare the
// subset of the core it carries.
import path from 'node:path';
import type { Event } from '../../core/event.js';

export interface AuthStepFacts {
  method: string;
  succeeded: boolean;
  requirement: 'Primary authentication' | 'Multi-factor authentication';
  result?: string;
}

export interface SignInFacts {
  id: string;
  time: number; // epoch ms
  tenant: string;
  upn: string;
  userId: string;
  displayName: string;
  appId: string;
  appName: string;
  ip: string;
  userAgent: string;
  code: number;
  failureReason?: string;
  statusDetail?: string;
  requirement?: 'singleFactorAuthentication' | 'multiFactorAuthentication';
  steps: AuthStepFacts[];
  ca: 'success' | 'failure' | 'notApplied';
  interactive: boolean;
  clientApp: string;
  protocol: 'none' | 'ropc' | 'deviceCode' | 'oAuth2';
  resourceId: string;
  resourceName: string;
  sessionId?: string;
  tokenId: string;
  correlationId: string;
  riskLevel: 'none' | 'low' | 'medium' | 'high' | 'hidden';
  riskTypes: string[];
  city: string;
  country: string;
  lat?: number;
  lon?: number;
  asn: number;
  /** offset the diagnostic export writes createdDateTime with (minutes east of UTC) */
  diagOffsetMinutes: number;
}

/** The facts every full-fidelity sign-in shape carries; compare with deepEqual. */
export interface SignInCore {
  time: number;
  tenant: string;
  source: string;
  action: string;
  outcome: string;
  reason?: { code: string; text?: string };
  actor: { kind: string; user?: string; userId?: string; ip?: string; appId?: string };
  auth: Record<string, unknown>;
  session: { id?: string; tokenId?: string; correlationId?: string };
  risk: { level?: string };
}

export type CoreOmit = 'risk' | 'auth.mfa' | 'session.id' | 'session.correlationId' | 'reason.text' | 'source';

/**
 * The comparable core of a sign-in Event. `omit` drops what a poorer shape cannot carry (the admin-center CSV
 * has no risk columns; the UAL has no MFA requirement); `timePrecisionMs` floors the time for shapes with
 * coarser timestamps (the CSV download writes whole seconds).
 */
export function signInCore(e: Event, opts: { omit?: CoreOmit[]; timePrecisionMs?: number } = {}): SignInCore {
  const omit = new Set(opts.omit ?? []);
  const p = opts.timePrecisionMs ?? 1;
  const a = e.auth ?? {};
  const auth: Record<string, unknown> = {
    requirement: a.requirement, mfa: omit.has('auth.mfa') ? undefined : a.mfa, ca: a.ca, interactive: a.interactive,
    clientApp: a.clientApp, protocol: a.protocol, legacy: a.legacy, resourceId: a.resourceId,
  };
  return prune({
    time: Math.floor(e.time / p) * p,
    tenant: e.tenant,
    source: omit.has('source') ? undefined : e.source,
    action: e.action,
    outcome: e.outcome,
    reason: e.reason ? { code: e.reason.code, text: omit.has('reason.text') ? undefined : e.reason.text } : undefined,
    actor: { kind: e.actor.kind, user: e.actor.user, userId: e.actor.userId, ip: e.actor.ip, appId: e.actor.appId },
    auth,
    session: { id: omit.has('session.id') ? undefined : e.session?.id, tokenId: e.session?.tokenId, correlationId: omit.has('session.correlationId') ? undefined : e.session?.correlationId },
    risk: { level: omit.has('risk') ? undefined : e.risk?.level },
  }) as SignInCore;
}

function prune(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(prune);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = prune(x);
    return o;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------
// the static "same sign-in" fixture set (s4 of fixtures: Megan, an admin, single factor via ROPC from the
// stuffing IP) — reusable by other legs, e.g. a UAL UserLoggedIn record of the same sign-in

/** The fixtures that carry the same sign-in (s4: an admin, single factor, from the stuffing IP). */
export const SAME_SIGNIN_FIXTURES = [
  'same-signin.graph-beta.json',
  'same-signin.diag.json',
  'same-signin.sentinel.ndjson',
  'same-signin.la-export.csv',
  'same-signin.InteractiveSignIns.csv',
] as const;

/** Its core, as every full-fidelity shape must normalize it. */
export const SAME_SIGNIN_CORE: SignInCore = {
  time: Date.parse('2024-05-01T09:41:07.123Z'),
  tenant: '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  source: 'entra.signin',
  action: 'signin',
  outcome: 'success',
  actor: { kind: 'user', user: 'megan.bowen@contoso.com', userId: '5a6b7c8d-2222-4e3f-8a9b-1c2d3e4f5a6b', ip: '198.51.100.23', appId: '1b730954-1685-4b74-9bfd-dac224a7b894' },
  auth: {
    requirement: 'single', mfa: 'not_required', ca: 'notApplied', interactive: true, clientApp: 'Mobile Apps and Desktop clients',
    protocol: 'ropc', legacy: false, resourceId: '00000003-0000-0000-c000-000000000000',
  },
  session: { id: '5e6f7a8b-cccc-4d1e-9f2a-000000000004', tokenId: 'S4tokenAAAAAAAAAAAAAAA', correlationId: '0f1e2d3c-aaaa-4b5c-8d7e-000000000004' },
  risk: { level: 'medium' },
};

/** Path of a same-sign-in fixture (tests run with cwd = repo root). */
export function sameSignInFixture(name: string): string {
  return path.resolve('src/decoders/entra-signin/fixtures', name);
}

// ---------------------------------------------------------------------------------------------------------
// renderers

/** 7 fractional digits, as Entra writes createdDateTime */
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_m, d: string) => `.${d}0000Z`);

/** ISO text of `ms` written in a fixed offset ("2024-05-01T01:02:11.443-07:00"). */
function isoWithOffset(ms: number, offsetMin: number): string {
  const wall = new Date(ms + offsetMin * 60000).toISOString().slice(0, 23);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function statusOf(f: SignInFacts): Record<string, unknown> {
  return { errorCode: f.code, failureReason: f.code === 0 ? 'Other.' : f.failureReason ?? null, additionalDetails: f.statusDetail ?? null };
}

function stepsOf(f: SignInFacts): Record<string, unknown>[] {
  return f.steps.map((s) => ({
    authenticationStepDateTime: iso(f.time).replace('Z', '+00:00'),
    authenticationMethod: s.method,
    succeeded: s.succeeded,
    authenticationStepResultDetail: s.result ?? (s.succeeded ? 'Correct password' : 'Invalid username or password'),
    authenticationStepRequirement: s.requirement,
  }));
}

function locationOf(f: SignInFacts): Record<string, unknown> {
  return {
    city: f.city, state: '', countryOrRegion: f.country,
    geoCoordinates: f.lat === undefined ? {} : { altitude: null, latitude: f.lat, longitude: f.lon },
  };
}

export function renderGraphBeta(f: SignInFacts): Record<string, unknown> {
  return {
    id: f.id,
    createdDateTime: iso(f.time),
    userDisplayName: f.displayName,
    userPrincipalName: f.upn,
    userId: f.userId,
    appId: f.appId,
    appDisplayName: f.appName,
    ipAddress: f.ip,
    clientAppUsed: f.clientApp,
    userAgent: f.userAgent,
    correlationId: f.correlationId,
    conditionalAccessStatus: f.ca,
    isInteractive: f.interactive,
    riskDetail: 'none',
    riskLevelAggregated: f.riskLevel,
    riskLevelDuringSignIn: f.riskLevel,
    riskState: f.riskLevel === 'none' ? 'none' : 'atRisk',
    riskEventTypes_v2: f.riskTypes,
    resourceDisplayName: f.resourceName,
    resourceId: f.resourceId,
    resourceTenantId: f.tenant,
    homeTenantId: f.tenant,
    authenticationRequirement: f.requirement,
    signInEventTypes: [f.interactive ? 'interactiveUser' : 'nonInteractiveUser'],
    userType: 'member',
    autonomousSystemNumber: f.asn,
    uniqueTokenIdentifier: f.tokenId,
    authenticationProtocol: f.protocol,
    sessionId: f.sessionId,
    status: statusOf(f),
    deviceDetail: { deviceId: '', operatingSystem: 'Windows10', browser: 'Edge 124.0.0' },
    location: locationOf(f),
    appliedConditionalAccessPolicies: [],
    authenticationDetails: stepsOf(f),
  };
}

export function renderDiag(f: SignInFacts): Record<string, unknown> {
  const p = renderGraphBeta(f);
  p.createdDateTime = isoWithOffset(f.time, f.diagOffsetMinutes);
  p.userType = 'Member';
  delete p.signInEventTypes;
  return {
    time: iso(f.time + 150_000),
    resourceId: `/tenants/${f.tenant}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: f.interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
    tenantId: f.tenant,
    resultType: String(f.code),
    resultSignature: 'None',
    ...(f.code !== 0 && f.failureReason ? { resultDescription: f.failureReason } : {}),
    durationMs: 0,
    callerIpAddress: f.ip,
    correlationId: f.correlationId,
    identity: f.displayName,
    Level: 4,
    location: f.country,
    properties: p,
  };
}

/** A Sentinel row; `stringDynamic` writes dynamic columns as JSON text (AADNonInteractiveUserSignInLogs does). */
export function renderSentinelRow(f: SignInFacts, stringDynamic: boolean): Record<string, unknown> {
  const J = (v: unknown): unknown => (stringDynamic ? JSON.stringify(v) : v);
  return {
    TenantId: '81c2a3b4-0000-4c5d-8e6f-000000000099', // the workspace, not the Entra tenant
    SourceSystem: 'Azure AD',
    TimeGenerated: new Date(f.time + 240_000).toISOString(),
    ResourceId: `/tenants/${f.tenant}/providers/Microsoft.aadiam`,
    OperationName: 'Sign-in activity',
    Category: f.interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
    ResultType: String(f.code),
    ResultDescription: f.code === 0 ? '' : f.failureReason ?? '',
    CorrelationId: f.correlationId,
    Location: f.country,
    AppDisplayName: f.appName,
    AppId: f.appId,
    AuthenticationDetails: JSON.stringify(stepsOf(f)),
    AuthenticationRequirement: f.requirement ?? '',
    AuthenticationProtocol: f.protocol,
    AutonomousSystemNumber: String(f.asn),
    ClientAppUsed: f.clientApp,
    ConditionalAccessPolicies: J([]),
    ConditionalAccessStatus: f.ca,
    CreatedDateTime: new Date(f.time).toISOString(),
    DeviceDetail: J({ deviceId: '', operatingSystem: 'Windows10', browser: 'Edge 124.0.0' }),
    IsInteractive: f.interactive,
    Id: f.id,
    IPAddress: f.ip,
    LocationDetails: J(locationOf(f)),
    RiskDetail: 'none',
    RiskEventTypes_V2: JSON.stringify(f.riskTypes),
    RiskLevelAggregated: f.riskLevel,
    RiskLevelDuringSignIn: f.riskLevel,
    RiskState: f.riskLevel === 'none' ? 'none' : 'atRisk',
    ResourceDisplayName: f.resourceName,
    ResourceIdentity: f.resourceId,
    SessionId: f.sessionId ?? '',
    Status: J(statusOf(f)),
    UserAgent: f.userAgent,
    UserDisplayName: f.displayName,
    UserId: f.userId,
    UserPrincipalName: f.upn,
    ...(f.interactive ? { AADTenantId: f.tenant } : {}),
    UserType: 'Member',
    ResourceTenantId: f.tenant,
    HomeTenantId: f.tenant,
    UniqueTokenIdentifier: f.tokenId,
    Type: f.interactive ? 'SigninLogs' : 'AADNonInteractiveUserSignInLogs',
  };
}

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** "9/19/2023, 1:45:17.287 PM" as the Log Analytics portal writes it (UTC header). */
export function laPortalTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const ms3 = String(d.getUTCMilliseconds()).padStart(3, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}, ${h % 12 || 12}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}.${ms3} ${h < 12 ? 'AM' : 'PM'}`;
}

/** Log Analytics portal CSV export of sign-in rows (UTC). */
export function renderLaCsv(fs: SignInFacts[]): string {
  const rows = fs.map((f) => renderSentinelRow(f, true));
  const cols = Object.keys(rows[0] ?? {});
  const head = cols.map((c) => (c === 'TimeGenerated' || c === 'CreatedDateTime' ? `${c} [UTC]` : c));
  const lines = [head.join(',')];
  for (const r of rows) {
    lines.push(cols.map((c) => csvCell(c === 'TimeGenerated' || c === 'CreatedDateTime' ? laPortalTime(Date.parse(String(r[c]))) : r[c])).join(','));
  }
  return lines.join('\n') + '\n';
}

const PORTAL_COLUMNS = [
  'Date (UTC)', 'Request ID', 'User agent', 'Correlation ID', 'User ID', 'User', 'Username', 'User type', 'Authentication Protocol',
  'Unique token identifier', 'Application', 'Application ID ', 'Resource', 'Resource ID ', 'Resource tenant ID', 'Home tenant ID', 'IP address',
  'Location', 'Status', 'Sign-in error code', 'Failure reason', 'Client app', 'Multifactor authentication result',
  'Multifactor authentication auth method', 'Authentication requirement', 'Sign-in identifier', 'Session ID', 'Autonomous system  number',
  'Conditional Access',
];
const HUMAN: Record<string, string> = {
  singleFactorAuthentication: 'Single-factor authentication', multiFactorAuthentication: 'Multifactor authentication',
  notApplied: 'Not Applied', success: 'Success', failure: 'Failure', none: 'None', ropc: 'ROPC', deviceCode: 'Device code', oAuth2: 'OAuth 2.0',
};

/** Entra admin center CSV download rows (whole-second UTC dates, human enum spellings, BOM + CRLF). */
export function renderPortalCsv(fs: SignInFacts[], outcomeText: (code: number) => string): string {
  const lines = [PORTAL_COLUMNS.join(',')];
  for (const f of fs) {
    const mfaStep = f.steps.find((s) => s.requirement === 'Multi-factor authentication');
    const cells: Record<string, unknown> = {
      'Date (UTC)': new Date(Math.floor(f.time / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      'Request ID': f.id, 'User agent': f.userAgent, 'Correlation ID': f.correlationId, 'User ID': f.userId, User: f.displayName,
      Username: f.upn, 'User type': 'Member', 'Authentication Protocol': HUMAN[f.protocol] ?? f.protocol, 'Unique token identifier': f.tokenId,
      Application: f.appName, 'Application ID ': f.appId, Resource: f.resourceName, 'Resource ID ': f.resourceId, 'Resource tenant ID': f.tenant,
      'Home tenant ID': f.tenant, 'IP address': f.ip, Location: [f.city, f.country].filter(Boolean).join(', '), Status: outcomeText(f.code),
      'Sign-in error code': f.code, 'Failure reason': f.code === 0 ? 'Other.' : f.failureReason, 'Client app': f.clientApp,
      'Multifactor authentication result': f.statusDetail, 'Multifactor authentication auth method': mfaStep?.method,
      'Authentication requirement': f.requirement ? HUMAN[f.requirement] : '', 'Sign-in identifier': f.upn, 'Session ID': f.sessionId,
      'Autonomous system  number': f.asn, 'Conditional Access': HUMAN[f.ca],
    };
    lines.push(PORTAL_COLUMNS.map((c) => csvCell(cells[c])).join(','));
  }
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}
