// Detection scorecard: compare a hunt's alerts and incidents with the simulator's ground truth (truth.json).
// Pure: no I/O. An alert is a true positive when its evidence holds at least one malicious event id; otherwise it
// is a false positive, attributed to the benign decoy it fired on (traveler, partner connector, …) or to background.
import type { Alert, Severity } from '../detect/alert.js';

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
  decoys?: Record<string, { count: number; ids: string[] }>;
}

export interface IncidentLike {
  id: string;
  severity: Severity;
  alerts: string[];
}

export interface RuleScore {
  rule: string;
  alerts: number;
  truePositives: number;
  falsePositives: number;
  precision: number | null;
  /** false positives by cause: decoy kind or 'background' */
  falsePositiveCauses: Record<string, number>;
}

export interface StepScore {
  incident: string;
  step: string;
  /** the simulator expects some rule to fire on this step alone */
  expected: boolean;
  detected: boolean;
  rules: string[];
  /** earliest alert time minus the step's first event time, ms (event time, not wall time) */
  timeToDetectMs: number | null;
}

export interface IncidentScore {
  truth: string;
  scenario: string;
  detected: boolean;
  /** hunt incidents holding at least one alert on this truth incident's events */
  incidents: string[];
  stepsExpected: number;
  stepsDetected: number;
  timeToDetectMs: number | null;
}

export interface Scorecard {
  seed: number;
  rules: RuleScore[];
  steps: StepScore[];
  incidents: IncidentScore[];
  totals: {
    alerts: number;
    truePositives: number;
    falsePositives: number;
    precision: number | null;
    stepsExpected: number;
    stepsDetected: number;
    recall: number | null;
    /** hunt incidents made only of false-positive alerts */
    falseIncidents: number;
    /** false-positive alerts at high or critical severity */
    highSeverityFalsePositives: number;
  };
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function score(truth: Truth, alerts: Alert[], incidents: IncidentLike[]): Scorecard {
  const malicious = new Set(truth.maliciousEventIds);
  const decoyOf = new Map<string, string>();
  for (const [kind, d] of Object.entries(truth.decoys ?? {})) for (const id of d.ids) decoyOf.set(id, kind);
  const stepOf = new Map<string, { inc: TruthIncident; step: TruthStep }>();
  for (const inc of truth.incidents) for (const step of inc.steps) for (const id of step.eventIds) stepOf.set(id, { inc, step });

  const rules = new Map<string, RuleScore>();
  const tpAlert = new Set<string>();
  const stepHits = new Map<string, { rules: Set<string>; first: number }>(); // key incident|step
  const incidentHits = new Map<string, Set<string>>(); // truth incident -> alert ids
  let highFp = 0;
  for (const a of alerts) {
    let r = rules.get(a.rule);
    if (!r) rules.set(a.rule, (r = { rule: a.rule, alerts: 0, truePositives: 0, falsePositives: 0, precision: null, falsePositiveCauses: {} }));
    r.alerts++;
    const ids = a.evidence.map((e) => e.eventId);
    const hits = ids.filter((id) => malicious.has(id));
    if (hits.length) {
      r.truePositives++;
      tpAlert.add(a.id);
      const t = Date.parse(a.time);
      for (const id of hits) {
        const s = stepOf.get(id);
        if (!s) continue;
        const key = `${s.inc.id}|${s.step.step}`;
        const h = stepHits.get(key) ?? { rules: new Set<string>(), first: t };
        h.rules.add(a.rule);
        h.first = Math.min(h.first, t);
        stepHits.set(key, h);
        const set = incidentHits.get(s.inc.id) ?? new Set<string>();
        set.add(a.id);
        incidentHits.set(s.inc.id, set);
      }
    } else {
      r.falsePositives++;
      const cause = ids.map((id) => decoyOf.get(id)).find((x) => x !== undefined) ?? 'background';
      r.falsePositiveCauses[cause] = (r.falsePositiveCauses[cause] ?? 0) + 1;
      if (a.severity === 'high' || a.severity === 'critical') highFp++;
    }
  }
  for (const r of rules.values()) r.precision = ratio(r.truePositives, r.alerts);

  const steps: StepScore[] = [];
  const incScores: IncidentScore[] = [];
  for (const inc of truth.incidents) {
    let expected = 0, detected = 0;
    let firstHit = Infinity;
    const starts = inc.steps.map((st) => (st.time ? Date.parse(st.time) : NaN)).filter(Number.isFinite);
    const incStart = starts.length ? Math.min(...starts) : NaN;
    for (const step of inc.steps) {
      const h = stepHits.get(`${inc.id}|${step.step}`);
      const start = step.time ? Date.parse(step.time) : NaN;
      const exp = step.expectRules.length > 0;
      if (exp) expected++;
      if (exp && h) detected++;
      if (h) firstHit = Math.min(firstHit, h.first);
      steps.push({
        incident: inc.id, step: step.step, expected: exp, detected: Boolean(h), rules: h ? [...h.rules].sort() : [],
        timeToDetectMs: h && Number.isFinite(start) ? Math.max(0, h.first - start) : null,
      });
    }
    const ttd = Number.isFinite(firstHit) && Number.isFinite(incStart) ? Math.max(0, firstHit - incStart) : null;
    const alertIds = incidentHits.get(inc.id) ?? new Set<string>();
    const huntIncidents = incidents.filter((i) => i.alerts.some((id) => alertIds.has(id))).map((i) => i.id);
    incScores.push({ truth: inc.id, scenario: inc.scenario, detected: alertIds.size > 0, incidents: huntIncidents, stepsExpected: expected, stepsDetected: detected, timeToDetectMs: ttd });
  }
  const falseIncidents = incidents.filter((i) => !i.alerts.some((id) => tpAlert.has(id))).length;
  const tp = tpAlert.size;
  const stepsExpected = steps.filter((s) => s.expected).length;
  const stepsDetected = steps.filter((s) => s.expected && s.detected).length;
  return {
    seed: truth.seed,
    rules: [...rules.values()].sort((a, b) => a.rule.localeCompare(b.rule)),
    steps,
    incidents: incScores,
    totals: {
      alerts: alerts.length, truePositives: tp, falsePositives: alerts.length - tp, precision: ratio(tp, alerts.length),
      stepsExpected, stepsDetected, recall: ratio(stepsDetected, stepsExpected), falseIncidents, highSeverityFalsePositives: highFp,
    },
  };
}
