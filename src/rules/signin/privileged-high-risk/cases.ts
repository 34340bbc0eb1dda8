// Cases for TW-SIGNIN-007 as raw Graph riskDetection / riskyUser objects, the diagnostic export's
// UserRiskEvents, and Graph beta / diagnostic sign-ins with risk fields.
import { BASE, MINUTES, TENANT, guid, iso, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { file } from '../shared/records.js';

const ADMIN = 'it-admin@contoso.com';
const ADMIN_CONFIG = `privilegedAccounts: [${ADMIN}]\n`;
const IP = '203.0.113.150';

interface RiskOpts { at: number; user: string; type: string; level: 'low' | 'medium' | 'high'; state?: string }

/** Graph /identityProtection/riskDetections object. */
function riskDetection(o: RiskOpts): Record<string, unknown> {
  return {
    id: guid(`risk|${o.user}|${o.at}|${o.type}`).replace(/-/g, '') + guid(`r2|${o.at}`).replace(/-/g, ''),
    requestId: guid(`req|${o.at}`),
    correlationId: guid(`corr|${o.user}|${o.at}`),
    riskType: o.type,
    riskEventType: o.type,
    riskState: o.state ?? 'atRisk',
    riskLevel: o.level,
    riskDetail: 'none',
    source: 'IdentityProtection',
    detectionTimingType: o.type === 'leakedCredentials' ? 'offline' : 'realtime',
    activity: o.type === 'leakedCredentials' ? 'user' : 'signin',
    tokenIssuerType: 'AzureAD',
    ipAddress: IP,
    location: { city: 'Lagos', state: 'Lagos', countryOrRegion: 'NG', geoCoordinates: { altitude: null, latitude: 6.45, longitude: 3.39 } },
    activityDateTime: iso(o.at),
    detectedDateTime: iso(o.at),
    lastUpdatedDateTime: iso(o.at + 2 * MINUTES),
    userId: guid(`user|${o.user}`),
    userDisplayName: o.user.split('@')[0],
    userPrincipalName: o.user,
    additionalInfo: '[{"Key":"userAgent","Value":"python-requests/2.31"}]',
  };
}

/** The same detection in the diagnostic-settings UserRiskEvents envelope. */
function diagRisk(o: RiskOpts): Record<string, unknown> {
  const p = riskDetection(o);
  return {
    time: iso(o.at + 5 * MINUTES), resourceId: `/tenants/${TENANT}/providers/microsoft.aadiam`, operationName: 'User Risk Detection',
    operationVersion: '1.0', category: 'UserRiskEvents', tenantId: TENANT, resultSignature: 'None', durationMs: 0,
    callerIpAddress: IP, correlationId: p.id, identity: p.userDisplayName, Level: 4, location: 'ng', properties: p,
  };
}

/** Graph /identityProtection/riskyUsers object (a state). */
function riskyUser(o: { at: number; user: string; level: string; state: string }): Record<string, unknown> {
  return {
    id: guid(`user|${o.user}`), isDeleted: false, isProcessing: false, riskLastUpdatedDateTime: iso(o.at),
    riskLevel: o.level, riskState: o.state, riskDetail: 'none', userDisplayName: o.user.split('@')[0], userPrincipalName: o.user,
  };
}

export const cases: RuleCase[] = [
  {
    name: 'high-risk password spray detection for an administrator (Graph riskDetection)',
    kind: 'positive',
    why: 'riskLevel high, riskState atRisk, privileged account',
    input: ndjson('risk.json', [riskDetection({ at: BASE, user: ADMIN, type: 'passwordSpray', level: 'high' })]),
    config: ADMIN_CONFIG,
    expect: { alerts: 1, severity: 'high', key: ADMIN, facts: { kind: 'riskDetection', riskTypes: ['passwordSpray'] } },
  },
  {
    name: 'leaked credentials in the diagnostic export (UserRiskEvents)',
    kind: 'positive',
    why: 'the diagnostic-settings shape of the same detection',
    input: ndjson('risk.diag.json', [diagRisk({ at: BASE, user: ADMIN, type: 'leakedCredentials', level: 'high' })]),
    config: ADMIN_CONFIG,
    expect: { alerts: 1, severity: 'high', facts: { riskTypes: ['leakedCredentials'] } },
  },
  {
    name: 'a high-risk sign-in of an administrator succeeded (Graph beta sign-in)',
    kind: 'positive',
    why: 'riskLevelDuringSignIn high on a successful sign-in: critical',
    input: file('risky-signin.graph.ndjson', 'graph', [{ at: BASE, user: ADMIN, ip: IP, risk: 'high', riskTypes: ['unfamiliarFeatures', 'anonymizedIPAddress'] }]),
    config: ADMIN_CONFIG,
    expect: { alerts: 1, severity: 'critical', facts: { kind: 'signIn', signedIn: true } },
  },
  {
    name: 'risky user: Identity Protection confirmed the administrator compromised',
    kind: 'positive',
    why: 'riskyUser high with state confirmedCompromised: critical',
    input: ndjson('riskyusers.json', [riskyUser({ at: BASE, user: ADMIN, level: 'high', state: 'confirmedCompromised' })]),
    config: ADMIN_CONFIG,
    expect: { alerts: 1, severity: 'critical', facts: { kind: 'riskyUser', riskState: 'confirmedCompromised' } },
  },
  {
    name: 'a medium-risk detection for the administrator',
    kind: 'negative',
    why: 'only high risk',
    input: ndjson('risk-medium.json', [riskDetection({ at: BASE, user: ADMIN, type: 'unfamiliarFeatures', level: 'medium' })]),
    config: ADMIN_CONFIG,
    expect: { alerts: 0 },
  },
  {
    name: 'a high-risk detection already dismissed',
    kind: 'negative',
    why: 'dismissed / remediated / confirmed-safe risks are closed',
    input: ndjson('risk-dismissed.diag.json', [diagRisk({ at: BASE, user: ADMIN, type: 'unlikelyTravel', level: 'high', state: 'dismissed' })]),
    config: ADMIN_CONFIG,
    expect: { alerts: 0 },
  },
  {
    name: 'a regular user at high risk',
    kind: 'lookalike',
    why: 'this rule is about privileged accounts (regular users belong to Identity Protection policies)',
    input: [
      ndjson('risk-user.json', [riskDetection({ at: BASE, user: 'someone@contoso.com', type: 'passwordSpray', level: 'high' })]),
      file('risky-user-signin.diag.json', 'diag', [{ at: BASE + MINUTES, user: 'someone@contoso.com', ip: IP, risk: 'high' }]),
    ],
    config: ADMIN_CONFIG,
    expect: { alerts: 0 },
  },
];
