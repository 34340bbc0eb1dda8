// Raw user sign-in records with a place, an ASN and session / token ids, in the shapes Microsoft exports (Graph
// beta signIn, Azure Monitor diagnostic-settings record) plus a UAL MailItemsAccessed with AppAccessContext, for
// the impossible-travel and token-replay cases. Names, ids and addresses are invented (contoso, 203.0.113.0/24,
// 198.51.100.0/24, 192.0.2.0/24, 2001:db8::/32); ASNs come from the documentation range 64496-64511 unless a case
// needs a real provider's ASN (its VPN / mobile lists are the point of the case).
import { TENANT, guid, iso } from '../records.js';

export interface Place {
  city: string;
  state: string;
  country: string;
  lat: number;
  lon: number;
}

export const PLACES = {
  london: { city: 'London', state: 'England', country: 'GB', lat: 51.5072, lon: -0.1276 },
  reading: { city: 'Reading', state: 'England', country: 'GB', lat: 51.4543, lon: -0.9781 },
  paris: { city: 'Paris', state: 'Ile-de-France', country: 'FR', lat: 48.8566, lon: 2.3522 },
  amsterdam: { city: 'Amsterdam', state: 'Noord-Holland', country: 'NL', lat: 52.3676, lon: 4.9041 },
  frankfurt: { city: 'Frankfurt am Main', state: 'Hesse', country: 'DE', lat: 50.1109, lon: 8.6821 },
  seattle: { city: 'Seattle', state: 'Washington', country: 'US', lat: 47.6062, lon: -122.3321 },
  newYork: { city: 'New York', state: 'New York', country: 'US', lat: 40.7128, lon: -74.006 },
  lagos: { city: 'Lagos', state: 'Lagos', country: 'NG', lat: 6.5244, lon: 3.3792 },
  singapore: { city: 'Singapore', state: 'Singapore', country: 'SG', lat: 1.3521, lon: 103.8198 },
} as const satisfies Record<string, Place>;

export interface UserSignInOpts {
  at: number;
  user: string;
  ip: string;
  /** the record's location; null writes an empty location (no coordinates), as some exports do */
  place?: Place | null;
  asn?: number;
  sessionId?: string;
  tokenId?: string;
  interactive?: boolean;
  code?: number;
  /** the record says the IP is in this trusted named location (networkLocationDetails) */
  trustedLocation?: string;
  app?: { id: string; name: string };
}

