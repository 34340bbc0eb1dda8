import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alert, T0, user } from '../../correlate/testing.js';
import { alertOcsf } from '../ocsf.js';
import { deliveryEnvelope } from '../types.js';
import { sign, verifySignature } from './index.js';

test('webhook signature: HMAC-SHA256 over "timestamp.body", checked in constant time with a replay window', () => {
  const body = JSON.stringify({ hello: 'world' });
  const ts = Math.floor(T0 / 1000);
  const headers = { 'x-tenantwatch-timestamp': String(ts), 'x-tenantwatch-signature': sign('k3y-k3y-k3y', ts, body) };
  assert.match(headers['x-tenantwatch-signature'], /^sha256=[0-9a-f]{64}$/);
  assert.ok(verifySignature('k3y-k3y-k3y', body, headers, T0 + 60_000));
  assert.ok(!verifySignature('k3y-k3y-k3y', body, headers, T0 + 10 * 60_000), 'too old: a replay');
  assert.ok(!verifySignature('k3y-k3y-k3y', body + ' ', headers, T0), 'body changed');
  assert.ok(!verifySignature('other-key', body, headers, T0));
  assert.ok(!verifySignature('k3y-k3y-k3y', body, { ...headers, 'x-tenantwatch-timestamp': String(ts + 1) }, T0), 'timestamp is signed');
});

test('webhook bodies: the delivery envelope, or an OCSF Detection Finding with the key as metadata.uid', () => {
  const a = alert({ name: 'hook', at: T0, severity: 'high', entities: [user('admin@contoso.example')], revision: 3 });
  assert.deepEqual(deliveryEnvelope({ key: `${a.id}.r3`, alert: a, attempt: 1 }), { schema: 'tenantwatch.delivery/1', idempotencyKey: `${a.id}.r3`, alert: a });
  const o = alertOcsf(a, `${a.id}.r3`) as { class_uid: number; activity_name: string; metadata: { uid: string; product: { name: string } }; finding_info: { uid: string } };
  assert.equal(o.class_uid, 2004);
  assert.equal(o.activity_name, 'Update', 'a revision is an update of the finding');
  assert.equal(o.metadata.uid, `${a.id}.r3`);
  assert.equal(o.metadata.product.name, 'tenantwatch');
  assert.equal(o.finding_info.uid, a.id);
});
