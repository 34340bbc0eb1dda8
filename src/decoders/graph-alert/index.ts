// Microsoft Graph security alerts v2 (GET /security/alerts_v2): Microsoft's own detections (Defender XDR, Defender
// for Office 365 / Cloud Apps, Entra ID Protection …). One alert -> one Event (source 'security.alert', action
// 'alert'). Actor and targets come from the evidence list; every entity of the alert becomes a target.
import type { Actor, Event, Target } from '../../core/event.js';
import { stableId } from '../../core/ids.js';
import { cleanIp } from '../../core/ip.js';
import { getCI, isObject } from '../../core/json.js';
import { isoUtc, parseTime } from '../../core/time.js';
import { lowerOrUndef, normalizeOperation, strOrUndef } from '../../core/text.js';
import { rawRef } from '../entra-audit/audit-record.js';
import { events, quarantine, type Decoder, type RawRecord, type DecodeResult } from '../types.js';

const EVIDENCE_NS = '#microsoft.graph.security.';
/** Roles that make an entity the one acting, in order of preference. */
const ACTOR_ROLES = ['attacker', 'source', 'compromised', 'suspicious'];

interface Evidence {
  kind: string; // "userEvidence", "ipEvidence", …
  roles: string[];
  o: Record<string, unknown>;
}

