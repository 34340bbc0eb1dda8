import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionIdOf, stableId } from './ids.js';

test('sessionIdOf: GUID session / correlation ids in lower case without braces; other ids as written', () => {
  assert.equal(sessionIdOf('5E6F7A8B-CCCC-4D1E-9F2A-000000000004'), '5e6f7a8b-cccc-4d1e-9f2a-000000000004');
  assert.equal(sessionIdOf(' {0F1E2D3C-AAAA-4B5C-8D7E-000000000004} '), '0f1e2d3c-aaaa-4b5c-8d7e-000000000004');
  assert.equal(sessionIdOf('5e6f7a8b-cccc-4d1e-9f2a-000000000004'), '5e6f7a8b-cccc-4d1e-9f2a-000000000004');
  assert.equal(sessionIdOf('{0F1E2D3C-AAAA-4B5C-8D7E-000000000004'), '{0F1E2D3C-AAAA-4B5C-8D7E-000000000004', 'one brace: not a GUID form');
  // not a GUID (e.g. a base64url token id passed by mistake): case-sensitive, kept
  assert.equal(sessionIdOf('QrStUvWxYz0123456789ab'), 'QrStUvWxYz0123456789ab');
  for (const v of [undefined, null, '', '   ', '<null>', 42]) assert.equal(sessionIdOf(v), undefined, String(v));
});

test('stableId: same parts, same id; different parts, different ids', () => {
  assert.equal(stableId('a', 1), stableId('a', 1));
  assert.notEqual(stableId('a', 1), stableId('a1'));
  assert.equal(stableId('x').length, 16);
});
