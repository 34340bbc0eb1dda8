// The terminal view of a hunt report: incidents first (severity, tactic strip, scope, narrative, the first
// containment steps), then the alerts outside incidents grouped by rule, then coverage gaps and input totals.
// Every log-derived string goes through safeTerminal; colour only when asked (a TTY).
import { safeTerminal } from '../core/text.js';
import type { Alert, Severity } from '../detect/alert.js';
import { SEVERITIES, severityRank } from '../detect/alert.js';
import { TACTICS } from '../detect/attack.js';
import type { HuntReport, Incident } from './types.js';

export interface TableOptions {
  color?: boolean;
  /** containment steps shown per incident (all with `detail`) */
  steps?: number;
  /** one incident in full: every timeline entry with its reason, every step, context */
  detail?: boolean;
  /** terminal width for wrapping */
  width?: number;
}

const TACTIC_CODE: Record<string, string> = {
  reconnaissance: 'RC', 'resource-development': 'RD', 'initial-access': 'IA', execution: 'EX', persistence: 'PS',
  'privilege-escalation': 'PE', 'defense-evasion': 'DE', 'credential-access': 'CA', discovery: 'DI',
  'lateral-movement': 'LM', collection: 'CO', 'command-and-control': 'C2', exfiltration: 'EF', impact: 'IM',
};

const SGR: Record<Severity, string> = { informational: '2', low: '36', medium: '33', high: '31', critical: '1;37;41' };

class Painter {
  constructor(private readonly on: boolean) {}
  sev(s: Severity, text: string): string {
    return this.on ? `\x1b[${SGR[s]}m${text}\x1b[0m` : text;
  }
  bold(text: string): string {
    return this.on ? `\x1b[1m${text}\x1b[0m` : text;
  }
  dim(text: string): string {
    return this.on ? `\x1b[2m${text}\x1b[0m` : text;
  }
}

const safe = (s: unknown, max = 200): string => safeTerminal(s, max);

const when = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

