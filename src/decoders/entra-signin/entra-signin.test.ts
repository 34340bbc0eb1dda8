import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Event } from '../../core/event.js';
import { decodeFixture, decodeText, type DecodedFixture } from '../../pipeline/testkit.js';
import fc from 'fast-check';
import type { DecodeContext, DecodeResult } from '../types.js';
import { legacyOf, mfaState, protocolOf, requirementOf, type AuthStep } from './auth.js';
import { outcomeForCode, passwordFactForCode } from './codes.js';
import { isDiagSignIn } from './diag.js';
import { diagSignInDecoder, graphSignInDecoder, laSignInCsvDecoder, laSignInDecoder, portalSignInCsvDecoder } from './index.js';
import { isGraphSignIn } from './graph.js';
import { isLaSignInHeader, isLaSignInRow } from './log-analytics.js';
import { isPortalAuthDetailsHeader, isPortalSignInHeader, normHeader, parseLocation } from './portal-csv.js';

const dir = path.resolve('src/decoders/entra-signin/fixtures');
const fx = (name: string): string => path.join(dir, name);
const SAMPLES = '/work/shared/samples';

/** Golden form: Events without the framing-dependent evidence pointer (file, line, offset, text). */
function golden(r: DecodedFixture): unknown {
  return {
    format: r.format,
    events: r.events.map((e) => ({ ...e, raw: { format: e.raw.format } })),
    quarantined: r.quarantined.map((q) => q.reason),
    filtered: r.filtered.map((f) => f.reason),
  };
}

const FIXTURES: [string, DecodeContext?, string?][] = [
  ['graph-v1-page.json'],
  ['graph-beta-page.json'],
  ['graph-beta-pages-array.json'],
  ['graph-signins.ndjson'],
  ['InteractiveSignIns_2024-05-01_2024-05-03.json', undefined, 'InteractiveSignIns_2024-05-01_2024-05-03.json-download'],
  ['diag-signin.jsonl'],
  ['diag-eventhub.json'],
  ['la-signin-rows.ndjson'],
  ['SigninLogs_la-export-utc.csv'],
  ['SigninLogs_la-export-local.csv'],
  ['SigninLogs_la-export-local.csv', { tz: 'Europe/Amsterdam' }, 'SigninLogs_la-export-local.tz-amsterdam'],
  ['InteractiveSignIns_2024-05-01_2024-05-03.csv'],
  ['NonInteractiveSignIns_2024-05-01_2024-05-03.csv'],
  ['ApplicationSignIns_2024-05-01_2024-05-03.csv'],
  ['MSISignIns_2024-05-01_2024-05-03.csv'],
  ['InteractiveSignIns_AuthDetails_2024-05-01_2024-05-03.csv'],
];

for (const [name, ctx, goldenName] of FIXTURES) {
  test(`golden: ${goldenName ?? name}`, async () => {
    const got = JSON.parse(JSON.stringify(golden(await decodeFixture(fx(name), { ...ctx, dedup: false }))));
    const file = fx((goldenName ?? name.replace(/\.[^.]+$/, '')) + '.golden.json');
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, JSON.stringify(got, null, 2) + '\n');
    assert.deepEqual(got, JSON.parse(readFileSync(file, 'utf8')));
  });
}

async function events(name: string, ctx?: DecodeContext): Promise<Event[]> {
  return (await decodeFixture(fx(name), { ...ctx, dedup: false })).events;
}
const byId = (evs: Event[], suffix: string): Event => {
  const e = evs.find((x) => x.id.endsWith(suffix));
  assert.ok(e, `event ${suffix}`);
  return e;
};
const ISO = (ms: number): string => new Date(ms).toISOString();

// --- (a) Graph

test('graph v1.0: no requirement / details -> requirement absent, mfa unknown (never assumed single)', async () => {
  const evs = await events('graph-v1-page.json');
  assert.equal(evs.length, 2);
  for (const e of evs) {
    assert.equal(e.auth?.requirement, undefined);
    assert.equal(e.raw.format, 'graph.signin');
  }
  const ok = byId(evs, '0100');
  assert.equal(ok.auth?.mfa, 'satisfied'); // v1.0 still has status.additionalDetails "MFA completed in Azure AD"
  assert.equal(byId(evs, '0200').auth?.mfa, 'unknown');
  assert.equal(ok.outcome, 'success');
  assert.equal(ok.tenant, 'unknown'); // v1.0 carries no tenant field
  assert.deepEqual(ok.actor.geo, { city: 'Seattle', state: 'Washington', country: 'US', lat: 47.6062, lon: -122.3321, from: 'record' });
  const bad = byId(evs, '0200');
  assert.deepEqual(bad.reason, { code: '50126', text: 'Error validating credentials due to invalid username or password.' });
  assert.equal(bad.outcome, 'failure');
  assert.equal(bad.actor.user, 'megan.bowen@contoso.com');
});

