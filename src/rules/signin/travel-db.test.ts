// The travel rules and TW-SP-001 with the geo / ASN database (here a network table fixture): UAL records, which
// carry neither place nor ASN, and sign-in records without coordinates are placed from the database, and a
// record place is never set against a database place. Rule cases (cases.ts) cannot load a database, so these
// run the real decoders and the engine here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Alert } from '../../detect/alert.js';
import { BASE, MINUTES, diagSpSignIn, guid } from '../records.js';
import type { Rule } from '../types.js';
import { runWithNetworks } from '../db-testkit.js';
import { impossibleTravel } from './impossible-travel/rule.js';
import { spNewSource } from './sp-new-source/rule.js';
import { tokenReplay } from './token-replay/rule.js';
import { PLACES, diagUserSignIn, graphBetaUserSignIn, ualMailItemsAccessed } from './travel-records.js';

const NETWORKS = path.resolve('src/enrich/fixtures/networks.csv');
const ALICE = 'alice@contoso.com';
const SESSION = guid('session|alice|db');

const run = (rule: Rule, records: Record<string, unknown>[], opts: { db?: boolean; config?: string; tables?: string[]; revision?: 'first' | 'last' } = {}): Promise<Alert[]> =>
  runWithNetworks(rule, records, { config: opts.config, tables: opts.db === false ? [] : [...(opts.tables ?? []), NETWORKS], revision: opts.revision });

test('token replay: UAL MailItemsAccessed with the session id from a hosting network, placed by the database', async () => {
  const records = [
    graphBetaUserSignIn({ at: BASE, user: ALICE, ip: '203.0.113.9', asn: 64500, sessionId: SESSION, place: PLACES.london }),
    ualMailItemsAccessed({ at: BASE + 10 * MINUTES, user: ALICE, ip: '203.0.113.200', sessionId: SESSION.toUpperCase(), tokenId: 'QrStUvWxYz0123456789ab' }),
  ];
  const [alert, ...rest] = await run(tokenReplay, records);
  assert.equal(rest.length, 0);
  assert.equal(alert?.severity, 'high');
  assert.equal(alert?.key, `session ${SESSION}`, 'UAL upper-case session id joins the sign-in');
  assert.equal(alert?.facts.locationSource, 'db', 'the UAL side has no record place: both sides from the database');
  assert.equal(alert?.facts.toPlace, 'Frankfurt am Main, DE');
  assert.equal(alert?.facts.toUse, 'MailItemsAccessed');
  assert.equal(alert?.facts.toAsn, 64501);
  assert.equal(alert?.facts.hostingNetwork, true);
  assert.match(alert!.explanation, /AS64501 Hostwave Cloud/);
  assert.deepEqual(await run(tokenReplay, records, { db: false }), [], 'without the database UAL has no place and no ASN');
});

test('token replay look-alike: a traveller at a hotel while Outlook at the office reads the mailbox with the session', async () => {
  // Seen on simulated tenants (dev seed 12, 60 users x 30 days): a New York employee signs in at a London hotel; a
  // MailItemsAccessed from the office egress in New York carries the same session 5 h 50 min later. 5,570 km at
  // about 954 km/h is impossible for the person, but the far place rests on an Exchange record's client address.
  const OFFICE = '2001:db8:20::25'; // Empire Fiber, New York (the database)
  const hotel = (at: number, interactive = true) => graphBetaUserSignIn({ at, user: ALICE, ip: '203.0.113.40', sessionId: SESSION, place: null, interactive });
  const mia = (at: number, ip = OFFICE) => ualMailItemsAccessed({ at, user: ALICE, ip, sessionId: SESSION });
  const [lowAlert, ...more] = await run(tokenReplay, [hotel(BASE), mia(BASE + 350 * MINUTES)]);
  assert.equal(more.length, 0);
  assert.equal(lowAlert?.severity, 'low', 'impossible on an Exchange record alone: at most low');
  assert.equal(lowAlert?.facts.impossibleTravel, true);
  assert.equal(lowAlert?.facts.exchangeRecordOnly, true);
  assert.equal(lowAlert?.facts.speedKmh, 955);
  assert.match(lowAlert!.explanation, /rests on the client address of an Exchange record \(MailItemsAccessed\)/);
  // the other order: the office record first, the hotel sign-in after it is judged against the earlier hotel sign-in
  const back = await run(tokenReplay, [hotel(BASE), mia(BASE + 60 * MINUTES), hotel(BASE + 90 * MINUTES, false)]);
  assert.deepEqual(back.map((a) => [a.severity, a.facts.toUse]), [['low', 'MailItemsAccessed']], 'an Exchange record is never the place a later sign-in is judged against');
  // near miss on the other side: the same record from a hosting network is a replay (impossible and hosting: high)
  const [hosted] = await run(tokenReplay, [hotel(BASE), mia(BASE + 350 * MINUTES, '203.0.113.200')]);
  assert.equal(hosted?.severity, 'medium', 'London to Frankfurt in 6 h is possible, but the session moved to hosting');
  assert.equal(hosted?.facts.exchangeRecordOnly, true);
  // and a sign-in from the office address instead of the record: sign-in against sign-in, high
  const [signedIn] = await run(tokenReplay, [hotel(BASE), graphBetaUserSignIn({ at: BASE + 350 * MINUTES, user: ALICE, ip: OFFICE, sessionId: SESSION, place: null, interactive: false })]);
  assert.equal(signedIn?.severity, 'high');
  assert.equal(signedIn?.facts.exchangeRecordOnly, false);
});

