// The evidence text store: budget, spill, release; and that the engine puts held texts back into alerts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../config/config.js';
import type { Event } from '../core/event.js';
import { textFingerprint } from '../core/fingerprint.js';
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
  assert.ok(plain.alerts.some((a) => a.revision > 1 && a.evidence.length > 1), 'revisions of open alerts, whose evidence waited in the store when it spills');
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
  // a store that spills (hunt) also holds the open alerts' evidence texts until their suppression periods close
  for (const texts of [undefined, new TextStore({ budget: 1, spill: '' })]) {
    const e = new Engine([distinctUsers, consentThenSecret, newIp, spike, every], defaultConfig(), { ordered: true, texts });
    for (const x of stream()) e.push(x);
    const during = e.texts.held;
    assert.ok(during > 5, `state holds texts while windows are open (${during})`);
    // a month later: every window, partial sequence, bucket and suppression period of the stream has expired
    e.push(ev({ id: 'late', time: T0 + 30 * 24 * 60 * MIN, user: 'zz', ip: '192.0.2.1' }));
    assert.ok(e.texts.held <= 2, `held ${e.texts.held}`);
    e.texts.close();
  }
});

test('a text left in its input file is held as its place and read back; a changed or missing file says why', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-texts-'));
  try {
    const file = join(dir, 'in.ndjson');
    const lines = ['{"a":1}', '{"b":"two"}', '{"c":[3]}'];
    writeFileSync(file, lines.join('\n') + '\n');
    const s = new TextStore({ budget: 1 });
    const refs = lines.map((t, i) => s.putAt(file, { offset: lines.slice(0, i).join('\n').length + (i ? 1 : 0), bytes: t.length, fp: textFingerprint(t) }));
    assert.deepEqual(refs.map((r) => s.get(r)), lines);
    assert.equal(s.stats.dropped, 0, 'a place costs nothing against the budget');
    assert.equal(s.held, 3);
    s.release(refs[0]!);
    assert.equal(s.held, 2);
    // a freed place is reused; the released ref finds nothing, never the new text
    const again = s.putAt(file, { offset: 8, bytes: 11, fp: textFingerprint(lines[1]!) });
    assert.notEqual(again, refs[0]);
    assert.equal(s.get(again), lines[1]);
    assert.equal(s.get(refs[0]!), undefined);
    s.release(refs[0]!); // (twice: no effect)
    assert.equal(s.held, 3);
    s.release(again);
    for (let i = 0; i < 5000; i++) s.release(s.putAt(file, { offset: 0, bytes: 7, fp: textFingerprint(lines[0]!) }));
    assert.equal(s.held, 2);
    writeFileSync(file, '{"a":1}\n{"B":"two"}\n{"c":[3]}\n'); // same length, one byte differs
    assert.equal(s.get(refs[2]!), '{"c":[3]}');
    assert.match((s.textOrWhy(refs[1]!) as { why: string }).why, /input file changed after it was read .*offset 8/);
    writeFileSync(file, '{"a":1}\n');
    assert.match((s.textOrWhy(refs[2]!) as { why: string }).why, /changed after it was read/);
    s.close();
    rmSync(file);
    const t = new TextStore();
    assert.match((t.textOrWhy(t.putAt(file, { offset: 0, bytes: 7, fp: textFingerprint('{"a":1}') })) as { why: string }).why, /could not be read again .*ENOENT/);
    t.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('evidence whose text is in the input file (read as bytes, or sent without it by a decoding thread) ends in alerts as if held', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-texts-'));
  try {
    const file = join(dir, 'in.ndjson');
    const evs = stream().map((e) => ({ ...e, raw: { ...e.raw, file } }));
    let pos = 0;
    for (const e of evs) {
      e.raw.offset = pos;
      e.raw.bytes = e.raw.text!.length; // (ASCII)
      pos += e.raw.bytes + 1;
    }
    writeFileSync(file, evs.map((e) => e.raw.text).join('\n') + '\n');
    const go = (events: Event[], dropped = 0) => {
      const e = new Engine([distinctUsers, consentThenSecret, newIp, spike, every], defaultConfig(), { ordered: true, texts: new TextStore({ budget: 1 }) });
      for (const x of events) e.push(x);
      e.end();
      if (!dropped) assert.equal(e.texts.stats.dropped, 0, 'nothing was held as text');
      else assert.ok(e.texts.stats.dropped > 0);
      const out = e.drain();
      e.texts.close();
      return out;
    };
    const withoutOffsets = go(evs.map((e) => ({ ...e, raw: { file, line: 1, format: 'test', text: e.raw.text } })), 1);
    assert.ok(withoutOffsets.flatMap((a) => a.evidence).some((x) => x.raw.textDropped), 'without offsets the 1-char budget drops texts');
    const withText = go(evs);
    const leftInFile = go(evs.map((e) => {
      const { text, ...raw } = e.raw;
      return { ...e, raw: { ...raw, at: { offset: raw.offset!, bytes: text!.length, fp: textFingerprint(text!) } } };
    }));
    assert.ok(withText.length >= 4);
    assert.deepEqual(leftInFile, withText);
    for (const a of withText) {
      for (const x of a.evidence) {
        assert.match(x.raw.text ?? '', /^\{"id":"[a-z0-9]+","pad":"p+"\}$/, `${a.rule} ${x.eventId}`);
        assert.equal(x.raw.ref, undefined);
        assert.equal(x.raw.at, undefined, 'no internal place leaks into an alert');
      }
    }
    // the file is rewritten before the alerts are built: the evidence says so instead of showing other bytes
    const texts = evs.map((e) => e.raw.text!.replace(/p/g, 'q'));
    writeFileSync(file, texts.join('\n') + '\n');
    const changed = go(evs).flatMap((a) => a.evidence).filter((x) => x.raw.text === undefined);
    assert.ok(changed.length > 0);
    for (const x of changed) assert.match(x.raw.textDropped ?? '', /input file changed after it was read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
