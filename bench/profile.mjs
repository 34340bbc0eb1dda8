// Per-stage profile of a single-threaded hunt: a CPU profile (node --cpu-prof) whose samples are charged to the
// stage of the innermost frame that belongs to one (src/core helpers and natives count for their caller; JSON.parse
// is inlined into the read loop, so it counts as decode). Usage: node profile.mjs THREADS PATH… → prints, per thread,
// {thread, cpuMs, shares: {stage: share}}.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const STAGES = [
  ['decode', /\/dist\/(pipeline|io)\//],
  ['normalize', /\/dist\/decoders\//],
  ['order', /\/dist\/hunt\/(sort|stream)\.js|\/dist\/detect\/heap\.js/],
  ['enrich', /\/dist\/enrich\//],
  ['detect', /\/dist\/(detect|rules)\//],
  ['correlate', /\/dist\/(correlate|hunt)\//],
  ['store', /\/dist\/store\//],
  ['report', /\/dist\/(report|cli|posture)\//],
];

/** Stage shares of the 1-thread hunt (the main thread's: the only one). */
export function stageProfile(paths) {
  return threadProfiles(paths, 1)[0].shares;
}

/**
 * A hunt on `threads` threads, profiled per thread: [{thread: 'main' | 'worker N', cpuMs, shares: {stage: %}}].
 * On more than one thread the main thread (order, detect, correlate, replaying the workers' outcomes) is the one
 * whose time bounds the hunt; the workers decode and normalize.
 */
export function threadProfiles(paths, threads) {
  const dir = mkdtempSync(join(tmpdir(), 'tw-prof-'));
  try {
    execFileSync(process.execPath, ['--max-old-space-size=256', '--max-semi-space-size=8', '--cpu-prof', '--cpu-prof-dir', dir,
      join(here, 'stage-hunt.mjs'), String(threads), join(dir, 'report.json'), ...paths], { stdio: ['ignore', 'ignore', 'inherit'] });
    // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    const tid = (f) => Number(f.split('.').at(-3));
    return files.sort((a, b) => tid(a) - tid(b)).map((f, i) => ({
      thread: tid(f) === 0 ? 'main' : `worker ${i}`,
      ...shares(JSON.parse(readFileSync(join(dir, f), 'utf8'))),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each sample charged to the stage of its innermost frame that has one. */
function shares(p) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOf = new Map();
  const resolve = (id) => {
    if (stageOf.has(id)) return stageOf.get(id);
    const n = byId.get(id);
    let s;
    if (n.callFrame.functionName === '(garbage collector)') s = 'gc';
    else if (n.callFrame.functionName === '(idle)') s = 'idle';
    else s = STAGES.find(([, re]) => re.test(n.callFrame.url))?.[0];
    if (s === undefined) s = parent.has(id) ? resolve(parent.get(id)) : 'other';
    stageOf.set(id, s);
    return s;
  };
  const time = {};
  let total = 0;
  p.samples.forEach((id, i) => {
    const s = resolve(id);
    if (s === 'idle') return;
    time[s] = (time[s] ?? 0) + p.timeDeltas[i];
    total += p.timeDeltas[i];
  });
  const out = {};
  for (const s of [...STAGES.map(([s]) => s), 'gc', 'other']) out[s] = Math.round(((time[s] ?? 0) / total) * 1000) / 10;
  return { cpuMs: Math.round(total / 1000), shares: out };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [threads, ...paths] = process.argv.slice(2);
  console.log(JSON.stringify(threadProfiles(paths, Number(threads))));
}
