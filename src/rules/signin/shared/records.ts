// Raw sign-in records for the sign-in rules' cases, in three export shapes of the same attempt: the Graph beta
// signIn (records.ts graphSignIn), the Azure Monitor diagnostic-settings envelope (SignInLogs /
// NonInteractiveUserSignInLogs) and the unified audit log's Audit.AzureActiveDirectory STS logon (RecordType 15
// UserLoggedIn / UserLoginFailed). Invented names and addresses only (contoso, 203.0.113.0/24, 198.51.100.0/24,
// 2001:db8::/32).
import { FAILURE_REASONS, MINUTES, TENANT, graphSignIn, guid, iso, ndjson, type SignInOpts } from '../../records.js';
import type { CaseInput } from '../../types.js';

export const HOURS = 60 * MINUTES;
export const SECONDS = 1000;

export interface AttemptOpts extends SignInOpts {
  asn?: number;
  /** clientAppUsed ("Browser", "IMAP4", "Authenticated SMTP", "Exchange ActiveSync", "Other clients"...) */
  clientApp?: string;
  /** authenticationProtocol ("ropc", "deviceCode"...) */
  protocol?: string;
  /** riskLevelDuringSignIn */
  risk?: 'none' | 'low' | 'medium' | 'high';
  riskTypes?: string[];
  /** resource signed in to (Graph resourceId / UAL ObjectId) */
  resource?: { id: string; name: string };
  /** authenticationDetails steps (beta / diag only): a Password step says whether the password was right */
  password?: 'ok' | 'wrong';
  /** a second factor was completed in this sign-in */
  mfa?: boolean;
}

/** LogonError names the UAL writes beside ErrorNumber. */
const LOGON_ERRORS: Record<number, string> = {
  50126: 'InvalidUserNameOrPassword',
  50034: 'UserAccountNotFound',
  50053: 'IdsLocked',
  50055: 'InvalidPasswordExpiredPassword',
  50056: 'InvalidPasswordNullPassword',
  50057: 'UserDisabled',
  50074: 'UserStrongAuthClientAuthNRequiredInterrupt',
  50076: 'UserStrongAuthClientAuthNRequired',
  50105: 'EntitlementGrantsNotFound',
  53003: 'BlockedByConditionalAccess',
  500121: 'AuthenticationFailedSasError',
};

/** Graph beta signIn with the extra facts filled in. */
export function betaSignIn(o: AttemptOpts): Record<string, unknown> {
  const rec = graphSignIn(o);
  const code = o.code ?? 0;
  if (o.asn !== undefined) rec.autonomousSystemNumber = o.asn;
  if (o.clientApp) rec.clientAppUsed = o.clientApp;
  if (o.protocol) rec.authenticationProtocol = o.protocol;
  if (o.resource) {
    rec.resourceId = o.resource.id;
    rec.resourceDisplayName = o.resource.name;
  }
  if (o.risk) {
    rec.riskLevelDuringSignIn = o.risk;
    rec.riskLevelAggregated = o.risk;
    rec.riskState = o.risk === 'none' ? 'none' : 'atRisk';
    rec.riskEventTypes_v2 = o.riskTypes ?? [];
  }
  if (code === 53003) rec.conditionalAccessStatus = 'failure';
  if (o.password) {
    const steps: Record<string, unknown>[] = [
      { authenticationStepDateTime: iso(o.at), authenticationMethod: 'Password', authenticationMethodDetail: 'Password in the cloud', succeeded: o.password === 'ok', authenticationStepResultDetail: o.password === 'ok' ? 'Correct password' : 'Invalid username or password or Invalid on-premise username or password.', authenticationStepRequirement: 'Primary authentication' },
    ];
    if (o.mfa) steps.push({ authenticationStepDateTime: iso(o.at + 20 * SECONDS), authenticationMethod: 'Mobile app notification', succeeded: true, authenticationStepResultDetail: 'MFA successfully completed', authenticationStepRequirement: 'Multi-factor authentication' });
    rec.authenticationDetails = steps;
  }
  return rec;
}