const OFFICE = { id: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' };

/** 7 fractional digits, as Entra writes createdDateTime */
const iso7 = (ms: number): string => iso(ms).replace(/\.(\d{3})Z$/, (_m, d: string) => `.${d}0000Z`);

/** One Graph beta signIn (/beta/auditLogs/signIns) with location, ASN, session and token ids. */
export function graphBetaUserSignIn(o: UserSignInOpts): Record<string, unknown> {
  const code = o.code ?? 0;
  const app = o.app ?? OFFICE;
  const place = o.place === undefined ? PLACES.london : o.place;
  const id = guid(`signin|${o.user}|${o.ip}|${o.at}|${code}|${o.interactive ?? true}`);
  return {
    id,
    createdDateTime: iso7(o.at),
    userDisplayName: o.user.split('@')[0],
    userPrincipalName: o.user,
    userId: guid(`user|${o.user}`),
    appId: app.id,
    appDisplayName: app.name,
    ipAddress: o.ip,
    clientAppUsed: 'Browser',
    correlationId: guid(`corr|${id}`),
    conditionalAccessStatus: 'notApplied',
    isInteractive: o.interactive ?? true,
    signInEventTypes: [o.interactive === false ? 'nonInteractiveUser' : 'interactiveUser'],
    resourceDisplayName: 'Office 365 Exchange Online',
    resourceId: '00000002-0000-0ff1-ce00-000000000000',
    resourceTenantId: TENANT,
    homeTenantId: TENANT,
    userType: 'member',
    authenticationRequirement: 'multiFactorAuthentication',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
    ...(o.asn !== undefined ? { autonomousSystemNumber: o.asn } : {}),
    ...(o.sessionId !== undefined ? { sessionId: o.sessionId } : {}),
    uniqueTokenIdentifier: o.tokenId ?? id.replace(/-/g, '').slice(0, 22),
    status: { errorCode: code, failureReason: code === 0 ? 'Other.' : 'Invalid username or password or Invalid on-premise username or password.', additionalDetails: null },
    deviceDetail: { deviceId: '', displayName: '', operatingSystem: 'Windows10', browser: 'Chrome 124.0.0', isCompliant: false, isManaged: false, trustType: '' },
    location: place
      ? { city: place.city, state: place.state, countryOrRegion: place.country, geoCoordinates: { altitude: null, latitude: place.lat, longitude: place.lon } }
      : { city: '', state: '', countryOrRegion: '', geoCoordinates: {} },
    networkLocationDetails: o.trustedLocation ? [{ networkType: 'trustedNamedLocation', networkNames: [o.trustedLocation] }] : [],
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes_v2: [],
    appliedConditionalAccessPolicies: [],
  };
}

/** The same sign-in in the diagnostic-settings envelope (SignInLogs / NonInteractiveUserSignInLogs). */
export function diagUserSignIn(o: UserSignInOpts): Record<string, unknown> {
  const p = graphBetaUserSignIn(o);
  delete p.signInEventTypes;
  p.userType = 'Member';
  return {
    time: iso(o.at + 150_000),
    resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`,
    operationName: 'Sign-in activity',
    operationVersion: '1.0',
    category: o.interactive === false ? 'NonInteractiveUserSignInLogs' : 'SignInLogs',
    tenantId: TENANT,
    resultType: String(o.code ?? 0),
    resultSignature: 'None',
    durationMs: 0,
    callerIpAddress: o.ip,
    correlationId: p.correlationId,
    identity: p.userDisplayName,
    Level: 4,
    location: (p.location as { countryOrRegion: string }).countryOrRegion,
    properties: p,
  };
}

export interface MailAccessOpts {
  at: number;
  user: string;
  ip: string;
  sessionId?: string;
  tokenId?: string;
}

/** A UAL MailItemsAccessed (Management Activity API JSON) by the user, with the token's AppAccessContext. */
export function ualMailItemsAccessed(o: MailAccessOpts): Record<string, unknown> {
  const at = iso(o.at).slice(0, 19);
  return {
    AppAccessContext: {
      AADSessionId: o.sessionId,
      APIId: '00000003-0000-0000-c000-000000000000',
      ClientAppId: '00000002-0000-0ff1-ce00-000000000000',
      IssuedAtTime: at,
      UniqueTokenId: o.tokenId ?? '0000000000000000000000',
    },
    CreationTime: at,
    Id: guid(`mia|${o.user}|${o.ip}|${o.at}`),
    Operation: 'MailItemsAccessed',
    OrganizationId: TENANT,
    RecordType: 50,
    ResultStatus: 'Succeeded',
    UserKey: guid(`user|${o.user}`),
    UserType: 0,
    Version: 1,
    Workload: 'Exchange',
    UserId: o.user,
    ClientIPAddress: o.ip,
    ClientInfoString: 'Client=OWA;Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36;',
    ExternalAccess: false,
    LogonType: 0,
    MailboxGuid: guid(`mbx|${o.user}`),
    MailboxOwnerUPN: o.user,
    OperationProperties: [{ Name: 'MailAccessType', Value: 'Bind' }, { Name: 'IsThrottled', Value: 'False' }],
    OrganizationName: 'contoso.onmicrosoft.com',
    OriginatingServer: 'PH0PR11MB1234 (15.20.7362.019)\r\n',
    Folders: [{ FolderItems: [{ InternetMessageId: `<${guid(`msg|${o.at}`)}@contoso.com>` }], Id: 'LgAAAA', Path: '\\Inbox' }],
    OperationCount: 1,
  };
}
