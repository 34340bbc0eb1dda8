// The sign-in rules' shared facts, checked on records decoded by the real decoders in all three shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../../../core/event.js';
import { decodeText } from '../../../pipeline/testkit.js';
import { BASE } from '../../records.js';
import { FAILED_CREDENTIAL_CODES, appAndResource, attemptKey, credentialWorked, failedCredential, passwordProved } from './attempts.js';
import { file, type AttemptOpts, type Shape } from './records.js';

async function one(shape: Shape, a: AttemptOpts): Promise<Event> {
  const input = file(`x.${shape}.json`, shape, [a]);
  const r = await decodeText(input.text, input.name, { dedup: false });
  assert.deepEqual(r.quarantined, []);
  assert.equal(r.events.length, 1);
  return r.events[0]!;
}

const codes = new Set(FAILED_CREDENTIAL_CODES);
const at = BASE + 123; // a fraction of a second: the UAL keeps whole seconds

test('one attempt has one key in the Graph beta, diagnostic and UAL shapes', async () => {
  const a: AttemptOpts = { at, user: 'Alice@Contoso.com', ip: '2001:db8:5:6::17', code: 50126 };
  const keys = await Promise.all((['graph', 'diag', 'ual'] as const).map(async (s) => attemptKey(await one(s, a))));
  assert.equal(new Set(keys).size, 1, keys.join(' / '));
  assert.equal(keys[0], `alice@contoso.com|2001:db8:5:6::/64|${Math.floor(at / 1000)}|50126`);
  // another second, another code, another user: other attempts
  assert.notEqual(attemptKey(await one('graph', { ...a, at: at + 1000 })), keys[0]);
  assert.notEqual(attemptKey(await one('ual', { ...a, code: 50053 })), keys[0]);
  const ok = await one('ual', { ...a, code: 0 });
  assert.match(attemptKey(ok), /\|0$/);
});

test('failed credentials and proven passwords, per shape', async () => {
  for (const shape of ['graph', 'diag', 'ual'] as const) {
    const bad = await one(shape, { at, user: 'a@contoso.com', ip: '203.0.113.9', code: 50126 });
    assert.ok(failedCredential(bad, codes) && !passwordProved(bad) && !credentialWorked(bad), `${shape} 50126`);
    const mfa = await one(shape, { at, user: 'a@contoso.com', ip: '203.0.113.9', code: 50074 });
    assert.ok(!failedCredential(mfa, codes) && passwordProved(mfa) && credentialWorked(mfa), `${shape} 50074 proves the password`);
    const ok = await one(shape, { at, user: 'a@contoso.com', ip: '203.0.113.9' });
    assert.ok(!failedCredential(ok, codes) && !passwordProved(ok) && credentialWorked(ok), `${shape} success`);
  }
  // UAL: 500121 (MFA failed after the password) proves it; 50053 (locked) does not
  assert.ok(passwordProved(await one('ual', { at, user: 'a@contoso.com', ip: '203.0.113.9', code: 500121 })));
  assert.ok(!passwordProved(await one('ual', { at, user: 'a@contoso.com', ip: '203.0.113.9', code: 50053 })));
  // expired password: a failed credential that also proves the password
  const expired = await one('graph', { at, user: 'a@contoso.com', ip: '203.0.113.9', code: 50055 });
  assert.ok(failedCredential(expired, codes) && passwordProved(expired));
  // a non-interactive 50076 presented a refresh token, not a password
  assert.ok(!passwordProved(await one('diag', { at, user: 'a@contoso.com', ip: '203.0.113.9', code: 50076, interactive: false })));
});

test('app and resource in explanations: the resource once when it is the app itself', () => {
  const ev = (appName?: string, resource?: string) => ({ actor: { kind: 'user', ...(appName ? { appName } : {}) }, ...(resource ? { auth: { resource } } : {}) }) as unknown as Event;
  assert.equal(appAndResource(ev('Office 365 Exchange Online', 'Office 365 Exchange Online')), ' to Office 365 Exchange Online');
  assert.equal(appAndResource(ev('Outlook Mobile', 'Office 365 Exchange Online')), ' to Outlook Mobile / Office 365 Exchange Online');
  assert.equal(appAndResource(ev(undefined, 'Microsoft Graph')), ' to Microsoft Graph');
  assert.equal(appAndResource(ev()), '');
});
