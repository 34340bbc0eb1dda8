// `npm run bench`: builds the dataset once (bench/data, git-ignored), runs each stage in its own process
// (so peak RSS is per stage), prints a markdown table and writes bench/results.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './gen.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sizeMb = Number(process.env.BENCH_MB ?? 512);
const data = join(here, 'data');
mkdirSync(data, { recursive: true });
const file = join(data, `signin-audit-${sizeMb}mb.ndjson`);
if (!existsSync(file)) {
  process.stderr.write(`generating ${sizeMb} MB of sign-in/audit NDJSON into ${file}…\n`);
  await generate(file, sizeMb, 1);
}
const bytes = statSync(file).size;
function stage(script) {
  const out = execFileSync(process.execPath, ['--max-old-space-size=4096', join(here, script), file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop());
}
const floor = stage('stage-floor.mjs');
const decode = stage('stage-decode.mjs');
const eps = (r) => r.records / (r.ms / 1000);
const mbps = (r) => bytes / 1048576 / (r.ms / 1000);
const rows = [
  ['floor (split + JSON.parse)', floor],
  ['decode + normalize (tenantwatch read)', decode],
];
console.log(`\ninput: ${(bytes / 1048576).toFixed(0)} MB, ${floor.records} records, node ${process.version}\n`);
console.log('| stage | events/s | MB/s | ratio vs floor | peak RSS MB |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, r] of rows) console.log(`| ${name} | ${Math.round(eps(r))} | ${mbps(r).toFixed(1)} | ${(eps(r) / eps(floor)).toFixed(2)} | ${r.rssMb.toFixed(0)} |`);
const results = {
  input_mb: bytes / 1048576, records: floor.records,
  floor_eps: eps(floor), decode_eps: eps(decode), ratio_decode_vs_floor: eps(decode) / eps(floor),
  decode_quarantined: decode.quarantined,
  peak_rss_mb: { floor: floor.rssMb, decode: decode.rssMb },
};
writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
if (decode.quarantined > 0) console.error(`warning: ${decode.quarantined} records quarantined in the benchmark input`);
