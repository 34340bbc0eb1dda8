// Property tests of the engine's guarantees (docs/detection.md): order-independence within the lateness bound,
// exact snapshot/restore, bounded state under a unique-key flood, and no (alert id, revision) emitted twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Action, Event, SourceKind } from '../core/event.js';
import { defaultConfig, type Config } from '../config/config.js';
import type { Alert } from './alert.js';
import { Engine } from './engine.js';
import { consentThenSecret, distinctUsers, every, newIp, spike } from './test-rules.js';
import { ev, MIN, plain, T0 } from './testing.js';

const RULES = [distinctUsers, consentThenSecret, newIp, spike, every];
const LATE: Partial<Record<SourceKind, number>> = { 'entra.signin': 15 * MIN, 'entra.audit': 10 * MIN, ual: 30 * MIN };

function config(): Config {
  const c = defaultConfig();
  c.lateness = { ...LATE };
  return c;
}

type Kind = 'fail' | 'ok' | 'ualfail' | 'consent' | 'secret' | 'delete' | 'connector';
const KINDS: Kind[] = ['fail', 'fail', 'fail', 'ok', 'ualfail', 'consent', 'secret', 'delete', 'connector'];
const SHAPE: Record<Kind, { action: Action; source: SourceKind; outcome: Event['outcome'] }> = {
  fail: { action: 'signin', source: 'entra.signin', outcome: 'failure' },
  ok: { action: 'signin', source: 'entra.signin', outcome: 'success' },
  ualfail: { action: 'signin', source: 'ual', outcome: 'failure' },
  consent: { action: 'consent.grant', source: 'entra.audit', outcome: 'success' },
  secret: { action: 'app.credential.add', source: 'entra.audit', outcome: 'success' },
  delete: { action: 'app.delete', source: 'entra.audit', outcome: 'success' },
  connector: { action: 'connector.inbound.create', source: 'ual', outcome: 'success' },
};

/**
 * A stream of events over ~5 hours from a small universe so windows, sequences and repeats actually happen.
 * A record may expand into a burst: the same IP trying several users, or one user signing in many times.
 */
const USERS = ['a', 'b', 'c', 'd', 'e'];
const streamArb = fc
  .array(
    fc.record({
      kind: fc.constantFrom(...KINDS),
      minute: fc.integer({ min: 0, max: 300 }),
      sec: fc.integer({ min: 0, max: 59 }),
      user: fc.integer({ min: 0, max: 4 }),
      ip: fc.constantFrom('203.0.113.1', '203.0.113.2', '198.51.100.9'),
      app: fc.constantFrom('app-1', 'app-2'),
      tenant: fc.constantFrom('t1', 't1', 't2'),
      burst: fc.oneof({ arbitrary: fc.constant(1), weight: 6 }, { arbitrary: fc.integer({ min: 2, max: 12 }), weight: 1 }),
      rotate: fc.boolean(),
    }),
    { minLength: 1, maxLength: 150 },
  )
  .map((xs) => {
    const out: Event[] = [];
    for (const x of xs) {
      const s = SHAPE[x.kind];
      for (let j = 0; j < x.burst; j++) {
        const user = USERS[(x.user + (x.rotate ? j : 0)) % USERS.length]!;
        const e = ev({ id: `e${out.length}`, time: T0 + x.minute * MIN + x.sec * 1000 + j * 20_000, action: s.action, source: s.source, outcome: s.outcome, user, ip: x.ip, app: x.app, tenant: x.tenant });
        if (x.kind === 'connector') e.targets = [{ type: 'connector', name: `conn-${x.app}` }];
        out.push(e);
      }
    }
    return out;
  });

/** A hand-made stream on which every test rule fires (and suppression folds a repeat): always run as an example. */
function everyRuleFires(): Event[] {
  const out: Event[] = [];
  const add = (kind: Kind, minute: number, user: string, ip = '203.0.113.1', app = 'app-1') => {
    const s = SHAPE[kind];
    const e = ev({ id: `x${out.length}`, time: T0 + minute * MIN, action: s.action, source: s.source, outcome: s.outcome, user, ip, app, tenant: 't1' });
    if (kind === 'connector') e.targets = [{ type: 'connector', name: 'conn-x' }];
    out.push(e);
  };
  for (let h = 0; h < 4; h++) add('ok', h * 60, 'a', '198.51.100.9'); // history for a: 1 sign-in per hour
  for (let i = 0; i < 6; i++) add('fail', 240 + i, USERS[i % 5]!); // 5 users from one IP, twice over: 2 crossings
  add('ok', 250, 'a', '203.0.113.2'); // a new IP for a after the warm-up
  add('consent', 260, 'x');
  add('secret', 270, 'x');
  add('connector', 280, 'x');
  for (let i = 0; i < 6; i++) add('ualfail', 290 + i, 'a'); // a's hour-4 bucket: 9 sign-ins against a mean of 1
  return out;
}

const sortKey = (a: Event, b: Event) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byIdRev = (a: Alert, b: Alert) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.revision - b.revision);

function runAll(events: Event[], opts = {}): Alert[] {
  const e = new Engine(RULES, config(), opts);
  for (const x of events) e.push(x);
  e.end();
  return e.drain();
}

/** Arrival order: each event delayed by up to its source's lateness bound, then sorted by arrival. */
function delayed(events: Event[], delays: number[]): Event[] {
  return events
    .map((e, i) => ({ e, at: e.time + Math.floor((delays[i % delays.length]! / 1000) * LATE[e.source]!) }))
    .sort((x, y) => x.at - y.at || sortKey(x.e, y.e))
    .map((x) => x.e);
}

const delaysArb = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 64 });

