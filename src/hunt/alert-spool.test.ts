import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../detect/alert.js';
import { TextStore } from '../detect/texts.js';
import { alert, ip, T0, user } from '../correlate/testing.js';
import { AlertSpool } from './alert-spool.js';

const withEvidence = (a: Alert, texts: (string | undefined)[]): Alert => ({
  ...a,
  evidence: texts.map((text, i) => ({
    eventId: `${a.key}-e${i}`, time: a.time, source: 'entra.signin', action: 'signin', summary: `use ${i}`,
    raw: { file: 'signins.ndjson', line: i + 1, format: 'azure.diag.signin', ...(text === undefined ? {} : { text }) },
  })),
});

test('the latest revision of each alert comes back in first-made order, texts from the text store, same JSON', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tw-spool-test-'));
  const texts = new TextStore({ budget: 16, spill: tmp });
  const spool = new AlertSpool({ tmpDir: tmp, texts });
  try {
    const a1 = withEvidence(alert({ name: 'a', at: T0, entities: [user('ann@contoso.example')] }), ['{"id":"1","ünïcode":"✓"}', undefined]);
    const b1 = withEvidence(alert({ name: 'b', at: T0, entities: [ip('203.0.113.9')] }), ['{"id":"2"}']);
    const a2 = { ...withEvidence(a1, ['{"id":"1"}', '{"id":"3"}']), revision: 2, occurrences: 4 };
    spool.put(a1);
    spool.put(b1);
    spool.put(a2);
    spool.put({ ...a1, title: 'an older revision never wins' });
    assert.equal(spool.size, 2);
    assert.deepEqual([...spool.ids()], [a1.id, b1.id]);
    assert.ok(spool.has(b1.id));
    const back = spool.takeAll();
    assert.deepEqual(back.map((a) => [a.id, a.revision]), [[a1.id, 2], [b1.id, 1]]);
    // byte-identical rendering: the text getter sits where the text was
    assert.equal(JSON.stringify(back[0]), JSON.stringify(a2));
    assert.equal(JSON.stringify(back[1]), JSON.stringify(b1));
    assert.equal(back[1]!.evidence[0]!.raw.text, '{"id":"2"}');
    assert.ok(texts.stats.spilled > 0, 'the texts went to the text store (and its budget sent some to its file)');
    assert.equal(spool.size, 0, 'taking them closes the spool');
  } finally {
    spool.close();
    texts.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('alerts past the write buffer go to a temporary file that closing removes; an alert larger than the buffer too', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'tw-spool-test-'));
  const spool = new AlertSpool({ tmpDir: tmp });
  try {
    const made: Alert[] = [];
    for (let i = 0; i < 600; i++) {
      const a = alert({ name: `n${i}`, at: T0 + i, entities: [user(`u${i}@contoso.example`)], facts: { pad: 'x'.repeat(2000), i } });
      made.push(a);
      spool.put(a);
    }
    const huge = alert({ name: 'huge', at: T0, entities: [], facts: { pad: 'y'.repeat(1_200_000) } });
    spool.put(huge);
    made.push(huge);
    const dirs = readdirSync(tmp);
    assert.equal(dirs.length, 1, 'one spool directory');
    assert.ok(existsSync(join(tmp, dirs[0]!, 'alerts.ndjson')));
    const back = spool.takeAll();
    assert.deepEqual(back, made, 'alerts without texts come back equal (no store: texts would stay inline)');
    assert.deepEqual(readdirSync(tmp), [], 'the spool file is gone');
  } finally {
    spool.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('without a text store, evidence texts stay in the spooled alert', () => {
  const spool = new AlertSpool();
  const a = withEvidence(alert({ name: 'c', at: T0, entities: [] }), ['{"x":1}']);
  spool.put(a);
  const [back] = spool.takeAll();
  assert.deepEqual(back, a);
  assert.equal(Object.getOwnPropertyDescriptor(back!.evidence[0]!.raw, 'text')?.value, '{"x":1}', 'a plain value, no getter');
});
