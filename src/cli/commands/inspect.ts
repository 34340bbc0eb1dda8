// `tenantwatch inspect <paths…|->`: what each file is, how its records were accounted for, and what it can feed.
import { isValidZone, isoUtc, parseSince } from '../../core/time.js';
import { UsageError } from '../../core/errors.js';
import { safeTerminal } from '../../core/text.js';
import type { Fact } from '../../core/event.js';
import { readInputs, type FileStats, type ReadSummary } from '../../pipeline/read.js';
import { Progress } from '../progress.js';
import { EXIT, type Command } from '../types.js';

/** What each fact lets tenantwatch detect; shown so a defender knows which detections a file can feed. */
export const FACT_USES: Record<Fact, string> = {
  'signin.interactive': 'interactive sign-ins: stuffing, spray, brute force, impossible travel',
  'signin.noninteractive': 'non-interactive sign-ins: token replay, refresh-token abuse',
  'signin.serviceprincipal': 'service-principal sign-ins: app credential abuse from new sources',
  'signin.managedidentity': 'managed-identity sign-ins',
  'signin.failures': 'failed sign-ins: stuffing, spray, brute force',
  'mfa.detail': 'MFA detail: single-factor success of admins (absent in Graph v1.0)',
  'ca.status': 'conditional access results: blocked attempts',
  location: 'location in the record: impossible travel without a geo database',
  ip: 'client IPs',
  asn: 'autonomous system numbers: VPN/SASE and hosting detection',
  risk: 'Identity Protection risk',
  'session.id': 'session ids: token replay',
  'token.id': 'unique token ids: token replay',
  useragent: 'user agents: attack tooling',
  'directory.audit': 'directory changes: apps, consent, credentials, roles, federation',
  'exchange.admin': 'Exchange admin cmdlets: connectors, transport rules',
  'mailbox.rules': 'inbox rules and forwarding: BEC',
  'mailbox.access': 'mail read (MailItemsAccessed): mail read from new addresses, by new apps',
  messagetrace: 'message trace: spam bursts',
  alerts: "Microsoft's own alerts",
};

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'detect the format of each input and account for every record (events, duplicates, filtered, quarantined, coverage)',
  usage: 'tenantwatch inspect [options] <paths…|->',
  options: {
    format: { type: 'string', default: 'table', arg: 'table|json', help: 'output format' },
    since: { type: 'string', arg: 'TIME', help: 'ignore events before TIME (ISO, or relative like 30d)' },
    until: { type: 'string', arg: 'TIME', help: 'ignore events at or after TIME' },
    tz: { type: 'string', arg: 'ZONE', help: 'zone of zone-less locale timestamps in CSV exports (IANA name or ±HH:MM)' },
    'day-first': { type: 'boolean', help: 'slash dates in CSV exports are day/month/year (a date only month-first can read, 9/19, stays month-first)' },
    strict: { type: 'boolean', help: 'exit 4 when any record was quarantined' },
    progress: { type: 'boolean', help: 'show progress on stderr even when it is not a terminal' },
  },
  async run(args, io) {
    const paths = args.positionals;
    if (paths.length === 0) throw new UsageError('no input: give files, directories, or - for standard input');
    const fmt = String(args.values.format);
    if (fmt !== 'table' && fmt !== 'json') throw new UsageError(`--format must be table or json, not "${fmt}"`);
    const tz = args.values.tz as string | undefined;
    if (tz && !isValidZone(tz)) throw new UsageError(`--tz "${tz}" is not a time zone (use an IANA name like Europe/Berlin or an offset like +02:00)`);
    const since = timeArg(args.values.since, '--since', io.now());
    const until = timeArg(args.values.until, '--until', io.now());
    const progress = new Progress(io.stderr, Boolean(args.values.progress) || io.stderrIsTTY, undefined, io.stderrIsTTY);
    const summary = await readInputs(
      paths,
      { event: () => progress.addRecords() },
      { since, until, tz, dayFirst: Boolean(args.values['day-first']), stdin: io.stdin, onBytes: (n) => progress.addBytes(n) },
    );
    progress.done();
    if (fmt === 'json') io.stdout.write(JSON.stringify(inspectJson(summary), null, 2) + '\n');
    else io.stdout.write(inspectTable(summary));
    if (args.values.strict && summary.totals.quarantined > 0) {
      io.stderr.write(`tenantwatch inspect: ${summary.totals.quarantined} record(s) quarantined (--strict)\n`);
      return EXIT.input;
    }
    return summary.files.length === 0 && summary.skipped.length > 0 ? EXIT.input : EXIT.ok;
  },
};

export function timeArg(v: unknown, name: string, now: number): number | undefined {
  if (v === undefined) return undefined;
  const t = parseSince(String(v), now);
  if (t === undefined) throw new UsageError(`${name} "${String(v)}" is not a time (use ISO 8601 like 2026-01-31T00:00:00Z or a relative age like 30d)`);
  return t;
}

