// One entry point for every output format of a hunt report (hunt and `incidents list|show` share it).
import { UsageError } from '../core/errors.js';
import { ndjsonChunks, renderNdjson } from './ndjson.js';
import { renderOcsf } from './ocsf.js';
import { renderTable, type TableOptions } from './table.js';
import type { AuditReport } from '../posture/index.js';
import type { HuntReport } from './types.js';

export const REPORT_FORMATS = ['table', 'json', 'ndjson', 'ocsf', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function checkFormat(v: unknown): ReportFormat {
  const f = String(v);
  if (!(REPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not "${f}"`);
  return f as ReportFormat;
}

/**
 * The report as a sequence of chunks, for writing without holding the whole output in memory: json and ndjson
 * stream alert by alert (their bytes equal renderReport's); the other formats come as one chunk.
 */
export async function renderReportChunks(report: HuntReport, format: ReportFormat, table: TableOptions = {}, audit?: AuditReport): Promise<Iterable<string>> {
  if (format === 'json') return prettyJsonChunks(report as unknown as Record<string, unknown>, STREAMED_KEYS);
  if (format === 'ndjson') return ndjsonChunks(report);
  return [await renderReport(report, format, table, audit)];
}

const STREAMED_KEYS = new Set(['incidents', 'merged', 'alerts']);

/**
 * JSON.stringify(obj, null, 2) + '\n', produced piece by piece: the arrays named in `stream` one element at a time.
 * (JSON strings never hold a raw line break, so re-indenting a nested value is a plain replace.)
 */
export function* prettyJsonChunks(obj: Record<string, unknown>, stream: ReadonlySet<string>): Generator<string> {
  const keys = Object.keys(obj).filter((k) => {
    const v = obj[k];
    return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
  });
  if (!keys.length) {
    yield '{}\n';
    return;
  }
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!, v = obj[k];
    const tail = i === keys.length - 1 ? '\n' : ',\n';
    if (stream.has(k) && Array.isArray(v) && v.length) {
      yield `  ${JSON.stringify(k)}: [\n`;
      for (let j = 0; j < v.length; j++) {
        const el = JSON.stringify(v[j], null, 2) ?? 'null';
        yield `    ${el.replace(/\n/g, '\n    ')}${j === v.length - 1 ? '\n' : ',\n'}`;
      }
      yield `  ]${tail}`;
    } else yield `  ${JSON.stringify(k)}: ${JSON.stringify(v, null, 2).replace(/\n/g, '\n  ')}${tail}`;
  }
  yield '}\n';
}

/** `audit`: the posture audit of the same tenant (hunt --snapshot), shown as a section of the HTML report. */
export async function renderReport(report: HuntReport, format: ReportFormat, table: TableOptions = {}, audit?: AuditReport): Promise<string> {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'ndjson':
      return renderNdjson(report);
    case 'ocsf':
      return renderOcsf(report);
    case 'table':
      return renderTable(report, table);
    case 'html': {
      // the HTML renderer is a separate module (and the heaviest): loaded only when asked for
      let mod: { renderHtmlReport?: (r: HuntReport, o?: { audit?: AuditReport }) => string };
      try {
        mod = (await import('./html/index.js')) as typeof mod;
      } catch (e) {
        throw new UsageError(`--format html is not available in this build (src/report/html could not be loaded: ${(e as Error).message}); use --format json and render it later`);
      }
      if (typeof mod.renderHtmlReport !== 'function') throw new UsageError('--format html is not available in this build (renderHtmlReport is missing)');
      return mod.renderHtmlReport(report, audit ? { audit } : undefined);
    }
  }
}
