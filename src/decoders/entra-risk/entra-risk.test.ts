import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeFixture, type DecodedFixture } from '../../pipeline/testkit.js';
import type { RawRecord } from '../types.js';
import { diagRisk, graphRiskDetection, graphRiskyEntity, laRisk, laRiskCsv } from './index.js';

const dir = path.resolve('src/decoders/entra-risk/fixtures');
const fx = (name: string): string => path.join(dir, name);

function golden(r: DecodedFixture): unknown {
  return {
    format: r.format,
    events: r.events.map((e) => ({ ...e, raw: { format: e.raw.format } })),
    quarantined: r.quarantined.map((q) => q.reason),
  };
}

for (const name of ['graph-riskdetections.json', 'graph-riskyusers.json', 'diag-risk.ndjson', 'la-risk.ndjson', 'la-risk-portal.csv']) {
  test(`golden: ${name}`, async () => {
    const got = JSON.parse(JSON.stringify(golden(await decodeFixture(fx(name)))));
    const file = fx(name.replace(/\.[^.]+$/, '') + '.golden.json');
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, JSON.stringify(got, null, 2) + '\n');
    assert.ok(existsSync(file), `golden ${file} missing: run with UPDATE_GOLDEN=1 and review it`);
    assert.deepEqual(got, JSON.parse(readFileSync(file, 'utf8')));
  });
}

test('graph riskDetection: user detections and a service principal detection', async () => {
  const { events: evs } = await decodeFixture(fx('graph-riskdetections.json'));
  assert.equal(evs.length, 4);
  const [unfamiliar, spray, leaked, sp] = evs;
  assert.equal(unfamiliar?.action, 'risk.detection');
  assert.equal(unfamiliar?.source, 'entra.risk');
  assert.deepEqual(unfamiliar?.risk, { level: 'medium', state: 'atRisk', detail: 'none', types: ['unfamiliarFeatures'] });
  assert.equal(unfamiliar?.actor.user, 'it-admin@contoso.com');
  assert.deepEqual(unfamiliar?.actor.geo, { from: 'record', city: 'Amsterdam', state: 'Noord-Holland', country: 'NL', lat: 52.37403, lon: 4.88969 });
  assert.deepEqual(unfamiliar?.details?.riskReasons, ['UnfamiliarASN', 'UnfamiliarIP', 'UnfamiliarLocation']);
  assert.equal(unfamiliar?.time, Date.parse('2024-05-03T08:55:12.447Z'), 'activityDateTime, not the later detection time');
  // 0,0 coordinates are "unknown", the city stays
  assert.deepEqual(spray?.actor.geo, { from: 'record', city: 'Lagos', state: 'Lagos', country: 'NG' });
  assert.equal(spray?.actor.ip, '2001:db8:4a::17');
  assert.equal(leaked?.actor.ip, undefined);
  assert.equal(leaked?.actor.geo, undefined, 'a location of nulls is no location');
  assert.equal(sp?.actor.kind, 'app');
  assert.equal(sp?.actor.spId, 'c81d2f3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f');
  assert.equal(sp?.operation, 'Service Principal Risk Detection');
});

test('risky users and service principals are states about a target, with ids stable across carriers', async () => {
  const graph = (await decodeFixture(fx('graph-riskyusers.json'))).events;
  const diag = (await decodeFixture(fx('diag-risk.ndjson'))).events;
  const la = (await decodeFixture(fx('la-risk.ndjson'))).events;
  const gUser = graph[0]!;
  assert.equal(gUser.action, 'risk.user');
  assert.equal(gUser.actor.kind, 'system');
  assert.deepEqual(gUser.targets, [{ type: 'user', id: '3e1b7c52-8d4f-4a0e-b6c1-2f9a8d7e6c51', name: 'it-admin@contoso.com' }]);
  assert.equal(graph[1]?.targets[0]?.type, 'servicePrincipal');
  assert.equal(graph[1]?.targets[0]?.appId, '5d2e8f1a-3c4b-4a6d-9e7f-1b2c3d4e5f60');
  const dUser = diag.find((e) => e.action === 'risk.user' && e.targets[0]?.type === 'user');
  const lUser = la.find((e) => e.action === 'risk.user');
  assert.equal(dUser?.id, gUser.id, 'same state from Graph and diag export dedupes');
  assert.equal(lUser?.id, gUser.id, 'same state from Graph and Log Analytics dedupes');
});

