// Detection scorecard: compare a hunt's alerts and incidents with the simulator's ground truth (truth.json).
// Pure: no I/O. An alert is a true positive when its evidence holds at least one malicious event id; otherwise it
// is a false positive, attributed to the benign decoy it fired on (traveler, partner connector, …) or to background.
//
// Steps name capabilities (truth `expectRules`), which map to rules through src/evaluate/capabilities.ts. A step is
// *expected* when it names a capability and has records in the output (a short period can leave a step out); it is
// *implemented* when some registered rule implements one of its capabilities; it is *detected* when any alert's
// evidence holds one of its records, and *detected as expected* when that alert comes from an implementing rule.
import type { Alert, Severity } from '../detect/alert.js';
import { SEVERITIES, severityRank } from '../detect/alert.js';
import { capabilityMap } from './capabilities.js';

export interface TruthStep {
  step: string;
  expectRules: string[];
  time: string | null;
  eventIds: string[];
}
export interface TruthIncident {
  id: string;
  scenario: string;
  title: string;
  steps: TruthStep[];
}
export interface Truth {
  seed: number;
  incidents: TruthIncident[];
  maliciousEventIds: string[];
  /** truth.json writes `eventIds`; `ids` is accepted too */
  decoys?: Record<string, { count: number; eventIds?: string[]; ids?: string[] }>;
}

export interface IncidentLike {
  id: string;
  severity: Severity;
  alerts: string[];
}

export interface ScoreOptions {
  /** capability id -> implementing rule ids; default: the registered rules (capabilityMap()) */
  capabilities?: ReadonlyMap<string, readonly string[]>;
}

export interface RuleDetection {
  incident: string;
  scenario: string;
  step: string;
  /** this rule's earliest alert on the step minus the step's first record time, ms of event time */
  timeToDetectMs: number | null;
}

export interface RuleScore {
  rule: string;
  alerts: number;
  truePositives: number;
  falsePositives: number;
  precision: number | null;
  /** false positives by cause: decoy kind or 'background' */
  falsePositiveCauses: Record<string, number>;
  falsePositivesBySeverity: Record<Severity, number>;
  /** alerts at medium or higher: what pages someone (hunt's default --fail-on) and what can make an incident */
  mediumUp: { alerts: number; truePositives: number; precision: number | null };
  /** the labelled steps this rule alerted on */
  detections: RuleDetection[];
}

export interface StepScore {
  incident: string;
  scenario: string;
  step: string;
  /** capability ids the simulator expects on this step (truth `expectRules`) */
  capabilities: string[];
  /** registered rules implementing those capabilities */
  expectedRules: string[];
  /** labelled records of the step in the output */
  events: number;
  /** names a capability and has records */
  expected: boolean;
  /** expected, and some rule implements one of its capabilities */
  implemented: boolean;
  /** some alert's evidence holds one of its records */
  detected: boolean;
  /** …from one of `expectedRules` */
  detectedByExpected: boolean;
  /** rules whose alerts hold its records */
  rules: string[];
  /** earliest alert (any rule) minus the step's first record time, ms (event time, not wall time) */
  timeToDetectMs: number | null;
  /** the same for the expected rules only */
  expectedTimeToDetectMs: number | null;
}

export interface CapabilityScore {
  capability: string;
  rules: string[];
  implemented: boolean;
  /** expected steps naming it */
  steps: number;
  /** of those, steps an alert of one of its rules holds */
  detected: number;
  recall: number | null;
}

export interface IncidentScore {
  truth: string;
  scenario: string;
  detected: boolean;
  /** hunt incidents holding at least one alert on this truth incident's events */
  incidents: string[];
  stepsExpected: number;
  stepsDetected: number;
  stepsImplemented: number;
  stepsDetectedByExpected: number;
  timeToDetectMs: number | null;
}

