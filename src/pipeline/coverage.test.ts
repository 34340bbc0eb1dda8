import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Fact } from '../core/event.js';
import { ruleCoverage } from '../detect/coverage.js';
import { rules } from '../rules/index.js';
import { factsOf } from './coverage.js';
import { decodeFixture } from './testkit.js';

async function factsOfFile(rel: string): Promise<Set<Fact>> {
  const r = await decodeFixture(path.resolve(rel), { dedup: false });
  const facts = new Set<Fact>();
  for (const e of r.events) factsOf(e, (f) => facts.add(f));
  return facts;
}

test('mailbox access: MailItemsAccessed records carry the mailbox.access fact, other Exchange records do not', async () => {
  const reads = await factsOfFile('src/decoders/ual/fixtures/mailbox-apps.ndjson');
  assert.ok(reads.has('mailbox.access'));
  assert.ok(reads.has('ip'));
  const admin = await factsOfFile('src/decoders/ual/fixtures/powershell7.csv');
  assert.ok(!admin.has('mailbox.access'), 'admin cmdlets and sign-ins are no mail reads');
});

test('mailbox access rules: not evaluated without MailItemsAccessed, with the reason in words', () => {
  const signinsOnly: Fact[] = ['signin.interactive', 'signin.noninteractive', 'signin.failures', 'ip', 'directory.audit', 'exchange.admin', 'mailbox.rules'];
  const by = Object.fromEntries(ruleCoverage(rules, signinsOnly).map((c) => [c.rule, c]));
  for (const id of ['TW-MAIL-005', 'TW-MAIL-006']) {
    assert.equal(by[id]!.status, 'not-evaluated', id);
    assert.deepEqual(by[id]!.missing, ['mailbox.access'], id);
    assert.match(by[id]!.reason!, /no mailbox access records \(UAL MailItemsAccessed\) in the input/, id);
  }
  const withReads = Object.fromEntries(ruleCoverage(rules, [...signinsOnly, 'mailbox.access']).map((c) => [c.rule, c]));
  assert.equal(withReads['TW-MAIL-005']!.status, 'evaluated');
  assert.equal(withReads['TW-MAIL-006']!.status, 'evaluated');
});
