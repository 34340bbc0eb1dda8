// Threshold extensions: extra distinct dimensions, a metric dimension, admission against the window, a window
// that a crossing does not consume, and escalation of an open alert by a more severe repeat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../config/config.js';
import type { Rule } from '../rules/types.js';
import { Engine } from './engine.js';
import { threshold } from './spec.js';
import { ev, MIN, T0 } from './testing.js';

function rule(d: Omit<Parameters<typeof threshold>[0], 'alert'>, opts: { suppressMs?: number } = {}): Rule {
  return {
    id: 'TEST-DIMS-001', title: 'dims test rule', severity: 'medium', tactics: ['credential-access'], techniques: ['T1110'],
    description: 'test', whyItMatters: 'test', falsePositives: ['test'], inputs: { facts: ['signin.failures'] }, tunables: {},
    suppressMs: opts.suppressMs ?? 60 * MIN,
    detect: () =>
      threshold({
        ...d,
        alert: (m) => ({
          severity: (m.dims.ok?.distinct ?? 0) > 0 && m.view.size('ok') > 0 ? 'high' : 'medium',
          entities: [],
          explanation: `${m.count} entries, ${Object.entries(m.dims).map(([k, v]) => `${k}=${v.distinct}`).join(' ')}`,
          facts: Object.fromEntries(Object.entries(m.dims).map(([k, v]) => [k, v.values])),
        }),
      }),
  };
}

const run = (r: Rule, events: ReturnType<typeof ev>[]) => {
  const e = new Engine([r], defaultConfig());
  for (const x of events) e.push(x);
  e.end();
  return { alerts: e.drain(), engine: e };
};

const f = (i: number, user: string, ip: string, outcome: 'failure' | 'success' = 'failure') =>
  ev({ id: `e${i}`, time: T0 + i * MIN, user, ip, outcome, code: outcome === 'failure' ? '50126' : undefined });

test('dims: metric counts a dimension; values undefined still make entries; the match carries every dimension', () => {
  const r = rule({
    on: { actions: ['signin'] },
    key: () => 'k',
    dims: { users: (e) => (e.outcome === 'failure' ? e.actor.user : undefined), ips: (e) => e.actor.ip, ok: (e) => (e.outcome === 'success' ? e.actor.user : undefined) },
    metric: 'users',
    windowMs: 10 * MIN,
    min: 3,
  });
  const { alerts } = run(r, [f(0, 'a', '1.1.1.1'), f(1, 'a', '1.1.1.2'), f(2, 'b', '1.1.1.1', 'success'), f(3, 'b', '1.1.1.3'), f(4, 'c', '1.1.1.1')]);
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]!.facts, { users: ['a', 'b', 'c'], ips: ['1.1.1.1', '1.1.1.2', '1.1.1.3'], ok: ['b'] });
  assert.equal(alerts[0]!.severity, 'high');
  assert.match(alerts[0]!.explanation, /^5 entries, users=3 ips=3 ok=1$/);
  // evidence: one per new metric value, the success (new value in another dimension), and the trigger
  assert.deepEqual(alerts[0]!.evidence.map((x) => x.eventId), ['e0', 'e2', 'e3', 'e4']);
});

test('dims: values leave with their entries when the window slides', () => {
  const r = rule({ on: { actions: ['signin'] }, key: () => 'k', dims: { users: (e) => e.actor.user }, metric: 'users', windowMs: 10 * MIN, min: 3 });
  // a at 0 leaves the 10-minute window before c at 11
  assert.equal(run(r, [f(0, 'a', 'x'), f(5, 'b', 'x'), f(11, 'c', 'x')]).alerts.length, 0);
});

