// `tenantwatch audit SNAPSHOT`: run the posture checks over a collected snapshot (docs/audit.md, docs/snapshot.md).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, UsageError } from '../../core/errors.js';
import { safeTerminal } from '../../core/text.js';
import { checks, undecidable } from '../../posture/checks/index.js';
import { DEFAULT_AUDIT_CONFIG, loadAuditConfig } from '../../posture/exemptions.js';
import { runAudit } from '../../posture/audit.js';
import { blockingFailures, compareReports, renderComparison, renderCsv, renderJson, renderTable } from '../../posture/report.js';
import { loadSnapshot } from '../../posture/snapshot.js';
import { SEVERITY_RANK, type Severity } from '../../posture/types.js';
import { EXIT, type Command } from '../types.js';

const FORMATS = ['table', 'json', 'csv'] as const;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'check a tenant snapshot against the defenses the takeover chain defeats (MFA, admin roles, apps, connectors)',
  usage: 'tenantwatch audit [options] <SNAPSHOT_DIR>',
  options: {
    format: { type: 'string', default: 'table', arg: 'table|json|csv', help: 'output format' },
    config: { type: 'string', arg: 'FILE', help: 'config file with audit.exemptions, break-glass accounts and the collector app' },
    compare: { type: 'string', arg: 'PREVIOUS.json', help: 'show new failures and fixes against a previous --format json report' },
    'fail-on': { type: 'string', default: 'high', arg: 'SEVERITY', help: 'exit 3 when a non-exempt Fail has this severity or higher (critical|high|medium|low|none)' },
    verbose: { type: 'boolean', short: 'v', help: 'table: show details of passing checks too' },
    list: { type: 'boolean', help: 'list the checks (and the catalogue entries a snapshot cannot decide) and exit' },
  },
  async run(args, io) {
    if (args.values.list) {
      for (const c of checks) io.stdout.write(`${c.id.padEnd(4)} ${c.severity.padEnd(8)} ${c.stage.padEnd(16)} ${c.title}\n`);
      for (const u of undecidable) io.stdout.write(`${u.id.padEnd(4)} ${'-'.padEnd(8)} ${'not decidable'.padEnd(16)} ${u.title}: ${u.why}\n`);
      return EXIT.ok;
    }
    const fmt = String(args.values.format);
    if (!(FORMATS as readonly string[]).includes(fmt)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${safeTerminal(fmt, 40)}"`);
    const failOn = String(args.values['fail-on']).toLowerCase();
    if (failOn !== 'none' && !(failOn in SEVERITY_RANK)) throw new UsageError(`--fail-on must be critical, high, medium, low or none, not "${safeTerminal(failOn, 40)}"`);
    if (args.positionals.length !== 1) throw new UsageError('give exactly one snapshot directory (see docs/snapshot.md)');
    const dir = path.resolve(io.cwd, args.positionals[0]!);
    const config = typeof args.values.config === 'string' ? await loadAuditConfig(path.resolve(io.cwd, args.values.config)) : DEFAULT_AUDIT_CONFIG;
    let previous: unknown;
    if (typeof args.values.compare === 'string') {
      const p = path.resolve(io.cwd, args.values.compare);
      try {
        previous = JSON.parse(await readFile(p, 'utf8'));
      } catch (e) {
        throw new InputError(`--compare ${p}: cannot read a previous JSON report (${(e as Error).message}); write one with --format json`);
      }
    }
    const snapshot = await loadSnapshot(dir);
    const report = runAudit(snapshot, { config, now: io.now() });
    const cmp = previous !== undefined ? compareReports(report, previous) : undefined;
    if (fmt === 'json') io.stdout.write(renderJson(cmp ? { ...report, comparison: cmp } as typeof report : report));
    else if (fmt === 'csv') io.stdout.write(renderCsv(report));
    else {
      io.stdout.write(renderTable(report, { verbose: Boolean(args.values.verbose) }));
      if (cmp) io.stdout.write(renderComparison(cmp));
    }
    if (failOn === 'none') return EXIT.ok;
    return blockingFailures(report, failOn as Severity).length ? EXIT.findings : EXIT.ok;
  },
};