/** The same sign-in in the diagnostic-settings envelope (Event Hub / storage account export). */
export function diagSignIn(o: AttemptOpts): Record<string, unknown> {
  const props = betaSignIn(o);
  const code = o.code ?? 0;
  return {
    time: iso(o.at + 3 * MINUTES),
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: o.interactive === false ? 'NonInteractiveUserSignInLogs' : 'SignInLogs',
    tenantId: TENANT,
    resultType: String(code),
    resultSignature: 'None',
    resultDescription: FAILURE_REASONS[code] ?? '',
    durationMs: 0,
    callerIpAddress: o.ip,
    correlationId: props.correlationId,
    identity: props.userDisplayName,
    Level: 4,
    location: o.country ?? 'NL',
    properties: props,
  };
}

/** The same attempt as the unified audit log records it (whole seconds, no MFA requirement, no risk, no geo). */
export function ualSignIn(o: AttemptOpts): Record<string, unknown> {
  const code = o.code ?? 0;
  const app = o.app ?? { id: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' };
  const resource = o.resource?.id ?? '00000002-0000-0ff1-ce00-000000000000';
  const id = guid(`ual-signin|${o.user}|${o.ip}|${o.at}|${code}`);
  const userId = guid(`user|${o.user}`);
  const rec: Record<string, unknown> = {
    CreationTime: iso(Math.floor(o.at / 1000) * 1000).slice(0, 19),
    Id: id,
    Operation: code === 0 ? 'UserLoggedIn' : 'UserLoginFailed',
    OrganizationId: TENANT,
    RecordType: 15,
    ResultStatus: 'Success',
    UserKey: `${userId}`,
    UserType: 0,
    Version: 1,
    Workload: 'AzureActiveDirectory',
    ClientIP: o.ip,
    ObjectId: resource,
    UserId: o.user,
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: [
      { Name: 'ResultStatusDetail', Value: code === 0 ? 'Success' : 'Success' },
      { Name: 'UserAgent', Value: o.userAgent ?? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36' },
      { Name: 'RequestType', Value: 'Login:login' },
    ],
    ModifiedProperties: [],
    Actor: [{ ID: userId, Type: 0 }, { ID: o.user, Type: 5 }],
    ActorContextId: TENANT,
    ActorIpAddress: o.ip,
    InterSystemsId: guid(`corr|${o.user}|${o.at}`),
    IntraSystemId: guid(`intra|${id}`),
    SupportTicketId: '',
    Target: [{ ID: resource, Type: 0 }],
    TargetContextId: TENANT,
    ApplicationId: app.id,
    DeviceProperties: [{ Name: 'OS', Value: 'Windows 10' }, { Name: 'BrowserType', Value: 'Chrome' }, { Name: 'IsCompliantAndManaged', Value: 'False' }],
  };
  if (code !== 0) {
    rec.ErrorNumber = String(code);
    rec.LogonError = LOGON_ERRORS[code] ?? 'OtherError';
  }
  return rec;
}

export type Shape = 'graph' | 'diag' | 'ual';
const BUILD: Record<Shape, (o: AttemptOpts) => Record<string, unknown>> = { graph: betaSignIn, diag: diagSignIn, ual: ualSignIn };

/** Attempts as one NDJSON file in one shape. */
export function file(name: string, shape: Shape, attempts: readonly AttemptOpts[]): CaseInput {
  return ndjson(name, attempts.map((a) => BUILD[shape](a)));
}

/** "user07@contoso.com" */
export const acct = (i: number): string => `user${String(i).padStart(2, '0')}@contoso.com`;

/** `n` items spread evenly over `span` ms from `start` (first at start, last at start + span). */
export function spread<T>(n: number, start: number, span: number, make: (i: number, at: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i, start + (n === 1 ? 0 : Math.round((i * span) / (n - 1)))));
}
