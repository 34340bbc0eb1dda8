// Reading Exchange cmdlet parameters as the unified audit log records them: every value is a string ("True",
// "-1", "198.51.100.0/24;203.0.113.0/24"), multi-valued properties are joined with ";" (sometimes ","), and a
// Set-* cmdlet may pass a PowerShell hashtable (@{Add="…"; Remove="…"}) to change a list in place.
import type { Event } from '../../core/event.js';
import { isObject, maybeJson } from '../../core/json.js';
import { strOrUndef } from '../../core/text.js';

/** The cmdlet's parameters (details.parameters), or {} when the record had none. */
export function paramsOf(ev: Event): Record<string, unknown> {
  const p = ev.details?.parameters;
  return isObject(p) ? p : {};
}

/** Case-insensitive parameter lookup; `has` tells "passed (maybe empty)" from "not passed". */
export function getParam(params: Record<string, unknown>, name: string): { has: boolean; value: unknown } {
  const l = name.toLowerCase();
  for (const [k, v] of Object.entries(params)) if (k.toLowerCase() === l) return { has: true, value: v };
  return { has: false, value: undefined };
}

/** A parameter as text ('' for a passed-but-empty value, undefined when not passed). */
export function paramText(params: Record<string, unknown>, name: string): string | undefined {
  const { has, value } = getParam(params, name);
  if (!has) return undefined;
  if (Array.isArray(value)) return value.map((x) => strOrUndef(x) ?? '').filter(Boolean).join(';');
  return strOrUndef(value) ?? '';
}

/** "True"/"$true"/"1" -> true, "False"/"$false"/"0" -> false; undefined when not passed or unreadable. */
export function paramBool(params: Record<string, unknown>, name: string): boolean | undefined {
  const { has, value } = getParam(params, name);
  if (!has) return undefined;
  return toBool(value);
}

export function toBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase().replace(/^\$/, '');
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return undefined;
}

/** How a multi-valued parameter changes the list: replace it, add/remove entries, or unreadable. */
export type ListChange = { set: string[] } | { add: string[]; remove: string[] } | { unreadable: string };

const splitList = (s: string): string[] => s.split(/[;,]/).map((x) => x.trim().replace(/^["']|["']$/g, '')).filter(Boolean);

function listOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap((x) => (typeof x === 'string' ? splitList(x) : typeof x === 'number' ? [String(x)] : []));
  if (typeof v === 'string') return splitList(v);
  return [];
}

/** Parse "@{Add="a","b"; Remove="c"}" (the PowerShell hashtable text) into add/remove lists. */
function hashtable(s: string): { add: string[]; remove: string[] } | undefined {
  const m = /^@\{(.*)\}$/s.exec(s.trim());
  if (!m) return undefined;
  const out = { add: [] as string[], remove: [] as string[] };
  for (const part of m[1]!.split(/;(?=\s*(?:add|remove)\s*=)/i)) {
    const kv = /^\s*(add|remove)\s*=\s*(.*)$/is.exec(part);
    if (!kv) continue;
    (kv[1]!.toLowerCase() === 'add' ? out.add : out.remove).push(...splitList(kv[2]!.replace(/;\s*$/, '')));
  }
  return out;
}

/** A multi-valued parameter; undefined when not passed. '' and '$null' clear the list. */
export function paramList(params: Record<string, unknown>, name: string): ListChange | undefined {
  const { has, value } = getParam(params, name);
  if (!has) return undefined;
  const v = maybeJson(value);
  if (v === null || v === undefined) return { set: [] };
  if (isObject(v)) {
    const add = v.Add ?? v.add, remove = v.Remove ?? v.remove;
    if (add !== undefined || remove !== undefined) return { add: listOf(add), remove: listOf(remove) };
    return { unreadable: JSON.stringify(v).slice(0, 80) };
  }
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '' || /^\$null$/i.test(s)) return { set: [] };
    const h = hashtable(s);
    if (h) return h;
    if (/^System\.Collections\./.test(s)) return { unreadable: s };
  }
  return { set: listOf(v) };
}

