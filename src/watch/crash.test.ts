// A real crash: a watch in a child process is killed with SIGKILL mid-run (no handler runs, nothing is flushed),
// then restarted on the same store. It must end with exactly the alerts of an uninterrupted run, and the webhook
// receiver must have seen every alert revision under one idempotency key (repeats only with that key).
// The fake Microsoft service runs here, its clock at the end of the simulated period (every record visible); the
// watches poll it on their own virtual clocks, in 6-hour steps.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config.js';
import { knownRules } from '../rules/index.js';
import { startHttpReceiver, type HttpReceiver } from '../sinks/testing.js';
import { silentLogger } from '../sources/auth/redact.js';
import { VirtualClock } from '../sources/clock.js';
import { startHarness, TEST_CLIENT_ID, type Harness } from '../sources/fake/harness.js';
import { Store } from '../store/store.js';
import { openWatch } from './index.js';
import type { ChildSpec } from './testing/crash-child.js';

const HOUR = 3_600_000;
let h: Harness;
let tmp: string;
let configFile: string;
const receivers: HttpReceiver[] = [];

before(async () => {
  h = await startHarness({ fixture: { days: 3, users: 8 }, nowAfterEnd: 7 * HOUR, graphMaxTop: 25, contentPageSize: 5 });
  tmp = mkdtempSync(path.join(tmpdir(), 'tw-crash-'));
  configFile = path.join(tmp, 'tenantwatch.yml');
  const e = h.fake.endpoints;
  writeFileSync(
    configFile,
    `tenant:
  id: ${h.tenant.id}
  clientId: ${TEST_CLIENT_ID}
  endpoints: { authority: ${e.authority}, graph: ${e.graph}, management: ${e.management}, exchange: ${e.exchange} }
  certificate: { keyFile: ${h.pki.appKeyFile}, certFile: ${h.pki.appCertFile} }
  caFile: ${h.pki.caFile}
collect:
  sources: [signins, directoryAudits, managementActivity]
  signInEventTypes: [interactiveUser, nonInteractiveUser]
  contentTypes: [Audit.Exchange, Audit.AzureActiveDirectory]
  pageSize: 100
  requestTimeout: 5s
lateness: { default: 3h }
watch:
  interval: 6h
  delay: 10m
  lookback: 1h
  backfill: 1h
  listen: off
sinks:
  - type: webhook
    url: { env: TW_HOOK_URL }
    minSeverity: informational
    revisions: all
`,
  );
});

after(async () => {
  for (const r of receivers) await r.close();
  await h?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function schedule(): number[] {
  const out: number[] = [];
  for (let t = h.tenant.period.start + 6 * HOUR; t <= h.tenant.period.end + 6 * HOUR; t += 6 * HOUR) out.push(t);
  return out;
}

/** Run the whole schedule in this process (a first start, or a restart after the crash). */
async function runHere(dbPath: string, hookUrl: string): Promise<void> {
  const config = await loadConfig(configFile, knownRules());
  const clock = new VirtualClock(h.tenant.period.start);
  const w = await openWatch({ config, configDir: tmp, env: { TW_HOOK_URL: hookUrl }, clock, logger: silentLogger, dbPath, listen: null, geoPackages: false, backoffBaseMs: 10, random: () => 1 });
  try {
    for (const t of schedule()) {
      clock.set(Math.max(clock.now(), t));
      await w.watcher.pollOnce({ until: t });
      await w.watcher.dispatcher.drain({ maxWaitMs: HOUR });
    }
    assert.equal(w.watcher.health().status, 'ok', JSON.stringify(w.watcher.health().reasons));
  } finally {
    await w.close();
  }
}

function storedAlerts(dbPath: string): string[] {
  const s = Store.open(dbPath);
  try {
    return (s.connection.prepare('SELECT id, revision FROM alerts ORDER BY id').all() as { id: string; revision: number }[]).map((r) => `${r.id}@${r.revision}`);
  } finally {
    s.close();
  }
}

/** Start the child; SIGKILL it when it prints the `killAt`-th commit line. Resolves with how it ended. */
function runChildAndKill(spec: ChildSpec, killAt: number): Promise<{ signal: NodeJS.Signals | null; commits: number; stderr: string }> {
  const specFile = path.join(tmp, 'child-spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const child = path.join(path.dirname(here), 'testing', `crash-child.${ts ? 'ts' : 'js'}`);
  const p = spawn(process.execPath, [...(ts ? ['--import', 'tsx'] : []), child, specFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let commits = 0;
  let stderr = '';
  let buf = '';
  p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  p.stdout.on('data', (c: Buffer) => {
    buf += c.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.startsWith('commit ') && ++commits === killAt) p.kill('SIGKILL');
    }
  });
  return new Promise((resolve) => p.on('exit', (_code, signal) => resolve({ signal, commits, stderr })));
}

test('a watch killed with SIGKILL mid-run and restarted ends with the uninterrupted run\'s alerts; keys unique per alert', async () => {
  const base = await startHttpReceiver();
  const crash = await startHttpReceiver();
  receivers.push(base, crash);
  const baseDb = path.join(tmp, 'base', 'tenantwatch.db');
  await runHere(baseDb, base.url);
  const want = storedAlerts(baseDb);
  assert.ok(want.length >= 10, `alerts: ${want.length}`);
  const wantKeys = want.flatMap((x) => {
    const [id, rev] = x.split('@') as [string, string];
    return Array.from({ length: Number(rev) }, (_, i) => (i === 0 ? id : `${id}.r${i + 1}`));
  }).sort();
  assert.deepEqual([...base.keys()].sort(), wantKeys, 'uninterrupted: each alert revision delivered once');

  const crashDb = path.join(tmp, 'crash', 'tenantwatch.db');
  const killed = await runChildAndKill({ configFile, dbPath: crashDb, clockStart: h.tenant.period.start, schedule: schedule(), env: { TW_HOOK_URL: crash.url } }, 30);
  assert.equal(killed.signal, 'SIGKILL', `the child was killed mid-run (exit after ${killed.commits} commits): ${killed.stderr}`);
  const partial = storedAlerts(crashDb);
  assert.ok(partial.length < want.length, `killed before the end (${partial.length} of ${want.length} alerts stored)`);

  await runHere(crashDb, crash.url);
  assert.deepEqual(storedAlerts(crashDb), want, 'after the restart: the same alerts, same revisions');
  const keys = crash.keys();
  assert.deepEqual([...new Set(keys)].sort(), wantKeys, 'every alert revision reached the receiver under its own key');
});
