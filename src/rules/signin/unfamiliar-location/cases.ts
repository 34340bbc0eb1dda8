// Cases for TW-SIGNIN-012, as raw user sign-ins in two export shapes: the Graph beta signIn (/beta/auditLogs/signIns)
// and the Azure Monitor diagnostic-settings SignInLogs record. Rule cases load no geo/ASN database: places and ASNs
// come from the records (location.countryOrRegion, autonomousSystemNumber); ASN kinds from the built-in lists.
import { BASE, MINUTES, guid, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { PLACES, diagUserSignIn, graphBetaUserSignIn, type Place, type UserSignInOpts } from '../travel-records.js';

const DAYS = 24 * 60 * MINUTES;
const ALICE = 'alice@contoso.com';
const HOME = { ip: '198.51.100.20', asn: 64500, place: PLACES.london };
const LAGOS = { ip: '203.0.113.50', asn: 64510, place: PLACES.lagos };
const AMS_VPS = { ip: '203.0.113.77', asn: 14061, place: PLACES.amsterdam }; // DigitalOcean: built-in hosting list

interface Opts extends UserSignInOpts {
  /** prompt: password + push approved now (default); claim: "Previously satisfied" */
  mfa?: 'prompt' | 'claim';
  /** a registered, compliant laptop */
  device?: boolean;
  risk?: 'medium' | 'high';
}

/** The sign-in's authentication and device facts, as the beta API and the diagnostic export write them. */
function facts(o: Opts): Record<string, unknown> {
  const at = new Date(o.at).toISOString();
  const f: Record<string, unknown> = {
    authenticationDetails:
      (o.code ?? 0) !== 0
        ? [{ authenticationStepDateTime: at, authenticationMethod: 'Password', authenticationMethodDetail: 'Password Hash Sync', succeeded: false, authenticationStepResultDetail: 'Invalid username or password or Invalid on-premise username or password.', authenticationStepRequirement: 'Primary authentication' }]
        : o.mfa === 'claim'
        ? [{ authenticationStepDateTime: at, authenticationMethod: 'Previously satisfied', succeeded: true, authenticationStepResultDetail: 'MFA requirement satisfied by claim in the token', authenticationStepRequirement: 'Multi-factor authentication' }]
        : [
            { authenticationStepDateTime: at, authenticationMethod: 'Password', authenticationMethodDetail: 'Password Hash Sync', succeeded: true, authenticationStepResultDetail: 'Correct password', authenticationStepRequirement: 'Primary authentication' },
            { authenticationStepDateTime: at, authenticationMethod: 'Mobile app notification', succeeded: true, authenticationStepResultDetail: 'MFA successfully completed', authenticationStepRequirement: 'Multi-factor authentication' },
          ],
  };
  if ((o.code ?? 0) === 0) f.status = { errorCode: 0, failureReason: 'Other.', additionalDetails: o.mfa === 'claim' ? 'MFA requirement satisfied by claim in the token' : 'MFA completed in Azure AD' };
  if (o.device) f.deviceDetail = { deviceId: guid(`device|${o.user}`), displayName: 'CONTOSO-LT-0042', operatingSystem: 'Windows10', browser: 'Edge 124.0.0', isCompliant: true, isManaged: true, trustType: 'Microsoft Entra joined' };
  if (o.risk) Object.assign(f, { riskLevelDuringSignIn: o.risk, riskLevelAggregated: o.risk, riskState: 'atRisk', riskDetail: 'none', riskEventTypes_v2: ['unfamiliarFeatures'] });
  return f;
}

const beta = (o: Opts): Record<string, unknown> => Object.assign(graphBetaUserSignIn(o), facts(o));
const diag = (o: Opts): Record<string, unknown> => {
  const r = diagUserSignIn(o);
  Object.assign(r.properties as Record<string, unknown>, facts(o));
  return r;
};

/** Alice's mornings in London on her laptop (SSO claims), one a day for `days` days from `from`. */
function routine(days: number, from = BASE, place: { ip: string; asn: number; place: Place } = HOME): Opts[] {
  return Array.from({ length: days }, (_, d) => ({ at: from + d * DAYS, user: ALICE, ...place, mfa: 'claim' as const, device: true }));
}

const away = (at: number, where: { ip: string; asn: number; place: Place }, o: Partial<Opts> = {}): Opts => ({ at, user: ALICE, ...where, ...o });

/** A place visited during the warm-up, then London daily, then the place again `gap` after the first visit. */
function revisit(gap: number): Opts[] {
  return [...routine(1), away(BASE + 2 * 60 * MINUTES, LAGOS), ...routine(40, BASE + DAYS), away(BASE + 2 * 60 * MINUTES + gap, LAGOS)];
}

export const cases: RuleCase[] = [
  {
    name: 'after six days in London, MFA approved for a sign-in from Lagos on an unregistered device (Graph beta)',
    kind: 'positive',
    why: 'network AS64510 and country NG both new after the 3-day warm-up, from an unregistered device while her other sign-ins use her registered laptop: medium',
    input: ndjson('aitm-lagos.json', [...routine(6), away(BASE + 6 * DAYS + 3 * 60 * MINUTES, LAGOS)].map(beta)),
    expect: { alerts: 1, severity: 'medium', key: ALICE, facts: { newNetwork: 'AS64510', country: 'NG', newCountry: true, knownPlaces: ['AS64500|GB'], registeredDevice: false, usualDeviceRegistered: true } },
  },
  {
    name: 'the same from a DigitalOcean server in Amsterdam (diagnostic SignInLogs)',
    kind: 'positive',
    why: 'a hosting network is where phishing proxies run: high',
    input: ndjson('aitm-vps.json', [...routine(6), away(BASE + 6 * DAYS + 3 * 60 * MINUTES, AMS_VPS)].map(diag)),
    expect: { alerts: 1, severity: 'high', facts: { newNetwork: 'AS14061', country: 'NL', networkKind: 'hosting' } },
  },
  {
    name: 'Identity Protection rated the foreign MFA sign-in medium risk',
    kind: 'positive',
    why: 'risk during sign-in medium or high raises it to high',
    input: ndjson('aitm-risky.json', [...routine(6), away(BASE + 6 * DAYS, LAGOS, { risk: 'medium' })].map(beta)),
    expect: { alerts: 1, severity: 'high', facts: { riskLevel: 'medium' } },
  },
  {
    name: 'a traveller on her registered laptop signs in with MFA from a Singapore hotel',
    kind: 'positive',
    why: 'new network and country, but a phishing proxy cannot present a registered device: low',
    input: ndjson('traveller.json', [...routine(6), away(BASE + 6 * DAYS, { ip: '203.0.113.90', asn: 64511, place: PLACES.singapore }, { device: true })].map(diag)),
    expect: { alerts: 1, severity: 'low', facts: { registeredDevice: true, country: 'SG' } },
  },
  {
    name: 'a user who never signs in from a registered device approves MFA from Lagos',
    kind: 'positive',
    why: 'nothing tells this from a trip with a personal laptop: low',
    input: ndjson('no-device-user.json', [...routine(6).map((o) => ({ ...o, device: false })), away(BASE + 6 * DAYS, LAGOS)].map(beta)),
    expect: { alerts: 1, severity: 'low', facts: { usualDeviceRegistered: false, registeredDevice: false } },
  },
  {
    name: 'a rented server in her own country (OVH, London)',
    kind: 'positive',
    why: 'a new hosting network in a known country: low (a proxy near the victim, or a cloud desktop)',
    input: ndjson('uk-vps.json', [...routine(6), away(BASE + 6 * DAYS, { ip: '203.0.113.95', asn: 16276, place: PLACES.reading })].map(beta)),
    expect: { alerts: 1, severity: 'low', facts: { newCountry: false, networkKind: 'hosting' } },
  },
  {
    name: 'a place last used 30 days and a minute ago is new again',
    kind: 'positive',
    why: 'the 30-day history forgets places not used within it',
    input: ndjson('forgotten.json', revisit(30 * DAYS + MINUTES).map(beta)),
    expect: { alerts: 1, facts: { newNetwork: 'AS64510' } },
  },
  {
    name: 'a place last used 30 days minus a minute ago is still known',
    kind: 'negative',
    why: 'just inside the history window',
    input: ndjson('remembered.json', revisit(30 * DAYS - MINUTES).map(beta)),
    expect: { alerts: 0 },
  },
  {
    name: 'the foreign MFA sign-in one minute before the 3-day warm-up ends',
    kind: 'negative',
    why: 'a user learned for less than the warm-up never fires (new accounts, first days of an export)',
    input: ndjson('warmup.json', [...routine(3), away(BASE + 3 * DAYS - MINUTES, LAGOS)].map(diag)),
    expect: { alerts: 0 },
  },
  {
    name: 'a sign-in from Lagos that only presented a token ("Previously satisfied")',
    kind: 'lookalike',
    why: 'no MFA completed in this sign-in: replayed sessions are TW-SIGNIN-011',
    input: ndjson('claim.json', [...routine(6), away(BASE + 6 * DAYS, LAGOS, { mfa: 'claim' })].map(beta)),
    expect: { alerts: 0 },
  },
  {
    name: 'her own ISP geolocated abroad (known AS64500 in Paris)',
    kind: 'lookalike',
    why: 'a known network in a new country (airline Wi-Fi, roaming carrier, geolocation drift) does not fire',
    input: ndjson('same-asn.json', [...routine(6), away(BASE + 6 * DAYS, { ip: '198.51.100.99', asn: 64500, place: PLACES.paris })].map(beta)),
    expect: { alerts: 0 },
  },
  {
    name: 'a new home broadband network in her own country',
    kind: 'lookalike',
    why: 'a new network in a known country that is not a hosting provider does not fire',
    input: ndjson('new-isp.json', [...routine(6), away(BASE + 6 * DAYS, { ip: '192.0.2.40', asn: 64502, place: PLACES.reading })].map(diag)),
    expect: { alerts: 0 },
  },
  {
    name: 'the company SASE egress in Frankfurt',
    kind: 'lookalike',
    why: 'VPN / SASE egress (here Zscaler, built-in list) is no place',
    input: ndjson('sase.json', [...routine(6), away(BASE + 6 * DAYS, { ip: '203.0.113.120', asn: 22616, place: PLACES.frankfurt })].map(beta)),
    expect: { alerts: 0 },
  },
  {
    name: 'a partner network listed in allowlists.trustedIps',
    kind: 'lookalike',
    why: 'trusted networks are no place',
    input: ndjson('trusted.json', [...routine(6), away(BASE + 6 * DAYS, LAGOS)].map(beta)),
    config: 'allowlists:\n  trustedIps: [203.0.113.0/26]\n',
    expect: { alerts: 0 },
  },
  {
    name: 'a wrong password from Lagos',
    kind: 'lookalike',
    why: 'only successful sign-ins are learned or alerted',
    input: ndjson('failed.json', [...routine(6), away(BASE + 6 * DAYS, LAGOS, { code: 50126 })].map(beta)),
    expect: { alerts: 0 },
  },
];
