// The evidence text store: budget, spill, release; and that the engine puts held texts back into alerts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../config/config.js';
import type { Event } from '../core/event.js';
import { Engine } from './engine.js';
import { consentThenSecret, distinctUsers, newIp, spike, every } from './test-rules.js';
import { TextStore } from './texts.js';
import { ev, MIN, T0 } from './testing.js';

test('texts within the budget stay in memory; past it the oldest are given up (no spill) and counted', () => {
  const s = new TextStore({ budget: 10 });
  const a = s.put('aaaa'), b = s.put('bbbb');
  assert.equal(s.get(a), 'aaaa');
  const c = s.put('cccc'); // 12 > 10: 'aaaa' goes
  assert.equal(s.get(a), undefined);
  assert.equal(s.get(b), 'bbbb');
  assert.equal(s.get(c), 'cccc');
  assert.equal(s.stats.dropped, 1);
  s.release(b);
  s.put('dddd'); // 8 <= 10 after the release: nothing more goes
  assert.equal(s.stats.dropped, 1);
  assert.equal(s.held, 2);
});

test('with spill, texts past the budget go to a temporary file and come back byte for byte; close removes it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-texts-'));
  try {
    const s = new TextStore({ budget: 100, spill: dir });
    const texts = Array.from({ length: 3000 }, (_, i) => `{"n":${i},"s":"zürich ✓ ${'x'.repeat(i % 700)}"}`);
    const refs = texts.map((t) => s.put(t));
    assert.ok(s.stats.spilled > 2900, `spilled ${s.stats.spilled}`);
    assert.ok(s.stats.spilledBytes > 1_000_000, 'the write buffer was flushed to the file at least once');
    for (let i = 0; i < texts.length; i += 7) assert.equal(s.get(refs[i]!), texts[i]);
    assert.equal(s.get(refs[texts.length - 1]!), texts[texts.length - 1]);
    s.release(refs[0]!);
    assert.equal(s.get(refs[0]!), undefined);
    assert.equal(readdirSync(dir).length, 1);
    s.close();
    assert.equal(readdirSync(dir).length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A stream where every test rule fires after its evidence has sat in state for a while. */
function stream(): Event[] {
  const out: Event[] = [];
  const big = (id: string): string => `{"id":"${id}","pad":"${'p'.repeat(3000)}"}`;
  const add = (o: Parameters<typeof ev>[0]) => {
    const e = ev(o);
    e.raw.text = big(o.id);
    out.push(e);
  };
  for (let h = 0; h < 4; h++) add({ id: `h${h}`, time: T0 + h * 60 * MIN, outcome: 'success', user: 'a', ip: '198.51.100.9' });
  for (let i = 0; i < 6; i++) add({ id: `f${i}`, time: T0 + (240 + i) * MIN, user: `u${i}`, ip: '203.0.113.1' });
  add({ id: 'n1', time: T0 + 250 * MIN, outcome: 'success', user: 'a', ip: '203.0.113.2' });
  add({ id: 'c1', time: T0 + 260 * MIN, action: 'consent.grant', source: 'entra.audit', outcome: 'success', user: 'x', app: 'app-1' });
  add({ id: 's1', time: T0 + 270 * MIN, action: 'app.credential.add', source: 'entra.audit', outcome: 'success', user: 'x', app: 'app-1' });
  for (let i = 0; i < 6; i++) add({ id: `q${i}`, time: T0 + (290 + i) * MIN, source: 'ual', user: 'a', ip: '203.0.113.1' });
  return out;
}

function run(opts: ConstructorParameters<typeof Engine>[2]): { alerts: ReturnType<Engine['drain']>; engine: Engine } {
  const e = new Engine([distinctUsers, consentThenSecret, newIp, spike, every], defaultConfig(), opts);
  for (const x of stream()) e.push(x);
  e.end();
  return { alerts: e.drain(), engine: e };
}

test('alerts carry the full texts of evidence that waited in state, whether it stayed in memory or was spilled', () => {
  const plain = run({ ordered: true });
  const spilled = run({ ordered: true, texts: new TextStore({ budget: 1, spill: '' }) });
  assert.ok(plain.alerts.length >= 4);
  assert.ok(spilled.engine.texts.stats.spilled > 0, 'the tiny budget forced spills');
  assert.deepEqual(spilled.alerts, plain.alerts);
  for (const a of plain.alerts) {
    for (const e of a.evidence) {
      assert.match(e.raw.text ?? '', /^\{"id":"[a-z0-9]+","pad":"p+"\}$/, `${a.rule} ${e.eventId}`);
      assert.equal(e.raw.ref, undefined, 'no internal ref leaks into an alert');
    }
  }
  spilled.engine.texts.close();
});

test('without spill a text given up shows as textDropped, never as a silently empty evidence', () => {
  const { alerts, engine } = run({ ordered: true, texts: new TextStore({ budget: 1 }) });
  assert.ok(engine.texts.stats.dropped > 0);
  const dropped = alerts.flatMap((a) => a.evidence).filter((e) => e.raw.text === undefined);
  assert.ok(dropped.length > 0);
  for (const e of dropped) assert.match(e.raw.textDropped ?? '', /memory budget/);
});

test('state releases what it held: once everything has expired, only the newest event\'s texts are left', () => {
  const e = new Engine([distinctUsers, consentThenSecret, newIp, spike, every], defaultConfig(), { ordered: true });
  for (const x of stream()) e.push(x);
  const during = e.texts.held;
  assert.ok(during > 5, `state holds texts while windows are open (${during})`);
  // a month later: every window, partial sequence and bucket of the stream has expired
  e.push(ev({ id: 'late', time: T0 + 30 * 24 * 60 * MIN, user: 'zz', ip: '192.0.2.1' }));
  assert.ok(e.texts.held <= 2, `held ${e.texts.held}`);
});
