import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTACK_VERSION, TACTICS, TECHNIQUES, checkAttackTags, sortTactics, technique } from './attack.js';

test('tactics: the 14 Enterprise tactics with their ids, in kill-chain order', () => {
  assert.equal(ATTACK_VERSION, 'Enterprise v15.1');
  assert.deepEqual(
    TACTICS.map((t) => `${t.id} ${t.name}`),
    [
      'TA0043 reconnaissance', 'TA0042 resource-development', 'TA0001 initial-access', 'TA0002 execution', 'TA0003 persistence',
      'TA0004 privilege-escalation', 'TA0005 defense-evasion', 'TA0006 credential-access', 'TA0007 discovery',
      'TA0008 lateral-movement', 'TA0009 collection', 'TA0011 command-and-control', 'TA0010 exfiltration', 'TA0040 impact',
    ],
  );
});

test('techniques: unique well-formed ids, known tactics, parents present, sub-techniques within their parent\'s tactics', () => {
  const ids = TECHNIQUES.map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length);
  const names = new Set(TACTICS.map((t) => t.name));
  for (const t of TECHNIQUES) {
    assert.match(t.id, /^T\d{4}(\.\d{3})?$/);
    assert.ok(t.name.length > 2);
    assert.ok(t.tactics.length >= 1 && t.tactics.every((x) => names.has(x)), t.id);
    if (t.id.includes('.')) {
      const parent = technique(t.id.split('.')[0]!);
      assert.ok(parent, `${t.id} parent`);
      assert.ok(t.tactics.every((x) => parent.tactics.includes(x)), `${t.id} tactics within its parent's`);
    }
  }
  // spot checks against the pinned release
  assert.equal(technique('T1110.004')?.name, 'Credential Stuffing');
  assert.equal(technique('T1484.002')?.name, 'Trust Modification');
  assert.deepEqual(technique('T1550.001')?.tactics, ['defense-evasion', 'lateral-movement']);
  assert.deepEqual(technique('T1557'), { id: 'T1557', name: 'Adversary-in-the-Middle', tactics: ['credential-access', 'collection'] });
  assert.equal(technique('T1672'), undefined, 'Email Spoofing is ATT&CK v17, not in the pinned release');
});

test('checkAttackTags: unknown ids, unknown tactics and contradictions are reported', () => {
  assert.deepEqual(checkAttackTags(['credential-access'], ['T1110', 'T1110.003']), []);
  assert.equal(checkAttackTags(['credential-access'], ['T9999']).length, 1);
  assert.equal(checkAttackTags(['credential_access'], ['T1110']).length, 2);
  assert.match(checkAttackTags(['impact'], ['T1110'])[0]!, /belongs to credential-access/);
});

test('sortTactics orders by kill chain and drops duplicates and unknowns', () => {
  assert.deepEqual(sortTactics(['impact', 'initial-access', 'impact', 'nope', 'persistence']), ['initial-access', 'persistence', 'impact']);
});
