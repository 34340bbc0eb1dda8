// Tables and lists of the report: incident scope, containment checklist, context notes, alerts with their evidence
// (the raw record one click away in a <details>, no script needed), coverage, inputs. All values are escaped text.
import { escapeHtml } from '../../core/text.js';
import type { Alert, Evidence } from '../../detect/alert.js';
import type { ContainmentStep, ContextNote, Coverage, HuntReport, IncidentScope, ScopeItem } from '../types.js';
import { count, cut, list, oneOf, t, v, vFull, when } from './escape.js';
import type { Refs } from './refs.js';
import { severityBadge } from './timeline.js';

const table = (head: string[], rows: string[], cls = '') =>
  rows.length ? `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th${/^(Records|Events|Dup|Filtered|Quarantined|Bytes)/.test(h) ? ' class="tw-num"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>` : '';

const seen = (i: { firstSeen?: string; lastSeen?: string }) =>
  `<span class="tw-when">${escapeHtml(when(i.firstSeen))}${i.lastSeen && i.lastSeen !== i.firstSeen ? `<br>${escapeHtml(when(i.lastSeen))}` : ''}</span>`;

const strings = (xs: unknown) => list(xs as unknown[]).map((x) => vFull(x, 200)).join('<br>');

// ------------------------------------------------------------------------------------------------------------
// scope

export function renderScope(scope: IncidentScope | undefined, refs: Refs): string {
  if (!scope || typeof scope !== 'object') return '';
  const alerts = (i: ScopeItem) => list(i.alerts).map((a) => refs.alertLink(String(a))).join(' ');
  const name = (i: ScopeItem) => `${vFull(i.display ?? i.id, 200)}${i.display && i.display !== i.id ? `<br><code>${vFull(i.id, 200)}</code>` : ''}`;
  const aliases = (i: ScopeItem) => (list(i.aliases).length ? `<br><span class="tw-muted">also:</span> ${list(i.aliases).map((a) => `<code>${v(a, 120)}</code>`).join(', ')}` : '');
  const out: string[] = [];
  const accounts = list(scope.accounts).map((i) => `<tr><td>${name(i)}${aliases(i)}</td><td>${i.privileged === true ? '<strong>privileged</strong>' : i.privileged === false ? 'no' : '<span class="tw-muted">unknown</span>'}</td><td>${seen(i)}</td><td>${alerts(i)}</td></tr>`);
  if (accounts.length) out.push(`<h4>Accounts</h4>${table(['Account', 'Privileged', 'First / last seen', 'Alerts'], accounts)}`);
  const apps = list(scope.apps).map((i) => `<tr><td>${name(i)}${i.spId ? `<br><span class="tw-muted">service principal</span> <code>${v(i.spId, 80)}</code>` : ''}${aliases(i)}</td><td>${strings(i.permissions)}</td><td>${strings(i.roles)}</td><td>${strings(i.credentials)}</td><td>${i.createdAt ? `<span class="tw-when">${escapeHtml(when(i.createdAt))}</span>` : '<span class="tw-muted">unknown</span>'}</td><td>${seen(i)}</td><td>${alerts(i)}</td></tr>`);
  if (apps.length) out.push(`<h4>Apps</h4>${table(['App', 'Permissions', 'Roles', 'Credentials', 'Created', 'First / last seen', 'Alerts'], apps)}`);
  const plain: [keyof IncidentScope, string][] = [['connectors', 'Connectors'], ['transportRules', 'Transport rules'], ['inboxRules', 'Inbox rules'], ['mailboxes', 'Mailboxes']];
  for (const [key, title] of plain) {
    const rows = list(scope[key] as ScopeItem[]).map((i) => `<tr><td>${name(i)}${aliases(i)}</td><td>${seen(i)}</td><td>${alerts(i)}</td></tr>`);
    if (rows.length) out.push(`<h4>${escapeHtml(title)}</h4>${table([title.replace(/s$/, ''), 'First / last seen', 'Alerts'], rows)}`);
  }
  const ips = list(scope.ips).map((i) => `<tr><td><code>${vFull(i.id, 200)}</code></td><td>${v(i.asn ?? '', 40)}</td><td>${v(i.country ?? '', 40)}</td><td>${seen(i)}</td><td>${alerts(i)}</td></tr>`);
  if (ips.length) out.push(`<h4>IP addresses</h4>${table(['IP', 'ASN', 'Country', 'First / last seen', 'Alerts'], ips)}`);
  return out.join('');
}

