// Helpers for the JSON shapes Microsoft nests: JSON text inside strings, Name/Value arrays, case drift.

/** If `v` is a string holding JSON (object, array, quoted string), decode it; otherwise return it as is. */
export function maybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (s === '') return v;
  const c = s[0];
  if (c === '{' || c === '[' || c === '"') {
    try {
      return JSON.parse(s);
    } catch {
      return v;
    }
  }
  return v;
}

/** Decode JSON text recursively where a value is JSON inside JSON ("\"[\\\"x\\\"]\""). Bounded depth. */
export function deepJson(v: unknown, depth = 3): unknown {
  let cur = v;
  for (let i = 0; i < depth; i++) {
    const next = maybeJson(cur);
    if (next === cur) break;
    cur = next;
  }
  return cur;
}

/** [{Name,Value}] / [{key,value}] / [{name,value}] -> map. Later duplicates are kept in an array. */
export function nameValueMap(arr: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(arr)) return out;
  for (const item of arr) {
    if (!item || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    const name = o.Name ?? o.name ?? o.key ?? o.Key;
    if (typeof name !== 'string') continue;
    const value = 'Value' in o ? o.Value : 'value' in o ? o.value : o.Values ?? o.values;
    if (Object.prototype.hasOwnProperty.call(out, name)) {
      const prev = out[name];
      out[name] = isMulti(prev) ? markMulti([...(prev as unknown[]), value]) : markMulti([prev, value]);
    } else out[name] = value;
  }
  return out;
}
const MULTI = new WeakSet<object>();
function markMulti(a: unknown[]): unknown[] {
  MULTI.add(a);
  return a;
}
function isMulti(a: unknown): boolean {
  return typeof a === 'object' && a !== null && MULTI.has(a);
}

/** Case-insensitive property access: LA tables say "UserPrincipalName", Graph says "userPrincipalName". */
export function getCI(obj: unknown, key: string): unknown {
  if (!obj || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  if (key in o) return o[key];
  const lk = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lk) return o[k];
  return undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