test('diag export: event time from properties, US-format envelope time ignored, tenant from envelope', async () => {
  const r = await decodeFixture(fx('diag-risk.ndjson'));
  assert.deepEqual(r.format, ['azure.diag.risk']);
  const det = r.events[0]!;
  assert.equal(det.time, Date.parse('2024-05-03T08:55:12.447Z'));
  assert.equal(det.tenant, '7f3c2a10-4b5e-4c2d-9a1b-0e5f6a7b8c9d');
  assert.equal(det.operation, 'User Risk Detection');
  assert.deepEqual(r.events.map((e) => e.action), ['risk.detection', 'risk.user', 'risk.detection', 'risk.user']);
});

test('log analytics CSV: locale times and JSON-text Location/AdditionalInfo', async () => {
  const r = await decodeFixture(fx('la-risk-portal.csv'));
  const e = r.events[0]!;
  assert.equal(e.time, Date.parse('2024-05-03T08:55:12.447Z'));
  assert.equal(e.actor.geo?.city, 'Amsterdam');
  assert.equal(e.actor.userAgent?.startsWith('Mozilla/5.0'), true);
  assert.equal(e.details?.detectedTime, '2024-05-03T08:55:12.447Z', 'normalized to ISO UTC');
});

const rec = (value: Record<string, unknown>): RawRecord => ({ value, text: JSON.stringify(value), file: 't.json', container: 'json' });

test('real-sample quirks: single-digit hour, "3/24/2022 2:42:35 PM" envelope, additionalInfo as JSON text', () => {
  const r = diagRisk.decode(
    rec({
      time: '3/24/2022 2:42:35 PM',
      category: 'UserRiskEvents',
      tenantId: 'T1',
      operationName: 'User Risk Detection',
      properties: {
        id: 'abc',
        riskEventType: 'unlikelyTravel',
        riskLevel: 'high',
        riskState: 'atRisk',
        activityDateTime: '2023-10-26T5:32:08.107Z',
        userId: 'U1',
        userPrincipalName: 'X@Contoso.com',
        additionalInfo: '[{"Key":"userAgent","Value":"curl/8.0"},{"Key":"alertUrl","Value":null}]',
        location: { countryOrRegion: 'fr', geoCoordinates: {} },
      },
    }),
    {},
  );
  assert.equal(r.kind, 'events');
  if (r.kind !== 'events') return;
  const e = r.events[0]!;
  assert.equal(e.time, Date.parse('2023-10-26T05:32:08.107Z'));
  assert.equal(e.tenant, 't1');
  assert.equal(e.actor.userAgent, 'curl/8.0');
  assert.deepEqual(e.actor.geo, { from: 'record', country: 'FR' });
});

test('no time anywhere: quarantined, never thrown', () => {
  const r = graphRiskDetection.decode(rec({ id: 'x', riskEventType: 'passwordSpray', detectedDateTime: 'soon' }), {});
  assert.equal(r.kind, 'quarantine');
});

test('matchers: sign-ins with riskEventTypes (plural) are not risk detections', () => {
  const signin = { id: 's', createdDateTime: '2024-01-01T00:00:00Z', riskEventTypes_v2: ['unlikelyTravel'], riskLevelDuringSignIn: 'high', riskState: 'atRisk' };
  const laSignin = { TimeGenerated: '2024-01-01T00:00:00Z', RiskEventTypes_V2: '[]', RiskState: 'none', Type: 'SigninLogs' };
  for (const d of [graphRiskDetection, graphRiskyEntity, diagRisk, laRisk]) {
    assert.equal(d.matchRecord!(signin), false, d.id);
    assert.equal(d.matchRecord!(laSignin), false, d.id);
  }
  assert.equal(laRiskCsv.matchHeader!(['TimeGenerated [UTC]', 'RiskEventTypes_V2', 'RiskState']), false);
  assert.equal(laRiskCsv.matchHeader!(['TimeGenerated [UTC]', 'RiskEventType', 'DetectedDateTime [UTC]']), true);
});
