// The alert contract: what every rule emits, every sink stores and every report shows.
// Documented in docs/alerts.md, machine-checked by docs/alert.schema.json. Changing a field here is a breaking
// change of that contract: bump ALERT_SCHEMA_VERSION and say so in docs/alerts.md.
import type { Action, Event, SourceKind, TextAt } from '../core/event.js';
import type { TacticName } from './attack.js';

export const ALERT_SCHEMA_VERSION = 1;

export type Severity = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['informational', 'low', 'medium', 'high', 'critical'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export type EntityType =
  | 'user'
  | 'ip'
  | 'asn'
  | 'app'
  | 'servicePrincipal'
  | 'role'
  | 'connector'
  | 'transportRule'
  | 'inboxRule'
  | 'mailbox'
  | 'domain'
  | 'session'
  | 'device'
  | 'tenant';

export const ENTITY_TYPES: readonly EntityType[] = [
  'user', 'ip', 'asn', 'app', 'servicePrincipal', 'role', 'connector', 'transportRule', 'inboxRule', 'mailbox',
  'domain', 'session', 'device', 'tenant',
];

export interface Entity {
  type: EntityType;
  /** canonical id: user = lower-cased UPN (object id when no UPN), app = appId, ip = clean IP, asn = "AS64500" */
  id: string;
  /** other names of the same thing (object ids, display names, UPN vs object id) for correlation */
  aliases?: string[];
  /** what a person should read; attacker-controlled text, escape on output */
  display?: string;
  /** how the entity took part: who acted, what was acted on, where from */
  role?: 'actor' | 'target' | 'source';
}

export interface EvidenceRaw {
  file: string;
  line?: number;
  format: string;
  /** the record's own text (capped, see textTruncated), so evidence survives stdin and gzip */
  text?: string;
  textTruncated?: boolean;
  /** why the text is missing (live watch: detection state gave it up to stay within its memory budget; a hunt:
   * the input file changed before the text was read back from it) */
  textDropped?: string;
  /** @internal evidence held in detection state: the text waits in the engine's TextStore (never in an alert) */
  ref?: number;
  /** @internal the text is still in the input file (RawRef.at); read back when an alert is built (never in an alert) */
  at?: TextAt;
}

export interface Evidence {
  eventId: string;
  time: string; // ISO 8601 UTC
  source: SourceKind;
  action: Action;
  operation?: string;
  outcome?: string;
  summary: string;
  raw: EvidenceRaw;
}

export interface Alert {
  schemaVersion: typeof ALERT_SCHEMA_VERSION;
  /** deterministic: stableId(rule, tenant, key, anchor) — re-processing the same events yields the same id */
  id: string;
  rule: string;
  title: string;
  severity: Severity;
  /** ISO UTC time of the event that triggered the alert */
  time: string;
  /** first and last event time among all evidence (also the suppressed repeats) */
  firstSeen: string;
  lastSeen: string;
  tenant: string;
  /** what the rule grouped by (an IP, an appId, "user|ip"...), as the rule built it */
  key: string;
  tactics: TacticName[];
  techniques: string[];
  entities: Entity[];
  /** plain language, with the numbers that triggered it */
  explanation: string;
  /** the same numbers, machine-readable */
  facts: Record<string, number | string | boolean | string[]>;
  evidence: Evidence[];
  /** evidence items left out because of the per-alert cap */
  evidenceTruncated: number;
  /** 1 when first emitted; +1 for each update of the same alert (same id) that folds in repeats */
  revision: number;
  /** how many times the rule triggered for this key during the suppression period (>= 1) */
  occurrences: number;
}

export const RAW_TEXT_CAP = 16_384;

/** ISO string of an epoch-ms time. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A short one-line description of an event for evidence lists. Rules may provide their own. */
export function defaultSummary(ev: Event): string {
  const parts: string[] = [ev.operation || ev.action];
  if (ev.outcome !== 'success' && ev.outcome !== 'unknown') parts.push(ev.outcome);
  if (ev.reason?.code && ev.reason.code !== '0') parts.push(`(${ev.reason.code})`);
  // a person acting through an app (Exchange's own AppId on a mailbox change) is named by who they are
  const a = ev.actor;
  const who = a.kind === 'app' ? (a.appName ?? a.appId ?? a.spId) : (a.user ?? a.userId ?? a.displayName ?? a.appName ?? a.appId);
  if (who) parts.push(`by ${who}`);
  if (ev.actor.ip) parts.push(`from ${ev.actor.ip}`);
  const target = ev.targets[0];
  if (target && (target.name || target.id)) parts.push(`on ${target.type} ${target.name ?? target.id}`);
  return parts.join(' ');
}

/** The record's text on evidence, cut to RAW_TEXT_CAP (textTruncated then says so). */
export function setEvidenceText(raw: EvidenceRaw, text: string): void {
  if (text.length > RAW_TEXT_CAP) {
    raw.text = text.slice(0, RAW_TEXT_CAP);
    raw.textTruncated = true;
  } else raw.text = text;
}

export function evidenceOf(ev: Event, summary?: string): Evidence {
  const text = ev.raw.text;
  const raw: EvidenceRaw = { file: ev.raw.file, format: ev.raw.format };
  if (ev.raw.line !== undefined) raw.line = ev.raw.line;
  if (ev.raw.ref !== undefined) {
    // an event held in state: the text is put back when an alert is built
    raw.ref = ev.raw.ref;
    if (ev.raw.refTruncated) raw.textTruncated = true;
  } else if (text !== undefined) setEvidenceText(raw, text);
  else if (ev.raw.at !== undefined) raw.at = ev.raw.at;
  const line = summary ?? defaultSummary(ev);
  // a summary built by concatenation is a tree of its pieces; flatten it (reading a character does) so evidence
  // held in state for hours keeps one short string, not every piece
  line.charCodeAt(0);
  const e: Evidence = {
    eventId: ev.id,
    time: iso(ev.time),
    source: ev.source,
    action: ev.action,
    summary: line,
    raw,
  };
  if (ev.operation) e.operation = ev.operation;
  e.outcome = ev.outcome;
  return e;
}
