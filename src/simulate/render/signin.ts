// Sign-in intent -> the records Microsoft writes for it:
//   Graph beta signIn (auditLogs/signIns), field names and order after microsoft-graph-docs/beta/signin-list.md
//   Azure Monitor diagnostic record {time, category, properties, …}, after the Elastic and SEKOIA samples
//   UAL AzureActiveDirectoryStsLogon (RecordType 15) UserLoggedIn / UserLoginFailed, after the SEKOIA samples
import { iso7Offset, iso7Z, isoSecZ, ualTime } from '../clock.js';
import type { AuthStep, PolicyResult, SignInIntent } from '../model.js';
import { hash32 } from '../rng.js';
import { ERRORS, LOGON_ERRORS } from '../world/catalog.js';

type Obj = Record<string, unknown>;

/** A few percent of records carry an empty geoCoordinates object, as Entra does for some addresses. */
const emptyGeo = (s: SignInIntent) => hash32(s.id, 'geo') % 100 < 3;

function location(s: SignInIntent): Obj {
  const p = s.net.place;
  return {
    city: p.city,
    state: p.state,
    countryOrRegion: p.country,
    geoCoordinates: emptyGeo(s) ? {} : { altitude: null, latitude: p.lat, longitude: p.lon },
  };
}

function diagLocation(s: SignInIntent): Obj {
  const p = s.net.place;
  return {
    city: p.city,
    state: p.state,
    countryOrRegion: p.country,
    geoCoordinates: emptyGeo(s) ? {} : { latitude: p.lat, longitude: p.lon },
  };
}

function status(s: SignInIntent, graph: boolean): Obj {
  if (s.errorCode === 0) {
    return graph
      ? { errorCode: 0, failureReason: 'Other.', additionalDetails: s.additionalDetails ?? null }
      : s.additionalDetails
        ? { errorCode: 0, additionalDetails: s.additionalDetails }
        : { errorCode: 0 };
  }
  const st: Obj = { errorCode: s.errorCode, failureReason: ERRORS[s.errorCode] ?? 'Other.' };
  if (graph || s.additionalDetails) st.additionalDetails = s.additionalDetails ?? null;
  return st;
}

function device(s: SignInIntent): Obj {
  const d = s.device;
  if (!d) return { deviceId: '', displayName: '', operatingSystem: '', browser: '', isCompliant: false, isManaged: false, trustType: '' };
  return {
    deviceId: d.deviceId,
    displayName: d.displayName,
    operatingSystem: d.operatingSystem,
    browser: d.browser,
    isCompliant: d.isCompliant,
    isManaged: d.isManaged,
    trustType: d.trustType,
  };
}

function policies(list: PolicyResult[], diag: boolean): Obj[] {
  return list.map((p) => {
    const o: Obj = { id: p.id, displayName: p.displayName, enforcedGrantControls: p.grant, enforcedSessionControls: p.session, result: p.result };
    if (diag) {
      o.conditionsSatisfied = p.satisfied;
      o.conditionsNotSatisfied = p.notSatisfied;
    }
    return o;
  });
}

function steps(s: SignInIntent, diag: boolean): Obj[] {
  return s.steps.map((st: AuthStep) => {
    const at = s.time + (st.offsetMs ?? 0);
    const o: Obj = {
      authenticationStepDateTime: diag ? iso7Offset(at, s.sub) : isoSecZ(at),
      authenticationMethod: st.method,
    };
    if (st.detail !== undefined) o.authenticationMethodDetail = st.detail;
    o.succeeded = st.succeeded;
    o.authenticationStepResultDetail = st.result;
    o.authenticationStepRequirement = st.requirement;
    return o;
  });
}

function processing(s: SignInIntent): Obj[] {
  if (s.type === 'serviceprincipal') return [{ key: 'Azure AD App Authentication Library', value: 'Family: MSAL Library: MSAL.NET 4.60.3 Platform: .NET' }];
  const out: Obj[] = [];
  if (s.type === 'interactive') out.push({ key: 'Login Hint Present', value: hash32(s.id, 'hint') % 2 ? 'True' : 'False' });
  out.push({ key: 'Legacy TLS (TLS 1.0, 1.1, 3DES)', value: 'False' });
  out.push({ key: 'Oauth Scope Info', value: s.scopes ?? '' });
  out.push({ key: 'Is CAE Token', value: s.type === 'noninteractive' && hash32(s.id, 'cae') % 3 === 0 ? 'True' : 'False' });
  return out;
}

