// Object-level envelope unwrapping, after JSON.parse: Graph pages {value:[…]} (also pages inside arrays),
// Event Hub {records:[…]}, OData v2 {d:{results:[…]}} / {d:[…]}. Anything else is one record.
import { isObject } from '../core/json.js';

export function unwrapRecords(v: unknown, out: unknown[] = [], depth = 0): unknown[] {
  if (depth > 4) {
    out.push(v);
    return out;
  }
  if (Array.isArray(v)) {
    for (const x of v) unwrapRecords(x, out, depth + 1);
    return out;
  }
  if (isObject(v)) {
    if (Array.isArray(v.value) && isEnvelope(v, 'value')) return unwrapRecords(v.value, out, depth + 1);
    if (Array.isArray(v.records) && isEnvelope(v, 'records')) return unwrapRecords(v.records, out, depth + 1);
    if (isObject(v.d) && Object.keys(v).length === 1) {
      const d = v.d;
      if (Array.isArray(d.results)) return unwrapRecords(d.results, out, depth + 1);
    }
    if (Array.isArray(v.d) && Object.keys(v).length === 1) return unwrapRecords(v.d, out, depth + 1);
  }
  out.push(v);
  return out;
}

/** An envelope has its records array plus only metadata keys (@odata.*, nextLink, count...). */
function isEnvelope(o: Record<string, unknown>, key: string): boolean {
  for (const k of Object.keys(o)) {
    if (k === key || k.startsWith('@') || k.startsWith('odata') || k === 'nextLink' || k === '__next' || k === 'Count' || k === 'count') continue;
    return false;
  }
  return true;
}