// ------------------------------------------------------------------------------------------------------------
// containment

export function renderContainment(steps: ContainmentStep[]): string {
  const items = list(steps).filter((s) => !!s).map((s, i) => {
    const ent = s.entity ?? { type: '', id: '' };
    const what = `<span class="tw-chip">${v(ent.type, 30)}</span>${v(ent.display ?? ent.id, 160)}${ent.display && ent.display !== ent.id ? ` <code>${v(ent.id, 120)}</code>` : ''}`;
    const cmds: string[] = [];
    if (s.graph && typeof s.graph === 'object') {
      const method = oneOf(s.graph.method, ['GET', 'POST', 'PATCH', 'DELETE'] as const, 'GET');
      cmds.push(`<div class="tw-cmd"><span class="tw-muted">Microsoft Graph</span><pre><code>${escapeHtml(method)} https://graph.microsoft.com${t(s.graph.path)}${s.graph.body ? `\n\n${t(s.graph.body)}` : ''}</code></pre></div>`);
    }
    if (s.powershell) cmds.push(`<div class="tw-cmd"><span class="tw-muted">PowerShell</span><pre><code>${t(s.powershell)}</code></pre></div>`);
    return `<li><label><input type="checkbox"> <span>${typeof s.order === 'number' ? s.order : i + 1}.</span> <span>${v(s.title, 300)}</span></label>`
      + `<p class="tw-why">${what}</p><p class="tw-why">${v(s.why, 1000)}</p>${cmds.join('')}`
      + `<p class="tw-why"><span class="tw-muted">Needs:</span> ${v(s.permission, 200)}</p>${s.note ? `<p class="tw-why tw-note">${v(s.note, 1000)}</p>` : ''}</li>`;
  });
  if (!items.length) return '<p class="tw-muted">No containment steps.</p>';
  return `<p class="tw-muted">In this order: evict the app and its credentials before resetting accounts. The checkboxes are for your own tracking; nothing is sent anywhere.</p><ol class="tw-containment">${items.join('')}</ol>`;
}

// ------------------------------------------------------------------------------------------------------------
// context

export function renderContext(notes: ContextNote[]): string {
  const rows = list(notes).filter((n) => !!n).map((n) => `<tr><td>${severityBadge(n.severity)}</td><td><span class="tw-chip">${v(n.entity?.type, 30)}</span>${v(n.entity?.id, 160)}</td><td>${v(n.text, 1000)}</td><td>${n.from === 'snapshot' ? 'configuration snapshot' : n.from === 'memory' ? 'earlier hunts (store)' : v(n.from, 30)}${n.checkId ? ` <code>${v(n.checkId, 20)}</code>` : ''}</td></tr>`);
  return table(['', 'Entity', 'What is known', 'From'], rows);
}

// ------------------------------------------------------------------------------------------------------------
// alerts and evidence

function prettyRaw(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') return JSON.stringify(parsed, null, 2);
  } catch {
    // not JSON (a CSV row): shown as it is
  }
  return text;
}

/** Longest raw record embedded in the page; the JSON output keeps the alert contract's 16 KiB. */
export const RAW_RECORD_CAP = 8192;

