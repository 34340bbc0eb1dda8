// Hunt-level joins: Graph directoryAudit records carry no tenant id, sign-ins and the UAL do. With one tenant in
// the input they take it, so a sequence from a sign-in to a directory change completes; with several tenants they
// stay 'unknown' and the report says so; --tenant decides. UAL copies of the same directory changes are dropped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { run as cliRun } from '../cli/main.js';
import type { CommandIO } from '../cli/types.js';
import type { HuntReport } from '../report/types.js';
import { BASE, MINUTES, TENANT, auditFile, jsonLines, signInRecord } from '../rules/app/audit-records.js';
import { addApplication, appCredential, appRoleAssignment, key } from '../rules/app/changes.js';
import { consentThenCredential } from '../rules/app/consent-then-credential/rule.js';
import { riskySigninThenApp } from '../rules/app/risky-signin-then-app/rule.js';
import type { CaseInput } from '../rules/types.js';
import { guid } from '../rules/records.js';
import { hunt } from './hunt.js';
import { TenantTally } from './tenant.js';

const ADMIN = 'it-admin@contoso.example';
const ATTACKER_IP = '203.0.113.50';
const OTHER_TENANT = '0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a';
const APP = { id: guid('app|join-test'), name: 'Mail Sync Helper' };
const EXO = { spId: guid('sp|exo'), appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' };
const by = { user: ADMIN, ip: ATTACKER_IP };

let root: string;

function write(dir: string, inputs: CaseInput[]): string {
  const d = path.join(root, dir);
  mkdirSync(d, { recursive: true });
  for (const f of inputs) writeFileSync(path.join(d, f.name), f.text);
  return d;
}

/** A risky sign-in (tenant id from the record), then an app registered and armed (Graph audit: no tenant id; UAL: copies). */
function chain(extraSignIns: Record<string, unknown>[] = []): CaseInput[] {
  const changes = [
    addApplication(BASE + 25 * MINUTES, APP, by),
    appRoleAssignment(BASE + 30 * MINUTES, APP, { by, value: 'Exchange.ManageAsApp', id: 'dc50a0fb-09a3-484d-be87-e023b12c6440', resource: EXO }),
    appCredential(BASE + 32 * MINUTES, APP, key('join'), { by, existing: [] }),
  ];
  return [
    jsonLines('signins.ndjson', [signInRecord({ at: BASE, user: ADMIN, ip: ATTACKER_IP, risk: 'medium', riskTypes: ['unfamiliarFeatures'] }), ...extraSignIns]),
    auditFile('graph', 'audit', changes),
    auditFile('ual', 'audit', changes),
  ];
}

const rules = [riskySigninThenApp, consentThenCredential];
const run = (dir: string, tenant?: string) => hunt({ paths: [dir], rules, geoPackages: false, tenant, now: () => BASE + 86_400_000 });

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'tw-join-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

test('one tenant in the input: records without a tenant id take it, and a sign-in -> app sequence completes', async () => {
  const r = await run(write('one', chain()));
  const app2 = r.alerts.filter((a) => a.rule === 'TW-APP-002');
  assert.equal(app2.length, 1, 'risky sign-in (tenant from the record) then "Add application" (Graph audit, no tenant id)');
  assert.equal(app2[0]!.tenant, TENANT);
  const app1 = r.alerts.filter((a) => a.rule === 'TW-APP-001');
  assert.equal(app1.length, 1);
  assert.equal(app1[0]!.tenant, TENANT);
  assert.equal(app1[0]!.severity, 'critical');
  // the UAL copies of the three changes were dropped before detection: evidence is the Entra records only
  assert.equal(r.stats.engine.duplicates, 3);
  for (const a of r.alerts) for (const e of a.evidence) if (e.action !== 'signin') assert.equal(e.raw.format, 'graph.directoryaudit');
  const notes = r.coverage.notes ?? [];
  assert.ok(notes.some((n) => n.includes(`assigned tenant ${TENANT}`)), notes.join(' | '));
  assert.ok(notes.some((n) => n.includes('3 unified-audit-log copies')), notes.join(' | '));
});

test('several tenants: unknowns stay unknown and the report says so; --tenant assigns them', async () => {
  const other = { ...signInRecord({ at: BASE + MINUTES, user: 'someone@fabrikam.example', ip: '198.51.100.20' }), homeTenantId: OTHER_TENANT, resourceTenantId: OTHER_TENANT };
  const dir = write('two', chain([other]));
  const r = await run(dir);
  assert.equal(r.alerts.filter((a) => a.rule === 'TW-APP-002').length, 0, 'the sign-in and the app change are in different tenants as far as the engine knows');
  const notes = r.coverage.notes ?? [];
  assert.ok(notes.some((n) => /stay tenant "unknown"/.test(n) && n.includes('--tenant')), notes.join(' | '));
  assert.ok(r.alerts.filter((a) => a.rule === 'TW-APP-001').every((a) => a.tenant === 'unknown'));

  const forced = await run(dir, TENANT);
  const app2 = forced.alerts.filter((a) => a.rule === 'TW-APP-002');
  assert.equal(app2.length, 1);
  assert.equal(app2[0]!.tenant, TENANT);
  assert.equal(forced.run?.options.tenant, TENANT);
  assert.ok((forced.coverage.notes ?? []).some((n) => n.includes('(--tenant)') && n.includes(OTHER_TENANT)));
});

test('TenantTally: decisions', () => {
  const t = new TenantTally();
  assert.deepEqual(t.decide(), {}, 'nothing read');
  t.observe('unknown');
  assert.deepEqual(t.decide(), {}, 'only unknowns: nothing to join with, nothing to say');
  t.observe(TENANT);
  t.observe(TENANT);
  const one = t.decide();
  assert.equal(one.assign, TENANT);
  const ev = { tenant: 'unknown' };
  t.apply(ev, one);
  assert.equal(ev.tenant, TENANT);
  const known = { tenant: OTHER_TENANT };
  t.apply(known, one);
  assert.equal(known.tenant, OTHER_TENANT, 'a known tenant is never rewritten');
  assert.equal(t.assigned, 1);
  t.observe(OTHER_TENANT);
  assert.equal(t.decide().assign, undefined);
  assert.equal(t.decide(OTHER_TENANT).assign, OTHER_TENANT);
});

async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stderr = '';
  out.resume();
  err.on('data', (c) => (stderr += c));
  const io: CommandIO = { stdout: out, stderr: err, stdin: new PassThrough(), cwd: root, env: {}, stdoutIsTTY: false, stderrIsTTY: false, now: () => BASE + 86_400_000 };
  return { code: await cliRun(args, io), stderr };
}

