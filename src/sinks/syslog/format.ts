// RFC 5424 syslog messages for alerts:
//   <PRI>1 TIMESTAMP HOSTNAME APP-NAME - MSGID [tenantwatch@32473 alertId=".." revision=".." ...] MSG
// PRI = facility * 8 + severity (critical 2, high 3, medium 4, low 5, informational 6); TIMESTAMP is the alert's
// time (the triggering event's, UTC with milliseconds); PROCID is "-" so a repeated delivery is the same bytes;
// MSGID is the idempotency key (at most 32 printable characters: the 16-character alert id, ".rN" for revisions).
// 32473 is the enterprise number RFC 5612 reserves for documentation; SD-IDs must carry one.
// MSG is compact JSON (evidence without the raw record text) or, with format cef, an ArcSight CEF line — written
// without a BOM (MSG-ANY), because CEF receivers look for "CEF:" at the start of MSG.
import { terminalSafeJson, visibleControls } from '../../core/text.js';
import type { Alert, Severity } from '../../detect/alert.js';

export const SD_ID = 'tenantwatch@32473';

const SYSLOG_SEVERITY: Record<Severity, number> = { critical: 2, high: 3, medium: 4, low: 5, informational: 6 };
const CEF_SEVERITY: Record<Severity, number> = { informational: 1, low: 3, medium: 5, high: 8, critical: 10 };

export interface SyslogFormat {
  facility: number;
  hostname: string;
  appName: string;
  format: 'json' | 'cef';
  maxMessageBytes: number;
  version: string;
}

/**
 * PARAM-VALUE: escape '"', '\' and ']' (RFC 5424 6.3.3); control characters (a line break would start a forged
 * message on a line-framed transport) become visible \u{hex} escapes.
 */
export function sdValue(s: string): string {
  return visibleControls(s).replace(/[\\"\]]/g, (c) => `\\${c}`);
}

/** printable US-ASCII without spaces, or "-" (the NILVALUE) */
export function headerField(s: string | undefined, max: number): string {
  const t = (s ?? '').replace(/[^!-~]/g, '').slice(0, max);
  return t || '-';
}

export function syslogMessage(alert: Alert, key: string, f: SyslogFormat): string {
  const pri = f.facility * 8 + SYSLOG_SEVERITY[alert.severity];
  const sd = `[${SD_ID} alertId="${sdValue(alert.id)}" revision="${alert.revision}" rule="${sdValue(alert.rule)}" severity="${alert.severity}" tenant="${sdValue(alert.tenant)}"]`;
  const head = `<${pri}>1 ${alert.time} ${headerField(f.hostname, 255)} ${headerField(f.appName, 48)} - ${headerField(key, 32)} ${sd} `;
  const room = f.maxMessageBytes - Buffer.byteLength(head);
  return head + fit(f.format === 'cef' ? cefVariants(alert, key, f.version) : jsonVariants(alert, key), room);
}

/** The first variant that fits in `room` bytes; the last one cut to size (it still starts like the others). */
function fit(variants: string[], room: number): string {
  for (const v of variants) if (Buffer.byteLength(v) <= room) return v;
  const last = variants[variants.length - 1]!;
  let cut = Buffer.from(last).subarray(0, Math.max(0, room)).toString('utf8');
  if (cut.endsWith('\ufffd')) cut = cut.slice(0, -1);
  return cut;
}

function jsonVariants(a: Alert, key: string): string[] {
  const core = {
    idempotencyKey: key, id: a.id, revision: a.revision, rule: a.rule, title: a.title, severity: a.severity, time: a.time,
    firstSeen: a.firstSeen, lastSeen: a.lastSeen, tenant: a.tenant, key: a.key, tactics: a.tactics, techniques: a.techniques,
    occurrences: a.occurrences,
  };
  const evidence = a.evidence.map((e) => ({ eventId: e.eventId, time: e.time, source: e.source, action: e.action, summary: e.summary }));
  return [
    JSON.stringify({ ...core, explanation: a.explanation, entities: a.entities, facts: a.facts, evidence, evidenceTruncated: a.evidenceTruncated }),
    JSON.stringify({ ...core, explanation: a.explanation, entities: a.entities, facts: a.facts, evidenceTruncated: a.evidenceTruncated + evidence.length }),
    JSON.stringify({ ...core, explanation: a.explanation.slice(0, 1000), shortened: true }),
    JSON.stringify({ ...core, shortened: true }),
  ].map(terminalSafeJson);
}

/** CEF header field: escape '\' and '|', no line breaks, other control characters as visible \u{hex}. */
export function cefHeader(s: string): string {
  return visibleControls(s.replace(/[\r\n]+/g, ' ')).replace(/[\\|]/g, (c) => `\\${c}`);
}

/** CEF extension value: escape '\' and '=', line breaks as \n / \r, other control characters as visible \u{hex}. */
export function cefValue(s: string): string {
  return visibleControls(s, true).replace(/[\\=]/g, (c) => `\\${c}`).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

function cefVariants(a: Alert, key: string, version: string): string[] {
  const head = `CEF:0|tenantwatch|tenantwatch|${cefHeader(version)}|${cefHeader(a.rule)}|${cefHeader(a.title)}|${CEF_SEVERITY[a.severity]}|`;
  const user = a.entities.find((e) => e.type === 'user' && e.role === 'actor') ?? a.entities.find((e) => e.type === 'user');
  const target = a.entities.find((e) => e.type === 'user' && e !== user && e.role === 'target');
  const ip = a.entities.find((e) => e.type === 'ip');
  const app = a.entities.find((e) => e.type === 'app' || e.type === 'servicePrincipal');
  const ext = (msg: string | undefined) =>
    [
      ['rt', String(Date.parse(a.time))],
      ['start', String(Date.parse(a.firstSeen))],
      ['end', String(Date.parse(a.lastSeen))],
      ['externalId', key],
      ['cat', a.tactics.join(',')],
      ...(user ? [['suser', user.id]] : []),
      ...(target ? [['duser', target.id]] : []),
      ...(ip ? [['src', ip.id]] : []),
      ['cs1Label', 'alertId'], ['cs1', a.id],
      ['cs2Label', 'tenant'], ['cs2', a.tenant],
      ['cs3Label', 'techniques'], ['cs3', a.techniques.join(',')],
      ...(app ? [['cs4Label', 'app'], ['cs4', app.display ? `${app.display} (${app.id})` : app.id]] : []),
      ['cs5Label', 'groupKey'], ['cs5', a.key],
      ['cn1Label', 'revision'], ['cn1', String(a.revision)],
      ['cn2Label', 'occurrences'], ['cn2', String(a.occurrences)],
      ...(msg !== undefined ? [['msg', msg]] : []),
    ]
      .map(([k, v]) => `${k}=${cefValue(v!)}`)
      .join(' ');
  return [head + ext(a.explanation), head + ext(a.explanation.slice(0, 1000)), head + ext(undefined)];
}
