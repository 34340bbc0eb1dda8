// Field access over the three spellings of one signIn: Graph camelCase, Graph PowerShell SDK / Log Analytics
// PascalCase, and Log Analytics dynamic columns that arrive as JSON text. Every getter is case-insensitive,
// takes aliases in priority order, and treats null / "" / "<null>" as absent.
import { getCI, isObject, maybeJson } from '../../core/json.js';
import { numOrUndef, strOrUndef } from '../../core/text.js';

export type Obj = Record<string, unknown>;

function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'string' && (v.trim() === '' || v === '<null>'));
}

/** First present value among the keys (case-insensitive). */
export function get(o: unknown, ...keys: string[]): unknown {
  for (const k of keys) {
    const v = getCI(o, k);
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
    const v = maybeJson(getCI(o, k));
    if (isObject(v)) return v;
  }
  return undefined;
}

/** An array, decoding JSON text. */
export function arr(o: unknown, ...keys: string[]): unknown[] | undefined {
  for (const k of keys) {
    const v = maybeJson(getCI(o, k));
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
  const r = o as Obj;
  for (const k of Object.keys(r)) {
    const v = r[k];
    if (v === undefined) delete r[k];
    else if (Array.isArray(v) && v.length === 0) delete r[k];
    else if (isObject(v) && Object.keys(v).length === 0) delete r[k];
  }
  return o;
}

/** "Not Applied" / "not_applied" / "notApplied" -> "notapplied": compare enum spellings across sources. */
export function enumKey(s: string | undefined): string | undefined {
  return s === undefined ? undefined : s.toLowerCase().replace(/[\s_\-.]/g, '');
}
