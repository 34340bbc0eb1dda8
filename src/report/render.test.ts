import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderReport } from './render.js';
import type { HuntReport } from './types.js';

const sample = (): HuntReport => JSON.parse(readFileSync(path.resolve('src/report/fixtures/sample-report.json'), 'utf8')) as HuntReport;

test('table: hostile names cannot move the cursor, recolour or split lines', async () => {
  const r = sample();
  r.incidents[0]!.title = 'evil\x1b[2J\x1b]0;pwned\x07 title\nsecond line\u202e';
  r.incidents[0]!.scope.connectors[0]!.display = 'relay\r\x1b[31mred';
  const plain = await renderReport(r, 'table');
  assert.ok(!plain.includes('\x1b'), 'no raw ESC anywhere without colour');
  assert.ok(!plain.includes('\u202e'));
  assert.match(plain, /evil\\u\{1b\}\[2J/);
  assert.ok(!/title\nsecond line/.test(plain));
  const color = await renderReport(r, 'table', { color: true });
  // the only escape sequences are our own SGR colour codes
  assert.ok(color.replace(/\x1b\[[0-9;]*m/g, '').indexOf('\x1b') === -1);
});

test('table: incidents first with tactic strip and first containment steps, then loose alerts, then coverage gaps', async () => {
  const t = await renderReport(sample(), 'table');
  const i = t.indexOf('INCIDENTS'), a = t.indexOf('ALERTS NOT IN AN INCIDENT'), c = t.indexOf('COVERAGE GAPS');
  assert.ok(i >= 0 && i < a && a < c, 'section order');
  assert.match(t, /tactics: ·· ·· IA ·· PS PE DE CA/);
  assert.match(t, /1\. Remove the client secrets/);
  assert.match(t, /PS> Remove-MgApplicationPassword/);
  assert.match(t, /TW-SP-001 .*not evaluated: no service-principal sign-ins/);
});

test('ndjson: one object per line, incidents then alerts then a summary; U+2028 cannot split a line', async () => {
  const r = sample();
  r.alerts[0]!.explanation = 'a\u2028b\u2029c';
  const out = await renderReport(r, 'ndjson');
  const lines = out.trimEnd().split('\n');
  const objs = lines.map((l) => JSON.parse(l) as { type: string; explanation?: string });
  assert.deepEqual(objs.map((o) => o.type), ['incident', 'merged-incident', ...r.alerts.map(() => 'alert'), 'summary']);
  assert.equal(objs.find((o) => o.type === 'alert')!.explanation, 'a\u2028b\u2029c');
  assert.ok(!/[\u2028\u2029]/.test(out));
});

test('ocsf: Detection Findings with ATT&CK, evidences and severity ids', async () => {
  const r = sample();
  interface Finding {
    class_uid: number; category_uid: number; severity_id: number; type_uid: number;
    finding_info: { uid: string; related_events: unknown[]; analytic: { uid: string }; attacks: { technique?: { uid: string } }[]; first_seen_time: unknown };
    evidences: { data: { event_uid: string } }[];
    observables: { type_id: number; value: string }[];
  }
  const out = JSON.parse(await renderReport(r, 'ocsf')) as Finding[];
  assert.equal(out.length, r.incidents.length + r.alerts.length);
  const inc = out[0]!;
  assert.equal(inc.class_uid, 2004);
  assert.equal(inc.category_uid, 2);
  assert.equal(inc.severity_id, 5);
  assert.equal(inc.finding_info.uid, r.incidents[0]!.id);
  assert.equal(inc.finding_info.related_events.length, r.incidents[0]!.alerts.length);
  const al = out.find((o) => o.finding_info.uid === 'CCCCconsentcred3')!;
  assert.equal(al.type_uid, 200401);
  assert.equal(al.finding_info.analytic.uid, 'TW-APP-001');
  assert.deepEqual(al.finding_info.attacks.map((x) => x.technique?.uid).filter(Boolean), ['T1098.001', 'T1098.001']);
  assert.equal(al.evidences.length, 2);
  assert.equal(al.evidences[0]!.data.event_uid, 'ev-3');
  assert.equal(typeof al.finding_info.first_seen_time, 'number');
  assert.ok(al.observables.some((o) => o.type_id === 5 && o.value === 'admin@contoso.example'));
});

test('html: rendered through the renderer module when present', async () => {
  let html: string;
  try {
    html = await renderReport(sample(), 'html');
  } catch (e) {
    assert.match((e as Error).message, /--format html is not available/);
    return;
  }
  assert.ok(html.includes('INC-AAAAstuffing'));
  assert.ok(!html.includes('<img src=x onerror=alert(1)>'), 'hostile app name escaped');
});
