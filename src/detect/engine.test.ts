import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, type Config } from '../config/config.js';
import type { Rule } from '../rules/types.js';
import { Engine } from './engine.js';
import { consentThenSecret, distinctUsers, every, firstConsentHolds, newIp, newIpAlso, spike } from './test-rules.js';
import { ev, MIN, plain, T0 } from './testing.js';

function run(rules: Rule[], events: ReturnType<typeof ev>[], config: Config = defaultConfig()) {
  const e = new Engine(rules, config);
  for (const x of events) e.push(x);
  e.end();
  return { alerts: e.drain(), engine: e };
}

const fail = (i: number, user: string, ip = '203.0.113.7', dt = i * MIN) => ev({ id: `f${i}-${user}`, time: T0 + dt, user, ip });

test('threshold: distinct count reaches min inside the window -> one alert with the numbers', () => {
  const { alerts } = run([distinctUsers], [fail(0, 'a'), fail(1, 'b'), fail(1.5, 'b'), fail(2, 'c')]);
  assert.equal(alerts.length, 1);
  const a = alerts[0]!;
  assert.equal(a.rule, 'TEST-THRESH-001');
  assert.equal(a.key, '203.0.113.7');
  assert.deepEqual(a.facts, { distinctAccounts: 3, attempts: 4 });
  assert.equal(a.time, new Date(T0 + 2 * MIN).toISOString());
  assert.equal(a.firstSeen, new Date(T0).toISOString());
  // one evidence item per distinct account plus the trigger
  assert.deepEqual(a.evidence.map((x) => x.eventId), ['f0-a', 'f1-b', 'f2-c']);
  assert.equal(a.evidenceTruncated, 1);
  assert.equal(a.revision, 1);
  assert.equal(a.occurrences, 1);
});

test('threshold: one below min, and spread just outside the window -> nothing', () => {
  assert.equal(run([distinctUsers], [fail(0, 'a'), fail(1, 'b')]).alerts.length, 0);
  // a at 0, b at 5m, c at 10m + 1ms: a has left the 10-minute window when c arrives
  const spread = [fail(0, 'a'), fail(5, 'b'), ev({ id: 'c', time: T0 + 10 * MIN + 1, user: 'c', ip: '203.0.113.7' })];
  assert.equal(run([distinctUsers], spread).alerts.length, 0);
  // exactly at the window edge still counts (window is inclusive)
  const edge = [fail(0, 'a'), fail(5, 'b'), fail(10, 'c')];
  assert.equal(run([distinctUsers], edge).alerts.length, 1);
});

test('threshold: tunables come from config; disabled rules do not run', () => {
  const cfg = defaultConfig();
  cfg.rules.tunables['TEST-THRESH-001'] = { min: 4 };
  assert.equal(run([distinctUsers], [fail(0, 'a'), fail(1, 'b'), fail(2, 'c')], cfg).alerts.length, 0);
  const off = defaultConfig();
  off.rules.disabled.push('TEST-THRESH-001');
  assert.equal(run([distinctUsers], [fail(0, 'a'), fail(1, 'b'), fail(2, 'c')], off).alerts.length, 0);
});

test('suppression: repeats within the period fold into a revision with the same id', () => {
  const evs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((u, i) => fail(i, u));
  const { alerts } = run([distinctUsers], evs);
  // 7 users: crossing at c (3), the window resets, crossing again at f (3 more)
  assert.equal(alerts.length, 2);
  const [first, rev] = alerts;
  assert.equal(first!.revision, 1);
  assert.equal(rev!.revision, 2);
  assert.equal(rev!.id, first!.id);
  assert.equal(rev!.occurrences, 2);
  assert.match(rev!.explanation, /triggered 1 more time/);
  assert.ok(rev!.evidence.some((x) => x.eventId === 'f5-f'));
  assert.equal(rev!.lastSeen, new Date(T0 + 5 * MIN).toISOString());
});

test('suppression ends: a crossing after the period is a new alert with a new id', () => {
  const evs = [fail(0, 'a'), fail(1, 'b'), fail(2, 'c'), fail(70, 'd'), fail(71, 'e'), fail(72, 'f')];
  const { alerts } = run([distinctUsers], evs);
  assert.equal(alerts.length, 2);
  assert.notEqual(alerts[0]!.id, alerts[1]!.id);
  assert.ok(alerts.every((a) => a.revision === 1));
});

