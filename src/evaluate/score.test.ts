import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Alert } from '../detect/alert.js';
import { score, type Truth } from './score.js';
import { durations, summarize } from './summary.js';

function alert(id: string, rule: string, time: string, eventIds: string[], severity: Alert['severity'] = 'medium'): Alert {
  return {
    schemaVersion: 1 as never, id, rule, title: rule, severity, time, firstSeen: time, lastSeen: time, tenant: 't', key: 'k',
    tactics: [], techniques: [], entities: [], explanation: '', facts: {}, revision: 1, occurrences: 1, evidenceTruncated: 0,
    evidence: eventIds.map((eventId) => ({ eventId, time, source: 'entra.signin', action: 'signin', summary: '', raw: { file: 'f', format: 'x' } })),
  };
}

/** a capability table of its own, so the test does not move when rules are added */
const caps = new Map<string, string[]>([
  ['signin.credential-stuffing', ['TW-SIGNIN-001']],
  ['signin.admin-single-factor', ['TW-SIGNIN-005']],
  ['sp.signin-new-ip', ['TW-SP-001']],
  ['mailbox.access-by-new-app', []],
]);

const truth = (seed = 7): Truth => ({
  seed,
  incidents: [{
    id: `INC-${seed}`, scenario: 'campaign', title: 'c', steps: [
      { step: 'stuffing', expectRules: ['signin.credential-stuffing'], time: '2026-01-01T00:00:00Z', eventIds: ['s1', 's2'] },
      { step: 'initial-access', expectRules: ['signin.admin-single-factor'], time: '2026-01-01T01:00:00Z', eventIds: ['a1'] },
      { step: 'dwell', expectRules: [], time: '2026-01-05T00:00:00Z', eventIds: ['d1'] },
      // a step the period left out: named, but no records, so not expected
      { step: 'app-signin', expectRules: ['sp.signin-new-ip'], time: null, eventIds: [] },
      { step: 'mail-access', expectRules: ['mailbox.access-by-new-app', 'made.up'], time: '2026-01-06T00:00:00Z', eventIds: ['m1'] },
    ],
  }],
  maliciousEventIds: ['s1', 's2', 'a1', 'd1', 'm1'],
  decoys: { traveler: { count: 1, eventIds: ['t1'] }, 'office-nat-typos': { count: 1, ids: ['n1'] } },
});

test('precision, recall over expected and implemented steps, time to detect, false positives by cause', () => {
  const alerts = [
    alert('A1', 'TW-SIGNIN-001', '2026-01-01T00:10:00Z', ['s1', 's2']),
    alert('A2', 'TW-SIGNIN-009', '2026-01-02T00:00:00Z', ['t1'], 'high'),
    alert('A3', 'TW-SIGNIN-009', '2026-01-02T00:00:00Z', ['bg']),
    alert('A4', 'TW-SIGNIN-001', '2026-01-02T00:00:00Z', ['n1'], 'low'),
    // the wrong rule on initial-access: detected, but not by what the step expects
    alert('A5', 'TW-SIGNIN-006', '2026-01-01T01:00:00Z', ['a1'], 'low'),
  ];
  const sc = score(truth(), alerts, [{ id: 'I1', severity: 'high', alerts: ['A1'] }, { id: 'I2', severity: 'high', alerts: ['A2'] }], { capabilities: caps });
  assert.equal(sc.totals.precision, 2 / 5);
  assert.deepEqual(sc.totals.mediumUp, { alerts: 3, truePositives: 1, precision: 1 / 3 });
  // stuffing, initial-access, mail-access are expected (app-signin has no records, dwell names nothing)
  assert.equal(sc.totals.stepsExpected, 3);
  assert.equal(sc.totals.stepsDetected, 2);
  assert.equal(sc.totals.recall, 2 / 3);
  // mail-access has no implementing rule: out of the implemented recall, not hidden
  assert.equal(sc.totals.stepsImplemented, 2);
  assert.equal(sc.totals.stepsDetectedByExpected, 1);
  assert.equal(sc.totals.recallImplemented, 0.5);
  assert.equal(sc.totals.highSeverityFalsePositives, 1);
  assert.equal(sc.totals.falsePositivesBySeverity.low, 1);
  assert.equal(sc.totals.falseIncidents, 1);
  assert.deepEqual(sc.unknownCapabilities, ['made.up']);
  assert.deepEqual(sc.rules.find((r) => r.rule === 'TW-SIGNIN-009')!.falsePositiveCauses, { traveler: 1, background: 1 });
  assert.deepEqual(sc.rules.find((r) => r.rule === 'TW-SIGNIN-001')!.falsePositiveCauses, { 'office-nat-typos': 1 });

  const step = (name: string) => sc.steps.find((s) => s.step === name)!;
  assert.equal(step('stuffing').timeToDetectMs, 10 * 60_000);
  assert.equal(step('stuffing').expectedTimeToDetectMs, 10 * 60_000);
  assert.deepEqual([step('initial-access').detected, step('initial-access').detectedByExpected], [true, false]);
  assert.deepEqual(step('initial-access').expectedRules, ['TW-SIGNIN-005']);
  assert.equal(step('initial-access').expectedTimeToDetectMs, null);
  assert.deepEqual([step('app-signin').expected, step('app-signin').events], [false, 0]);
  assert.deepEqual([step('mail-access').expected, step('mail-access').implemented], [true, false]);

  assert.deepEqual(sc.rules.find((r) => r.rule === 'TW-SIGNIN-001')!.detections, [{ incident: 'INC-7', scenario: 'campaign', step: 'stuffing', timeToDetectMs: 10 * 60_000 }]);
  const cap = (id: string) => sc.capabilities.find((c) => c.capability === id)!;
  assert.deepEqual([cap('signin.credential-stuffing').steps, cap('signin.credential-stuffing').detected], [1, 1]);
  assert.deepEqual([cap('signin.admin-single-factor').steps, cap('signin.admin-single-factor').detected, cap('signin.admin-single-factor').recall], [1, 0, 0]);
  assert.equal(cap('sp.signin-new-ip').steps, 0);
  assert.equal(cap('mailbox.access-by-new-app').implemented, false);
  assert.deepEqual(sc.incidents[0], {
    truth: 'INC-7', scenario: 'campaign', detected: true, incidents: ['I1'], stepsExpected: 3, stepsDetected: 2, stepsImplemented: 2, stepsDetectedByExpected: 1,
    timeToDetectMs: 10 * 60_000,
  });
});

