// Cases for TW-SIGNIN-011 as raw sign-in records sharing a sessionId: Graph beta /auditLogs/signIns objects and
// the diagnostic-settings export (SignInLogs + NonInteractiveUserSignInLogs). UAL MailItemsAccessed legs need the
// geo / ASN database (UAL has neither) and are tested in travel-db.test.ts with a network table (among them the
// look-alike of a traveller whose office Outlook reads the mailbox with the session: low, not high).
import { haversineKm } from '../../../enrich/geo.js';
import { BASE, MINUTES, guid, ndjson } from '../../records.js';
import type { RuleCase } from '../../types.js';
import { PLACES, diagUserSignIn, graphBetaUserSignIn, type Place, type UserSignInOpts } from '../travel-records.js';

const HOURS = 60 * MINUTES;
const ALICE = 'alice@contoso.com';
const SESSION = guid('session|alice|laptop');
const HOME = { ip: '203.0.113.10', asn: 64500, place: PLACES.london as Place };
const DIGITALOCEAN = 14061; // hosting (built-in list)

type Shape = (o: UserSignInOpts) => Record<string, unknown>;

/** the user's interactive sign-in at home, then a non-interactive use of the same session `after` later */
function replay(shape: Shape, after: number, second: Partial<UserSignInOpts>, first: Partial<UserSignInOpts> = {}): Record<string, unknown>[] {
  return [
    shape({ at: BASE, user: ALICE, ...HOME, sessionId: SESSION, ...first }),
    shape({ at: BASE + after, user: ALICE, ip: '198.51.100.66', asn: 64511, sessionId: SESSION, interactive: false, ...second }),
  ];
}

const km = (a: Place, b: Place): number => haversineKm(a.lat, a.lon, b.lat, b.lon);
const atSpeed = (a: Place, b: Place, kmh: number): number => Math.round((km(a, b) / kmh) * HOURS);
const KEY = `session ${SESSION}`;

