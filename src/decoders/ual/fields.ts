// Small readers for UAL fields. UAL is PascalCase, but Sentinel and Graph copies drift in case and type
// ("RecordType": 50 / "50", "ExternalAccess": false / "False", Parameters as an array or as JSON text),
// so every read is case-insensitive (field) and goes through the type-drift helpers.
import { cleanIp } from '../../core/ip.js';
import { isObject, maybeJson, nameValueMap } from '../../core/json.js';
import { boolOrUndef, strOrUndef } from '../../core/text.js';
import type { Outcome } from '../../core/event.js';

export type Rec = Record<string, unknown>;

// A normalizer asks a record for ~40 fields, most of them absent; a per-record lower-case key index makes the
// case-insensitive miss one Map lookup instead of a scan. Records are not mutated once normalizing starts.
const KEY_INDEX = new WeakMap<object, Map<string, string>>();

/** Case-insensitive field read (exact key first). */
export function field(r: Rec, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(r, key)) return r[key];
  let idx = KEY_INDEX.get(r);
  if (!idx) {
    idx = new Map();
    for (const k of Object.keys(r)) {
      const l = k.toLowerCase();
      if (!idx.has(l)) idx.set(l, k);
    }
    KEY_INDEX.set(r, idx);
  }
  const k = idx.get(key.toLowerCase());
  return k === undefined ? undefined : r[k];
}
export const str = (r: Rec, key: string): string | undefined => strOrUndef(field(r, key));
export const bool = (r: Rec, key: string): boolean | undefined => boolOrUndef(field(r, key));

/** A [{Name,Value}] list (or JSON text holding one) as a map; {} when absent. */
export function nvMap(r: Rec, key: string): Record<string, unknown> {
  return nameValueMap(maybeJson(field(r, key)));
}

/** An object field that may arrive as JSON text (Sentinel dynamic columns, CSV cells). */
export function obj(r: Rec, key: string): Rec | undefined {
  const v = maybeJson(field(r, key));
  return isObject(v) ? v : undefined;
}

/** An array field that may arrive as JSON text. */
export function arr(r: Rec, key: string): unknown[] | undefined {
  const v = maybeJson(field(r, key));
  return Array.isArray(v) ? v : undefined;
}

/** A Name/Value map entry as a trimmed string ('' and '<null>' count as absent). */
export function nvStr(m: Record<string, unknown>, key: string): string | undefined {
  const v = m[key];
  return strOrUndef(Array.isArray(v) ? v[v.length - 1] : v);
}

const UPN = /^[^\s@:/\\]+@[^\s@:/\\]+\.[^\s@:/\\]+$/;

export const isUpn = (s: string | undefined): boolean => s !== undefined && UPN.test(s);
export { isGuid } from '../../core/ids.js';

/** Lower-cased UPN / SMTP address, "SMTP:" prefix dropped; undefined when it isn't one. */
export function upnOrUndef(s: unknown): string | undefined {
  const v = strOrUndef(s)?.replace(/^smtp:/i, '');
  return v && isUpn(v) ? v.toLowerCase() : undefined;
}

// Microsoft first-party app ids share two shapes (Office 365: ...-0000-0ff1-ce00-..., legacy AAD:
// ...-0000-0000-c000-...). An Exchange cmdlet run through one of them was typed by a person, not an app.
const FIRST_PARTY = /^[0-9a-f]{8}-0000-0(?:ff1-ce00|000-c000)-000000000000$/i;
export const isFirstPartyAppId = (s: string | undefined): boolean => s !== undefined && FIRST_PARTY.test(s);

/**
 * ResultStatus -> outcome. Seen: Succeeded/Success/Successful/True/TRUE (success), Failed/False (failure),
 * PartiallySucceeded (the change happened in part: success), New/Active/... (unknown).
 * NB UserLoginFailed carries "Success" (the HTTP result), so sign-ins don't use this.
 */
export function resultOutcome(v: unknown): Outcome {
  const s = strOrUndef(v)?.toLowerCase();
  if (!s) return 'unknown';
  if (['succeeded', 'success', 'successful', 'true', 'partiallysucceeded'].includes(s)) return 'success';
  if (['failed', 'failure', 'false', 'fail'].includes(s)) return 'failure';
  return 'unknown';
}

export interface PickedIp {
  ip?: string;
  port?: number;
  /** the raw value when a field was present but held no IP (hostname, "localhost:123") */
  unparsed?: string;
}

/** First clean IP among the given fields, in order. */
export function pickIp(r: Rec, keys: string[]): PickedIp {
  let unparsed: string | undefined;
  for (const k of keys) {
    const raw = str(r, k);
    if (raw === undefined) continue;
    const c = cleanIp(raw);
    if (c) return c.port === undefined ? { ip: c.ip } : { ip: c.ip, port: c.port };
    unparsed ??= raw;
  }
  return unparsed === undefined ? {} : { unparsed };
}

/** Drop undefined members so goldens and equality stay stable. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/** Split a recipient list ("a@x.com;b@y.com", arrays) into lower-cased addresses. */
export function addresses(v: unknown): string[] {
  const parts: unknown[] = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[;,]/) : [];
  const out: string[] = [];
  for (const p of parts) {
    const a = upnOrUndef(typeof p === 'string' ? p.trim().replace(/^"|"$/g, '') : p);
    if (a && !out.includes(a)) out.push(a);
  }
  return out;
}