export interface Scorecard {
  seed: number;
  rules: RuleScore[];
  steps: StepScore[];
  capabilities: CapabilityScore[];
  incidents: IncidentScore[];
  /** capabilities named by the truth that the capability table does not know */
  unknownCapabilities: string[];
  totals: {
    alerts: number;
    truePositives: number;
    falsePositives: number;
    precision: number | null;
    /** the same over alerts at medium or higher (look-alikes are meant to stay low: docs/detection.md) */
    mediumUp: { alerts: number; truePositives: number; precision: number | null };
    stepsExpected: number;
    stepsDetected: number;
    recall: number | null;
    stepsImplemented: number;
    stepsDetectedByExpected: number;
    /** over implemented steps, detected by an expected rule */
    recallImplemented: number | null;
    /** hunt incidents made only of false-positive alerts */
    falseIncidents: number;
    /** false-positive alerts at high or critical severity */
    highSeverityFalsePositives: number;
    falsePositivesBySeverity: Record<Severity, number>;
  };
}

export const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
const zeroBySeverity = (): Record<Severity, number> => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
const timeOf = (s: string | null): number => (s ? Date.parse(s) : NaN);

export function score(truth: Truth, alerts: Alert[], incidents: IncidentLike[], opts: ScoreOptions = {}): Scorecard {
  const capMap = opts.capabilities ?? capabilityMap();
  const malicious = new Set(truth.maliciousEventIds);
  const decoyOf = new Map<string, string>();
  for (const [kind, d] of Object.entries(truth.decoys ?? {})) for (const id of d.eventIds ?? d.ids ?? []) decoyOf.set(id, kind);
  const stepOf = new Map<string, { inc: TruthIncident; step: TruthStep }>();
  for (const inc of truth.incidents) for (const step of inc.steps) for (const id of step.eventIds) stepOf.set(id, { inc, step });

  const rules = new Map<string, RuleScore>();
  const tpAlert = new Set<string>();
  /** key incident|step -> rule -> earliest alert time */
  const stepHits = new Map<string, Map<string, number>>();
  const incidentHits = new Map<string, Set<string>>(); // truth incident -> alert ids
  const fpBySeverity = zeroBySeverity();
  for (const a of alerts) {
    let r = rules.get(a.rule);
    if (!r) {
      r = { rule: a.rule, alerts: 0, truePositives: 0, falsePositives: 0, precision: null, falsePositiveCauses: {}, falsePositivesBySeverity: zeroBySeverity(), mediumUp: { alerts: 0, truePositives: 0, precision: null }, detections: [] };
      rules.set(a.rule, r);
    }
    r.alerts++;
    const loud = severityRank(a.severity) >= severityRank('medium');
    if (loud) r.mediumUp.alerts++;
    const ids = a.evidence.map((e) => e.eventId);
    const hits = ids.filter((id) => malicious.has(id));
    if (hits.length) {
      r.truePositives++;
      if (loud) r.mediumUp.truePositives++;
      tpAlert.add(a.id);
      const t = Date.parse(a.time);
      for (const id of hits) {
        const s = stepOf.get(id);
        if (!s) continue;
        const key = `${s.inc.id}|${s.step.step}`;
        const byRule = stepHits.get(key) ?? new Map<string, number>();
        byRule.set(a.rule, Math.min(byRule.get(a.rule) ?? Infinity, t));
        stepHits.set(key, byRule);
        const set = incidentHits.get(s.inc.id) ?? new Set<string>();
        set.add(a.id);
        incidentHits.set(s.inc.id, set);
      }
    } else {
      r.falsePositives++;
      const cause = ids.map((id) => decoyOf.get(id)).find((x) => x !== undefined) ?? 'background';
      r.falsePositiveCauses[cause] = (r.falsePositiveCauses[cause] ?? 0) + 1;
      r.falsePositivesBySeverity[a.severity]++;
      fpBySeverity[a.severity]++;
    }
  }
  for (const r of rules.values()) {
    r.precision = ratio(r.truePositives, r.alerts);
    r.mediumUp.precision = ratio(r.mediumUp.truePositives, r.mediumUp.alerts);
  }
  const loudAlerts = [...rules.values()].reduce((n, r) => n + r.mediumUp.alerts, 0);
  const loudTp = [...rules.values()].reduce((n, r) => n + r.mediumUp.truePositives, 0);

  const unknown = new Set<string>();
  const steps: StepScore[] = [];
  const incScores: IncidentScore[] = [];
  const caps = new Map<string, CapabilityScore>();
  for (const [id, rs] of capMap) caps.set(id, { capability: id, rules: [...rs], implemented: rs.length > 0, steps: 0, detected: 0, recall: null });
  for (const inc of truth.incidents) {
    let firstHit = Infinity;
    const starts = inc.steps.map((st) => timeOf(st.time)).filter(Number.isFinite);
    const incStart = starts.length ? Math.min(...starts) : NaN;
    const mine: StepScore[] = [];
    for (const step of inc.steps) {
      const byRule = stepHits.get(`${inc.id}|${step.step}`) ?? new Map<string, number>();
      const start = timeOf(step.time);
      const since = (t: number): number | null => (Number.isFinite(t) && Number.isFinite(start) ? Math.max(0, t - start) : null);
      for (const c of step.expectRules) if (!capMap.has(c)) unknown.add(c);
      const expectedRules = [...new Set(step.expectRules.flatMap((c) => capMap.get(c) ?? []))].sort();
      const expected = step.expectRules.length > 0 && step.eventIds.length > 0;
      const first = Math.min(...byRule.values());
      const firstExpected = Math.min(...expectedRules.map((r) => byRule.get(r) ?? Infinity));
      if (Number.isFinite(first)) firstHit = Math.min(firstHit, first);
      for (const [rule, t] of byRule) rules.get(rule)!.detections.push({ incident: inc.id, scenario: inc.scenario, step: step.step, timeToDetectMs: since(t) });
      if (expected) {
        for (const c of step.expectRules) {
          const cs = caps.get(c);
          if (!cs) continue;
          cs.steps++;
          if (cs.rules.some((r) => byRule.has(r))) cs.detected++;
        }
      }
      mine.push({
        incident: inc.id, scenario: inc.scenario, step: step.step, capabilities: [...step.expectRules], expectedRules, events: step.eventIds.length,
        expected, implemented: expected && expectedRules.length > 0, detected: byRule.size > 0, detectedByExpected: Number.isFinite(firstExpected),
        rules: [...byRule.keys()].sort(), timeToDetectMs: since(first), expectedTimeToDetectMs: since(firstExpected),
      });
    }
    steps.push(...mine);
    const ttd = Number.isFinite(firstHit) && Number.isFinite(incStart) ? Math.max(0, firstHit - incStart) : null;
    const alertIds = incidentHits.get(inc.id) ?? new Set<string>();
    const huntIncidents = incidents.filter((i) => i.alerts.some((id) => alertIds.has(id))).map((i) => i.id);
    incScores.push({
      truth: inc.id, scenario: inc.scenario, detected: alertIds.size > 0, incidents: huntIncidents,
      stepsExpected: mine.filter((s) => s.expected).length, stepsDetected: mine.filter((s) => s.expected && s.detected).length,
      stepsImplemented: mine.filter((s) => s.implemented).length, stepsDetectedByExpected: mine.filter((s) => s.implemented && s.detectedByExpected).length,
      timeToDetectMs: ttd,
    });
  }
  for (const c of caps.values()) c.recall = ratio(c.detected, c.steps);
  const falseIncidents = incidents.filter((i) => !i.alerts.some((id) => tpAlert.has(id))).length;
  const tp = tpAlert.size;
  const stepsExpected = steps.filter((s) => s.expected).length;
  const stepsDetected = steps.filter((s) => s.expected && s.detected).length;
  const stepsImplemented = steps.filter((s) => s.implemented).length;
  const stepsDetectedByExpected = steps.filter((s) => s.implemented && s.detectedByExpected).length;
  return {
    seed: truth.seed,
    rules: [...rules.values()].sort((a, b) => a.rule.localeCompare(b.rule)),
    steps,
    capabilities: [...caps.values()],
    incidents: incScores,
    unknownCapabilities: [...unknown].sort(),
    totals: {
      alerts: alerts.length, truePositives: tp, falsePositives: alerts.length - tp, precision: ratio(tp, alerts.length),
      mediumUp: { alerts: loudAlerts, truePositives: loudTp, precision: ratio(loudTp, loudAlerts) },
      stepsExpected, stepsDetected, recall: ratio(stepsDetected, stepsExpected),
      stepsImplemented, stepsDetectedByExpected, recallImplemented: ratio(stepsDetectedByExpected, stepsImplemented),
      falseIncidents, highSeverityFalsePositives: fpBySeverity.high + fpBySeverity.critical, falsePositivesBySeverity: fpBySeverity,
    },
  };
}
