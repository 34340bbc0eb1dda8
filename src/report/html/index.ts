// The self-contained HTML hunt report: one file, no scripts, no network, readable offline.
// Rendered from the report contract (src/report/types.ts); every log-derived string is escaped (escape.ts), the page
// carries a strict Content-Security-Policy (csp.ts), and tests open it in a real Chromium with hostile names.
//
//   header + key numbers -> contents -> per incident: header, ATT&CK strip, narrative, timeline ("linked because"),
//   entity graph, travel map, scope, containment checklist, context, alerts with evidence (raw records on demand)
//   -> alerts not in an incident -> coverage -> inputs -> merged incidents -> posture (+ the audit section).
import { escapeHtml } from '../../core/text.js';
import type { AuditReport } from '../../posture/types.js';
import { renderAuditHtmlSection } from '../../posture/report.js';
import { SEVERITIES, type Alert } from '../../detect/alert.js';
import type { HuntReport, Incident } from '../types.js';
import { count, duration, list, oneOf, revealHidden, v, when } from './escape.js';
import { renderGraphSvg, renderGraphTable } from './graph.js';
import { page, renderFooter, renderHeader, renderToc } from './layout.js';
import { renderTravel } from './map.js';
import { Refs } from './refs.js';
import { renderAlert, renderContainment, renderContext, renderCoverage, renderInputs, renderScope } from './tables.js';
import { renderTacticStrip, renderTimeline, severityBadge } from './timeline.js';
import type { OutlineLoader } from './world.js';

export interface HtmlReportOptions {
  /** the posture audit (tenantwatch audit) to include as its own section */
  audit?: AuditReport;
  /** the world outline for travel maps: default = world-atlas from node_modules; false = none */
  outline?: OutlineLoader | false;
  /** page characters spent on raw records (default 8 M, escaping included); later records are left out with a note */
  maxRawChars?: number;
  /** alerts outside incidents listed in full (default 1000); the rest are counted, the JSON output has them all */
  maxUnlinkedAlerts?: number;
}

function renderIncident(inc: Incident, anchor: string, refs: Refs, alertsById: Map<string, Alert>, rendered: Set<string>, opts: HtmlReportOptions): { html: string; map: boolean } {
  const first = Date.parse(String(inc.firstSeen));
  const last = Date.parse(String(inc.lastSeen));
  const span = Number.isFinite(first) && Number.isFinite(last) ? ` (${escapeHtml(duration(last - first))})` : '';
  const border = oneOf(inc.severity, ['critical', 'high', 'medium'] as const, 'medium');
  const merged = list(inc.mergedFrom).length ? ` · absorbed ${list(inc.mergedFrom).map((m) => `<code>${v(m, 40)}</code>`).join(', ')}` : '';
  const parts: string[] = [];
  parts.push(`<article class="tw-incident tw-border-${border}" id="${escapeHtml(anchor)}"><header>`);
  parts.push(`<div>${severityBadge(inc.severity)} <span class="tw-id">${v(inc.id, 40)}</span> <span class="tw-muted">revision ${count(inc.revision)}${merged}</span></div>`);
  parts.push(`<h2>${v(inc.title, 300)}</h2>`);
  parts.push(`<div class="tw-meta"><span>${escapeHtml(when(inc.firstSeen))} → ${escapeHtml(when(inc.lastSeen))}${span}</span><span>tenant <code>${v(inc.tenant, 80)}</code></span><span>${count(list(inc.alerts).length)} alerts · ${count(list(inc.entities).length)} entities</span></div>`);
  parts.push('</header>');
  parts.push(renderTacticStrip(inc));
  parts.push(`<p class="tw-narrative">${v(inc.narrative, 4000)}</p>`);

  parts.push('<h3>Timeline</h3>', renderTimeline(inc, anchor, refs));
  parts.push('<h3>Entities</h3>', `<figure>${renderGraphSvg(inc.graph)}<figcaption>Columns: where from → accounts → apps → roles → mail flow. ★ and a thick border mark what the containment checklist acts on. Hover a node or line for its full name.</figcaption></figure>`, renderGraphTable(inc.graph, refs.alertLink));
  const travel = renderTravel(list(inc.travel), refs.alertLink, { outline: opts.outline });
  if (travel) parts.push('<h3>Impossible travel</h3>', travel);
  const scope = renderScope(inc.scope, refs);
  if (scope) parts.push('<h3>Scope</h3>', scope);
  parts.push('<h3>Containment checklist</h3>', renderContainment(list(inc.containment)));
  const context = renderContext(list(inc.context));
  if (context) parts.push('<h3>What else is known</h3>', context);

  const members = list(inc.alerts).map(String);
  const shown = members.filter((id) => alertsById.has(id) && !rendered.has(id));
  parts.push(`<h3>Alerts and evidence</h3><p class="tw-muted">Open an alert for its numbers and evidence; open "raw record" for the log line itself.</p>`);
  for (const id of shown) {
    rendered.add(id);
    parts.push(renderAlert(alertsById.get(id)!, refs, inc.id));
  }
  const elsewhere = members.filter((id) => !shown.includes(id));
  if (elsewhere.length) parts.push(`<p class="tw-muted">Also: ${elsewhere.map(refs.alertLink).join(' ')}</p>`);
  parts.push('</article>');
  return { html: parts.join('\n'), map: travel.includes('tw-land') };
}

