import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alert, app, T0, user } from '../../correlate/testing.js';
import { teamsMessage } from './index.js';

test('Teams: a Workflows message with one Adaptive Card; attacker-chosen text cannot become a link', () => {
  const a = alert({ name: 'teams', at: T0, severity: 'critical', rule: 'TW-APP-001', tenant: '17a50af0-0000-4000-8000-000000000001 [Click here](https://evil.example)', entities: [user('admin@contoso.example'), app('2a0d085a-5c65-48ff-a873-cb71ec0014fb', 'target', { display: 'Backup [login](https://evil.example)' })] });
  a.title = 'New app **Backup** [verify](https://evil.example)';
  const m = teamsMessage({ key: `${a.id}.r2`, alert: { ...a, revision: 2, occurrences: 4 }, attempt: 1 }) as {
    type: string;
    attachments: { contentType: string; content: { type: string; version: string; body: { type: string; text?: string; facts?: { title: string; value: string }[] }[] } }[];
  };
  assert.equal(m.type, 'message');
  assert.equal(m.attachments.length, 1);
  const card = m.attachments[0]!;
  assert.equal(card.contentType, 'application/vnd.microsoft.card.adaptive');
  assert.equal(card.content.type, 'AdaptiveCard');
  assert.equal(card.content.version, '1.4');
  const facts = card.content.body.find((b) => b.type === 'FactSet')!.facts!;
  assert.deepEqual(facts.find((f) => f.title === 'Alert id'), { title: 'Alert id', value: `${a.id}.r2` });
  assert.ok(facts.some((f) => f.title === 'Revision' && /revision 2: 4 occurrences/.test(f.value)));
  const title = card.content.body[1]!.text!;
  assert.equal(title, 'New app \\*\\*Backup\\*\\* \\[verify\\]\\(https://evil.example\\)');
  // the tenant id comes from the logs too
  assert.equal(facts.find((f) => f.title === 'Tenant')!.value, '17a50af0-0000-4000-8000-000000000001 \\[Click here\\]\\(https://evil.example\\)');
  const appFact = facts.find((f) => f.title.startsWith('app'))!;
  assert.ok(appFact.value.includes('\\[login\\]\\(https://evil.example\\)'), appFact.value);
  assert.match(card.content.body[0]!.text!, /^CRITICAL · TW-APP-001 · update 2$/);
});