test('keys are per tenant: the same IP in two tenants never shares state', () => {
  const evs = [fail(0, 'a'), fail(1, 'b'), { ...fail(2, 'c'), tenant: 'tenant-b' }];
  assert.equal(run([distinctUsers], evs).alerts.length, 0);
});

const appEv = (id: string, action: 'consent.grant' | 'app.credential.add' | 'app.delete', dt: number, app = 'app-1') =>
  ev({ id, time: T0 + dt, action, source: 'entra.audit', app, outcome: 'success' });

test('sequence: A then B within T fires; B before A, or B after T, does not', () => {
  const ok = run([consentThenSecret], [appEv('c', 'consent.grant', 0), appEv('s', 'app.credential.add', 30 * MIN)]);
  assert.equal(ok.alerts.length, 1);
  assert.equal(ok.alerts[0]!.key, 'app-1');
  assert.deepEqual(ok.alerts[0]!.evidence.map((x) => x.eventId), ['c', 's']);
  assert.match(ok.alerts[0]!.explanation, /30 min/);
  assert.equal(run([consentThenSecret], [appEv('s', 'app.credential.add', 0), appEv('c', 'consent.grant', 1)]).alerts.length, 0);
  assert.equal(run([consentThenSecret], [appEv('c', 'consent.grant', 0), appEv('s', 'app.credential.add', 60 * MIN + 1)]).alerts.length, 0);
  assert.equal(run([consentThenSecret], [appEv('c', 'consent.grant', 0), appEv('s', 'app.credential.add', 5, 'app-2')]).alerts.length, 0);
});

test('sequence: "replace" keeps the held step event while the rule refuses a newer one, until the window ends', () => {
  const consent = (id: string, dt: number, user: string) => ({ ...appEv(id, 'consent.grant', dt), actor: { kind: 'user' as const, user } });
  const held = run([firstConsentHolds], [consent('c1', 0, 'ann'), consent('c2', 10 * MIN, 'bob'), appEv('s', 'app.credential.add', 20 * MIN)]);
  assert.deepEqual(held.alerts[0]!.evidence.map((x) => x.eventId), ['c1', 's'], "bob's consent did not take ann's place");
  const same = run([firstConsentHolds], [consent('c1', 0, 'ann'), consent('c2', 10 * MIN, 'ann'), appEv('s', 'app.credential.add', 20 * MIN)]);
  assert.deepEqual(same.alerts[0]!.evidence.map((x) => x.eventId), ['c2', 's'], 'an accepted newer event replaces as always');
  // once the held event is outside the window, the newer one takes over whatever the rule says
  const late = run([firstConsentHolds], [consent('c1', 0, 'ann'), consent('c2', 61 * MIN, 'bob'), appEv('s', 'app.credential.add', 70 * MIN)]);
  assert.deepEqual(late.alerts[0]!.evidence.map((x) => x.eventId), ['c2', 's']);
  assert.deepEqual(plain(run([consentThenSecret], [consent('c1', 0, 'ann'), consent('c2', 10 * MIN, 'bob'), appEv('s', 'app.credential.add', 20 * MIN)]).alerts)
    .map((a) => (a as { evidence: { eventId: string }[] }).evidence.map((x) => x.eventId)), [['c2', 's']], 'without replace the latest start holds');
});

test('state older than its TTL is dead for the event that ends the gap, whenever housekeeping runs', () => {
  // newIp: 24 h history, 60 min warm-up. After 25 h of silence the user's state is dead: the next sign-in starts
  // a fresh learning period (no alert), rather than finding a stale key past its warm-up with nothing known.
  const s = (id: string, dt: number, ip: string) => ev({ id, time: T0 + dt, user: 'u', ip, outcome: 'success' });
  const evs = [s('1', 0, '198.51.100.1'), s('2', 25 * 60 * MIN, '203.0.113.9')];
  for (const ordered of [false, true]) {
    const e = new Engine([newIp], defaultConfig(), { ordered });
    for (const x of evs) e.push(x);
    e.end();
    assert.deepEqual(e.drain(), [], `ordered: ${ordered}`);
    assert.equal(e.stats.rules['TEST-FIRST-001']!.expired, 1);
  }
  // inside the history the first value is still known and the new one fires
  assert.equal(run([newIp], [s('1', 0, '198.51.100.1'), s('2', 23 * 60 * MIN, '203.0.113.9')]).alerts.length, 1);
});

