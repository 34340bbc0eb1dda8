// Typed rule settings ("tunables"): each rule declares its own with defaults; config may override them by rule id.
// Durations are milliseconds inside tenantwatch and written "90s", "10m", "2h", "7d" in config.

export type TunableSpec =
  | { type: 'integer'; default: number; min?: number; max?: number; help: string }
  | { type: 'number'; default: number; min?: number; max?: number; help: string }
  | { type: 'duration'; default: number; min?: number; max?: number; help: string }
  | { type: 'boolean'; default: boolean; help: string }
  | { type: 'string'; default: string; help: string; values?: readonly string[] }
  | { type: 'string[]'; default: readonly string[]; help: string };

export type TunableSpecs = Record<string, TunableSpec>;

type ValueOf<S extends TunableSpec> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'string' }
    ? string
    : S extends { type: 'string[]' }
      ? readonly string[]
      : number;

/** The resolved values of a rule's tunables, typed from its specs. */
export type TunableValues<T extends TunableSpecs> = { readonly [K in keyof T]: ValueOf<T[K]> };

export type TunableValue = number | boolean | string | readonly string[];

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const UNITS: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: 7 * DAY };

/** "90s" / "10m" / "1.5h" / "7d" / "2w" -> ms; undefined when not a duration. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/i.exec(v);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
}

/** ms -> the shortest exact "10m" / "2h" / "7d" spelling (for help, docs and explanations). */
export function formatDuration(ms: number): string {
  for (const [u, n] of [['w', 7 * DAY], ['d', DAY], ['h', HOUR], ['m', MINUTE], ['s', SECOND]] as const) {
    if (ms >= n && ms % n === 0) return `${ms / n}${u}`;
  }
  return `${ms}ms`;
}

/** Human wording for explanations: "10 minutes", "1 hour", "2 days". */
export function humanDuration(ms: number): string {
  const units: [number, string][] = [[DAY, 'day'], [HOUR, 'hour'], [MINUTE, 'minute'], [SECOND, 'second']];
  for (const [n, name] of units) {
    // a measured span in whole seconds (UAL times) reads as minutes past two minutes, like any other span
    if (ms >= n && ms % n === 0 && !(n === SECOND && ms >= 2 * MINUTE)) {
      const k = ms / n;
      return `${k} ${name}${k === 1 ? '' : 's'}`;
    }
  }
  // a measured span: in the largest unit it fills twice, to one decimal
  if (ms >= 2 * DAY) return `${Math.round((ms / DAY) * 10) / 10} days`;
  if (ms >= 2 * HOUR) return `${Math.round((ms / HOUR) * 10) / 10} hours`;
  if (ms >= MINUTE) {
    const k = Math.round((ms / MINUTE) * 10) / 10;
    return `${k} minutes`;
  }
  return `${Math.round(ms / 100) / 10} seconds`;
}

/** Check one value against its spec; returns the normalized value or an error message. */
export function checkTunable(spec: TunableSpec, v: unknown): { value: TunableValue } | { error: string } {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return { error: `expected ${spec.type === 'integer' ? 'an integer' : 'a number'}, got ${describe(v)}` };
      if (spec.type === 'integer' && !Number.isInteger(v)) return { error: `expected an integer, got ${v}` };
      if (spec.min !== undefined && v < spec.min) return { error: `must be >= ${spec.min}, got ${v}` };
      if (spec.max !== undefined && v > spec.max) return { error: `must be <= ${spec.max}, got ${v}` };
      return { value: v };
    }
    case 'duration': {
      const ms = parseDuration(v);
      if (ms === undefined) return { error: `expected a duration like "10m", "2h" or "7d", got ${describe(v)}` };
      if (spec.min !== undefined && ms < spec.min) return { error: `must be at least ${formatDuration(spec.min)}, got ${String(v)}` };
      if (spec.max !== undefined && ms > spec.max) return { error: `must be at most ${formatDuration(spec.max)}, got ${String(v)}` };
      return { value: ms };
    }
    case 'boolean':
      if (typeof v !== 'boolean') return { error: `expected true or false, got ${describe(v)}` };
      return { value: v };
    case 'string':
      if (typeof v !== 'string') return { error: `expected a string, got ${describe(v)}` };
      if (spec.values && !spec.values.includes(v)) return { error: `expected one of ${spec.values.join(', ')}, got "${v}"` };
      return { value: v };
    case 'string[]':
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return { error: `expected a list of strings, got ${describe(v)}` };
      return { value: v as string[] };
  }
}

export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  return `${typeof v} ${String(v)}`;
}

/** Defaults merged with overrides (already checked). */
export function resolveTunables<T extends TunableSpecs>(specs: T, overrides: Record<string, TunableValue> = {}): TunableValues<T> {
  const out: Record<string, TunableValue> = {};
  for (const [k, s] of Object.entries(specs)) out[k] = k in overrides ? overrides[k]! : s.default;
  return out as TunableValues<T>;
}
