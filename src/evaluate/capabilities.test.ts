// The capability table must not rot: every capability the simulator labels steps with is in it, every rule it
// names exists, and the capabilities without a rule are exactly the ones listed as such.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { rules } from '../rules/index.js';
import { CAPABILITIES, capabilityMap, rulesWithoutCapability, unimplementedCapabilities } from './capabilities.js';

/** capability ids in the scenarios' `expectRules: [...]` (the simulator's source is the authority) */
function scenarioCapabilities(): Set<string> {
  const dir = path.resolve('src/simulate/scenarios');
  const out = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/expectRules:\s*\[([^\]]*)\]/g)) {
      for (const q of m[1]!.matchAll(/'([^']+)'/g)) out.add(q[1]!);
    }
  }
  return out;
}

test('every capability the simulator expects is in the table, and the table has nothing else', () => {
  const used = scenarioCapabilities();
  assert.ok(used.size >= 20, `found ${used.size} capabilities in src/simulate/scenarios`);
  const table = new Set(CAPABILITIES.map((c) => c.id));
  assert.equal(table.size, CAPABILITIES.length, 'no duplicate capability ids');
  assert.deepEqual([...used].filter((c) => !table.has(c)), [], 'capabilities missing from src/evaluate/capabilities.ts');
  assert.deepEqual([...table].filter((c) => !used.has(c)), [], 'capabilities no scenario uses');
});

test('every rule the table names is registered', () => {
  const ids = new Set(rules.map((r) => r.id));
  for (const c of CAPABILITIES) for (const r of c.rules) assert.ok(ids.has(r), `${c.id} names ${r}, which is not in src/rules/index.ts`);
});

test('unimplemented capabilities are listed, not hidden', () => {
  const map = capabilityMap();
  assert.deepEqual(unimplementedCapabilities(), CAPABILITIES.filter((c) => c.rules.length === 0).map((c) => c.id));
  assert.ok(unimplementedCapabilities().length < CAPABILITIES.length);
  // with a smaller rule set, a capability whose rules are missing becomes unimplemented
  const only = rules.filter((r) => r.id === 'TW-SIGNIN-001');
  assert.deepEqual(capabilityMap(only).get('signin.credential-stuffing'), ['TW-SIGNIN-001']);
  assert.deepEqual(capabilityMap(only).get('signin.admin-single-factor'), []);
  assert.ok(unimplementedCapabilities(only).includes('signin.admin-single-factor'));
  assert.equal(map.size, CAPABILITIES.length);
  // rules outside every capability are scored for precision only; the set is small and known
  for (const id of rulesWithoutCapability()) assert.match(id, /^TW-[A-Z]+-\d{3}$/);
});
