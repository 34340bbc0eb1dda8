// hunt --snapshot --format html: the posture audit of the same tenant is a section of the report.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { loadSnapshot, runAudit } from '../posture/index.js';
import { TextStore } from '../detect/texts.js';
import { prettyJsonChunks, renderReport, renderReportChunks } from './render.js';
import type { HuntReport } from './types.js';

const report = JSON.parse(readFileSync(resolve('src/report/fixtures/sample-report.json'), 'utf8')) as HuntReport;

test('the HTML report carries the posture audit when one is given, and only then', async () => {
  const audit = runAudit(await loadSnapshot(resolve('src/posture/fixtures/exposed')), { now: Date.UTC(2026, 0, 1) });
  const withAudit = await renderReport(report, 'html', {}, audit);
  assert.match(withAudit, /id="posture-audit"/);
  assert.match(withAudit, /Posture audit/);
  const without = await renderReport(report, 'html');
  assert.doesNotMatch(without, /id="posture-audit"/);
});

test('json and ndjson come out in chunks, byte for byte what the one-string render gives', async () => {
  for (const format of ['json', 'ndjson'] as const) {
    const chunks = [...(await renderReportChunks(report, format))];
    assert.ok(chunks.length > report.alerts.length, `${format} streams per alert (${chunks.length} chunks)`);
    assert.equal(chunks.join(''), await renderReport(report, format));
  }
  // empty arrays, nested objects and an object with nothing in it keep JSON.stringify's layout
  const odd = { a: [], b: { c: [1, { d: 'x\ny' }] }, alerts: [{ e: 1 }, { f: [] }], skip: undefined, merged: [] };
  assert.equal([...prettyJsonChunks(odd, new Set(['alerts', 'merged']))].join(''), JSON.stringify(odd, null, 2) + '\n');
  assert.equal([...prettyJsonChunks({}, new Set())].join(''), '{}\n');
});

test('evidence texts kept aside (getters) render the same bytes as inline texts', async () => {
  const aside = JSON.parse(JSON.stringify(report)) as HuntReport;
  const store = new TextStore({ budget: 1, spill: '' });
  try {
    for (const a of aside.alerts) {
      for (const e of a.evidence) {
        const t = e.raw.text;
        if (t === undefined) continue;
        const ref = store.put(t);
        Object.defineProperty(e.raw, 'text', { get: () => store.get(ref), enumerable: true, configurable: true });
      }
    }
    assert.ok(store.stats.spilled > 0);
    assert.equal([...(await renderReportChunks(aside, 'json'))].join(''), await renderReport(report, 'json'));
  } finally {
    store.close();
  }
});