function evidenceRow(e: Evidence, refs: Refs): string {
  const raw = e.raw ?? { file: '', format: '' };
  const where = `${v(raw.file, 200)}${typeof raw.line === 'number' ? `:${raw.line}` : ''} · ${v(raw.format, 60)}`;
  let rawCell = `<span class="tw-muted">${where}</span>`;
  if (typeof raw.text === 'string') {
    if (refs.rawBudget <= 0) {
      rawCell = `<span class="tw-muted">${where}<br>raw record left out to keep this page small: see the JSON output or the file</span>`;
    } else {
      const pretty = prettyRaw(raw.text);
      const shown = cut(pretty, RAW_RECORD_CAP);
      const html = t(shown);
      refs.rawBudget -= html.length; // what it costs in the page, escaping included
      const note = shown.length < pretty.length ? ` · first ${RAW_RECORD_CAP} characters shown` : raw.textTruncated ? ' · cut at 16 KiB by the alert' : '';
      rawCell = `<details class="tw-raw"><summary>raw record</summary><p class="tw-muted">${where}${note}</p><pre>${html}</pre></details>`;
    }
  }
  const outcome = e.outcome && e.outcome !== 'success' ? ` <span class="tw-chip">${v(e.outcome, 30)}</span>` : '';
  return `<tr><td class="tw-nowrap tw-when">${escapeHtml(when(e.time))}</td><td>${v(e.source, 40)}<br><span class="tw-muted">${v(e.action, 40)}</span></td><td>${v(e.operation ?? '', 120)}${outcome}</td><td>${vFull(e.summary, 400)}</td><td>${rawCell}</td></tr>`;
}

function factValue(x: unknown): string {
  if (Array.isArray(x)) return x.map((y) => v(y, 200)).join(', ');
  return vFull(x, 400);
}

/** One alert: the summary line opens its explanation, facts, entities and evidence. */
export function renderAlert(a: Alert, refs: Refs, incidentOf?: string): string {
  const anchor = refs.alertAnchor(String(a.id));
  const facts = a.facts && typeof a.facts === 'object' ? Object.entries(a.facts) : [];
  const ents = list(a.entities).map((e) => `<li><span class="tw-chip">${v(e?.type, 30)}</span>${e?.role ? `<span class="tw-chip">${v(e.role, 20)}</span>` : ''}${v(e?.display ?? e?.id, 200)}${e?.display && e.display !== e.id ? ` <code>${v(e.id, 120)}</code>` : ''}${list(e?.aliases).length ? ` <span class="tw-muted">also ${list(e.aliases).map((x) => v(x, 80)).join(', ')}</span>` : ''}</li>`);
  const evidence = list(a.evidence).filter((e) => !!e).map((e) => evidenceRow(e, refs));
  return `<details class="tw-alert"${anchor ? ` id="${escapeHtml(anchor)}"` : ''}><summary>${severityBadge(a.severity)} <span class="tw-rule">${v(a.rule, 40)}</span> ${v(a.title, 300)} <span class="tw-when">${escapeHtml(when(a.time))}</span></summary>`
    + `<p>${v(a.explanation, 2000)}</p>`
    + `<p class="tw-muted">Alert <code>${v(a.id, 40)}</code> · key <code>${v(a.key, 120)}</code> · tenant <code>${v(a.tenant, 80)}</code> · ${escapeHtml(when(a.firstSeen))} → ${escapeHtml(when(a.lastSeen))} · revision ${count(a.revision)} · ${count(a.occurrences)} occurrence${a.occurrences === 1 ? '' : 's'}${incidentOf ? ` · incident ${refs.incidentLink(incidentOf)}` : ''}</p>`
    + (facts.length ? `<table class="tw-facts"><tbody>${facts.map(([k, x]) => `<tr><th>${v(k, 60)}</th><td>${factValue(x)}</td></tr>`).join('')}</tbody></table>` : '')
    + (ents.length ? `<ul>${ents.join('')}</ul>` : '')
    + (evidence.length ? table(['Time', 'Source', 'Operation', 'Summary', 'Record'], evidence) : '<p class="tw-muted">No evidence attached.</p>')
    + (typeof a.evidenceTruncated === 'number' && a.evidenceTruncated > 0 ? `<p class="tw-muted">${count(a.evidenceTruncated)} more events behind this alert are not listed (evidence cap).</p>` : '')
    + '</details>';
}

