// The connector's sender addresses become ip entities (so mail relayed from them joins its incident).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { senderIpEntities } from './rule.js';

test('sender IPs and CIDRs up to /8 (IPv4) or /32 (IPv6) are entities; ranges, wider CIDRs and junk are not', () => {
  const ents = senderIpEntities(['203.0.113.214', ' 198.51.100.0/24 ', '198.18.0.0/15', '2001:DB8:10::/48', '10.0.0.0/7', '2001:db8::/16', '1.2.3.4-1.2.3.9', 'mail.example', '203.0.113.0/33']);
  assert.deepEqual(ents.map((e) => e.id), ['203.0.113.214', '198.51.100.0/24', '198.18.0.0/15', '2001:db8:10::/48']);
  assert.ok(ents.every((e) => e.type === 'ip' && e.role === 'target'));
  assert.deepEqual(senderIpEntities(undefined), []);
  assert.equal(senderIpEntities(Array.from({ length: 40 }, (_, i) => `192.0.2.${i}`)).length, 16, 'capped');
});
