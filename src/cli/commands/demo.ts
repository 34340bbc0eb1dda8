// `tenantwatch demo`: the whole product on a simulated tenant, offline and without credentials. Simulates a small
// tenant in which the 2022 OAuth spam campaign happens (fixed seed), hunts it with its configuration snapshot,
// writes the HTML report (with the posture audit) and the SQLite store, and prints the incident summary.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../../core/errors.js';
import { safeTerminal } from '../../core/text.js';
import { clockFrom, readTruth } from '../../evaluate/evaluate.js';
import { score, type Scorecard } from '../../evaluate/score.js';
import { hunt } from '../../hunt/hunt.js';
import { loadSnapshot, runAudit } from '../../posture/index.js';
import { renderHtmlReport } from '../../report/html/index.js';
import { renderTable } from '../../report/table.js';
import type { HuntReport } from '../../report/types.js';
import { FORMATS, simulate } from '../../simulate/index.js';
import { hash32 } from '../../simulate/rng.js';
import { Store } from '../../store/store.js';
import { EXIT, type Command, type CommandIO } from '../types.js';

/** The demo tenant: 13–23 s in all on the loaded 2-core project machine, ~205 MB RSS (docs/evaluate.md). */
export const DEMO = { seed: 2022, users: 60, days: 30 } as const;

export interface DemoOptions {
  seed: number;
  users: number;
  days: number;
  /** folder for the tenant, the report and (unless `db`) the store; default a new temp folder */
  out?: string;
  db?: string;
  onStage?: (msg: string) => void;
}

export interface DemoResult {
  out: string;
  tenant: string;
  html: string;
  db: string;
  report: HuntReport;
  /** the hunt scored against the simulator's truth.json */
  scorecard: Scorecard;
  ms: { simulate: number; hunt: number; report: number };
}

/** A tenant folder from an earlier demo (simulate's manifest) may be replaced; anything else is the user's. */
function prepareTenantDir(tenant: string): void {
  if (!existsSync(tenant) || readdirSync(tenant).length === 0) return;
  let mine = false;
  try {
    mine = (JSON.parse(readFileSync(path.join(tenant, 'manifest.json'), 'utf8')) as { schema?: string }).schema === 'tenantwatch.simulate.truth/1';
  } catch {
    mine = false;
  }
  if (!mine) throw new UsageError(`${tenant} exists and was not written by tenantwatch demo; choose another --out`);
  rmSync(tenant, { recursive: true, force: true });
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const stage = opts.onStage ?? (() => undefined);
  const out = opts.out ?? mkdtempSync(path.join(tmpdir(), 'tenantwatch-demo-'));
  mkdirSync(out, { recursive: true });
  const tenant = path.join(out, 'tenant');
  prepareTenantDir(tenant);

  let t = Date.now();
  stage(`simulating a tenant: seed ${opts.seed}, ${opts.users} users, ${opts.days} days, the OAuth spam campaign`);
  const sim = await simulate({ out: tenant, seed: opts.seed, users: opts.users, days: opts.days, scenarios: ['campaign'], formats: FORMATS.filter((f) => f !== 'bench') });
  const simMs = Date.now() - t;

  // the snapshot describes the tenant at the end of the simulated period: the hunt and the audit run "then"
  const now = clockFrom(sim.world.end);
  const snapshotDir = path.join(tenant, 'snapshot');
  const db = opts.db ?? path.join(out, 'tenantwatch.db');
  t = Date.now();
  stage('hunting it');
  const store = Store.open(db);
  let report: HuntReport;
  try {
    const logs = readdirSync(tenant).filter((n) => !['truth.json', 'manifest.json', 'snapshot', 'geo'].includes(n)).sort().map((n) => path.join(tenant, n));
    // the simulated networks are the demo's geo / ASN database (the shipped ones know nothing of documentation ranges)
    const networks = [path.join(tenant, 'geo', 'networks.csv')];
    report = await hunt({ paths: logs, snapshotDir, networks, geoPackages: false, store, dbPath: db, failOn: 'none', now });
  } finally {
    store.close();
  }
  const huntMs = Date.now() - t;

  t = Date.now();
  stage('writing the report');
  const audit = runAudit(await loadSnapshot(snapshotDir), { now: now() });
  const html = path.join(out, 'report.html');
  writeFileSync(html, renderHtmlReport(report, { audit }));
  const scorecard = score(readTruth(tenant), report.alerts, report.incidents);
  return { out, tenant, html, db, report, scorecard, ms: { simulate: simMs, hunt: huntMs, report: Date.now() - t } };
}

