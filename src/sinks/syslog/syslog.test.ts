import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alert, app, ip, T0, user } from '../../correlate/testing.js';
import { cefHeader, cefValue, headerField, sdValue, syslogMessage } from './format.js';

const fmt = { facility: 16, hostname: 'tw host', appName: 'tenantwatch', format: 'json' as const, maxMessageBytes: 65_536, version: '0.1.0' };

test('RFC 5424: PRI from facility and severity, NILVALUE PROCID, MSGID = key, escaped SD values', () => {
  const a = alert({ name: 'sys', at: T0, severity: 'medium', entities: [user('a@contoso.example')], tenant: 'ten"ant]\\x' });
  const m = syslogMessage(a, a.id, fmt);
  // local0 (16) * 8 + warning (4)
  assert.ok(m.startsWith(`<132>1 ${a.time} twhost tenantwatch - ${a.id} [tenantwatch@32473 alertId="${a.id}" revision="1" rule="TW-TEST-001" severity="medium" tenant="ten\\"ant\\]\\\\x"] {`), m.slice(0, 200));
  assert.equal(sdValue('a"b]c\\d'), 'a\\"b\\]c\\\\d');
  assert.equal(headerField('', 10), '-');
  assert.equal(headerField('héllo wörld', 48), 'hllowrld');
});

test('a message over maxMessageBytes drops evidence first, then detail, and stays valid JSON', () => {
  const a = alert({ name: 'big', at: T0, severity: 'high', entities: [user('a@contoso.example')] });
  a.evidence = Array.from({ length: 20 }, (_, i) => ({ eventId: `e${i}`, time: a.time, source: 'entra.signin' as const, action: 'signin' as const, summary: 'x'.repeat(300), raw: { file: 'f', format: 'graph.signin' } }));
  const small = syslogMessage(a, a.id, { ...fmt, maxMessageBytes: 2048 });
  assert.ok(Buffer.byteLength(small) <= 2048, String(Buffer.byteLength(small)));
  const body = JSON.parse(small.slice(small.indexOf('] ') + 2)) as { evidence?: unknown; evidenceTruncated: number; idempotencyKey: string };
  assert.equal(body.evidence, undefined);
  assert.equal(body.evidenceTruncated, 20);
  assert.equal(body.idempotencyKey, a.id);
});

test('CEF: header and extension escaping, severity 0-10, the key as externalId', () => {
  const a = alert({ name: 'cef', at: T0, severity: 'critical', rule: 'TW-EXO-001', entities: [user('admin@contoso.example'), ip('203.0.113.9'), app('2a0d085a-5c65-48ff-a873-cb71ec0014fb', 'target', { display: 'Mail=Sync' })] });
  a.title = 'Inbound connector | header stripping';
  a.explanation = 'line one\nkey=value \\ end';
  const m = syslogMessage(a, `${a.id}.r2`, { ...fmt, format: 'cef' });
  const cef = m.slice(m.indexOf('] ') + 2);
  assert.ok(cef.startsWith('CEF:0|tenantwatch|tenantwatch|0.1.0|TW-EXO-001|Inbound connector \\| header stripping|10|'), cef.slice(0, 120));
  assert.match(cef, new RegExp(`externalId=${a.id.replace(/[-]/g, '\\-')}\\.r2 `));
  assert.match(cef, / suser=admin@contoso\.example /);
  assert.match(cef, / src=203\.0\.113\.9 /);
  assert.match(cef, / cs4=Mail\\=Sync \(2a0d085a/);
  assert.ok(cef.endsWith('msg=line one\\nkey\\=value \\\\ end'), cef.slice(-60));
  assert.equal(cefHeader('a|b\\c\nd'), 'a\\|b\\\\c d');
  assert.equal(cefValue('a=b\r\n'), 'a\\=b\\r\\n');
});

test('log text cannot forge a syslog line or carry control characters, in JSON or CEF', () => {
  // a tenant id and an app name from the logs with a line break, ANSI / OSC escapes and a bidi override
  const forged = '17a50af0-0000-4000-8000-000000000001\n<13>1 2025-01-01T00:00:00Z forged tenantwatch - FAKE - all clear';
  const hostile = 'Sync\u001b[31mRED\u001b]0;pwned\u0007\u202eRLO\u0085';
  const a = alert({ name: 'inj', at: T0, severity: 'high', tenant: forged, entities: [user('a@contoso.example'), app('2a0d085a-5c65-48ff-a873-cb71ec0014fb', 'target', { display: hostile })] });
  a.title = `App ${hostile}`;
  a.explanation = `created by ${hostile}\nsecond line`;
  for (const format of ['json', 'cef'] as const) {
    const m = syslogMessage(a, a.id, { ...fmt, format });
    assert.ok(!/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e]/.test(m), `${format}: ${JSON.stringify(m.slice(0, 400))}`);
    assert.match(m, /tenant="17a50af0-0000-4000-8000-000000000001\\\\u\{a\}<13>1 /);
    if (format === 'json') {
      const body = JSON.parse(m.slice(m.indexOf('] {') + 2)) as { title: string; explanation: string };
      assert.equal(body.title, `App ${hostile}`, 'the JSON carries the same data, escaped');
      assert.equal(body.explanation, `created by ${hostile}\nsecond line`);
    } else {
      assert.match(m, /\|App Sync\\\\u\{1b\}\[31mRED/);
      assert.match(m, /msg=created by Sync.*\\u\{202e\}RLO.*\\nsecond line$/);
    }
  }
  assert.equal(sdValue('a\nb'), 'a\\\\u{a}b');
});