test('CLI: --tenant must be a GUID; --networks tables are used, named in the report, and checked', async () => {
  const dir = write('cli', chain());
  assert.equal((await cli(['hunt', dir, '--no-db', '--tenant', 'contoso.example'])).code, 2);
  const table = path.join(root, 'networks.csv');
  writeFileSync(table, `network,asn,org,kind,city,country,latitude,longitude\n203.0.113.0/24,64496,Example Hosting,hosting,Jakarta,ID,-6.2088,106.8456\n`);
  const out = path.join(root, 'cli.json');
  const ok = await cli(['hunt', dir, '--no-db', '--fail-on', 'none', '--format', 'json', '--out', out, '--networks', table, '--tenant', TENANT.toUpperCase()]);
  assert.equal(ok.code, 0, ok.stderr);
  const rep = JSON.parse(readFileSync(out, 'utf8')) as HuntReport;
  assert.deepEqual(rep.run?.options.networks, [table]);
  assert.equal(rep.run?.options.tenant, TENANT);
  assert.ok(rep.tool.dataSources?.some((d) => d.startsWith(`network table ${table}`)));
  writeFileSync(table, 'not,a,table\n1,2,3\n');
  assert.equal((await cli(['hunt', dir, '--no-db', '--networks', table])).code, 2, 'a bad table stops the run');
});