function intArg(v: unknown, name: string, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  const s = String(v);
  if (!/^\d+$/.test(s) || Number(s) < lo || Number(s) > hi) throw new UsageError(`${name} must be a whole number between ${lo} and ${hi}, not "${safeTerminal(s, 40)}"`);
  return Number(s);
}

function seedArg(v: unknown): number {
  if (v === undefined) return DEMO.seed;
  const s = String(v);
  return /^\d{1,9}$/.test(s) ? Number(s) : hash32('seed', s);
}

function summaryLines(r: DemoResult, io: CommandIO): string[] {
  const q = (p: string) => (/\s/.test(p) ? JSON.stringify(p) : p);
  const rel = (p: string) => safeTerminal(path.relative(io.cwd, p).startsWith('..') ? p : path.relative(io.cwd, p) || '.', 400);
  const secs = (ms: number) => (ms / 1000).toFixed(1);
  const truth = r.scorecard.incidents.map((i) =>
    `${i.truth}: ${i.stepsDetectedByExpected} of ${i.stepsImplemented} steps detected as expected${i.incidents.length ? `, in incident${i.incidents.length > 1 ? 's' : ''} ${i.incidents.join(', ')}` : ''}`);
  const m = r.scorecard.totals.mediumUp;
  return [
    '',
    `Ground truth (the simulator labels every attack record): ${truth.join('; ')}. ` +
      `${m.truePositives} of ${m.alerts} alerts at medium or higher are on the attack; the others fired on benign look-alikes (tenantwatch evaluate shows which).`,
    '',
    `Simulated tenant (logs, snapshot, truth.json): ${rel(r.tenant)}`,
    `HTML report (incidents, timelines, containment, posture audit): ${rel(r.html)}`,
    `Store (alerts, incidents, entity memory): ${rel(r.db)}`,
    `Took ${secs(r.ms.simulate)} s to simulate, ${secs(r.ms.hunt)} s to hunt, ${secs(r.ms.report)} s for the report.`,
    '',
    'Next:',
    `  open ${q(rel(r.html))} in a browser (it is one self-contained file and makes no requests)`,
    `  tenantwatch incidents list --db ${q(rel(r.db))}`,
    `  tenantwatch evaluate ${q(rel(r.tenant))}     # score the hunt against the simulator's ground truth`,
    `  tenantwatch hunt --snapshot ${q(rel(path.join(r.tenant, 'snapshot')))} --networks ${q(rel(path.join(r.tenant, 'geo', 'networks.csv')))} --no-db ${q(rel(r.tenant))}`,
    '',
  ];
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'simulate a tenant hit by the OAuth spam campaign, hunt it and write the HTML report (offline, no credentials)',
  usage: 'tenantwatch demo [--seed N] [--out DIR] [--db FILE]',
  options: {
    seed: { type: 'string', arg: 'N', help: `seed of the simulated tenant (default ${DEMO.seed}); same seed, same tenant` },
    out: { type: 'string', short: 'o', arg: 'DIR', help: 'write the tenant, report.html and tenantwatch.db into DIR (default: a new temporary folder)' },
    db: { type: 'string', arg: 'FILE', help: 'the store to write (default DIR/tenantwatch.db)' },
    users: { type: 'string', arg: 'N', help: `people in the simulated tenant, 10-2000 (default ${DEMO.users})` },
    days: { type: 'string', arg: 'N', help: `days of logs, 7-60 (default ${DEMO.days}; the campaign's dwell needs a few weeks)` },
  },
  async run(args, io) {
    const v = args.values;
    if (args.positionals.length) throw new UsageError(`demo takes no paths (got "${safeTerminal(args.positionals[0], 80)}"); use tenantwatch hunt for your own exports`);
    const seed = seedArg(v.seed);
    const users = intArg(v.users, '--users', 10, 2000, DEMO.users);
    const days = intArg(v.days, '--days', 7, 60, DEMO.days);
    const out = typeof v.out === 'string' && v.out ? path.resolve(io.cwd, v.out) : undefined;
    const db = typeof v.db === 'string' && v.db ? path.resolve(io.cwd, v.db) : undefined;
    const r = await runDemo({ seed, users, days, out, db, onStage: (m) => io.stderr.write(`tenantwatch demo: ${m}…\n`) });
    io.stdout.write(renderTable(r.report, { color: io.stdoutIsTTY && !io.env.NO_COLOR, width: Number(io.env.COLUMNS) || 100 }));
    io.stdout.write(summaryLines(r, io).join('\n'));
    return EXIT.ok;
  },
};
