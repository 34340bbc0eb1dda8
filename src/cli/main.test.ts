import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { run } from './main.js';
import type { CommandIO } from './types.js';

function io(): CommandIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let o = '', e = '';
  stdout.on('data', (d) => (o += d));
  stderr.on('data', (d) => (e += d));
  return { stdout, stderr, stdin: new PassThrough(), cwd: process.cwd(), env: {}, stdoutIsTTY: false, stderrIsTTY: false, now: () => 0, out: () => o, err: () => e };
}

test('unknown command and stray positionals are usage errors (exit 2) that say what and how', async () => {
  const a = io();
  assert.equal(await run(['nope'], a), 2);
  assert.match(a.err(), /unknown command "nope"/);
  const b = io();
  assert.equal(await run(['simulate', '--out', '/nonexistent/x', '--scenario', 'campaign', 'spray'], b), 2);
  assert.match(b.err(), /unexpected argument "spray".*--scenario a --scenario b/s);
});

test('hostile command names never reach the terminal as control characters', async () => {
  const a = io();
  await run(['\u001b[31mred\u202e'], a);
  assert.doesNotMatch(a.err(), /\u001b|\u202e/);
});
