import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import { decodeText, flattenBody, loadSnapshot, parseBody } from './snapshot.js';
import { FIXTURES } from './testing.js';

test('flattenBody: one page, array of pages, plain array, single object, error body, null', () => {
  assert.deepEqual(flattenBody('a.json', { '@odata.context': 'x', value: [{ id: 1 }] }).items, [{ id: 1 }]);
  const pages = flattenBody('a.json', [{ value: [{ id: 1 }], '@odata.nextLink': 'n' }, { value: [{ id: 2 }] }]);
  assert.deepEqual(pages.items, [{ id: 1 }, { id: 2 }]);
  assert.equal(pages.incomplete, false);
  assert.equal(flattenBody('a.json', { value: [], '@odata.nextLink': 'more' }).incomplete, true);
  assert.deepEqual(flattenBody('a.json', [{ Name: 'a' }, { Name: 'b' }]).items.length, 2);
  // a singleton resource is one record, even though it is an object
  assert.deepEqual(flattenBody('a.json', { id: 'authorizationPolicy', defaultUserRolePermissions: {} }).items.length, 1);
  // an object that merely has a `value` property next to real properties is a record, not a page
  assert.equal(flattenBody('a.json', { id: 'x', value: [1], displayName: 'y' }).items.length, 1);
  const err = flattenBody('a.json', { error: { code: 'Forbidden', message: 'no' } });
  assert.equal(err.state, 'error');
  assert.match(err.reason!, /Forbidden: no/);
  assert.deepEqual(flattenBody('a.json', null).items, []);
});

test('decodeText: UTF-8 with/without BOM, UTF-16LE with/without BOM, UTF-16BE', () => {
  const s = '[{"Name":"Ünïcode"}]';
  assert.equal(decodeText(Buffer.from('\ufeff' + s, 'utf8')), s);
  assert.equal(decodeText(Buffer.from(s, 'utf8')), s);
  assert.equal(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])), s);
  assert.equal(decodeText(Buffer.from(s, 'utf16le')), s);
  const be = Buffer.from(s, 'utf16le');
  be.swap16();
  assert.equal(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be])), s);
});

test('parseBody: invalid JSON is an error with advice; empty file is an empty collection', () => {
  const bad = parseBody('x.json', Buffer.from('{"value": [', 'utf8'));
  assert.equal(bad.state, 'error');
  assert.match(bad.reason!, /not valid JSON/);
  assert.deepEqual(parseBody('x.json', Buffer.from('  \n')).items, []);
});

test('loadSnapshot: reads the layout, case-insensitive paths, per-SP subfolders, UTF-16 exports', async () => {
  const s = await loadSnapshot(path.join(FIXTURES, 'exposed'));
  assert.equal(s.graph('v1.0', 'users').items.length, 7, 'two pages joined');
  assert.equal(s.get('GRAPH/V1.0/Users.json').items.length, 7);
  assert.equal(s.exchange('Get-TransportRule').items.length, 3, 'UTF-16LE with BOM');
  assert.equal(s.exchange('Get-TransportConfig').items.length, 1, 'single object');
  assert.equal(s.under('graph/v1.0/servicePrincipals/').length, 3);
  assert.equal(s.graph('v1.0', 'roleManagement/directory/roleAssignmentScheduleInstances').state, 'error');
  assert.equal(s.graph('v1.0', 'nothing/here').state, 'missing');
  assert.equal(s.graphAny('identity/conditionalAccess/policies').path, 'graph/beta/identity/conditionalAccess/policies.json');
});

test('loadSnapshot: a missing or empty directory is an InputError with the layout hint', async () => {
  await assert.rejects(loadSnapshot(path.join(FIXTURES, 'no-such-dir')), (e) => e instanceof InputError && /docs\/snapshot\.md/.test(e.message));
  await assert.rejects(loadSnapshot(path.join(FIXTURES, '..', 'checks')), (e) => e instanceof InputError && /no graph\/ or exchange\//.test(e.message));
});
