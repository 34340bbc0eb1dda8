// Builders of RAW records for rule cases, in the shapes Microsoft exports (Graph signIn / directoryAudit, Azure
// Monitor diagnostic-settings envelopes). Cases serialize them to NDJSON text and run them through the real
// framing and decoders, so a case breaks when a decoder stops understanding the format. All names, ids and
// addresses are invented (contoso, 203.0.113.0/24, 198.51.100.0/24, 2001:db8::/32).
import type { CaseInput } from './types.js';

export const TENANT = '5b7e2c1a-9d4f-4e3b-8a6c-1f2e3d4c5b6a';
export const BASE = Date.UTC(2024, 4, 6, 9, 0, 0);
export const MINUTES = 60_000;

export const iso = (ms: number): string => new Date(ms).toISOString();

/** A deterministic GUID-shaped id from a label (cases must decode the same way every run). */
export function guid(label: string): string {
  let h1 = 0x811c9dc5, h2 = 0x9e3779b9;
  for (let i = 0; i < label.length; i++) {
    h1 = Math.imul(h1 ^ label.charCodeAt(i), 0x01000193);
    h2 = Math.imul(h2 ^ label.charCodeAt(i), 0x5bd1e995);
  }
  const hex = ((h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0')).repeat(2);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const FAILURE_REASONS: Record<number, string> = {
  0: '',
  50126: 'Error validating credentials due to invalid username or password.',
  50034: 'The user account does not exist in the directory.',
  50053: 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.',
  50055: 'The password is expired.',
  50056: 'Invalid or null password: password does not exist in the directory for this user.',
  50057: 'The user account is disabled.',
  50074: 'Strong Authentication is required.',
  50140: "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in.",
  53003: 'Access has been blocked by Conditional Access policies.',
  500121: 'Authentication failed during strong authentication request.',
};

export interface SignInOpts {
  at: number; // epoch ms
  user: string; // UPN
  ip: string;
  code?: number;
  app?: { id: string; name: string };
  interactive?: boolean;
  userAgent?: string;
  single?: boolean; // authenticationRequirement singleFactorAuthentication (beta / diag only)
  country?: string;
}

const OFFICE = { id: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' };

/** One Graph (beta) signIn object as /auditLogs/signIns returns it. */
export function graphSignIn(o: SignInOpts): Record<string, unknown> {
  const code = o.code ?? 0;
  const app = o.app ?? OFFICE;
  const rec: Record<string, unknown> = {
    id: guid(`signin|${o.user}|${o.ip}|${o.at}|${code}`),
    createdDateTime: iso(o.at),
    userDisplayName: o.user.split('@')[0],
    userPrincipalName: o.user,
    userId: guid(`user|${o.user}`),
    appId: app.id,
    appDisplayName: app.name,
    ipAddress: o.ip,
    clientAppUsed: 'Browser',
    correlationId: guid(`corr|${o.user}|${o.at}`),
    conditionalAccessStatus: 'notApplied',
    isInteractive: o.interactive ?? true,
    resourceDisplayName: 'Office 365 Exchange Online',
    resourceId: '00000002-0000-0ff1-ce00-000000000000',
    resourceTenantId: TENANT,
    homeTenantId: TENANT,
    userAgent: o.userAgent ?? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    status: { errorCode: code, failureReason: FAILURE_REASONS[code] ?? 'Other.', additionalDetails: null },
    deviceDetail: { deviceId: '', displayName: '', operatingSystem: 'Windows10', browser: 'Chrome 124.0.0', isCompliant: false, isManaged: false, trustType: '' },
    location: { city: 'Amsterdam', state: 'Noord-Holland', countryOrRegion: o.country ?? 'NL', geoCoordinates: { altitude: null, latitude: 52.37, longitude: 4.89 } },
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes_v2: [],
    appliedConditionalAccessPolicies: [],
  };
  if (o.single !== undefined) rec.authenticationRequirement = o.single ? 'singleFactorAuthentication' : 'multiFactorAuthentication';
  return rec;
}

export interface SpSignInOpts {
  at: number;
  app: { id: string; name: string };
  ip: string;
  asn?: number;
  code?: number;
  microsoft?: boolean; // MicrosoftServicePrincipalSignInLogs (first-party apps)
  resource?: { id: string; name: string };
}

/** One ServicePrincipalSignInLogs record in the Azure Monitor diagnostic-settings envelope (Event Hub / storage). */
export function diagSpSignIn(o: SpSignInOpts): Record<string, unknown> {
  const code = o.code ?? 0;
  const resource = o.resource ?? { id: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' };
  const id = guid(`spsignin|${o.app.id}|${o.ip}|${o.at}`);
  const properties: Record<string, unknown> = {
    id,
    createdDateTime: iso(o.at),
    appId: o.app.id,
    appDisplayName: o.app.name,
    servicePrincipalId: guid(`sp|${o.app.id}`),
    servicePrincipalName: o.app.name,
    ipAddress: o.ip,
    correlationId: guid(`corr|${id}`),
    resourceDisplayName: resource.name,
    resourceId: guid(`resource-sp|${resource.id}`),
    status: { errorCode: code, ...(code ? { failureReason: 'Invalid client secret provided.' } : {}) },
    clientCredentialType: 'clientSecret',
    servicePrincipalCredentialKeyId: guid(`key|${o.app.id}`),
    conditionalAccessStatus: 'notApplied',
    location: { city: 'Ashburn', state: 'Virginia', countryOrRegion: 'US', geoCoordinates: {} },
  };
  if (o.asn !== undefined) properties.autonomousSystemNumber = o.asn;
  return {
    time: iso(o.at + 2 * MINUTES),
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: o.microsoft ? 'MicrosoftServicePrincipalSignInLogs' : 'ServicePrincipalSignInLogs',
    tenantId: TENANT,
    resultType: String(code),
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: o.ip,
    correlationId: properties.correlationId,
    Level: 4,
    location: 'US',
    properties,
  };
}

export interface AuditTarget {
  type: 'Application' | 'ServicePrincipal' | 'User' | 'Role';
  id: string;
  displayName: string;
  modified?: [name: string, oldValue: string | null, newValue: string | null][];
}

export interface AuditOpts {
  at: number;
  activity: string; // activityDisplayName exactly as Entra writes it
  category?: string;
  operationType?: string;
  by?: { user: string; ip: string } | { app: { id: string; name: string } };
  targets: AuditTarget[];
  appId?: string; // additionalDetails AppId
  result?: 'success' | 'failure';
}

/** One Graph directoryAudit object as /auditLogs/directoryAudits returns it. */
export function graphAudit(o: AuditOpts): Record<string, unknown> {
  const by = o.by ?? { user: 'admin@contoso.com', ip: '198.51.100.10' };
  const initiatedBy =
    'user' in by
      ? { user: { id: guid(`user|${by.user}`), displayName: null, userPrincipalName: by.user, ipAddress: by.ip } }
      : { app: { appId: by.app.id, displayName: by.app.name, servicePrincipalId: guid(`sp|${by.app.id}`), servicePrincipalName: by.app.name } };
  const corr = guid(`audit|${o.activity}|${o.at}`);
  return {
    id: `Directory_${corr}_${corr.slice(0, 5).toUpperCase()}_${Math.floor(o.at / 1000) % 100000000}`,
    category: o.category ?? 'ApplicationManagement',
    correlationId: corr,
    result: o.result ?? 'success',
    resultReason: '',
    activityDisplayName: o.activity,
    activityDateTime: iso(o.at),
    loggedByService: 'Core Directory',
    operationType: o.operationType ?? 'Update',
    initiatedBy,
    targetResources: o.targets.map((t) => ({
      id: t.id,
      displayName: t.displayName,
      type: t.type,
      modifiedProperties: (t.modified ?? []).map(([displayName, oldValue, newValue]) => ({ displayName, oldValue, newValue })),
    })),
    additionalDetails: [
      { key: 'User-Agent', value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) WindowsPowerShell/5.1' },
      ...(o.appId ? [{ key: 'AppId', value: o.appId }] : []),
    ],
  };
}

/** The same directoryAudit inside the Azure Monitor AuditLogs envelope (diagnostic-settings export). */
export function diagAudit(o: AuditOpts): Record<string, unknown> {
  const props = graphAudit(o);
  return {
    time: iso(o.at + MINUTES),
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: o.activity,
    operationVersion: '1.0',
    category: 'AuditLogs',
    tenantId: TENANT,
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: 'user' in (o.by ?? { user: '' }) ? (o.by as { ip: string } | undefined)?.ip ?? '198.51.100.10' : '<null>',
    correlationId: props.correlationId,
    Level: 4,
    properties: { ...props, tenantId: TENANT, activityDateTime: iso(o.at).replace('Z', '+00:00') },
  };
}

/** A JSON-encoded modifiedProperties value, as Entra writes them ("\"Exchange.ManageAsApp\""). */
export const q = (s: string): string => JSON.stringify(s);

export function ndjson(name: string, records: readonly Record<string, unknown>[]): CaseInput {
  return { name, text: records.map((r) => JSON.stringify(r)).join('\n') + '\n' };
}
