// `npm run bench`: builds the simulator datasets once (bench/data, git-ignored), runs every measurement in its own
// process (so each peak RSS is its own), BENCH_REPS times in turn, and reports medians: a markdown table on stdout
// and bench/results.json. Never part of `npm test`.
//
//   sign-in NDJSON (>= 500 MB):  floor (read + split + JSON.parse), decode + normalize, hunt on 1 thread,
//                                hunt on all cores, DuckDB (load + three rules), and a per-stage profile
//   mixed formats (>= 1 M events): hunt on 1 thread and on all cores
//
// Environment: BENCH_REPS (default 3), BENCH_MIXED_REPS (1), BENCH_USERS/BENCH_DAYS and BENCH_MIXED_USERS/
// BENCH_MIXED_DAYS (dataset sizes, bench/datasets.mjs), BENCH_SKIP (comma list of: mixed, duckdb, profile).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareHits } from './compare.mjs';
import { mixedDataset, signinDataset } from './datasets.mjs';
import { threadProfiles } from './profile.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const reps = Number(process.env.BENCH_REPS ?? 3);
const mixedReps = Number(process.env.BENCH_MIXED_REPS ?? 1);
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const cores = availableParallelism();
const out = join(here, 'data', 'out');
mkdirSync(out, { recursive: true });

