import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../detect/alert.js';
import { score, type Truth } from './score.js';

function alert(id: string, rule: string, time: string, eventIds: string[], severity: Alert['severity'] = 'medium'): Alert {
  return {
    schemaVersion: 1 as never, id, rule, title: rule, severity, time, firstSeen: time, lastSeen: time, tenant: 't', key: 'k',
    tactics: [], techniques: [], entities: [], explanation: '', facts: {}, revision: 1, occurrences: 1, evidenceTruncated: 0,
    evidence: eventIds.map((eventId) => ({ eventId, time, source: 'entra.signin', action: 'signin', summary: '', raw: { file: 'f', format: 'x' } })),
  };
}

const truth: Truth = {
  seed: 7,
  incidents: [{
    id: 'INC-1', scenario: 'campaign', title: 'c', steps: [
      { step: 'stuffing', expectRules: ['signin.credential-stuffing'], time: '2026-01-01T00:00:00Z', eventIds: ['s1', 's2'] },
      { step: 'initial-access', expectRules: ['signin.admin-single-factor'], time: '2026-01-01T01:00:00Z', eventIds: ['a1'] },
      { step: 'dwell', expectRules: [], time: '2026-01-05T00:00:00Z', eventIds: ['d1'] },
    ],
  }],
  maliciousEventIds: ['s1', 's2', 'a1', 'd1'],
  decoys: { traveler: { count: 1, ids: ['t1'] } },
};

test('precision, recall over expected steps, time to detect, false positives by cause', () => {
  const alerts = [
    alert('A1', 'TW-SIGNIN-001', '2026-01-01T00:10:00Z', ['s1', 's2']),
    alert('A2', 'TW-SIGNIN-009', '2026-01-02T00:00:00Z', ['t1'], 'high'),
    alert('A3', 'TW-SIGNIN-009', '2026-01-02T00:00:00Z', ['bg']),
  ];
  const sc = score(truth, alerts, [{ id: 'I1', severity: 'high', alerts: ['A1'] }, { id: 'I2', severity: 'high', alerts: ['A2'] }]);
  assert.equal(sc.totals.precision, 1 / 3);
  assert.equal(sc.totals.stepsExpected, 2);
  assert.equal(sc.totals.stepsDetected, 1);
  assert.equal(sc.totals.recall, 0.5);
  assert.equal(sc.totals.highSeverityFalsePositives, 1);
  assert.equal(sc.totals.falseIncidents, 1);
  assert.deepEqual(sc.rules.find((r) => r.rule === 'TW-SIGNIN-009')!.falsePositiveCauses, { traveler: 1, background: 1 });
  assert.equal(sc.steps.find((s) => s.step === 'stuffing')!.timeToDetectMs, 10 * 60_000);
  assert.deepEqual(sc.incidents[0], { truth: 'INC-1', scenario: 'campaign', detected: true, incidents: ['I1'], stepsExpected: 2, stepsDetected: 1, timeToDetectMs: 10 * 60_000 });
});

test('no alerts: recall 0, precision undefined (null), nothing detected', () => {
  const sc = score(truth, [], []);
  assert.equal(sc.totals.recall, 0);
  assert.equal(sc.totals.precision, null);
  assert.equal(sc.incidents[0]!.detected, false);
});
