// Memory and latency of the shipped geo / ASN databases (docs/enrichment.md). Needs a current dist/ (npx tsc) and
// the optional @ip-location-db packages. Usage: node --expose-gc scripts/geo-memory.mjs [both|geo|asn]
// Prints RSS / heap / external before, after the first lookups (which open or parse all four files), after 100 k
// random lookups (80 % IPv4, 20 % IPv6) and after warm lookups (a 2,000-address working set, 50 times).
const { loadGeoEnrichment } = await import(process.env.GEO_LOADER ?? '../dist/enrich/loader.js');

const only = process.argv[2] ?? 'both'; // GEO_LOADER=path/to/loader.js compares another build
const useGeo = only !== 'asn', useAsn = only !== 'geo';
const gc = globalThis.gc ?? (() => {});
const mb = (n) => (n / 1048576).toFixed(1);
function mem(label, base) {
  gc();
  gc();
  const m = process.memoryUsage();
  const d = base ? ` (+${mb(m.rss - base.rss)} MB RSS, peak +${mb(process.resourceUsage().maxRSS * 1024 - base.rss)})` : '';
  console.log(`${label.padEnd(26)} rss ${mb(m.rss)}  heap ${mb(m.heapUsed)}  external ${mb(m.external)}${d}`);
  return m;
}
let seed = 12345;
const rnd = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; }; // xorshift32
const hex = (n) => (n & 0xffff).toString(16);
const v4 = () => { const n = rnd(); return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`; };
const v6 = () => `2${(rnd() & 0xfff).toString(16).padStart(3, '0')}:${hex(rnd())}:${hex(rnd())}::${hex(rnd())}`;
const N = 100_000;
const ips = Array.from({ length: N }, (_, i) => (i % 5 === 4 ? v6() : v4()));

const base = mem('start');
let t = performance.now();
const g = loadGeoEnrichment({ required: true });
if (useGeo) { g.geo('8.8.8.8'); g.geo('2001:4860:4860::8888'); }
if (useAsn) { g.asn('8.8.8.8'); g.asn('2001:4860:4860::8888'); g.asnName(15169); }
console.log(`[${only}] first lookups (open / parse): ${(performance.now() - t).toFixed(0)} ms`);
mem('after load', base);
const us = (t0, n) => `${(((performance.now() - t0) * 1000) / n).toFixed(2)} µs`;
const out = [];
if (useGeo) { t = performance.now(); for (const ip of ips) g.geo(ip); out.push(`geo ${us(t, N)} random`); }
if (useAsn) { t = performance.now(); for (const ip of ips) g.asn(ip); out.push(`asn ${us(t, N)} random`); }
mem('after 100k random lookups', base);
const hot = ips.slice(0, 2000);
if (useGeo) { for (const ip of hot) g.geo(ip); t = performance.now(); for (let r = 0; r < 50; r++) for (const ip of hot) g.geo(ip); out.push(`geo ${us(t, 50 * hot.length)} warm`); }
if (useAsn) { t = performance.now(); for (let r = 0; r < 50; r++) for (const ip of hot) g.asn(ip); out.push(`asn ${us(t, 50 * hot.length)} warm`); }
mem('after warm lookups', base);
console.log(out.join(', '));
// (keeps the databases reachable until here, so the last line measures them too)
console.log('check:', useGeo ? g.geo('1.1.1.1')?.country : '-', useAsn ? g.asn('1.1.1.1') : '-');
