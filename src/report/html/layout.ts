// The page shell (doctype, CSP, the one stylesheet), the report header with its key numbers, and the contents.
import { escapeHtml } from '../../core/text.js';
import { SEVERITIES } from '../../detect/alert.js';
import type { HuntReport } from '../types.js';
import { contentSecurityPolicy } from './csp.js';
import { count, cut, duration, list, v, visible, when } from './escape.js';
import type { Refs } from './refs.js';
import { STYLESHEET } from './styles.js';
import { severityBadge } from './timeline.js';

/** The complete document. `title` is plain text (escaped here); `body` is already-safe HTML. */
export function page(title: string, generator: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(STYLESHEET))}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${escapeHtml(cut(visible(generator), 80))}">`,
    // <title> is raw text: escaped plain text only, never markup
    `<title>${escapeHtml(cut(visible(title), 160))}</title>`,
    `<style>${STYLESHEET}</style>`,
    '</head>',
    `<body>${body}</body>`,
    '</html>',
    '',
  ].join('\n');
}

function kpi(value: string, label: string): string {
  return `<div class="tw-kpi"><b>${value}</b><span>${escapeHtml(label)}</span></div>`;
}

export function renderHeader(report: HuntReport): string {
  const s = report.stats;
  const incidents = list(report.incidents);
  const worst = SEVERITIES.slice().reverse().find((sev) => incidents.some((i) => i?.severity === sev));
  const headline = incidents.length
    ? `${count(incidents.length)} incident${incidents.length === 1 ? '' : 's'}, most severe ${severityBadge(worst)}`
    : 'No incidents';
  const span = s?.timeMin && s?.timeMax ? `${escapeHtml(when(s.timeMin))} → ${escapeHtml(when(s.timeMax))} (${escapeHtml(duration(Date.parse(s.timeMax) - Date.parse(s.timeMin)))})` : 'no events';
  const tool = report.tool;
  const meta = [
    `generated ${escapeHtml(when(report.generatedAt))}${report.kind === 'store' ? ' from the store' : ''}`,
    `events ${span}`,
    `tenantwatch ${v(tool?.version, 30)} · rules ${v(tool?.rulesetVersion, 40)} · ATT&amp;CK ${v(tool?.attackVersion, 30)}`,
    report.run ? `run <code>${v(report.run.id, 60)}</code>` : '',
  ].filter(Boolean).map((m) => `<span>${m}</span>`);
  const bySev = s?.incidentsBySeverity && typeof s.incidentsBySeverity === 'object' ? SEVERITIES.slice().reverse().filter((x) => (s.incidentsBySeverity[x] ?? 0) > 0).map((x) => `${count(s.incidentsBySeverity[x])} ${x}`).join(', ') : '';
  const kpis = [
    kpi(count(s?.incidents ?? incidents.length), `incidents${bySev ? ` (${bySev})` : ''}`),
    kpi(count(s?.alerts ?? list(report.alerts).length), `alerts, ${count(s?.unlinkedAlerts)} not in an incident`),
    kpi(count(s?.events), `events from ${count(s?.records)} records`),
    kpi(count(s?.quarantined), 'records quarantined'),
    kpi(`${count(report.coverage?.evaluated)} / ${count(list(report.coverage?.rules).length)}`, `rules evaluated${report.coverage?.notEvaluated ? `, ${count(report.coverage.notEvaluated)} lacked inputs` : ''}`),
  ];
  return `<header class="tw-top"><div><div class="tw-brand">tenantwatch · hunt report</div><h1>${headline}</h1></div><div class="tw-meta">${meta.join('')}</div></header><div class="tw-kpis">${kpis.join('')}</div>`;
}

export function renderToc(report: HuntReport, refs: Refs, extra: { id: string; title: string }[]): string {
  const incs = list(report.incidents).filter((i) => !!i).map((inc) => {
    const a = refs.incidentAnchor(String(inc.id));
    return a ? `<li><a href="#${escapeHtml(a)}">${severityBadge(inc.severity)} ${v(inc.title, 120)}</a></li>` : '';
  });
  const more = extra.map((x) => `<li><a href="#${escapeHtml(x.id)}">${escapeHtml(x.title)}</a></li>`);
  return `<nav class="tw-toc" aria-label="Contents"><strong>Contents</strong><ol>${incs.join('')}${more.join('')}</ol></nav>`;
}

export function renderFooter(report: HuntReport, mapUsed: boolean): string {
  return `<footer>Made by tenantwatch ${v(report.tool?.version, 30)} (report schema ${count(report.schemaVersion)}). This file is self-contained: no scripts, no network requests, every name from the logs shown as text. `
    + `MITRE ATT&amp;CK® ${v(report.tool?.attackVersion, 30)} tactics and techniques.${mapUsed ? ' Map data: Natural Earth (public domain).' : ''}</footer>`;
}
