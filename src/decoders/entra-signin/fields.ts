// Field access over the three spellings of one signIn: Graph camelCase, Graph PowerShell SDK / Log Analytics
// PascalCase, and Log Analytics dynamic columns that arrive as JSON text. Every getter is case-insensitive,
// takes aliases in priority order, and treats null / "" / "<null>" as absent.
import { isObject, maybeJson } from '../../core/json.js';
import { isGuidAt } from '../../core/ids.js';
import { numOrUndef, strOrUndef } from '../../core/text.js';

export type Obj = Record<string, unknown>;

// Case-insensitive lookups. A signIn is read ~60 times per record and most optional keys are absent, so a miss
// consults a lower-case index of the object. Records of one export share their key list, so an index is built
// once per key list (shape) and reused: finding it costs one pass comparing key strings (property names from
// JSON.parse and CSV headers are the same string objects record after record). The last few objects looked up
// keep their index at hand, so decoding allocates no per-record maps; lower-cased key strings are cached.
const LOWER = new Map<string, string>();
function lower(k: string): string {
  let l = LOWER.get(k);
  if (l === undefined) {
    l = k.toLowerCase();
    if (LOWER.size < 100_000) LOWER.set(k, l);
  }
  return l;
}
interface Shape {
  keys: string[];
  idx: Map<string, string>; // lower-case key -> key as written (first spelling wins)
  /** key as read -> idx answer for its lower case (null: no spelling of it in this shape) */
  res: Map<string, string | null>;
}
interface Slot {
  obj: object | null;
  shape: Shape;
}
const EMPTY_SHAPE: Shape = { keys: [], idx: new Map(), res: new Map() };
const SLOTS: Slot[] = Array.from({ length: 8 }, () => ({ obj: null, shape: EMPTY_SHAPE }));
let nextSlot = 0;
const SHAPES = new Map<number, Shape[]>(); // key count -> shapes with that many keys
let shapeCount = 0;
const MAX_SHAPES = 4096;
const scratch: string[] = [];

function findShape(r: Obj): Shape {
  let n = 0;
  for (const k in r) scratch[n++] = k;
  let list = SHAPES.get(n);
  if (list) {
    outer: for (const sh of list) {
      const ks = sh.keys;
      for (let i = 0; i < n; i++) if (ks[i] !== scratch[i]) continue outer;
      return sh;
    }
  } else {
    if (shapeCount >= MAX_SHAPES) {
      SHAPES.clear();
      shapeCount = 0;
    }
    SHAPES.set(n, (list = []));
  }
  const keys = scratch.slice(0, n);
  const idx = new Map<string, string>();
  for (const k of keys) {
    const l = lower(k);
    if (!idx.has(l)) idx.set(l, k);
  }
  const sh: Shape = { keys, idx, res: new Map() };
  list.push(sh);
  shapeCount++;
  return sh;
}

function shapeFor(r: Obj): Shape {
  for (const s of SLOTS) if (s.obj === r) return s.shape;
  const s = SLOTS[nextSlot]!;
  nextSlot = (nextSlot + 1) % SLOTS.length;
  s.obj = r;
  s.shape = findShape(r);
  return s.shape;
}

// The keys read through these getters are field names, none of them (nor their flipped spelling) a property of
// Object.prototype or Array.prototype, so a key whose lower case no own key has is simply absent.
function ci(o: unknown, key: string): unknown {
  if (!o || typeof o !== 'object') return undefined;
  const r = o as Obj;
  const v = r[key];
  if (v !== undefined) return v;
  const sh = shapeFor(r);
  let actual = sh.res.get(key);
  if (actual === undefined) {
    actual = sh.idx.get(lower(key)) ?? null;
    sh.res.set(key, actual);
  }
  if (actual === null) return undefined;
  // Most misses are the other common spelling (Graph camelCase vs Log Analytics PascalCase): try it before the index.
  const alt = r[flipFirst(key)];
  if (alt !== undefined) return alt;
  return r[actual];
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
  if (v === undefined || v === null) return false;
  if (typeof v !== 'string') return true;
  // only a string starting with white space can trim to ""
  const c = v.length === 0 ? 32 : v.charCodeAt(0);
  return !((c <= 32 || c >= 0xa0) && v.trim() === '') && v !== '<null>';
}

// Getters take one key and an optional alias (fixed arity: no rest-array per call on this hot path).

/** First present value among the keys (case-insensitive). */
export function get(o: unknown, k1: string, k2?: string): unknown {
  const v = ci(o, k1);
  if (present(v)) return v;
  if (k2 === undefined) return undefined;
  const w = ci(o, k2);
  return present(w) ? w : undefined;
}

/** A scalar as trimmed text; objects and arrays are not text. */
export function str(o: unknown, k1: string, k2?: string): string | undefined {
  const v = get(o, k1, k2);
  if (typeof v === 'object') return undefined;
  return strOrUndef(v);
}

export function num(o: unknown, k1: string, k2?: string): number | undefined {
  return numOrUndef(get(o, k1, k2));
}

/** true/false/"True"/"FALSE"/"Yes"/"No"/1/0. */
export function bool(o: unknown, k1: string, k2?: string): boolean | undefined {
  return toBool(get(o, k1, k2));
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
export function obj(o: unknown, k1: string, k2?: string): Obj | undefined {
  const v = decoded(o, k1);
  if (isObject(v)) return v;
  if (k2 === undefined) return undefined;
  const w = decoded(o, k2);
  return isObject(w) ? w : undefined;
}

/** An array, decoding JSON text. */
export function arr(o: unknown, k1: string, k2?: string): unknown[] | undefined {
  const v = decoded(o, k1);
  if (Array.isArray(v)) return v;
  if (k2 === undefined) return undefined;
  const w = decoded(o, k2);
  return Array.isArray(w) ? w : undefined;
}

/** Non-empty strings of an array (or of a JSON-text array), de-duplicated, order kept. */
export function strings(o: unknown, k1: string, k2?: string): string[] | undefined {
  const a = arr(o, k1, k2);
  if (!a || a.length === 0) return undefined;
  const out: string[] = [];
  for (const x of a) {
    const s = strOrUndef(x);
    if (s !== undefined && !out.includes(s)) out.push(s);
  }
  return out.length ? out : undefined;
}

/** A GUID in 8-4-4-4-12 hex form, either case. */
export function isGuid(s: string | undefined): boolean {
  return s !== undefined && s.length === 36 && isGuidAt(s);
}

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
  if (s === undefined) return undefined;
  let k = ENUM_KEYS.get(s);
  if (k === undefined) {
    k = s.toLowerCase().replace(/[\s_\-.]/g, '');
    if (s.length <= 64) {
      if (ENUM_KEYS.size >= 10_000) ENUM_KEYS.clear();
      ENUM_KEYS.set(s, k);
    }
  }
  return k;
}
const ENUM_KEYS = new Map<string, string>(); // enum spellings repeat record after record
