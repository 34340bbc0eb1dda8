// The read stage's promises: every record accounted for, encodings and containers sniffed, bad input explained.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Event } from '../core/event.js';
import { textFingerprint } from '../core/fingerprint.js';
import { readInputs, type ReadSummary } from './read.js';
import { decodeFixture, decodeText } from './testkit.js';

// A message-trace record (Reporting Web Service shape) is the smallest real format; ids make dedup observable.
function trace(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Organization: 'contoso.example', MessageId: `<m${i}@contoso.example>`, Received: `2026-03-0${1 + (i % 9)}T10:00:0${i % 10}.1234567`,
    SenderAddress: `a${i}@contoso.example`, RecipientAddress: `b${i}@fabrikam.example`, Subject: `hello ${i}`,
    Status: 'Delivered', ToIP: null, FromIP: '203.0.113.7', Size: 1234, MessageTraceId: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    StartDate: '2026-03-01T00:00:00Z', EndDate: '2026-03-10T00:00:00Z', Index: i, ...extra,
  };
}
const ndjson = (n: number, from = 0) => Array.from({ length: n }, (_, i) => JSON.stringify(trace(i + from))).join('\n') + '\n';

function balanced(s: ReadSummary): void {
  const t = s.totals;
  assert.equal(t.records, t.events + t.duplicates + t.filtered + t.quarantined, 'records = events + duplicates + filtered + quarantined');
  for (const f of s.files) assert.equal(f.records, f.events + f.duplicates + f.filtered + f.quarantined, f.path);
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'tw-read-'));
}

test('NDJSON, pretty array, Graph-style page and OData v2 envelope all yield the same events', async () => {
  const recs = [trace(1), trace(2)];
  const shapes = [
    recs.map((r) => JSON.stringify(r)).join('\n'),
    JSON.stringify(recs, null, 2),
    JSON.stringify({ '@odata.context': 'x', value: recs, '@odata.nextLink': 'https://next' }),
    JSON.stringify({ d: { results: recs } }),
    JSON.stringify([{ value: [recs[0]] }, { value: [recs[1]] }]),
  ];
  const ids = [];
  for (const s of shapes) {
    const r = await decodeText(s);
    balanced(r.summary);
    assert.equal(r.events.length, 2, s.slice(0, 40));
    ids.push(r.events.map((e) => `${e.id}|${e.time}`).join(','));
  }
  assert.equal(new Set(ids).size, 1);
});

test('encodings: UTF-8 BOM, UTF-16LE with BOM, CRLF, gzip', async () => {
  const text = ndjson(3).replace(/\n/g, '\r\n');
  const variants: Buffer[] = [
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    gzipSync(Buffer.from(text)),
    gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])),
  ];
  for (const v of variants) {
    const r = await decodeText(v, 'x.bin');
    assert.equal(r.events.length, 3);
    assert.equal(r.quarantined.length, 0);
  }
});

test('truncated last line, invalid JSON and binary garbage are quarantined with file:line, the run goes on', async () => {
  const text = ndjson(3) + '{"Organization": "x", "broken\n' + ndjson(1, 10) + '{"MessageTraceId":"cut';
  const r = await decodeText(text, 'mixed.ndjson');
  balanced(r.summary);
  assert.equal(r.events.length, 4);
  assert.deepEqual(r.quarantined.map((q) => q.line), [4, 6]);
  assert.match(r.quarantined[1]!.reason, /last line|cut off/);
});