export const cases: RuleCase[] = [
  {
    name: 'Graph beta: session signed in from London, refreshed from Lagos 30 minutes later',
    kind: 'positive',
    why: '5,000 km in 30 min within one session: the session is in two places at once',
    input: ndjson('replay-graph.json', replay(graphBetaUserSignIn, 30 * MINUTES, { place: PLACES.lagos })),
    expect: { alerts: 1, severity: 'high', key: KEY, facts: { impossibleTravel: true, fromUse: 'interactive sign-in', toUse: 'non-interactive sign-in', toPlace: 'Lagos, NG', sessionId: SESSION, fromLat: PLACES.london.lat, fromLon: PLACES.london.lon, toLat: PLACES.lagos.lat, toLon: PLACES.lagos.lon, toCity: 'Lagos', toCountry: 'NG' } },
  },
  {
    name: 'diagnostic export: session moves to a DigitalOcean address in Amsterdam ten minutes later',
    kind: 'positive',
    why: 'only 357 km, but the session left the user\'s network for a hosting provider (AS14061)',
    input: ndjson('replay-diag.ndjson', replay(diagUserSignIn, 10 * MINUTES, { asn: DIGITALOCEAN, place: PLACES.amsterdam })),
    expect: { alerts: 1, severity: 'medium', key: KEY, facts: { hostingNetwork: true, impossibleTravel: false, toAsn: DIGITALOCEAN } },
  },
  {
    name: 'hosting move 24 hours minus a minute after the last use',
    kind: 'positive',
    why: 'still inside the 24 h lifetime window',
    input: ndjson('replay-inside.ndjson', replay(diagUserSignIn, 24 * HOURS - MINUTES, { asn: DIGITALOCEAN, place: PLACES.amsterdam })),
    expect: { alerts: 1, severity: 'medium', key: KEY },
  },
  {
    name: 'hosting move 24 hours and a minute after the last use',
    kind: 'negative',
    why: 'just outside the lifetime window: the pair is not compared',
    input: ndjson('replay-outside.ndjson', replay(diagUserSignIn, 24 * HOURS + MINUTES, { asn: DIGITALOCEAN, place: PLACES.amsterdam })),
    expect: { alerts: 0 },
  },
  {
    name: 'London to New York within the session at 899 km/h, ordinary networks',
    kind: 'negative',
    why: 'just below the speed limit and no hosting network',
    input: ndjson('replay-899.json', replay(graphBetaUserSignIn, atSpeed(PLACES.london, PLACES.newYork, 899), { place: PLACES.newYork })),
    expect: { alerts: 0 },
  },
  {
    name: 'London to New York within the session at 901 km/h',
    kind: 'positive',
    why: 'just above the speed limit',
    input: ndjson('replay-901.json', replay(graphBetaUserSignIn, atSpeed(PLACES.london, PLACES.newYork, 901), { place: PLACES.newYork })),
    expect: { alerts: 1, severity: 'high', key: KEY, facts: { speedKmh: 901 } },
  },
  {
    name: 'London to Paris in five minutes on another ISP',
    kind: 'negative',
    why: '344 km is below the 500 km minimum distance, and no hosting network is involved',
    input: ndjson('replay-near.ndjson', replay(diagUserSignIn, 5 * MINUTES, { place: PLACES.paris })),
    expect: { alerts: 0 },
  },
  {
    name: 'session used from a UK mobile carrier, then New York an hour later',
    kind: 'positive',
    why: 'impossible, but a mobile carrier (AS35228) geolocates coarsely: low',
    input: ndjson('replay-mobile.json', replay(graphBetaUserSignIn, HOURS, { place: PLACES.newYork }, { ip: '192.0.2.80', asn: 35228 })),
    expect: { alerts: 1, severity: 'low', key: KEY, facts: { mobileCarrier: true } },
  },
  {
    name: 'a traveller keeps the session: London, then Seattle eleven hours later',
    kind: 'lookalike',
    why: '700 km/h is a flight; neither network is hosting',
    input: ndjson('replay-flight.json', replay(graphBetaUserSignIn, 11 * HOURS, { place: PLACES.seattle })),
    expect: { alerts: 0 },
  },
  {
    name: 'diagnostic export: a traveller flies New York to London and refreshes the session from the hotel 7 h 30 min later',
    kind: 'lookalike',
    why: '5,570 km in 7 h 30 min is 743 km/h, a flight; a hotel ISP is no hosting network',
    input: ndjson('replay-hotel.ndjson', replay(diagUserSignIn, 7 * HOURS + 30 * MINUTES, { ip: '198.51.100.120', asn: 64509, place: PLACES.london }, { ip: '203.0.113.77', asn: 64503, place: PLACES.newYork })),
    expect: { alerts: 0 },
  },
  {
    name: 'SASE switched on mid-session: Zscaler egress in Singapore',
    kind: 'lookalike',
    why: 'AS62044 (Zscaler) is VPN/SASE egress: its address is no place',
    input: ndjson('replay-sase.ndjson', replay(diagUserSignIn, 10 * MINUTES, { ip: '198.51.100.210', asn: 62044, place: PLACES.singapore })),
    expect: { alerts: 0 },
  },
  {
    name: 'roaming IPv6 inside one /64, geolocated to two continents',
    kind: 'lookalike',
    why: 'one /64 is one host',
    input: ndjson('replay-v6.json', replay(graphBetaUserSignIn, 10 * MINUTES, { ip: '2001:db8:77:1:a1b2:c3ff:fed4:e5f6', asn: 64502, place: PLACES.seattle }, { ip: '2001:db8:77:1::10', asn: 64502 })),
    expect: { alerts: 0 },
  },
  {
    name: 'home broadband, then the phone hotspot (another ASN) in Reading',
    kind: 'lookalike',
    why: 'a new network 60 km away is one person moving about',
    input: ndjson('replay-hotspot.ndjson', replay(diagUserSignIn, 20 * MINUTES, { asn: 64503, place: PLACES.reading })),
    expect: { alerts: 0 },
  },
  {
    name: 'the corporate VPN (allowlists.vpnAsns) egresses in New York mid-session',
    kind: 'lookalike',
    why: "the organisation's own VPN is not a place",
    input: ndjson('replay-corpvpn.json', replay(graphBetaUserSignIn, 15 * MINUTES, { asn: 64510, place: PLACES.newYork })),
    config: 'allowlists:\n  vpnAsns: [AS64510]\n',
    expect: { alerts: 0 },
  },
  {
    name: 'two devices, two sessions: London laptop and a Lagos sign-in with another session',
    kind: 'lookalike',
    why: 'different sessions are not a replay (impossible travel judges the user; this rule judges one session)',
    input: ndjson('replay-two-sessions.json', replay(graphBetaUserSignIn, 30 * MINUTES, { place: PLACES.lagos, sessionId: guid('session|alice|other') })),
    expect: { alerts: 0 },
  },
];
