// Regenerate test/corpus-manifest.json from the current decoders over ../shared/samples.
// Review the diff by hand: the manifest is the expectation, a change in it is a change in behaviour.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { readInputs } from '../dist/pipeline/read.js';

const root = resolve(process.argv[2] ?? '../shared/samples');
const files = [];
(function walk(d) {
  for (const n of readdirSync(d).sort()) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(p);
  }
})(root);
const out = {};
for (const f of files) {
  const rel = relative(root, f);
  const s = await readInputs([f], { event: () => undefined }, {});
  if (s.skipped.length) {
    out[rel] = { skipped: s.skipped[0].reason.replace(/\(first record keys:.*$/, '').replace(/\(.*$/, '').trim() };
    continue;
  }
  const st = s.files[0];
  out[rel] = {
    formats: st.formats, records: st.records, events: st.events, duplicates: st.duplicates, filtered: st.filtered,
    quarantined: st.quarantined, quarantineReasons: Object.keys(st.quarantineReasons).map((r) => r.slice(0, 60)).sort(),
  };
}
writeFileSync('test/corpus-manifest.json', JSON.stringify({ root: '../shared/samples', files: out }, null, 1) + '\n');
console.log(`wrote test/corpus-manifest.json (${files.length} files)`);