test('first-seen "also": a second value the builder finds, left out of the known values and their count', () => {
  const s = (id: string, dt: number, ip: string) => ev({ id, time: T0 + dt, user: 'u', ip, outcome: 'success' });
  const { alerts } = run([newIpAlso], [s('1', 0, '198.51.100.1'), s('2', 30 * MIN, '198.51.100.2'), s('3', 2 * 60 * MIN, '203.0.113.9')]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.explanation, 'new 203.0.113.9; knew 198.51.100.2,198.51.100.1 (2); last by by|2');
});

test('learningOnly: a first-seen rule whose keys never left their warm-up', () => {
  const s = (id: string, dt: number, ip: string) => ev({ id, time: T0 + dt, user: 'u', ip, outcome: 'success' });
  const young = run([newIp], [s('1', 0, '198.51.100.1'), s('2', 30 * MIN, '203.0.113.9')]).engine;
  assert.deepEqual([...young.learningOnly()], [['TEST-FIRST-001', 60 * MIN]], 'both events inside the 60-minute warm-up');
  const old = run([newIp], [s('1', 0, '198.51.100.1'), s('2', 61 * MIN, '198.51.100.1')]).engine;
  assert.deepEqual([...old.learningOnly()], [], 'an event past the warm-up was judged (known, no alert)');
});

test('sequence: an "unless" event between A and B cancels', () => {
  const evs = [appEv('c', 'consent.grant', 0), appEv('d', 'app.delete', 1), appEv('s', 'app.credential.add', 2)];
  assert.equal(run([consentThenSecret], evs).alerts.length, 0);
});

test('first-seen: new value fires only after warm-up, known values never', () => {
  const s = (id: string, dt: number, ip: string, outcome: 'success' | 'failure' = 'success') =>
    ev({ id, time: T0 + dt, user: 'u', ip, outcome });
  const evs = [s('1', 0, '198.51.100.1'), s('2', 30 * MIN, '198.51.100.2'), s('3', 2 * 60 * MIN, '198.51.100.1'), s('4', 3 * 60 * MIN, '203.0.113.9'), s('5', 4 * 60 * MIN, '203.0.113.10', 'failure')];
  const { alerts } = run([newIp], evs);
  // '2' is new but inside the 60-minute warm-up; '4' is new after it; '5' is new but a failure (teaches only)
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]!.entities, [{ type: 'ip', id: '203.0.113.9' }]);
  assert.match(alerts[0]!.explanation, /knew 198\.51\.100\.1,198\.51\.100\.2/);
});

test('first-seen: a value forgotten after the history window is new again', () => {
  const s = (id: string, dt: number, ip: string) => ev({ id, time: T0 + dt, user: 'u', ip, outcome: 'success' });
  const day = 24 * 60 * MIN;
  const evs = [s('1', 0, '198.51.100.1'), s('2', 2 * 60 * MIN, '198.51.100.2'), s('3', 2 * 60 * MIN + day, '198.51.100.2'), s('4', 2 * 60 * MIN + day + 2, '198.51.100.1')];
  const { alerts } = run([newIp], evs);
  // '2' fires (new after warm-up); '3' is known (last seen exactly a day before, inside history); '1' was forgotten
  assert.deepEqual(alerts.map((a) => a.entities[0]!.id), ['198.51.100.2', '198.51.100.1']);
});