test('graph beta: MFA, requirement, session and token ids; repeated keys keep the last value', async () => {
  const evs = await events('graph-beta-page.json');
  const s1 = byId(evs, '0100');
  assert.equal(s1.source, 'entra.signin');
  assert.equal(s1.tenant, '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b');
  assert.deepEqual(s1.auth?.methods, ['Password', 'Mobile app notification']);
  assert.equal(s1.auth?.mfa, 'satisfied');
  assert.equal(s1.auth?.requirement, 'multi');
  assert.deepEqual(s1.session, { id: '5e6f7a8b-cccc-4d1e-9f2a-000000000001', tokenId: 'S1tokenAAAAAAAAAAAAAAA', correlationId: '0f1e2d3c-aaaa-4b5c-8d7e-000000000001' });
  const s4 = byId(evs, '0400');
  assert.equal(s4.session?.tokenId, 'S4tokenAAAAAAAAAAAAAAA'); // the earlier duplicate key was stale
  assert.equal(s4.details?.homeTenantId, '00000000-0000-0000-0000-000000000000'); // repeated homeTenantId: the later one
  assert.equal(s4.auth?.requirement, 'single');
  assert.equal(s4.auth?.mfa, 'not_required');
  assert.equal(s4.auth?.protocol, 'ropc');
  assert.equal(s4.details?.passwordCorrect, true);
  assert.deepEqual(s4.risk, { level: 'medium', aggregated: 'medium', state: 'atRisk', detail: 'none', types: ['unfamiliarFeatures', 'anonymizedIPAddress'] });
  const s5 = byId(evs, '0500');
  assert.equal(s5.outcome, 'interrupted');
  assert.equal(s5.reason?.code, '50074');
  assert.equal(s5.auth?.mfa, 'failed');
  assert.equal(s5.details?.passwordCorrect, true); // 50074: the password was right
});

