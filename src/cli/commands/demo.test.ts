// `tenantwatch demo` (small, to keep the suite fast): offline end to end — simulated tenant, hunt with the snapshot,
// HTML report with the posture audit, the store, the terminal summary; running it again into the same folder
// replaces the tenant and the store remembers; a folder that is not the demo's is never deleted.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Store } from '../../store/store.js';
import { run } from '../main.js';
import type { CommandIO } from '../types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tw-demo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const io: CommandIO = { stdout: out, stderr: err, stdin: new PassThrough(), cwd: dir, env: {}, stdoutIsTTY: false, stderrIsTTY: false, now: () => Date.now() };
  const code = await run(['demo', ...args], io);
  return { code, stdout, stderr };
}

test('demo: report, store and summary in --out; a second run replaces the tenant and keeps one copy of each incident', async () => {
  const small = ['--users', '20', '--days', '10', '--seed', '5'];
  const r = await cli(['--out', 'd', ...small]);
  assert.equal(r.code, 0, r.stderr);
  const out = path.join(dir, 'd');
  const html = readFileSync(path.join(out, 'report.html'), 'utf8');
  assert.match(html, /<h2>Posture audit/, 'the audit section is in the report');
  assert.match(html, /class="tw-incident/);
  assert.ok(existsSync(path.join(out, 'tenant', 'truth.json')));
  // the terminal report, then where everything is (paths relative to the working directory)
  assert.match(r.stdout, /^tenantwatch hunt: \d+ incidents?, \d+ alerts?/);
  assert.match(r.stdout, /HTML report \(incidents, timelines, containment, posture audit\): d\/report\.html/);
  assert.match(r.stdout, /Store \(alerts, incidents, entity memory\): d\/tenantwatch\.db/);
  assert.match(r.stdout, /Ground truth .*INC-campaign-5: \d+ of \d+ steps detected as expected/);
  assert.match(r.stderr, /simulating a tenant: seed 5, 20 users, 10 days/);

  const count = () => {
    const s = Store.open(path.join(out, 'tenantwatch.db'), { readonly: true });
    try {
      return s.listIncidents().length;
    } finally {
      s.close();
    }
  };
  const first = count();
  assert.ok(first > 0);
  const again = await cli(['--out', 'd', ...small]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(count(), first, 'the same tenant hunted twice: no incident twice');
});

test('demo: --db elsewhere; a folder that holds something else is refused, not deleted; no paths', async () => {
  const r = await cli(['--out', 'e', '--db', 'elsewhere.db', '--users', '10', '--days', '7']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(path.join(dir, 'elsewhere.db')));
  assert.ok(!existsSync(path.join(dir, 'e', 'tenantwatch.db')));

  mkdirSync(path.join(dir, 'mine', 'tenant'), { recursive: true });
  writeFileSync(path.join(dir, 'mine', 'tenant', 'notes.txt'), 'keep me');
  const refused = await cli(['--out', 'mine', '--users', '10', '--days', '7']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /was not written by tenantwatch demo/);
  assert.equal(readFileSync(path.join(dir, 'mine', 'tenant', 'notes.txt'), 'utf8'), 'keep me');
  assert.equal((await cli(['some/logs'])).code, 2);
  assert.equal((await cli(['--days', '3'])).code, 2);
});