test('no alerts: recall 0, precision undefined (null), nothing detected', () => {
  const sc = score(truth(), [], [], { capabilities: caps });
  assert.equal(sc.totals.recall, 0);
  assert.equal(sc.totals.recallImplemented, 0);
  assert.equal(sc.totals.precision, null);
  assert.equal(sc.incidents[0]!.detected, false);
});

test('summaries fold tenants: recall per step over the tenants that had it, the seeds that missed, durations', () => {
  const a = score(truth(1), [alert('A1', 'TW-SIGNIN-001', '2026-01-01T00:10:00Z', ['s1']), alert('A2', 'TW-SIGNIN-005', '2026-01-01T01:00:00Z', ['a1'], 'high')], [], { capabilities: caps });
  const b = score(truth(2), [alert('B1', 'TW-SIGNIN-001', '2026-01-01T00:30:00Z', ['s2']), alert('B2', 'TW-SIGNIN-011', '2026-01-03T00:00:00Z', ['t1'], 'high')], [], { capabilities: caps });
  const s = summarize([a, b], { scenario: 'campaign' });
  assert.deepEqual(s.seeds, [1, 2]);
  const stuffing = s.steps.find((x) => x.step === 'stuffing')!;
  assert.deepEqual([stuffing.tenants, stuffing.detectedByExpected, stuffing.recall], [2, 2, 1]);
  assert.deepEqual(stuffing.timeToDetect, { n: 2, medianMs: 20 * 60_000, maxMs: 30 * 60_000 });
  const ia = s.steps.find((x) => x.step === 'initial-access')!;
  assert.deepEqual([ia.recall, ia.missedSeeds], [0.5, [2]]);
  assert.equal(s.steps.find((x) => x.step === 'mail-access')!.recall, null);
  assert.deepEqual([s.totals.stepsImplemented, s.totals.stepsDetectedByExpected, s.totals.stepsUnimplemented], [4, 3, 2]);
  assert.equal(s.totals.recallImplemented, 3 / 4);
  assert.deepEqual(s.totals.mediumUp, { alerts: 4, truePositives: 3, precision: 3 / 4 });
  assert.equal(s.totals.highSeverityFalsePositives, 1);
  assert.deepEqual(s.rules.find((r) => r.rule === 'TW-SIGNIN-011')!.falsePositiveCauses, { traveler: 1 });
  assert.deepEqual(s.rules.find((r) => r.rule === 'TW-SIGNIN-001')!.steps, { 'campaign/stuffing': 2 });
  // another scenario's filter leaves no steps, but precision still counts every alert
  const other = summarize([a, b], { scenario: 'spray' });
  assert.equal(other.steps.length, 0);
  assert.equal(other.totals.alerts, 4);
  assert.equal(durations([]), null);
  assert.deepEqual(durations([5, null, 1, 3]), { n: 3, medianMs: 3, maxMs: 5 });
});

test('markdown and durations render what the summary says', async () => {
  const { fmtMs, renderSummaryMarkdown } = await import('./render.js');
  assert.deepEqual([fmtMs(null), fmtMs(44_600), fmtMs(16 * 60_000), fmtMs(7.8 * 3_600_000), fmtMs(3 * 86_400_000)], ['-', '45 s', '16 min', '7.8 h', '3.0 d']);
  const a = score(truth(1), [alert('A1', 'TW-SIGNIN-001', '2026-01-01T00:10:00Z', ['s1']), alert('A2', 'TW-SIGNIN-011', '2026-01-03T00:00:00Z', ['t1'], 'high')], [], { capabilities: caps });
  const md = renderSummaryMarkdown('campaign', summarize([a], { scenario: 'campaign' }));
  assert.match(md, /^## campaign\n\nSeeds 1\./);
  assert.match(md, /\| campaign\/stuffing \| signin\.credential-stuffing \| TW-SIGNIN-001 \| 1\/1 \| 1\.00 \| 10 min \|/);
  assert.match(md, /\| campaign\/initial-access \| .* \| 0\/1 \| 0\.00 \| - \| - \| 1 \|/);
  assert.match(md, /\| campaign\/mail-access \| mailbox\.access-by-new-app, made\.up \| none implemented \| 0\/1 \| n\/a \|/);
  assert.match(md, /\| TW-SIGNIN-011 \| 1 \| 0 \| 1 \| 0\.00 \| 0\.00 \(0\/1\) \| traveler 1 \| high 1 \|/);
  assert.match(md, /Steps left out of recall for that reason: campaign\/mail-access \(1\)/);
  assert.match(md, /Capabilities in truth\.json that src\/evaluate\/capabilities\.ts does not know: made\.up/);
  assert.match(md, /precision 0\.50 \(1\/2\) over alerts at medium or higher/);
});
