// `tenantwatch evaluate DIR` over a small simulated tenant (a development seed): the hunt reads every log record
// and nothing else, the table and the JSON say the same thing, and a directory that is no simulation is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { simulate } from '../../simulate/index.js';
import { run } from '../main.js';
import type { CommandIO } from '../types.js';

let dir: string;
let sim: string;

async function cli(args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const io: CommandIO = { stdout: out, stderr: err, stdin: new PassThrough(), cwd: dir, env: {}, stdoutIsTTY: false, stderrIsTTY: false, now: () => Date.now() };
  const code = await run(['evaluate', ...args], io);
  return { code, stdout, stderr };
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tw-evaluate-'));
  sim = path.join(dir, 'tenant');
  await simulate({ out: sim, seed: 4, users: 20, days: 10, scenarios: ['campaign'], formats: ['graph', 'diag', 'audit', 'ual-purview', 'ual-search', 'messagetrace', 'snapshot'] });
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('evaluate: JSON scorecard of every record of the tenant, the table agrees, --out writes a file', async () => {
  const j = await cli(['tenant', '--format', 'json', '--out', 'eval.json']);
  assert.equal(j.code, 0, j.stderr);
  assert.match(j.stderr, /json written to eval\.json/);
  const doc = JSON.parse(readFileSync(path.join(dir, 'eval.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(path.join(sim, 'manifest.json'), 'utf8'));
  const truth = JSON.parse(readFileSync(path.join(sim, 'truth.json'), 'utf8'));
  assert.equal(doc.schema, 'tenantwatch.evaluate/1');
  assert.equal(doc.seed, 4);
  // the hunt read the logs only: one event per simulated record (not the snapshot, truth or geo table)
  const c = manifest.counts;
  assert.equal(doc.hunt.events, c.signins + c.audits + c.ual + c.messageRows);
  assert.deepEqual(doc.scorecard.incidents.map((i: { truth: string }) => i.truth), truth.incidents.map((i: { id: string }) => i.id));
  const t = doc.summary.totals;
  assert.equal(t.alerts, doc.hunt.alerts);
  assert.equal(t.truePositives + t.falsePositives, t.alerts);
  assert.ok(t.stepsDetectedByExpected <= t.stepsImplemented && t.stepsImplemented <= t.stepsExpected);
  assert.ok(t.truePositives > 0, 'the campaign is detected at all');
  assert.ok(Array.isArray(doc.unimplementedCapabilities));
  // every step with records that names a capability is expected; those without records are not
  for (const s of doc.scorecard.steps) assert.equal(s.expected, s.capabilities.length > 0 && s.events > 0, s.step);

  const table = await cli(['tenant']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, new RegExp(`seed 4, 20 users × 10 days, scenarios campaign — ${doc.hunt.events} events, ${doc.hunt.alerts} alerts`));
  assert.ok(table.stdout.includes(`(${t.stepsDetectedByExpected}/${t.stepsImplemented})`), 'recall as in the JSON');
  assert.ok(table.stdout.includes(`(${t.mediumUp.truePositives}/${t.mediumUp.alerts})`), 'precision as in the JSON');
  for (const step of ['campaign/stuffing', 'campaign/cleanup']) assert.ok(table.stdout.includes(step), step);
  assert.match(table.stdout, /Not implemented yet/);
});

test('evaluate: a directory without truth.json, a bad format, no directory', async () => {
  const plain = path.join(dir, 'plain');
  mkdirSync(plain);
  writeFileSync(path.join(plain, 'x.json'), '{}');
  const r = await cli(['plain']);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /truth\.json not found: evaluate needs a directory written by `tenantwatch simulate --out DIR`/);
  assert.equal((await cli(['tenant', '--format', 'html'])).code, 2);
  assert.equal((await cli([])).code, 2);
  assert.equal((await cli(['nope'])).code, 2);
});
