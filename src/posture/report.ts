// Audit report formatting: terminal table, JSON, CSV, an HTML section, and the comparison with a previous run.
// Every string from the tenant (names, rule text) is attacker-controllable: terminal output goes through
// safeTerminal, CSV through safeCsvCell, HTML through escapeHtml.
import { escapeHtml, safeCsvCell, safeTerminal } from '../core/text.js';
import { isObject } from '../core/json.js';
import { SEVERITY_RANK, type AuditObject, type AuditReport, type AuditResult, type Severity, type Status } from './types.js';

export const STATUS_ORDER: Status[] = ['Fail', 'Error', 'Warn', 'Pass', 'NotApplicable'];

const exemptLabel = (r: { exempt?: { justification: string; expires?: string } }) =>
  r.exempt ? ` (exempt${r.exempt.expires ? ` until ${r.exempt.expires}` : ''}: ${r.exempt.justification})` : '';

function objectLine(o: AuditObject): string {
  const tag = o.expected ? '[expected] ' : o.exempt ? `[exempt${o.exempt.expires ? ` until ${o.exempt.expires}` : ''}: ${o.exempt.justification}] ` : '';
  return `${tag}${o.name}${o.id && o.id !== o.name ? ` (${o.id})` : ''}: ${o.reason}`;
}

/** Fails at or above the threshold that are not exempt: these set exit code 3. */
export function blockingFailures(report: AuditReport, failOn: Severity): AuditResult[] {
  return report.results.filter((r) => r.status === 'Fail' && !r.exempt && SEVERITY_RANK[r.severity] >= SEVERITY_RANK[failOn]);
}

export function renderTable(report: AuditReport, opts: { verbose?: boolean; maxObjects?: number } = {}): string {
  const max = opts.maxObjects ?? 10;
  const t = (s: unknown, n = 300) => safeTerminal(s, n);
  const lines: string[] = [];
  lines.push(`tenantwatch audit ${t(report.tenant?.name ?? report.tenant?.id ?? '')} — snapshot ${t(report.snapshot)} — ${report.generatedAt}`);
  if (!report.licences.known) lines.push('licences: unknown (subscribedSkus.json missing): licence-dependent checks may report Error');
  lines.push('');
  const rows = [...report.results].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.id.localeCompare(b.id, 'en', { numeric: true }));
  const w = { id: 4, sev: 8, st: 13 };
  lines.push(`${'ID'.padEnd(w.id)}  ${'SEVERITY'.padEnd(w.sev)}  ${'STATUS'.padEnd(w.st)}  TITLE`);
  for (const r of rows) {
    lines.push(`${r.id.padEnd(w.id)}  ${r.severity.padEnd(w.sev)}  ${(r.status + (r.exempt ? '*' : '')).padEnd(w.st)}  ${t(r.title, 120)}`);
    const show = r.status !== 'Pass' && r.status !== 'NotApplicable' || opts.verbose;
    if (!show) continue;
    lines.push(`      ${t(r.details, 600)}${t(exemptLabel(r), 300)}`);
    const objs = r.objects.slice(0, max);
    for (const o of objs) lines.push(`        - ${t(objectLine(o), 400)}`);
    if (r.objects.length > objs.length) lines.push(`        … and ${r.objects.length - objs.length} more (see --format json)`);
    for (const n of r.notes ?? []) lines.push(`      note: ${t(n, 300)}`);
    if (r.status === 'Fail' || r.status === 'Warn') lines.push(`      fix: ${t(r.remediation, 800)}`);
  }
  const s = report.summary;
  lines.push('');
  lines.push(`${s.Fail} fail, ${s.Warn} warn, ${s.Pass} pass, ${s.NotApplicable} not applicable, ${s.Error} error${s.exempt ? ` (${s.exempt} exempt, marked *)` : ''}`);
  return lines.join('\n') + '\n';
}

