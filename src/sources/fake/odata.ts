// The slice of OData the fake service understands: `$filter` clauses joined by `and` — time comparisons
// (`createdDateTime ge 2025-01-01T00:00:00Z`) and the beta `signInEventTypes/any(t: t eq 'x' or t eq 'y')` —
// which is what collectors send. Anything else is a 400, as Graph answers an unsupported filter.
import { parseTime } from '../../core/time.js';

export interface TimeClause {
  field: string;
  op: 'ge' | 'gt' | 'le' | 'lt' | 'eq';
  value: number;
}

export interface ParsedFilter {
  time: TimeClause[];
  eventTypes?: string[];
}

export function parseFilter(filter: string | null): ParsedFilter | { error: string } {
  const out: ParsedFilter = { time: [] };
  if (!filter || !filter.trim()) return out;
  for (const raw of filter.split(/\s+and\s+/i)) {
    const clause = raw.trim().replace(/^\((.*)\)$/, '$1').trim();
    const any = /^signInEventTypes\/any\(\s*(\w+)\s*:\s*(.+)\)$/i.exec(clause);
    if (any) {
      const v = any[1]!;
      const types: string[] = [];
      for (const alt of any[2]!.split(/\s+or\s+/i)) {
        const m = new RegExp(`^\\(?\\s*${v}\\s+eq\\s+'([^']+)'\\s*\\)?$`).exec(alt.trim());
        if (!m) return { error: `Invalid filter clause: ${alt.trim()}` };
        types.push(m[1]!);
      }
      out.eventTypes = types;
      continue;
    }
    const cmp = /^(\w+)\s+(ge|gt|le|lt|eq)\s+'?([0-9T:.\-+Z]+)'?$/i.exec(clause);
    if (cmp) {
      const t = parseTime(cmp[3]);
      if (t === undefined) return { error: `Invalid DateTimeOffset literal: ${cmp[3]}` };
      out.time.push({ field: cmp[1]!, op: cmp[2]!.toLowerCase() as TimeClause['op'], value: t });
      continue;
    }
    return { error: `Invalid filter clause: ${clause}` };
  }
  return out;
}

export function timeMatches(t: number, clauses: TimeClause[]): boolean {
  for (const c of clauses) {
    if (c.op === 'ge' && !(t >= c.value)) return false;
    if (c.op === 'gt' && !(t > c.value)) return false;
    if (c.op === 'le' && !(t <= c.value)) return false;
    if (c.op === 'lt' && !(t < c.value)) return false;
    if (c.op === 'eq' && t !== c.value) return false;
  }
  return true;
}