test('admit and the before-view: refused events touch no state; dims see the window before the event', () => {
  const r = rule({
    on: { actions: ['signin'] },
    key: () => 'k',
    // successes only once failures are under way
    admit: (e, view) => e.outcome === 'failure' || view.size('users') > 0,
    dims: {
      users: (e) => (e.outcome === 'failure' ? e.actor.user : undefined),
      ok: (e) => (e.outcome === 'success' ? e.actor.user : undefined),
      // a failure from a source that already succeeded is "own"
      own: (e, _c, before) => (e.outcome === 'failure' && before.count('okIp', e.actor.ip!) > 0 ? e.actor.user : undefined),
      okIp: (e) => (e.outcome === 'success' ? e.actor.ip : undefined),
    },
    metric: 'users',
    windowMs: 30 * MIN,
    min: 3,
  });
  const { alerts, engine } = run(r, [f(0, 'z', '9.9.9.9', 'success'), f(1, 'a', '1.1.1.1'), f(2, 'a', '1.1.1.1', 'success'), f(3, 'b', '1.1.1.1'), f(4, 'c', '2.2.2.2')]);
  assert.equal(engine.stats.rules['TEST-DIMS-001']!.events, 5);
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]!.facts.ok, ['a']); // z's success came before any failure: not admitted
  assert.deepEqual(alerts[0]!.facts.own, ['b']);
  assert.match(alerts[0]!.explanation, /^4 entries/);
});

test('consume: false keeps counting after a crossing; a more severe repeat escalates the open alert at once', () => {
  const r = rule({
    on: { actions: ['signin'] },
    key: () => 'k',
    admit: (e, view) => e.outcome === 'failure' || view.size('users') > 0,
    dims: { users: (e) => (e.outcome === 'failure' ? e.actor.user : undefined), ok: (e) => (e.outcome === 'success' ? e.actor.user : undefined) },
    metric: 'users',
    windowMs: 30 * MIN,
    min: 2,
    consume: false,
  });
  const e = new Engine([r], defaultConfig());
  for (const x of [f(0, 'a', 'x'), f(1, 'b', 'x'), f(2, 'c', 'x')]) e.push(x);
  e.advanceWatermark(undefined, T0 + 3 * MIN);
  const first = e.drain();
  assert.deepEqual(first.map((a) => [a.revision, a.severity]), [[1, 'medium']]);
  e.push(f(5, 'b', 'x', 'success'));
  e.advanceWatermark(undefined, T0 + 6 * MIN);
  const escalated = e.drain();
  assert.deepEqual(escalated.map((a) => [a.id, a.revision, a.severity]), [[first[0]!.id, 2, 'high']]);
  assert.equal(escalated[0]!.occurrences, 3);
  assert.deepEqual(escalated[0]!.facts.ok, ['b']);
  e.end();
  // nothing was folded after the escalation: no further revision at the period's end
  assert.deepEqual(e.drain(), []);
  assert.equal(e.stats.rules['TEST-DIMS-001']!.escalated, 1);
});

test('dims survive snapshot and restore mid-window', () => {
  const r = rule({ on: { actions: ['signin'] }, key: () => 'k', dims: { users: (e) => e.actor.user, ips: (e) => e.actor.ip }, metric: 'users', windowMs: 30 * MIN, min: 3 });
  const evs = [f(0, 'a', '1.1.1.1'), f(1, 'b', '1.1.1.2'), f(2, 'c', '1.1.1.3')];
  const whole = run(r, evs).alerts;
  const e1 = new Engine([r], defaultConfig());
  e1.push(evs[0]!);
  e1.push(evs[1]!);
  e1.advanceWatermark(undefined, T0 + 90_000);
  const e2 = Engine.restore([r], defaultConfig(), JSON.parse(JSON.stringify(e1.snapshot())));
  e2.push(evs[2]!);
  e2.end();
  assert.deepEqual(JSON.parse(JSON.stringify(e2.drain())), JSON.parse(JSON.stringify(whole)));
});

