// Deterministic generator of large sign-in + audit NDJSON for benchmarks (diagnostic-export and Graph shapes).
// Usage: node bench/gen.mjs OUT_FILE SIZE_MB [SEED]
import { createWriteStream } from 'node:fs';

export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TENANT = '7f3c2b1a-0d9e-4c8b-a7f6-5e4d3c2b1a09';
const CITIES = [
  ['Seattle', 'Washington', 'US', 47.6, -122.3], ['Berlin', 'Berlin', 'DE', 52.5, 13.4], ['Sydney', 'New South Wales', 'AU', -33.9, 151.2],
  ['Lagos', 'Lagos', 'NG', 6.5, 3.4], ['Sao Paulo', 'Sao Paulo', 'BR', -23.5, -46.6], ['Tokyo', 'Tokyo', 'JP', 35.7, 139.7],
];
const hex = (r, n) => { let s = ''; for (let i = 0; i < n; i++) s += ((r() * 16) | 0).toString(16); return s; };
const guid = (r) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;

function signIn(r, t) {
  const u = (r() * 5000) | 0;
  const c = CITIES[(r() * CITIES.length) | 0];
  const fail = r() < 0.08;
  const code = fail ? [50126, 50053, 50074, 50140][(r() * 4) | 0] : 0;
  const iso = new Date(t).toISOString();
  const id = guid(r);
  const props = {
    id, createdDateTime: iso, userDisplayName: `User ${u}`, userPrincipalName: `user${u}@contoso.example`, userId: guid(r),
    appId: '4765445b-32c6-49b0-83e6-1d93765276ca', appDisplayName: 'OfficeHome', ipAddress: `203.0.113.${(r() * 254) | 0}`,
    clientAppUsed: 'Browser', correlationId: guid(r), conditionalAccessStatus: 'notApplied', originalRequestId: id,
    isInteractive: true, tokenIssuerName: '', tokenIssuerType: 'AzureAD', processingTimeInMilliseconds: 120,
    riskDetail: 'none', riskLevelAggregated: 'none', riskLevelDuringSignIn: 'none', riskState: 'none', riskEventTypes: [], riskEventTypes_v2: [],
    resourceDisplayName: 'Office 365 Exchange Online', resourceId: '00000002-0000-0ff1-ce00-000000000000',
    status: { errorCode: code, failureReason: fail ? 'Invalid username or password or Invalid on-premise username or password.' : 'Other.', additionalDetails: fail ? 'The user didn\'t enter the right credentials.' : undefined },
    deviceDetail: { deviceId: '', displayName: '', operatingSystem: 'Windows 10', browser: 'Edge 120.0.0', isCompliant: false, isManaged: false, trustType: '' },
    location: { city: c[0], state: c[1], countryOrRegion: c[2], geoCoordinates: { altitude: null, latitude: c[3], longitude: c[4] } },
    mfaDetail: {}, appliedConditionalAccessPolicies: [],
    authenticationDetails: [{ authenticationStepDateTime: iso, authenticationMethod: 'Password', authenticationMethodDetail: 'Password in the cloud', succeeded: !fail, authenticationStepResultDetail: fail ? 'Invalid username or password' : 'Correct password', authenticationStepRequirement: 'Primary authentication' }],
    authenticationRequirement: r() < 0.7 ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    authenticationProcessingDetails: [{ key: 'Legacy TLS (TLS 1.0, 1.1, 3DES)', value: 'False' }],
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
    userType: 'Member', uniqueTokenIdentifier: hex(r, 22), sessionId: guid(r), autonomousSystemNumber: 64496 + ((r() * 20) | 0),
    authenticationProtocol: 'none', crossTenantAccessType: 'none', homeTenantId: TENANT, resourceTenantId: TENANT,
  };
  return { time: iso, resourceId: `/tenants/${TENANT}/providers/Microsoft.aadiam`, operationName: 'Sign-in activity', operationVersion: '1.0', category: 'SignInLogs', tenantId: TENANT, resultType: String(code), resultSignature: 'None', resultDescription: props.status.failureReason, durationMs: 0, callerIpAddress: props.ipAddress, correlationId: props.correlationId, identity: props.userDisplayName, Level: 4, location: c[2], properties: props };
}

function audit(r, t) {
  const iso = new Date(t).toISOString();
  return {
    id: `Directory_${guid(r)}`, category: 'UserManagement', correlationId: guid(r), result: 'success', resultReason: '',
    activityDisplayName: 'Update user', activityDateTime: iso, loggedByService: 'Core Directory', operationType: 'Update',
    initiatedBy: { app: null, user: { id: guid(r), displayName: null, userPrincipalName: `admin${(r() * 10) | 0}@contoso.example`, ipAddress: `198.51.100.${(r() * 254) | 0}`, userType: 'Member' } },
    targetResources: [{ id: guid(r), displayName: null, type: 'User', userPrincipalName: `user${(r() * 5000) | 0}@contoso.example`, groupType: null,
      modifiedProperties: [{ displayName: 'StrongAuthenticationPhoneAppDetail', oldValue: '[]', newValue: '[{"DeviceName":"Phone"}]' }, { displayName: 'Included Updated Properties', oldValue: null, newValue: '"StrongAuthenticationPhoneAppDetail"' }] }],
    additionalDetails: [{ key: 'UserType', value: 'Member' }],
  };
}

export async function generate(path, sizeMb, seed = 1) {
  const r = prng(seed);
  const out = createWriteStream(path);
  const target = sizeMb * 1048576;
  let bytes = 0, records = 0;
  let t = Date.UTC(2026, 9, 1);
  let buf = '';
  while (bytes < target) {
    t += (r() * 2000) | 0;
    const line = JSON.stringify(r() < 0.9 ? signIn(r, t) : audit(r, t)) + '\n';
    buf += line;
    bytes += Buffer.byteLength(line);
    records++;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((res) => out.once('drain', res));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((res) => out.end(res));
  return { bytes, records };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [, , file, mb, seed] = process.argv;
  const res = await generate(file, Number(mb ?? 100), Number(seed ?? 1));
  console.log(JSON.stringify(res));
}
