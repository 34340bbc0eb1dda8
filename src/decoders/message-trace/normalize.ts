// Shared normalization for every Exchange Online message-trace format (Reporting Web Service / PowerShell JSON,
// Graph exchangeMessageTrace, Get-MessageTrace CSV, EAC summary export, historical search reports).
// Each decoder reduces its record to `TraceFields`; `buildTraceEvent` turns those into one Event per recipient.
// See docs/formats/message-trace.md for the assumptions (direction heuristics, status vocabulary, ids).
import type { Action, Event, Outcome, Target } from '../../core/event.js';
import { stableId } from '../../core/ids.js';
import { cleanIp } from '../../core/ip.js';
import type { RawRecord } from '../types.js';

export const SOURCE = 'exchange.messagetrace' as const;

/** What a decoder extracted from one record (one recipient). Strings are as the source wrote them. */
export interface TraceFields {
  time: number;
  sender?: string;
  recipient?: string;
  subject?: string;
  messageId?: string;
  /** MessageTraceId (RWS/PowerShell/Graph `id`) or network_message_id (historical reports): the same GUID */
  messageTraceId?: string;
  /** status in the Get-MessageTrace vocabulary (see normalizeStatus) */
  status?: string;
  outcome: Outcome;
  size?: number;
  fromIp?: string;
  toIp?: string;
  /** RWS/PowerShell `Organization`: the tenant's default domain (a tenant domain for sure, not its only one) */
  organization?: string;
  /** tenant GUID when the record has one (historical extended report tenant_id) */
  tenant?: string;
  /** raw directionality value (historical reports: Originating/Incoming or 2/1) */
  directionality?: string;
  connector?: string;
  /** format-specific extras merged into details (kept small) */
  extra?: Record<string, unknown>;
  /** distinguishes several events of one recipient in one message (extended report event rows) */
  idSuffix?: string;
}

export type Direction = 'inbound' | 'outbound' | 'internal' | 'unknown';
export type DirectionBasis = 'directionality' | 'organization' | 'ips' | 'none';

const STATUS: Record<string, { status: string; outcome: Outcome }> = {
  delivered: { status: 'Delivered', outcome: 'success' },
  expanded: { status: 'Expanded', outcome: 'success' },
  resolved: { status: 'Resolved', outcome: 'success' },
  failed: { status: 'Failed', outcome: 'failure' },
  filteredasspam: { status: 'FilteredAsSpam', outcome: 'failure' },
  quarantined: { status: 'Quarantined', outcome: 'failure' },
  gettingstatus: { status: 'GettingStatus', outcome: 'unknown' },
  pending: { status: 'Pending', outcome: 'unknown' },
  none: { status: 'None', outcome: 'unknown' },
};

/**
 * Map a status as any format spells it ("Delivered", Graph "filteredAsSpam", EAC "Filtered as spam") onto the
 * Get-MessageTrace vocabulary and an outcome. Unknown values are kept as written with outcome 'unknown'.
 */
export function normalizeStatus(raw: unknown): { status?: string; outcome: Outcome } {
  if (typeof raw !== 'string' || raw.trim() === '') return { outcome: 'unknown' };
  const hit = STATUS[raw.toLowerCase().replace(/[^a-z]/g, '')];
  return hit ? { ...hit } : { status: raw.trim(), outcome: 'unknown' };
}

/** Historical-report delivery events ("Receive, Deliver") -> status and outcome, judged by the last event. */
export function statusFromEvents(events: string[]): { status?: string; outcome: Outcome } {
  const last = events.length ? events[events.length - 1]!.toLowerCase() : '';
  switch (last) {
    case 'deliver':
    case 'send':
      return { status: 'Delivered', outcome: 'success' };
    case 'expand':
      return { status: 'Expanded', outcome: 'success' };
    case 'resolve':
    case 'resolved':
      return { status: 'Resolved', outcome: 'success' };
    case 'fail':
    case 'drop':
    case 'badmail':
    case 'poisonmessage':
      return { status: 'Failed', outcome: 'failure' };
    case 'defer':
    case 'receive':
    case 'submit':
      return { status: 'Pending', outcome: 'unknown' };
    case '':
      return { outcome: 'unknown' };
    default:
      return { status: events[events.length - 1], outcome: 'unknown' };
  }
}

/** "alias@contoso.com" -> "contoso.com"; undefined when it isn't an address. */
export function domainOf(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const at = address.lastIndexOf('@');
  if (at < 0 || at === address.length - 1) return undefined;
  return address.slice(at + 1).replace(/>$/, '').toLowerCase();
}

/** Lower-cased address without angle brackets or a "smtp:" prefix. */
export function normalizeAddress(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().replace(/^smtp:/i, '').replace(/^<(.*)>$/, '$1').trim().toLowerCase();
  return s === '' || s === '<>' ? undefined : s;
}

