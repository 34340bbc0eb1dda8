// `tenantwatch simulate --out DIR`: write a simulated Microsoft 365 tenant's logs, configuration snapshot and
// ground truth (truth.json), deterministic for a seed. See docs/simulate.md.
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { safeTerminal } from '../../core/text.js';
import { ALL_SCENARIOS, FORMATS, type Format, simulate } from '../../simulate/index.js';
import { hash32 } from '../../simulate/rng.js';
import { EXIT, type Command } from '../types.js';

const DEFAULT_FORMATS: Format[] = FORMATS.filter((f) => f !== 'bench');

function intArg(v: unknown, name: string, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  const s = String(v);
  if (!/^\d+$/.test(s)) throw new UsageError(`${name} must be a whole number, not "${safeTerminal(s, 40)}"`);
  const n = Number(s);
  if (n < lo || n > hi) throw new UsageError(`${name} must be between ${lo} and ${hi}, not ${n}`);
  return n;
}

/** `--seed 42` is 42; any other text (`--seed demo`) is hashed, so every string is a valid seed. */
function seedArg(v: unknown): number {
  if (v === undefined) return 1;
  const s = String(v);
  return /^\d{1,9}$/.test(s) ? Number(s) : hash32('seed', s);
}

function listArg(v: unknown): string[] {
  const parts = (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => String(x).split(','));
  return parts.map((x) => x.trim()).filter(Boolean);
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'write a realistic simulated tenant (sign-ins, audits, UAL CSV, message trace, snapshot) with ground truth',
  positionals: false,
  usage: 'tenantwatch simulate --out DIR [--seed N] [--users N] [--days N] [--scenario NAME…] [--formats LIST] [--bench-ndjson]',
  options: {
    out: { type: 'string', short: 'o', arg: 'DIR', help: 'output directory (created; must be empty unless --force)' },
    seed: { type: 'string', arg: 'N', help: 'random seed: same seed, same bytes (default 1)' },
    users: { type: 'string', arg: 'N', help: 'number of people in the tenant, 10-200000 (default 200)' },
    days: { type: 'string', arg: 'N', help: 'length of the period in days, 1-120 (default 30)' },
    end: { type: 'string', arg: 'YYYY-MM-DD', help: 'last day of the period is the day before this date (default: derived from the seed)' },
    scenario: { type: 'string', multiple: true, arg: 'NAME', help: `attack scenario(s), repeatable or comma-separated: ${ALL_SCENARIOS.join(', ')}, all, none (default all)` },
    formats: { type: 'string', arg: 'LIST', help: `outputs to write, comma-separated: ${FORMATS.join(', ')} (default: all but bench)` },
    'bench-ndjson': { type: 'boolean', help: 'also write signins/bench-signins.ndjson: every sign-in as one diagnostic record per line' },
    signins: { type: 'string', arg: 'split|graph|diag', help: 'where user sign-ins go: split = interactive to Graph pages, the rest to the diagnostic export (default split)' },
    messagetrace: { type: 'string', arg: 'json|csv|rws', help: 'message trace shape (default json)' },
    order: { type: 'string', arg: 'newest|oldest', help: 'record order in the exports (default newest, as Graph and Purview return them)' },
    force: { type: 'boolean', help: 'write into a non-empty output directory' },
    quiet: { type: 'boolean', short: 'q', help: 'no summary on stdout' },
  },
  async run(args, io) {
    const v = args.values;
    if (!v.out) throw new UsageError('--out DIR is required: the directory to write the simulated tenant into');
    const out = resolve(io.cwd, String(v.out));
    if (existsSync(out) && readdirSync(out).length > 0 && !v.force) {
      throw new UsageError(`${out} is not empty; choose an empty directory or pass --force to write into it`);
    }
    const seed = seedArg(v.seed);
    const users = intArg(v.users, '--users', 10, 200_000, 200);
    const days = intArg(v.days, '--days', 1, 120, 30);
    let end: number | undefined;
    if (v.end !== undefined) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(v.end));
      if (!m) throw new UsageError(`--end must be a date like 2025-06-02, not "${safeTerminal(String(v.end), 40)}"`);
      end = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
      if (Number.isNaN(end)) throw new UsageError(`--end ${String(v.end)} is not a valid date`);
    }
    let scenarios = listArg(v.scenario);
    if (scenarios.length === 0 || scenarios.includes('all')) scenarios = [...ALL_SCENARIOS];
    else if (scenarios.includes('none')) scenarios = [];
    for (const s of scenarios) {
      if (!ALL_SCENARIOS.includes(s)) throw new UsageError(`unknown scenario "${safeTerminal(s, 40)}"; choose from ${ALL_SCENARIOS.join(', ')}, all, none`);
    }
    let formats: Format[] = v.formats === undefined ? [...DEFAULT_FORMATS] : (listArg(v.formats) as Format[]);
    for (const f of formats) if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format "${safeTerminal(f, 40)}"; choose from ${FORMATS.join(', ')}`);
    if (v['bench-ndjson'] && !formats.includes('bench')) formats = [...formats, 'bench'];
    if (formats.length === 0) throw new UsageError('--formats is empty: nothing to write');
    const pick = <T extends string>(val: unknown, name: string, allowed: readonly T[], dflt: T): T => {
      if (val === undefined) return dflt;
      if (!(allowed as readonly string[]).includes(String(val))) throw new UsageError(`${name} must be one of ${allowed.join(', ')}, not "${safeTerminal(String(val), 40)}"`);
      return String(val) as T;
    };
    const signins = pick(v.signins, '--signins', ['split', 'graph', 'diag'] as const, 'split');
    const messagetrace = pick(v.messagetrace, '--messagetrace', ['json', 'csv', 'rws'] as const, 'json');
    const order = pick(v.order, '--order', ['newest', 'oldest'] as const, 'newest');

    const started = io.now();
    const res = await simulate({
      out, seed, users, days, end, scenarios, formats, signins, messagetrace, order,
      onDay: io.stderrIsTTY ? (d, total) => io.stderr.write(`\rsimulate: day ${d}/${total}`) : undefined,
    });
    if (io.stderrIsTTY) io.stderr.write('\n');
    if (!v.quiet) {
      const bytes = res.files.reduce((n, f) => n + f.bytes, 0);
      const lines = [
        `tenantwatch simulate: seed ${seed}, ${users} users, ${days} days (${new Date(res.world.start).toISOString().slice(0, 10)} .. ${new Date(res.world.end - 1).toISOString().slice(0, 10)}), tenant ${res.world.tenant.primaryDomain}`,
        `  sign-ins ${res.counts.signins}, directory audits ${res.counts.audits}, UAL records ${res.counts.ual}, message-trace rows ${res.counts.messageRows}${res.counts.bench ? `, bench sign-ins ${res.counts.bench}` : ''}`,
        `  ${res.incidents} incident(s) [${scenarios.join(', ') || 'none'}], ${res.maliciousEvents} malicious records; ${res.files.length} files, ${(bytes / 1048576).toFixed(1)} MiB in ${((io.now() - started) / 1000).toFixed(1)} s`,
        `  truth: ${out}/truth.json   layout: docs/simulate.md`,
      ];
      io.stdout.write(lines.join('\n') + '\n');
    }
    return EXIT.ok;
  },
};
