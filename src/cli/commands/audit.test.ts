import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run } from '../main.js';
import type { CommandIO } from '../types.js';

const NOW = Date.parse('2025-06-15T12:00:00Z');
const FIX = path.resolve('src/posture/fixtures');

async function cli(args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const io: CommandIO = { stdout: out, stderr: err, stdin: new PassThrough(), cwd: process.cwd(), env: {}, stdoutIsTTY: false, stderrIsTTY: false, now: () => NOW };
  const code = await run(['audit', ...args], io);
  return { code, stdout, stderr };
}

test('audit: exposed tenant exits 3 at the default --fail-on high; hardened exits 0', async () => {
  const e = await cli([path.join(FIX, 'exposed'), '--config', path.join(FIX, 'exposed.config.yml')]);
  assert.equal(e.code, 3);
  assert.match(e.stdout, /C4\s+critical\s+Fail/);
  const h = await cli([path.join(FIX, 'hardened'), '--config', path.join(FIX, 'hardened.config.yml'), '--format', 'json']);
  assert.equal(h.code, 0, h.stderr);
  assert.equal(JSON.parse(h.stdout).summary.Pass, 40);
  assert.equal((await cli([path.join(FIX, 'exposed'), '--fail-on', 'none', '--format', 'csv'])).code, 0);
});

test('audit: --compare shows new failures against a previous JSON report', async () => {
  const h = await cli([path.join(FIX, 'hardened'), '--config', path.join(FIX, 'hardened.config.yml'), '--format', 'json']);
  const prev = path.join(mkdtempSync(path.join(tmpdir(), 'twcli-')), 'prev.json');
  writeFileSync(prev, h.stdout);
  const e = await cli([path.join(FIX, 'exposed'), '--compare', prev]);
  assert.match(e.stdout, /NEW FAIL\s+D1 \(critical\)/);
});

test('audit: usage and input errors', async () => {
  assert.equal((await cli([])).code, 2);
  assert.equal((await cli([path.join(FIX, 'hardened'), '--fail-on', 'severe'])).code, 2);
  assert.equal((await cli([path.join(FIX, 'hardened'), '--format', 'xml'])).code, 2);
  const missing = await cli([path.join(FIX, 'nope')]);
  assert.equal(missing.code, 4);
  assert.match(missing.stderr, /docs\/snapshot\.md/);
  const list = await cli(['--list']);
  assert.equal(list.code, 0);
  assert.match(list.stdout, /A11\s+-\s+not decidable/);
});
