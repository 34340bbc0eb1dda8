// Field access over the three spellings of one signIn: Graph camelCase, Graph PowerShell SDK / Log Analytics
// PascalCase, and Log Analytics dynamic columns that arrive as JSON text. Every getter is case-insensitive,
// takes aliases in priority order, and treats null / "" / "<null>" as absent.
import { isObject, maybeJson } from '../../core/json.js';
import { numOrUndef, strOrUndef } from '../../core/text.js';

export type Obj = Record<string, unknown>;

// Case-insensitive lookups. A signIn is read ~60 times per record and most optional keys are absent, so a miss
// consults a lower-case index of the object. Indexes live in a few reusable slots (the objects of the record being
// decoded), so decoding allocates no per-record maps; lower-cased key strings are cached.
const LOWER = new Map<string, string>();
function lower(k: string): string {
  let l = LOWER.get(k);
  if (l === undefined) {
    l = k.toLowerCase();
    if (LOWER.size < 100_000) LOWER.set(k, l);
  }
  return l;
}
interface Slot {
  obj: object | null;
  idx: Map<string, string>; // lower-case key -> key as written (first spelling wins)
}
const SLOTS: Slot[] = Array.from({ length: 8 }, () => ({ obj: null, idx: new Map() }));
let nextSlot = 0;
function indexFor(r: Obj): Map<string, string> {
  for (const s of SLOTS) if (s.obj === r) return s.idx;
  const s = SLOTS[nextSlot]!;
  nextSlot = (nextSlot + 1) % SLOTS.length;
  s.obj = r;
  s.idx.clear();
  for (const k in r) {
    const l = lower(k);
    if (!s.idx.has(l)) s.idx.set(l, k);
  }
  return s.idx;
}

function ci(o: unknown, key: string): unknown {
  if (!o || typeof o !== 'object') return undefined;
  const r = o as Obj;
  const v = r[key];
  if (v !== undefined) return v;
  // Most misses are the other common spelling (Graph camelCase vs Log Analytics PascalCase): try it before the index.
  const alt = r[flipFirst(key)];
  if (alt !== undefined) return alt;
  const actual = indexFor(r).get(lower(key));
  return actual === undefined ? undefined : r[actual];
}

const FLIPPED = new Map<string, string>();
function flipFirst(key: string): string {
  let f = FLIPPED.get(key);
  if (f === undefined) {
    const c = key.charAt(0);
    f = (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + key.slice(1);
    FLIPPED.set(key, f);
  }
  return f;
}

// JSON text decoded once per (object, key): Log Analytics rows carry DeviceDetail etc. as strings.
const DECODED = new WeakMap<object, Map<string, unknown>>();
function decoded(o: unknown, key: string): unknown {
  const v = ci(o, key);
  if (typeof v !== 'string' || !o || typeof o !== 'object') return v;
  let m = DECODED.get(o);
  if (!m) DECODED.set(o, (m = new Map()));
  if (m.has(key)) return m.get(key);
  const d = maybeJson(v);
  m.set(key, d);
  return d;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'string' && (v.trim() === '' || v === '<null>'));
}

/** First present value among the keys (case-insensitive). */
export function get(o: unknown, ...keys: string[]): unknown {
  for (const k of keys) {
    const v = ci(o, k);
    if (present(v)) return v;
  }
  return undefined;
}

/** A scalar as trimmed text; objects and arrays are not text. */
export function str(o: unknown, ...keys: string[]): string | undefined {
  const v = get(o, ...keys);
  if (typeof v === 'object') return undefined;
  return strOrUndef(v);
}

export function num(o: unknown, ...keys: string[]): number | undefined {
  return numOrUndef(get(o, ...keys));
}

/** true/false/"True"/"FALSE"/"Yes"/"No"/1/0. */
export function bool(o: unknown, ...keys: string[]): boolean | undefined {
  return toBool(get(o, ...keys));
}

export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 1) return true;
  if (v === 0) return false;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === 'yes') return true;
    if (s === 'false' || s === 'no') return false;
  }
  return undefined;
}

/** An object, decoding JSON text (Log Analytics dynamic columns exported as strings). */
export function obj(o: unknown, ...keys: string[]): Obj | undefined {
  for (const k of keys) {
    const v = decoded(o, k);
    if (isObject(v)) return v;
  }
  return undefined;
}

/** An array, decoding JSON text. */
export function arr(o: unknown, ...keys: string[]): unknown[] | undefined {
  for (const k of keys) {
    const v = decoded(o, k);
    if (Array.isArray(v)) return v;
  }
  return undefined;
}

/** Non-empty strings of an array (or of a JSON-text array), de-duplicated, order kept. */
export function strings(o: unknown, ...keys: string[]): string[] | undefined {
  const a = arr(o, ...keys);
  if (!a) return undefined;
  const out: string[] = [];
  for (const x of a) {
    const s = strOrUndef(x);
    if (s !== undefined && !out.includes(s)) out.push(s);
  }
  return out.length ? out : undefined;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (s: string | undefined): boolean => s !== undefined && GUID.test(s);

/** Tenant GUID from an Azure resource path "/tenants/<guid>/providers/Microsoft.aadiam". */
export function tenantFromPath(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /\/tenants\/([0-9a-f-]{36})(?:\/|$)/i.exec(v);
  return m ? m[1]!.toLowerCase() : undefined;
}

/** Drop undefined values (and empty arrays/objects produced by optional blocks) so Events stay small. */
export function compact<T extends object>(o: T): T {
  const out: Obj = {};
  const src = o as Obj;
  for (const k in src) {
    const v = src[k];
    if (v === undefined || (Array.isArray(v) && v.length === 0) || (isObject(v) && isEmpty(v))) continue;
    out[k] = v;
  }
  return out as T;
}

function isEmpty(o: Obj): boolean {
  for (const _k in o) return false;
  return true;
}

/** "Not Applied" / "not_applied" / "notApplied" -> "notapplied": compare enum spellings across sources. */
export function enumKey(s: string | undefined): string | undefined {
  return s === undefined ? undefined : s.toLowerCase().replace(/[\s_\-.]/g, '');
}
