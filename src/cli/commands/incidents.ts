// `tenantwatch incidents list|show ID`: read incidents back from the store, in the hunt's output formats.
import { existsSync } from 'node:fs';
import { InputError, UsageError } from '../../core/errors.js';
import { safeTerminal } from '../../core/text.js';
import type { Severity } from '../../detect/alert.js';
import { ALERT_SCHEMA_VERSION, SEVERITIES } from '../../detect/alert.js';
import { ATTACK_VERSION } from '../../detect/attack.js';
import { rulesetVersion } from '../../hunt/hunt.js';
import { checkFormat, renderReport } from '../../report/render.js';
import type { HuntReport, Incident, MergedIncident } from '../../report/types.js';
import { REPORT_SCHEMA_VERSION } from '../../report/types.js';
import { rules } from '../../rules/index.js';
import { Store } from '../../store/store.js';
import { EXIT, type Command } from '../types.js';
import { VERSION } from '../version.js';
import { DEFAULT_DB, dbPathArg, failOnArg, findingsExit, writeOutput } from './hunt.js';
import { timeArg } from './inspect.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A report of kind 'store': incidents and their alerts as the store holds them. */
export function storeReport(store: Store, incidents: Incident[], merged: MergedIncident[], now: number): HuntReport {
  const latest = store.latestRun();
  const alerts = store.alertsByIds([...new Set(incidents.flatMap((i) => i.alerts))])
    .sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || (a.id < b.id ? -1 : 1));
  const counts = (xs: { severity: Severity }[]) => Object.fromEntries(SEVERITIES.map((s) => [s, xs.filter((x) => x.severity === s).length])) as Record<Severity, number>;
  const times = incidents.flatMap((i) => [i.firstSeen, i.lastSeen]).sort();
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'store',
    generatedAt: iso(now),
    tool: latest?.tool ?? { name: 'tenantwatch', version: VERSION, rulesetVersion: rulesetVersion(rules), alertSchemaVersion: ALERT_SCHEMA_VERSION, attackVersion: ATTACK_VERSION },
    inputs: [],
    skipped: [],
    coverage: latest?.coverage ?? { facts: [], rules: [], evaluated: 0, notEvaluated: 0, disabled: 0 },
    stats: {
      records: 0, events: 0, duplicates: 0, filtered: 0, quarantined: 0,
      ...(times.length ? { timeMin: times[0]!, timeMax: times[times.length - 1]! } : {}),
      alerts: alerts.length,
      incidents: incidents.length,
      alertsBySeverity: counts(alerts),
      incidentsBySeverity: counts(incidents),
      unlinkedAlerts: 0,
      sort: { runs: 0, spilledBytes: 0 },
      engine: { pushed: 0, ignored: 0, late: 0, duplicates: 0 },
      durationMs: 0,
    },
    incidents,
    merged,
    alerts,
  };
}

export const incidentsCommand: Command = {
  name: 'incidents',
  summary: 'list the incidents the store holds, or show one in full (with its timeline, reasons and containment steps)',
  usage: 'tenantwatch incidents list [options]\n       tenantwatch incidents show [options] <INC-ID>',
  options: {
    format: { type: 'string', default: 'table', arg: 'table|json|ndjson|ocsf|html', help: 'output format' },
    out: { type: 'string', short: 'o', arg: 'FILE', help: 'write the output to FILE instead of standard output' },
    db: { type: 'string', arg: 'FILE', help: `the store (default ./${DEFAULT_DB}, or $TENANTWATCH_DB)` },
    'min-severity': { type: 'string', arg: 'SEVERITY', help: 'list: only incidents at or above SEVERITY' },
    since: { type: 'string', arg: 'TIME', help: 'list: only incidents active at or after TIME (ISO, or relative like 30d)' },
    tenant: { type: 'string', arg: 'ID', help: 'list: only incidents of this tenant' },
    limit: { type: 'string', arg: 'N', help: 'list: at most N incidents (default 1000)' },
    'fail-on': { type: 'string', default: 'none', arg: 'SEVERITY', help: 'exit 3 when a listed incident is at or above SEVERITY (default none)' },
  },
  async run(args, io) {
    const [sub, id, ...extra] = args.positionals;
    if (sub !== 'list' && sub !== 'show') throw new UsageError('say `incidents list` or `incidents show <INC-ID>`');
    if (sub === 'show' && !id) throw new UsageError('`incidents show` needs an incident id (INC-…); `incidents list` shows them');
    if (extra.length || (sub === 'list' && id)) throw new UsageError(`unexpected argument "${safeTerminal(sub === 'list' ? id : extra[0], 60)}"`);
    const format = checkFormat(args.values.format);
    const failOn = failOnArg(args.values['fail-on']);
    const dbPath = dbPathArg(args.values, io);
    if (dbPath !== ':memory:' && !existsSync(dbPath)) throw new InputError(`no store at ${dbPath}: run \`tenantwatch hunt\` first, or pass --db FILE`);
    const store = Store.open(dbPath, { readonly: true });
    try {
      let report: HuntReport;
      if (sub === 'list') {
        const min = args.values['min-severity'] !== undefined ? failOnArg(args.values['min-severity']) : 'informational';
        const since = timeArg(args.values.since, '--since', io.now());
        const limit = args.values.limit !== undefined ? Number(args.values.limit) : undefined;
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError(`--limit must be a positive whole number, not "${String(args.values.limit)}"`);
        const incidents = store.listIncidents({
          minSeverity: min === 'none' ? 'informational' : min,
          ...(since !== undefined ? { since: iso(since) } : {}),
          ...(typeof args.values.tenant === 'string' ? { tenant: args.values.tenant } : {}),
          ...(limit !== undefined ? { limit } : {}),
        });
        report = storeReport(store, incidents, store.mergedIncidents(), io.now());
      } else {
        const { live, path } = store.resolveIncident(id!);
        if (!live) throw new InputError(`no incident ${safeTerminal(id, 60)} in ${safeTerminal(dbPath, 300)} (\`tenantwatch incidents list\` shows them)`);
        if (path.length) io.stderr.write(`tenantwatch incidents: ${safeTerminal(id, 60)} was merged into ${live.incident.id}; showing that\n`);
        const merged = store.mergedIncidents().filter((m) => m.mergedInto === live.incident.id);
        report = storeReport(store, [live.incident], merged, io.now());
      }
      const text = await renderReport(report, format, {
        color: io.stdoutIsTTY && !args.values.out && !io.env.NO_COLOR,
        detail: sub === 'show',
        width: Number(io.env.COLUMNS) || 100,
      });
      writeOutput(text, args.values.out as string | undefined, io);
      if (sub === 'list' && report.incidents.length === 0 && format === 'table') io.stderr.write('tenantwatch incidents: the store holds no incidents matching the filters\n');
      return findingsExit({ ...report, alerts: [] }, failOn) === EXIT.findings ? EXIT.findings : EXIT.ok;
    } finally {
      store.close();
    }
  },
};
