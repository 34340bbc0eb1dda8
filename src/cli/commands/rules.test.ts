import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { run } from '../main.js';
import type { CommandIO } from '../types.js';

async function cli(args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const io: CommandIO = { stdout: out, stderr: err, stdin: new PassThrough(), cwd: process.cwd(), env: {}, stdoutIsTTY: false, stderrIsTTY: false, now: () => 0 };
  const code = await run(['rules', ...args], io);
  return { code, stdout, stderr };
}

test('rules list: every rule with id, severity and techniques; json too', async () => {
  const t = await cli(['list']);
  assert.equal(t.code, 0);
  assert.match(t.stdout, /TW-SIGNIN-001\s+medium\s+T1110,T1110\.003,T1110\.004\s+Credential stuffing/);
  const j = await cli(['list', '--format', 'json']);
  const parsed = JSON.parse(j.stdout) as { attack: string; rules: { id: string; enabled: boolean }[] };
  assert.equal(parsed.attack, 'Enterprise v15.1');
  assert.ok(parsed.rules.some((r) => r.id === 'TW-APP-001' && r.enabled));
});

test('rules show: documentation, settings in force from --config, cases', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'twrules-'));
  const cfg = path.join(dir, 'tenantwatch.yml');
  writeFileSync(cfg, 'rules:\n  disabled: [TW-SP-001]\n  tunables:\n    TW-SIGNIN-001:\n      minAccounts: 25\n');
  const s = await cli(['show', 'tw-signin-001', '--config', cfg]);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stdout, /^TW-SIGNIN-001 {2}Credential stuffing/);
  assert.match(s.stdout, /credential-access \(TA0006\)/);
  assert.match(s.stdout, /T1110\.004 Credential Stuffing/);
  assert.match(s.stdout, /minAccounts\s+10\s+.*\[config: 25\]/);
  assert.match(s.stdout, /suppress\s+1h/);
  assert.match(s.stdout, /negative\s+0 alerts\s+nine accounts/);
  const l = await cli(['list', '--config', cfg]);
  assert.match(l.stdout, /TW-SP-001 .*\(disabled in config\)/);
  const j = JSON.parse((await cli(['show', 'TW-APP-001', '--format', 'json'])).stdout) as { id: string; tunables: { name: string }[]; cases: unknown[] };
  assert.equal(j.id, 'TW-APP-001');
  assert.ok(j.tunables.some((t) => t.name === 'within'));
  assert.ok(j.cases.length >= 2);
});

test('rules test: runs the cases of one rule; a final "N passed, M failed" line; exit 0', async () => {
  const r = await cli(['test', 'TW-SP-001']);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /^ok {4}TW-SP-001 {2}positive/m);
  assert.match(r.stdout, /rule cases: 8 passed, 0 failed\n$/);
  const j = JSON.parse((await cli(['test', 'TW-APP-001', '--format', 'json'])).stdout) as { passed: number; failed: number };
  assert.equal(j.failed, 0);
  assert.ok(j.passed >= 2);
});

test('rules: usage errors exit 2 with a suggestion', async () => {
  const a = await cli(['show', 'TW-SIGNIN-01']);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /unknown rule "TW-SIGNIN-01" \(did you mean "TW-SIGNIN-001"\?\)/);
  const b = await cli(['lsit']);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /did you mean "list"/);
  assert.equal((await cli([])).code, 2);
  assert.equal((await cli(['show'])).code, 2);
  const dir = mkdtempSync(path.join(tmpdir(), 'twrules-'));
  const cfg = path.join(dir, 'bad.yml');
  writeFileSync(cfg, 'rules:\n  tunables:\n    TW-SIGNIN-001:\n      minAcounts: 5\n');
  const c = await cli(['list', '--config', cfg]);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /bad\.yml:4:7: unknown key "minAcounts" in rules\.tunables\.TW-SIGNIN-001 \(did you mean "minAccounts"\?\)/);
});
