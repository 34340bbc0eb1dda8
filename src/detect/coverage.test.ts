import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../config/config.js';
import { rules } from '../rules/index.js';
import { ruleCoverage } from './coverage.js';

test('coverage: evaluated when the facts are there, otherwise "not evaluated" with the reason in words', () => {
  const cov = ruleCoverage(rules, ['signin.interactive', 'signin.failures', 'ip']);
  const by = Object.fromEntries(cov.map((c) => [c.rule, c]));
  assert.equal(by['TW-SIGNIN-001']!.status, 'evaluated');
  assert.equal(by['TW-SP-001']!.status, 'not-evaluated');
  assert.equal(by['TW-SP-001']!.reason, 'not evaluated: no service-principal sign-ins in the input (needs entra.signin.serviceprincipal)');
  assert.deepEqual(by['TW-SP-001']!.missing, ['signin.serviceprincipal']);
  assert.match(by['TW-APP-001']!.reason!, /no directory audit events/);
});

test('coverage: nothing observed means nothing evaluated, never an all-clear; disabled rules say so', () => {
  const cfg = defaultConfig();
  cfg.rules.disabled.push('TW-APP-001');
  const cov = ruleCoverage(rules, [], cfg);
  assert.ok(cov.every((c) => c.status !== 'evaluated'));
  assert.equal(cov.find((c) => c.rule === 'TW-APP-001')!.status, 'disabled');
  assert.match(cov.find((c) => c.rule === 'TW-SIGNIN-001')!.reason!, /no failed sign-ins or client IP addresses/);
});

test("coverage: rules that need the tenant's privileged accounts say so when none were known", () => {
  const facts = ['signin.interactive', 'signin.failures', 'ip', 'mfa.detail', 'risk'] as const;
  const unknown = Object.fromEntries(ruleCoverage(rules, facts, undefined, { privilegedKnown: false }).map((c) => [c.rule, c]));
  assert.equal(unknown['TW-SIGNIN-005']!.status, 'not-evaluated', 'single-factor success of a privileged account needs to know who is');
  assert.match(unknown['TW-SIGNIN-005']!.reason!, /privileged accounts are unknown: give privilegedAccounts/);
  assert.equal(unknown['TW-SIGNIN-008']!.status, 'evaluated', 'denials still count');
  assert.match(unknown['TW-SIGNIN-008']!.limits![0]!, /^admin portals and tools .*: not judged/);
  assert.equal(unknown['TW-SIGNIN-001']!.limits, undefined, 'a rule that only ranks by privilege is whole');
  const known = Object.fromEntries(ruleCoverage(rules, facts, undefined, { privilegedKnown: true }).map((c) => [c.rule, c]));
  assert.equal(known['TW-SIGNIN-005']!.status, 'evaluated');
  assert.equal(known['TW-SIGNIN-008']!.limits, undefined);
});

test('coverage: a first-seen rule that only learned says so', () => {
  const cov = ruleCoverage(rules, ['signin.serviceprincipal', 'ip'], undefined, { learningOnly: new Map([['TW-SP-001', 3 * 24 * 3600_000]]) });
  const sp = cov.find((c) => c.rule === 'TW-SP-001')!;
  assert.equal(sp.status, 'evaluated');
  assert.match(sp.limits![0]!, /^learning only: every key it saw was still inside its 3 days warm-up/);
});
