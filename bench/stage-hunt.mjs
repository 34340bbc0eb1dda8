// `tenantwatch hunt` in this process (start node with the same heap flags as bin/tenantwatch.js), so the peak RSS
// is the hunt's own, worker threads included. Usage: node … stage-hunt.mjs THREADS OUT.json PATH…
// Prints {records, events, alerts, incidents, ms, cpuMs, rssMb}.
import { run } from '../dist/cli/main.js';
import { closeSync, openSync, readSync } from 'node:fs';
import { PassThrough } from 'node:stream';

const [threads, out, ...paths] = process.argv.slice(2);
const sink = new PassThrough();
sink.resume();
const io = {
  stdout: sink, stderr: sink, stdin: process.stdin, env: {}, cwd: process.cwd(), now: () => Date.now(),
  stdoutIsTTY: false, stderrIsTTY: false,
};
const t0 = performance.now();
const c0 = process.cpuUsage();
const code = await run(['hunt', '--no-db', '--format', 'json', '--fail-on', 'none', '--threads', threads, '-o', out, ...paths], io);
const ms = performance.now() - t0;
const c = process.cpuUsage(c0);
const rssMb = process.resourceUsage().maxRSS / 1024; // before this script reads the report back
if (code !== 0) {
  console.error(`stage-hunt: exit ${code}`);
  process.exit(1);
}
const r = head(out);
console.log(JSON.stringify({
  records: r.stats.records, events: r.stats.events, alerts: r.stats.alerts, incidents: r.stats.incidents, sortRuns: r.stats.sort.runs,
  ms, cpuMs: (c.user + c.system) / 1000, rssMb,
}));

/** The report's fields before its incidents (stats among them): a 5 GB hunt writes a report too big to parse whole. */
function head(file) {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(16 * 1024 * 1024);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const text = buf.toString('utf8', 0, n);
  const cut = text.indexOf('\n  "incidents": ');
  return JSON.parse(cut < 0 ? text : text.slice(0, cut).replace(/,\s*$/, '') + '\n}');
}
