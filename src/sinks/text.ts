// Text for chat messages. Alert titles, explanations and entity names carry attacker-chosen text (app display
// names, UPNs of failed sign-ins, connector names): control and bidi characters are removed, lengths capped, and
// each chat dialect's markup is escaped so that text cannot become a link, a mention or formatting.
import type { Alert, Entity } from '../detect/alert.js';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g;

/** One line of plain text: controls removed, newlines kept only when `multiline`, capped at `max` characters. */
export function plain(s: unknown, max: number, multiline = false): string {
  let t = typeof s === 'string' ? s : s === undefined || s === null ? '' : String(s);
  t = t.replace(/\r\n?/g, '\n').replace(CONTROL, '');
  if (!multiline) t = t.replace(/[\n\t]+/g, ' ');
  return t.length > max ? `${t.slice(0, Math.max(0, max - 1))}…` : t;
}

/** Slack mrkdwn: &, < and > are the only control characters (links and mentions need < >). */
export function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Adaptive Card TextBlock markdown: backslash-escape what makes links, emphasis, lists and headings. */
export function cardEscape(s: string): string {
  return s.replace(/[\\`*_[\]()<>#~|]/g, (c) => `\\${c}`).replace(/^(\s*)([-+]|\d+\.)\s/gm, (_m, sp: string, b: string) => `${sp}\\${b} `);
}

export const SEVERITY_LABEL: Record<Alert['severity'], string> = {
  informational: 'INFO',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

/** The entities worth a line in a chat message, most telling first, as "type: name" (at most `n`). */
export function entityLines(entities: readonly Entity[], n = 6): string[] {
  const order: Entity['type'][] = ['user', 'app', 'servicePrincipal', 'ip', 'connector', 'transportRule', 'inboxRule', 'mailbox', 'domain', 'role'];
  const picked = [...entities]
    .filter((e) => order.includes(e.type))
    .sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type))
    .slice(0, n);
  return picked.map((e) => `${e.type}${e.role ? ` (${e.role})` : ''}: ${plain(e.display && e.display !== e.id ? `${e.display} — ${e.id}` : e.id, 160)}`);
}

export function revisionNote(a: Alert): string {
  return a.revision > 1 ? `revision ${a.revision}: ${a.occurrences} occurrence${a.occurrences === 1 ? '' : 's'} up to ${a.lastSeen}` : '';
}