test('another product\'s records (Okta, Google Workspace, CloudTrail) are named as such, in a file and among Microsoft records', async () => {
  const okta = { actor: { alternateId: 'a@example.com' }, eventType: 'user.session.start', published: '2024-01-01T00:00:00Z', uuid: 'u1' };
  const trail = { eventVersion: '1.08', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', awsRegion: 'us-east-1' };
  const mixed = await decodeText(ndjson(1) + JSON.stringify(okta) + '\n' + JSON.stringify(trail) + '\n');
  assert.equal(mixed.events.length, 1);
  assert.match(mixed.quarantined[0]!.reason, /: an Okta System Log record, a product tenantwatch does not read/);
  assert.match(mixed.quarantined[1]!.reason, /: an AWS CloudTrail record, a product tenantwatch does not read/);
  const google = { kind: 'admin#reports#activity', id: { time: '2024-01-01T00:00:00Z', applicationName: 'login' }, events: [] };
  const s = await decodeText(JSON.stringify(google) + '\n');
  assert.match(s.summary.skipped[0]!.reason, /^not a Microsoft log: the first record is a Google Workspace Reports API record/);
});

test('unknown records inside a recognised file are quarantined; a file of unknown records is skipped', async () => {
  const r = await decodeText(ndjson(2) + '{"foo":1}\n');
  assert.equal(r.events.length, 2);
  assert.match(r.quarantined[0]!.reason, /unrecognized record \(keys: foo\)/);
  const s = await decodeText('{"foo":1}\n{"bar":2}\n');
  assert.equal(s.summary.totals.records, 0);
  assert.match(s.summary.skipped[0]!.reason, /not a recognized log/);
});

test('directories: recursive, sorted, non-logs and empty files skipped with reasons', async () => {
  const d = tmp();
  try {
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'sub', 'b.json'), ndjson(2, 5));
    writeFileSync(join(d, 'a.ndjson'), ndjson(2));
    writeFileSync(join(d, 'README.md'), '# notes\nnot a log\n');
    writeFileSync(join(d, 'empty.json'), '');
    writeFileSync(join(d, 'blob.bin'), Buffer.from([0, 1, 2, 3, 4, 5, 0, 0, 7, 8, 9, 200, 201, 0, 3]));
    writeFileSync(join(d, 'other.csv'), 'Foo,Bar\n1,2\n');
    const r = await decodeFixture(d);
    balanced(r.summary);
    assert.equal(r.events.length, 4);
    const reasons = Object.fromEntries(r.summary.skipped.map((s) => [s.path.split('/').pop(), s.reason]));
    assert.match(reasons['README.md']!, /not a recognized log/);
    assert.match(reasons['empty.json']!, /empty/);
    assert.match(reasons['blob.bin']!, /binary/);
    assert.match(reasons['other.csv']!, /unrecognized header \(Foo, Bar\)/);
    assert.deepEqual(r.summary.files.filter((f) => !f.skipped).map((f) => f.path.split('/').pop()), ['a.ndjson', 'b.json']);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('overlapping exports: duplicates counted, not repeated', async () => {
  const d = tmp();
  try {
    writeFileSync(join(d, 'week1.json'), ndjson(5));
    writeFileSync(join(d, 'week1-again.json'), JSON.stringify({ value: Array.from({ length: 7 }, (_, i) => trace(i)) }));
    const r = await decodeFixture(d);
    balanced(r.summary);
    assert.equal(r.events.length, 7);
    assert.equal(r.duplicates.length, 5);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('one id on two records at different times: both are events; the same id and time again is the duplicate', async () => {
  // anonymised exports (and sources that reuse ids) put one id on different records, within the same hour too
  const later = { Received: '2026-03-02T10:40:01.1234567' };
  const text = [trace(1), trace(1, later), trace(1)].map((r) => JSON.stringify(r)).join('\n') + '\n';
  const r = await decodeText(text, 'x.json');
  balanced(r.summary);
  assert.equal(r.events.length, 2);
  assert.equal(r.events[0]!.id, r.events[1]!.id, 'the fixture gives both records one id');
  assert.equal(r.duplicates.length, 1);
  assert.equal(r.duplicates[0]!.time, r.events[0]!.time);
});

test('--since/--until filter with a reason', async () => {
  const r = await decodeText(ndjson(9), 'x.json', { since: Date.UTC(2026, 2, 3), until: Date.UTC(2026, 2, 6) } as never);
  balanced(r.summary);
  assert.equal(r.events.length, 3);
  assert.equal(r.filtered.length, 6);
  assert.deepEqual([...new Set(r.filtered.map((f) => f.reason))].sort(), ['after --until', 'before --since']);
});

test('a 10 MB field is read, not choked on', async () => {
  const big = ndjson(1) + JSON.stringify(trace(2, { Subject: 'x'.repeat(10 * 1024 * 1024) })) + '\n' + ndjson(1, 3);
  const r = await decodeText(big);
  assert.equal(r.events.length, 3);
});

test('standard input', async () => {
  const summary = await readInputs(['-'], { event: () => undefined }, { stdin: Readable.from([Buffer.from(ndjson(4))]) });
  assert.equal(summary.totals.events, 4);
  assert.equal(summary.files[0]!.path, '-');
});

test('property: arbitrary bytes never throw, hang or drop silently', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.nat(3), async (bytes, k) => {
      const prefix = k === 0 ? Buffer.alloc(0) : Buffer.from(ndjson(k));
      const r = await decodeText(Buffer.concat([prefix, Buffer.from(bytes)]), 'fuzz.bin');
      balanced(r.summary);
      // each valid prefix record is either an event or the whole file was judged not a log / binary
      if (!r.summary.skipped.length) assert.ok(r.events.length >= Math.min(k, 1) || r.quarantined.length > 0 || k === 0);
    }),
    { numRuns: 150 },
  );
});

test('property: mutated records (truncation, byte flips) are events or quarantined, never lost', async () => {
  const base = ndjson(6);
  await fc.assert(
    fc.asyncProperty(fc.nat(base.length - 1), fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 }), async (cut, pos, byte) => {
      const b = Buffer.from(base.slice(0, Math.max(cut, 1)));
      if (pos < b.length) b[pos] = byte;
      const r = await decodeText(b, 'mut.json');
      balanced(r.summary);
      if (!r.summary.skipped.length) {
        const lines = b.toString('latin1').split('\n').filter((l) => l.trim()).length;
        assert.ok(r.summary.totals.records >= lines - 1, `records ${r.summary.totals.records} < lines ${lines}`);
      }
    }),
    { numRuns: 150 },
  );
});

