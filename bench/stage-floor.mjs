// The floor: read + split lines + JSON.parse, nothing else. Prints {records, ms, rssMb}.
import { TextDecoder } from 'node:util';
import { createReadStream } from 'node:fs';
const file = process.argv[2];
const t0 = performance.now();
const c0 = process.cpuUsage();
let carry = '', n = 0, sink = 0;
const dec = new TextDecoder();
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
  const s = carry + dec.decode(chunk, { stream: true });
  let start = 0;
  for (;;) {
    const nl = s.indexOf('\n', start);
    if (nl < 0) break;
    if (nl > start) { const o = JSON.parse(s.slice(start, nl)); sink += o ? 1 : 0; n++; }
    start = nl + 1;
  }
  carry = s.slice(start);
}
if (carry.trim()) { JSON.parse(carry); n++; }
console.log(JSON.stringify({ records: n, ms: performance.now() - t0, rssMb: process.resourceUsage().maxRSS / 1024, cpuMs: cpuMs(process.cpuUsage(c0)), sink }));
function cpuMs(u) { return (u.user + u.system) / 1000; }
