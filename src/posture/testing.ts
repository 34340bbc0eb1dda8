// Test helpers: load a fixture snapshot as editable bodies, so a test can change one value and re-audit.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { decodeText, snapshotFromBodies, type Snapshot } from './snapshot.js';

export const FIXTURES = path.resolve('src/posture/fixtures');
/** The fixtures' "today": the exposed tenant's connector and app were created a few days before. */
export const NOW = Date.parse('2025-06-15T12:00:00Z');

export function bodiesOf(name: 'hardened' | 'exposed'): Record<string, unknown> {
  const root = path.join(FIXTURES, name);
  const out: Record<string, unknown> = {};
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.json')) out[path.relative(root, p).split(path.sep).join('/')] = JSON.parse(decodeText(readFileSync(p)));
    }
  };
  walk(root);
  return out;
}

/** A fixture snapshot after `edit` changed its bodies (deep-copied first). */
export function edited(name: 'hardened' | 'exposed', edit: (b: Record<string, unknown>) => void): Snapshot {
  const b = structuredClone(bodiesOf(name));
  edit(b);
  return snapshotFromBodies(b, `${name}(edited)`);
}

/** The `value` array of a Graph page body, for editing. */
export function valueOf(body: unknown): Record<string, unknown>[] {
  return (body as { value: Record<string, unknown>[] }).value;
}
