import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Writable } from 'node:stream';
import { run } from '../cli/main.js';
import type { CommandIO } from '../cli/types.js';
import { readInputs } from '../pipeline/read.js';
import { ALL_SCENARIOS, FORMATS, type Format, simulate, type SimulateOptions } from './index.js';
import { hash32, Rng } from './rng.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'tw-sim-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ALL: Format[] = FORMATS.filter((f) => f !== 'bench');
const opts = (o: Partial<SimulateOptions>): SimulateOptions => ({ out: tmp(), seed: 5, users: 40, days: 14, scenarios: [...ALL_SCENARIOS], formats: ALL, ...o });

function files(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, base) : [p.slice(base.length + 1)];
  }).sort();
}
const treeHash = (dir: string) => {
  const h = createHash('sha256');
  for (const f of files(dir)) h.update(f).update('\0').update(readFileSync(join(dir, f))).update('\0');
  return h.digest('hex');
};
const truthOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as {
  seed: number;
  tenant: { id: string; domains: string[]; locale: string };
  incidents: { id: string; scenario: string; steps: { step: string; eventIds: string[]; expectRules: string[]; time: string | null }[] }[];
  maliciousEventIds: string[];
  decoys: Record<string, { count: number; eventIds: string[] }>;
};

test('rng: derived streams are independent of consumption and uuids are well formed', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  b.next();
  b.next();
  assert.equal(a.derive('x', 1).next(), b.derive('x', 1).next());
  assert.notEqual(a.derive('x', 1).next(), a.derive('x', 2).next());
  assert.match(a.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(hash32('a', 1), hash32('a', 1));
  assert.notEqual(hash32('a', 1), hash32('a1'));
});

test('same seed gives byte-identical output; a different seed differs', async () => {
  const a = await simulate(opts({ seed: 9 }));
  const b = await simulate(opts({ seed: 9 }));
  assert.equal(treeHash(a.dir), treeHash(b.dir));
  const c = await simulate(opts({ seed: 10 }));
  assert.notEqual(treeHash(a.dir), treeHash(c.dir));
  assert.notEqual(truthOf(a.dir).tenant.id, truthOf(c.dir).tenant.id);
  assert.notDeepEqual(truthOf(a.dir).tenant.domains, truthOf(c.dir).tenant.domains);
});

test('seeds vary locale, folder names and attack timing', async () => {
  const locales = new Set<string>();
  const starts = new Set<string | null>();
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const r = await simulate(opts({ seed, users: 20, days: 7, scenarios: ['bec-inbox-rule'], formats: ['ual-search'] }));
    const t = truthOf(r.dir);
    locales.add(t.tenant.locale);
    starts.add(t.incidents[0]!.steps[0]!.time);
  }
  assert.ok(locales.size >= 2, `expected several locales over six seeds, got ${[...locales].join(', ')}`);
  assert.equal(starts.size, 6);
});

test('every scenario produces labelled events for each of its steps', async () => {
  for (const name of ALL_SCENARIOS) {
    const r = await simulate(opts({ seed: 21, users: 30, days: 24, scenarios: [name], formats: ['graph', 'diag', 'audit', 'ual-purview', 'ual-search', 'messagetrace'] }));
    const t = truthOf(r.dir);
    assert.equal(t.incidents.length, 1, name);
    const inc = t.incidents[0]!;
    assert.equal(inc.scenario, name);
    for (const s of inc.steps) assert.ok(s.eventIds.length > 0, `${name}/${s.step} has no events`);
    const all = new Set(t.maliciousEventIds);
    for (const s of inc.steps) for (const id of s.eventIds) assert.ok(all.has(id));
  }
});