// ------------------------------------------------------------------------------------------------------------
// coverage and inputs

const STATUS = ['evaluated', 'not-evaluated', 'disabled'] as const;

export function renderCoverage(c: Coverage | undefined): string {
  if (!c || typeof c !== 'object') return '<p class="tw-muted">No coverage information.</p>';
  const rules = [...list(c.rules)].filter((r) => !!r).sort((a, b) => STATUS.indexOf(oneOf(b.status, STATUS, 'evaluated')) - STATUS.indexOf(oneOf(a.status, STATUS, 'evaluated')));
  const rows = rules.map((r) => {
    const st = oneOf(r.status, STATUS, 'not-evaluated');
    return `<tr><td><span class="tw-rule">${v(r.rule, 40)}</span></td><td>${v(r.title, 200)}</td><td class="tw-status-${st}">${escapeHtml(st)}</td><td>${v(r.reason ?? '', 400)}${list(r.missing).length ? `<br><span class="tw-muted">missing:</span> ${list(r.missing).map((f) => `<code>${v(f, 40)}</code>`).join(' ')}` : ''}${list(r.limits).map((l) => `<br><span class="tw-muted">partly:</span> ${v(l, 400)}`).join('')}</td></tr>`;
  });
  const facts = list(c.facts).map((f) => `<span class="tw-chip">${v(f, 40)}</span>`).join('');
  return `<p><strong>${count(c.evaluated)}</strong> rules evaluated, <strong>${count(c.notEvaluated)}</strong> not evaluated (their inputs were missing — not an all-clear), ${count(c.disabled)} disabled.</p>`
    + `<p>Facts the inputs carried: ${facts || '<span class="tw-muted">none</span>'}</p>`
    + table(['Rule', 'Title', 'Status', 'Why'], rows);
}

export function renderInputs(report: HuntReport): string {
  const rows = list(report.inputs).filter((i) => !!i).map((i) => {
    const samples = list(i.quarantineSamples);
    const q = samples.length ? `<details class="tw-raw"><summary>${count(i.quarantined)}</summary><ul>${samples.map((s) => `<li>${typeof s?.line === 'number' ? `line ${s.line}: ` : ''}${v(s?.reason, 400)}</li>`).join('')}</ul></details>` : count(i.quarantined);
    const formats = i.formats && typeof i.formats === 'object' ? Object.entries(i.formats) : [];
    const fmt = formats.length > 1 ? formats.map(([k, n]) => `${v(k, 60)} (${count(n)})`).join('<br>') : v(i.format, 60);
    return `<tr><td>${vFull(i.path, 200)}<br><code class="tw-muted">sha256 ${v(i.sha256, 64)}</code></td><td>${fmt}${i.encoding ? `<br><span class="tw-muted">${v(i.encoding, 30)}</span>` : ''}</td><td class="tw-num">${count(i.bytes)}</td><td class="tw-num">${count(i.records)}</td><td class="tw-num">${count(i.events)}</td><td class="tw-num">${count(i.duplicates)}</td><td class="tw-num">${list(i.filteredReasons).length ? `<details class="tw-raw"><summary>${count(i.filtered)}</summary><ul>${list(i.filteredReasons).map((f) => `<li>${count(f?.count)} × ${v(f?.reason, 300)}</li>`).join('')}</ul></details>` : count(i.filtered)}</td><td class="tw-num">${q}</td><td class="tw-when">${escapeHtml(when(i.timeMin))}<br>${escapeHtml(when(i.timeMax))}</td></tr>`;
  });
  const skipped = list(report.skipped).filter((s) => !!s).map((s) => `<tr><td>${vFull(s.path, 200)}</td><td>${v(s.reason, 400)}</td></tr>`);
  return table(['File', 'Format', 'Bytes', 'Records', 'Events', 'Dup', 'Filtered', 'Quarantined', 'Time range'], rows)
    + (skipped.length ? `<h3>Not read as logs</h3>${table(['Path', 'Why'], skipped)}` : '');
}
