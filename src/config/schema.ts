// A small declarative schema for the YAML config, walked over the YAML syntax tree so every problem carries
// file:line:col. Parse -> validate -> normalize in one pass, collecting ALL problems instead of stopping at the first.
import { isMap, isScalar, isSeq, type Node, type LineCounter } from 'yaml';
import { describe } from './tunables.js';

export type Schema =
  | { t: 'object'; fields: Record<string, Schema>; help?: string }
  /** keys checked by `key` (returns an error or undefined); value schema may depend on the key */
  | { t: 'map'; key: (k: string) => string | undefined; value: Schema | ((k: string) => Schema) }
  | { t: 'list'; item: Schema }
  /** a leaf: check the plain JS value, return the normalized value or an error */
  | { t: 'leaf'; check: (v: unknown) => { value: unknown } | { error: string } }
  /** a section another module validates itself (kept as plain data here) */
  | { t: 'external' };

export interface Problem {
  file: string;
  line?: number;
  col?: number;
  message: string;
}

export class Walker {
  readonly problems: Problem[] = [];
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  problem(node: Node | null | undefined, message: string): void {
    const off = node?.range?.[0];
    if (off === undefined) {
      this.problems.push({ file: this.file, message });
      return;
    }
    const { line, col } = this.lines.linePos(off);
    this.problems.push({ file: this.file, line, col, message });
  }

  /** Walk `node` against `schema`; returns the normalized value or undefined when it had problems. */
  walk(node: Node | null | undefined, schema: Schema, path: string): unknown {
    switch (schema.t) {
      case 'object': {
        if (node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined))) return {};
        if (!isMap(node)) {
          this.problem(node, `${path}: expected a mapping (key: value lines), got ${describeNode(node)}`);
          return undefined;
        }
        const out: Record<string, unknown> = {};
        const known = Object.keys(schema.fields);
        for (const pair of node.items) {
          const keyNode = pair.key as Node | null;
          const k = isScalar(keyNode) ? String(keyNode.value) : undefined;
          if (k === undefined) {
            this.problem(keyNode, `${path}: keys must be plain names`);
            continue;
          }
          const field = schema.fields[k];
          if (!field) {
            const hint = suggest(k, known);
            this.problem(keyNode, `unknown key "${k}" in ${path || 'the top level'}${hint ? ` (did you mean "${hint}"?)` : ` (known: ${known.join(', ')})`}`);
            continue;
          }
          const v = this.walk(pair.value as Node | null, field, path ? `${path}.${k}` : k);
          if (v !== undefined) out[k] = v;
        }
        return out;
      }
      case 'map': {
        if (node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined))) return {};
        if (!isMap(node)) {
          this.problem(node, `${path}: expected a mapping, got ${describeNode(node)}`);
          return undefined;
        }
        const out: Record<string, unknown> = {};
        for (const pair of node.items) {
          const keyNode = pair.key as Node | null;
          const k = isScalar(keyNode) ? String(keyNode.value) : undefined;
          if (k === undefined) {
            this.problem(keyNode, `${path}: keys must be plain names`);
            continue;
          }
          const err = schema.key(k);
          if (err) {
            this.problem(keyNode, `${path}: ${err}`);
            continue;
          }
          const vs = typeof schema.value === 'function' ? schema.value(k) : schema.value;
          const v = this.walk(pair.value as Node | null, vs, `${path}.${k}`);
          if (v !== undefined) out[k] = v;
        }
        return out;
      }
      case 'list': {
        if (node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined))) return [];
        if (!isSeq(node)) {
          this.problem(node, `${path}: expected a list ("- item" lines or [a, b]), got ${describeNode(node)}`);
          return undefined;
        }
        const out: unknown[] = [];
        node.items.forEach((item, i) => {
          const v = this.walk(item as Node | null, schema.item, `${path}[${i}]`);
          if (v !== undefined) out.push(v);
        });
        return out;
      }
      case 'external':
        return node && typeof (node as { toJSON?: () => unknown }).toJSON === 'function' ? (node as { toJSON: () => unknown }).toJSON() : null;
      case 'leaf': {
        let plain: unknown;
        if (node === null || node === undefined) plain = null;
        else if (isScalar(node)) plain = node.value;
        else plain = isSeq(node) ? [...node.items.map((n) => (isScalar(n) ? n.value : n))] : isMap(node) ? {} : undefined;
        const r = schema.check(plain);
        if ('error' in r) {
          this.problem(node, `${path}: ${r.error}`);
          return undefined;
        }
        return r.value;
      }
    }
  }
}

function describeNode(node: Node | null | undefined): string {
  if (!node) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return describe(node.value);
  return 'something else';
}

/** Levenshtein distance, small strings only. */
export function editDistance(a: string, b: string): number {
  const m = a.length, n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n]!;
}

/** The closest known name when it is close enough to be a typo (case-insensitive). */
export function suggest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = name.toLowerCase();
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  if (best === undefined) return undefined;
  return bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}
