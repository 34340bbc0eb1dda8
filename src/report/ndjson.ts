// `--format ndjson`: one JSON object per line — incidents, then alerts, then one summary line — for SIEM
// ingestion and `jq`. JSON.stringify escapes every control character, so a hostile name never splits a line.
import type { HuntReport } from './types.js';

export function renderNdjson(report: HuntReport): string {
  const lines: string[] = [];
  for (const i of report.incidents) lines.push(JSON.stringify({ type: 'incident', ...i }));
  for (const m of report.merged) lines.push(JSON.stringify({ type: 'merged-incident', ...m }));
  for (const a of report.alerts) lines.push(JSON.stringify({ type: 'alert', ...a }));
  lines.push(JSON.stringify({
    type: 'summary',
    schemaVersion: report.schemaVersion,
    kind: report.kind,
    generatedAt: report.generatedAt,
    tool: report.tool,
    ...(report.run ? { run: report.run } : {}),
    stats: report.stats,
    coverage: report.coverage,
    inputs: report.inputs,
    skipped: report.skipped,
  }));
  return lines.map((l) => l.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')).join('\n') + '\n';
}
