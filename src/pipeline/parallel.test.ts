// The parallel reader makes the same sink calls, in the same order, with the same summary as readInputs: whole
// files on worker threads, and large NDJSON split into byte ranges (made small here so test files split).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Event } from '../core/event.js';
import { textFingerprint } from '../core/fingerprint.js';
import { readInputsParallel, type ParallelOptions } from './parallel.js';
import { readInputs, type ReadSink, type ReadSummary } from './read.js';

type Call = unknown[];

function recorder(): { sink: ReadSink; calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    sink: {
      event: (e, format) => calls.push(['event', structuredClone(e), format]),
      duplicate: (e) => calls.push(['duplicate', structuredClone(e)]),
      filtered: (ref, reason) => calls.push(['filtered', ref, reason]),
      quarantined: (ref, reason, text) => calls.push(['quarantined', ref, reason, text]),
    },
  };
}

async function both(paths: string[], opts: ParallelOptions): Promise<[{ calls: Call[]; summary: ReadSummary }, { calls: Call[]; summary: ReadSummary }]> {
  // as the hunt reads: events whose text is in the file carry its place instead (compared with texts put back)
  const a = recorder();
  const sa = await readInputs(paths, a.sink, { leaveTexts: true });
  const b = recorder();
  const sb = await readInputsParallel(paths, b.sink, { leaveTexts: true, ...opts });
  return [{ calls: a.calls, summary: sa }, { calls: b.calls, summary: sb }];
}

/** An NDJSON export with what reading must account for: duplicates, bad lines, blank and CRLF lines, unknown records. */
function bigNdjson(dir: string): string {
  const src = readFileSync(path.resolve('src/decoders/entra-signin/fixtures/diag-signin.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim().startsWith('{') && (JSON.parse(l) as { properties?: unknown }).properties !== undefined);
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    const rec = JSON.parse(src[i % src.length]!) as { properties: { id?: string; userDisplayName?: string } };
    rec.properties.id = `00000000-0000-4000-8000-${String(i % 350).padStart(12, '0')}`; // ids 350..399 repeat: duplicates
    if (i % 37 === 0) rec.properties.userDisplayName = 'Zoë Ångström'; // not ASCII
    lines.push(JSON.stringify(rec));
    if (i % 50 === 7) lines.push('{"truncated": ');
    if (i % 61 === 3) lines.push('');
    if (i % 70 === 5) lines.push('{"someOtherProduct": true}');
  }
  const file = path.join(dir, 'big.ndjson');
  writeFileSync(file, lines.map((l, i) => (i % 9 === 0 ? l + '\r' : l)).join('\n') + '\n');
  return file;
}

/**
 * The calls with every event's text in place: with leaveTexts, an event whose text is the file's bytes at a known
 * offset comes without it (RawRef.at). Checks that those bytes are the text, then puts it back; the place (known
 * or not depending on how the file was cut into chunks and ranges) is dropped from both sides.
 */
function withTexts(calls: Call[]): { calls: Call[]; leftInFile: number } {
  let leftInFile = 0;
  const out = calls.map((c) => {
    if (c[0] !== 'event' && c[0] !== 'duplicate') return c;
    const e = structuredClone(c[1] as Event);
    const at = e.raw.at;
    if (at) {
      leftInFile++;
      assert.equal(e.raw.text, undefined, 'a text left in the file is not also sent');
      assert.equal(at.offset, e.raw.offset);
      assert.equal(at.bytes, e.raw.bytes);
      e.raw.text = readFileSync(e.raw.file).subarray(at.offset, at.offset + at.bytes).toString('utf8');
      assert.equal(textFingerprint(e.raw.text), at.fp);
      delete e.raw.at;
    }
    delete e.raw.offset;
    delete e.raw.bytes;
    return [c[0], e, ...c.slice(2)];
  });
  return { calls: out, leftInFile };
}

test('parallel reading of a split NDJSON file: same calls, same summary, line numbers across ranges', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-par-'));
  try {
    const file = bigNdjson(dir);
    const [seq, par] = await both([file], { threads: 2, rangeBytes: 4096, firstRangeBytes: 16 * 1024 });
    assert.ok(seq.summary.totals.duplicates > 0 && seq.summary.totals.quarantined > 0, 'the file exercises duplicates and quarantine');
    assert.ok(seq.calls.length > 400);
    assert.deepEqual(par.summary, seq.summary);
    const p = withTexts(par.calls);
    assert.ok(p.leftInFile > 100, `the texts of lines cut as bytes were left in the file (${p.leftInFile})`);
    assert.deepEqual(p.calls, withTexts(seq.calls).calls);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parallel reading of many files (every decoder fixture): same calls in the same order, same summary', async () => {
  const root = path.resolve('src/decoders');
  const dirs = readdirSync(root).map((d) => path.join(root, d, 'fixtures')).filter((d) => {
    try {
      return readdirSync(d).length > 0;
    } catch {
      return false;
    }
  });
  const [seq, par] = await both(dirs, { threads: 3 });
  assert.ok(seq.summary.files.length > 20);
  assert.deepEqual(par.summary, seq.summary);
  assert.deepEqual(withTexts(par.calls).calls, withTexts(seq.calls).calls);
});

test('one thread is readInputs itself', async () => {
  const file = path.resolve('src/decoders/entra-signin/fixtures/graph-signins.ndjson');
  const [seq, par] = await both([file], { threads: 1 });
  assert.deepEqual(par, seq);
});