test('NDJSON lines cut as bytes carry their place in the file; their text is what decoding the whole file gives', async () => {
  const dir = tmp();
  try {
    // > 1 MB so lines past the first chunk are cut as bytes: CRLF lines, non-ASCII text, a broken UTF-8 sequence,
    // and a two-byte character cut by the 1 MiB chunk boundary
    const make = (pad: number): Buffer => {
      const parts: Buffer[] = [];
      for (let i = 0; i < 9000; i++) {
        const subject = `${i === 100 ? 'x'.repeat(pad) : ''}${i % 3 === 0 ? `Grüße ${'é'.repeat(200)}` : `hello ${i}`}`;
        let line = Buffer.from(JSON.stringify(trace(i, { Subject: subject })), 'utf8');
        if (i === 5000) line = Buffer.concat([line.subarray(0, 40), Buffer.from([0xc3]), line.subarray(40)]); // broken sequence in a value
        parts.push(line, Buffer.from(i % 7 === 0 ? '\r\n' : '\n'));
      }
      return Buffer.concat(parts);
    };
    // pad an early line so that the last continuation byte before 1 MiB moves to 1 MiB: chunk 2 starts with it
    let bytes = make(0);
    let p = 1 << 20;
    while ((bytes[p]! & 0xc0) !== 0x80) p--;
    bytes = make((1 << 20) - p);
    assert.equal(bytes[1 << 20]! & 0xc0, 0x80);
    const file = join(dir, 'trace.ndjson');
    writeFileSync(file, bytes);
    const events: Event[] = [];
    const s = await readInputs([file], { event: (e) => events.push(e) }, { dedup: false });
    balanced(s);
    assert.equal(events.length, 9000);
    const lines = new TextDecoder().decode(bytes).split('\n').map((l) => l.replace(/\r$/, ''));
    const td = new TextDecoder();
    let placed = 0;
    for (const e of events) {
      assert.equal(e.raw.text, lines[e.raw.line! - 1], `line ${e.raw.line}`);
      if (e.raw.offset === undefined) continue;
      placed++;
      const at = e.raw.offset;
      assert.equal(td.decode(bytes.subarray(at, at + e.raw.bytes!)), e.raw.text, `line ${e.raw.line}`);
      assert.ok(at === 0 || bytes[at - 1] === 10, 'an offset is a line start');
    }
    // the first chunk goes through the streaming decoder, and so does the second (the first ended inside a
    // character, so the decoder holds part of it); every line that starts in a later chunk has its place
    const starts = [0];
    for (let i = 0; i < bytes.length - 1; i++) if (bytes[i] === 10) starts.push(i + 1);
    for (const e of events) if (starts[e.raw.line! - 1]! > 2 << 20) assert.equal(e.raw.offset, starts[e.raw.line! - 1], `line ${e.raw.line}`);
    assert.ok(placed > 2000, `${placed}`);
    assert.ok(events.find((e) => e.raw.line === 5001)?.raw.offset !== undefined, 'the broken line too');
    assert.ok(events.some((e) => e.raw.offset !== undefined && e.raw.bytes! > e.raw.text!.length), 'non-ASCII lines too');
    assert.equal(events.find((e) => e.raw.line === 1)!.raw.offset, undefined, 'the first chunk is decoded as text');

    // as the hunt reads: the text stays in the file, the event carries its place and a fingerprint of it
    const left: Event[] = [];
    await readInputs([file], { event: (e) => left.push(e) }, { dedup: false, leaveTexts: true });
    assert.equal(left.length, 9000);
    for (let i = 0; i < left.length; i++) {
      const e = left[i]!, full = events[i]!;
      if (full.raw.offset === undefined) {
        assert.equal(e.raw.text, full.raw.text);
        continue;
      }
      assert.equal(e.raw.text, undefined);
      assert.deepEqual(e.raw.at, { offset: full.raw.offset, bytes: full.raw.bytes, fp: textFingerprint(full.raw.text!) });
    }

    // gzip: the bytes read are not the file's, so no places
    const gz = join(dir, 'trace.ndjson.gz');
    writeFileSync(gz, gzipSync(bytes));
    const zev: Event[] = [];
    await readInputs([gz], { event: (e) => zev.push(e) }, { dedup: false });
    assert.equal(zev.length, 9000);
    assert.ok(zev.every((e) => e.raw.offset === undefined));
    assert.deepEqual(zev.map((e) => e.raw.text), events.map((e) => e.raw.text));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dedup with a horizon: hours that far behind the newest are forgotten, held or spilled, their files deleted', async () => {
  const { Deduper } = await import('./dedup.js');
  const H = 3_600_000;
  const d = new Deduper(3, 48 * H); // tiny memory: spills after three entries
  const t0 = Date.UTC(2026, 0, 1);
  for (let h = 0; h < 5; h++) assert.equal(d.isDuplicate(`r${h}`, t0 + h * H), false);
  assert.ok(d.stats.spilledBuckets > 0, 'old hours went to the temp folder');
  assert.equal(d.isDuplicate('r1', t0 + H), true, 'a spilled hour is reloaded');
  // three days on: every hour before the horizon is gone, from memory and from disk
  assert.equal(d.isDuplicate('late', t0 + 72 * H), false);
  assert.equal(d.stats.forgotten, 5);
  assert.equal(d.isDuplicate('r1', t0 + H), false, 'forgotten: a record that old is taken again');
  d.close();
  const unbounded = new Deduper(3);
  for (let h = 0; h < 5; h++) unbounded.isDuplicate(`r${h}`, t0 + h * H);
  unbounded.isDuplicate('late', t0 + 72 * H);
  assert.equal(unbounded.stats.forgotten, 0, 'a hunt (no horizon) forgets nothing');
  assert.equal(unbounded.isDuplicate('r1', t0 + H), true);
  unbounded.close();
  // a record dated a month ahead (a bad clock) does not make every current hour old: "newest" stops at the clock
  const now = t0 + 5 * H;
  const clocked = new Deduper(1_000, 48 * H, () => now);
  for (let h = 0; h < 5; h++) clocked.isDuplicate(`r${h}`, t0 + h * H);
  assert.equal(clocked.isDuplicate('future', t0 + 30 * 24 * H), false);
  assert.equal(clocked.stats.forgotten, 0);
  assert.equal(clocked.isDuplicate('r0', t0), true, 'the current hours are still remembered');
  clocked.close();
});
