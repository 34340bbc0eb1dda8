// Conventions every rule must keep (the Elastic test_all_rules idea): ids, ATT&CK tags, docs, tunables, and cases
// that pass through the real decoders, with every alert valid against the published alert contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkTunable } from '../config/tunables.js';
import { checkAttackTags } from '../detect/attack.js';
import { SEVERITIES } from '../detect/alert.js';
import { validate } from '../detect/json-schema.js';
import { selectorsOf } from '../detect/spec.js';
import { resolveTunables } from '../config/tunables.js';
import { registry, rules } from './index.js';
import { runRuleCases } from './runner.js';

const schema = JSON.parse(readFileSync(path.resolve('docs/alert.schema.json'), 'utf8')) as Record<string, unknown>;

test('rule ids are unique and well-formed', () => {
  const ids = rules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate rule id');
  for (const id of ids) assert.match(id, /^TW-[A-Z]+-\d{3}$/);
});

for (const { rule: r } of registry) {
  test(`${r.id}: metadata, ATT&CK tags, tunables and detector are complete`, () => {
    assert.ok(r.title.length >= 10, 'title');
    assert.ok(SEVERITIES.includes(r.severity), 'severity');
    assert.ok(r.description.length >= 40, 'description says what it detects');
    assert.ok(r.whyItMatters.length >= 40, 'whyItMatters says why a defender should care');
    assert.ok(r.falsePositives.length >= 1 && r.falsePositives.every((f) => f.length >= 20), 'falsePositives with how to tell them apart');
    assert.ok(r.tactics.length >= 1 && r.techniques.length >= 1, 'at least one tactic and one technique');
    assert.deepEqual(checkAttackTags(r.tactics, r.techniques), []);
    assert.ok(r.inputs.facts.length >= 1, 'inputs name the facts it needs (coverage)');
    assert.ok(r.suppressMs >= 0);
    for (const [name, spec] of Object.entries(r.tunables)) {
      assert.notEqual(name, 'suppress', 'suppress is implicit');
      assert.ok(spec.help.length > 5, `${name} has help`);
      const probe = spec.type === 'duration' ? `${spec.default}ms` : spec.default;
      assert.ok(!('error' in checkTunable(spec, probe)), `${name} default is valid`);
    }
    const d = r.detect(resolveTunables(r.tunables) as never);
    for (const { on } of selectorsOf(d)) assert.ok(on.actions.length >= 1, 'selectors declare the actions they consume');
  });
}

test('every rule has positive and negative cases, and every case passes through the real decoders', async () => {
  const results = await runRuleCases();
  const failures = results.filter((r) => !r.ok).map((r) => `${r.rule} "${r.case}": ${r.problems.join('; ')}`);
  assert.deepEqual(failures, []);
  for (const { rule: r } of registry) {
    const mine = results.filter((x) => x.rule === r.id);
    assert.ok(mine.some((x) => x.kind === 'positive'), `${r.id} has a positive case`);
    assert.ok(mine.some((x) => x.kind === 'negative'), `${r.id} has a near-miss negative case`);
  }
  let alerts = 0;
  for (const res of results) {
    if (res.kind === 'positive') assert.ok(res.alerts.length >= 1, `${res.rule} "${res.case}": a positive case must expect alerts`);
    else assert.equal(res.alerts.length, 0, `${res.rule} "${res.case}": negative and look-alike cases expect none`);
    for (const a of res.alerts) {
      alerts++;
      assert.deepEqual(validate(schema, JSON.parse(JSON.stringify(a))), [], `${res.rule} "${res.case}" alert matches docs/alert.schema.json`);
      assert.ok(/\d/.test(a.explanation), `${res.rule}: the explanation carries the numbers`);
      assert.ok(a.evidence.length >= 1 && a.evidence.every((e) => e.raw.text), `${res.rule}: evidence keeps the raw record text`);
    }
  }
  assert.ok(alerts >= registry.length);
});