export function renderJson(report: AuditReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** One row per object (or one row per check without objects), so a spreadsheet can filter by offender. */
export function renderCsv(report: AuditReport): string {
  const head = ['id', 'title', 'severity', 'status', 'exempt', 'stage', 'scubagear', 'cis', 'maester', 'details', 'object_type', 'object_id', 'object_name', 'object_reason', 'object_flag', 'remediation'];
  const out = [head.join(',')];
  for (const r of report.results) {
    const base = [r.id, r.title, r.severity, r.status, r.exempt ? `${r.exempt.justification}${r.exempt.expires ? ` (until ${r.exempt.expires})` : ''}` : '', r.stage,
      (r.mappings.scubagear ?? []).join(' '), (r.mappings.cis ?? []).join(' '), (r.mappings.maester ?? []).join(' '), r.details];
    const objs: (AuditObject | undefined)[] = r.objects.length ? r.objects : [undefined];
    for (const o of objs) {
      const flag = o?.expected ? 'expected' : o?.exempt ? `exempt: ${o.exempt.justification}` : '';
      out.push([...base, o?.type ?? '', o?.id ?? '', o?.name ?? '', o?.reason ?? '', flag, r.remediation].map(safeCsvCell).join(','));
    }
  }
  return out.join('\r\n') + '\r\n';
}

/** The audit section of the HTML report (embedded by the report command). Every string is escaped. */
export function renderAuditHtmlSection(report: AuditReport): string {
  const e = escapeHtml;
  const s = report.summary;
  const rows = [...report.results].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const parts: string[] = [];
  parts.push('<section class="tw-audit" id="posture-audit">');
  parts.push(`<h2>Posture audit</h2>`);
  parts.push(`<p class="tw-audit-summary">${e(s.Fail)} fail, ${e(s.Warn)} warn, ${e(s.Pass)} pass, ${e(s.NotApplicable)} not applicable, ${e(s.Error)} error${s.exempt ? `, ${e(s.exempt)} exempt` : ''} — snapshot ${e(report.snapshot)}, ${e(report.generatedAt)}</p>`);
  parts.push('<table class="tw-audit-table"><thead><tr><th>ID</th><th>Severity</th><th>Status</th><th>Check</th><th>Stage</th><th>Mappings</th></tr></thead><tbody>');
  for (const r of rows) {
    const maps = [...(r.mappings.scubagear ?? []), ...(r.mappings.cis ?? []).map((c) => `CIS ${c}`), ...(r.mappings.maester ?? [])];
    parts.push(`<tr class="tw-status-${e(r.status.toLowerCase())}${r.exempt ? ' tw-exempt' : ''}"><td>${e(r.id)}</td><td>${e(r.severity)}</td><td>${e(r.status)}${r.exempt ? ` <span class="tw-exempt-badge" title="${e(r.exempt.justification)}">exempt${r.exempt.expires ? ` until ${e(r.exempt.expires)}` : ''}</span>` : ''}</td><td>${e(r.title)}</td><td>${e(r.stage)}</td><td>${e(maps.join(', '))}</td></tr>`);
    parts.push(`<tr class="tw-audit-detail"><td colspan="6"><p>${e(r.details)}</p>`);
    if (r.exempt) parts.push(`<p class="tw-exempt-note">Exempt: ${e(r.exempt.justification)}${r.exempt.expires ? ` (expires ${e(r.exempt.expires)})` : ''}</p>`);
    if (r.objects.length) {
      parts.push('<ul class="tw-audit-objects">');
      for (const o of r.objects) {
        const tag = o.expected ? '<span class="tw-expected">expected</span> ' : o.exempt ? `<span class="tw-exempt-badge">exempt: ${e(o.exempt.justification)}</span> ` : '';
        parts.push(`<li>${tag}<strong>${e(o.name)}</strong>${o.id && o.id !== o.name ? ` <code>${e(o.id)}</code>` : ''}: ${e(o.reason)}</li>`);
      }
      parts.push('</ul>');
    }
    for (const n of r.notes ?? []) parts.push(`<p class="tw-note">${e(n)}</p>`);
    if (r.status === 'Fail' || r.status === 'Warn') parts.push(`<p class="tw-remediation"><em>Fix:</em> ${e(r.remediation)}</p>`);
    parts.push('</td></tr>');
  }
  parts.push('</tbody></table></section>');
  return parts.join('\n');
}

export interface Comparison {
  newFailures: { id: string; title: string; severity: Severity; was: Status | 'absent' }[];
  fixed: { id: string; title: string; now: Status }[];
  /** every other status change: Fail→Warn, Fail→Error, Pass→Warn, Warn→NotApplicable, … */
  changed: { id: string; title: string; was: Status; now: Status }[];
  newObjects: { id: string; object: string; reason: string }[];
  resolvedObjects: { id: string; object: string }[];
  /** earlier objects of a check that could not run now (Error/NotApplicable): not known to be resolved */
  uncheckedObjects: { id: string; object: string; now: Status }[];
}

/** The check ran now: only then can an earlier finding be known fixed or resolved. */
const ran = (s: Status) => s === 'Pass' || s === 'Fail' || s === 'Warn';

/** Compare with a previous `--format json` report (or anything with results[{id,status,objects}]). */
export function compareReports(current: AuditReport, previous: unknown): Comparison {
  const prevResults = isObject(previous) && Array.isArray(previous.results) ? previous.results.filter(isObject) : [];
  const prev = new Map(prevResults.map((r) => [String(r.id), r]));
  const cmp: Comparison = { newFailures: [], fixed: [], changed: [], newObjects: [], resolvedObjects: [], uncheckedObjects: [] };
  const key = (o: unknown) => (isObject(o) ? String(o.id ?? o.name ?? '') : '');
  for (const r of current.results) {
    const p = prev.get(r.id);
    const was = (p?.status as Status | undefined) ?? 'absent';
    if (r.status === 'Fail' && was !== 'Fail') cmp.newFailures.push({ id: r.id, title: r.title, severity: r.severity, was });
    else if (was === 'Fail' && r.status === 'Pass') cmp.fixed.push({ id: r.id, title: r.title, now: r.status });
    else if (was !== 'absent' && was !== r.status) cmp.changed.push({ id: r.id, title: r.title, was, now: r.status });
    const prevObjs = p && Array.isArray(p.objects) ? p.objects : [];
    const prevKeys = new Set(prevObjs.map(key));
    const curKeys = new Set(r.objects.map(key));
    if (r.status === 'Fail' || r.status === 'Warn') {
      for (const o of r.objects) if (!o.expected && !prevKeys.has(key(o)) && p) cmp.newObjects.push({ id: r.id, object: o.name, reason: o.reason });
    }
    if (p && (p.status === 'Fail' || p.status === 'Warn')) {
      for (const o of prevObjs) {
        if (curKeys.has(key(o))) continue;
        const object = isObject(o) ? String(o.name ?? o.id ?? '') : '';
        if (ran(r.status)) cmp.resolvedObjects.push({ id: r.id, object });
        else cmp.uncheckedObjects.push({ id: r.id, object, now: r.status });
      }
    }
  }
  return cmp;
}

export function renderComparison(c: Comparison): string {
  const t = (s: unknown) => safeTerminal(s, 300);
  const lines = ['', 'compared with the previous report:'];
  if (!c.newFailures.length && !c.fixed.length && !c.changed.length && !c.newObjects.length && !c.resolvedObjects.length && !c.uncheckedObjects.length) lines.push('  no changes');
  // the previous report is a file on disk: every value from it is shown safely, ids and states included
  for (const f of c.newFailures) lines.push(`  NEW FAIL  ${t(f.id)} (${t(f.severity)}) ${t(f.title)} (was ${t(f.was)})`);
  for (const f of c.fixed) lines.push(`  FIXED     ${t(f.id)} ${t(f.title)}`);
  for (const f of c.changed) lines.push(`  CHANGED   ${t(f.id)} ${t(f.title)} (was ${t(f.was)}, now ${t(f.now)}${ran(f.now) ? '' : ': could not be checked now'})`);
  for (const o of c.newObjects) lines.push(`  new       ${t(o.id)}: ${t(o.object)} — ${t(o.reason)}`);
  for (const o of c.resolvedObjects) lines.push(`  resolved  ${t(o.id)}: ${t(o.object)}`);
  for (const o of c.uncheckedObjects) lines.push(`  unknown   ${t(o.id)}: ${t(o.object)} — could not be checked now (${t(o.now)})`);
  return lines.join('\n') + '\n';
}
