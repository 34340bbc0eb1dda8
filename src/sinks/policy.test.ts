import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alert, T0, user } from '../correlate/testing.js';
import type { Severity } from '../detect/alert.js';
import { idempotencyKey, wantsAlert } from './types.js';

test('which alerts a sink takes: minimum severity, and all / escalating / no revisions', () => {
  const a = (severity: Severity, revision = 1) => ({ ...alert({ name: 'p', at: T0, severity, entities: [user('u@contoso.example')] }), revision });
  const chat = { minSeverity: 'medium' as const, revisions: 'escalations' as const };
  assert.equal(wantsAlert(chat, a('low')), false);
  assert.equal(wantsAlert(chat, a('medium')), true);
  assert.equal(wantsAlert(chat, a('medium', 2), 'medium'), false, 'more occurrences, same severity: not for chat');
  assert.equal(wantsAlert(chat, a('high', 2), 'medium'), true, 'an escalation is');
  assert.equal(wantsAlert(chat, a('medium', 2), 'low'), true, 'the first revision at or above the bar is its first message');
  assert.equal(wantsAlert({ minSeverity: 'informational', revisions: 'all' }, a('low', 3), 'low'), true);
  assert.equal(wantsAlert({ minSeverity: 'informational', revisions: 'none' }, a('critical', 2), 'low'), false);
  assert.equal(idempotencyKey('abc', 1), 'abc');
  assert.equal(idempotencyKey('abc', 2), 'abc.r2');
});
