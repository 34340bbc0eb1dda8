// End to end over a simulated tenant (src/simulate): the 2022 campaign chain plus the benign background with its
// look-alikes (an admin registering an app, credential rotation, a partner connector, a transport rule …), in
// every export format the simulator writes, files in shuffled order. Rules are being added concurrently, so the
// assertions are about what correlation guarantees for whatever rules fire: one incident for the chain holding
// every alert that names the attacker's app or acting account, look-alikes outside it, the same output for any
// file order, memory across hunts, and the report contract.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import type { Alert } from '../detect/alert.js';
import { severityRank } from '../detect/alert.js';
import { validate } from '../detect/json-schema.js';
import { simulate } from '../simulate/index.js';
import { Store } from '../store/store.js';
import type { HuntReport, Incident } from '../report/types.js';
import { run } from '../cli/main.js';
import type { CommandIO } from '../cli/types.js';
import { hunt } from './hunt.js';

interface Truth {
  maliciousEventIds: string[];
  incidents: { actors: { users: string[]; apps: string[] }; steps: { step: string; eventIds: string[]; time: string }[] }[];
  decoys: Record<string, { eventIds: string[] }>;
}

let dir: string;
let sim: string;
let truth: Truth;
let files: string[];
let base: HuntReport;
/** the sign-in page the overlap test gives twice (a copy of one record may win: its text is the same) */
let copiedPage = '';

