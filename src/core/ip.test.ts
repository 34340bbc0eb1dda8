import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanIp, inCidr, v6Prefix64 } from './ip.js';

test('every ClientIP shape Microsoft writes', () => {
  const cases: [string, string | undefined, number?][] = [
    ['10.11.12.13', '10.11.12.13'], ['10.11.12.13:12345', '10.11.12.13', 12345], ['[10.11.12.13]:12345', '10.11.12.13', 12345],
    ['[10.11.12.13]', '10.11.12.13'], ['::ffff:10.11.12.13', '10.11.12.13'], ['[::ffff:10.11.12.13]:12345', '10.11.12.13', 12345],
    ['2001:DB8::ABCD', '2001:db8::abcd'], ['[2001:db8::abcd]:12345', '2001:db8::abcd', 12345], ['[2001:db8::abcd]', '2001:db8::abcd'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'], ['::2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6', '2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6'],
    ['FE80::', 'fe80::'], ['localhost', undefined], ['cool.client.local:12345', undefined], ['<null>', undefined], ['', undefined],
    ['123.456.147.68:17584', undefined],
  ];
  for (const [raw, ip, port] of cases) {
    const c = cleanIp(raw);
    assert.equal(c?.ip, ip, raw);
    assert.equal(c?.port, port, raw);
  }
});

test('CIDR membership and IPv6 /64 prefixes', () => {
  assert.ok(inCidr('203.0.113.9', '203.0.113.0/24'));
  assert.ok(!inCidr('203.0.114.9', '203.0.113.0/24'));
  assert.ok(inCidr('2001:db8:1:2::99', '2001:db8:1::/48'));
  assert.ok(!inCidr('2001:db8:2::1', '2001:db8:1::/48'));
  assert.equal(v6Prefix64('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
});
