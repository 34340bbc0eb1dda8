import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from '../core/event.js';
import { ev, T0 } from '../detect/testing.js';
import { ExternalSorter } from './sort.js';

function events(n: number, seed = 1): Event[] {
  const out: Event[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const e = ev({ id: `e${s % 5000}`, time: T0 + (s % 100_000) * 1000, user: 'u@contoso.example' });
    // big raw text and multi-byte characters, so runs split mid-character in the reader's buffer
    e.raw.text = `{"note":"${'ü€𝄞'.repeat((s % 100_000) % 300)}"}`;
    out.push(e);
  }
  return out;
}

const key = (e: Event) => `${e.time}|${e.id}`;

test('external sort with a tiny budget spills runs and merges to the same order as an in-memory sort', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-sort-test-'));
  try {
    const xs = events(3000);
    const small = new ExternalSorter({ memoryBudget: 64 * 1024, tmpDir: dir });
    const big = new ExternalSorter();
    for (const e of xs) {
      small.add(structuredClone(e));
      big.add(structuredClone(e));
    }
    const a = [...small.sorted()];
    const b = [...big.sorted()];
    assert.ok(small.stats.runs > 5, `spilled ${small.stats.runs} runs`);
    assert.ok(small.stats.spilledBytes > 0);
    assert.equal(big.stats.spilledBytes, 0);
    assert.deepEqual(a, b);
    for (let i = 1; i < a.length; i++) assert.ok(a[i - 1]!.time < a[i]!.time || (a[i - 1]!.time === a[i]!.time && a[i - 1]!.id < a[i]!.id), 'strictly ordered, copies dropped');
    const distinct = new Set(xs.map(key)).size;
    assert.equal(a.length, distinct);
    assert.equal(small.stats.copies, xs.length - distinct);
    assert.deepEqual(readdirSync(dir), [], 'run files removed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('which copy of a record survives does not depend on arrival order', () => {
  const a = ev({ id: 'same', time: T0 });
  a.raw = { file: 'b-diag.json', format: 'azure.diag.signin', line: 9 };
  const b = ev({ id: 'same', time: T0 });
  b.raw = { file: 'a-graph.json', format: 'graph.signin', line: 3 };
  for (const order of [[a, b], [b, a]]) {
    const s = new ExternalSorter();
    for (const e of order) s.add(e);
    const out = [...s.sorted()];
    assert.equal(out.length, 1);
    assert.equal(out[0]!.raw.format, 'azure.diag.signin');
  }
});

test('cleanup after an abandoned sort leaves no temp files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-sort-test-'));
  try {
    const s = new ExternalSorter({ memoryBudget: 1024, tmpDir: dir });
    for (const e of events(50)) s.add(e);
    assert.ok(readdirSync(dir).length > 0);
    s.cleanup();
    assert.deepEqual(readdirSync(dir), []);
    assert.ok(existsSync(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
