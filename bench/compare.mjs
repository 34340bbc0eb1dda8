// Do DuckDB's SQL and tenantwatch's rules find the same hits? Compares the alert keys per rule (the source IP /
// IPv6 /64 for TW-SIGNIN-001, the user for TW-SIGNIN-010, the app for TW-SP-001).
// Usage: node compare.mjs HUNT_REPORT.json DUCKDB_HITS.json → prints one JSON line, exit 0 either way.
import { readFileSync } from 'node:fs';

export function compareHits(reportPath, duckPath) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const duck = JSON.parse(readFileSync(duckPath, 'utf8'));
  const out = {};
  for (const rule of Object.keys(duck)) {
    const ours = new Set(report.alerts.filter((a) => a.rule === rule).map((a) => a.key));
    const sql = new Set(duck[rule]);
    const onlyOurs = [...ours].filter((k) => !sql.has(k)).sort();
    const onlySql = [...sql].filter((k) => !ours.has(k)).sort();
    out[rule] = { ours: ours.size, sql: sql.size, same: onlyOurs.length === 0 && onlySql.length === 0, onlyOurs: onlyOurs.slice(0, 10), onlySql: onlySql.slice(0, 10) };
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(compareHits(process.argv[2], process.argv[3]), null, 1));