test('baseline: a bucket far above the learned mean fires once, with the baseline numbers', () => {
  const evs = [];
  for (let h = 0; h < 5; h++) evs.push(ev({ id: `b${h}`, time: T0 + h * 60 * MIN, user: 'u' }));
  for (let i = 0; i < 8; i++) evs.push(ev({ id: `s${i}`, time: T0 + 5 * 60 * MIN + i * MIN, user: 'u' }));
  const { alerts } = run([spike], evs);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.facts.count, 5);
  assert.equal(alerts[0]!.facts.threshold, 5);
  // not enough history yet: the same burst in hour 1 does not fire
  const early = [ev({ id: 'x', time: T0, user: 'u' }), ...Array.from({ length: 8 }, (_, i) => ev({ id: `e${i}`, time: T0 + 60 * MIN + i, user: 'u' }))];
  assert.equal(run([spike], early).alerts.length, 0);
});

test('order: input reordered within the lateness bound gives the alerts of sorted input', () => {
  const evs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((u, i) => fail(i, u));
  const sorted = plain(run([distinctUsers], evs).alerts);
  const reversed = plain(run([distinctUsers], [...evs].reverse()).alerts); // 7 minutes apart < 15-minute bound
  assert.deepEqual(reversed, sorted);
});

test('late events: counted in stats.late and still processed (at the latest processed time)', () => {
  const e = new Engine([distinctUsers], defaultConfig());
  e.push(fail(0, 'a'));
  e.push(fail(1, 'b'));
  e.push(fail(16, 'c')); // watermark moves to minute 1: 'a' is processed, 'b' (at minute 1) still waits
  e.push(ev({ id: 'late', time: T0 + 0.5 * MIN, user: 'z', ip: '203.0.113.7' })); // before the watermark: late
  assert.equal(e.stats.late, 1);
  e.end();
  const alerts = e.drain();
  // z is processed on arrival (after 'a', before 'b'), so a, z, b make three accounts
  assert.equal(alerts.length, 1);
  assert.ok(alerts[0]!.evidence.some((x) => x.eventId === 'late'));
});

test('duplicates: the same event id twice (buffered or already processed) is dropped and counted', () => {
  const e = new Engine([distinctUsers], defaultConfig());
  e.push(fail(0, 'a'));
  e.push(fail(0, 'a'));
  e.push(fail(30, 'b'));
  e.push(fail(0, 'a')); // late and already processed
  assert.equal(e.stats.duplicates, 2);
  e.end();
  assert.equal(e.drain().length, 0);
});

test('duplicates: two records that share an id but not the event time are both processed (buffered or late)', () => {
  const e = new Engine([distinctUsers], defaultConfig());
  // anonymised exports reuse ids: the same id on two different records, an hour apart
  e.push(ev({ id: 'same', time: T0 + 60 * MIN, user: 'a', ip: '203.0.113.7' }));
  e.push(ev({ id: 'same', time: T0 + 61 * MIN, user: 'b', ip: '203.0.113.7' }));
  e.push(fail(90, 'c'));
  e.push(ev({ id: 'same', time: T0 + 59 * MIN, user: 'd', ip: '203.0.113.7' })); // late, not seen before
  e.push(ev({ id: 'same', time: T0 + 60 * MIN, user: 'a', ip: '203.0.113.7' })); // late, a real re-delivery
  assert.equal(e.stats.duplicates, 1);
  e.end();
  assert.equal(e.stats.processed, 4);
});

test('re-processing the same events into the same engine never re-emits an (id, revision)', () => {
  const evs = ['a', 'b', 'c', 'd', 'e', 'f'].map((u, i) => fail(i, u));
  const e = new Engine([distinctUsers], defaultConfig(), { dedupMaxIds: 1 }); // defeat event dedup on purpose
  for (const x of evs) e.push(x);
  e.end();
  const first = e.drain();
  for (const x of evs) e.push({ ...x });
  const again = e.drain();
  const pairs = [...first, ...again].map((a) => `${a.id}#${a.revision}`);
  assert.equal(new Set(pairs).size, pairs.length);
  assert.ok(e.stats.repeatedIds > 0);
});

test('dispatch: events no rule consumes are ignored, not buffered', () => {
  const e = new Engine([distinctUsers], defaultConfig());
  e.push(ev({ id: 'm', time: T0, action: 'mail.send', source: 'exchange.messagetrace' }));
  assert.equal(e.stats.ignored, 1);
  assert.equal(e.stats.buffered, 0);
});

