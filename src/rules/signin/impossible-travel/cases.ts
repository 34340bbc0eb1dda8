// Cases for TW-SIGNIN-010 as raw sign-in records: Graph beta /auditLogs/signIns objects and the same sign-ins in
// the diagnostic-settings export (SignInLogs). Places carry the record's own coordinates (Geo.from = 'record').
import { haversineKm } from '../../../enrich/geo.js';
import { BASE, MINUTES, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { PLACES, diagUserSignIn, graphBetaUserSignIn, type Place, type UserSignInOpts } from '../travel-records.js';

const HOURS = 60 * MINUTES;
const ALICE = 'alice@contoso.com';
const BOB = 'bob@contoso.com';
const HOME = { ip: '203.0.113.10', asn: 64500 }; // a London broadband line
const FAR = { ip: '198.51.100.77', asn: 64511 }; // somewhere else

const km = (a: Place, b: Place): number => haversineKm(a.lat, a.lon, b.lat, b.lon);
/** the elapsed time at which travelling from a to b takes exactly `kmh` */
const atSpeed = (a: Place, b: Place, kmh: number): number => Math.round((km(a, b) / kmh) * HOURS);

type Shape = (o: UserSignInOpts) => Record<string, unknown>;

/** a first sign-in at BASE and a second one `after` later */
function pair(shape: Shape, user: string, first: Partial<UserSignInOpts>, after: number, second: Partial<UserSignInOpts>): Record<string, unknown>[] {
  return [
    shape({ at: BASE, user, ...HOME, place: PLACES.london, ...first }),
    shape({ at: BASE + after, user, ...FAR, ...second }),
  ];
}

export const cases: RuleCase[] = [
  {
    name: 'Graph beta: London, then Singapore two hours later',
    kind: 'positive',
    why: '10,870 km in 2 h is 5,400 km/h, six times an airliner',
    input: ndjson('travel-graph.json', pair(graphBetaUserSignIn, ALICE, {}, 2 * HOURS, { place: PLACES.singapore })),
    expect: { alerts: 1, severity: 'medium', key: ALICE, facts: { fromPlace: 'London, GB', toPlace: 'Singapore, SG', locationSource: 'record', distanceKm: Math.round(km(PLACES.london, PLACES.singapore)), elapsedMinutes: 120, fromLat: PLACES.london.lat, fromLon: PLACES.london.lon, toLat: PLACES.singapore.lat, toLon: PLACES.singapore.lon, fromCity: 'London', toCountry: 'SG' } },
  },
  {
    name: 'diagnostic export: Amsterdam, then New York 40 minutes later, privileged account',
    kind: 'positive',
    why: 'the same fact in the SignInLogs envelope; a privileged account raises it to high',
    input: ndjson('travel-diag.ndjson', pair(diagUserSignIn, BOB, { place: PLACES.amsterdam }, 40 * MINUTES, { place: PLACES.newYork })),
    config: 'privilegedAccounts: [bob@contoso.com]\n',
    expect: { alerts: 1, severity: 'high', key: BOB, facts: { fromPlace: 'Amsterdam, NL', toPlace: 'New York, US', elapsedMinutes: 40 } },
  },
  {
    name: 'London to Seattle a little faster than 900 km/h',
    kind: 'positive',
    why: 'just above the speed limit (901 km/h over 7,700 km)',
    input: ndjson('travel-901.json', pair(graphBetaUserSignIn, ALICE, {}, atSpeed(PLACES.london, PLACES.seattle, 901), { place: PLACES.seattle })),
    expect: { alerts: 1, severity: 'medium', key: ALICE, facts: { speedKmh: 901 } },
  },
  {
    name: 'London to Seattle a little slower than 900 km/h',
    kind: 'negative',
    why: 'just below the speed limit (899 km/h): possible by air',
    input: ndjson('travel-899.json', pair(graphBetaUserSignIn, ALICE, {}, atSpeed(PLACES.london, PLACES.seattle, 899), { place: PLACES.seattle })),
    expect: { alerts: 0 },
  },
  {
    name: 'London to Paris (344 km) in ten minutes',
    kind: 'negative',
    why: 'fast, but below the 500 km minimum distance: two cities this close are within geolocation error',
    input: ndjson('travel-short.ndjson', pair(diagUserSignIn, ALICE, {}, 10 * MINUTES, { place: PLACES.paris })),
    expect: { alerts: 0 },
  },
  {
    name: 'London to Paris in ten minutes with a 300 km minimum distance',
    kind: 'positive',
    why: 'the same pair alerts once minDistance is below its 344 km',
    input: ndjson('travel-short-tuned.ndjson', pair(diagUserSignIn, ALICE, {}, 10 * MINUTES, { place: PLACES.paris })),
    tunables: { minDistance: 300 },
    expect: { alerts: 1, key: ALICE, facts: { distanceKm: Math.round(km(PLACES.london, PLACES.paris)) } },
  },
  {
    name: 'New York on T-Mobile, then London an hour later',
    kind: 'positive',
    why: 'a mobile carrier (AS21928) geolocates coarsely: still impossible, but dampened to low',
    input: ndjson('travel-mobile.json', pair(graphBetaUserSignIn, BOB, { place: PLACES.newYork, ip: '192.0.2.44', asn: 21928 }, HOURS, { place: PLACES.london })),
    expect: { alerts: 1, severity: 'low', key: BOB, facts: { mobileCarrier: true, fromAsn: 21928 } },
  },
  {
    name: 'a real flight: London, then Seattle eleven hours later',
    kind: 'lookalike',
    why: '7,700 km in 11 h is 700 km/h: a traveller, not an attacker',
    input: ndjson('travel-flight.json', pair(graphBetaUserSignIn, ALICE, {}, 11 * HOURS, { place: PLACES.seattle })),
    expect: { alerts: 0 },
  },
  {
    name: 'SASE egress: Zscaler PoP in Frankfurt between two London sign-ins',
    kind: 'lookalike',
    why: 'AS53813 (Zscaler) is VPN/SASE egress in the built-in list: its address is no place',
    input: ndjson('travel-sase.ndjson', [
      diagUserSignIn({ at: BASE, user: ALICE, ...HOME, place: PLACES.london }),
      diagUserSignIn({ at: BASE + 5 * MINUTES, user: ALICE, ip: '198.51.100.200', asn: 53813, place: PLACES.frankfurt }),
      diagUserSignIn({ at: BASE + 20 * MINUTES, user: ALICE, ip: '198.51.100.201', asn: 53813, place: PLACES.singapore }),
      diagUserSignIn({ at: BASE + 30 * MINUTES, user: ALICE, ...HOME, place: PLACES.london }),
    ]),
    expect: { alerts: 0 },
  },
  {
    name: 'roaming IPv6 inside one /64 geolocated to two cities',
    kind: 'lookalike',
    why: 'the same /64 is one host: a change of address inside it is never travel',
    input: ndjson('travel-v6.json', [
      graphBetaUserSignIn({ at: BASE, user: BOB, ip: '2001:db8:4a:7::1c', asn: 64502, place: PLACES.london }),
      graphBetaUserSignIn({ at: BASE + 15 * MINUTES, user: BOB, ip: '2001:db8:4a:7:9f2e:11ff:fe20:3b4c', asn: 64502, place: PLACES.newYork }),
    ]),
    expect: { alerts: 0 },
  },
  {
    name: 'the corporate VPN (allowlists.vpnAsns) egresses in New York',
    kind: 'lookalike',
    why: "the organisation's own VPN ASN is not a place",
    input: ndjson('travel-corpvpn.ndjson', pair(diagUserSignIn, ALICE, {}, 30 * MINUTES, { ip: '198.51.100.150', asn: 64510, place: PLACES.newYork })),
    config: 'allowlists:\n  vpnAsns: [AS64510]\n',
    expect: { alerts: 0 },
  },
  {
    name: 'the Seattle office is a trusted named location',
    kind: 'lookalike',
    why: 'the record says the IP is in a trusted named location (networkLocationDetails)',
    input: ndjson('travel-trusted.json', pair(graphBetaUserSignIn, BOB, {}, 30 * MINUTES, { place: PLACES.seattle, trustedLocation: 'Seattle office' })),
    expect: { alerts: 0 },
  },
  {
    name: 'a failed sign-in from Lagos right after London',
    kind: 'lookalike',
    why: 'only successful sign-ins place the user; a wrong password from afar belongs to other rules',
    input: ndjson('travel-failed.ndjson', pair(diagUserSignIn, ALICE, {}, 5 * MINUTES, { place: PLACES.lagos, code: 50126 })),
    expect: { alerts: 0 },
  },
  {
    name: 'the far sign-in has no coordinates and no geolocation database is loaded',
    kind: 'negative',
    why: 'a record place is never set against a database place; without a database for both, nothing is compared',
    input: ndjson('travel-nocoords.json', pair(graphBetaUserSignIn, ALICE, {}, 5 * MINUTES, { place: null })),
    expect: { alerts: 0 },
  },
];
