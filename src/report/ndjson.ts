// `--format ndjson`: one JSON object per line — incidents, then alerts, then one summary line — for SIEM
// ingestion and `jq`. JSON.stringify escapes every control character, so a hostile name never splits a line.
import type { HuntReport } from './types.js';

export function renderNdjson(report: HuntReport): string {
  return [...ndjsonChunks(report)].join('');
}

/** The same lines, one at a time (each ends with a newline). */
export function* ndjsonChunks(report: HuntReport): Generator<string> {
  for (const i of report.incidents) yield line({ type: 'incident', ...i });
  for (const m of report.merged) yield line({ type: 'merged-incident', ...m });
  for (const a of report.alerts) yield line({ type: 'alert', ...a });
  yield line({
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
  });
}

function line(x: unknown): string {
  return JSON.stringify(x).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') + '\n';
}
