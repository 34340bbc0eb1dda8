import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadAuditConfig } from './exemptions.js';
import { buildPostureFacts, postureFactsFor } from './facts.js';
import { ROLE } from './ids.js';
import { privilegedFromSnapshot } from './privileged.js';
import { loadSnapshot } from './snapshot.js';
import { FIXTURES, NOW } from './testing.js';

test('privilegedFromSnapshot: active + eligible, via role-assignable groups, users and service principals', async () => {
  const p = privilegedFromSnapshot(await loadSnapshot(path.join(FIXTURES, 'hardened')));
  const carol = p.find((x) => x.upn === 'carol.exo@contoso.com')!;
  assert.equal(carol.kind, 'user');
  assert.deepEqual(carol.roles.map((r) => [r.roleName, r.assignment, r.via?.groupName]), [['Exchange Administrator', 'eligible', 'PIM - Exchange Operators']]);
  const bg = p.find((x) => x.upn === 'bg-emergency1@contoso.onmicrosoft.com')!;
  assert.equal(bg.roles.length, 1, 'roleAssignments and scheduleInstances merge into one holding');
  assert.equal(bg.roles[0]!.permanent, true);
  const dave = p.find((x) => x.upn === 'dave.useradmin@contoso.com')!;
  assert.deepEqual(dave.roles.map((r) => `${r.assignment}:${r.permanent}`).sort(), ['active:false', 'eligible:true']);
  const col = p.find((x) => x.kind === 'servicePrincipal')!;
  assert.equal(col.name, 'tenantwatch collector');
  assert.equal(col.roles[0]!.roleId, ROLE.globalReader);
  assert.ok(!p.some((x) => x.kind === 'unknown'));
});

test('posture facts: admin without MFA, app with Exchange.ManageAsApp and a client secret', async () => {
  const snap = await loadSnapshot(path.join(FIXTURES, 'exposed'));
  const idx = buildPostureFacts(snap, await loadAuditConfig(path.join(FIXTURES, 'exposed.config.yml')), NOW);
  const admin = idx.forEntity({ user: 'IT.Admin@fabrikam-victim.example' });
  assert.ok(admin.some((f) => f.kind === 'no-mfa-registered' && f.text === 'this admin had no MFA method registered' && f.checkId === 'A6'));
  assert.ok(admin.some((f) => f.kind === 'role' && /Global Administrator/.test(f.text)));
  const app = postureFactsFor(idx, { appId: '5b1e0a11-6666-4666-8666-0000000000e1' });
  const kinds = app.map((f) => f.kind);
  for (const k of ['exchange-app-role', 'mailbox-app-role', 'role', 'client-secret', 'tenant-wide-grant'] as const) assert.ok(kinds.includes(k), k);
  assert.ok(app.some((f) => f.text.startsWith('this app holds Exchange.ManageAsApp on Office 365 Exchange Online')));
  // same facts by service principal object id, no duplicates when both ids are given
  const both = idx.forEntity({ appId: '5b1e0a11-6666-4666-8666-0000000000e1', spId: 'c1000000-0000-4000-8000-000000000003' });
  assert.equal(both.length, app.length);
  assert.ok(idx.forEntity({ appId: '5b1e0a11-8888-4888-8888-0000000000e3' }).some((f) => f.kind === 'collector'));
  assert.deepEqual(idx.forEntity({ user: 'nobody@contoso.com' }), []);
});