const risk = (s: SignInIntent) => s.risk ?? { during: 'none', aggregated: 'none', state: 'none', detail: 'none', types: [] };
const processingMs = (s: SignInIntent) => 40 + (hash32(s.id, 'ms') % 400);
const eventType = (s: SignInIntent) => (s.type === 'interactive' ? 'interactiveUser' : s.type === 'noninteractive' ? 'nonInteractiveUser' : 'servicePrincipal');

/** Graph beta `signIn` object (one element of a page's `value`). */
export function graphSignIn(s: SignInIntent): Obj {
  const r = risk(s);
  const sp = s.type === 'serviceprincipal';
  return {
    id: s.id,
    createdDateTime: isoSecZ(s.time),
    userDisplayName: sp ? null : s.user?.displayName ?? null,
    userPrincipalName: sp ? null : s.user?.upn.toLowerCase() ?? null,
    userId: sp ? null : s.user?.id ?? null,
    appId: s.app.id,
    appDisplayName: s.app.name,
    ipAddress: s.ip,
    clientAppUsed: s.clientAppUsed ?? (sp ? '' : 'Browser'),
    userAgent: s.ua ?? '',
    correlationId: s.correlationId,
    conditionalAccessStatus: s.ca,
    originalRequestId: s.id,
    authenticationProtocol: s.protocol,
    incomingTokenType: s.incomingTokenType,
    isInteractive: s.type === 'interactive',
    homeTenantId: s.tenantId,
    homeTenantName: '',
    isTenantRestricted: false,
    tokenIssuerName: '',
    tokenIssuerType: 'AzureAD',
    processingTimeInMilliseconds: processingMs(s),
    riskDetail: r.detail,
    riskLevelAggregated: r.aggregated,
    riskLevelDuringSignIn: r.during,
    riskState: r.state,
    riskEventTypes_v2: r.types,
    resourceDisplayName: s.resource.name,
    resourceId: s.resource.id,
    resourceTenantId: s.tenantId,
    authenticationMethodsUsed: s.steps.filter((x) => x.succeeded && x.method !== 'Previously satisfied').map((x) => x.method),
    authenticationRequirement: s.requirement ?? 'singleFactorAuthentication',
    signInIdentifier: sp ? '' : s.user?.upn ?? '',
    signInEventTypes: [eventType(s)],
    servicePrincipalId: sp ? s.sp!.spId : '',
    servicePrincipalName: sp ? s.sp!.name : '',
    clientCredentialType: sp ? s.sp!.credentialType : 'none',
    servicePrincipalCredentialKeyId: sp ? s.sp!.keyId ?? '' : '',
    userType: sp ? null : (s.userType ?? 'Member').toLowerCase(),
    flaggedForReview: false,
    autonomousSystemNumber: s.net.asn,
    crossTenantAccessType: 'none',
    sessionId: s.sessionId ?? '',
    uniqueTokenIdentifier: s.tokenId,
    status: status(s, true),
    deviceDetail: device(s),
    location: location(s),
    appliedConditionalAccessPolicies: policies(s.policies, false),
    authenticationProcessingDetails: processing(s),
    networkLocationDetails: netLocations(s),
    authenticationDetails: steps(s, false),
    authenticationRequirementPolicies: s.requirementPolicies ?? [],
    sessionLifetimePolicies: [],
  };
}

function netLocations(s: SignInIntent): Obj[] {
  if (s.net.kind === 'office') return [{ networkType: 'trustedNamedLocation', networkNames: ['Corporate offices'] }];
  if (s.net.kind === 'sase') return [{ networkType: 'namedNetwork', networkNames: ['SASE egress'] }];
  return [];
}

export const DIAG_CATEGORY = {
  interactive: 'SignInLogs',
  noninteractive: 'NonInteractiveUserSignInLogs',
  serviceprincipal: 'ServicePrincipalSignInLogs',
} as const;