// the generated streams must actually make every kind of rule fire, or the properties prove little
const firedRules = new Set<string>();
let revisions = 0;
function tally(alerts: Alert[]): Alert[] {
  for (const a of alerts) {
    firedRules.add(a.rule);
    if (a.revision > 1) revisions++;
  }
  return alerts;
}

test('(i) input reordered within the lateness bound yields exactly the alerts of sorted input', () => {
  fc.assert(
    fc.property(streamArb, delaysArb, (events, delays) => {
      const sorted = [...events].sort(sortKey);
      const expected = plain(tally(runAll(sorted)).sort(byIdRev));
      // every source in the stream is declared, as a live watch declares what it polls
      const e = new Engine(RULES, config(), { sources: [...new Set(events.map((x) => x.source))] });
      for (const x of delayed(events, delays)) e.push(x);
      assert.equal(e.stats.late, 0);
      e.end();
      assert.deepEqual(plain(e.drain().sort(byIdRev)), expected);
    }),
    { numRuns: 150, examples: [[everyRuleFires(), [0, 700, 300]]] },
  );
  assert.deepEqual([...firedRules].sort(), RULES.map((r) => r.id).sort(), 'every primitive fired at least once');
  assert.ok(revisions > 0, 'suppression folded repeats at least once');
});

test('(i-b) the ordered path (a sorted hunt, no buffering) yields exactly the alerts of the buffered path', () => {
  fc.assert(
    fc.property(streamArb, (events) => {
      const sorted = [...events].sort(sortKey);
      // the same alerts; lanes emit in another interleaving (the buffered path releases lane by lane)
      const expected = plain(runAll(sorted).sort(byIdRev));
      const e = new Engine(RULES, config(), { ordered: true });
      for (const x of sorted) e.push(x);
      assert.equal(e.stats.late, 0);
      assert.equal(e.stats.buffered, 0);
      e.end();
      assert.deepEqual(plain(e.drain().sort(byIdRev)), expected);
    }),
    { numRuns: 150, examples: [[everyRuleFires()]] },
  );
});

test('(ii) snapshot/restore at any point equals an uninterrupted run', () => {
  fc.assert(
    fc.property(streamArb, delaysArb, fc.double({ min: 0, max: 1, noNaN: true }), (events, delays, cut) => {
      const input = delayed(events, delays);
      const whole = plain(runAll(input));
      const k = Math.floor(cut * input.length);
      const e1 = new Engine(RULES, config());
      for (const x of input.slice(0, k)) e1.push(x);
      const first = e1.drain();
      const snap = JSON.stringify(e1.snapshot());
      const e2 = Engine.restore(RULES, config(), snap);
      for (const x of input.slice(k)) e2.push(x);
      e2.end();
      assert.deepEqual(plain([...first, ...e2.drain()]), whole);
      assert.deepEqual(e2.restoreNotes, []);
    }),
    { numRuns: 150 },
  );
});

test('(iii) an endless stream of unique keys keeps state under the per-rule cap', () => {
  fc.assert(
    fc.property(fc.integer({ min: 10, max: 80 }), fc.integer({ min: 500, max: 3000 }), (cap, n) => {
      const cfg = config();
      cfg.lateness = { default: MIN }; // release quickly so state (not the buffer) is what grows
      const e = new Engine(RULES, cfg, { maxKeysPerRule: cap });
      let maxSeen = 0;
      for (let i = 0; i < n; i++) {
        // every event a new IP, user and app: nothing ever repeats, nothing expires within the run
        const kind = i % 3 === 0 ? 'consent' : i % 3 === 1 ? 'fail' : 'ok';
        const s = SHAPE[kind];
        e.push(ev({ id: `u${i}`, time: T0 + i * 2000, action: s.action, source: s.source, outcome: s.outcome, user: `user${i}`, ip: `ip${i}`, app: `app${i}` }));
        if (i % 97 === 0) for (const v of Object.values(e.stateKeys())) maxSeen = Math.max(maxSeen, v);
      }
      for (const [rule, v] of Object.entries(e.stateKeys())) assert.ok(v <= cap, `${rule} holds ${v} keys > cap ${cap}`);
      assert.ok(maxSeen <= cap);
      const evicted = Object.values(e.stats.rules).reduce((s, r) => s + r.evicted, 0);
      assert.ok(evicted > 0, 'the flood must have forced evictions');
    }),
    { numRuns: 12 },
  );
});

test('(iv) re-processing the same events never emits an (alert id, revision) twice; ids are deterministic', () => {
  fc.assert(
    fc.property(streamArb, delaysArb, fc.array(fc.nat(), { maxLength: 40 }), (events, delays, dupIdx) => {
      const input = delayed(events, delays);
      // duplicates sprinkled in (within the bound: re-sent right after the original) ...
      const withDups: Event[] = [];
      const dupSet = new Set(dupIdx.map((d) => d % input.length));
      input.forEach((x, i) => {
        withDups.push(x);
        if (dupSet.has(i)) withDups.push({ ...x });
      });
      const e = new Engine(RULES, config());
      for (const x of withDups) e.push(x);
      e.end();
      const first = e.drain();
      // ... and the whole stream pushed again after the end (all late)
      for (const x of input) e.push({ ...x });
      const again = e.drain();
      const pairs = [...first, ...again].map((a) => `${a.id}#${a.revision}`);
      assert.equal(new Set(pairs).size, pairs.length);
      // a fresh engine over the same input produces the same ids
      const ids = (xs: Alert[]) => [...new Set(xs.map((a) => a.id))].sort();
      assert.deepEqual(ids(runAll(input)), ids(first));
      // duplicates within the bound change nothing
      assert.deepEqual(plain(first), plain(runAll(input)));
    }),
    { numRuns: 150 },
  );
});
