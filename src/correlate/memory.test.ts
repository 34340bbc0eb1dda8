import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../core/event.js';
import { EntityMemory } from './memory.js';
import { T0 } from './testing.js';

const signin = (ip: string, user: string | undefined, o: { asn?: number; outcome?: Event['outcome'] } = {}): Event => ({
  id: `${ip}-${user}-${Math.random()}`,
  time: T0,
  tenant: 't',
  source: 'entra.signin',
  action: 'signin',
  operation: 'Sign-in activity',
  outcome: o.outcome ?? 'success',
  actor: { kind: 'user', ...(user ? { user } : {}), ip, ...(o.asn !== undefined ? { asn: o.asn } : {}) },
  targets: [],
  raw: { file: 'memory.test', format: 'test' },
});

test('an address is shared once its limit-th distinct user signs in from it; spellings of one user count once', () => {
  const m = new EntityMemory({ sharedIpUsers: 4 });
  m.observe(signin('203.0.113.7', 'ann@contoso.example', { asn: 64500 }));
  m.observe(signin('203.0.113.7', 'ANN@Contoso.example'));
  m.observe(signin('203.0.113.7', 'bob@contoso.example'));
  assert.equal(m.usersOfIp('203.0.113.7'), 2);
  m.observe(signin('203.0.113.7', 'cy@contoso.example'));
  assert.equal(m.isSharedIp('203.0.113.7'), false, 'three users of a limit of four');
  m.observe(signin('203.0.113.7', 'dee@contoso.example'));
  assert.equal(m.isSharedIp('203.0.113.7'), true);
  assert.equal(m.usersOfIp('203.0.113.7'), 4);
  m.observe(signin('203.0.113.7', 'eve@contoso.example'));
  assert.equal(m.usersOfIp('203.0.113.7'), 4, 'past the limit it stays shared at the limit');
  assert.equal(m.asnOf('203.0.113.7'), 64500, 'the ASN a record gave is kept when later records give none');
});

test('only successful sign-ins count; an address without a user or ASN is known but never shared', () => {
  const m = new EntityMemory({ sharedIpUsers: 2 });
  m.observe(signin('198.51.100.1', 'ann@contoso.example', { outcome: 'failure' }));
  m.observe(signin('198.51.100.1', 'bob@contoso.example', { outcome: 'failure' }));
  assert.equal(m.usersOfIp('198.51.100.1'), undefined);
  m.observe(signin('198.51.100.2', undefined));
  assert.equal(m.usersOfIp('198.51.100.2'), 0);
  assert.equal(m.isSharedIp('198.51.100.2'), false);
  assert.equal(m.asnOf('198.51.100.2'), undefined);
  m.observe(signin('198.51.100.2', 'ann@contoso.example', { asn: 64501 }));
  m.observe(signin('198.51.100.2', 'bob@contoso.example', { asn: 64502 }));
  assert.equal(m.isSharedIp('198.51.100.2'), true);
  assert.equal(m.asnOf('198.51.100.2'), 64502, 'the latest ASN wins');
});

test('a limit of one makes every address shared at its first user; past the address cap new addresses are counted, not kept', () => {
  const one = new EntityMemory({ sharedIpUsers: 1 });
  one.observe(signin('192.0.2.1', 'ann@contoso.example'));
  assert.equal(one.isSharedIp('192.0.2.1'), true);

  const m = new EntityMemory({ ips: 2 });
  for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) m.observe(signin(ip, 'ann@contoso.example'));
  assert.equal(m.usersOfIp('192.0.2.2'), 1);
  assert.equal(m.usersOfIp('192.0.2.3'), undefined);
  assert.equal(m.dropped, 1);
});
