import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyList, ipBreadth, paramBool, paramList, senderDomain } from './params.js';
import { assessTransportRule } from './transport-rule-risk.js';

test('multi-valued parameters: joined strings, arrays, $null, @{Add=…; Remove=…}', () => {
  assert.deepEqual(paramList({ SenderIPAddresses: '198.51.100.0/24;203.0.113.0/24' }, 'senderipaddresses'), { set: ['198.51.100.0/24', '203.0.113.0/24'] });
  assert.deepEqual(paramList({ X: ['a', 'b,c'] }, 'X'), { set: ['a', 'b', 'c'] });
  assert.deepEqual(paramList({ X: '$null' }, 'X'), { set: [] });
  const h = paramList({ X: '@{Add="203.0.113.9","203.0.113.10"; Remove="198.51.100.0/24"}' }, 'X')!;
  assert.deepEqual(h, { add: ['203.0.113.9', '203.0.113.10'], remove: ['198.51.100.0/24'] });
  assert.deepEqual(applyList(['198.51.100.0/24', '192.0.2.1'], h), ['192.0.2.1', '203.0.113.9', '203.0.113.10']);
  assert.equal(applyList(undefined, h), undefined, 'adding to an unknown list leaves it unknown');
  assert.deepEqual(paramList({ X: 'System.Collections.Hashtable' }, 'X'), { unreadable: 'System.Collections.Hashtable' });
  assert.equal(paramList({}, 'X'), undefined);
  assert.equal(paramBool({ Enabled: '$true' }, 'enabled'), true);
  assert.equal(paramBool({ Enabled: 'False' }, 'Enabled'), false);
  assert.equal(senderDomain('smtp:*;1'), '*');
});

test('IP breadth: /24 narrow, /23 broad, /16 wide, a range and the total count', () => {
  assert.equal(ipBreadth(['203.0.113.0/24']).breadth, 'narrow');
  assert.equal(ipBreadth(['198.51.100.0/23']).breadth, 'broad');
  assert.equal(ipBreadth(['198.18.0.0/16']).breadth, 'wide');
  assert.equal(ipBreadth(['198.18.0.0-198.18.3.255']).addresses, 1024);
  assert.equal(ipBreadth(['198.18.0.0-198.18.3.255']).breadth, 'broad', 'a range wider than /24');
  assert.equal(ipBreadth([]).breadth, 'none');
  assert.deepEqual(ipBreadth(['mail.fabrikam.example']).unreadable, ['mail.fabrikam.example']);
});

test('transport rules: header classes and scope', () => {
  assert.equal(assessTransportRule({ RemoveHeader: 'X-MS-Exchange-Organization-AuthAs' }).level, 'high');
  assert.equal(assessTransportRule({ RemoveHeader: 'X-Originating-IP', SentToScope: 'NotInOrganization' }).level, 'medium');
  assert.equal(assessTransportRule({ RemoveHeader: 'X-Contoso-Footer' }).level, 'none');
  assert.equal(assessTransportRule({ SetSCL: '-1', SenderDomainIs: 'fabrikam.example' }).level, 'low');
  assert.equal(assessTransportRule({ SetSCL: '-1', SenderDomainIs: 'contoso.com' }, (d) => d === 'contoso.com').level, 'high');
  assert.equal(assessTransportRule({ SetSCL: '-1', SubjectContainsWords: 'report' }).level, 'medium');
  assert.equal(assessTransportRule({ SetSCL: '-1', Mode: 'Audit' }).active, false);
});
