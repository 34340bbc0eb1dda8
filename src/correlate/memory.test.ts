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

test("apps a record names only by id get the name an earlier record gave them; a record's own name stays", () => {
  const m = new EntityMemory();
  const appId = '3f2a8c10-5b7e-4d21-9a3c-6e1f0b2d4c55', spId = '9d1e7a42-0c3b-4f5e-8a6d-2b4c6e8f0a1c', objId = 'c7b5a3e1-2d4f-4a6b-8c0e-1f3a5b7d9e2c';
  const create: Event = {
    ...signin('192.0.2.9', 'admin@contoso.example'),
    source: 'entra.audit', action: 'app.create', operation: 'Add application',
    targets: [{ type: 'app', id: objId, appId, name: 'Mail Sync' }, { type: 'servicePrincipal', id: spId, appId }],
  };
  const read = (): Event => ({
    ...signin('198.51.100.7', undefined), source: 'ual', action: 'mailbox.access', operation: 'MailItemsAccessed',
    actor: { kind: 'app', appId: appId.toUpperCase(), ip: '198.51.100.7' },
    targets: [{ type: 'servicePrincipal', id: spId }, { type: 'app', id: objId }, { type: 'servicePrincipal', appId: '00000003-0000-0000-c000-000000000000' }],
  });
  const before = read();
  m.observe(before);
  m.nameEntities(before);
  assert.equal(before.actor.appName, undefined, 'nothing named the app yet');
  m.observe(create);
  const after = read();
  m.observe(after);
  m.nameEntities(after);
  assert.equal(after.actor.appName, 'Mail Sync', 'by appId, whatever its case');
  assert.deepEqual(after.targets.map((t) => t.name), ['Mail Sync', 'Mail Sync', undefined], 'by service principal id and object id; an unknown app stays unnamed');
  m.observe({ ...create, targets: [{ type: 'app', id: objId, appId, name: 'Renamed Later' }] });
  const own = { ...read(), actor: { kind: 'app' as const, appId, appName: 'What The Record Says' } };
  m.nameEntities(own);
  assert.equal(own.actor.appName, 'What The Record Says');
  const later = read();
  m.nameEntities(later);
  assert.equal(later.actor.appName, 'Mail Sync', 'the first name learned: a later rename does not rename what earlier alerts said');
});

test('grants: application permissions and delegated scopes are told apart, and a consent for all users is remembered', () => {
  const APPID = '2a0d085a-5c65-48ff-a873-cb71ec0014fb';
  const grant = (action: Event['action'], permissions: string[], details: Record<string, unknown> = {}): Event => ({
    id: `${action}-${permissions.join()}`, time: T0, tenant: 't', source: 'entra.audit', action, operation: action, outcome: 'success',
    actor: { kind: 'user', user: 'admin@contoso.com' },
    targets: [{ type: 'servicePrincipal', id: '4986ecc9-ecd2-4ec4-90ab-06583e651046', appId: APPID }],
    details: { permissions, ...details }, raw: { file: 'memory.test', format: 'test' },
  });
  const m = new EntityMemory();
  m.observe(grant('approle.assign', ['Exchange.ManageAsApp']));
  m.observe(grant('consent.grant', ['Mail.Read', 'offline_access'], { allPrincipals: false }));
  m.observe(grant('consent.grant', [], { appOnly: true }));
  const a = m.apps.get(APPID)!;
  assert.deepEqual(a.permissions, ['Exchange.ManageAsApp', 'Mail.Read', 'offline_access']);
  assert.deepEqual(a.delegated, ['Mail.Read', 'offline_access']);
  assert.equal(a.tenantWide, undefined);
  m.observe(grant('consent.grant', ['User.Read'], { allPrincipals: true }));
  assert.equal(m.apps.get(APPID)!.tenantWide, true);
  // what an earlier hunt remembered joins
  const later = new EntityMemory();
  later.mergeApp(m.apps.get(APPID)!);
  assert.deepEqual(later.apps.get(APPID)!.delegated, ['Mail.Read', 'offline_access', 'User.Read']);
});

test('a mailbox named only by its GUID gets its owner\'s UPN from an earlier mailbox record that named both', () => {
  const GUID = 'ce177b4e-1f0a-4c61-9d0e-7a7f0e3b2c11';
  const mailboxEv = (targets: Event['targets'], operation = 'MailItemsAccessed'): Event => ({ ...signin('198.51.100.7', 'daniel.reyes@contoso.com'), source: 'ual', action: 'mailbox.access', operation, targets });
  const m = new EntityMemory();
  const early = mailboxEv([{ type: 'mailbox', id: GUID.toUpperCase() }], 'New-InboxRule');
  m.nameEntities(early);
  assert.equal(early.targets[0]!.name, undefined, 'nothing named the mailbox yet');
  m.nameEntities(mailboxEv([{ type: 'mailbox', id: GUID, name: 'Daniel.Reyes@contoso.com' }]));
  const rule = mailboxEv([{ type: 'mailbox', id: GUID.toUpperCase() }], 'New-InboxRule');
  m.nameEntities(rule);
  assert.equal(rule.targets[0]!.name, 'daniel.reyes@contoso.com');
  const byGuid = mailboxEv([{ type: 'mailbox', id: `contoso.onmicrosoft.com/${GUID}`, name: GUID }], 'Set-Mailbox');
  m.nameEntities(byGuid);
  assert.equal(byGuid.targets[0]!.name, 'daniel.reyes@contoso.com', 'a GUID given as the name is no name');
  const other = mailboxEv([{ type: 'mailbox', id: GUID, name: 'Shared Sales' }], 'Set-Mailbox');
  m.nameEntities(other);
  assert.equal(other.targets[0]!.name, 'Shared Sales', 'a name the record gives is kept');
});

test('a known app used by a person (delegated reads) counts as the app seen in use', () => {
  const APPID = '2a0d085a-5c65-48ff-a873-cb71ec0014fb';
  const m = new EntityMemory();
  m.observe({ ...signin('198.51.100.7', 'admin@contoso.com'), source: 'entra.audit', action: 'consent.grant', operation: 'Consent to application',
    targets: [{ type: 'servicePrincipal', id: '4986ecc9-ecd2-4ec4-90ab-06583e651046', appId: APPID }], details: { permissions: ['Mail.Read'] } });
  const later = T0 + 3 * 86_400_000;
  m.observe({ ...signin('167.99.1.2', 'grace.lin@contoso.com'), time: later, source: 'ual', action: 'mailbox.access', operation: 'MailItemsAccessed', actor: { kind: 'user', user: 'grace.lin@contoso.com', appId: APPID.toUpperCase(), ip: '167.99.1.2' } });
  assert.equal(m.apps.get(APPID)!.lastSeen, later);
  assert.deepEqual(m.apps.get(APPID)!.sources, {}, 'a person\'s address is not the app\'s own');
});
