// Text and Markdown views of an evaluation: totals, incidents, steps, rules, capabilities, and what no rule
// implements yet. The same summary shape renders one tenant (`tenantwatch evaluate`) or many (docs/scorecard.md).
import { safeTerminal } from '../core/text.js';
import { SEVERITIES } from '../detect/alert.js';
import { CAPABILITIES, unimplementedCapabilities } from './capabilities.js';
import type { Evaluation } from './evaluate.js';
import type { Durations, Summary } from './summary.js';

/** 0.953 -> "0.95"; null (nothing to divide) -> "-" */
export const fmtRatio = (x: number | null): string => (x === null ? '-' : x.toFixed(2));

/** A short duration: 45 s, 12 min, 3.2 h, 2.1 d. */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

export const fmtDurations = (d: Durations | null): string => (d ? (d.n === 1 ? fmtMs(d.medianMs) : `${fmtMs(d.medianMs)} / ${fmtMs(d.maxMs)}`) : '-');

const counts = (r: Record<string, number>): string =>
  Object.entries(r).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(', ') || '-';

function textTable(head: string[], rows: string[][], right: ReadonlySet<number> = new Set()): string[] {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (right.has(i) ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].map((l) => `  ${l}`);
}

function mdTable(head: string[], rows: string[][], right: ReadonlySet<number> = new Set()): string[] {
  const cell = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (right.has(i) ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

type Table = (head: string[], rows: string[][], right?: ReadonlySet<number>) => string[];

const frac = (a: number, b: number, r: number | null) => `${fmtRatio(r)} (${a}/${b})`;

function totalsLines(s: Summary): string[] {
  const t = s.totals;
  const fp = SEVERITIES.filter((x) => t.falsePositivesBySeverity[x]).reverse().map((x) => `${t.falsePositivesBySeverity[x]} ${x}`).join(', ');
  return [
    `precision ${frac(t.mediumUp.truePositives, t.mediumUp.alerts, t.mediumUp.precision)} over alerts at medium or higher; ${frac(t.truePositives, t.alerts, t.precision)} over every alert (look-alikes are meant to stay low)`,
    `false positives by severity: ${fp || 'none'}`,
    `recall of implemented steps ${frac(t.stepsDetectedByExpected, t.stepsImplemented, t.recallImplemented)} — detected by a rule implementing the step's capability`,
    `steps detected by any alert ${frac(t.stepsDetected, t.stepsExpected, t.recall)}; steps no rule implements: ${t.stepsUnimplemented}`,
    `high-severity false positives ${t.highSeverityFalsePositives}; incidents made only of false positives ${t.falseIncidents}`,
  ];
}

function sections(s: Summary, tbl: Table, heading: (h: string) => string, esc: (x: string) => string): string[] {
  const out: string[] = [];
  const table: Table = (head, rows, right) => (rows.length ? tbl(head, rows, right) : [esc('none')]);
  const R = (...i: number[]) => new Set(i);
  out.push(heading('Steps'), '');
  out.push(...table(
    ['step', 'capabilities', 'expected rules', 'detected', 'recall', 'time to detect', 'rules that alerted', 'missed (seeds)'],
    s.steps.map((x) => [
      `${x.scenario}/${x.step}`, x.capabilities.join(', '), x.expectedRules.join(', ') || 'none implemented',
      `${x.detectedByExpected}/${x.tenants}`, x.implemented ? fmtRatio(x.recall) : 'n/a', fmtDurations(x.timeToDetect),
      s.totals.tenants > 1 ? counts(x.rules) : Object.keys(x.rules).sort().join(', ') || '-', x.missedSeeds.join(', ') || '-',
    ]),
    R(3, 4),
  ), '');
  out.push(heading('Rules'), '');
  out.push(...table(
    ['rule', 'alerts', 'true', 'false', 'precision', 'precision ≥ medium', 'false positives by cause', 'false by severity', 'time to detect', 'steps'],
    s.rules.map((r) => [
      r.rule, String(r.alerts), String(r.truePositives), String(r.falsePositives), fmtRatio(r.precision),
      r.mediumUp.alerts ? `${fmtRatio(r.mediumUp.precision)} (${r.mediumUp.truePositives}/${r.mediumUp.alerts})` : '-', counts(r.falsePositiveCauses),
      SEVERITIES.filter((x) => r.falsePositivesBySeverity[x]).reverse().map((x) => `${x} ${r.falsePositivesBySeverity[x]}`).join(', ') || '-',
      fmtDurations(r.timeToDetect), counts(r.steps),
    ]),
    R(1, 2, 3, 4, 5),
  ), '');
  out.push(heading('Capabilities'), '');
  out.push(...table(
    ['capability', 'rules', 'steps', 'detected', 'recall'],
    s.capabilities.map((c) => [c.capability, c.rules.join(', ') || 'none', String(c.steps), String(c.detected), c.implemented ? fmtRatio(c.recall) : 'n/a']),
    R(2, 3, 4),
  ), '');
  const missing = unimplementedCapabilities();
  out.push(heading('Not implemented yet'), '');
  out.push(esc(missing.length
    ? `No registered rule implements: ${missing.map((id) => `${id} (${CAPABILITIES.find((c) => c.id === id)?.what ?? ''})`).join('; ')}.`
    : 'Every capability has a rule.'));
  const gaps = s.steps.filter((x) => !x.implemented);
  if (gaps.length) out.push(esc(`Steps left out of recall for that reason: ${gaps.map((x) => `${x.scenario}/${x.step} (${x.tenants})`).join(', ')}.`));
  if (s.unknownCapabilities.length) out.push(esc(`Capabilities in truth.json that src/evaluate/capabilities.ts does not know: ${s.unknownCapabilities.join(', ')}.`));
  out.push('');
  return out;
}

/** `tenantwatch evaluate --format table` */
export function renderEvaluationText(ev: Evaluation, s: Summary): string {
  const safe = (x: unknown) => safeTerminal(x, 300);
  const t = ev.truth;
  const o = t.options ?? {};
  const st = ev.report.stats;
  const out: string[] = [
    `tenantwatch evaluate: seed ${safe(t.seed)}${o.users ? `, ${safe(o.users)} users` : ''}${o.days ? ` × ${safe(o.days)} days` : ''}, scenarios ${safe((t.scenarios ?? []).join(', ')) || 'none'} — ` +
      `${st.events} events, ${st.alerts} alerts, ${st.incidents} incidents; hunt ${(ev.huntMs / 1000).toFixed(1)} s`,
    ...totalsLines(s).map((l) => `  ${l}`),
    '',
    'Incidents (truth)',
    '',
    ...textTable(
      ['incident', 'scenario', 'detected', 'steps (implemented)', 'steps (any alert)', 'time to detect', 'hunt incidents'],
      ev.scorecard.incidents.map((i) => [
        safe(i.truth), safe(i.scenario), i.detected ? 'yes' : 'NO', `${i.stepsDetectedByExpected}/${i.stepsImplemented}`, `${i.stepsDetected}/${i.stepsExpected}`,
        fmtMs(i.timeToDetectMs), i.incidents.join(', ') || '-',
      ]),
      new Set([3, 4]),
    ),
    '',
    ...sections(s, (h, r, a) => textTable(h, r.map((row) => row.map((c) => safe(c))), a), (h) => h, (x) => `  ${safeTerminal(x, 4000)}`),
  ];
  return out.join('\n');
}

/** `tenantwatch evaluate --format json` */
export function evaluationJson(ev: Evaluation, s: Summary): string {
  const t = ev.truth;
  const doc = {
    schema: 'tenantwatch.evaluate/1',
    dir: ev.dir,
    seed: t.seed,
    options: t.options ?? {},
    scenarios: t.scenarios ?? [],
    hunt: { events: ev.report.stats.events, alerts: ev.report.stats.alerts, incidents: ev.report.stats.incidents, durationMs: ev.huntMs, rulesetVersion: ev.report.tool.rulesetVersion },
    summary: s,
    scorecard: ev.scorecard,
    unimplementedCapabilities: unimplementedCapabilities(),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** docs/scorecard.md body sections for one summary */
export function renderSummaryMarkdown(title: string, s: Summary): string {
  return [
    `## ${title}`, '',
    `Seeds ${s.seeds.join(', ')}.`, '',
    ...totalsLines(s).map((l) => `- ${l}`), '',
    ...sections(s, mdTable, (h) => `### ${h}`, (x) => x),
  ].join('\n');
}
