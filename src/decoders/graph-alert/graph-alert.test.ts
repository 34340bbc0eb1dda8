import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeFixture, type DecodedFixture } from '../../pipeline/testkit.js';
import type { RawRecord } from '../types.js';
import { graphAlert } from './index.js';

const dir = path.resolve('src/decoders/graph-alert/fixtures');
const fx = (name: string): string => path.join(dir, name);

function golden(r: DecodedFixture): unknown {
  return {
    format: r.format,
    events: r.events.map((e) => ({ ...e, raw: { format: e.raw.format } })),
    quarantined: r.quarantined.map((q) => q.reason),
  };
}

test('golden: alerts-v2.json', async () => {
  const got = JSON.parse(JSON.stringify(golden(await decodeFixture(fx('alerts-v2.json')))));
  const file = fx('alerts-v2.golden.json');
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, JSON.stringify(got, null, 2) + '\n');
  assert.ok(existsSync(file), `golden ${file} missing: run with UPDATE_GOLDEN=1 and review it`);
  assert.deepEqual(got, JSON.parse(readFileSync(file, 'utf8')));
});

test('alert: actor from attacker IP and user evidence, every entity a target', async () => {
  const { events: evs } = await decodeFixture(fx('alerts-v2.json'));
  const a = evs[0]!;
  assert.equal(a.source, 'security.alert');
  assert.equal(a.action, 'alert');
  assert.equal(a.time, Date.parse('2024-05-03T09:21:15Z'), 'firstActivityDateTime, not createdDateTime');
  assert.equal(a.tenant, '7f3c2a10-4b5e-4c2d-9a1b-0e5f6a7b8c9d');
  assert.deepEqual(a.actor, {
    kind: 'user',
    user: 'it-admin@contoso.com',
    userId: '3e1b7c52-8d4f-4a0e-b6c1-2f9a8d7e6c51',
    displayName: 'IT Admin',
    ip: '203.0.113.45',
    geo: { country: 'NL', from: 'record' },
  });
  assert.deepEqual(
    a.targets.map((t) => [t.type, t.appId ?? t.id]),
    [
      ['user', '3e1b7c52-8d4f-4a0e-b6c1-2f9a8d7e6c51'],
      ['app', '5d2e8f1a-3c4b-4a6d-9e7f-1b2c3d4e5f60'],
      ['other', 'mdca:11161'],
    ],
  );
  assert.deepEqual(a.details?.mitreTechniques, ['T1098.001', 'T1550.001']);
  assert.equal(a.details?.severity, 'high');
  assert.equal(a.details?.serviceSource, 'microsoftDefenderForCloudApps');
});

test('alert: no firstActivityDateTime -> createdDateTime; mailbox evidence names the user; bracketed IP cleaned', async () => {
  const { events: evs } = await decodeFixture(fx('alerts-v2.json'));
  const a = evs[1]!;
  assert.equal(a.time, Date.parse('2024-05-03T14:02:00Z'));
  assert.equal(a.actor.user, 'megan.b@contoso.com');
  assert.equal(a.actor.ip, '2001:db8:4a::17');
  assert.deepEqual(a.targets, [{ type: 'mailbox', id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', name: 'megan.b@contoso.com' }]);
  assert.equal(a.details?.status, 'resolved');
  assert.equal(a.details?.mitreTechniques, undefined, 'empty technique list is left out');
});

const rec = (value: Record<string, unknown>): RawRecord => ({ value, text: JSON.stringify(value), file: 't.json', container: 'json' });

test('alert: an OAuth app alone is the actor; no time -> quarantine; junk evidence ignored', () => {
  const r = graphAlert.decode(
    rec({
      id: 'a3',
      providerAlertId: 'p3',
      serviceSource: 'microsoftAppGovernance',
      title: 'App with suspicious OAuth scope ',
      createdDateTime: '2024-05-05T10:00:00Z',
      evidence: [
        { '@odata.type': '#microsoft.graph.security.oauthApplicationEvidence', roles: ['suspicious'], appId: 'APP1', displayName: 'X', objectId: 'OBJ1' },
        'junk',
        { '@odata.type': '#microsoft.graph.security.ipEvidence', roles: [], ipAddress: '<null>' },
      ],
    }),
    {},
  );
  assert.equal(r.kind, 'events');
  if (r.kind !== 'events') return;
  const e = r.events[0]!;
  assert.equal(e.operation, 'App with suspicious OAuth scope');
  assert.equal(e.tenant, 'unknown');
  assert.deepEqual(e.actor, { kind: 'app', appId: 'app1', appName: 'X' });
  assert.equal(graphAlert.decode(rec({ id: 'a4', providerAlertId: 'p', serviceSource: 's', title: 't' }), {}).kind, 'quarantine');
});

test('matcher: alerts_v2 only (not legacy v1 alerts, not directory audits)', () => {
  assert.equal(graphAlert.matchRecord!({ '@odata.type': '#microsoft.graph.security.alert', id: 'x' }), true);
  assert.equal(graphAlert.matchRecord!({ id: 'x', providerAlertId: 'p', serviceSource: 's', createdDateTime: '2024-01-01T00:00:00Z' }), true);
  assert.equal(graphAlert.matchRecord!({ id: 'x', vendorInformation: {}, eventDateTime: '2024-01-01T00:00:00Z', title: 't' }), false);
  assert.equal(graphAlert.matchRecord!({ id: 'x', activityDisplayName: 'Add user', activityDateTime: '2024-01-01T00:00:00Z' }), false);
});
