// Scorecards of one or more simulated tenants folded into one summary: per rule precision and time to detect, per
// scenario step recall (over the tenants where the step happened) and time to detect, per capability recall, and
// the steps no rule implements, listed rather than dropped. Pure.
import type { Severity } from '../detect/alert.js';
import { SEVERITIES } from '../detect/alert.js';
import { ratio, type Scorecard } from './score.js';

export interface Durations {
  n: number;
  medianMs: number;
  maxMs: number;
}

export interface RuleSummary {
  rule: string;
  alerts: number;
  truePositives: number;
  falsePositives: number;
  precision: number | null;
  falsePositiveCauses: Record<string, number>;
  falsePositivesBySeverity: Record<Severity, number>;
  mediumUp: { alerts: number; truePositives: number; precision: number | null };
  /** "scenario/step" this rule alerted on, with the number of tenants */
  steps: Record<string, number>;
  timeToDetect: Durations | null;
}

export interface StepSummary {
  scenario: string;
  step: string;
  capabilities: string[];
  expectedRules: string[];
  implemented: boolean;
  /** tenants where the step is expected (named a capability and had records) */
  tenants: number;
  detected: number;
  detectedByExpected: number;
  /** detectedByExpected / tenants when implemented, else null */
  recall: number | null;
  /** seeds where an implemented step was not detected by an expected rule */
  missedSeeds: number[];
  /** rules that alerted on the step -> tenants */
  rules: Record<string, number>;
  /** by the expected rules */
  timeToDetect: Durations | null;
}

export interface CapabilitySummary {
  capability: string;
  rules: string[];
  implemented: boolean;
  steps: number;
  detected: number;
  recall: number | null;
}

export interface Summary {
  seeds: number[];
  /** only steps of this scenario, when given */
  scenario?: string;
  rules: RuleSummary[];
  steps: StepSummary[];
  capabilities: CapabilitySummary[];
  unknownCapabilities: string[];
  totals: {
    tenants: number;
    alerts: number;
    truePositives: number;
    falsePositives: number;
    precision: number | null;
    mediumUp: { alerts: number; truePositives: number; precision: number | null };
    stepsExpected: number;
    stepsDetected: number;
    recall: number | null;
    stepsImplemented: number;
    stepsDetectedByExpected: number;
    recallImplemented: number | null;
    /** expected steps no registered rule implements (tenant-steps) */
    stepsUnimplemented: number;
    falseIncidents: number;
    highSeverityFalsePositives: number;
    falsePositivesBySeverity: Record<Severity, number>;
  };
}

export function durations(ms: readonly (number | null)[]): Durations | null {
  const xs = ms.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (!xs.length) return null;
  const mid = xs.length >> 1;
  const median = xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return { n: xs.length, medianMs: median, maxMs: xs[xs.length - 1]! };
}

const add = (into: Record<string, number>, k: string, n = 1) => (into[k] = (into[k] ?? 0) + n);

