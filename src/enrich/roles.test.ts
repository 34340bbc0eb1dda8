import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config/config.js';
import { knownRules } from '../rules/index.js';
import { BASE, diagAudit, graphAudit, guid, ndjson } from '../rules/records.js';
import { decodeText } from '../pipeline/testkit.js';
import { createEnrichment } from './allowlists.js';
import { RoleLedger, isPrivilegedRole, withLearnedRoles } from './roles.js';

const assign = (user: string, role: string, template: string, activity = 'Add member to role', at = BASE) => ({
  at,
  activity,
  category: 'RoleManagement',
  operationType: 'Assign',
  targets: [{ type: 'User' as const, id: guid(`user|${user}`), displayName: user, modified: [['Role.DisplayName', null, JSON.stringify(role)], ['Role.TemplateId', null, JSON.stringify(template)]] as [string, string | null, string | null][] }],
});

/** UAL "Add member to role." (RecordType 8) naming the user by UPN and object id. */
const ualAssign = (user: string, role: string) => ({
  CreationTime: '2024-05-06T09:00:00', Id: guid(`ual-role|${user}`), Operation: 'Add member to role.', OrganizationId: guid('tenant'),
  RecordType: 8, ResultStatus: 'Success', UserKey: 'admin', UserType: 0, Version: 1, Workload: 'AzureActiveDirectory', ObjectId: user,
  UserId: 'admin@contoso.com', AzureActiveDirectoryEventType: 1, ExtendedProperties: [{ Name: 'extendedAuditEventCategory', Value: 'Role' }],
  ModifiedProperties: [{ Name: 'Role.DisplayName', NewValue: role, OldValue: '' }],
  Actor: [{ ID: 'admin@contoso.com', Type: 5 }], ActorContextId: guid('tenant'), InterSystemsId: guid('corr'), IntraSystemId: guid('intra'),
  SupportTicketId: '', Target: [{ ID: `User_${guid(`user|${user}`)}`, Type: 2 }, { ID: guid(`user|${user}`), Type: 2 }, { ID: user, Type: 5 }], TargetContextId: guid('tenant'),
});

async function learn(records: Record<string, unknown>[]): Promise<RoleLedger> {
  const r = await decodeText(ndjson('roles.json', records).text, 'roles.json', { dedup: false });
  assert.deepEqual(r.quarantined, []);
  return RoleLedger.learn(r.events);
}

test('isPrivilegedRole: admin roles by name or template id; readers are not', () => {
  assert.ok(isPrivilegedRole('Global Administrator'));
  assert.ok(isPrivilegedRole('Company Administrator'));
  assert.ok(isPrivilegedRole('Teams Administrator'));
  assert.ok(isPrivilegedRole(undefined, '29232cdf-9323-42fd-ade2-1d097af3e4de'));
  assert.ok(!isPrivilegedRole('Directory Synchronization Accounts', 'd29b2b05-8046-44ba-8758-1e26182fcf32'));
  assert.ok(!isPrivilegedRole('Global Reader', 'f2ef992c-3afb-46b9-b7cf-a126ee74c451'));
  assert.ok(!isPrivilegedRole('Directory Readers'));
  assert.ok(!isPrivilegedRole('Message Center Reader'));
});

test('the ledger learns role holders from Graph, diagnostic and UAL role assignments, by UPN and object id', async () => {
  const l = await learn([
    graphAudit(assign('ga@contoso.com', 'Global Administrator', '62e90394-69f5-4237-9190-012177145e10')),
    diagAudit(assign('exo@contoso.com', 'Exchange Administrator', '29232cdf-9323-42fd-ade2-1d097af3e4de', 'Add eligible member to role in PIM completed (permanent)')),
    ualAssign('helpdesk@contoso.com', 'Helpdesk Administrator'),
    graphAudit(assign('reader@contoso.com', 'Global Reader', 'f2ef992c-3afb-46b9-b7cf-a126ee74c451')),
    // the same holder again with a second role: one holder, two roles
    graphAudit(assign('ga@contoso.com', 'Exchange Administrator', '29232cdf-9323-42fd-ade2-1d097af3e4de', 'Add member to role', BASE + 1000)),
  ]);
  assert.equal(l.size, 3);
  assert.deepEqual(l.lookup('GA@contoso.com')?.roles, ['Global Administrator', 'Exchange Administrator']);
  assert.equal(l.lookup(undefined, guid('user|ga@contoso.com').toUpperCase())?.first, BASE);
  assert.ok(l.lookup('exo@contoso.com'));
  assert.ok(l.lookup('helpdesk@contoso.com'));
  assert.equal(l.lookup('reader@contoso.com'), undefined);
});

test('the ledger is plain JSON state: save / restore round-trips and rejects other things', async () => {
  const l = await learn([graphAudit(assign('ga@contoso.com', 'Global Administrator', '62e90394-69f5-4237-9190-012177145e10'))]);
  const back = RoleLedger.restore(JSON.stringify(l.save()));
  assert.deepEqual(back.save(), l.save());
  assert.ok(back.lookup('ga@contoso.com'));
  assert.throws(() => RoleLedger.restore({ format: 'x', holders: [] }), /not a tenantwatch role ledger/);
});

test('withLearnedRoles: config, snapshot and learned holders together, with where each came from', async () => {
  const cfg = parseConfig('privilegedAccounts: [cfg-admin@contoso.com]\n', 'test.yml', knownRules());
  const base = createEnrichment(cfg, { roleHolders: [{ ids: ['snap-admin@contoso.com'], roles: ['Security Administrator'] }] });
  const empty = withLearnedRoles(createEnrichment(parseConfig('{}\n', 'empty.yml', knownRules())), new RoleLedger());
  assert.equal(empty.knowsPrivileged?.(), false);
  const l = await learn([graphAudit(assign('cfg-admin@contoso.com', 'Global Administrator', '62e90394-69f5-4237-9190-012177145e10'))]);
  const e = withLearnedRoles(base, l);
  assert.equal(e.knowsPrivileged?.(), true);
  assert.deepEqual(e.privilegeOf?.('cfg-admin@contoso.com'), { roles: ['Global Administrator'], from: ['config', 'audit'] });
  assert.deepEqual(e.privilegeOf?.('snap-admin@contoso.com'), { roles: ['Security Administrator'], from: ['snapshot'] });
  assert.equal(e.privilegeOf?.('nobody@contoso.com'), undefined);
  assert.ok(!e.isPrivileged('nobody@contoso.com'));
  // the ledger keeps learning after the enrichment was built (a live watch feeds it event by event)
  const later = await decodeText(ndjson('r.json', [graphAudit(assign('new@contoso.com', 'User Administrator', 'fe930be7-5e62-47db-91af-98c3a49a38b1'))]).text);
  for (const x of later.events) l.observe(x);
  assert.ok(e.isPrivileged('new@contoso.com'));
  // app names come from the lookup given (the alias memory in hunt and watch), read at call time too
  assert.equal(e.appName, undefined);
  const names = new Map<string, string>();
  const named = withLearnedRoles(base, l, (id) => names.get(id));
  assert.equal(named.appName?.('app-1'), undefined);
  names.set('app-1', 'Mail Backup Utility');
  assert.equal(named.appName?.('app-1'), 'Mail Backup Utility');
  assert.ok(named.isPrivileged('new@contoso.com'));
});