test('graph beta: signInEventTypes pick the sign-in log; SP and MI actors are apps', async () => {
  const evs = await events('graph-beta-pages-array.json');
  assert.equal(evs.length, 5);
  const ni = byId(evs, '0600');
  assert.equal(ni.source, 'entra.signin.noninteractive');
  assert.equal(ni.auth?.mfa, 'previously_satisfied');
  assert.equal(ni.auth?.interactive, false);
  assert.equal(ni.details?.incomingTokenType, 'primaryRefreshToken');
  const sp = byId(evs, '0700');
  assert.equal(sp.source, 'entra.signin.serviceprincipal');
  assert.deepEqual(
    { kind: sp.actor.kind, appId: sp.actor.appId, appName: sp.actor.appName, spId: sp.actor.spId, user: sp.actor.user },
    { kind: 'app', appId: '9e1f2a3b-4c5d-4e6f-8091-a2b3c4d5e6f7', appName: 'Contoso Mail Sync', spId: 'c26d4a8e-8888-4f9a-9b0c-1d2e3f4a5b6c', user: undefined },
  );
  assert.equal(sp.auth?.credentialType, 'clientSecret');
  assert.equal(sp.auth?.mfa, undefined);
  assert.equal(sp.details?.spCredentialKeyId, '6a7b8c9d-eeee-4f0a-8b1c-000000000007');
  assert.deepEqual(sp.targets, [{ type: 'servicePrincipal', id: '8e2f0c4a-4444-4b5c-9d6e-7f8a9b0c1d2e', appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' }]);
  const mi = byId(evs, '0800');
  assert.equal(mi.source, 'entra.signin.managedidentity');
  assert.equal(mi.actor.kind, 'app');
  assert.equal(mi.details?.managedIdentityType, 'userAssigned');
  assert.equal(mi.actor.geo, undefined); // 0/0 coordinates and empty strings are no location
  assert.equal(mi.actor.asn, undefined);
});

test('graph NDJSON: legacy IMAP ROPC failure, IPv6 guest from another tenant', async () => {
  const evs = await events('graph-signins.ndjson');
  const imap = byId(evs, '0900');
  assert.equal(imap.auth?.legacy, true);
  assert.equal(imap.auth?.clientApp, 'IMAP4');
  assert.equal(imap.details?.passwordCorrect, false);
  const guest = byId(evs, '1000');
  assert.equal(guest.actor.ip, '2001:db8:ff00:42::8329');
  assert.equal(guest.details?.userType, 'guest');
  assert.equal(guest.details?.homeTenantId, '2b7e4c1a-9d3f-4a5b-8c6d-7e8f9a0b1c2d');
  assert.equal(guest.details?.crossTenantAccessType, 'b2bCollaboration');
  assert.equal(guest.auth?.mfa, 'not_required'); // "First factor requirement satisfied by claim" is not MFA
});

test('admin center JSON download is Graph-beta shaped and decodes as graph.signin', async () => {
  const r = await decodeFixture(fx('InteractiveSignIns_2024-05-01_2024-05-03.json'), { dedup: false });
  assert.deepEqual(r.format, ['graph.signin']);
  assert.equal(r.events.length, 3);
});

// --- (b) diagnostic export

test('diag: time from properties.createdDateTime with a non-UTC offset, not the envelope time', async () => {
  const evs = await events('diag-signin.jsonl');
  const s1 = byId(evs, '0100');
  assert.equal(ISO(s1.time), '2024-05-01T08:02:11.443Z');
  assert.equal(s1.tenant, '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b');
  assert.equal(s1.raw.format, 'azure.diag.signin');
  assert.equal(s1.details?.timeFrom, undefined);
});

test('diag: categories map to sign-in logs; MicrosoftServicePrincipalSignInLogs is flagged', async () => {
  const evs = await events('diag-signin.jsonl');
  const src = Object.fromEntries(evs.map((e) => [e.id.slice(-4), e.source]));
  assert.deepEqual(src, {
    '0100': 'entra.signin', '0600': 'entra.signin.noninteractive', '0700': 'entra.signin.serviceprincipal',
    '0800': 'entra.signin.managedidentity', '1100': 'entra.signin.serviceprincipal', '1000': 'entra.signin', '0300': 'entra.signin',
  });
  assert.equal(byId(evs, '1100').details?.microsoftServicePrincipal, true);
});

test('diag: fallbacks (envelope time, callerIpAddress) are used and marked; envelope-only records are quarantined', async () => {
  const r = await decodeFixture(fx('diag-signin.jsonl'), { dedup: false });
  const noCreated = byId(r.events, '1000');
  assert.equal(ISO(noCreated.time), '2024-05-02T14:33:00.000Z');
  assert.match(String(noCreated.details?.timeFrom), /envelope time/);
  const failure = byId(r.events, '0300');
  assert.equal(failure.actor.ip, '2001:db8:7:1::25');
  assert.equal(failure.actor.port, 51234);
  assert.equal(failure.reason?.code, '50126'); // status.errorCode wins over resultType "Failure"
  assert.equal(r.quarantined.length, 1);
  assert.match(r.quarantined[0]!.reason, /SignInLogs diagnostic record without properties/);
});

test('diag: Event Hub {"records":[…]} batch', async () => {
  const evs = await events('diag-eventhub.json');
  assert.deepEqual(evs.map((e) => [e.id.slice(-4), e.outcome]), [['0200', 'failure'], ['0400', 'success'], ['0500', 'interrupted']]);
});

// --- (c) Log Analytics

test('LA rows: dynamic columns as objects or JSON text; workspace TenantId is never the tenant', async () => {
  const evs = await events('la-signin-rows.ndjson');
  assert.equal(evs.length, 4);
  for (const e of evs) assert.notEqual(e.tenant, '81c2a3b4-0000-4c5d-8e6f-000000000099');
  const s4 = byId(evs, '0400'); // SigninLogs, objects
  assert.equal(s4.tenant, '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b');
  assert.equal(ISO(s4.time), '2024-05-01T09:41:07.123Z');
  assert.equal(s4.actor.geo?.lat, 52.374);
  assert.deepEqual(s4.targets[0], { type: 'servicePrincipal', id: '9f3a1d5b-5555-4c6d-8e7f-8a9b0c1d2e3f', appId: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' });
  const s6 = byId(evs, '0600'); // AADNonInteractiveUserSignInLogs, JSON text, no AADTenantId column
  assert.equal(s6.source, 'entra.signin.noninteractive');
  assert.equal(s6.tenant, '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b'); // from the ResourceId path
  assert.equal(s6.actor.geo?.city, 'Seattle');
  assert.equal(s6.details?.device && (s6.details.device as { compliant?: boolean }).compliant, true);
  const sp = byId(evs, '0700'); // AADServicePrincipalSignInLogs has no CreatedDateTime
  assert.equal(sp.source, 'entra.signin.serviceprincipal');
  assert.match(String(sp.details?.timeFrom), /TimeGenerated/);
  assert.equal(sp.outcome, 'success');
  const mi = byId(evs, '0800');
  assert.equal(mi.source, 'entra.signin.managedidentity');
  assert.equal(mi.details?.managedIdentityType, 'userAssigned');
});

test('session and correlation ids: GUIDs in lower case in every shape (as UAL has them); the token id keeps its case', async () => {
  const la = readFileSync(fx('la-signin-rows.ndjson'), 'utf8').split('\n').find((l) => l.includes('5e6f7a8b-cccc-4d1e-9f2a-000000000004'))!;
  const upperLa = la
    .replace('"SessionId":"5e6f7a8b-cccc-4d1e-9f2a-000000000004"', '"SessionId":"5E6F7A8B-CCCC-4D1E-9F2A-000000000004"')
    .replace('"CorrelationId":"0f1e2d3c-aaaa-4b5c-8d7e-000000000004"', '"CorrelationId":"{0F1E2D3C-AAAA-4B5C-8D7E-000000000004}"')
    .replace('"UniqueTokenIdentifier":"S4tokenAAAAAAAAAAAAAAA"', '"UniqueTokenIdentifier":"S4tokenAbCdEfGhIjKlMn"');
  assert.notEqual(upperLa, la);
  const page = JSON.parse(readFileSync(fx('graph-beta-page.json'), 'utf8')) as { value: Record<string, unknown>[] };
  const graph = { ...page.value[0]!, sessionId: '5E6F7A8B-CCCC-4D1E-9F2A-000000000001', correlationId: '0F1E2D3C-AAAA-4B5C-8D7E-000000000001', uniqueTokenIdentifier: 'S1tokenAbCdEfGhIjKlMn' };
  const [a] = (await decodeText(upperLa + '\n', 'la.ndjson', { dedup: false })).events;
  const [b] = (await decodeText(JSON.stringify(graph) + '\n', 'graph.json', { dedup: false })).events;
  assert.deepEqual(a?.session, { id: '5e6f7a8b-cccc-4d1e-9f2a-000000000004', tokenId: 'S4tokenAbCdEfGhIjKlMn', correlationId: '0f1e2d3c-aaaa-4b5c-8d7e-000000000004' });
  assert.deepEqual(b?.session, { id: '5e6f7a8b-cccc-4d1e-9f2a-000000000001', tokenId: 'S1tokenAbCdEfGhIjKlMn', correlationId: '0f1e2d3c-aaaa-4b5c-8d7e-000000000001' });
});

test('LA portal CSV: "M/d/yyyy, h:mm:ss.fff AM" in UTC; local-time export needs --tz', async () => {
  const utc = await events('SigninLogs_la-export-utc.csv');
  assert.equal(ISO(byId(utc, '0400').time), '2024-05-01T09:41:07.123Z');
  assert.equal(byId(utc, '0400').raw.format, 'loganalytics.signin.csv');
  const noTz = await decodeFixture(fx('SigninLogs_la-export-local.csv'), { dedup: false });
  assert.equal(noTz.events.length, 0);
  assert.equal(noTz.quarantined.length, 2);
  assert.match(noTz.quarantined[0]!.reason, /local time zone.*--tz/);
  const withTz = await events('SigninLogs_la-export-local.csv', { tz: 'Europe/Amsterdam' });
  assert.deepEqual(withTz.map((e) => ISO(e.time)), utc.filter((e) => !e.id.endsWith('0500')).map((e) => ISO(e.time)));
});

test('real LA portal export sample: CreatedDateTime (not TimeGenerated), AADTenantId, risky 50140', { skip: !existsSync(SAMPLES) }, async () => {
  const r = await decodeFixture(`${SAMPLES}/log-analytics-portal-export/SigninLogs_portal_export.EXCERPT.csv`, { dedup: false });
  assert.equal(r.events.length, 2);
  const [a, b] = r.events as [Event, Event];
  assert.equal(ISO(a.time), '2023-09-19T13:42:37.848Z');
  assert.equal(ISO(b.time), '2023-09-19T11:21:02.145Z');
  assert.equal(a.tenant, '4b2462a4-bbee-495a-a0e1-f23ae524cc9c');
  assert.equal(b.outcome, 'interrupted');
  assert.equal(b.risk?.level, 'high');
  assert.deepEqual(b.risk?.types, ['unfamiliarFeatures', 'unlikelyTravel']);
  assert.equal(b.actor.geo?.country, 'VN');
  assert.equal(a.details?.userType, 'guest');
});

// --- (g) admin center CSV download

test('portal CSV: headers by normalized name (trailing spaces, double spaces, repeated column)', async () => {
  const evs = await events('InteractiveSignIns_2024-05-01_2024-05-03.csv');
  assert.equal(evs.length, 4);
  const s1 = byId(evs, '0100');
  assert.equal(s1.source, 'entra.signin');
  assert.equal(s1.actor.appId, 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c'); // "Application ID "
  assert.equal(s1.auth?.resourceId, '797f4846-ba00-4fd7-ba43-dac1f8f63013'); // "Resource ID "
  assert.equal(s1.actor.asn, 7922); // "Autonomous system  number"
  assert.deepEqual(s1.actor.geo, { city: 'Seattle', state: 'Washington', country: 'US', from: 'record' });
  assert.equal(s1.auth?.ca, 'success');
  assert.equal(s1.auth?.requirement, 'multi');
  assert.equal(s1.auth?.mfa, 'satisfied');
  assert.equal(s1.tenant, '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b');
  const s4 = byId(evs, '0400');
  assert.equal(s4.auth?.protocol, 'ropc'); // "ROPC"
  assert.equal(s4.auth?.ca, 'notApplied'); // "Not Applied"
  assert.equal(s4.auth?.requirement, 'single'); // "Single-factor authentication"
  const s5 = byId(evs, '0500');
  assert.equal(s5.outcome, 'interrupted');
  const s9 = byId(evs, '0900');
  assert.equal(s9.auth?.legacy, true);
});

test('portal CSV: the file name says which log; SP and MSI downloads are app actors', async () => {
  assert.equal((await events('NonInteractiveSignIns_2024-05-01_2024-05-03.csv'))[0]!.source, 'entra.signin.noninteractive');
  const sp = (await events('ApplicationSignIns_2024-05-01_2024-05-03.csv'))[0]!;
  assert.equal(sp.source, 'entra.signin.serviceprincipal');
  assert.equal(sp.actor.kind, 'app');
  assert.equal(sp.actor.spId, 'c26d4a8e-8888-4f9a-9b0c-1d2e3f4a5b6c');
  assert.equal(sp.details?.spCredentialKeyId, '6a7b8c9d-eeee-4f0a-8b1c-000000000007');
  const mi = (await events('MSISignIns_2024-05-01_2024-05-03.csv'))[0]!;
  assert.equal(mi.source, 'entra.signin.managedidentity');
  // renamed file: the Managed Identity type cell still says MSI; a user file defaults to interactive and says so
  const text = readFileSync(fx('MSISignIns_2024-05-01_2024-05-03.csv'));
  assert.equal((await decodeText(text, 'export.csv')).events[0]!.source, 'entra.signin.managedidentity');
  const user = await decodeText(readFileSync(fx('InteractiveSignIns_2024-05-01_2024-05-03.csv')), 'export.csv');
  assert.equal(user.events[0]!.source, 'entra.signin');
  assert.match(String(user.events[0]!.details?.logAssumed), /interactive/);
});

test('portal CSV: a date column without a zone needs --tz unless the value carries one', async () => {
  const csv = 'Date,Request ID,Username,IP address,Sign-in error code\r\n5/1/2024 9:41:07 AM,abc-1,x@contoso.com,203.0.113.5,0\r\n2024-05-01T09:41:07Z,abc-2,x@contoso.com,203.0.113.5,0\r\n';
  const r = await decodeText(csv, 'InteractiveSignIns_x.csv');
  assert.equal(r.events.length, 1);
  assert.equal(r.events[0]!.id, 'abc-2');
  assert.match(r.quarantined[0]!.reason, /--tz/);
  const r2 = await decodeText(csv, 'InteractiveSignIns_x.csv', { tz: '+02:00' });
  assert.deepEqual(r2.events.map((e) => ISO(e.time)), ['2024-05-01T07:41:07.000Z', '2024-05-01T09:41:07.000Z']);
  const offsetHeader = csv.replace('Date,', 'Date (UTC+02:00),');
  const r3 = await decodeText(offsetHeader, 'InteractiveSignIns_x.csv');
  assert.deepEqual(r3.events.map((e) => ISO(e.time)), ['2024-05-01T07:41:07.000Z', '2024-05-01T09:41:07.000Z']);
});

test('portal AuthDetails CSV rows are filtered with a reason, not quarantined', async () => {
  const r = await decodeFixture(fx('InteractiveSignIns_AuthDetails_2024-05-01_2024-05-03.csv'));
  assert.equal(r.events.length, 0);
  assert.equal(r.quarantined.length, 0);
  assert.equal(r.filtered.length, 4);
  assert.match(r.filtered[0]!.reason, /Request ID/);
});

// --- real samples

test('real samples: Elastic diag records (5 categories, -05:00 offset, corner cases)', { skip: !existsSync(SAMPLES) }, async () => {
  const raw = await decodeFixture(`${SAMPLES}/elastic-integrations/azure-signinlogs/test-signinlogs-raw.log`, { dedup: false });
  assert.deepEqual(raw.events.map((e) => e.source), [
    'entra.signin', 'entra.signin.noninteractive', 'entra.signin.serviceprincipal', 'entra.signin.serviceprincipal', 'entra.signin.managedidentity',
  ]);
  assert.equal(ISO(raw.events[0]!.time), '2019-10-18T09:45:48.072Z');
  // the object id in userPrincipalName is not a UPN
  assert.equal(raw.events[1]!.actor.user, undefined);
  const ni = await decodeFixture(`${SAMPLES}/elastic-integrations/azure-signinlogs/test-non-interactive-user-signin.log`);
  const e = ni.events[0]!;
  assert.equal(e.auth?.mfa, 'previously_satisfied');
  assert.equal(e.auth?.requirement, 'multi');
  assert.equal(e.actor.asn, 5089);
  const corner = await decodeFixture(`${SAMPLES}/elastic-integrations/azure-signinlogs/test-time-formats-corner-cases.log`);
  assert.equal(corner.events.length, 0);
  assert.equal(corner.quarantined.length, 11);
});

test('real samples: SEKOIA sign-ins (diag + Graph)', { skip: !existsSync(SAMPLES) }, async () => {
  const az = await decodeFixture(`${SAMPLES}/sekoia-intake-formats/Azure__azure-ad.raw-extracted.ndjson`, { dedup: false });
  const signins = az.events.filter((e) => e.action === 'signin');
  assert.equal(signins.length, 8);
  const ews = signins.find((e) => e.auth?.clientApp === 'Exchange Web Services');
  assert.equal(ews?.auth?.legacy, true);
  assert.equal(ews?.auth?.protocol, 'ropc');
  const ext = signins.find((e) => e.reason?.code === '50158');
  assert.equal(ext?.auth?.ca, 'failure');
  const spn = signins.find((e) => e.source === 'entra.signin.serviceprincipal');
  assert.equal(spn?.actor.ip, undefined); // anonymised GUID in place of the IP
  assert.equal(spn?.actor.geo, undefined);
  const g = await decodeFixture(`${SAMPLES}/sekoia-intake-formats/Microsoft__microsoft-entraid-graphapi.raw-extracted.ndjson`, { dedup: false });
  assert.equal(g.events.filter((e) => e.action === 'signin').length, 1);
});

// --- units

test('error codes: outcome and password facts', () => {
  assert.equal(outcomeForCode(0), 'success');
  assert.equal(outcomeForCode(50126), 'failure');
  assert.equal(outcomeForCode(53003), 'failure');
  for (const c of [50074, 50076, 50079, 50140, 50158, 50199]) assert.equal(outcomeForCode(c), 'interrupted', String(c));
  for (const c of [50074, 50076, 50079, 50158, 53003, 53000, 50097, 500121, 50140]) assert.equal(passwordFactForCode(c), true, String(c));
  assert.equal(passwordFactForCode(50126), false);
  assert.equal(passwordFactForCode(50053), undefined);
  assert.equal(passwordFactForCode(0), undefined);
});

test('mfa state rules', () => {
  const pw: AuthStep = { method: 'Password', succeeded: true, requirement: 'Primary authentication' };
  const pushOk: AuthStep = { method: 'Mobile app notification', succeeded: true };
  const pushPending: AuthStep = { method: 'Mobile app notification', succeeded: false, result: 'Authentication in progress' };
  assert.equal(mfaState([pw, pushOk], undefined, undefined, 'multi', 0, 'success'), 'satisfied');
  // a pending push on a successful sign-in is not a failure (SEKOIA sign-in_activity5)
  assert.equal(mfaState([pw, pushPending], 'MFA completed in Azure AD', undefined, 'multi', 0, 'success'), 'satisfied');
  assert.equal(mfaState([], 'MFA requirement satisfied by claim in the token', undefined, 'single', 0, 'success'), 'previously_satisfied');
  assert.equal(mfaState([pw], undefined, undefined, 'multi', 500121, 'failure'), 'failed');
  assert.equal(mfaState([], undefined, undefined, 'multi', 0, 'success'), 'satisfied');
  assert.equal(mfaState([pw], undefined, undefined, 'single', 0, 'success'), 'not_required');
  assert.equal(mfaState([], undefined, undefined, undefined, 0, 'success'), 'unknown');
  assert.equal(mfaState([], undefined, { authMethod: 'PhoneAppNotification' }, undefined, 0, 'success'), 'unknown');
  assert.equal(mfaState([], undefined, { authMethod: 'Mobile app notification' }, undefined, 0, 'success'), 'satisfied');
});

test('legacy clients, protocol and requirement spellings', () => {
  for (const c of ['Exchange ActiveSync', 'IMAP4', 'POP3', 'Authenticated SMTP', 'Other clients', 'Exchange Web Services', 'MAPI Over HTTP', 'Offline Address Book', 'Autodiscover', 'Exchange Online PowerShell', 'Outlook Anywhere (RPC over HTTP)']) {
    assert.equal(legacyOf(c), true, c);
  }
  assert.equal(legacyOf('Browser'), false);
  assert.equal(legacyOf('Mobile Apps and Desktop clients'), false);
  assert.equal(legacyOf('Something new'), undefined);
  assert.equal(protocolOf('Device code'), 'deviceCode');
  assert.equal(protocolOf('ROPC'), 'ropc');
  assert.equal(requirementOf('Multifactor authentication'), 'multi');
  assert.equal(requirementOf('singleFactorAuthentication'), 'single');
  assert.equal(requirementOf(''), undefined);
});

test('portal CSV helpers', () => {
  assert.equal(normHeader('Application ID '), 'application id');
  assert.equal(normHeader('Autonomous system  number'), 'autonomous system number');
  assert.equal(normHeader('\ufeffSign-in error code'), 'sign in error code');
  assert.deepEqual(parseLocation('Redmond, Washington, US'), { countryOrRegion: 'US', state: 'Washington', city: 'Redmond' });
  assert.deepEqual(parseLocation('Paris, FR'), { countryOrRegion: 'FR', city: 'Paris' });
  assert.equal(parseLocation('Unknown'), undefined);
});

test('matchers are exclusive across sign-in shapes and do not take other Graph objects', () => {
  const graph = JSON.parse(readFileSync(fx('same-signin.graph-beta.json'), 'utf8')).value[0];
  const diag = JSON.parse(readFileSync(fx('same-signin.diag.json'), 'utf8'));
  const la = JSON.parse(readFileSync(fx('same-signin.sentinel.ndjson'), 'utf8'));
  assert.deepEqual([isGraphSignIn(graph), isDiagSignIn(graph), isLaSignInRow(graph)], [true, false, false]);
  assert.deepEqual([isGraphSignIn(diag), isDiagSignIn(diag), isLaSignInRow(diag)], [false, true, false]);
  assert.deepEqual([isGraphSignIn(la), isDiagSignIn(la), isLaSignInRow(la)], [false, false, true]);
  const directoryAudit = { id: 'Directory_x', activityDateTime: '2024-05-01T00:00:00Z', activityDisplayName: 'Add user', initiatedBy: {}, result: 'success' };
  const alert = { id: 'da1', createdDateTime: '2024-05-01T00:00:00Z', status: 'new', title: 'x', tenantId: 't' };
  const audit = { time: '2024-05-01T00:00:00Z', category: 'AuditLogs', properties: {} };
  for (const o of [directoryAudit, alert, audit]) assert.equal(isGraphSignIn(o) || isDiagSignIn(o) || isLaSignInRow(o), false);
  const laHeader = readFileSync(fx('SigninLogs_la-export-utc.csv'), 'utf8').split('\n')[0]!.split(',');
  const portalHeader = readFileSync(fx('InteractiveSignIns_2024-05-01_2024-05-03.csv'), 'utf8').replace(/^\ufeff/, '').split('\r\n')[0]!.split(',');
  assert.deepEqual([isLaSignInHeader(laHeader), isPortalSignInHeader(laHeader), isPortalAuthDetailsHeader(laHeader)], [true, false, false]);
  assert.deepEqual([isLaSignInHeader(portalHeader), isPortalSignInHeader(portalHeader), isPortalAuthDetailsHeader(portalHeader)], [false, true, false]);
  const auditHeader = ['TenantId', 'TimeGenerated [UTC]', 'OperationName', 'Category', 'ResultType', 'ActivityDisplayName', 'InitiatedBy', 'TargetResources', 'Type'];
  assert.equal(isLaSignInHeader(auditHeader), false);
});

// --- robustness: type drift and garbage never throw; the result is an event or a reasoned quarantine

test('property: any value in any field decodes or quarantines, never throws', () => {
  const graph = JSON.parse(readFileSync(fx('same-signin.graph-beta.json'), 'utf8')).value[0];
  const diag = JSON.parse(readFileSync(fx('same-signin.diag.json'), 'utf8'));
  const row = JSON.parse(readFileSync(fx('same-signin.sentinel.ndjson'), 'utf8'));
  const laHeader = readFileSync(fx('SigninLogs_la-export-utc.csv'), 'utf8').split('\n')[0]!.split(',');
  const portalHeader = readFileSync(fx('InteractiveSignIns_2024-05-01_2024-05-03.csv'), 'utf8').replace(/^\ufeff/, '').split('\r\n')[0]!.split(',');
  const mutate = (base: Record<string, unknown>) =>
    fc.dictionary(fc.constantFrom(...Object.keys(base)), fc.anything({ maxDepth: 2 }), { maxKeys: 8 }).map((m) => ({ ...base, ...m }));
  const check = (r: DecodeResult): void => {
    assert.ok(r.kind === 'events' || r.kind === 'quarantine', r.kind);
    if (r.kind === 'quarantine') assert.ok(r.reason.length > 10);
    else {
      const e = r.events[0]!;
      assert.ok(Number.isFinite(e.time) && typeof e.tenant === 'string' && e.action === 'signin');
      for (const k of ['user', 'userId', 'ip', 'appId', 'userAgent'] as const) assert.ok(e.actor[k] === undefined || typeof e.actor[k] === 'string', k);
      assert.doesNotThrow(() => JSON.stringify(e));
    }
  };
  fc.assert(
    fc.property(mutate(graph), mutate(diag), mutate({ ...diag, properties: { ...diag.properties } }), mutate(row), (g, d, d2, l) => {
      check(graphSignInDecoder.decode({ value: g, text: '', file: 'f', container: 'json' }, {}));
      check(diagSignInDecoder.decode({ value: d, text: '', file: 'f', container: 'json' }, {}));
      check(diagSignInDecoder.decode({ value: { ...d2, properties: { ...diag.properties, ...d2 } }, text: '', file: 'f', container: 'json' }, {}));
      check(laSignInDecoder.decode({ value: l, text: '', file: 'f', container: 'json' }, {}));
    }),
    { numRuns: 300 },
  );
  const cells = (header: string[]) => fc.array(fc.oneof(fc.string(), fc.constantFrom('', '{', '[1,2', '{"errorCode":"x"}', 'TRUE', '-1', '9/19/2023, 1:45:17.287 PM')), { minLength: header.length, maxLength: header.length });
  fc.assert(
    fc.property(cells(laHeader), cells(portalHeader), (a, b) => {
      const rowOf = (h: string[], c: string[]) => Object.fromEntries(h.map((x, i) => [x, c[i]!]));
      check(laSignInCsvDecoder.decode({ value: rowOf(laHeader, a), header: laHeader, text: '', file: 'f.csv', container: 'csv' }, {}));
      check(portalSignInCsvDecoder.decode({ value: rowOf(portalHeader, b), header: portalHeader, text: '', file: 'f.csv', container: 'csv' }, {}));
    }),
    { numRuns: 200 },
  );
});
