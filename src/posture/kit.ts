// Small helpers every check uses: case-insensitive paths into Graph/Exchange objects, missing-data outcomes.
import { getCI } from '../core/json.js';
import { boolOrUndef, numOrUndef, strOrUndef } from '../core/text.js';
import { parseTime } from '../core/time.js';
import type { Collection, Obj } from './snapshot.js';
import type { CheckOutcome } from './types.js';

/** Read a dotted path case-insensitively: Graph says grantControls, ConvertTo-Json of SDK objects says GrantControls. */
export function at(obj: unknown, dotted: string): unknown {
  // OData annotations ("@odata.type") are one property whose name contains dots
  if (dotted.startsWith('@')) return getCI(obj, dotted);
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    cur = getCI(cur, part);
  }
  return cur;
}
export const str = (o: unknown, p: string): string | undefined => strOrUndef(at(o, p));
export const num = (o: unknown, p: string): number | undefined => numOrUndef(at(o, p));
export const bool = (o: unknown, p: string): boolean | undefined => boolOrUndef(at(o, p));
export const time = (o: unknown, p: string): number | undefined => parseTime(at(o, p));
/** A string list; Exchange multi-valued properties may also arrive as one comma-separated string. */
export function list(o: unknown, p: string): string[] {
  const v = at(o, p);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : '')).filter((x) => x !== '');
  if (typeof v === 'string' && v.trim() !== '') return v.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}
export const has = (o: unknown, p: string): boolean => at(o, p) !== undefined;
export const lc = (s: string) => s.toLowerCase();
export const inList = (xs: string[], x: string) => xs.some((y) => y.toLowerCase() === x.toLowerCase());

/** When a file the check needs is absent or failed: Error, with the reason and what to collect. */
export function missing(c: Collection, what?: string): CheckOutcome {
  if (c.state === 'error') {
    return { status: 'Error', details: `${c.path} could not be read: ${c.reason ?? 'unknown error'}. ${what ?? ''}`.trim() };
  }
  return {
    status: 'Error',
    details: `${c.path} is missing from the snapshot${what ? ` (${what})` : ''}; collect it as docs/snapshot.md describes and re-run.`,
  };
}
export const unusable = (c: Collection) => c.state !== 'ok';

/** The one object of a singleton resource (a policy) or undefined. */
export const single = (c: Collection): Obj | undefined => c.items[0];

export function pass(details: string, extra: Partial<CheckOutcome> = {}): CheckOutcome {
  return { status: 'Pass', details, ...extra };
}
export function fail(details: string, extra: Partial<CheckOutcome> = {}): CheckOutcome {
  return { status: 'Fail', details, ...extra };
}
export function warn(details: string, extra: Partial<CheckOutcome> = {}): CheckOutcome {
  return { status: 'Warn', details, ...extra };
}
export function na(details: string): CheckOutcome {
  return { status: 'NotApplicable', details };
}
export function error(details: string): CheckOutcome {
  return { status: 'Error', details };
}
export const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;
export const DAY_MS = 86_400_000;