test('background only: no incidents, but decoys that look like attacks are labelled', async () => {
  const r = await simulate(opts({ seed: 3, users: 60, days: 14, scenarios: [] }));
  const t = truthOf(r.dir);
  assert.equal(t.incidents.length, 0);
  assert.equal(t.maliciousEventIds.length, 0);
  for (const k of ['office-nat-typos', 'mfa-prompt', 'partner-connector', 'transport-rule', 'marketing-bulk-mail', 'admin-consent', 'helpdesk-reset']) {
    assert.ok((t.decoys[k]?.count ?? 0) > 0, `decoy ${k} missing`);
  }
});

test('every truth id is in the written files, and the project decoders read them all', async () => {
  const r = await simulate(opts({ seed: 13, users: 40, days: 24 }));
  const t = truthOf(r.dir);
  const seen = new Set<string>();
  for (const f of files(r.dir).filter((x) => x !== 'truth.json' && x !== 'manifest.json')) {
    for (const m of readFileSync(join(r.dir, f), 'utf8').matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|Directory_[A-Za-z0-9_-]+/g)) seen.add(m[0]);
  }
  for (const id of t.maliciousEventIds) {
    const key = id.includes('/') ? id.split('/')[0]! : id; // message trace: "<MessageTraceId>/<recipient>"
    assert.ok(seen.has(key), `truth id ${id} not found in the output`);
  }
  const decoded = new Set<string>();
  const quarantined: string[] = [];
  await readInputs([join(r.dir, 'signins'), join(r.dir, 'audit'), join(r.dir, 'ual'), join(r.dir, 'messagetrace')], {
    event: (e) => decoded.add(e.id),
    quarantined: (ref, reason) => quarantined.push(`${ref.file}:${ref.line}: ${reason}`),
  }, {});
  assert.deepEqual(quarantined.slice(0, 5), []);
  const missing = t.maliciousEventIds.filter((id) => !decoded.has(id));
  assert.deepEqual(missing.slice(0, 5), [], `${missing.length} truth ids were not decoded with the same id`);
});

test('output shapes: Graph pages newest first with nextLink, UAL CSV headers, hourly diag blobs, per-day message trace', async () => {
  const r = await simulate(opts({ seed: 4, users: 150, days: 10 }));
  const names = files(r.dir);
  const pages = names.filter((f) => /^signins\/graph-beta-page-\d{4}\.json$/.test(f));
  assert.ok(pages.length >= 2, 'expected more than one Graph page');
  let prev = '9999';
  pages.forEach((p, i) => {
    const body = JSON.parse(readFileSync(join(r.dir, p), 'utf8'));
    assert.equal(typeof body['@odata.context'], 'string');
    assert.equal('@odata.nextLink' in body, i < pages.length - 1);
    for (const v of body.value) {
      assert.ok(v.createdDateTime <= prev, 'Graph sign-ins must be newest first');
      prev = v.createdDateTime;
    }
  });
  assert.ok(names.some((f) => /^signins\/diag\/insights-logs-noninteractiveusersigninlogs\/y=\d{4}\/m=\d\d\/d=\d\d\/h=\d\d\/m=00\/PT1H\.json$/.test(f)));
  const purview = readFileSync(join(r.dir, names.find((f) => f.startsWith('ual/purview-export-'))!), 'utf8');
  assert.match(purview, /^"?RecordId"?,"?CreationDate"?,"?RecordType"?,"?Operation"?,"?UserId"?,"?AuditData"?,/);
  assert.ok(purview.includes('\r\n'));
  const search = readFileSync(join(r.dir, names.find((f) => f.startsWith('ual/search-unifiedauditlog-'))!), 'utf8');
  assert.ok(search.startsWith('"RunspaceId","RecordType","CreationDate","UserIds","Operations","AuditData","ResultIndex","ResultCount"'));
  const trace = names.filter((f) => f.startsWith('messagetrace/messagetrace-'));
  assert.ok(trace.length > 0);
  const row = JSON.parse(readFileSync(join(r.dir, trace[0]!), 'utf8').split('\n')[0]!);
  for (const k of ['Organization', 'MessageId', 'Received', 'SenderAddress', 'RecipientAddress', 'Status', 'FromIP', 'Size', 'MessageTraceId', 'Index']) assert.ok(k in row, k);
  assert.ok(names.includes('snapshot/graph/v1.0/roleManagement/directory/roleAssignments.json'));
  assert.ok(names.includes('snapshot/exchange/Get-InboundConnector.json'));
  assert.ok(names.includes('geo/networks.csv'));
  // no address outside the documentation / benchmarking ranges
  const ips = readFileSync(join(r.dir, pages[0]!), 'utf8').match(/"ipAddress":"([^"]+)"/g) ?? [];
  for (const m of ips) assert.match(m, /"ipAddress":"(192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|198\.1[89]\.|2001:db8:)/);
});

