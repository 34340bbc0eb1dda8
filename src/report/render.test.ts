// hunt --snapshot --format html: the posture audit of the same tenant is a section of the report.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { loadSnapshot, runAudit } from '../posture/index.js';
import { renderReport } from './render.js';
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