test('lanes: a sign-in rule is not held back by the unified audit log lateness', () => {
  const e = new Engine([distinctUsers, every], defaultConfig());
  e.push(ev({ id: 'u1', time: T0, action: 'connector.inbound.create', source: 'ual', outcome: 'success' }));
  for (const [i, u] of ['a', 'b', 'c'].entries()) e.push(fail(i, u));
  e.push(fail(20, 'later')); // sign-in watermark passes minute 5; the UAL watermark is still an hour behind
  const alerts = e.drain();
  assert.deepEqual(alerts.map((a) => a.rule), ['TEST-THRESH-001']);
});

test('bounded state: the per-rule key cap evicts least recently touched keys and counts them', () => {
  const e = new Engine([distinctUsers], defaultConfig(), { maxKeysPerRule: 100 });
  for (let i = 0; i < 1000; i++) e.push(ev({ id: `k${i}`, time: T0 + i, user: 'u', ip: `198.51.100.${i % 250}-${i}` }));
  e.end();
  const s = e.stats.rules['TEST-THRESH-001']!;
  assert.ok(s.keys <= 100);
  assert.equal(s.evicted + s.expired + s.keys, 1000);
  assert.ok(s.evicted >= 900);
});

test('TTL: state for keys not touched within the window is expired as the watermark advances', () => {
  const e = new Engine([distinctUsers], defaultConfig());
  for (let i = 0; i < 50; i++) e.push(ev({ id: `t${i}`, time: T0 + i, user: 'u', ip: `ip-${i}` }));
  e.advanceWatermark(undefined, T0 + 11 * MIN);
  const s = e.stats.rules['TEST-THRESH-001']!;
  assert.equal(s.keys, 0);
  assert.equal(s.expired, 50);
});

test('snapshot/restore mid-stream continues exactly', () => {
  const evs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((u, i) => fail(i, u));
  const whole = plain(run([distinctUsers], evs).alerts);
  const e1 = new Engine([distinctUsers], defaultConfig());
  for (const x of evs.slice(0, 4)) e1.push(x);
  const before = e1.drain();
  const snap = JSON.stringify(e1.snapshot());
  const e2 = Engine.restore([distinctUsers], defaultConfig(), snap);
  for (const x of evs.slice(4)) e2.push(x);
  e2.end();
  assert.deepEqual(plain([...before, ...e2.drain()]), whole);
  assert.deepEqual(e2.restoreNotes, []);
});

test('restore: a rule whose settings changed starts empty and says so', () => {
  const e1 = new Engine([distinctUsers], defaultConfig());
  e1.push(fail(0, 'a'));
  const cfg = defaultConfig();
  cfg.rules.tunables['TEST-THRESH-001'] = { min: 5 };
  const e2 = Engine.restore([distinctUsers], cfg, e1.snapshot());
  assert.equal(e2.restoreNotes.length, 1);
  assert.match(e2.restoreNotes[0]!, /settings changed/);
});

test('a snapshot written before duplicates carried the event time still stops re-delivered events, until it rotates out', () => {
  const e1 = new Engine([distinctUsers], defaultConfig());
  for (const u of ['a', 'b', 'c']) e1.push(fail(0, u));
  e1.end();
  const snap = e1.snapshot();
  // what the earlier version saved: bare ids
  const bare = (ks: string[]) => ks.map((k) => k.slice(0, k.lastIndexOf('@')));
  const old = { ...snap, recent: { ...snap.recent, cur: bare(snap.recent.cur), prev: bare(snap.recent.prev) } };
  assert.ok(old.recent.cur.length > 0 && old.recent.cur.every((k) => !k.includes('@')));
  const e2 = Engine.restore([distinctUsers], defaultConfig(), JSON.parse(JSON.stringify(old)) as typeof snap);
  for (const u of ['a', 'b', 'c']) e2.push(fail(0, u));
  assert.equal(e2.stats.duplicates, 3);
});

test('restore rejects something that is not a snapshot', () => {
  assert.throws(() => Engine.restore([distinctUsers], defaultConfig(), '{"format":"x"}'), /not a tenantwatch engine snapshot/);
});