test('bounded memory: the per-day working set does not grow with the number of days', async () => {
  const short = await simulate(opts({ seed: 8, users: 300, days: 4, formats: ['diag'] }));
  const long = await simulate(opts({ seed: 8, users: 300, days: 16, formats: ['diag'] }));
  assert.ok(long.peakDayIntents < short.peakDayIntents * 1.6, `peak ${long.peakDayIntents} vs ${short.peakDayIntents}`);
  const total = long.counts.signins ?? 0;
  assert.ok(long.peakDayIntents < total / 6, 'one day must be a small part of the whole');
});

test('bench NDJSON alone carries every sign-in and keeps truth ids', async () => {
  const r = await simulate(opts({ seed: 2, users: 30, days: 10, formats: ['bench'], order: 'oldest' }));
  const lines = readFileSync(join(r.dir, 'signins/bench-signins.ndjson'), 'utf8').trim().split('\n');
  assert.equal(lines.length, r.counts.bench);
  let prev = '';
  for (const l of lines.slice(0, 2000)) {
    const rec = JSON.parse(l);
    assert.ok(['SignInLogs', 'NonInteractiveUserSignInLogs', 'ServicePrincipalSignInLogs'].includes(rec.category));
    const day = rec.properties.createdDateTime.slice(0, 10);
    assert.ok(day >= prev, 'oldest first by day');
    prev = day;
  }
  const t = truthOf(r.dir);
  const text = lines.join('\n');
  for (const inc of t.incidents) for (const s of inc.steps) for (const id of s.eventIds) assert.ok(text.includes(id), id);
});

function io(): CommandIO & { out: () => string; err: () => string } {
  let o = '';
  let e = '';
  const w = (f: (s: string) => void) => new Writable({ write(c, _e, cb) { f(String(c)); cb(); } });
  return {
    stdout: w((s) => (o += s)), stderr: w((s) => (e += s)), stdin: process.stdin, cwd: process.cwd(), env: {},
    stdoutIsTTY: false, stderrIsTTY: false, now: () => 0, out: () => o, err: () => e,
  };
}

test('CLI: simulate writes the tenant and rejects bad arguments', async () => {
  const d = tmp();
  const x = io();
  assert.equal(await run(['simulate', '--out', d, '--seed', '77', '--users', '20', '--days', '3', '--scenario', 'campaign,spray', '--messagetrace', 'csv'], x), 0);
  assert.match(x.out(), /2 incident\(s\)/);
  assert.ok(files(d).some((f) => /^messagetrace\/messagetrace-.*\.csv$/.test(f)));
  const y = io();
  assert.equal(await run(['simulate', '--out', d, '--users', '20', '--days', '3'], y), 2, 'non-empty dir without --force');
  assert.match(y.err(), /not empty/);
  assert.equal(await run(['simulate', '--out', tmp(), '--scenario', 'nope'], io()), 2);
  assert.equal(await run(['simulate', '--out', tmp(), '--users', 'many'], io()), 2);
  assert.equal(await run(['simulate', '--out', tmp(), '--formats', 'graph,xml'], io()), 2);
});