/** MessageTraceId and network_message_id are one GUID; historical reports may write it without dashes. */
export function normalizeTraceId(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().replace(/^\{(.*)\}$/, '$1').toLowerCase();
  if (s === '') return undefined;
  if (/^[0-9a-f]{32}$/.test(s)) return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  return s;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (v: unknown): v is string => typeof v === 'string' && GUID.test(v.trim());

/** Historical reports: "Originating"/"2"/"Outbound" = sent by the tenant; "Incoming"/"1"/"Inbound" = received. */
export function directionFromDirectionality(v: string | undefined): 'inbound' | 'outbound' | undefined {
  if (!v) return undefined;
  const k = v.trim().toLowerCase();
  if (['originating', 'outbound', 'outgoing', 'sent', 'send', '2'].includes(k)) return 'outbound';
  if (['incoming', 'inbound', 'received', 'receive', '1'].includes(k)) return 'inbound';
  return undefined;
}

/**
 * Decide the direction from what the record itself reveals, strongest evidence first:
 * 1. a directionality column; 2. the Organization domain (a tenant domain) against sender/recipient domains;
 * 3. the IP shape: ToIP is blank for mail received by Exchange Online and FromIP is blank for mail sent from
 *    an Exchange Online mailbox (Get-MessageTrace / EAC docs). Both present means the message came in from an
 *    outside server and left for an outside MX — relayed (hybrid routing, or an abused inbound connector) — and
 *    stays 'unknown' with `relayed: true`. The detection stage decides outbound-ness from accepted domains.
 */
export function decideDirection(f: TraceFields, fromIp: string | undefined, toIp: string | undefined): {
  direction: Direction;
  basis: DirectionBasis;
  relayed?: boolean;
} {
  const byColumn = directionFromDirectionality(f.directionality);
  if (byColumn) return { direction: byColumn, basis: 'directionality' };
  const org = f.organization?.trim().toLowerCase();
  if (org && org.includes('.')) {
    const fromOrg = domainOf(normalizeAddress(f.sender)) === org;
    const toOrg = domainOf(normalizeAddress(f.recipient)) === org;
    if (fromOrg && toOrg) return { direction: 'internal', basis: 'organization' };
    if (fromOrg) return { direction: 'outbound', basis: 'organization' };
    if (toOrg) return { direction: 'inbound', basis: 'organization' };
  }
  // ToIP is blank for mail that was never handed to a next hop — filtered, quarantined, failed — whichever way it
  // was going: for those a lone FromIP says nothing about direction (an abused inbound connector's spam that EOP
  // filtered looks exactly like filtered inbound spam); the detection stage judges them by the tenant's domains
  if (fromIp && !toIp && UNDELIVERED.test(f.status ?? '')) return { direction: 'unknown', basis: 'none' };
  if (fromIp && !toIp) return { direction: 'inbound', basis: 'ips' };
  if (!fromIp && toIp) return { direction: 'outbound', basis: 'ips' };
  if (fromIp && toIp) return { direction: 'unknown', basis: 'ips', relayed: true };
  return { direction: 'unknown', basis: 'none' };
}

/** Statuses of messages that did not reach a next hop (no ToIP whatever their direction). */
const UNDELIVERED = /^(filteredasspam|quarantined|failed|pending|gettingstatus)$/i;

const blank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** One normalized Event for one recipient of one message. */
export function buildTraceEvent(f: TraceFields, rec: RawRecord, format: string): Event {
  const sender = normalizeAddress(f.sender);
  const recipient = normalizeAddress(f.recipient);
  const from = cleanIp(f.fromIp);
  const to = cleanIp(f.toIp);
  const fromIpText = from?.ip ?? (blank(f.fromIp) ? undefined : String(f.fromIp).trim());
  const toIpText = to?.ip ?? (blank(f.toIp) ? undefined : String(f.toIp).trim());
  const dir = decideDirection(f, fromIpText, toIpText);
  const action: Action = dir.direction === 'inbound' ? 'mail.receive' : 'mail.send';
  const traceId = normalizeTraceId(f.messageTraceId);

  const targets: Target[] = [];
  if (recipient) targets.push({ type: 'mailbox', name: recipient });
  const messageId = blank(f.messageId) ? undefined : String(f.messageId).trim();
  const subject = typeof f.subject === 'string' && f.subject !== '' ? f.subject : undefined; // attacker text: data only
  if (messageId || subject) {
    const t: Target = { type: 'message' };
    if (messageId) t.id = messageId;
    if (subject !== undefined) t.name = subject;
    targets.push(t);
  }

  const details: Record<string, unknown> = {};
  const put = (k: string, v: unknown): void => {
    if (!blank(v)) details[k] = v;
  };
  put('status', f.status);
  put('size', f.size);
  put('messageId', messageId);
  put('messageTraceId', traceId);
  put('fromIp', fromIpText);
  put('toIp', toIpText);
  put('senderDomain', domainOf(sender));
  put('recipientDomain', domainOf(recipient));
  details.direction = dir.direction;
  details.directionBasis = dir.basis;
  if (dir.relayed) details.relayed = true;
  put('connector', f.connector);
  put('organization', f.organization?.trim().toLowerCase());
  for (const [k, v] of Object.entries(f.extra ?? {})) put(k, v);

  const actor: Event['actor'] = { kind: 'user' };
  if (sender) actor.user = sender;
  if (from) {
    actor.ip = from.ip;
    if (from.port !== undefined) actor.port = from.port;
  }

  const id = traceId
    ? [traceId, recipient ?? '', ...(f.idSuffix ? [f.idSuffix] : [])].join('/')
    : messageId
      ? stableId('messagetrace', messageId, recipient, f.time, sender, f.idSuffix)
      : stableId(rec.text);

  const raw: Event['raw'] = { file: rec.file, format };
  if (rec.line !== undefined) raw.line = rec.line;
  if (rec.offset !== undefined) raw.offset = rec.offset;
  raw.text = rec.text;

  return {
    id,
    time: f.time,
    tenant: isGuid(f.tenant) ? f.tenant.trim().toLowerCase() : 'unknown',
    source: SOURCE,
    action,
    operation: f.status ?? 'MessageTrace',
    outcome: f.outcome,
    actor,
    targets,
    details,
    raw,
  };
}

/** The quarantine reason for a record without a usable time. */
export function noTimeReason(field: string, value: unknown): string {
  const shown = blank(value) ? 'missing' : `unparseable (${JSON.stringify(String(value).slice(0, 60))})`;
  return `message trace record has no usable ${field} time: ${shown}; fix or drop the row (times must be ISO, /Date(ms)/ or M/d/yyyy h:mm:ss AM)`;
}
