// TW-MAIL-005 / TW-MAIL-006 / TW-APP-009 with an ASN + geo database (here a network table): UAL MailItemsAccessed
// records carry neither ASN nor place, so networks, countries and hosting come from the database. Rule cases
// (cases.ts) cannot load one; these run the real decoders and the engine with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Alert } from '../../detect/alert.js';
import { BASE, MINUTES, guid } from '../records.js';
import type { Rule } from '../types.js';
import { runWithNetworks } from '../db-testkit.js';
import { delegatedAccessFromHosting } from '../app/delegated-access-from-hosting/rule.js';
import { graphBetaUserSignIn } from '../signin/travel-records.js';
import { mailItemsAccessed } from './access-records.js';
import { accessByNewApp } from './access-by-new-app/rule.js';
import { accessFromNewIp } from './access-from-new-ip/rule.js';

const DAYS = 24 * 60 * MINUTES;
const ALICE = 'alice@contoso.com';

function table(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-mail-'));
  const file = path.join(dir, 'networks.csv');
  writeFileSync(file, [
    'network,asn,org,kind,city,country,latitude,longitude',
    '203.0.113.0/26,64500,Contoso Broadband,isp,London,GB,51.5072,-0.1276',
    '203.0.113.64/26,64500,Contoso Broadband,isp,Leeds,GB,53.8008,-1.5491',
    '203.0.113.128/26,64505,Thames Fibre,isp,Reading,GB,51.4543,-0.9781',
    '203.0.113.192/26,64501,Hostwave Cloud,hosting,Frankfurt am Main,DE,50.1109,8.6821',
    '198.51.100.0/25,64511,Lagos Fibre,isp,Lagos,NG,6.5244,3.3792',
    '198.51.100.128/25,8075,Microsoft Corporation,hosting,Dublin,IE,53.3498,-6.2603',
  ].join('\n') + '\n');
  return file;
}

const run = (rule: Rule, records: Record<string, unknown>[]): Promise<Alert[]> => runWithNetworks(rule, records, { tables: [table()] });

/** Alice on her registered laptop at home (London), Outlook reading her mail from there, for four days. */
function routine(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let d = 0; d < 4; d++) {
    const s = graphBetaUserSignIn({ at: BASE + d * DAYS, user: ALICE, ip: '203.0.113.20', asn: 64500 });
    s.deviceDetail = { deviceId: guid('device|alice'), displayName: 'CONTOSO-LT-0042', operatingSystem: 'Windows10', browser: 'Edge 124.0.0', isCompliant: true, isManaged: true, trustType: 'Microsoft Entra joined' };
    out.push(s, mailItemsAccessed({ at: BASE + d * DAYS + 10 * MINUTES, mailbox: ALICE, ip: '203.0.113.20' }));
  }
  return out;
}

const readFrom = (ip: string, o: Partial<Parameters<typeof mailItemsAccessed>[0]> = {}) => mailItemsAccessed({ at: BASE + 4 * DAYS, mailbox: ALICE, ip, ...o });

test('TW-MAIL-005: network and country both new for the account is medium, a hosting network high', async () => {
  const [lagos, ...rest] = await run(accessFromNewIp, [...routine(), readFrom('198.51.100.9')]);
  assert.equal(rest.length, 0);
  assert.equal(lagos?.severity, 'medium');
  assert.equal(lagos?.facts.network, 'AS64511');
  assert.equal(lagos?.facts.country, 'NG');
  const [vps] = await run(accessFromNewIp, [...routine(), readFrom('203.0.113.200')]);
  assert.equal(vps?.severity, 'high');
  assert.equal(vps?.facts.networkKind, 'hosting');
  assert.match(vps!.explanation, /AS64501 Hostwave Cloud, hosting/);
});

test('TW-MAIL-005: a new network in a known country is low; a new address in a vouched ASN or a Microsoft one is nothing', async () => {
  const [reading] = await run(accessFromNewIp, [...routine(), readFrom('203.0.113.140')]);
  assert.equal(reading?.severity, 'low', 'another ISP in GB');
  assert.deepEqual(await run(accessFromNewIp, [...routine(), readFrom('203.0.113.70')]), [], 'Leeds, same ASN as home: one network');
  assert.deepEqual(await run(accessFromNewIp, [...routine(), readFrom('198.51.100.140')]), [], "Microsoft's own services read for the user");
});