/** The whole report as one HTML document (a string; write it with UTF-8). Deterministic for a given report. */
export function renderHtmlReport(report: HuntReport, opts: HtmlReportOptions = {}): string {
  const refs = new Refs(report, opts.maxRawChars ?? 8_000_000);
  const alerts = list(report.alerts).filter((a): a is Alert => !!a && typeof a.id === 'string');
  const alertsById = new Map<string, Alert>();
  for (const a of alerts) if (!alertsById.has(a.id)) alertsById.set(a.id, a);
  const rendered = new Set<string>();
  const body: string[] = [];
  let mapUsed = false;

  const incidents = list(report.incidents).filter((i): i is Incident => !!i && typeof i === 'object');
  const incidentHtml = incidents.map((inc) => {
    const r = renderIncident(inc, refs.incidentAnchor(String(inc.id)) ?? 'inc', refs, alertsById, rendered, opts);
    mapUsed ||= r.map;
    return r.html;
  });

  const extra: { id: string; title: string }[] = [];
  // alerts outside incidents: most severe first, so a cap never hides a high one behind a thousand low ones
  const rank = (a: Alert) => SEVERITIES.indexOf(a.severity);
  const unlinked = alerts.filter((a) => !rendered.has(a.id)).map((a, i) => ({ a, i })).sort((x, y) => rank(y.a) - rank(x.a) || x.i - y.i).map((x) => x.a);
  if (unlinked.length) extra.push({ id: 'unlinked', title: `Alerts not in an incident (${unlinked.length})` });
  extra.push({ id: 'coverage', title: 'Coverage' }, { id: 'inputs', title: 'Inputs' });
  if (list(report.merged).length) extra.push({ id: 'merged', title: 'Merged incidents' });
  if (report.posture || opts.audit) extra.push({ id: 'posture', title: 'Posture' });

  body.push(renderHeader(report));
  body.push(renderToc(report, refs, extra));
  if (!incidents.length) body.push('<p>No incident: no chain of alerts reached the incident bar. Alerts that fired on their own are listed below.</p>');
  body.push(...incidentHtml);

  if (unlinked.length) {
    body.push(`<section id="unlinked"><h2>Alerts not in an incident</h2><p class="tw-muted">Below the incident bar on their own and sharing no entity with an incident.</p>`);
    const max = opts.maxUnlinkedAlerts ?? 1000;
    for (const a of unlinked.slice(0, max)) body.push(renderAlert(a, refs));
    if (unlinked.length > max) body.push(`<p class="tw-muted">${count(unlinked.length - max)} more alerts not listed here: see the JSON output.</p>`);
    body.push('</section>');
  }
  body.push(`<section id="coverage"><h2>Coverage</h2>${renderCoverage(report.coverage)}</section>`);
  const st = report.stats;
  body.push(`<section id="inputs"><h2>Inputs</h2><p>${count(st?.records)} records read: ${count(st?.events)} events, ${count(st?.duplicates)} duplicates, ${count(st?.filtered)} filtered, ${count(st?.quarantined)} quarantined. Analysis took ${escapeHtml(duration(st?.durationMs))}.</p>${renderInputs(report)}</section>`);
  const merged = list(report.merged).filter((m) => !!m);
  if (merged.length) {
    body.push(`<section id="merged"><h2>Merged incidents</h2><p class="tw-muted">Incidents from earlier runs that more data joined to another one.</p><table><thead><tr><th>Old id</th><th>Title</th><th>Now part of</th><th>When</th></tr></thead><tbody>${merged.map((m) => `<tr><td><code>${v(m.id, 40)}</code></td><td>${v(m.title, 300)}</td><td>${refs.incidentLink(String(m.mergedInto))}</td><td class="tw-when">${escapeHtml(when(m.mergedAt))}</td></tr>`).join('')}</tbody></table></section>`);
  }
  if (report.posture || opts.audit) {
    body.push('<section id="posture"><h2>Posture</h2>');
    const p = report.posture;
    if (p) {
      body.push(`<p>Configuration snapshot ${v(p.snapshot, 200)}: ${count(p.privileged)} privileged accounts.</p>`);
      body.push(renderContext(list(p.notes)));
    }
    // the audit section escapes HTML but lets bidi overrides through: make them visible like everywhere else
    if (opts.audit) body.push(revealHidden(renderAuditHtmlSection(opts.audit)));
    body.push('</section>');
  }
  body.push(renderFooter(report, mapUsed));

  const top = incidents[0];
  const title = top ? `tenantwatch: ${top.severity} — ${top.title}` : 'tenantwatch hunt report: no incidents';
  return page(title, `tenantwatch ${String(report.tool?.version ?? '')}`, body.join('\n'));
}

