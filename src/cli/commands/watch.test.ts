// `tenantwatch watch` as a user runs it: a YAML config with the tenant, watch and sinks sections, the webhook URL
// and HMAC key in environment variables, pointed at the local fake Microsoft service.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { startHttpReceiver, type HttpReceiver } from '../../sinks/testing.js';
import { startHarness, TEST_CLIENT_ID, type Harness } from '../../sources/fake/harness.js';
import { run } from '../main.js';
import type { CommandIO } from '../types.js';

let h: Harness;
let hook: HttpReceiver;
let dir: string;

before(async () => {
  h = await startHarness({ fixture: { days: 3, users: 8 }, nowAfterEnd: 2 * 3_600_000 });
  hook = await startHttpReceiver();
  dir = mkdtempSync(path.join(tmpdir(), 'tw-cli-watch-'));
});
after(async () => {
  await hook?.close();
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const io: CommandIO = { stdout: out, stderr: err, stdin: new PassThrough(), cwd: dir, env, stdoutIsTTY: false, stderrIsTTY: false, now: () => h.clock.now() };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

function config(extra: string): string {
  const e = h.fake.endpoints;
  const file = path.join(dir, `tw-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(
    file,
    `tenant:
  id: ${h.tenant.id}
  clientId: ${TEST_CLIENT_ID}
  endpoints: { authority: ${e.authority}, graph: ${e.graph}, management: ${e.management}, exchange: ${e.exchange} }
  certificate: { keyFile: ${h.pki.appKeyFile}, certFile: ${h.pki.appCertFile} }
  caFile: ${h.pki.caFile}
collect:
  sources: [signins, directoryAudits, managementActivity]
  signInEventTypes: [interactiveUser, nonInteractiveUser]
  contentTypes: [Audit.Exchange]
  requestTimeout: 5s
lateness: { default: 6h }
${extra}`,
  );
  return file;
}

test('watch --once: polls every source up to now, delivers signed alerts, and a second run repeats nothing', async () => {
  const file = config(`watch:
  delay: 10m
  lookback: 1h
  backfill: 3d
  listen: off
sinks:
  - type: webhook
    url: { env: TW_HOOK_URL }
    secret: { env: TW_HOOK_KEY }
    minSeverity: low
`);
  const env = { TW_HOOK_URL: hook.url, TW_HOOK_KEY: 'cli-hmac-key-0123456789' };
  const db = path.join(dir, 'once.db');
  const first = await cli(['watch', '--config', file, '--db', db, '--once'], env);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  assert.match(first.stdout, /^watch ok; store /);
  assert.match(first.stdout, /graph\.signins\.interactiveUser\s+read up to /);
  assert.match(first.stdout, /sink webhook: (\d+) delivered, 0 pending, 0 failed for good/);
  const delivered = Number(/sink webhook: (\d+) delivered/.exec(first.stdout)![1]);
  assert.ok(delivered >= 5, first.stdout);
  assert.equal(hook.keys().length, delivered);
  assert.ok(hook.requests.every((r) => typeof r.headers['x-tenantwatch-signature'] === 'string'));
  assert.ok(!first.stderr.includes(hook.url) && !first.stdout.includes(hook.url));
  const second = await cli(['watch', '--config', file, '--db', db, '--once', '-q'], env);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(hook.keys().length, delivered, 'nothing delivered twice');
  assert.equal(new Set(hook.keys()).size, delivered);
  // the store is the hunt store: incidents list reads what watch correlated
  const inc = await cli(['incidents', 'list', '--db', db, '--format', 'json']);
  assert.equal(inc.code === 0 || inc.code === 3, true, inc.stderr);
  assert.ok((JSON.parse(inc.stdout) as { incidents: unknown[] }).incidents.length >= 1);
});

test('watch: config and secret problems exit 2 with their place, never the secret', async () => {
  const bad = config(`sinks:
  - type: teams
    url: https://prod-12.westeurope.logic.azure.com/workflows/x/triggers/manual/paths/invoke?sig=S3CR3T
`);
  const r = await cli(['watch', '--config', bad, '--db', path.join(dir, 'bad.db'), '--once']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /tw-\w+\.yml:\d+:\d+: sinks\[0\]\.url: give \{ env: VARIABLE \} or \{ file: PATH \}/);
  assert.ok(!r.stderr.includes('S3CR3T'));
  const unset = config(`watch: { listen: off }
sinks:
  - type: slack
    url: { env: TW_SLACK_URL }
`);
  const r2 = await cli(['watch', '--config', unset, '--db', path.join(dir, 'unset.db'), '--once']);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /sinks\[0\] \(slack\) url: the environment variable TW_SLACK_URL is not set or empty/);
  const r3 = await cli(['watch', '--config', unset, '--db', path.join(dir, 'unset.db'), '--once'], { TW_SLACK_URL: 'http://hooks.slack.example/services/T0/B0/SeCrEtXYZ' });
  assert.equal(r3.code, 2);
  assert.match(r3.stderr, /must be an https:\/\/ URL .*\(not shown: it is a secret\)/);
  assert.ok(!r3.stderr.includes('SeCrEtXYZ'));
  const r4 = await cli(['watch', '--config', unset, '--listen', '0.0.0.0:9464', '--once']);
  assert.equal(r4.code, 2);
  assert.match(r4.stderr, /--listen: .*loopback only/);
});
