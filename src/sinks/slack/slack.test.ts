import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alert, ip, T0, user } from '../../correlate/testing.js';
import { slackMessage } from './index.js';

test('Slack: text + header/section/fields/context blocks; mentions and links in log text are escaped', () => {
  const a = alert({ name: 'slack', at: T0, severity: 'high', entities: [user('<!channel>@contoso.example'), ip('203.0.113.9')] });
  a.explanation = 'password spray from 203.0.113.9 <https://evil.example|click> & more';
  const m = slackMessage({ key: a.id, alert: a, attempt: 1 }) as { text: string; blocks: { type: string; text?: { type: string; text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[] };
  assert.match(m.text, /^\[HIGH\] test alert slack \(TW-TEST-001\)$/);
  assert.deepEqual(m.blocks.map((b) => b.type), ['header', 'section', 'section', 'context']);
  assert.equal(m.blocks[0]!.text!.type, 'plain_text');
  assert.ok(m.blocks[1]!.text!.text.includes('&lt;https://evil.example|click&gt; &amp; more'));
  assert.ok(m.blocks[2]!.fields!.some((f) => f.text.includes('&lt;!channel&gt;@contoso.example')));
  assert.ok(m.blocks[2]!.fields!.length <= 10);
  assert.equal(m.blocks[3]!.elements![0]!.text, `tenantwatch · alert id \`${a.id}\``);
});
