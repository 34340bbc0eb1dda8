// The real-sample corpus check: every file under ../shared/samples decodes exactly as test/corpus-manifest.json
// says (format per record, counts, quarantine reasons, or why the file is skipped). Samples are third-party
// records kept outside this repository; without them the test skips with a message.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { readInputs } from './read.js';

interface Expect {
  skipped?: string;
  formats?: Record<string, number>;
  records?: number;
  events?: number;
  duplicates?: number;
  filtered?: number;
  quarantined?: number;
  quarantineReasons?: string[];
}
const manifest = JSON.parse(readFileSync(resolve('test/corpus-manifest.json'), 'utf8')) as { root: string; files: Record<string, Expect> };
const root = resolve(manifest.root);
const present = existsSync(root);

test('sample corpus is present (CI lays ../shared beside the clone)', { skip: present ? false : `no sample corpus at ${root}; corpus checks skipped` }, () => {
  assert.ok(Object.keys(manifest.files).length > 50);
});

for (const [rel, want] of Object.entries(manifest.files)) {
  test(`corpus: ${rel}`, { skip: present ? false : 'sample corpus absent' }, async () => {
    const path = join(root, rel);
    assert.ok(existsSync(path), `manifest names ${rel} but the corpus has no such file`);
    const s = await readInputs([path], { event: () => undefined }, {});
    if (want.skipped) {
      assert.equal(s.skipped.length, 1, `${rel} should be skipped: ${want.skipped}`);
      assert.ok(s.skipped[0]!.reason.startsWith(want.skipped), `${rel}: skip reason "${s.skipped[0]!.reason}"`);
      return;
    }
    assert.equal(s.skipped.length, 0, `${rel} was skipped: ${s.skipped[0]?.reason}`);
    const st = s.files[0]!;
    assert.deepEqual(
      { formats: st.formats, records: st.records, events: st.events, duplicates: st.duplicates, filtered: st.filtered, quarantined: st.quarantined },
      { formats: want.formats, records: want.records, events: want.events, duplicates: want.duplicates, filtered: want.filtered, quarantined: want.quarantined },
      rel,
    );
    assert.deepEqual(Object.keys(st.quarantineReasons).map((r) => r.slice(0, 60)).sort(), want.quarantineReasons ?? [], `${rel}: quarantine reasons`);
  });
}
