// `tenantwatch hunt <paths…|->`: read exports, order events by time, detect, correlate into incidents, remember.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isValidZone } from '../../core/time.js';
import { UsageError } from '../../core/errors.js';
import { safeTerminal } from '../../core/text.js';
import { defaultConfig, loadConfig } from '../../config/config.js';
import type { Severity } from '../../detect/alert.js';
import { SEVERITIES, severityRank } from '../../detect/alert.js';
import { hunt } from '../../hunt/hunt.js';
import { defaultThreads } from '../../pipeline/parallel.js';
import { isTenantId } from '../../hunt/tenant.js';
import { checkFormat, renderReportChunks } from '../../report/render.js';
import { TextStore } from '../../detect/texts.js';
import { loadSnapshot, runAudit } from '../../posture/index.js';
import { DEFAULT_AUDIT_CONFIG, loadAuditConfig } from '../../posture/exemptions.js';
import type { HuntReport } from '../../report/types.js';
import { knownRules } from '../../rules/index.js';
import { Store } from '../../store/store.js';
import { Progress } from '../progress.js';
import { EXIT, type Command, type CommandIO } from '../types.js';
import { timeArg } from './inspect.js';

export const DEFAULT_DB = 'tenantwatch.db';

/** A repeatable string option's values (also comma-free single values). */
function listValues(v: unknown): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => String(x)).filter((x) => x !== '');
}