function wrap(text: string, width: number, indent: string): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > width - indent.length) {
      lines.push(indent + cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(indent + cur);
  return lines;
}

/** The 14 ATT&CK tactics as two-letter codes, the incident's in brackets. */
export function tacticStrip(tactics: readonly string[], p?: Painter): string {
  return TACTICS.map((t) => {
    const code = TACTIC_CODE[t.name]!;
    if (!tactics.includes(t.name)) return p ? p.dim('··') : '··';
    return p ? p.bold(code) : code;
  }).join(' ');
}

function severityTag(s: Severity, p: Painter): string {
  return p.sev(s, `[${s.toUpperCase()}]`);
}

function scopeLine(i: Incident): string {
  const parts: string[] = [];
  const list = (n: number, one: string, many: string, names: string[]) =>
    n ? `${n} ${n === 1 ? one : many} (${names.slice(0, 3).map((x) => safe(x, 80)).join(', ')}${n > 3 ? ', …' : ''})` : '';
  const nm = (x: { id: string; display?: string }) => (!x.display ? x.id : x.display.toLowerCase() === x.id ? x.display : `"${x.display}"`);
  parts.push(list(i.scope.accounts.length, 'account', 'accounts', i.scope.accounts.map((a) => a.id)));
  parts.push(list(i.scope.apps.length, 'app', 'apps', i.scope.apps.map(nm)));
  parts.push(list(i.scope.connectors.length, 'connector', 'connectors', i.scope.connectors.map(nm)));
  parts.push(list(i.scope.transportRules.length, 'transport rule', 'transport rules', i.scope.transportRules.map(nm)));
  parts.push(list(i.scope.inboxRules.length, 'inbox rule', 'inbox rules', i.scope.inboxRules.map(nm)));
  parts.push(list(i.scope.mailboxes.length, 'mailbox', 'mailboxes', i.scope.mailboxes.map(nm)));
  parts.push(list(i.scope.ips.length, 'IP', 'IPs', i.scope.ips.map((x) => x.id)));
  return parts.filter(Boolean).join('; ') || '—';
}

function incidentBlock(i: Incident, p: Painter, o: Required<Omit<TableOptions, 'color'>>): string[] {
  const out: string[] = [];
  out.push(`${severityTag(i.severity, p)} ${p.bold(i.id)}  ${safe(i.title, 160)}`);
  out.push(`  ${when(i.firstSeen)} → ${when(i.lastSeen)} UTC · ${i.alerts.length} alert${i.alerts.length === 1 ? '' : 's'} · tenant ${safe(i.tenant, 60)}${i.revision > 1 ? ` · revision ${i.revision}` : ''}`);
  out.push(`  tactics: ${tacticStrip(i.tactics, p)}`);
  out.push(`  scope:   ${scopeLine(i)}`);
  if (i.mergedFrom?.length) out.push(`  merged:  ${i.mergedFrom.map((m) => safe(m, 40)).join(', ')} (earlier incidents now part of this one)`);
  out.push(...wrap(safe(i.narrative, 4000), o.width, '  '));
  if (o.detail) {
    out.push('  timeline:');
    for (const t of i.timeline) {
      out.push(`    ${when(t.time)} ${p.sev(t.severity, t.severity.padEnd(8))} ${safe(t.rule, 20)} ${safe(t.title, 140)}  (${t.alertId})`);
      out.push(...wrap(`why linked: ${safe(t.linkedBecause, 600)}`, o.width, '        '));
    }
    if (i.context.length) {
      out.push('  context:');
      for (const c of i.context) out.push(`    [${c.from}] ${safe(c.entity.id, 80)}: ${safe(c.text, 400)}`);
    }
    if (i.travel.length) {
      out.push('  travel:');
      for (const l of i.travel) {
        const pt = (x: typeof l.from) => `${x.city ? safe(x.city, 40) + ' ' : ''}${x.country ? safe(x.country, 4) + ' ' : ''}(${x.lat.toFixed(2)}, ${x.lon.toFixed(2)})${x.ip ? ' ' + safe(x.ip, 45) : ''}`;
        out.push(`    ${pt(l.from)} → ${pt(l.to)}${l.speedKmh !== undefined ? ` at ${Math.round(l.speedKmh)} km/h` : ''}`);
      }
    }
  }
  const steps = o.detail ? i.containment : i.containment.slice(0, o.steps);
  if (steps.length) {
    out.push('  contain:');
    for (const s of steps) {
      out.push(`    ${s.order}. ${safe(s.title, 200)}`);
      if (o.detail) out.push(...wrap(safe(s.why, 600), o.width, '       '));
      if (s.graph) out.push(`       ${s.graph.method} https://graph.microsoft.com${safe(s.graph.path, 400)}${s.graph.body && o.detail ? `  ${safe(s.graph.body, 600)}` : ''}`);
      if (s.powershell) for (const line of s.powershell.split('\n')) out.push(`       PS> ${safe(line, 600)}`);
      if (o.detail) {
        out.push(`       needs: ${safe(s.permission, 200)}`);
        if (s.note) out.push(...wrap(`note: ${safe(s.note, 400)}`, o.width, '       '));
      }
    }
    if (i.containment.length > steps.length) out.push(p.dim(`    … ${i.containment.length - steps.length} more step(s): tenantwatch incidents show ${i.id}`));
  }
  return out;
}

function alertGroups(alerts: Alert[], p: Painter): string[] {
  const out: string[] = [];
  const byRule = new Map<string, Alert[]>();
  for (const a of alerts) {
    let l = byRule.get(a.rule);
    if (!l) byRule.set(a.rule, (l = []));
    l.push(a);
  }
  const groups = [...byRule.entries()].sort((x, y) => {
    const sx = Math.max(...x[1].map((a) => severityRank(a.severity))), sy = Math.max(...y[1].map((a) => severityRank(a.severity)));
    return sy - sx || (x[0] < y[0] ? -1 : 1);
  });
  for (const [rule, list] of groups) {
    const top = SEVERITIES[Math.max(...list.map((a) => severityRank(a.severity)))]!;
    out.push(`${severityTag(top, p)} ${safe(rule, 20)} × ${list.length}`);
    for (const a of list.slice(0, 5)) {
      out.push(`  ${when(a.time)} ${p.sev(a.severity, a.severity.padEnd(8))} ${safe(a.title, 160)}  (${a.id})`);
    }
    if (list.length > 5) out.push(p.dim(`  … ${list.length - 5} more`));
  }
  return out;
}

export function renderTable(report: HuntReport, opts: TableOptions = {}): string {
  const p = new Painter(opts.color ?? false);
  const o = { steps: opts.steps ?? 3, detail: opts.detail ?? false, width: Math.max(60, opts.width ?? 100) };
  const out: string[] = [];
  const s = report.stats;
  const sevCounts = (c: Record<Severity, number>) => SEVERITIES.filter((x) => c[x]).map((x) => `${c[x]} ${x}`).reverse().join(', ');
  if (report.kind === 'hunt') {
    out.push(p.bold(`tenantwatch hunt: ${s.incidents} incident${s.incidents === 1 ? '' : 's'}, ${s.alerts} alert${s.alerts === 1 ? '' : 's'}${s.alerts ? ` (${sevCounts(s.alertsBySeverity)})` : ''} from ${s.events} events in ${report.inputs.length} file${report.inputs.length === 1 ? '' : 's'}`));
    if (s.timeMin) out.push(`events from ${when(s.timeMin)} to ${when(s.timeMax!)} UTC`);
  } else {
    out.push(p.bold(`tenantwatch incidents: ${report.incidents.length} incident${report.incidents.length === 1 ? '' : 's'}`));
  }
  out.push('');
  if (report.incidents.length) {
    out.push(p.bold('INCIDENTS'));
    out.push(p.dim(`  tactic codes: ${TACTICS.map((t) => `${TACTIC_CODE[t.name]} ${t.title}`).join(', ')}`));
    out.push('');
    for (const i of report.incidents) {
      out.push(...incidentBlock(i, p, o));
      out.push('');
    }
  } else if (report.kind === 'hunt') {
    out.push('No incidents.');
    out.push('');
  }
  const members = new Set(report.incidents.flatMap((i) => i.alerts));
  const loose = report.alerts.filter((a) => !members.has(a.id));
  if (loose.length && !o.detail) {
    out.push(p.bold(`ALERTS NOT IN AN INCIDENT (${loose.length})`));
    out.push(...alertGroups(loose, p));
    out.push('');
  }
  if (report.kind === 'hunt') {
    const gaps = report.coverage.rules.filter((r) => r.status !== 'evaluated');
    if (gaps.length) {
      out.push(p.bold(`COVERAGE GAPS (${gaps.length} of ${report.coverage.rules.length} rules not evaluated)`));
      for (const g of gaps) out.push(`  ${safe(g.rule, 20)} ${safe(g.title, 100)}: ${safe(g.reason ?? g.status, 300)}`);
      out.push('');
    }
    const partial = report.coverage.rules.filter((r) => r.status === 'evaluated' && r.limits?.length);
    if (partial.length) {
      out.push(p.bold(`PARTLY EVALUATED (${partial.length} rule${partial.length === 1 ? '' : 's'})`));
      for (const g of partial) for (const l of g.limits ?? []) out.push(`  ${safe(g.rule, 20)} ${safe(g.title, 100)}: ${safe(l, 300)}`);
      out.push('');
    }
    out.push(`input: ${s.records} records = ${s.events} events + ${s.duplicates} duplicates + ${s.filtered} filtered + ${s.quarantined} quarantined` +
      (report.skipped.length ? `; ${report.skipped.length} file(s) skipped (tenantwatch inspect explains)` : ''));
  }
  if (report.merged.length && report.kind === 'hunt') {
    out.push(`merged: ${report.merged.map((m) => `${safe(m.id, 40)} → ${safe(m.mergedInto, 40)}`).join(', ')}`);
  }
  return out.join('\n') + '\n';
}
