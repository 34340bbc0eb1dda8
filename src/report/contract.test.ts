// The report contract: the sample fixture (the HTML renderer's starting point) validates against
// docs/report.schema.json, and the schema's embedded alert definition is docs/alert.schema.json verbatim.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from '../detect/json-schema.js';
import { REPORT_SCHEMA_VERSION, type HuntReport } from './types.js';

const load = (p: string): Record<string, unknown> => JSON.parse(readFileSync(path.resolve(p), 'utf8')) as Record<string, unknown>;

test('sample report fixture validates against docs/report.schema.json', () => {
  const schema = load('docs/report.schema.json');
  const sample = load('src/report/fixtures/sample-report.json') as unknown as HuntReport;
  assert.deepEqual(validate(schema, sample), []);
  assert.equal(sample.schemaVersion, REPORT_SCHEMA_VERSION);
  // the fixture exercises the parts a renderer must handle
  const inc = sample.incidents[0]!;
  assert.ok(inc.timeline.every((t) => t.linkedBecause.length > 0));
  assert.ok(inc.graph.edges.every((e) => inc.graph.nodes.some((n) => n.id === e.from) && inc.graph.nodes.some((n) => n.id === e.to)));
  assert.ok(inc.travel.length > 0 && inc.containment.length > 0);
  assert.ok(inc.alerts.every((id) => sample.alerts.some((a) => a.id === id)));
});

test('report schema embeds the alert schema unchanged', () => {
  const report = load('docs/report.schema.json');
  const alert = load('docs/alert.schema.json');
  const { $schema: _s, $id: _i, $defs, title: _t, ...alertBody } = alert;
  const rdefs = report.$defs as Record<string, unknown>;
  assert.deepEqual(rdefs.alert, alertBody);
  for (const [k, v] of Object.entries($defs as Record<string, unknown>)) assert.deepEqual(rdefs[k], v, `$defs.${k}`);
});

test('the schema rejects what the contract forbids', () => {
  const schema = load('docs/report.schema.json');
  const sample = load('src/report/fixtures/sample-report.json') as unknown as HuntReport;
  const bad = structuredClone(sample);
  bad.incidents[0]!.tactics = ['lateral-thinking' as never];
  (bad.incidents[0]!.containment[0]!.graph as { path: string }).path = 'https://evil.example/x';
  const problems = validate(schema, bad);
  assert.ok(problems.some((p) => p.includes('tactics')));
  assert.ok(problems.some((p) => p.includes('graph.path')));
});