/** Fold scorecards; with `scenario`, steps, capabilities and recall count only that scenario's incidents (precision counts every alert). */
export function summarize(cards: readonly Scorecard[], opts: { scenario?: string } = {}): Summary {
  const rules = new Map<string, RuleSummary & { ttd: (number | null)[] }>();
  const steps = new Map<string, StepSummary & { ttd: (number | null)[] }>();
  const caps = new Map<string, CapabilitySummary>();
  const fpSev = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const unknown = new Set<string>();
  let alerts = 0, tp = 0, falseIncidents = 0, loud = 0, loudTp = 0;
  const inScope = (scenario: string) => opts.scenario === undefined || scenario === opts.scenario;

  for (const card of cards) {
    alerts += card.totals.alerts;
    tp += card.totals.truePositives;
    loud += card.totals.mediumUp.alerts;
    loudTp += card.totals.mediumUp.truePositives;
    falseIncidents += card.totals.falseIncidents;
    for (const s of SEVERITIES) fpSev[s] += card.totals.falsePositivesBySeverity[s];
    for (const c of card.unknownCapabilities) unknown.add(c);
    for (const r of card.rules) {
      let x = rules.get(r.rule);
      if (!x) {
        x = { rule: r.rule, alerts: 0, truePositives: 0, falsePositives: 0, precision: null, falsePositiveCauses: {}, falsePositivesBySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>, mediumUp: { alerts: 0, truePositives: 0, precision: null }, steps: {}, timeToDetect: null, ttd: [] };
        rules.set(r.rule, x);
      }
      x.alerts += r.alerts;
      x.truePositives += r.truePositives;
      x.falsePositives += r.falsePositives;
      x.mediumUp.alerts += r.mediumUp.alerts;
      x.mediumUp.truePositives += r.mediumUp.truePositives;
      for (const [k, n] of Object.entries(r.falsePositiveCauses)) add(x.falsePositiveCauses, k, n);
      for (const s of SEVERITIES) x.falsePositivesBySeverity[s] += r.falsePositivesBySeverity[s];
      for (const d of r.detections) {
        add(x.steps, `${d.scenario}/${d.step}`);
        x.ttd.push(d.timeToDetectMs);
      }
    }
    for (const s of card.steps) {
      if (!inScope(s.scenario) || !s.expected) continue;
      const key = `${s.scenario}/${s.step}`;
      let x = steps.get(key);
      if (!x) {
        x = {
          scenario: s.scenario, step: s.step, capabilities: s.capabilities, expectedRules: s.expectedRules, implemented: s.implemented,
          tenants: 0, detected: 0, detectedByExpected: 0, recall: null, missedSeeds: [], rules: {}, timeToDetect: null, ttd: [],
        };
        steps.set(key, x);
      }
      x.tenants++;
      if (s.detected) x.detected++;
      if (s.detectedByExpected) x.detectedByExpected++;
      else if (s.implemented) x.missedSeeds.push(card.seed);
      for (const r of s.rules) add(x.rules, r);
      x.ttd.push(s.expectedTimeToDetectMs);
      for (const c of s.capabilities) {
        let cs = caps.get(c);
        const cc = card.capabilities.find((k) => k.capability === c);
        if (!cs) caps.set(c, (cs = { capability: c, rules: cc?.rules ?? [], implemented: cc?.implemented ?? false, steps: 0, detected: 0, recall: null }));
        cs.steps++;
        if (cs.rules.some((r) => s.rules.includes(r))) cs.detected++;
      }
    }
  }

  const ruleList: RuleSummary[] = [...rules.values()]
    .map(({ ttd, ...r }) => ({
      ...r, precision: ratio(r.truePositives, r.alerts), mediumUp: { ...r.mediumUp, precision: ratio(r.mediumUp.truePositives, r.mediumUp.alerts) }, timeToDetect: durations(ttd),
    }))
    .sort((a, b) => a.rule.localeCompare(b.rule));
  const stepList: StepSummary[] = [...steps.values()].map(({ ttd, ...s }) => ({
    ...s, recall: s.implemented ? ratio(s.detectedByExpected, s.tenants) : null, timeToDetect: durations(ttd),
  }));
  const capList = [...caps.values()].map((c) => ({ ...c, recall: ratio(c.detected, c.steps) })).sort((a, b) => a.capability.localeCompare(b.capability));
  const sum = (f: (s: StepSummary) => number) => stepList.reduce((n, s) => n + f(s), 0);
  const stepsExpected = sum((s) => s.tenants);
  const stepsDetected = sum((s) => s.detected);
  const stepsImplemented = sum((s) => (s.implemented ? s.tenants : 0));
  const stepsDetectedByExpected = sum((s) => (s.implemented ? s.detectedByExpected : 0));
  return {
    seeds: cards.map((c) => c.seed),
    ...(opts.scenario !== undefined ? { scenario: opts.scenario } : {}),
    rules: ruleList,
    steps: stepList,
    capabilities: capList,
    unknownCapabilities: [...unknown].sort(),
    totals: {
      tenants: cards.length, alerts, truePositives: tp, falsePositives: alerts - tp, precision: ratio(tp, alerts),
      mediumUp: { alerts: loud, truePositives: loudTp, precision: ratio(loudTp, loud) },
      stepsExpected, stepsDetected, recall: ratio(stepsDetected, stepsExpected),
      stepsImplemented, stepsDetectedByExpected, recallImplemented: ratio(stepsDetectedByExpected, stepsImplemented),
      stepsUnimplemented: stepsExpected - stepsImplemented,
      falseIncidents, highSeverityFalsePositives: fpSev.high + fpSev.critical, falsePositivesBySeverity: fpSev,
    },
  };
}
