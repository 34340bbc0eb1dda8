// Decode + normalize with tenantwatch's real read pipeline (framing, decoders, dedup, accounting).
import { readInputs } from '../dist/pipeline/read.js';
const file = process.argv[2];
const t0 = performance.now();
const c0 = process.cpuUsage();
let events = 0;
const summary = await readInputs([file], { event: () => { events++; } }, {});
console.log(JSON.stringify({ records: summary.totals.records, events, quarantined: summary.totals.quarantined, ms: performance.now() - t0, rssMb: process.resourceUsage().maxRSS / 1024, cpuMs: cpuMs(process.cpuUsage(c0)) }));
function cpuMs(u) { return (u.user + u.system) / 1000; }
