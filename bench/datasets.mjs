// Benchmark datasets, made by the simulator (docs/simulate.md) through the built CLI, once, under bench/data
// (git-ignored). Sizes scale with BENCH_USERS / BENCH_DAYS (sign-in NDJSON) and BENCH_MIXED_USERS /
// BENCH_MIXED_DAYS (every format); the defaults give ~566 MB of sign-ins and ~1 M events in mixed formats.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'bin', 'tenantwatch.js');

function simulate(out, args) {
  if (existsSync(join(out, 'manifest.json'))) return;
  process.stderr.write(`bench: simulating ${args.join(' ')} into ${out} …\n`);
  execFileSync(process.execPath, [cli, 'simulate', '--out', out, '--force', '-q', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Sign-in NDJSON (diagnostic-export records, all sign-in categories, oldest first). */
export function signinDataset(seed = 1) {
  const users = Number(process.env.BENCH_USERS ?? 5000);
  const days = Number(process.env.BENCH_DAYS ?? 7);
  const out = join(here, 'data', `signins-u${users}-d${days}-s${seed}`);
  simulate(out, ['--seed', String(seed), '--users', String(users), '--days', String(days), '--formats', 'bench', '--order', 'oldest']);
  const file = join(out, 'signins', 'bench-signins.ndjson');
  return { dir: out, file, bytes: statSync(file).size, truth: join(out, 'truth.json') };
}

/** Every format the simulator writes (Graph pages, diagnostic export, audit, UAL CSVs, message trace), newest first. */
export function mixedDataset(seed = 1) {
  const users = Number(process.env.BENCH_MIXED_USERS ?? 5000);
  const days = Number(process.env.BENCH_MIXED_DAYS ?? 28);
  const out = join(here, 'data', `mixed-u${users}-d${days}-s${seed}`);
  simulate(out, ['--seed', String(seed), '--users', String(users), '--days', String(days), '--formats', 'graph,diag,audit,ual-purview,ual-search,messagetrace']);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  let bytes = 0, records = 0;
  for (const f of manifest.files ?? []) {
    if (!/^(signins|audit|ual|messagetrace)\//.test(f.path)) continue; // not the geo table nor the snapshot
    bytes += f.bytes ?? 0;
    records += f.records ?? 0;
  }
  return { dir: out, paths: ['signins', 'audit', 'ual', 'messagetrace'].map((d) => join(out, d)).filter((p) => existsSync(p)), bytes, records };
}