export function inspectJson(s: ReadSummary) {
  return {
    files: s.files.filter((f) => !f.skipped).map((f) => ({
      path: f.path,
      sha256: f.sha256,
      bytes: f.bytes,
      encoding: f.encoding,
      container: f.container,
      formats: f.formats,
      records: f.records,
      events: f.events,
      duplicates: f.duplicates,
      filtered: f.filtered,
      quarantined: f.quarantined,
      filteredReasons: f.filteredReasons,
      quarantineReasons: f.quarantineReasons,
      quarantineSamples: f.quarantineSamples,
      timeRange: f.timeMin !== undefined ? { first: isoUtc(f.timeMin), last: isoUtc(f.timeMax!) } : null,
      topActions: topN(f.actions, 8),
      coverage: f.facts,
    })),
    skipped: s.skipped,
    totals: s.totals,
  };
}

function topN(m: Record<string, number>, n: number): { action: string; count: number }[] {
  return Object.entries(m).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([action, count]) => ({ action, count }));
}

export function inspectTable(s: ReadSummary): string {
  const out: string[] = [];
  for (const f of s.files.filter((x) => !x.skipped)) out.push(fileBlock(f));
  if (s.skipped.length) {
    out.push(`skipped (${s.skipped.length} file${s.skipped.length === 1 ? '' : 's'}):`);
    if (s.skipped.length <= 12) {
      for (const k of s.skipped) out.push(`  ${safeTerminal(k.path, 300)}: ${safeTerminal(k.reason, 400)}`);
    } else {
      // Many skipped files (a directory of docs or other products' logs): group by reason, show a few paths each.
      const groups = new Map<string, string[]>();
      for (const k of s.skipped) {
        const reason = k.reason.replace(/\s*\([^]*?\)(?=:|$)/, '').replace(/first \d+ records/, 'first records');
        groups.set(reason, [...(groups.get(reason) ?? []), k.path]);
      }
      for (const [reason, paths] of groups) {
        out.push(`  ${paths.length} × ${safeTerminal(reason, 300)}`);
        for (const p of paths.slice(0, 3)) out.push(`      ${safeTerminal(p, 300)}`);
        if (paths.length > 3) out.push(`      …and ${paths.length - 3} more (--format json lists every file and reason)`);
      }
    }
    out.push('');
  }
  const t = s.totals;
  out.push(`total: ${t.records} records = ${t.events} events + ${t.duplicates} duplicates + ${t.filtered} filtered + ${t.quarantined} quarantined` +
    (s.skipped.length ? `; ${s.skipped.length} file(s) skipped` : ''));
  return out.join('\n') + '\n';
}

function fileBlock(f: FileStats): string {
  const lines = [safeTerminal(f.path, 300)];
  const formats = Object.entries(f.formats).map(([k, v]) => `${k} (${v})`).join(', ') || '—';
  lines.push(`  format:      ${formats}  [${f.container ?? '?'}, ${f.encoding ?? '?'}]`);
  lines.push(`  records:     ${f.records} = ${f.events} events + ${f.duplicates} duplicates + ${f.filtered} filtered + ${f.quarantined} quarantined`);
  if (f.timeMin !== undefined) lines.push(`  time range:  ${isoUtc(f.timeMin)} .. ${isoUtc(f.timeMax!)}`);
  const all = Object.keys(f.actions).length;
  const acts = topN(f.actions, 8).map((a) => `${a.action} ${a.count}`).join(', ');
  if (acts) lines.push(`  actions:     ${acts}${all > 8 ? ` and ${all - 8} more` : ''}`);
  lines.push(`  coverage:    ${f.facts.join(', ') || 'none'}`);
  const missing = (['mfa.detail', 'location', 'session.id', 'signin.serviceprincipal'] as Fact[]).filter((x) => !f.facts.includes(x) && f.facts.some((y) => y.startsWith('signin')));
  if (missing.length) lines.push(`  not carried: ${missing.map((m) => `${m} (${FACT_USES[m]})`).join('; ')}`);
  for (const [reason, n] of Object.entries(f.filteredReasons).slice(0, 5)) lines.push(`  filtered:    ${n} × ${safeTerminal(reason, 200)}`);
  for (const q of f.quarantineSamples.slice(0, 5)) lines.push(`  quarantined: ${safeTerminal(f.path, 120)}:${q.line ?? '?'}: ${safeTerminal(q.reason, 300)}`);
  if (f.quarantined > f.quarantineSamples.slice(0, 5).length) lines.push(`  …and ${f.quarantined - Math.min(5, f.quarantineSamples.length)} more quarantined (use --format json for all reasons)`);
  return lines.join('\n') + '\n';
}
