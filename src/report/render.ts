// One entry point for every output format of a hunt report (hunt and `incidents list|show` share it).
import { UsageError } from '../core/errors.js';
import { renderNdjson } from './ndjson.js';
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