test('a dimension named "distinct" or an unknown metric is a rule bug', () => {
  const bad = (d: Partial<Parameters<typeof threshold>[0]>) => rule({ on: { actions: ['signin'] }, key: () => 'k', windowMs: MIN, min: 1, ...d });
  assert.throws(() => new Engine([bad({ dims: { distinct: () => 'x' } })], defaultConfig()), /reserved/);
  assert.throws(() => new Engine([bad({ metric: 'nope' })], defaultConfig()), /not one of its dims/);
});

test('a proof the detector judges (context evidence) stays in the evidence past the cap; context that is none makes room', () => {
  const dims = {
    users: (e: ReturnType<typeof ev>) => (e.outcome === 'failure' ? e.actor.user : undefined),
    ips: (e: ReturnType<typeof ev>) => (e.outcome === 'failure' ? e.actor.ip : undefined),
    ok: (e: ReturnType<typeof ev>) => (e.outcome === 'success' ? `${e.actor.user}|${e.actor.ip}` : undefined),
  };
  // a success is a proof when its address has failed (by the time the window fires)
  const proof = (dim: (n: string) => string | undefined, view: { count(d: string, v: string): number }) => {
    const ok = dim('ok');
    return ok !== undefined && view.count('ips', ok.slice(ok.indexOf('|') + 1)) > 0;
  };
  // examples of the metric fill the cap (3: two examples and the trigger) before the success that proves a password
  const fresh = rule({ on: { actions: ['signin'] }, key: () => 'k', dims, metric: 'users', windowMs: 60 * MIN, min: 6, proof });
  const evs = [f(0, 'a', 'x'), f(1, 'b', 'x'), f(2, 'c', 'x'), f(3, 'd', 'x'), f(4, 'e', 'x'), f(5, 'z', 'x', 'success'), f(6, 'g', 'x')];
  const e = new Engine([fresh], defaultConfig(), { evidenceCap: 3 });
  for (const x of evs) e.push(x);
  e.end();
  const [first] = e.drain();
  assert.equal(first!.severity, 'high');
  assert.deepEqual(first!.evidence.map((x) => x.eventId), ['e0', 'e5', 'e6'], 'the proof and the trigger, then the earliest example');
  assert.equal(first!.evidenceTruncated, 4);

  // an open alert: the proof itself does not fire (the condition waits for a failure after it, as TW-SIGNIN-002 does
  // for an address that fails for other accounts only afterwards); the next failure's drafted repeat brings it in
  const open = rule(
    { on: { actions: ['signin'] }, key: () => 'k', dims, metric: 'users', windowMs: 60 * MIN, min: 3, consume: false, condition: (m) => m.event.outcome === 'failure', proof },
    { suppressMs: 60 * MIN },
  );
  const e2 = new Engine([open], defaultConfig(), { evidenceCap: 3 });
  for (const x of evs) e2.push(x);
  e2.end();
  const out = e2.drain();
  const last = out[out.length - 1]!;
  assert.equal(last.severity, 'high', 'escalated by the repeat that saw the proof');
  assert.ok(last.evidence.some((x) => x.eventId === 'e5'), `the proof is in the evidence: ${last.evidence.map((x) => x.eventId).join(',')}`);

  // successes at addresses that never fail (accounts' own sign-ins) fill the context room; they give way to a proof
  // and are never kept past the cap themselves
  const own = Array.from({ length: 8 }, (_, i) => f(10 + i, `u${i}`, `own${i}`, 'success'));
  const busy = [f(0, 'a', 'x'), f(1, 'b', 'x'), ...own, f(20, 'z', 'x', 'success'), f(21, 'c', 'y'), f(22, 'd', 'y'), f(23, 'e', 'y'), f(24, 'g', 'y')];
  const e3 = new Engine([fresh], defaultConfig(), { evidenceCap: 3 });
  for (const x of busy) e3.push(x);
  e3.end();
  const [one] = e3.drain();
  assert.deepEqual(one!.evidence.map((x) => x.eventId), ['e0', 'e20', 'e24'], 'the proof, the trigger, the earliest example; no own sign-in');
});