function evidenceList(v: unknown): Evidence[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((o) => {
    const t = strOrUndef(o['@odata.type']) ?? '';
    const kind = t.startsWith(EVIDENCE_NS) ? t.slice(EVIDENCE_NS.length) : t.replace(/^#?microsoft\.graph\.security\./, '');
    const roles = Array.isArray(o.roles) ? o.roles.map((r) => lowerOrUndef(r)).filter((r): r is string => !!r) : [];
    return { kind, roles, o };
  });
}

/** The evidence item whose role best says "this one acted"; the first of its kind otherwise. */
function pick(list: Evidence[]): Evidence | undefined {
  for (const role of ACTOR_ROLES) {
    const hit = list.find((e) => e.roles.includes(role));
    if (hit) return hit;
  }
  return list[0];
}

interface UserRef {
  upn?: string;
  id?: string;
  name?: string;
}

function userOf(account: unknown): UserRef {
  const u: UserRef = {};
  const upn = lowerOrUndef(getCI(account, 'userPrincipalName'));
  const id = lowerOrUndef(getCI(account, 'azureAdUserId'));
  const name = strOrUndef(getCI(account, 'displayName')) ?? strOrUndef(getCI(account, 'accountName'));
  if (upn) u.upn = upn;
  if (id) u.id = id;
  if (name) u.name = name;
  return u;
}

function targetsOf(ev: Evidence[]): Target[] {
  const out: Target[] = [];
  for (const e of ev) {
    const o = e.o;
    const t: Target = { type: 'other' };
    switch (e.kind) {
      case 'userEvidence': {
        const u = userOf(o.userAccount);
        t.type = 'user';
        if (u.id) t.id = u.id;
        if (u.upn ?? u.name) t.name = u.upn ?? u.name;
        break;
      }
      case 'mailboxEvidence': {
        t.type = 'mailbox';
        const addr = lowerOrUndef(o.primaryAddress) ?? lowerOrUndef(o.upn) ?? userOf(o.userAccount).upn;
        const id = userOf(o.userAccount).id;
        if (id) t.id = id;
        if (addr ?? strOrUndef(o.displayName)) t.name = addr ?? strOrUndef(o.displayName);
        break;
      }
      case 'oauthApplicationEvidence': {
        t.type = 'app'; // objectId is the application object per the Graph docs
        const id = lowerOrUndef(o.objectId);
        const appId = lowerOrUndef(o.appId);
        const name = strOrUndef(o.displayName);
        if (id) t.id = id;
        if (appId) t.appId = appId;
        if (name) t.name = name;
        break;
      }
      case 'cloudApplicationEvidence': {
        // appId here is a Defender for Cloud Apps catalogue number, not an Entra appId
        const id = strOrUndef(o.appId);
        const name = strOrUndef(o.displayName) ?? strOrUndef(o.instanceName);
        if (id) t.id = `mdca:${id}`;
        if (name) t.name = name;
        break;
      }
      case 'deviceEvidence': {
        t.type = 'device';
        const id = lowerOrUndef(o.azureAdDeviceId) ?? strOrUndef(o.mdeDeviceId);
        const name = strOrUndef(o.deviceDnsName);
        if (id) t.id = id;
        if (name) t.name = name;
        break;
      }
      default:
        continue; // ip (actor / details.ips), file, process, url, mail clusters: not directory entities
    }
    if (t.id || t.name) out.push(t);
  }
  return out;
}

function actorOf(ev: Evidence[]): Actor {
  const user = pick(ev.filter((e) => e.kind === 'userEvidence'));
  const mailbox = pick(ev.filter((e) => e.kind === 'mailboxEvidence'));
  const app = pick(ev.filter((e) => e.kind === 'oauthApplicationEvidence'));
  const ip = pick(ev.filter((e) => e.kind === 'ipEvidence' && cleanIp(e.o.ipAddress)));
  let actor: Actor = { kind: 'unknown' };
  let u: UserRef | undefined;
  if (user) u = userOf(user.o.userAccount);
  else if (mailbox) {
    u = userOf(mailbox.o.userAccount);
    u.upn ??= lowerOrUndef(mailbox.o.upn) ?? lowerOrUndef(mailbox.o.primaryAddress);
  }
  if (u && (u.upn || u.id)) {
    actor = { kind: 'user' };
    if (u.upn) actor.user = u.upn;
    if (u.id) actor.userId = u.id;
    if (u.name) actor.displayName = u.name;
  } else if (app) {
    actor = { kind: 'app' };
    const appId = lowerOrUndef(app.o.appId);
    const name = strOrUndef(app.o.displayName);
    if (appId) actor.appId = appId;
    if (name) actor.appName = name;
  }
  if (ip) {
    const c = cleanIp(ip.o.ipAddress)!;
    actor.ip = c.ip;
    const country = strOrUndef(ip.o.countryLetterCode)?.toUpperCase();
    if (country) actor.geo = { country, from: 'record' };
  }
  return actor;
}

function stringArray(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const a = v.map((x) => strOrUndef(x)).filter((x): x is string => !!x);
  return a.length ? a : undefined;
}

export function alertEvent(a: Record<string, unknown>, rec: RawRecord, format: string): DecodeResult {
  const time = parseTime(a.firstActivityDateTime) ?? parseTime(a.createdDateTime);
  if (time === undefined) return quarantine('alert has no usable firstActivityDateTime/createdDateTime; check the export kept those fields');
  const ev = evidenceList(a.evidence);
  const title = strOrUndef(a.title);

  const details: Record<string, unknown> = {};
  const put = (k: string, v: unknown): void => {
    if (v !== undefined) details[k] = v;
  };
  put('title', title);
  put('severity', strOrUndef(a.severity));
  put('category', strOrUndef(a.category));
  put('mitreTechniques', stringArray(a.mitreTechniques));
  put('serviceSource', strOrUndef(a.serviceSource));
  put('detectionSource', strOrUndef(a.detectionSource));
  put('status', strOrUndef(a.status));
  put('classification', strOrUndef(a.classification));
  put('determination', strOrUndef(a.determination));
  put('incidentId', strOrUndef(a.incidentId));
  put('providerAlertId', strOrUndef(a.providerAlertId));
  put('detectorId', strOrUndef(a.detectorId));
  put('description', strOrUndef(a.description));
  const iso = (v: unknown): string | undefined => {
    const t = parseTime(v);
    return t === undefined ? undefined : isoUtc(t);
  };
  put('createdTime', iso(a.createdDateTime));
  put('lastActivityTime', iso(a.lastActivityDateTime));
  put('alertWebUrl', strOrUndef(a.alertWebUrl));
  const ips = [...new Set(ev.filter((e) => e.kind === 'ipEvidence').map((e) => cleanIp(e.o.ipAddress)?.ip).filter((x): x is string => !!x))];
  if (ips.length) details.ips = ips;
  const kinds = [...new Set(ev.map((e) => e.kind).filter((k) => k !== ''))];
  if (kinds.length) details.evidenceTypes = kinds;

  const e: Event = {
    id: strOrUndef(a.id) ?? stableId(format, rec.text),
    time,
    tenant: lowerOrUndef(a.tenantId) ?? 'unknown',
    source: 'security.alert',
    action: 'alert',
    operation: normalizeOperation(title) || 'Alert',
    outcome: 'unknown',
    actor: actorOf(ev),
    targets: targetsOf(ev),
    details,
    raw: rawRef(rec, format),
  };
  return events(e);
}

export const graphAlert: Decoder = {
  id: 'graph.alert',
  title: 'Microsoft Graph security alert v2 (/security/alerts_v2)',
  container: 'json',
  matchRecord: (v) =>
    v['@odata.type'] === '#microsoft.graph.security.alert' ||
    ('providerAlertId' in v && 'serviceSource' in v && ('createdDateTime' in v || 'firstActivityDateTime' in v)),
  decode: (rec) => alertEvent(rec.value, rec, 'graph.alert'),
};

export const graphAlertDecoders: Decoder[] = [graphAlert];