/** Envelope `time`: when the record was processed, seconds to minutes after the sign-in. */
export const diagTime = (s: SignInIntent) => s.time + s.lagMs;

/** Azure Monitor diagnostic-settings record (one line of a PT1H.json blob / one element of Event Hub `records`). */
export function diagSignIn(s: SignInIntent): Obj {
  const r = risk(s);
  const sp = s.type === 'serviceprincipal';
  const created = iso7Offset(s.time, s.sub);
  let props: Obj;
  if (sp) {
    props = {
      id: s.id,
      createdDateTime: created,
      userId: null,
      appId: s.app.id,
      ipAddress: s.ip,
      status: status(s, false),
      userAgent: s.ua ?? '',
      location: diagLocation(s),
      correlationId: s.correlationId,
      conditionalAccessStatus: s.ca,
      appliedConditionalAccessPolicies: policies(s.policies, true),
      isInteractive: false,
      tokenIssuerType: 'AzureAD',
      authenticationProcessingDetails: processing(s),
      networkLocationDetails: netLocations(s),
      clientCredentialType: s.sp!.credentialType,
      processingTimeInMilliseconds: processingMs(s),
      riskDetail: r.detail,
      riskLevelAggregated: r.aggregated,
      riskLevelDuringSignIn: r.during,
      riskState: r.state,
      resourceDisplayName: s.resource.name,
      resourceId: s.resource.id,
      servicePrincipalName: s.sp!.name,
      servicePrincipalId: s.sp!.spId,
      flaggedForReview: false,
      isTenantRestricted: false,
      crossTenantAccessType: 'none',
      servicePrincipalCredentialKeyId: s.sp!.keyId ?? '',
      uniqueTokenIdentifier: s.tokenId,
      incomingTokenType: 'none',
      authenticationProtocol: 'none',
      appServicePrincipalId: null,
      resourceServicePrincipalId: s.resource.spId ?? '',
      sessionId: s.sessionId ?? '',
      appOwnerTenantId: s.tenantId,
      resourceOwnerTenantId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
      autonomousSystemNumber: s.net.asn,
    };
  } else {
    props = {
      id: s.id,
      createdDateTime: created,
      userDisplayName: s.user!.displayName,
      userPrincipalName: s.user!.upn.toLowerCase(),
      userId: s.user!.id,
      appId: s.app.id,
      appDisplayName: s.app.name,
      ipAddress: s.ip,
      status: status(s, false),
      clientAppUsed: s.clientAppUsed ?? 'Browser',
      userAgent: s.ua ?? '',
      deviceDetail: device(s),
      location: diagLocation(s),
      correlationId: s.correlationId,
      conditionalAccessStatus: s.ca,
      appliedConditionalAccessPolicies: policies(s.policies, true),
      originalRequestId: s.id,
      isInteractive: s.type === 'interactive',
      tokenIssuerName: '',
      tokenIssuerType: 'AzureAD',
      authenticationProcessingDetails: processing(s),
      networkLocationDetails: netLocations(s),
      processingTimeInMilliseconds: processingMs(s),
      riskDetail: r.detail,
      riskLevelAggregated: r.aggregated,
      riskLevelDuringSignIn: r.during,
      riskState: r.state,
      riskEventTypes: r.types,
      riskEventTypes_v2: r.types,
      resourceDisplayName: s.resource.name,
      resourceId: s.resource.id,
      resourceTenantId: s.tenantId,
      homeTenantId: s.tenantId,
      authenticationDetails: steps(s, true),
      authenticationRequirementPolicies: s.requirementPolicies ?? [],
      authenticationRequirement: s.requirement ?? 'singleFactorAuthentication',
      servicePrincipalId: '',
      userType: s.userType ?? 'Member',
      flaggedForReview: false,
      isTenantRestricted: false,
      autonomousSystemNumber: s.net.asn,
      crossTenantAccessType: 'none',
      privateLinkDetails: {},
      ssoExtensionVersion: '',
      uniqueTokenIdentifier: s.tokenId,
      incomingTokenType: s.incomingTokenType,
      authenticationProtocol: s.protocol,
      sessionId: s.sessionId ?? '',
      mfaDetail: {},
    };
  }
  const env: Obj = {
    time: iso7Z(diagTime(s), s.sub),
    resourceId: `/tenants/${s.tenantId}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: DIAG_CATEGORY[s.type],
    tenantId: s.tenantId,
    resultType: String(s.errorCode),
    resultSignature: sp ? (s.errorCode === 0 ? 'SUCCESS' : 'FAILURE') : 'None',
  };
  if (s.errorCode !== 0) env.resultDescription = ERRORS[s.errorCode] ?? 'Other.';
  env.durationMs = 0;
  env.callerIpAddress = s.ip;
  env.correlationId = s.correlationId;
  if (!sp) {
    env.identity = s.user!.displayName;
    env.Level = 4;
    env.location = s.net.place.country;
  } else {
    env.Level = 4;
  }
  env.properties = props;
  return env;
}

/** UAL Audit.AzureActiveDirectory STS logon record for an interactive user sign-in (undefined for others). */
export function ualSignIn(s: SignInIntent, puid: string): Obj | undefined {
  if (s.type !== 'interactive' || !s.user || !s.ualId) return undefined;
  // Interrupts (KMSI, MFA required) are not failures in the STS log; only real credential/policy failures are.
  const failed = s.errorCode !== 0 && s.errorCode !== 50140;
  const port = 1024 + (hash32(s.id, 'port') % 60000);
  const withPort = !s.ip.includes(':') && hash32(s.id, 'p') % 4 === 0;
  const mfaStep = s.steps.find((x) => x.requirement === 'Multi-factor authentication' && x.method !== 'Previously satisfied');
  const requestType = s.errorCode === 50140 ? 'Kmsi:kmsi' : mfaStep ? 'SAS:EndAuth' : s.protocol === 'ropc' ? 'OAuth2:Token' : 'Login:login';
  const ext: Obj[] = [
    { Name: 'ResultStatusDetail', Value: failed ? 'Success' : s.errorCode === 50140 ? 'Redirect' : 'Success' },
    { Name: 'UserAgent', Value: s.ua ?? '' },
    { Name: 'UserAuthenticationMethod', Value: mfaStep ? '16457' : '1' },
    { Name: 'RequestType', Value: requestType },
  ];
  if (s.errorCode === 50140) ext.push({ Name: 'KeepMeSignedIn', Value: 'True' });
  const rec: Obj = {
    CreationTime: ualTime(s.time),
    Id: s.ualId,
    Operation: failed ? 'UserLoginFailed' : 'UserLoggedIn',
    OrganizationId: s.tenantId,
    RecordType: 15,
    ResultStatus: 'Success',
    UserKey: puid,
    UserType: 0,
    Version: 1,
    Workload: 'AzureActiveDirectory',
    ClientIP: withPort ? `${s.ip}:${port}` : s.ip,
    ObjectId: s.resource.id,
    UserId: s.user.upn,
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: ext,
    ModifiedProperties: [],
    Actor: [
      { ID: s.user.id, Type: 0 },
      { ID: s.user.upn, Type: 5 },
      { ID: puid, Type: 3 },
    ],
    ActorContextId: s.tenantId,
    ActorIpAddress: s.ip,
    InterSystemsId: s.correlationId,
    IntraSystemId: s.id,
    SupportTicketId: '',
    Target: [{ ID: s.resource.id, Type: 0 }],
    TargetContextId: s.tenantId,
    ApplicationId: s.app.id,
    DeviceProperties: [
      { Name: 'OS', Value: s.device?.operatingSystem ?? '' },
      { Name: 'BrowserType', Value: (s.device?.browser ?? '').split(' ')[0] ?? '' },
      { Name: 'IsCompliantAndManaged', Value: s.device?.isCompliant && s.device.isManaged ? 'True' : 'False' },
      { Name: 'SessionId', Value: s.sessionId ?? '' },
    ],
  };
  if (failed) {
    rec.ErrorNumber = String(s.errorCode);
    rec.LogonError = LOGON_ERRORS[s.errorCode] ?? 'Other';
  }
  return rec;
}