test('token replay: UAL records from Microsoft networks are Microsoft acting for the user', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-ms-'));
  const table = path.join(dir, 'microsoft.csv');
  writeFileSync(table, 'network,asn,org,city,country,latitude,longitude\n198.51.100.0/24,8075,Microsoft Corporation,Dublin,IE,53.3498,-6.2603\n');
  const signIn = graphBetaUserSignIn({ at: BASE, user: ALICE, ip: '203.0.113.9', asn: 64500, sessionId: SESSION, place: PLACES.london });
  const ual = [signIn, ualMailItemsAccessed({ at: BASE + 10 * MINUTES, user: ALICE, ip: '198.51.100.9', sessionId: SESSION })];
  assert.deepEqual(await run(tokenReplay, ual, { tables: [table] }), [], 'Outlook / Exchange services reading mail with the token');
  const fromAzure = [signIn, graphBetaUserSignIn({ at: BASE + 10 * MINUTES, user: ALICE, ip: '198.51.100.9', sessionId: SESSION, interactive: false, place: null })];
  const [a] = await run(tokenReplay, fromAzure, { tables: [table] });
  assert.equal(a?.facts.hostingNetwork, true, 'a sign-in from Azure is a place (and a hosting network)');
});

test('impossible travel: records without coordinates are placed by the database', async () => {
  const records = [
    diagUserSignIn({ at: BASE, user: ALICE, ip: '203.0.113.9', place: null }),
    diagUserSignIn({ at: BASE + 60 * MINUTES, user: ALICE, ip: '198.51.100.9', place: null }),
  ];
  const alerts = await run(impossibleTravel, records);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.facts.locationSource, 'db');
  assert.equal(alerts[0]!.facts.fromPlace, 'London, GB');
  assert.equal(alerts[0]!.facts.toPlace, 'Lagos, NG');
  assert.equal(alerts[0]!.facts.fromAsn, 64500, 'ASN from the database when the record has none');
  assert.deepEqual(await run(impossibleTravel, records, { db: false }), []);
});

test('impossible travel: a record place and a database place are never compared', async () => {
  // the record says Paris for an address the database puts in London; the other record has no coordinates
  const records = [
    graphBetaUserSignIn({ at: BASE, user: ALICE, ip: '203.0.113.9', place: PLACES.paris }),
    graphBetaUserSignIn({ at: BASE + 60 * MINUTES, user: ALICE, ip: '198.51.100.9', place: null }),
  ];
  const [a] = await run(impossibleTravel, records);
  assert.equal(a?.facts.locationSource, 'db');
  assert.equal(a?.facts.fromPlace, 'London, GB', "both looked up in the database, the record's Paris unused");
});

test('impossible travel: VPN / SASE and mobile kinds from a network table', async () => {
  // 192.0.2.0/24 is kind "sase" in the table: no place
  const sase = [
    diagUserSignIn({ at: BASE, user: ALICE, ip: '203.0.113.9', place: PLACES.london }),
    diagUserSignIn({ at: BASE + 10 * MINUTES, user: ALICE, ip: '192.0.2.9', place: PLACES.newYork }),
  ];
  assert.deepEqual(await run(impossibleTravel, sase), []);
  assert.equal((await run(impossibleTravel, sase, { db: false })).length, 1, 'without the table the ASN is unknown and it alerts');
  // 2001:db8:10::/48 is kind "mobile": dampened
  const mobile = [
    diagUserSignIn({ at: BASE, user: ALICE, ip: '203.0.113.9', place: PLACES.london }),
    diagUserSignIn({ at: BASE + 10 * MINUTES, user: ALICE, ip: '2001:db8:10:1::9', place: PLACES.seattle }),
  ];
  assert.equal((await run(impossibleTravel, mobile))[0]?.severity, 'low');
});

