// The collect and preflight commands end to end: a YAML config as a user writes it, pointed at the local fake
// Microsoft service; then `inspect` reads the folder back.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync as mkdtemp, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { startHarness, TEST_CLIENT_ID, TEST_SECRET, type Harness, type HarnessOptions } from '../../sources/fake/harness.js';
import { run } from '../main.js';
import type { CommandIO } from '../types.js';

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
const mkdtempSync = (prefix: string) => {
  const d = mkdtemp(prefix);
  temps.push(d);
  return d;
};

async function cli(args: string[], h: Harness, env: NodeJS.ProcessEnv = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const io: CommandIO = { stdout: out, stderr: err, stdin: new PassThrough(), cwd: process.cwd(), env, stdoutIsTTY: false, stderrIsTTY: false, now: () => h.clock.now() };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

function configFor(h: Harness, credential: string, extra = ''): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-cli-'));
  const e = h.fake.endpoints;
  const file = path.join(dir, 'tenantwatch.yml');
  writeFileSync(
    file,
    `# collector for the fake tenant
tenant:
  id: ${h.tenant.id}
  clientId: ${TEST_CLIENT_ID}
  endpoints:
    authority: ${e.authority}
    graph: ${e.graph}
    management: ${e.management}
    exchange: ${e.exchange}
  caFile: ${h.pki.caFile}
${credential}
collect:
  requestTimeout: 5s
${extra}`,
  );
  return file;
}

const cert = (h: Harness) => `  certificate:\n    keyFile: ${h.pki.appKeyFile}\n    certFile: ${h.pki.appCertFile}`;

async function withHarness(o: HarnessOptions, fn: (h: Harness) => Promise<void>) {
  const h = await startHarness({ auditQueryRunMs: 0, ...o });
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

test('collect → inspect: a config file, a folder of native formats, every record decoded', async () => {
  await withHarness({}, async (h) => {
    const cfg = configFor(h, cert(h), '  exchangeConfig: true\n');
    const out = path.join(path.dirname(cfg), 'out');
    // (every source is checked record by record in src/sources/collect/collect.test.ts; here: the command)
    const r = await cli(['collect', '--config', cfg, '--out', out, '--since', '20d', '--sources', 'signins,managementActivity,snapshot', '-q'], h);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /graph\.signins\.servicePrincipal\s+ok\s+\d+ records/);
    assert.match(r.stdout, /o365\.management\.Audit\.Exchange\s+ok/);
    assert.match(r.stdout, /next: {2}tenantwatch hunt .*out {4}tenantwatch audit .*snapshot/);
    const state = JSON.parse(readFileSync(path.join(out, 'collect.json'), 'utf8')) as { sources: { records: number }[] };
    const i = await cli(['inspect', out, '--format', 'json'], h);
    assert.equal(i.code, 0, i.stderr);
    const totals = JSON.parse(i.stdout).totals;
    assert.equal(totals.quarantined, 0);
    assert.equal(totals.events, state.sources.reduce((n, s) => n + s.records, 0));
    assert.ok(totals.events > h.tenant.signIns.length);
    const a = await cli(['audit', path.join(out, 'snapshot'), '--fail-on', 'none', '--format', 'json'], h);
    assert.equal(a.code, 0, a.stderr);
    assert.ok(JSON.parse(a.stdout).summary, 'the snapshot is audited');
    // Exchange configuration through the admin API (exchangeConfig: true)
    assert.ok(h.fake.requests.some((q) => q.server === 'exchange' && q.path.endsWith('/InvokeCommand') && q.status === 200));
    const again = await cli(['collect', '--config', cfg, '--out', out], h);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /not empty.*--resume/);
  });
});

test('preflight: roles against the manifest, probes, hints, excess write permissions; exit 0 / 4', async () => {
  await withHarness({}, async (h) => {
    const cfg = configFor(h, cert(h));
    const r = await cli(['preflight', '--config', cfg], h);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /ok {6}AuditLog\.Read\.All/);
    assert.match(r.stdout, /ok +Management API subscriptions/);
    assert.match(r.stdout, /everything the configured sources need is in place/);
  });
  await withHarness({ roles: { graph: ['AuditLog.Read.All', 'Directory.ReadWrite.All', 'Mail.Send'], management: [] }, premium: false }, async (h) => {
    const cfg = configFor(h, `  secret:\n    env: TW_SECRET`);
    const r = await cli(['preflight', '--config', cfg, '--format', 'json'], h, { TW_SECRET: TEST_SECRET });
    assert.equal(r.code, 4, r.stderr);
    const rep = JSON.parse(r.stdout);
    assert.equal(rep.credential, 'secret');
    assert.deepEqual(rep.tokens.find((t: { resource: string }) => t.resource === 'graph').excess, ['Directory.ReadWrite.All', 'Mail.Send']);
    const missing = rep.permissions.filter((p: { state: string }) => p.state === 'missing').map((p: { role: string }) => p.role);
    assert.deepEqual(missing.sort(), ['ActivityFeed.Read', 'AuditLogsQuery.Read.All', 'ExchangeMessageTrace.Read.All', 'Policy.Read.All', 'RoleManagement.Read.Directory'].sort());
    const probe = (n: string) => rep.probes.find((p: { name: string }) => p.name.startsWith(n));
    assert.equal(probe('sign-in logs').code, 'Authentication_RequestFromNonPremiumTenantOrB2CTenant');
    assert.match(probe('sign-in logs').hint, /Entra ID P1 or P2/);
    assert.equal(probe('Management API').code, 'AF10001');
    assert.match(probe('Management API').hint, /ActivityFeed\.Read/);
    assert.equal(probe('snapshot: organization').ok, true, 'Directory.ReadWrite.All reads too');
    assert.ok(!r.stdout.includes(TEST_SECRET) && !r.stderr.includes(TEST_SECRET));
    const t = await cli(['preflight', '--config', cfg], h, { TW_SECRET: TEST_SECRET });
    assert.match(t.stdout, /MISSING Policy\.Read\.All/);
    assert.match(t.stdout, /more than a collector needs \(write access\): Directory\.ReadWrite\.All, Mail\.Send/);
  });
});

test('credential problems exit 2 with the fix, and never print the secret', async () => {
  await withHarness({}, async (h) => {
    const secretFile = path.join(mkdtempSync(path.join(tmpdir(), 'tw-sec-')), 'secret');
    writeFileSync(secretFile, `${TEST_SECRET}\n`);
    chmodSync(secretFile, 0o644);
    const cfg = configFor(h, `  secret:\n    file: ${secretFile}`);
    const out = path.join(path.dirname(cfg), 'out');
    const r = await cli(['collect', '--config', cfg, '--out', out], h);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /readable by every user on this machine \(mode 644\); restrict it first: chmod 600/);
    chmodSync(secretFile, 0o600);
    writeFileSync(secretFile, 'Wrong~secret-value.000\n');
    const w = await cli(['collect', '--config', cfg, '--out', out], h);
    assert.equal(w.code, 2);
    assert.match(w.stderr, /AADSTS7000215.*use the secret VALUE/);
    assert.ok(!w.stderr.includes('Wrong~secret-value.000'));
    const p = await cli(['preflight', '--config', cfg], h);
    assert.equal(p.code, 2);
    assert.match(p.stdout, /FAIL Microsoft Graph: cannot get a token/);
    assert.ok(!p.stdout.includes('Wrong~secret-value.000'));
    const none = await cli(['collect', '--out', out], h);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no --config given and no tenantwatch\.yml here/);
  });
});
