// The incident's story in order: one entry per member alert, earliest first, each saying why it belongs to the
// incident ("linked because" + the shared entity, the alias that matched and the time gap), plus the ATT&CK strip.
import { escapeHtml } from '../../core/text.js';
import { SEVERITIES } from '../../detect/alert.js';
import { TACTICS, technique } from '../../detect/attack.js';
import type { Incident, TimelineEntry } from '../types.js';
import { duration, list, oneOf, v, when } from './escape.js';
import type { Refs } from './refs.js';

const SEV = [...SEVERITIES, 'unknown'] as const;

export function severityBadge(s: unknown): string {
  const sev = oneOf(s, SEV, 'unknown');
  return `<span class="tw-sev tw-sev-${sev}">${escapeHtml(sev === 'informational' ? 'info' : sev)}</span>`;
}

/** All fourteen tactics in kill-chain order; the incident's are lit, with how many of its alerts carry each. */
export function renderTacticStrip(inc: Incident): string {
  const on = new Set(list(inc.tactics).map(String));
  const perTactic = new Map<string, number>();
  for (const e of list(inc.timeline)) for (const ta of list(e?.tactics)) perTactic.set(String(ta), (perTactic.get(String(ta)) ?? 0) + 1);
  const cells = TACTICS.map((ta) => {
    const n = perTactic.get(ta.name) ?? 0;
    const lit = on.has(ta.name);
    // a soft hyphen lets the one long tactic name wrap inside its narrow cell
    const title = escapeHtml(ta.title).replace('Reconnaissance', 'Reconnais&shy;sance');
    return `<div class="tw-tactic${lit ? ' tw-on' : ''}">${title}<small>${escapeHtml(ta.id)}${lit ? ` · ${n} alert${n === 1 ? '' : 's'}` : ''}</small></div>`;
  });
  const techs = list(inc.techniques).map((id) => {
    const name = technique(String(id))?.name;
    return `<code>${v(id, 20)}</code>${name ? ` ${escapeHtml(name)}` : ''}`;
  });
  return `<div class="tw-tactics" role="list" aria-label="ATT&amp;CK tactics">${cells.join('')}</div>${techs.length ? `<p class="tw-techniques">Techniques: ${techs.join(' · ')}</p>` : ''}`;
}

/** When the step happened: the alert's trigger time (firstSeen in reports that lack it). */
const stepTime = (e: TimelineEntry): number => {
  const t = Date.parse(String(e.time ?? e.firstSeen));
  return Number.isFinite(t) ? t : 0;
};
const byTime = (a: TimelineEntry, b: TimelineEntry) => stepTime(a) - stepTime(b);

export function renderTimeline(inc: Incident, incAnchor: string, refs: Refs): string {
  // the contract already orders the timeline; a stable sort on the step time keeps it chronological whatever the source
  const entries = list(inc.timeline).filter((e) => !!e).map((e, i) => ({ e, i })).sort((a, b) => byTime(a.e, b.e) || a.i - b.i).map((x) => x.e);
  if (!entries.length) return '<p class="tw-muted">No timeline.</p>';
  const step = new Map<string, number>();
  entries.forEach((e, j) => {
    if (!step.has(String(e.alertId))) step.set(String(e.alertId), j + 1);
  });
  const start = stepTime(entries[0]!);
  const items = entries.map((e, j) => {
    const sev = oneOf(e.severity, SEV, 'unknown');
    const at = stepTime(e);
    const offset = j > 0 ? ` <span class="tw-muted">(+${escapeHtml(duration(at - start))})</span>` : '';
    const first = Date.parse(String(e.firstSeen)), last = Date.parse(String(e.lastSeen));
    // evidence before the trigger (a window's first failures, a sequence's first step), repeats after it
    const from = Number.isFinite(first) && first < at ? ` <span class="tw-muted">(evidence from ${escapeHtml(when(e.firstSeen))})</span>` : '';
    const range = Number.isFinite(last) && last > at ? ` → ${escapeHtml(when(e.lastSeen))}` : '';
    const tactics = list(e.tactics).map((ta) => `<span class="tw-chip">${v(ta, 40)}</span>`).join('');
    let because: string;
    if (e.link && typeof e.link === 'object') {
      const l = e.link;
      const withStep = step.get(String(l.withAlert));
      const withRef = withStep ? `<a href="#${escapeHtml(`${incAnchor}-step-${withStep}`)}">step ${withStep}</a>` : refs.alertLink(String(l.withAlert));
      const ent = l.entity ?? { type: '', id: '' };
      const name = ent.display && ent.display !== ent.id ? `${v(ent.display, 80)} (${v(ent.id, 80)})` : v(ent.id, 120);
      const via = l.via ? `; matched through alias ${v(l.via, 80)}` : '';
      const gap = typeof l.gapMs === 'number' ? `; evidence ${l.gapMs === 0 ? 'overlaps' : `${escapeHtml(duration(l.gapMs))} apart`}` : '';
      because = `<div class="tw-because"><b>Linked because</b> ${v(e.linkedBecause, 600)}<br><span class="tw-chip">${v(l.kind, 30)}</span>shares ${v(ent.type, 30)} ${name} with ${withRef}${via}${gap}</div>`;
    } else {
      because = `<div class="tw-because"><b>Linked because</b> ${v(e.linkedBecause || 'first alert of the incident', 600)}</div>`;
    }
    const anchor = refs.alertAnchor(String(e.alertId));
    const details = anchor ? ` · <a href="#${escapeHtml(anchor)}">evidence</a>` : '';
    return `<li id="${escapeHtml(`${incAnchor}-step-${j + 1}`)}" class="tw-dot-${sev}"><div class="tw-when">${j + 1}. ${escapeHtml(when(String(e.time ?? e.firstSeen)))}${range}${offset}${from}</div>`
      + `<div>${severityBadge(sev)} <span class="tw-rule">${v(e.rule, 40)}</span> <strong>${v(e.title, 300)}</strong> ${tactics}</div>`
      + `<p>${v(e.summary, 1000)}${details}</p>${because}</li>`;
  });
  return `<ol class="tw-timeline">${items.join('')}</ol>`;
}
