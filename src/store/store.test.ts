import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EntityMemory } from '../correlate/memory.js';
import { alert, app, DAY, T0 } from '../correlate/testing.js';
import type { HuntReport } from '../report/types.js';
import { Store } from './store.js';

const sample = (): HuntReport => JSON.parse(readFileSync(path.resolve('src/report/fixtures/sample-report.json'), 'utf8')) as HuntReport;

test('alerts upsert by id and revision: a lower revision never replaces a higher one, evidence follows', () => {
  const s = Store.open(':memory:');
  try {
    const a1 = alert({ name: 'x', at: T0, entities: [app('2a0d085a-5c65-48ff-a873-cb71ec0014fb')] });
    a1.evidence = [{ eventId: 'e1', time: a1.time, source: 'entra.audit', action: 'consent.grant', summary: 's', raw: { file: 'f', format: 'x' } }];
    const a2 = { ...structuredClone(a1), revision: 2, occurrences: 3, evidence: [...a1.evidence, { ...a1.evidence[0]!, eventId: 'e2' }] };
    assert.deepEqual(s.saveAlerts([a1], 'r1'), { inserted: 1, updated: 0 });
    assert.deepEqual(s.saveAlerts([a2], 'r2'), { inserted: 0, updated: 1 });
    assert.deepEqual(s.saveAlerts([a1], 'r3'), { inserted: 0, updated: 0 }, 'revision 1 does not overwrite revision 2');
    s.saveAlerts([a2], 'r4');
    assert.equal(s.counts().alerts, 1);
    assert.equal(s.counts().evidence, 2);
    const back = s.alertsByIds([a1.id])[0]!;
    assert.equal(back.revision, 2);
    assert.deepEqual(back, a2);
    assert.deepEqual(s.alertsNear(new Date(T0 - DAY).toISOString(), new Date(T0 + DAY).toISOString()).map((x) => x.id), [a1.id]);
    assert.deepEqual(s.alertsNear(new Date(T0 + DAY).toISOString(), new Date(T0 + 2 * DAY).toISOString()), []);
  } finally {
    s.close();
  }
});

test('incidents: upsert, tombstones resolve to the live incident, listing skips tombstones', () => {
  const s = Store.open(':memory:');
  try {
    const r = sample();
    const inc = r.incidents[0]!;
    const old = { ...structuredClone(inc), id: 'INC-DDDDconnecto', alerts: ['DDDDconnector004'], title: 'old' };
    s.saveIncidents([old], [], 'r1');
    s.saveIncidents([inc], [{ id: old.id, mergedInto: inc.id, mergedAt: '2024-06-01T12:00:00.000Z', title: 'old' }], 'r2');
    const res = s.resolveIncident(old.id);
    assert.equal(res.live?.incident.id, inc.id);
    assert.deepEqual(res.path, [old.id]);
    assert.deepEqual(s.listIncidents().map((i) => i.id), [inc.id]);
    assert.deepEqual(s.mergedIncidents().map((m) => [m.id, m.mergedInto]), [[old.id, inc.id]]);
    assert.deepEqual(s.incidentsWithAlerts(['DDDDconnector004']).map((x) => [x.incident.id, x.mergedInto ?? null]), [[inc.id, null], [old.id, inc.id]]);
    assert.deepEqual(s.listIncidents({ minSeverity: 'critical' }).length, 1);
    assert.deepEqual(s.listIncidents({ tenant: 'other' }).length, 0);
  } finally {
    s.close();
  }
});

test('entity memory round-trips through the store and merges with what a new hunt sees', () => {
  const s = Store.open(':memory:');
  try {
    const m = new EntityMemory();
    m.apps.set('2a0d085a-5c65-48ff-a873-cb71ec0014fb', {
      appId: '2a0d085a-5c65-48ff-a873-cb71ec0014fb', name: 'Backup', spId: '4986ecc9-ecd2-4ec4-90ab-06583e651046', createdAt: T0, createdBy: 'admin@contoso.example',
      credentials: [{ keyId: 'k1', type: 'password', addedAt: T0 + 1 }], permissions: ['Exchange.ManageAsApp'], roles: ['Exchange Administrator'], sources: { '203.0.113.9': T0 }, firstSeen: T0, lastSeen: T0 + 5,
    });
    m.aliases.learnApp({ appId: '2a0d085a-5c65-48ff-a873-cb71ec0014fb', spId: '4986ecc9-ecd2-4ec4-90ab-06583e651046' });
    m.aliases.learnUser({ userId: 'c3b7b65d-8bf9-4a05-911a-895ad1cdde37', upn: 'admin@contoso.example' });
    m.aliases.learnUser({ userId: '11111111-1111-4111-8111-111111111111', upn: 'nobody@contoso.example' });
    s.saveMemory(m, ['admin@contoso.example']);
    s.saveMemory(m, ['admin@contoso.example']);
    const back = new EntityMemory();
    s.loadMemory(back);
    assert.equal(back.appFor('4986ecc9-ecd2-4ec4-90ab-06583e651046')?.createdAt, T0, 'found by its service principal id');
    assert.equal(back.aliases.upnFor('c3b7b65d-8bf9-4a05-911a-895ad1cdde37'), 'admin@contoso.example');
    assert.equal(back.aliases.upnFor('11111111-1111-4111-8111-111111111111'), undefined, 'user aliases only for users alerts named');
    back.mergeApp({ ...back.apps.get('2a0d085a-5c65-48ff-a873-cb71ec0014fb')!, createdAt: T0 - DAY, credentials: [{ keyId: 'k2', addedAt: T0 + 2 }] });
    const a = back.apps.get('2a0d085a-5c65-48ff-a873-cb71ec0014fb')!;
    assert.equal(a.createdAt, T0 - DAY, 'the earliest creation wins');
    assert.deepEqual(a.credentials.map((c) => c.keyId), ['k1', 'k2']);
  } finally {
    s.close();
  }
});

test('a new store file is readable by its owner only; an existing one keeps its mode', { skip: process.platform === 'win32' }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-store-mode-'));
  try {
    const file = path.join(dir, 'tw.db');
    const s = Store.open(file);
    s.close();
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const mine = path.join(dir, 'shared.db');
    writeFileSync(mine, '');
    chmodSync(mine, 0o640);
    Store.open(mine).close();
    assert.equal(statSync(mine).mode & 0o777, 0o640);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