test('TW-MAIL-006: a new third-party app reading from a hosting network is high, a new Microsoft client stays low', async () => {
  const app = guid('app|lookalike');
  const [a] = await run(accessByNewApp, [...routine(), readFrom('203.0.113.200', { appId: app, clientInfo: 'Client=REST;Client=RESTSystem;;' })]);
  assert.equal(a?.severity, 'high');
  assert.equal(a?.facts.hostingNetwork, true);
  const owa = '9199bf20-a13f-4107-85dc-02114787ef48';
  const [b] = await run(accessByNewApp, [...routine(), readFrom('203.0.113.200', { appId: owa, clientInfo: 'Client=OWA;Action=ViaProxy' })]);
  assert.equal(b?.severity, 'low');
  assert.match(b!.explanation, /Note: it reads from a hosting/);
});

test('TW-APP-009: hosting networks named by a network table count, not only the built-in list', async () => {
  const app = { id: guid('app|lookalike'), name: 'Docs Viewer' };
  const refresh = (at: number, ip: string, appRef = { id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', name: 'Microsoft Office' }) => {
    const r = graphBetaUserSignIn({ at, user: ALICE, ip, app: appRef, interactive: false });
    delete r.autonomousSystemNumber; // the database answers
    return r;
  };
  const records = [...Array.from({ length: 12 }, (_, i) => refresh(BASE + i * 6 * 60 * MINUTES, '203.0.113.20')), refresh(BASE + 3 * DAYS, '203.0.113.201', app)];
  const [a, ...rest] = await run(delegatedAccessFromHosting, records);
  assert.equal(rest.length, 0);
  assert.equal(a?.facts.asn, 64501);
  assert.equal(a?.severity, 'medium');
  assert.deepEqual(await run(delegatedAccessFromHosting, [...records.slice(0, -1), refresh(BASE + 3 * DAYS, '198.51.100.140', app)]), [], 'Azure (AS8075) is Microsoft');
});

test('TW-MAIL-005: a read in a session the account began on its registered device, after a possible move, is low', async () => {
  // a traveller: London sign-in on the registered laptop, the same session reads mail from Lagos (5,000 km) later
  const session = guid(`aad|${ALICE}`); // the session id mailItemsAccessed writes for Alice's reads
  const laptop = (at: number) => {
    const s = graphBetaUserSignIn({ at, user: ALICE, ip: '203.0.113.20', asn: 64500, sessionId: session });
    s.deviceDetail = { deviceId: guid('device|alice'), displayName: 'CONTOSO-LT-0042', operatingSystem: 'Windows10', browser: 'Edge 124.0.0', isCompliant: true, isManaged: true, trustType: 'Microsoft Entra joined' };
    return s;
  };
  const signedIn = BASE + 4 * DAYS;
  const [flew, ...rest] = await run(accessFromNewIp, [...routine(), laptop(signedIn), readFrom('198.51.100.9', { at: signedIn + 9 * 60 * MINUTES })]);
  assert.equal(rest.length, 0);
  assert.equal(flew?.severity, 'low', '5,012 km in 9 h is a flight');
  assert.equal(flew?.facts.sessionFromRegisteredDevice, true);
  assert.match(flew!.explanation, /began with an interactive sign-in on a registered device from 203\.0\.113\.20 \(5,012 km away/);
  // the same read one hour after the sign-in: no one flies that fast, the session is elsewhere (TW-SIGNIN-011)
  const [fast] = await run(accessFromNewIp, [...routine(), laptop(signedIn), readFrom('198.51.100.9', { at: signedIn + 60 * MINUTES })]);
  assert.equal(fast?.severity, 'medium');
  assert.equal(fast?.facts.sessionFromRegisteredDevice, false);
  // a session never begun on the registered device vouches for nothing
  const [plain] = await run(accessFromNewIp, [...routine(), readFrom('198.51.100.9', { at: signedIn + 9 * 60 * MINUTES })]);
  assert.equal(plain?.severity, 'medium');
});