export function failOnArg(v: unknown): Severity | 'none' {
  const s = String(v ?? 'medium').toLowerCase();
  if (s === 'none') return 'none';
  if (s === 'info') return 'informational';
  if (!(SEVERITIES as readonly string[]).includes(s)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')} or none, not "${String(v)}"`);
  return s as Severity;
}

/** 3 when any incident or alert of the report is at or above the bar. */
export function findingsExit(report: HuntReport, failOn: Severity | 'none'): number {
  if (failOn === 'none') return EXIT.ok;
  const bar = severityRank(failOn);
  const hit = report.incidents.some((i) => severityRank(i.severity) >= bar) || report.alerts.some((a) => severityRank(a.severity) >= bar);
  return hit ? EXIT.findings : EXIT.ok;
}

/** Write the rendered output (one string, or chunks) to --out (atomically: temp file then rename) or stdout. */
export function writeOutput(text: string | Iterable<string>, out: string | undefined, io: CommandIO): void {
  const chunks = typeof text === 'string' ? [text] : text;
  if (!out || out === '-') {
    for (const c of chunks) io.stdout.write(c);
    return;
  }
  const file = path.resolve(io.cwd, out);
  const tmp = `${file}.tmp-${process.pid}`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    for (const c of chunks) writeSync(fd, c);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write --out ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** --threads N: 1 to 256; default the machine's cores. */
export function threadsArg(v: unknown): number {
  if (v === undefined) return defaultThreads();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--threads must be a whole number from 1 to 256, not "${String(v)}"`);
  return n;
}

export function dbPathArg(values: Record<string, unknown>, io: CommandIO): string {
  const db = typeof values.db === 'string' && values.db !== '' ? values.db : io.env.TENANTWATCH_DB || DEFAULT_DB;
  return db === ':memory:' ? db : path.resolve(io.cwd, db);
}

export const huntCommand: Command = {
  name: 'hunt',
  summary: 'hunt exported logs for takeover: detect, correlate alerts into incidents with containment steps, remember across hunts',
  usage: 'tenantwatch hunt [options] <paths…|->',
  options: {
    format: { type: 'string', default: 'table', arg: 'table|json|ndjson|ocsf|html', help: 'output format' },
    out: { type: 'string', short: 'o', arg: 'FILE', help: 'write the output to FILE instead of standard output' },
    since: { type: 'string', arg: 'TIME', help: 'ignore events before TIME (ISO, or relative like 30d)' },
    until: { type: 'string', arg: 'TIME', help: 'ignore events at or after TIME' },
    config: { type: 'string', arg: 'FILE', help: 'config file (rules, allowlists, privileged accounts)' },
    snapshot: { type: 'string', arg: 'DIR', help: 'tenant configuration snapshot (docs/snapshot.md): enrich incidents with what the configuration says' },
    networks: { type: 'string', multiple: true, arg: 'FILE', help: 'network table (CSV: network,asn,org,kind,city,country,latitude,longitude; docs/enrichment.md) looked up before the shipped geo/ASN databases; repeatable. A simulated tenant\'s geo/networks.csv is one' },
    tenant: { type: 'string', arg: 'GUID', help: 'tenant id for records that carry none (Graph directory audits, risk detections, message trace); by default they take the only tenant the input names' },
    'fail-on': { type: 'string', default: 'medium', arg: 'SEVERITY', help: 'exit 3 when an incident or alert is at or above SEVERITY (informational|low|medium|high|critical|none)' },
    db: { type: 'string', arg: 'FILE', help: `the store remembering alerts, incidents and entities across hunts (default ./${DEFAULT_DB}, or $TENANTWATCH_DB)` },
    'no-db': { type: 'boolean', help: 'neither read nor write the store (a hunt without memory)' },
    tz: { type: 'string', arg: 'ZONE', help: 'zone of zone-less locale timestamps in CSV exports (IANA name or ±HH:MM)' },
    'day-first': { type: 'boolean', help: 'slash dates in CSV exports are day/month/year (a date only month-first can read, 9/19, stays month-first)' },
    'sort-memory': { type: 'string', arg: 'MB', help: 'memory for ordering events before spilling sorted runs to temp files (default 64)' },
    progress: { type: 'boolean', help: 'show progress on stderr even when it is not a terminal' },
    threads: { type: 'string', arg: 'N', help: 'threads to use (default: the cores): N-1 decode the input while one orders and detects; results do not depend on it' },
  },
  async run(args, io) {
    const paths = args.positionals;
    if (paths.length === 0) throw new UsageError('no input: give files, directories, or - for standard input');
    const format = checkFormat(args.values.format);
    const failOn = failOnArg(args.values['fail-on']);
    const tz = args.values.tz as string | undefined;
    if (tz && !isValidZone(tz)) throw new UsageError(`--tz "${tz}" is not a time zone (use an IANA name like Europe/Berlin or an offset like +02:00)`);
    const since = timeArg(args.values.since, '--since', io.now());
    const until = timeArg(args.values.until, '--until', io.now());
    const threads = threadsArg(args.values.threads);
    let sortBudget: number | undefined;
    if (args.values['sort-memory'] !== undefined) {
      const mb = Number(args.values['sort-memory']);
      if (!Number.isFinite(mb) || mb < 1 || mb > 4096) throw new UsageError(`--sort-memory must be a number of MB between 1 and 4096, not "${String(args.values['sort-memory'])}"`);
      sortBudget = mb * 1024 * 1024;
    }
    const configPath = typeof args.values.config === 'string' ? path.resolve(io.cwd, args.values.config) : undefined;
    const config = configPath ? await loadConfig(configPath, knownRules()) : defaultConfig();
    const snapshotDir = typeof args.values.snapshot === 'string' ? path.resolve(io.cwd, args.values.snapshot) : undefined;
    const dbPath = args.values['no-db'] ? undefined : dbPathArg(args.values, io);
    const networks = listValues(args.values.networks).map((f) => path.resolve(io.cwd, f));
    let tenant: string | undefined;
    if (args.values.tenant !== undefined) {
      tenant = String(args.values.tenant).trim().toLowerCase();
      if (!isTenantId(tenant)) throw new UsageError(`--tenant must be a tenant id (a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47), not "${safeTerminal(String(args.values.tenant), 60)}"`);
    }
    const showProgress = Boolean(args.values.progress) || io.stderrIsTTY;
    const progress = new Progress(io.stderr, showProgress, undefined, io.stderrIsTTY);
    const store = dbPath ? Store.open(dbPath) : undefined;
    let report: HuntReport;
    // the alerts' evidence texts wait until the report is written: the newest 2 MB in memory, the rest in a temporary
    // file (flat memory for any input)
    const reportTexts = new TextStore({ budget: 2 * 1024 * 1024, spill: '' });
    try {
      try {
        report = await hunt({
          reportTexts,
          paths, since, until, config, configPath, snapshotDir, store, dbPath, networks, tenant,
          failOn,
          tz, dayFirst: Boolean(args.values['day-first']), stdin: io.stdin, sortBudget, threads, now: io.now,
          onBytes: (n) => progress.addBytes(n),
          onEvent: () => progress.addRecords(),
          onNote: (msg) => {
            progress.done();
            io.stderr.write(`tenantwatch hunt: note: ${msg}\n`);
          },
          onStage: (msg) => {
            if (!showProgress) return;
            progress.done();
            io.stderr.write(`tenantwatch hunt: ${msg}\n`);
          },
        });
      } finally {
        progress.done();
        store?.close();
      }
      // With a snapshot, the HTML report carries the posture audit too (which defenses the tenant lacks).
      const audit = format === 'html' && snapshotDir ? runAudit(await loadSnapshot(snapshotDir), { now: io.now(), config: configPath ? await loadAuditConfig(configPath) : DEFAULT_AUDIT_CONFIG }) : undefined;
      const text = await renderReportChunks(report, format, { color: io.stdoutIsTTY && !args.values.out && !io.env.NO_COLOR, width: Number(io.env.COLUMNS) || 100 }, audit);
      writeOutput(text, args.values.out as string | undefined, io);
    } finally {
      reportTexts.close();
    }
    if (args.values.out) {
      io.stderr.write(`tenantwatch hunt: ${report.incidents.length} incident(s), ${report.alerts.length} alert(s); ${format} written to ${safeTerminal(args.values.out, 300)}\n`);
    }
    if (report.inputs.length === 0 && report.skipped.length > 0) {
      io.stderr.write('tenantwatch hunt: no input was recognized as a log (see `tenantwatch inspect`)\n');
      return EXIT.input;
    }
    return findingsExit(report, failOn);
  },
};
