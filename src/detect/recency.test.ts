// Recency (a first-seen key's history) behaves exactly like the Map it replaces, on both sides of its switch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Recency } from './recency.js';

type Op = { k: 'touch'; v: number } | { k: 'forget'; dt: number } | { k: 'drop' };

test('Recency equals a Map in recency order under any sequence of operations', () => {
  const op = fc.oneof(
    { arbitrary: fc.record({ k: fc.constant('touch' as const), v: fc.integer({ min: 0, max: 60 }) }), weight: 8 },
    { arbitrary: fc.record({ k: fc.constant('forget' as const), dt: fc.integer({ min: 0, max: 40 }) }), weight: 1 },
    { arbitrary: fc.record({ k: fc.constant('drop' as const) }), weight: 1 },
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300 }), (ops: Op[]) => {
      const r = new Recency();
      const m = new Map<string, number>();
      let now = 0;
      for (const o of ops) {
        now++;
        if (o.k === 'touch') {
          r.touch(`v${o.v}`, now);
          m.delete(`v${o.v}`);
          m.set(`v${o.v}`, now);
        } else if (o.k === 'forget') {
          r.forgetBefore(now - o.dt);
          for (const [v, t] of m) {
            if (t >= now - o.dt) break;
            m.delete(v);
          }
        } else if (m.size) {
          r.dropOldest();
          m.delete(m.keys().next().value as string);
        }
        assert.equal(r.size, m.size);
        assert.equal(r.has('v7'), m.has('v7'));
        assert.equal(r.newestWith('v1'), [...m.keys()].reverse().find((k) => k.startsWith('v1')));
        assert.deepEqual(r.newestExcept(5, 'v1'), [...m.keys()].reverse().filter((k) => !k.startsWith('v1')).slice(0, 5));
        assert.equal(r.countExcept('v1'), [...m.keys()].filter((k) => !k.startsWith('v1')).length);
      }
      assert.deepEqual(r.entries(), [...m]);
      assert.deepEqual(r.newest(20), [...m.keys()].reverse().slice(0, 20));
      assert.deepEqual(Recency.of(r.entries()).entries(), [...m]);
    }),
    { numRuns: 300 },
  );
});