/** Apply a list change to a known list (undefined = unknown before: only a full replacement makes it known). */
export function applyList(before: string[] | undefined, change: ListChange): string[] | undefined {
  if ('set' in change) return change.set;
  if ('unreadable' in change) return undefined;
  if (before === undefined) return undefined;
  const drop = new Set(change.remove.map((x) => x.toLowerCase()));
  const out = before.filter((x) => !drop.has(x.toLowerCase()));
  for (const a of change.add) if (!out.some((x) => x.toLowerCase() === a.toLowerCase())) out.push(a);
  return out;
}

/** The number of addresses an Exchange IP entry covers: "203.0.113.5", "203.0.113.0/24", "a.b.c.d-e.f.g.h", IPv6. */
export function ipEntrySize(entry: string): { v6: boolean; prefix: number; addresses: number } | undefined {
  const s = entry.trim();
  const cidr = /^([0-9a-f:.]+)\/(\d{1,3})$/i.exec(s);
  if (cidr) {
    const v6 = cidr[1]!.includes(':');
    const prefix = Number(cidr[2]);
    if (prefix > (v6 ? 128 : 32)) return undefined;
    return { v6, prefix, addresses: 2 ** ((v6 ? 128 : 32) - prefix) };
  }
  const range = /^(\d+\.\d+\.\d+\.\d+)\s*-\s*(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (range) {
    const toInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
    const n = Math.abs(toInt(range[2]!) - toInt(range[1]!)) + 1;
    return { v6: false, prefix: 32 - Math.ceil(Math.log2(n)), addresses: n };
  }
  if (/^\d+\.\d+\.\d+\.\d+$/.test(s)) return { v6: false, prefix: 32, addresses: 1 };
  if (/^[0-9a-f:]+$/i.test(s) && s.includes(':')) return { v6: true, prefix: 128, addresses: 1 };
  return undefined;
}

/**
 * How wide a list of sender IP entries is. IPv4: 'wide' = an entry of /16 or larger, or 65,536+ addresses in all;
 * 'broad' = an entry larger than /24 (outside the /24–/32 the cmdlet documents) or more than 1,024 addresses in
 * all; else 'narrow'. IPv6 (not supported by the cmdlet, judged anyway): wide ≤ /32, broad < /48.
 */
export function ipBreadth(entries: readonly string[]): { breadth: 'none' | 'narrow' | 'broad' | 'wide'; addresses: number; widest?: string; unreadable: string[] } {
  let v4 = 0;
  let worst: 'none' | 'narrow' | 'broad' | 'wide' = entries.length ? 'narrow' : 'none';
  let widest: string | undefined;
  let widestPrefix = Infinity;
  const unreadable: string[] = [];
  const rank = { none: 0, narrow: 1, broad: 2, wide: 3 } as const;
  const raise = (b: 'broad' | 'wide') => {
    if (rank[b] > rank[worst]) worst = b;
  };
  for (const e of entries) {
    const sz = ipEntrySize(e);
    if (!sz) {
      unreadable.push(e);
      continue;
    }
    if (sz.prefix < widestPrefix) {
      widestPrefix = sz.prefix;
      widest = e.trim();
    }
    if (sz.v6) {
      if (sz.prefix <= 32) raise('wide');
      else if (sz.prefix < 48) raise('broad');
    } else {
      v4 += sz.addresses;
      if (sz.prefix <= 16) raise('wide');
      else if (sz.prefix < 24) raise('broad');
    }
  }
  if (v4 >= 65_536) raise('wide');
  else if (v4 > 1_024) raise('broad');
  const out: ReturnType<typeof ipBreadth> = { breadth: worst, addresses: v4, unreadable };
  if (widest) out.widest = widest;
  return out;
}

/** "smtp:*;1" (Get-InboundConnector) or "*" (cmdlet argument) -> "*"; lower-cased. */
export function senderDomain(entry: string): string {
  return entry.trim().replace(/^smtp:/i, '').replace(/;\d+$/, '').toLowerCase();
}

/** Lower-cased, trimmed object name for keys (connector / transport rule names are case-insensitive in Exchange). */
export const nameKey = (s: string): string => s.trim().toLowerCase();