function listFiles(d: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(d)) {
    const p = path.join(d, e);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** A deterministic shuffle (LCG), so a failure reproduces. */
function shuffle<T>(xs: T[], seed: number): T[] {
  const ys = [...xs];
  let s = seed;
  for (let i = ys.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [ys[i], ys[j]] = [ys[j]!, ys[i]!];
  }
  return ys;
}

/** The report minus what legitimately differs between runs (times of the run, how the input was split). */
function stable(r: HuntReport): unknown {
  const { generatedAt: _g, run: _r, inputs: _i, skipped: _k, stats, ...rest } = structuredClone(r);
  // which file a record came from differs when the input is reshaped; its text does not
  for (const a of rest.alerts) for (const e of a.evidence) {
    e.raw.file = path.basename(e.raw.file).replace(/\.gz$/, '').replace('overlap-copy.json', copiedPage);
    delete e.raw.line;
  }
  const { durationMs: _d, sort: _s, records: _rc, duplicates: _dp, engine: _e, ...st } = stats;
  return { ...rest, stats: st };
}

const appIdOfChain = () => truth.incidents[0]!.actors.apps[0]!.toLowerCase();
const victims = () => truth.incidents[0]!.actors.users.map((u) => u.toLowerCase());

function names(a: Alert, ids: string[], roles?: string[]): boolean {
  return a.entities.some((e) => (!roles || roles.includes(e.role ?? '')) && [e.id, ...(e.aliases ?? [])].some((x) => ids.includes(x.toLowerCase())));
}

function chainIncident(r: HuntReport): Incident {
  const withApp = r.incidents.filter((i) => i.scope.apps.some((a) => a.id === appIdOfChain()));
  assert.equal(withApp.length, 1, `exactly one incident holds the attacker's app (got ${withApp.map((i) => i.id).join(', ') || 'none'})`);
  return withApp[0]!;
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tw-hunt-e2e-'));
  sim = path.join(dir, 'tenant');
  await simulate({ out: sim, seed: 3, users: 25, days: 7, scenarios: ['campaign'], formats: ['graph', 'diag', 'audit', 'ual-purview', 'ual-search', 'messagetrace', 'snapshot'] });
  truth = JSON.parse(readFileSync(path.join(sim, 'truth.json'), 'utf8')) as Truth;
  files = listFiles(sim).filter((f) => !/truth\.json|manifest\.json|[/\\](snapshot|geo)[/\\]/.test(f));
  base = await hunt({ paths: [sim], snapshotDir: path.join(sim, 'snapshot'), now: () => Date.parse('2025-02-01T00:00:00Z') });
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('the campaign is one incident holding every alert that names its app or its acting account', () => {
  const inc = chainIncident(base);
  const members = new Set(inc.alerts);
  const malicious = new Set(truth.maliciousEventIds);
  const chainAlerts = base.alerts.filter((a) => a.evidence.some((e) => malicious.has(e.eventId)));
  assert.ok(chainAlerts.length >= 3, `rules fired on the campaign (${chainAlerts.length} alerts)`);
  // every alert that names the attacker's app, or the victim as the one acting, is in the incident
  for (const a of base.alerts) {
    const strongApp = names(a, [appIdOfChain()]) && severityRank(a.severity) >= severityRank('medium');
    const actingVictim = names(a, victims(), ['actor']) && severityRank(a.severity) >= severityRank('medium') && a.evidence.some((e) => malicious.has(e.eventId));
    if (strongApp || actingVictim) assert.ok(members.has(a.id), `${a.rule} "${a.title}" belongs to the chain`);
  }
  // every campaign step some rule detected through the app or the account is present
  const steps = truth.incidents[0]!.steps;
  for (const s of steps) {
    const ids = new Set(s.eventIds);
    const detected = base.alerts.filter((a) => a.evidence.some((e) => ids.has(e.eventId)) && (names(a, [appIdOfChain()]) || names(a, victims(), ['actor'])) && severityRank(a.severity) >= severityRank('medium'));
    if (detected.length) assert.ok(detected.some((a) => members.has(a.id)), `step ${s.step} is in the incident`);
  }
  // it reads as a chain: several tactics in kill-chain order, severity at least high, reasons for every member
  assert.ok(inc.tactics.length >= 2);
  assert.ok(severityRank(inc.severity) >= severityRank('high'));
  assert.equal(inc.timeline.length, inc.alerts.length);
  for (const t of inc.timeline) assert.ok(t.linkedBecause.length > 10, t.alertId);
  assert.ok(inc.timeline.slice(1).every((t) => t.link), 'every member after the seed has a machine-readable link');
  assert.ok(inc.containment.some((c) => c.action === 'disable-service-principal' && c.entity.id));
  assert.ok(inc.containment.findIndex((c) => c.action === 'remove-app-secret') < inc.containment.findIndex((c) => c.action === 'reset-password'));
  assert.ok(inc.context.some((c) => c.from === 'snapshot'), 'the snapshot enriches the incident');
  assert.ok(inc.graph.edges.every((e) => inc.graph.nodes.some((n) => n.id === e.from) && inc.graph.nodes.some((n) => n.id === e.to)));
});

test('look-alikes stay outside the chain', () => {
  const inc = chainIncident(base);
  const decoy = new Set(Object.values(truth.decoys).flatMap((d) => d.eventIds));
  const malicious = new Set(truth.maliciousEventIds);
  // benign twins of the attack (another admin registering an app, rotating a secret, a partner connector …);
  // routine activity of the compromised account itself is in the incident's scope by design
  const lookalikes = base.alerts.filter((a) =>
    a.evidence.some((e) => decoy.has(e.eventId)) && !a.evidence.some((e) => malicious.has(e.eventId)) &&
    !names(a, [appIdOfChain(), ...victims()]));
  assert.ok(lookalikes.length > 0, 'the background produced look-alike alerts');
  for (const a of lookalikes) assert.ok(!inc.alerts.includes(a.id), `look-alike ${a.rule} "${a.title}" is not in the chain`);
  // an incident made only of low alerts cannot exist
  for (const i of base.incidents) {
    const sev = i.alerts.map((id) => base.alerts.find((a) => a.id === id)!.severity);
    assert.ok(sev.some((s) => severityRank(s) >= severityRank('medium')), `${i.id} has a medium or higher alert`);
  }
});

test('identical output whatever the file order, the format mix and overlapping copies', async () => {
  const mixed = path.join(dir, 'mixed');
  mkdirSync(mixed);
  // the same data reshaped: one file gzip-compressed, one sign-in page given twice under another name
  const audit = files.find((f) => f.endsWith('directoryAudits.json'))!;
  writeFileSync(path.join(mixed, 'directoryAudits.json.gz'), gzipSync(readFileSync(audit)));
  const page = files.find((f) => /graph-beta-page-\d+\.json$/.test(f))!;
  copiedPage = path.basename(page);
  copyFileSync(page, path.join(mixed, 'overlap-copy.json'));
  const rest = files.filter((f) => f !== audit);
  const a = await hunt({ paths: shuffle([...rest, ...listFiles(mixed)], 11), snapshotDir: path.join(sim, 'snapshot'), now: () => Date.parse('2025-02-01T00:00:00Z') });
  const b = await hunt({ paths: shuffle(files, 5), snapshotDir: path.join(sim, 'snapshot'), sortBudget: 256 * 1024, now: () => Date.parse('2025-02-01T00:00:00Z') });
  assert.ok(b.stats.sort.runs > 1, 'the second hunt spilled sorted runs');
  assert.ok(a.stats.duplicates > 0, 'the overlapping copy was seen as duplicates');
  assert.deepEqual(stable(a), stable(base));
  assert.deepEqual(stable(b), stable(base));
});

test('the report holds to its contract: schema, alert schema, outputs', async () => {
  const schema = JSON.parse(readFileSync(path.resolve('docs/report.schema.json'), 'utf8')) as Record<string, unknown>;
  const roundTrip = JSON.parse(JSON.stringify(base)) as unknown;
  assert.deepEqual(validate(schema, roundTrip), []);
  const { renderReport } = await import('../report/render.js');
  const nd = (await renderReport(base, 'ndjson')).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
  assert.equal(nd.filter((x) => x.type === 'incident').length, base.incidents.length);
  assert.equal(nd.filter((x) => x.type === 'alert').length, base.alerts.length);
  assert.equal(nd.at(-1)!.type, 'summary');
  const ocsf = JSON.parse(await renderReport(base, 'ocsf')) as { class_uid: number; type_uid: number; finding_info: { uid: string }; evidences: unknown[] }[];
  assert.equal(ocsf.length, base.incidents.length + base.alerts.length);
  assert.ok(ocsf.every((o) => o.class_uid === 2004 && Math.floor(o.type_uid / 100) === 2004 && o.finding_info.uid && Array.isArray(o.evidences)));
  const table = await renderReport(base, 'table');
  assert.ok(!/\x1b/.test(table), 'no escape sequences without a terminal');
  assert.ok(table.indexOf('INCIDENTS') < table.indexOf('ALERTS NOT IN AN INCIDENT') || !table.includes('ALERTS NOT IN'));
  assert.ok(table.includes(chainIncident(base).id));
});

test('memory across hunts: a connector today links to an app created in an earlier hunt, and its creation is remembered', async () => {
  const db = path.join(dir, 'split.db');
  const connectorAt = Date.parse(truth.incidents[0]!.steps.find((s) => s.step === 'connector-created')!.time);
  const cut = connectorAt - 6 * 3_600_000;
  const store = Store.open(db);
  try {
    const first = await hunt({ paths: files, until: cut, store, now: () => Date.parse('2025-02-01T00:00:00Z') });
    const firstInc = chainIncident(first);
    const second = await hunt({ paths: files, since: cut, store, now: () => Date.parse('2025-02-02T00:00:00Z') });
    const inc = chainIncident(second);
    assert.equal(inc.id, firstInc.id, 'the chain keeps its id');
    assert.ok(inc.revision > firstInc.revision);
    assert.ok(inc.alerts.length > firstInc.alerts.length);
    assert.ok(firstInc.alerts.every((id) => inc.alerts.includes(id)), 'the earlier alerts are part of it');
    const app = inc.scope.apps.find((a) => a.id === appIdOfChain())!;
    const created = Date.parse(truth.incidents[0]!.steps.find((s) => s.step === 'app-registration')!.time);
    assert.ok(app.createdAt && Math.abs(Date.parse(app.createdAt) - created) < 3_600_000, `app creation remembered (${app.createdAt})`);
    // re-running the same hunt duplicates nothing
    const before = store.counts();
    const again = await hunt({ paths: files, since: cut, store, now: () => Date.parse('2025-02-03T00:00:00Z') });
    const afterCounts = store.counts();
    for (const t of ['alerts', 'evidence', 'incidents', 'incident_alerts', 'entities']) assert.equal(afterCounts[t], before[t], t);
    assert.equal(chainIncident(again).revision, inc.revision, 'same alerts: same revision');
  } finally {
    store.close();
  }
});

test('when more data joins two incidents, one id survives and the other records mergedInto', async () => {
  const db = path.join(dir, 'merge.db');
  // the directory audit alone: the app's alerts, without the sign-ins that came first
  const appFiles = files.filter((f) => /[/\\]audit[/\\]/.test(f));
  const store = Store.open(db);
  let appOnlyId: string;
  try {
    const a = await hunt({ paths: appFiles, store, now: () => Date.parse('2025-02-01T00:00:00Z') });
    appOnlyId = chainIncident(a).id;
    const all = await hunt({ paths: files, store, now: () => Date.parse('2025-02-02T00:00:00Z') });
    const inc = chainIncident(all);
    assert.notEqual(inc.id, appOnlyId, 'the sign-in alerts are earlier: the chain takes the id of its earliest alert');
    assert.ok(all.merged.some((m) => m.id === appOnlyId && m.mergedInto === inc.id), 'tombstone in the report');
    assert.ok(inc.mergedFrom?.includes(appOnlyId));
  } finally {
    store.close();
  }
  // the CLI resolves the old id to the surviving incident
  const out = await cli(['incidents', 'show', appOnlyId, '--db', db, '--format', 'json']);
  assert.equal(out.code, 0, out.stderr);
  const shown = JSON.parse(out.stdout) as HuntReport;
  assert.equal(shown.kind, 'store');
  assert.notEqual(shown.incidents[0]!.id, appOnlyId);
  assert.match(out.stderr, /was merged into/);
  const list = await cli(['incidents', 'list', '--db', db, '--format', 'ndjson']);
  assert.equal(list.code, 0);
  assert.ok(!list.stdout.split('\n').filter(Boolean).some((l) => (JSON.parse(l) as { type: string; id?: string }).type === 'incident' && (JSON.parse(l) as { id: string }).id === appOnlyId));
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const io: CommandIO = { stdout: out, stderr: err, stdin: new PassThrough(), cwd: process.cwd(), env: {}, stdoutIsTTY: false, stderrIsTTY: false, now: () => Date.parse('2025-02-05T00:00:00Z') };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

test('CLI: exit 3 on findings at --fail-on, 0 with none, 0 on a quiet tenant; --out writes the file', async () => {
  const db = path.join(dir, 'cli.db');
  const r = await cli(['hunt', sim, '--db', db, '--format', 'json', '--out', path.join(dir, 'r.json')]);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, '');
  const rep = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8')) as HuntReport;
  assert.equal(rep.run?.options.failOn, 'medium');
  assert.equal((await cli(['hunt', sim, '--no-db', '--fail-on', 'none', '--format', 'ndjson'])).code, 0);
  const quiet = path.join(dir, 'quiet.json');
  writeFileSync(quiet, JSON.stringify({ value: [{
    id: '6f1d0c52-0000-4000-8000-000000000001', createdDateTime: '2025-01-20T09:00:00Z', userPrincipalName: 'ann@contoso.example',
    userId: '11111111-1111-4111-8111-111111111111', appId: '00000006-0000-0ff1-ce00-000000000000', appDisplayName: 'Microsoft Office 365 Portal',
    ipAddress: '198.51.100.20', clientAppUsed: 'Browser', status: { errorCode: 0 }, isInteractive: true, tenantId: 'a1b2c3d4-0000-4000-8000-00000000c0de',
  }] }));
  const q = await cli(['hunt', quiet, '--no-db']);
  assert.equal(q.code, 0, q.stdout + q.stderr);
  assert.match(q.stdout, /No incidents\./);
  assert.equal((await cli(['hunt', '--no-db'])).code, 2, 'no input is a usage error');
  assert.equal((await cli(['hunt', quiet, '--no-db', '--format', 'xml'])).code, 2);
  assert.equal((await cli(['incidents', 'show', 'INC-doesnotexist', '--db', db])).code, 4);
});

test('decoding threads give the same report; evidence texts left in the file come back whole', async () => {
  // a diagnostic NDJSON export of several MB: split into byte ranges, most lines read as bytes with their offset,
  // so both hunts hold evidence as places in the file and read the texts back for the alerts
  const out = path.join(dir, 'bench');
  await simulate({ out, seed: 5, users: 150, days: 3, scenarios: ['campaign', 'spray'], formats: ['bench'], order: 'oldest' });
  const file = path.join(out, 'signins', 'bench-signins.ndjson');
  assert.ok(statSync(file).size > 4 * 1024 * 1024, 'large enough for more than one byte range');
  const now = () => Date.parse('2025-02-01T00:00:00Z');
  const one = await hunt({ paths: [file], threads: 1, now });
  const two = await hunt({ paths: [file], threads: 2, now });
  assert.ok(one.alerts.length >= 5, `alerts: ${one.alerts.length}`);
  assert.deepEqual(stable(two), stable(one));
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const r of [one, two]) {
    for (const a of r.alerts) {
      for (const e of a.evidence) {
        const raw = e.raw as unknown as Record<string, unknown>;
        assert.ok(!('at' in raw) && !('ref' in raw), `no internal text place in ${a.rule}`);
        assert.equal(e.raw.text, lines[e.raw.line! - 1], `${a.rule} ${e.eventId}: the text is the file's line`);
      }
    }
  }
});