// the product's heap flags (bin/tenantwatch.js) for the hunts; the floor and decode stages get a roomy heap
const HUNT_FLAGS = ['--max-old-space-size=256', '--max-semi-space-size=8'];
function stage(flags, script, args) {
  const o = execFileSync(process.execPath, [...flags, join(here, script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  return JSON.parse(o.trim().split('\n').pop());
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** run each measurement `n` times, interleaved (machine noise hits them alike); medians of ms, cpuMs, rssMb */
function measure(n, runs) {
  const got = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let i = 0; i < n; i++) for (const [k, f] of Object.entries(runs)) {
    process.stderr.write(`bench: ${k} (${i + 1}/${n})\n`);
    got[k].push(f());
  }
  const res = {};
  for (const [k, rs] of Object.entries(got)) {
    res[k] = { ...rs[0], ms: median(rs.map((r) => r.ms)), cpuMs: median(rs.map((r) => r.cpuMs)), rssMb: Math.max(...rs.map((r) => r.rssMb)), all: rs.map((r) => Math.round(r.ms)) };
  }
  return res;
}

if (!skip.has('duckdb') && !existsSync(join(here, 'node_modules', '@duckdb', 'node-api'))) {
  process.stderr.write('bench: DuckDB is not installed (cd bench && npm ci); skipping it\n');
  skip.add('duckdb');
}

// --- sign-in NDJSON
const si = signinDataset();
const mb = si.bytes / 1048576;
const runs = {
  floor: () => stage(['--max-old-space-size=4096'], 'stage-floor.mjs', [si.file]),
  decode: () => stage(['--max-old-space-size=4096'], 'stage-decode.mjs', [si.file]),
  hunt: () => stage(HUNT_FLAGS, 'stage-hunt.mjs', ['1', join(out, 'hunt-1.json'), si.file]),
  hunt_parallel: () => stage(HUNT_FLAGS, 'stage-hunt.mjs', [String(cores), join(out, `hunt-${cores}.json`), si.file]),
};
if (!skip.has('duckdb')) runs.duckdb = () => stage([], 'stage-duckdb.mjs', [si.file, join(out, 'duckdb-hits.json')]);
const r = measure(reps, runs);
const records = r.floor.records;
const eps = (x) => records / (x.ms / 1000);
const mbps = (x) => mb / (x.ms / 1000);

// identical results on 1 thread and on all cores; DuckDB's hits against ours
const strip = (p) => {
  const j = JSON.parse(readFileSync(p, 'utf8'));
  return JSON.stringify({ alerts: j.alerts, incidents: j.incidents, inputs: j.inputs, coverage: j.coverage, records: j.stats.records, events: j.stats.events });
};
const parallelIdentical = strip(join(out, 'hunt-1.json')) === strip(join(out, `hunt-${cores}.json`));
const hits = skip.has('duckdb') ? undefined : compareHits(join(out, 'hunt-1.json'), join(out, 'duckdb-hits.json'));
const profile = skip.has('profile') ? undefined : threadProfiles([si.file], 1)[0].shares;
const parallelProfile = skip.has('profile') || cores < 2 ? undefined : threadProfiles([si.file], cores);

// --- mixed formats
let mixed;
if (!skip.has('mixed')) {
  const mx = mixedDataset();
  const m = measure(mixedReps, {
    mixed_hunt: () => stage(HUNT_FLAGS, 'stage-hunt.mjs', ['1', join(out, 'mixed-1.json'), ...mx.paths]),
    mixed_hunt_parallel: () => stage(HUNT_FLAGS, 'stage-hunt.mjs', [String(cores), join(out, `mixed-${cores}.json`), ...mx.paths]),
  });
  mixed = { ...mx, ...m, identical: strip(join(out, 'mixed-1.json')) === strip(join(out, `mixed-${cores}.json`)) };
}

// --- report
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`\n${cpu}, ${cores} cores, ${Math.round(totalmem() / 2 ** 30)} GB, node ${process.version}; medians of ${reps} runs (mixed: ${mixedReps})\n`);
console.log(`sign-in NDJSON: ${mb.toFixed(0)} MB, ${records} records (${si.file.replace(here + '/', 'bench/')})\n`);
console.log('| run | events/s | MB/s | vs floor | peak RSS MB | runs (ms) |');
console.log('|---|---:|---:|---:|---:|---|');
const row = (name, x) => console.log(`| ${name} | ${Math.round(eps(x))} | ${mbps(x).toFixed(1)} | ${(eps(x) / eps(r.floor)).toFixed(2)} | ${x.rssMb.toFixed(0)} | ${x.all.join(', ')} |`);
row('floor: read + split + JSON.parse (1 thread)', r.floor);
row('decode + normalize (1 thread)', r.decode);
row('hunt, every rule, 1 thread', r.hunt);
row(`hunt, every rule, ${cores} threads`, r.hunt_parallel);
if (r.duckdb) row(`DuckDB ${cores} threads: load + 3 rules`, r.duckdb);
console.log(`\nhunt on ${cores} threads identical to 1 thread: ${parallelIdentical ? 'yes' : 'NO'}`);
if (r.duckdb) console.log(`DuckDB: load ${Math.round(r.duckdb.loadMs)} ms, queries ${Math.round(r.duckdb.queryMs)} ms; hunt on all cores / DuckDB = ${(eps(r.hunt_parallel) / eps(r.duckdb)).toFixed(2)}`);
if (hits) for (const [rule, h] of Object.entries(hits)) console.log(`  ${rule}: ours ${h.ours}, SQL ${h.sql}: ${h.same ? 'same hits' : `DIFFERENT (only ours ${h.onlyOurs.join(' ')}; only SQL ${h.onlySql.join(' ')})`}`);
if (profile) {
  console.log('\nper-stage profile, hunt on 1 thread (share of CPU samples):\n');
  console.log(`| ${Object.keys(profile).join(' | ')} |`);
  console.log(`|${Object.keys(profile).map(() => '---:').join('|')}|`);
  console.log(`| ${Object.values(profile).map((v) => `${v}%`).join(' | ')} |`);
}
if (parallelProfile) {
  console.log(`\nper-thread profile, hunt on ${cores} threads (CPU seconds; share of each thread's samples):\n`);
  const stages = Object.keys(parallelProfile[0].shares);
  console.log(`| thread | CPU s | ${stages.join(' | ')} |`);
  console.log(`|---|---:|${stages.map(() => '---:').join('|')}|`);
  for (const t of parallelProfile) console.log(`| ${t.thread} | ${(t.cpuMs / 1000).toFixed(1)} | ${stages.map((s) => `${t.shares[s]}%`).join(' | ')} |`);
}
if (mixed) {
  const meps = (x) => x.events / (x.ms / 1000);
  console.log(`\nmixed formats: ${(mixed.bytes / 1048576).toFixed(0)} MB, ${mixed.mixed_hunt.events} events (${mixed.mixed_hunt.records} records)\n`);
  console.log('| run | events/s | MB/s | peak RSS MB | sort runs |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, x] of [['hunt, 1 thread', mixed.mixed_hunt], [`hunt, ${cores} threads`, mixed.mixed_hunt_parallel]]) {
    console.log(`| ${name} | ${Math.round(meps(x))} | ${(mixed.bytes / 1048576 / (x.ms / 1000)).toFixed(1)} | ${x.rssMb.toFixed(0)} | ${x.sortRuns} |`);
  }
  console.log(`\nidentical on ${cores} threads: ${mixed.identical ? 'yes' : 'NO'}`);
}

const results = {
  machine: { cpu, cores, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
  reps,
  input_mb: mb,
  records,
  floor_eps: eps(r.floor),
  decode_eps: eps(r.decode),
  hunt_eps: eps(r.hunt),
  hunt_parallel_eps: eps(r.hunt_parallel),
  duckdb_eps: r.duckdb ? eps(r.duckdb) : null,
  ratio_decode_vs_floor: eps(r.decode) / eps(r.floor),
  ratio_hunt_vs_floor: eps(r.hunt) / eps(r.floor),
  ratio_parallel_vs_duckdb: r.duckdb ? eps(r.hunt_parallel) / eps(r.duckdb) : null,
  peak_rss_mb: { floor: r.floor.rssMb, decode: r.decode.rssMb, hunt: r.hunt.rssMb, hunt_parallel: r.hunt_parallel.rssMb, duckdb: r.duckdb?.rssMb ?? null },
  runs_ms: Object.fromEntries(Object.entries(r).map(([k, x]) => [k, x.all])),
  parallel_identical: parallelIdentical,
  duckdb: r.duckdb ? { load_ms: r.duckdb.loadMs, query_ms: r.duckdb.queryMs, hits } : null,
  stage_profile_pct: profile ?? null,
  thread_profiles: parallelProfile ?? null,
  mixed: mixed
    ? {
      input_mb: mixed.bytes / 1048576, events: mixed.mixed_hunt.events,
      hunt_eps: mixed.mixed_hunt.events / (mixed.mixed_hunt.ms / 1000), hunt_parallel_eps: mixed.mixed_hunt_parallel.events / (mixed.mixed_hunt_parallel.ms / 1000),
      peak_rss_mb: { hunt: mixed.mixed_hunt.rssMb, hunt_parallel: mixed.mixed_hunt_parallel.rssMb }, identical: mixed.identical,
    }
    : null,
};
writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 2) + '\n');
if (!parallelIdentical || (mixed && !mixed.identical)) process.exitCode = 1;