test('TW-SP-001 uses the database ASN when the record has none', async () => {
  const app = { id: guid('app|db-bot'), name: 'DB Bot' };
  const day = 24 * 60 * MINUTES;
  // no autonomousSystemNumber in any record: the database says 203.0.113.0/25 is AS64500
  const routine = [0, 1, 2, 3, 4].map((d) => diagSpSignIn({ at: BASE + d * day, app, ip: `203.0.113.${20 + d}` }));
  const sameAsn = await run(spNewSource, [...routine, diagSpSignIn({ at: BASE + 5 * day, app, ip: '203.0.113.99' })]);
  assert.deepEqual(sameAsn, [], 'a new IP in a known ASN is a known network');
  const [alert] = await run(spNewSource, [...routine, diagSpSignIn({ at: BASE + 5 * day, app, ip: '198.51.100.9' })]);
  assert.equal(alert?.facts.newNetwork, 'AS64511');
  assert.deepEqual(alert?.facts.knownNetworks, ['AS64500']);
  assert.ok(alert?.entities.some((e) => e.type === 'asn' && e.id === 'AS64511'), 'the ASN entity comes from the database too');
  assert.match(alert!.explanation, /AS64511 \(Lagos Fibre, 198\.51\.100\.9\)/);
  const vpn = await run(spNewSource, [...routine, diagSpSignIn({ at: BASE + 5 * day, app, ip: '192.0.2.9' })], { config: 'allowlists:\n  vpnAsns: [AS64520]\n' });
  assert.deepEqual(vpn, [], 'allowlists.vpnAsns matches the database ASN');
});

test("token replay: the attacker's later uses of the session join the replay alert, judged against the victim's place", async () => {
  const LAGOS = '198.51.100.9'; // Lagos Fibre in the database
  const records = [
    graphBetaUserSignIn({ at: BASE, user: ALICE, ip: '203.0.113.9', sessionId: SESSION, place: null }),
    graphBetaUserSignIn({ at: BASE + 30 * MINUTES, user: ALICE, ip: LAGOS, sessionId: SESSION, place: null, interactive: false }),
    // the stolen session reads mail from the attacker's address: the same place as the replay sign-in
    ualMailItemsAccessed({ at: BASE + 40 * MINUTES, user: ALICE, ip: LAGOS, sessionId: SESSION }),
    // the victim goes on from home: the session's place is still London, nothing new
    graphBetaUserSignIn({ at: BASE + 50 * MINUTES, user: ALICE, ip: '203.0.113.9', sessionId: SESSION, place: null, interactive: false }),
  ];
  const alerts = await run(tokenReplay, records, { revision: 'last' });
  assert.equal(alerts.length, 1, 'one alert for the session');
  const [a] = alerts;
  assert.equal(a!.severity, 'high');
  assert.equal(a!.facts.toUse, 'non-interactive sign-in', 'the alert is the replay sign-in');
  assert.equal(a!.occurrences, 2, 'the mail read from the replay place is a second occurrence');
  assert.ok(a!.evidence.some((e) => /MailItemsAccessed/.test(e.raw.text ?? '')), 'the MailItemsAccessed record is in the evidence');
  // a legitimate move (London to Paris by train, 3 h) is the session's new place: a later use from Paris is quiet
  const moved = await run(tokenReplay, [
    graphBetaUserSignIn({ at: BASE, user: ALICE, ip: '203.0.113.9', sessionId: SESSION, place: PLACES.london }),
    graphBetaUserSignIn({ at: BASE + 180 * MINUTES, user: ALICE, ip: '192.0.2.200', asn: 64530, sessionId: SESSION, place: PLACES.paris, interactive: false }),
    graphBetaUserSignIn({ at: BASE + 200 * MINUTES, user: ALICE, ip: '192.0.2.200', asn: 64530, sessionId: SESSION, place: PLACES.paris, interactive: false }),
  ]);
  assert.deepEqual(moved, []);
});
