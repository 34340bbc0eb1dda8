// The shared readers the app and domain rules rely on: permission names by id, role names across spellings,
// credentials already present, domains in UAL records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../../core/event.js';
import { domainOf, grantedPermissions, permissionKind, permissionName, priorCredentials, raise, roleOf } from './oauth.js';

function ev(partial: Partial<Event>): Event {
  return {
    id: 'x', time: 0, tenant: 'unknown', source: 'entra.audit', action: 'other', operation: '', outcome: 'success',
    actor: { kind: 'user' }, targets: [], raw: { file: 'f', format: 't' }, ...partial,
  };
}

test('permission names: app role ids from both tables, resource-prefixed scopes, values kept', () => {
  assert.equal(permissionName('DC50A0FB-09A3-484D-BE87-E023B12C6440'), 'Exchange.ManageAsApp'); // decoder table, any case
  assert.equal(permissionName('ea3d980d-ebc7-4be4-8298-a167e5b8797c'), 'Exchange.ManageAsAppV2'); // posture table only
  assert.equal(permissionName('https://graph.microsoft.com/Mail.Send'), 'Mail.Send');
  assert.equal(permissionName('00000000-0000-0000-0000-00000000abcd'), '00000000-0000-0000-0000-00000000abcd');
  assert.deepEqual(grantedPermissions(ev({ details: { appRoleId: '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8' } })), ['RoleManagement.ReadWrite.Directory']);
  assert.deepEqual(grantedPermissions(ev({ details: { permissions: ['Mail.Read', 'offline_access'], appRoleId: 'ignored-when-values-exist' } })), ['Mail.Read', 'offline_access']);
});

test('permission kinds: exchange admin, mailbox, directory write; others none', () => {
  assert.equal(permissionKind('exchange.manageasapp'), 'exchange-admin');
  assert.equal(permissionKind('SMTP.SendAsApp'), 'mailbox');
  assert.equal(permissionKind('Directory.ReadWrite.All'), 'directory-write');
  assert.equal(permissionKind('Mail.Read'), undefined);
});

test('roles: template id wins, UAL legacy name resolves, unknown roles keep their name', () => {
  const byId = roleOf(ev({ details: { roles: ['Whatever'], roleTemplateIds: ['29232cdf-9323-42fd-ade2-1d097af3e4de'] } }));
  assert.equal(byId?.name, 'Exchange Administrator');
  assert.equal(byId?.info?.tier0, true);
  const legacy = roleOf(ev({ details: { roles: ['Company Administrator'] } }));
  assert.equal(legacy?.templateId, '62e90394-69f5-4237-9190-012177145e10');
  const custom = roleOf(ev({ details: { roles: ['Contoso Helpdesk Tier 2'] } }));
  assert.deepEqual(custom, { name: 'Contoso Helpdesk Tier 2' });
});

test('prior credentials: KeyDescription strings and KeyCredentials objects; absent old side is "unknown", [] is "none"', () => {
  const withKeys = ev({
    targets: [{ type: 'app', modified: { KeyDescription: { old: ['[KeyIdentifier=AA,KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=x, O=y]'], new: [] } } }],
  });
  assert.deepEqual(priorCredentials(withKeys), [{ type: 'certificate', keyId: 'aa' }]);
  const objects = ev({ targets: [{ type: 'app', modified: { PasswordCredentials: { old: [{ keyId: 'BB' }], new: [] } } }] });
  assert.deepEqual(priorCredentials(objects), [{ type: 'password', keyId: 'bb' }]);
  assert.deepEqual(priorCredentials(ev({ targets: [{ type: 'app', modified: { KeyDescription: { old: [], new: ['x'] } } }] })), []);
  assert.equal(priorCredentials(ev({ targets: [{ type: 'app', modified: { KeyDescription: { new: ['x'] } } }] })), undefined);
});

test('domains: domain targets, UAL "other" targets and ObjectId; UPNs are not domains', () => {
  assert.equal(domainOf(ev({ targets: [{ type: 'domain', name: 'Contoso.com' }] })), 'contoso.com');
  assert.equal(domainOf(ev({ targets: [{ type: 'other', id: 'fabrikam-login.com' }] })), 'fabrikam-login.com');
  assert.equal(domainOf(ev({ targets: [{ type: 'user', name: 'a@contoso.com' }], details: { objectId: 'a@contoso.com' } })), undefined);
});

test('severity steps are capped', () => {
  assert.equal(raise('low'), 'medium');
  assert.equal(raise('low', 2), 'high');
  assert.equal(raise('critical'), 'critical');
});
