// Per-stage profile of a single-threaded hunt: a CPU profile (node --cpu-prof) whose samples are charged to the
// stage of the innermost frame that belongs to one (src/core helpers and natives count for their caller; JSON.parse
// is inlined into the read loop, so it counts as decode). Usage: node profile.mjs PATH… → prints {stage: share}.
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

export function stageProfile(paths) {
  const dir = mkdtempSync(join(tmpdir(), 'tw-prof-'));
  try {
    execFileSync(process.execPath, ['--max-old-space-size=256', '--max-semi-space-size=8', '--cpu-prof', '--cpu-prof-dir', dir,
      join(here, 'stage-hunt.mjs'), '1', join(dir, 'report.json'), ...paths], { stdio: ['ignore', 'ignore', 'inherit'] });
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8'));
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
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(stageProfile(process.argv.slice(2))));
